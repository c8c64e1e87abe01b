import { VAULT_GLOB_CHARS } from '../../../core/secrets-defaults';
import { namesTenantsRoot, TENANTS_ROOT, vaultPathScope } from '../../../core/vault-paths';
import {
  parseVaultPolicy,
  stanzaCapabilities,
  TENANT_POLICY_ALLOW_LIST,
  type TenantEngine,
  tenantGrantProblem,
  VAULT_CAPABILITIES,
  type VaultPolicyStanza,
} from '../../../core/vault-policy';
import { ownerTenant } from '../../../model/tenancy';
import { readFrom, readValue, vaultMounts } from '../../../model/vault';
import { Verdict } from '../../verdict';
import type { ResourceEntry, SynthesizedApp, SynthesizedStack } from '../../../model/stack';
import type { Evaluation, Rule } from '../../rule';

/** A mount belongs to a tenant when its path names `tenants/` or the stack metadata puts it in a tenant's cell. */
function judgeMount(stack: SynthesizedStack, entry: ResourceEntry): Evaluation | undefined {
  const verdict = new Verdict(entry.address);
  const read = readValue(stack, entry.body.path);
  const hint = entry.tenant;
  if (!read.ok) {
    if (hint === undefined) return undefined;
    return verdict.undecided(`path cannot be read: ${read.why}`).result();
  }
  const path = read.value;
  if (typeof path !== 'string' || path === '') {
    return hint === undefined ? undefined : verdict.fail('path is not set').result();
  }
  if (hint === undefined && !namesTenantsRoot(path)) return undefined;
  const scope = vaultPathScope(path);
  const owner = hint ?? (scope.kind === 'tenant' ? scope.tenant : '<t>');
  verdict.expect(
    scope.kind === 'tenant' && scope.tenant === owner && scope.depth >= 1,
    `path '${path}'${readFrom(entry.body.path)} is not under ${TENANTS_ROOT}/${owner}/`,
  );
  return verdict.result();
}

/** True when a policy path can match something under `tenants/`: it names the root, or globs its first segment. */
function reachesTenants(path: string): boolean {
  const first = path.replace(/^\/+/, '').split('/')[0];
  if (first === TENANTS_ROOT) return true;
  if (!VAULT_GLOB_CHARS.test(first)) return false;
  if (first.startsWith('+')) return true;
  const literalPrefix = first.split(/[*+?]/)[0];
  return TENANTS_ROOT.startsWith(literalPrefix);
}

/** The tenant mounts of the app: literal path -> engine, per tenant; `unreadable` when some path cannot be read. */
interface TenantMounts {
  readonly byTenant: ReadonlyMap<string, readonly { path: string; engine?: string }[]>;
  readonly unreadable: boolean;
}

const tenantMountsOfApp = new WeakMap<SynthesizedApp, TenantMounts>();

/** The tenant mounts of the stack's app (computed once per app: a fleet's cell stacks share them). */
function tenantMounts(stack: SynthesizedStack): TenantMounts {
  const known = tenantMountsOfApp.get(stack.app);
  if (known) return known;
  const byTenant = new Map<string, { path: string; engine?: string }[]>();
  let unreadable = false;
  for (const mount of vaultMounts(stack.app)) {
    if (mount.path === undefined) {
      unreadable = true;
      continue;
    }
    const scope = vaultPathScope(mount.path);
    if (scope.kind !== 'tenant') continue;
    byTenant.set(scope.tenant, [...(byTenant.get(scope.tenant) ?? []), { path: mount.path, engine: mount.engine }]);
  }
  const mounts = { byTenant, unreadable };
  tenantMountsOfApp.set(stack.app, mounts);
  return mounts;
}

/**
 * The problem of one stanza of tenant `owner`'s policy (undefined: a policy of several tenants, each
 * stanza judged for the tenant it names), or undefined when it is on the allow-list.
 */
function stanzaProblem(stanza: VaultPolicyStanza, owner: string | undefined, mounts: TenantMounts): string | undefined {
  const at = `path "${stanza.path}"`;
  const capabilities = stanzaCapabilities(stanza);
  const unknown = capabilities.filter((c) => !VAULT_CAPABILITIES.includes(c));
  if (unknown.length > 0) return `${at} grants unknown capabilities ${unknown.join(', ')}`;
  if (capabilities.includes('sudo')) return `${at} grants sudo`;
  const scope = vaultPathScope(stanza.path);
  if (scope.kind === 'sys') return `${at} is under sys/`;
  if (scope.kind === 'escapes') return `${at} reaches beyond one tenant's prefix`;
  if (scope.kind === 'outside') return `${at} is outside ${TENANTS_ROOT}/${owner ?? '<t>'}/`;
  if (owner !== undefined && scope.tenant !== owner) return `${at} belongs to tenant '${scope.tenant}'`;
  const tenant = scope.tenant;
  const path = stanza.path.replace(/^\/+/, '');
  const mount = (mounts.byTenant.get(tenant) ?? [])
    .filter((m) => path.startsWith(`${m.path}/`))
    .sort((a, b) => b.path.length - a.path.length)[0];
  if (mount === undefined) {
    return mounts.unreadable
      ? undefined
      : `${at} is under no kv-v2 or transit mount of tenant '${tenant}' that the app declares`;
  }
  if (mount.engine !== 'kv-v2' && mount.engine !== 'transit') {
    return `${at} is under mount '${mount.path}' of type ${mount.engine ?? 'that cannot be read'} (tenant policies reach kv-v2 and transit mounts only)`;
  }
  const problem = tenantGrantProblem(mount.engine as TenantEngine, path.slice(mount.path.length + 1), capabilities);
  return problem === undefined ? undefined : `${at}: ${problem}`;
}

/**
 * A policy belongs to a tenant when its name (`mcp-<t>-server`) or its stack metadata says so, or when
 * one of its paths can reach `tenants/`; its tenant is the named one, else the one tenant its paths name.
 * A policy whose text cannot be read is undecided, whoever owns it: its paths may reach `tenants/`.
 */
function judgePolicy(stack: SynthesizedStack, entry: ResourceEntry, mounts: TenantMounts): Evaluation | undefined {
  const verdict = new Verdict(entry.address);
  const owner = ownerTenant(stack, entry);
  const read = readValue(stack, entry.body.policy);
  if (!read.ok) return verdict.undecided(`policy cannot be read: ${read.why}`).result();
  const text = read.value;
  if (typeof text !== 'string') {
    return owner === undefined ? undefined : verdict.fail('policy is not set').result();
  }
  let stanzas: VaultPolicyStanza[];
  try {
    stanzas = parseVaultPolicy(text);
  } catch (e) {
    if (owner === undefined && !text.includes(`${TENANTS_ROOT}/`)) return undefined;
    return verdict.fail(`policy cannot be parsed: ${(e as Error).message}`).result();
  }
  if (owner === undefined && !stanzas.some((s) => reachesTenants(s.path))) return undefined;
  const named = [
    ...new Set(
      stanzas.flatMap((s) => {
        const scope = vaultPathScope(s.path);
        return scope.kind === 'tenant' ? [scope.tenant] : [];
      }),
    ),
  ];
  if (owner === undefined && named.length > 1) verdict.fail(`names the paths of several tenants: ${named.join(', ')}`);
  const tenant = owner ?? (named.length === 1 ? named[0] : undefined);
  if (stanzas.length === 0) verdict.fail('policy has no path');
  for (const stanza of stanzas) {
    const problem = stanzaProblem(stanza, tenant, mounts);
    if (problem) verdict.fail(problem);
  }
  if (mounts.unreadable && verdict.result().status === 'compliant') {
    const unplaced = stanzas.filter(
      (s) =>
        !(mounts.byTenant.get(tenant ?? '') ?? []).some((m) => s.path.replace(/^\/+/, '').startsWith(`${m.path}/`)),
    );
    if (unplaced.length > 0) {
      verdict.undecided(
        `path "${unplaced[0].path}" is under no tenant mount the rule can read (a vault_mount path is an expression)`,
      );
    }
  }
  return verdict.result();
}

const grants = TENANT_POLICY_ALLOW_LIST.map(
  (g) => `\`<${g.engine} mount>/${g.pattern}\`: ${g.capabilities.join(', ')}`,
).join('; ');

/** MCP-SEC-1: tenant mounts live under `tenants/<t>/`; a tenant's policy grants only the allow-listed paths. */
export const MCP_SEC_1: Rule = {
  id: 'MCP-SEC-1',
  level: 'error',
  layer: 'secrets',
  cause:
    "a tenant mount is not under tenants/<t>/, or a tenant policy grants a path or capability outside its tenant's allow-list",
  explanation:
    "Every credential a tenant's MCP server can use must be scoped to that tenant in Vault: its mounts live under `tenants/<t>/`, and its policies grant only the paths and capabilities the library's own policies use, inside that tenant's kv-v2 and transit mounts. Everything else is refused: another tenant's path; a wildcard at or before the tenant id (`tenants/*`, `tenants/+/kv`, `tenants/acme*`, which also matches `tenants/acme-corp`); anything under `sys/`; `sudo`; KV `destroy`, `delete`, `undelete` and `delete` on metadata (a destroyed version is gone); transit `keys/<key>/config` (it can make a key exportable or deletable), `export`, `backup`, `datakey` and `create` on `encrypt` (it creates keys); and any other engine. The rule reads every policy whose name (`mcp-<t>-server`, `mcp-<t>-humans`) or stack metadata gives it a tenant, or whose paths can reach `tenants/` (a glob in the first segment counts); a policy that names two tenants, has no path, or cannot be parsed is non-compliant. Mounts are looked up across the app, following references; a policy read from an expression the rule cannot follow is an error.",
  requires: [
    'every tenant mount (a vault_mount whose path names tenants/ or that sits in a tenant cell) at a literal path under tenants/<t>/ of its own tenant',
    'every policy of tenant <t> names only paths inside a kv-v2 or transit mount of tenant <t> that the app declares',
    `and grants on them only (deny is always allowed): ${grants}`,
    'no policy names the paths of two tenants; none grants sudo or names sys/',
  ],
  fix: "keep tenant mounts at TenantVaultSecrets' mountPrefix (tenants/<t> or a path under it) and tenant policies to the library's own shapes (TenantVaultSecrets' server and human policies); remove every grant beyond them",
  evaluate(stack: SynthesizedStack): Evaluation[] {
    const results: Evaluation[] = [];
    for (const entry of stack.ofType('vault_mount')) {
      const evaluation = judgeMount(stack, entry);
      if (evaluation) results.push(evaluation);
    }
    const policies = stack.ofType('vault_policy');
    if (policies.length === 0) return results;
    const mounts = tenantMounts(stack);
    for (const entry of policies) {
      const evaluation = judgePolicy(stack, entry, mounts);
      if (evaluation) results.push(evaluation);
    }
    return results;
  },
};
