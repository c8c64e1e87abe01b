import type { JsonObject } from '../../lib/model/stack';
import { TerraformVariable, type TerraformStack } from '../../lib/core/cdktf';
import { tenantAdminGroupName, tenantUserGroupName } from '../../lib/core/naming';
import { CloudflareAccessTunnel, type CloudflareAccessTunnelProps } from '../../lib/transport/cloudflare-access-tunnel';
import { CloudflareOktaIdentityProvider } from '../../lib/transport/cloudflare-okta-identity-provider';
import { newStack, rawJson, resourcesOf } from '../helpers';

export const ACCOUNT_ID = '0123456789abcdef0123456789abcdef';
export const ZONE_ID = 'fedcba9876543210fedcba9876543210';
export const DOMAIN = 'mcp.example.com';
export const ORIGIN_PORT = 8080;

/** A sensitive variable for the Access IdP client secret, as a real stack declares it. */
export function idpClientSecret(stack: TerraformStack): string {
  return new TerraformVariable(stack, 'okta_access_idp_client_secret', { type: 'string', sensitive: true }).stringValue;
}

/** The shared Okta identity provider with valid props. */
export function oktaIdentityProvider(stack: TerraformStack, id = 'Idp'): CloudflareOktaIdentityProvider {
  return new CloudflareOktaIdentityProvider(stack, id, {
    accountId: ACCOUNT_ID,
    clients: {
      orgUrl: 'https://example.okta.com',
      accessIdpClientId: '0oa1accessidp',
      accessIdpClientSecret: idpClientSecret(stack),
    },
  });
}

/** Valid props of one tenant's tunnel. */
export function tunnelProps(
  tenantId: string,
  identityProvider: CloudflareOktaIdentityProvider,
  overrides: Partial<CloudflareAccessTunnelProps> = {},
): CloudflareAccessTunnelProps {
  return {
    tenantId,
    domain: DOMAIN,
    accountId: ACCOUNT_ID,
    zoneId: ZONE_ID,
    identityProvider,
    identity: { userGroupName: tenantUserGroupName(tenantId), adminGroupName: tenantAdminGroupName(tenantId) },
    originPort: ORIGIN_PORT,
    ...overrides,
  };
}

/** A stack with the shared IdP and one tunnel per tenant (construct id = tenant id). */
export function transportStack(
  tenants: readonly string[] = ['acme'],
  overrides: Partial<CloudflareAccessTunnelProps> = {},
): { stack: TerraformStack; idp: CloudflareOktaIdentityProvider; tunnels: CloudflareAccessTunnel[] } {
  const stack = newStack();
  const idp = oktaIdentityProvider(stack);
  const tunnels = tenants.map((t) => new CloudflareAccessTunnel(stack, t, tunnelProps(t, idp, overrides)));
  return { stack, idp, tunnels };
}

/** The synthesized JSON of a one-tenant transport stack, computed once per test file. */
export function transportJson(tenants: readonly string[] = ['acme']): JsonObject {
  return rawJson(transportStack(tenants).stack);
}

/** The only resource of a type in raw JSON (fails loudly when there is not exactly one). */
export function only(json: JsonObject, type: string): JsonObject {
  const bodies = Object.values(resourcesOf(json, type));
  if (bodies.length !== 1) throw new Error(`expected one ${type}, found ${bodies.length}`);
  return bodies[0];
}

/** Adds a resource to raw JSON (for tampered and foreign stacks). */
export function addResource(json: JsonObject, type: string, name: string, body: JsonObject): void {
  const resource = (json.resource ??= {}) as Record<string, Record<string, JsonObject>>;
  (resource[type] ??= {})[name] = body;
}

/** The first resource name of a type in raw JSON (fails loudly when there is none). */
export function nameOf(json: JsonObject, type: string, prefix = ''): string {
  const name = Object.keys(resourcesOf(json, type)).find((n) => n.startsWith(prefix));
  if (name === undefined) throw new Error(`no ${type}${prefix ? ` named ${prefix}*` : ''}`);
  return name;
}

/**
 * Adds a tenant's MCP deployment as the ports layer writes it, in raw JSON: the namespace `mcp-<t>`
 * and a Deployment whose `mcp-server` container listens on `MCP_PORT = port` (as a string, as
 * Kubernetes env values are). `path` is the construct path recorded for the tenant's cell.
 */
export function addMcpDeployment(json: JsonObject, tenant: string, port: string, path = `test/${tenant}`): void {
  const ns = `${tenant.replace(/-/g, '_')}_Workload_Namespace`;
  const meta = (id: string) => ({ '//': { metadata: { path: `${path}/Workload/${id}` } } });
  addResource(json, 'kubernetes_namespace_v1', ns, { ...meta('Namespace'), metadata: { name: `mcp-${tenant}` } });
  addResource(json, 'kubernetes_deployment_v1', `${tenant.replace(/-/g, '_')}_Workload_Deployment`, {
    ...meta('Deployment'),
    metadata: { name: 'mcp-server', namespace: `\${kubernetes_namespace_v1.${ns}.metadata[0].name}` },
    spec: {
      template: {
        metadata: { labels: { app: 'mcp-server' } },
        spec: {
          container: [
            {
              name: 'mcp-server',
              env: [
                { name: 'MCP_BIND_ADDRESS', value: '127.0.0.1' },
                { name: 'MCP_PORT', value: port },
              ],
            },
            { name: 'cloudflared', args: ['tunnel', '--metrics', '127.0.0.1:20241', 'run'] },
          ],
        },
      },
    },
  });
}

/** The transport JSON of `tenants` with each tenant's MCP deployment on port 8080 beside it. */
export function transportJsonWithWorkloads(tenants: readonly string[] = ['acme']): JsonObject {
  const json = transportJson(tenants);
  for (const t of tenants) addMcpDeployment(json, t, String(ORIGIN_PORT));
  return json;
}

/**
 * Splits a transport stack's JSON as a fleet does: the shared Okta identity provider moves to a
 * foundation stack that outputs its id, and the cell stack reads it through
 * `terraform_remote_state` (every reference to the provider becomes a remote-state read).
 */
export function splitFleet(json: JsonObject): { foundation: JsonObject; cell: JsonObject } {
  const idpType = 'cloudflare_zero_trust_access_identity_provider';
  const idpName = nameOf(json, idpType);
  const foundation: JsonObject = {
    terraform: { backend: { local: { path: 'terraform.foundation.tfstate' } } },
    output: { idp_id: { value: `\${${idpType}.${idpName}.id}`, sensitive: true } },
  };
  addResource(foundation, idpType, idpName, resourcesOf(json, idpType)[idpName]);
  const text = JSON.stringify(json)
    .split(`\${${idpType}.${idpName}.id}`)
    .join('${data.terraform_remote_state.foundation.outputs.idp_id}');
  const cell = JSON.parse(text) as JsonObject;
  delete (cell.resource as Record<string, unknown>)[idpType];
  cell.terraform = { backend: { local: { path: 'terraform.cell.tfstate' } } };
  const data = (cell.data ??= {}) as Record<string, Record<string, JsonObject>>;
  data.terraform_remote_state = {
    foundation: {
      backend: 'local',
      config: { path: 'terraform.foundation.tfstate' },
      workspace: '${terraform.workspace}',
    },
  };
  return { foundation, cell };
}

/** Adds raw JSON of a data source. */
export function addData(json: JsonObject, type: string, name: string, body: JsonObject): void {
  const data = (json.data ??= {}) as Record<string, Record<string, JsonObject>>;
  (data[type] ??= {})[name] = body;
}

/**
 * Adds a tenant's Okta authorization server `mcp-<t>` as the identity layer writes it, in raw JSON,
 * with a users rule and an admins rule (granting `mcp:<t>:admin`) whitelisting the given group ids.
 */
export function addAuthServer(
  json: JsonObject,
  tenant: string,
  groupIds: { readonly users: string; readonly admins: string },
): void {
  const id = tenant.replace(/-/g, '_');
  addResource(json, 'okta_auth_server', `${id}_server`, {
    name: `mcp-${tenant}`,
    audiences: [`https://${tenant}.x/mcp`],
  });
  const rule = (name: string, groups: string, scopes: string[]) =>
    addResource(json, 'okta_auth_server_policy_rule', `${id}_${name}`, {
      auth_server_id: `\${okta_auth_server.${id}_server.id}`,
      policy_id: 'p',
      name,
      group_whitelist: [groups],
      scope_whitelist: scopes,
    });
  rule('users', groupIds.users, [`mcp:${tenant}:use`]);
  rule('admins', groupIds.admins, [`mcp:${tenant}:admin`, `mcp:${tenant}:use`]);
}

/**
 * Points a tenant's Access policies at existing Okta groups read with `data.okta_group` by id (as
 * `existingGroups` does), returning the data sources' names.
 */
export function useExistingGroups(
  json: JsonObject,
  tenant: string,
  ids: { readonly users: string; readonly admins: string },
): { users: string; admins: string } {
  const id = tenant.replace(/-/g, '_');
  const names = { users: `${id}_existing_users`, admins: `${id}_existing_admins` };
  addData(json, 'okta_group', names.users, { id: ids.users });
  addData(json, 'okta_group', names.admins, { id: ids.admins });
  const app = resourcesOf(json, 'cloudflare_zero_trust_access_application')[
    nameOf(json, 'cloudflare_zero_trust_access_application', `${id}_`)
  ];
  const policies = app.policies as { include: { okta: { name: string } }[] }[];
  policies[0].include[0].okta.name = `\${data.okta_group.${names.users}.name}`;
  policies[1].include[0].okta.name = `\${data.okta_group.${names.admins}.name}`;
  return names;
}
