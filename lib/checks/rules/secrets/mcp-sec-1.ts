import { namesTenantsRoot, type VaultPathScope, vaultPathScope } from '../../../core/vault-paths';
import { parseVaultPolicy, type VaultPolicyStanza } from '../../../core/vault-policy';
import { isExpression } from '../../../model/json';
import { Verdict } from '../../verdict';
import type { ResourceEntry, SynthesizedStack } from '../../../model/stack';
import type { Evaluation, Rule } from '../../rule';

/** A mount belongs to a tenant when it sits in a tenant's cell or under `tenants/`. */
function judgeMount(entry: ResourceEntry): Evaluation | undefined {
  const verdict = new Verdict(entry.address);
  const path = entry.body.path;
  if (typeof path !== 'string' || isExpression(path)) {
    if (entry.tenant === undefined) return undefined;
    return (isExpression(path) ? verdict.unknown('path') : verdict.fail('path is not set')).result();
  }
  if (entry.tenant === undefined && !namesTenantsRoot(path)) return undefined;
  const scope = vaultPathScope(path);
  const owner = entry.tenant ?? (scope.kind === 'tenant' ? scope.tenant : '<t>');
  verdict.expect(
    scope.kind === 'tenant' && scope.tenant === owner && scope.depth >= 1,
    `path '${path}' is not under tenants/${owner}/`,
  );
  return verdict.result();
}

function grantsSudo(stanza: VaultPolicyStanza): boolean {
  return stanza.capabilities.includes('sudo') || stanza.policy === 'sudo';
}

/** A stanza with the reach of its path. */
interface ScopedStanza {
  readonly stanza: VaultPolicyStanza;
  readonly scope: VaultPathScope;
}

/** The problems of one policy's stanzas, for the tenant `owner` (undefined: none can be told). */
function stanzaProblems(verdict: Verdict, stanzas: readonly ScopedStanza[], owner: string | undefined): void {
  for (const { stanza, scope } of stanzas) {
    const at = `path "${stanza.path}"`;
    if (scope.kind === 'sys') verdict.fail(`${at} is under sys/`);
    else if (scope.kind === 'escapes') verdict.fail(`${at} reaches beyond one tenant's prefix`);
    else if (scope.kind === 'outside') verdict.fail(`${at} is outside tenants/${owner ?? '<t>'}/`);
    else if (owner !== undefined && scope.tenant !== owner) verdict.fail(`${at} belongs to tenant '${scope.tenant}'`);
    if (grantsSudo(stanza)) verdict.fail(`${at} grants sudo`);
  }
}

/**
 * A policy belongs to a tenant when it sits in a tenant's cell or names a `tenants/` path; its
 * tenant is the cell's, else the one tenant its paths name.
 */
function judgePolicy(entry: ResourceEntry): Evaluation | undefined {
  const verdict = new Verdict(entry.address);
  const text = entry.body.policy;
  const mentionsTenants = typeof text === 'string' && text.includes('tenants/');
  if (entry.tenant === undefined && !mentionsTenants) return undefined;
  if (isExpression(text)) return verdict.unknown('policy').result();
  if (typeof text !== 'string') return verdict.fail('policy is not set').result();
  let stanzas: VaultPolicyStanza[];
  try {
    stanzas = parseVaultPolicy(text);
  } catch (e) {
    return verdict.fail(`policy cannot be parsed: ${(e as Error).message}`).result();
  }
  if (entry.tenant === undefined && !stanzas.some((s) => namesTenantsRoot(s.path))) return undefined;
  const scoped = stanzas.map((stanza) => ({ stanza, scope: vaultPathScope(stanza.path) }));
  const named = [...new Set(scoped.flatMap(({ scope }) => (scope.kind === 'tenant' ? [scope.tenant] : [])))];
  if (entry.tenant === undefined && named.length > 1) {
    verdict.fail(`names the paths of several tenants: ${named.join(', ')}`);
  }
  stanzaProblems(verdict, scoped, entry.tenant ?? (named.length === 1 ? named[0] : undefined));
  return verdict.result();
}

/** MCP-SEC-1: tenant mounts live under `tenants/<t>/`; a tenant's policy reaches only its own paths. */
export const MCP_SEC_1: Rule = {
  id: 'MCP-SEC-1',
  level: 'error',
  layer: 'secrets',
  cause:
    "a tenant mount is not under tenants/<t>/, or a tenant policy names another tenant's path, sys/, sudo or a wildcard beyond its tenant",
  explanation:
    "Every credential a tenant's MCP server can use must be scoped to that tenant in Vault: its mounts live under `tenants/<t>/` and its policies grant only paths under that prefix. A path of another tenant, a wildcard at or before the tenant id (`tenants/*`, `tenants/+/kv`, `tenants/acme*`, which also matches `tenants/acme-corp`), anything under `sys/` or the `sudo` capability opens a way out of the cell. The rule parses every policy that sits in a tenant's cell or names a `tenants/` path and judges each path: a policy that names two tenants, or cannot be parsed, is non-compliant. Write each tenant's policy from its own mount paths, with `*` only after `tenants/<t>/`.",
  evaluate(stack: SynthesizedStack): Evaluation[] {
    const results: Evaluation[] = [];
    for (const entry of stack.ofType('vault_mount')) {
      const evaluation = judgeMount(entry);
      if (evaluation) results.push(evaluation);
    }
    for (const entry of stack.ofType('vault_policy')) {
      const evaluation = judgePolicy(entry);
      if (evaluation) results.push(evaluation);
    }
    return results;
  },
};
