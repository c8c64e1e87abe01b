/**
 * Reads what the end-to-end test needs from a synthesized stack (`cdk.tf.json`, parsed with
 * JSON.parse): each tenant's MCP container environment, its Okta authorization server, scopes,
 * claim, policies and rules, the shared client apps, and the stack outputs with their references
 * resolved to the local stand-ins.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';

export type Json = Record<string, unknown>;

const ROOT = path.join(__dirname, '..', '..');

/** Synthesizes the multi-tenant example into `outdir` (the way a user runs an example) and parses its stack. */
export async function synthesizeMultiTenant(outdir: string): Promise<Json> {
  await promisify(execFile)(
    process.execPath,
    ['-r', path.join(ROOT, 'scripts', 'ts-register.js'), path.join(ROOT, 'examples', 'multi-tenant', 'main.ts')],
    { cwd: ROOT, env: { ...process.env, CDKTF_OUTDIR: outdir, CHECKPOINT_DISABLE: '1' } },
  );
  return JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', 'multi-tenant', 'cdk.tf.json'), 'utf8')) as Json;
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): Json[] => (Array.isArray(v) ? v.filter(isObject) : isObject(v) ? [v] : []);

/** The resources of one type, by name. */
export function resources(stack: Json, type: string): [string, Json][] {
  const byType = (stack.resource as Json | undefined)?.[type];
  return isObject(byType) ? Object.entries(byType).filter((e): e is [string, Json] => isObject(e[1])) : [];
}

/** `${type.name.attr}` -> the name, when the expression is exactly that reference. */
function referencedName(expression: unknown, type: string, attribute: string): string | undefined {
  if (typeof expression !== 'string') return undefined;
  const match = new RegExp(`^\\$\\{${type}\\.([A-Za-z0-9_-]+)\\.${attribute}\\}$`).exec(expression);
  return match?.[1];
}

/** The environment of the `mcp-server` container of the tenant's deployment, as synthesized. */
export function mcpContainerEnv(stack: Json, tenant: string): Record<string, string> {
  for (const [, deployment] of resources(stack, 'kubernetes_deployment_v1')) {
    for (const spec of list(deployment.spec)) {
      for (const template of list(spec.template)) {
        for (const podSpec of list(template.spec)) {
          for (const container of list(podSpec.container)) {
            if (container.name !== 'mcp-server') continue;
            const env = Object.fromEntries(
              list(container.env)
                .filter((e) => typeof e.name === 'string' && typeof e.value === 'string')
                .map((e) => [e.name as string, e.value as string]),
            );
            if (env.MCP_TENANT_ID === tenant) return env;
          }
        }
      }
    }
  }
  throw new Error(`no mcp-server container of tenant ${tenant} in the stack`);
}

/** A tenant's Okta authorization server as synthesized. */
export interface OktaTenant {
  /** Resource name of the `okta_auth_server`. */
  readonly authServer: string;
  readonly audience: string;
  readonly scopes: string[];
  /** Resource claims always included, with their literal values. */
  readonly claims: Record<string, string>;
  /** Per client app (resource name): the scopes, grants and access token lifetime of its policy's rule. */
  readonly policies: { app: string; scopes: string[]; grantTypes: string[]; accessTokenLifetimeMinutes: number }[];
}

export function oktaTenant(stack: Json, tenant: string): OktaTenant {
  const server = resources(stack, 'okta_auth_server').find(([, r]) => r.name === `mcp-${tenant}`);
  if (!server) throw new Error(`no okta_auth_server mcp-${tenant}`);
  const [authServer, body] = server;
  const own = (r: Json) => referencedName(r.auth_server_id, 'okta_auth_server', 'id') === authServer;
  const claims: Record<string, string> = {};
  for (const [, claim] of resources(stack, 'okta_auth_server_claim').filter(([, r]) => own(r))) {
    if (
      claim.claim_type === 'RESOURCE' &&
      claim.always_include_in_token === true &&
      claim.value_type === 'EXPRESSION'
    ) {
      claims[claim.name as string] = JSON.parse(claim.value as string) as string;
    }
  }
  const policies: OktaTenant['policies'] = [];
  for (const [policyName, policy] of resources(stack, 'okta_auth_server_policy').filter(([, r]) => own(r))) {
    const apps = (policy.client_whitelist as string[]).map((c) => referencedName(c, 'okta_app_oauth', 'client_id'));
    const rules = resources(stack, 'okta_auth_server_policy_rule').filter(
      ([, r]) => referencedName(r.policy_id, 'okta_auth_server_policy', 'id') === policyName,
    );
    for (const app of apps) {
      for (const [, rule] of rules) {
        policies.push({
          app: app as string,
          scopes: rule.scope_whitelist as string[],
          grantTypes: rule.grant_type_whitelist as string[],
          accessTokenLifetimeMinutes: rule.access_token_lifetime_minutes as number,
        });
      }
    }
  }
  return {
    authServer,
    audience: (body.audiences as string[])[0],
    scopes: resources(stack, 'okta_auth_server_scope')
      .filter(([, r]) => own(r))
      .map(([, r]) => r.name as string),
    claims,
    policies,
  };
}

/** A public client app (the MCP client and the admin client). */
export interface OktaPublicApp {
  readonly name: string;
  readonly redirectUris: string[];
  readonly grantTypes: string[];
  readonly pkceRequired: boolean;
  readonly rotation: string | undefined;
}

export function oktaPublicApps(stack: Json): OktaPublicApp[] {
  return resources(stack, 'okta_app_oauth')
    .filter(([, r]) => r.token_endpoint_auth_method === 'none')
    .map(([name, r]) => ({
      name,
      redirectUris: r.redirect_uris as string[],
      grantTypes: r.grant_types as string[],
      pkceRequired: r.pkce_required === true,
      rotation: r.refresh_token_rotation as string | undefined,
    }));
}

/**
 * The stack's outputs as `cdktf output --outputs-file` would write them after a deployment to the
 * stand-ins (in `terraform output -json`'s shape): sensitive outputs left out,
 * `${okta_auth_server.<n>.issuer}` and `${okta_app_oauth.<n>.client_id}` resolved, and
 * `${jsonencode(...)}` evaluated.
 */
export function resolvedOutputs(
  stack: Json,
  issuers: Record<string, string>,
  clientIds: Record<string, string>,
  keep: (name: string) => boolean = () => true,
): Record<string, { value: string; type: string; sensitive: boolean }> {
  const lookup = (type: string, name: string, attribute: string): string => {
    const value = type === 'okta_auth_server' && attribute === 'issuer' ? issuers[name] : clientIds[name];
    if (value === undefined) throw new Error(`cannot resolve ${type}.${name}.${attribute}`);
    return value;
  };
  const reference = /(okta_auth_server|okta_app_oauth)\.([A-Za-z0-9_-]+)\.(issuer|client_id)/g;
  const evaluate = (text: string): string => {
    const jsonencode = /^\$\{jsonencode\((.*)\)\}$/s.exec(text);
    if (jsonencode) {
      const hcl = jsonencode[1].replace(reference, (_m, t: string, n: string, a: string) =>
        JSON.stringify(lookup(t, n, a)),
      );
      return JSON.stringify(JSON.parse(hcl.replace(/" = /g, '": ')));
    }
    return text.replace(/\$\{([^}]+)\}/g, (_m, inner: string) => {
      const match = /^(okta_auth_server|okta_app_oauth)\.([A-Za-z0-9_-]+)\.(issuer|client_id)$/.exec(inner);
      if (!match) throw new Error(`cannot resolve \${${inner}}`);
      return lookup(match[1], match[2], match[3]);
    });
  };
  const outputs = (stack.output ?? {}) as Record<string, { value: unknown; sensitive?: boolean }>;
  return Object.fromEntries(
    Object.entries(outputs)
      // Sensitive outputs left out, as `cdktf output --outputs-file` leaves them out.
      .filter(([name, o]) => keep(name) && typeof o.value === 'string' && o.sensitive !== true)
      .map(([name, o]) => [
        name,
        { value: evaluate(o.value as string), type: 'string', sensitive: o.sensitive === true },
      ]),
  );
}

/** The URL with its port replaced (`http://127.0.0.1:7700/mcp` -> `http://127.0.0.1:<port>/mcp`). */
export function withPort(url: string, port: number): string {
  const u = new URL(url);
  u.port = String(port);
  return url.endsWith('/') || u.pathname !== '/' ? u.href : u.href.replace(/\/$/, '');
}
