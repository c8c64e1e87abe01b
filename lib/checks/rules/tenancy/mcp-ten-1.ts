import { TENANT_ID_SOURCE } from '../../../core/formats';
import { TENANT_CLAIM } from '../../../core/naming';
import { MCP_ENV } from '../../../core/ports-defaults';
import { blocks, isObject } from '../../../model/json';
import { containersOfPod, podSpecOf } from '../../../model/pods';
import type { ResourceEntry, SynthesizedApp, SynthesizedStack } from '../../../model/stack';
import { namedTenant, ownerTenant, tenantInName } from '../../../model/tenancy';
import { compliant, type Evaluation, type Rule } from '../../rule';
import { Verdict } from '../../verdict';

const T = TENANT_ID_SOURCE;
const VAULT_PATH = new RegExp(`(?:^|[^a-z0-9-])tenants/(${T})(?=/|$)`, 'g');
const INTERPOLATION = /\$\{([^}]*)\}/g;
const REMOTE_OUTPUT =
  /data\.terraform_remote_state\.[A-Za-z0-9_-]+\.outputs\.[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+|\[\d+\])*/g;
const ADDRESS = /(?<![\w.])(data\.)?([a-z][a-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_-]*)/g;
/** A hostname or URL whose first DNS label may be a tenant id (`acme.mcp.example.com`, `https://acme.../mcp`). */
const HOST = /^(?:[a-z]+:\/\/)?([a-z0-9-]+)\.[a-z0-9.-]+(?::\d+)?(?:\/|$)/;
/** Attributes that hold tenant hostnames or audiences. */
const HOST_KEYS = new Set(['audiences', 'uri', 'hostname', 'bound_audiences', 'domain', 'self_hosted_domains']);

/** Most literals name no tenant: they share this one empty answer instead of allocating their own. */
const NO_TENANTS: readonly string[] = Object.freeze([]);

/** The tenants a literal names, read by the attribute that holds it. */
export function tenantsInLiteral(text: string, key: string, known: ReadonlySet<string>): readonly string[] {
  const inVaultPath = text.includes('tenants/');
  const byName = text.startsWith('mcp') || HOST_KEYS.has(key);
  if (!inVaultPath && !byName) return NO_TENANTS;
  const named: string[] = [];
  if (inVaultPath) for (const m of text.matchAll(VAULT_PATH)) named.push(m[1]);
  if (!byName) return named;
  const add = (tenant: string | undefined) => tenant !== undefined && named.push(tenant);
  if (key.endsWith('namespace') || key.endsWith('namespaces')) add(tenantInName('namespace', text));
  add(tenantInName('scope', text));
  add(tenantInName('bucket', text));
  add(tenantInName('writerToken', text));
  if (key === 'name' || key === 'bucket_name' || key === 'bucket') add(tenantInName('group', text));
  if (key === 'role_name' || key === 'role') add(tenantInName('vaultRole', text) ?? tenantInName('vaultPolicy', text));
  // A policy list names policies first: `mcp-<t>-server` is tenant t's server policy, which the role
  // pattern `mcp-<t>` would misread as a tenant named `<t>-server` that the app does not know.
  if (key === 'token_policies' || key === 'policies') {
    add(tenantInName('vaultPolicy', text) ?? tenantInName('vaultRole', text));
  }
  if (HOST_KEYS.has(key)) {
    const label = HOST.exec(text)?.[1];
    if (label !== undefined && known.has(label)) named.push(label);
  }
  return named;
}

/** The tenants a value's environment names: MCP_TENANT_ID, VAULT_ROLE and MCP_OAUTH_AUDIENCE of any container. */
function tenantsInEnvironment(
  stack: SynthesizedStack,
  entry: ResourceEntry,
  known: ReadonlySet<string>,
): [string, string][] {
  const pod = podSpecOf(entry.type, entry.body);
  if (!pod) return [];
  const named: [string, string][] = [];
  for (const c of containersOfPod(pod)) {
    for (const env of blocks(c.body.env)) {
      const resolved = stack.resolve(env.value);
      if (resolved.kind !== 'literal' || typeof resolved.value !== 'string') continue;
      const value = resolved.value;
      const where = `${c.label} env ${String(env.name)}`;
      if (env.name === MCP_ENV.tenantId && known.has(value)) named.push([where, value]);
      if (env.name === MCP_ENV.vaultRole) {
        const t = tenantInName('vaultRole', value);
        if (t !== undefined) named.push([where, t]);
      }
      if (env.name === MCP_ENV.audience) {
        const label = HOST.exec(value)?.[1];
        if (label !== undefined && known.has(label)) named.push([where, label]);
      }
    }
  }
  return named;
}

/** The tenant a `tid` claim or bound claim carries: an Okta string literal `"acme"`, or a plain id. */
function tidValue(entry: ResourceEntry): string | undefined {
  if (entry.type === 'okta_auth_server_claim' && entry.body.name === TENANT_CLAIM) {
    const m = /^"([^"]*)"$/.exec(String(entry.body.value ?? ''));
    return m ? m[1] : undefined;
  }
  if (entry.type === 'vault_jwt_auth_backend_role' && isObject(entry.body.bound_claims)) {
    const tid = entry.body.bound_claims[TENANT_CLAIM];
    return typeof tid === 'string' ? tid : undefined;
  }
  return undefined;
}

/** The owners of the resources a string references (followed across stacks through remote state), memoized per stack. */
const OWNERS = new WeakMap<SynthesizedStack, Map<string, readonly [string, string][]>>();

export function referencedOwners(stack: SynthesizedStack, text: string): readonly [string, string][] {
  let byText = OWNERS.get(stack);
  if (!byText) OWNERS.set(stack, (byText = new Map()));
  let owners = byText.get(text);
  if (!owners) byText.set(text, (owners = findReferencedOwners(stack, text)));
  return owners;
}

function findReferencedOwners(stack: SynthesizedStack, text: string): [string, string][] {
  const owners: [string, string][] = [];
  for (const m of text.matchAll(INTERPOLATION)) {
    const inner = m[1];
    for (const remote of inner.match(REMOTE_OUTPUT) ?? []) {
      const resolved = stack.resolve(`\${${remote}}`);
      if (resolved.kind === 'reference') {
        const owner = ownerTenant(resolved.stack, resolved.entry);
        if (owner !== undefined) owners.push([`${resolved.entry.address} (stack ${resolved.stack.name})`, owner]);
      } else if (resolved.kind === 'literal' && typeof resolved.value === 'string') {
        for (const t of tenantsInLiteral(resolved.value, 'name', new Set())) owners.push([remote, t]);
      }
    }
    for (const a of inner.matchAll(ADDRESS)) {
      const address = a[1] ? `data.${a[2]}.${a[3]}` : `${a[2]}.${a[3]}`;
      if (address.startsWith('data.terraform_remote_state.')) continue;
      const target = stack.find(address);
      const owner = target ? ownerTenant(stack, target) : undefined;
      if (owner !== undefined) owners.push([address, owner]);
    }
  }
  return owners;
}

const APP_TENANTS = new WeakMap<SynthesizedApp, Set<string>>();

/** Every tenant the app's resources name or its metadata records (computed once per app). */
function appTenants(stack: SynthesizedStack): Set<string> {
  const cached = APP_TENANTS.get(stack.app);
  if (cached) return cached;
  const tenants = new Set<string>();
  APP_TENANTS.set(stack.app, tenants);
  for (const member of stack.app.stacks) {
    for (const t of member.tenants) tenants.add(t);
    for (const entry of member.all()) {
      const named = namedTenant(member, entry);
      if (named !== undefined) tenants.add(named);
    }
  }
  return tenants;
}

/** Literal group ids each tenant's auth server policy rules whitelist, across the app. */
const GROUP_IDS = new WeakMap<SynthesizedApp, Map<string, Set<string>>>();

function groupIdsByTenant(stack: SynthesizedStack): Map<string, Set<string>> {
  const cached = GROUP_IDS.get(stack.app);
  if (cached) return cached;
  const byId = new Map<string, Set<string>>();
  GROUP_IDS.set(stack.app, byId);
  for (const member of stack.app.stacks) {
    for (const rule of member.ofType('okta_auth_server_policy_rule')) {
      const server = member.resolve(rule.body.auth_server_id);
      const owner = server.kind === 'reference' ? namedTenant(server.stack, server.entry) : ownerTenant(member, rule);
      if (owner === undefined) continue;
      for (const id of Array.isArray(rule.body.group_whitelist) ? rule.body.group_whitelist : []) {
        const resolved = member.resolve(id);
        const key =
          resolved.kind === 'literal' && typeof resolved.value === 'string'
            ? resolved.value
            : resolved.kind === 'reference' && resolved.entry.mode === 'data'
              ? String(member.resolve(resolved.entry.body.id).kind === 'literal' ? resolved.entry.body.id : '')
              : '';
        if (key === '' || key.includes('${')) continue;
        const owners = byId.get(key) ?? new Set<string>();
        owners.add(owner);
        byId.set(key, owners);
      }
    }
  }
  return byId;
}

/** MCP-TEN-1: a tenant's resources never reach into another tenant's cell. */
export const MCP_TEN_1: Rule = {
  id: 'MCP-TEN-1',
  level: 'error',
  layer: 'tenancy',
  cause: "a resource of one tenant references or names another tenant's resources",
  explanation:
    "Each tenant is a cell: its auth server, groups, tunnel, namespace, Vault paths and roles, audit bucket and local URL serve that tenant alone. A reference from one tenant's resource to another tenant's resource (followed across stacks of the app), or a tenant-bearing value that names another tenant — a Vault path `tenants/<t>/...`, a namespace `mcp-<t>`, a group `mcp-<t>-users`, a scope `mcp:<t>:use`, a bucket `mcp-audit-<t>`, a Vault role or policy `mcp-<t>`, a `tid` claim, a hostname or audience `<t>.<domain>`, the MCP container's `MCP_TENANT_ID`, `VAULT_ROLE` or `MCP_OAUTH_AUDIENCE` — opens a path across the tenant boundary, the worst incident this library guards against. Two tenants may not share an existing Okta group id or a local MCP URL (an MCP client keys tokens by that URL). A resource's tenant is the one it names by its own name, else its recorded cell.",
  requires: [
    "every reference of a tenant's resource points at a resource of the same tenant or a shared one",
    "every tenant-bearing value of a tenant's resource (Vault path, namespace, group, scope, bucket, Vault role or policy, tid, hostname or audience, MCP_TENANT_ID, VAULT_ROLE, MCP_OAUTH_AUDIENCE) names that tenant",
    'each existing Okta group id is whitelisted by one tenant only',
    "each tenant's MCP_RESOURCE_URL (its local port) is its own",
  ],
  fix: "build each tenant's resources from its own cell's references; give tenants distinct existingGroups and tenants[].localPort",
  evaluate(stack: SynthesizedStack): Evaluation[] {
    const known = appTenants(stack);
    const owned = stack.all().filter((e) => ownerTenant(stack, e) !== undefined);
    // A lone tenant in the whole app has no other tenant to reach.
    if (known.size <= 1) return owned.map((e) => compliant(e.address));
    const groupOwners = groupIdsByTenant(stack);
    const urlOwners = resourceUrlOwners(stack);
    return owned.map((entry) => {
      const own = ownerTenant(stack, entry) as string;
      const verdict = new Verdict(entry.address);
      const other = (t: string) => t !== own && known.has(t);
      const { texts, keys, pathOf } = stack.strings(entry);
      for (let i = 0; i < texts.length; i++) {
        const text = texts[i];
        if (text.includes('${')) {
          for (const [what, owner] of referencedOwners(stack, text)) {
            if (other(owner)) verdict.fail(`${pathOf(i)} references ${what} of tenant '${owner}'`);
          }
        } else {
          for (const t of tenantsInLiteral(text, keys[i], known)) {
            if (other(t)) verdict.fail(`${pathOf(i)} '${text}' names tenant '${t}'`);
          }
        }
      }
      const tid = tidValue(entry);
      if (tid !== undefined && tid !== own) verdict.fail(`its ${TENANT_CLAIM} is '${tid}', not '${own}'`);
      for (const [where, t] of tenantsInEnvironment(stack, entry, known)) {
        if (other(t)) verdict.fail(`${where} names tenant '${t}'`);
      }
      if (entry.type === 'okta_auth_server_policy_rule') {
        for (const [id, owners] of groupOwners) {
          const ids = Array.isArray(entry.body.group_whitelist) ? entry.body.group_whitelist.map(String) : [];
          if (owners.size > 1 && ids.includes(id)) {
            verdict.fail(`group id '${id}' is whitelisted by tenants ${[...owners].sort().join(', ')}`);
          }
        }
      }
      const url = urlOwners.byEntry.get(entry);
      if (url !== undefined) {
        const sharers = [...(urlOwners.byUrl.get(url) ?? [])].filter((t) => t !== own);
        if (sharers.length > 0)
          verdict.fail(`its ${MCP_ENV.resourceUrl} '${url}' is also tenant ${sharers.join(', ')}'s`);
      }
      return verdict.result();
    });
  },
};

const URL_OWNERS = new WeakMap<
  SynthesizedApp,
  { byEntry: Map<ResourceEntry, string>; byUrl: Map<string, Set<string>> }
>();

/** Each MCP container's resource URL (its local port), by deployment, and who uses each URL (once per app). */
function resourceUrlOwners(stack: SynthesizedStack): {
  byEntry: Map<ResourceEntry, string>;
  byUrl: Map<string, Set<string>>;
} {
  const cached = URL_OWNERS.get(stack.app);
  if (cached) return cached;
  const byEntry = new Map<ResourceEntry, string>();
  const byUrl = new Map<string, Set<string>>();
  URL_OWNERS.set(stack.app, { byEntry, byUrl });
  for (const member of stack.app.stacks) {
    for (const entry of member.all()) {
      const pod = podSpecOf(entry.type, entry.body);
      if (!pod) continue;
      const owner = ownerTenant(member, entry);
      for (const c of containersOfPod(pod)) {
        for (const env of blocks(c.body.env)) {
          if (env.name !== MCP_ENV.resourceUrl) continue;
          const resolved = member.resolve(env.value);
          if (resolved.kind !== 'literal' || typeof resolved.value !== 'string' || owner === undefined) continue;
          byEntry.set(entry, resolved.value);
          const owners = byUrl.get(resolved.value) ?? new Set<string>();
          owners.add(owner);
          byUrl.set(resolved.value, owners);
        }
      }
    }
  }
  return { byEntry, byUrl };
}
