/**
 * Readers of Vault resources (and of what the MCP server is told about Vault and its tokens) in
 * synthesized JSON, shared by the MCP-SEC rules. Each reads the whole app: a fleet's cell stacks
 * are judged with their foundation's facts.
 */
import { MCP_ENV } from '../core/ports-defaults';
import { blocks, isObject } from './json';
import { isMcpContainer, mcpScope, type ContainerView } from './pods';
import type { ResourceEntry, SynthesizedApp, SynthesizedStack } from './stack';
import { namedTenant, ownerTenant } from './tenancy';

/** A value once references are followed: a literal, or why it cannot be read. */
export type ReadValue = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly why: string };

/**
 * A value as a literal, following variables, locals, attributes and remote-state outputs into the
 * stack that declares them. A computed attribute (an `id`, an `issuer`) cannot be read: `ok: false`.
 */
export function readValue(stack: SynthesizedStack, value: unknown): ReadValue {
  const resolved = stack.resolve(value);
  if (resolved.kind === 'literal') return { ok: true, value: resolved.value };
  if (resolved.kind === 'reference') {
    const attribute = resolved.attribute === '' ? '' : `.${resolved.attribute}`;
    return {
      ok: false,
      why: `'${String(value)}' is ${resolved.entry.address}${attribute}, known only at apply`,
    };
  }
  return { ok: false, why: resolved.why };
}

/** `(read from '${...}')` for a value that came through a reference, else ''. */
export function readFrom(raw: unknown): string {
  return typeof raw === 'string' && raw.includes('${') ? ` (read from '${raw}')` : '';
}

/** A number written as a number or a numeric string; undefined for anything else. */
export function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) return Number(value);
  return undefined;
}

/** A boolean written as a boolean or as `"true"` / `"false"`; undefined for anything else. */
export function asBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  return undefined;
}

/** Memoizes a view of an app (weakly held, so it goes with the app). */
function perApp<T>(compute: (app: SynthesizedApp) => T): (app: SynthesizedApp) => T {
  const cache = new WeakMap<SynthesizedApp, T>();
  return (app) => {
    let value = cache.get(app);
    if (value === undefined) {
      value = compute(app);
      cache.set(app, value);
    }
    return value;
  };
}

/** A Vault mount of the app, as far as it can be read. */
export interface VaultMountView {
  readonly stack: SynthesizedStack;
  readonly entry: ResourceEntry;
  /** Its path (no leading or trailing `/`), or undefined when it cannot be read. */
  readonly path?: string;
  /** `kv-v2`, `transit`, another type as written (`kv` for version 1), or undefined when unreadable. */
  readonly engine?: string;
}

function engineOf(stack: SynthesizedStack, body: ResourceEntry['body']): string | undefined {
  const type = readValue(stack, body.type);
  if (!type.ok || typeof type.value !== 'string') return undefined;
  if (type.value === 'kv-v2') return 'kv-v2';
  if (type.value !== 'kv') return type.value;
  const options = readValue(stack, body.options);
  if (!options.ok) return undefined;
  const version = isObject(options.value) ? readValue(stack, options.value.version) : { ok: true, value: undefined };
  if (!version.ok) return undefined;
  return String(version.value) === '2' ? 'kv-v2' : 'kv';
}

/** Every `vault_mount` of the app, with its path and engine. */
export const vaultMounts: (app: SynthesizedApp) => readonly VaultMountView[] = perApp((app) =>
  app.stacks.flatMap((stack) =>
    stack.ofType('vault_mount').map((entry) => {
      const path = readValue(stack, entry.body.path);
      const literal = path.ok && typeof path.value === 'string' ? path.value.replace(/^\/+|\/+$/g, '') : undefined;
      return { stack, entry, path: literal, engine: engineOf(stack, entry.body) };
    }),
  ),
);

/** A `vault_policy` of the app. */
export interface VaultPolicyView {
  readonly stack: SynthesizedStack;
  readonly entry: ResourceEntry;
  /** Its tenant: the one its name (`mcp-<t>-server`) names, else its stack metadata's hint. */
  readonly tenant?: string;
}

/** Every `vault_policy` of the app by its (literal) name; policies whose name cannot be read are left out. */
export const vaultPoliciesByName: (app: SynthesizedApp) => ReadonlyMap<string, readonly VaultPolicyView[]> = perApp(
  (app) => {
    const byName = new Map<string, VaultPolicyView[]>();
    for (const stack of app.stacks) {
      for (const entry of stack.ofType('vault_policy')) {
        const name = readValue(stack, entry.body.name);
        if (!name.ok || typeof name.value !== 'string') continue;
        const view = { stack, entry, tenant: ownerTenant(stack, entry) };
        byName.set(name.value, [...(byName.get(name.value) ?? []), view]);
      }
    }
    return byName;
  },
);

/** True when some stack of the app declares a Vault audit device. */
export const appHasAuditDevice: (app: SynthesizedApp) => boolean = perApp((app) =>
  app.stacks.some((s) => s.ofType('vault_audit').length > 0),
);

/** The audiences of the MCP servers of an app: the tokens the MCP servers receive carry one of these. */
export interface McpAudiences {
  /** Each audience, with where it was found. */
  readonly audiences: ReadonlyMap<string, string>;
  /** The MCP audiences that could not be read, each with where and why. */
  readonly unreadable: readonly string[];
}

/** Adds the audiences of an Okta authorization server to `into`. */
function addServerAudiences(
  stack: SynthesizedStack,
  server: ResourceEntry,
  into: Map<string, string>,
  unreadable: string[],
): void {
  const list = readValue(stack, server.body.audiences);
  if (!list.ok) {
    unreadable.push(`the audiences of ${server.address}: ${list.why}`);
    return;
  }
  const values = Array.isArray(list.value) ? list.value : [list.value];
  for (const raw of values) {
    const audience = readValue(stack, raw);
    if (!audience.ok) unreadable.push(`an audience of ${server.address}: ${audience.why}`);
    else if (typeof audience.value === 'string' && !into.has(audience.value)) {
      into.set(audience.value, `the audience of ${server.address}`);
    }
  }
}

/** The value of an environment variable of a container, or undefined when it does not set it. */
function envEntries(container: ContainerView, name: string): Record<string, unknown>[] {
  return blocks(container.body.env).filter((e) => e.name === name);
}

/**
 * The MCP audiences of an app: what each MCP container is told its tokens carry
 * (`MCP_OAUTH_AUDIENCE`), every audience of an Okta authorization server an MCP container trusts
 * (`MCP_OAUTH_ISSUER` or `MCP_OAUTH_AUDIENCE` read from it), and every audience of a tenant's
 * authorization server (`mcp-<t>`), which issues MCP tokens by construction.
 */
export const mcpAudiences: (app: SynthesizedApp) => McpAudiences = perApp((app) => {
  const audiences = new Map<string, string>();
  const unreadable: string[] = [];
  for (const stack of app.stacks) {
    for (const server of stack.ofType('okta_auth_server')) {
      if (namedTenant(stack, server) !== undefined) addServerAudiences(stack, server, audiences, unreadable);
    }
    for (const workload of mcpScope(stack).mcpWorkloads) {
      for (const container of workload.containers.filter(isMcpContainer)) {
        const where = `${MCP_ENV.audience} of ${container.label} in ${workload.entry.address}`;
        for (const env of envEntries(container, MCP_ENV.audience)) {
          if (env.value === undefined) {
            unreadable.push(`${where}: it is not a literal value (value_from)`);
            continue;
          }
          const resolved = stack.resolve(env.value);
          if (resolved.kind === 'literal' && typeof resolved.value === 'string') {
            if (!audiences.has(resolved.value)) audiences.set(resolved.value, where);
          } else if (resolved.kind === 'reference' && resolved.entry.type === 'okta_auth_server') {
            addServerAudiences(resolved.stack, resolved.entry, audiences, unreadable);
          } else {
            const read = readValue(stack, env.value);
            unreadable.push(`${where}: ${read.ok ? 'it is not a string' : read.why}`);
          }
        }
        for (const env of envEntries(container, MCP_ENV.issuer)) {
          const resolved = stack.resolve(env.value);
          if (resolved.kind === 'reference' && resolved.entry.type === 'okta_auth_server') {
            addServerAudiences(resolved.stack, resolved.entry, audiences, unreadable);
          }
        }
      }
    }
  }
  return { audiences, unreadable };
});
