/** The token checks shared by the Vault role rules (MCP-SEC-2, MCP-SEC-4): lifetime and policies. */
import { VAULT_TOKEN_MAX_TTL_SECONDS, VAULT_TOKEN_TTL_SECONDS } from '../../../core/defaults';
import { vaultPoliciesByName } from '../../../model/vault';
import type { ResourceEntry, SynthesizedStack } from '../../../model/stack';
import type { Verdict } from '../../verdict';
import { judgeBoolean, judgeNumber, known, readStringList } from './values';

/** What the role rules require of the tokens a role issues, for RULES.md. */
export const TOKEN_REQUIREMENTS: readonly string[] = [
  `token_ttl set, between 1 and ${VAULT_TOKEN_TTL_SECONDS} seconds`,
  `token_max_ttl set, between 1 and ${VAULT_TOKEN_MAX_TTL_SECONDS} seconds`,
  'token_period unset or 0 (a periodic token never expires while it is renewed)',
  'token_no_default_policy = true (the default policy reaches sys/ and the token store)',
  "token_policies: one or more policies the app declares, each of the role's own tenant",
];

/** `token_ttl` in 1..900, `token_max_ttl` in 1..3600, no `token_period`, read through references. */
export function judgeTokenLifetime(verdict: Verdict, stack: SynthesizedStack, entry: ResourceEntry): void {
  const body = entry.body;
  judgeNumber(
    verdict,
    stack,
    'token_ttl',
    body.token_ttl,
    (n) => n >= 1 && n <= VAULT_TOKEN_TTL_SECONDS,
    `between 1 and ${VAULT_TOKEN_TTL_SECONDS}`,
    `token_ttl is not set (Vault's default is 32 days; at most ${VAULT_TOKEN_TTL_SECONDS})`,
  );
  judgeNumber(
    verdict,
    stack,
    'token_max_ttl',
    body.token_max_ttl,
    (n) => n >= 1 && n <= VAULT_TOKEN_MAX_TTL_SECONDS,
    `between 1 and ${VAULT_TOKEN_MAX_TTL_SECONDS}`,
    `token_max_ttl is not set (Vault's default is 32 days; at most ${VAULT_TOKEN_MAX_TTL_SECONDS})`,
  );
  judgeNumber(
    verdict,
    stack,
    'token_period',
    body.token_period,
    (n) => n === 0,
    'a periodic token never expires while it is renewed',
    null,
  );
}

/**
 * The policies a role's tokens carry: no default policy, and only policies the app declares that
 * belong to the role's tenant (`tenant`; undefined: the role names no tenant, so no policy of a
 * tenant is its own).
 */
export function judgeTokenPolicies(
  verdict: Verdict,
  stack: SynthesizedStack,
  entry: ResourceEntry,
  tenant: string | undefined,
): void {
  judgeBoolean(
    verdict,
    stack,
    'token_no_default_policy',
    entry.body.token_no_default_policy,
    true,
    "Vault's default policy reaches sys/ and the token store",
    false,
  );
  const names = readStringList(verdict, stack, 'token_policies', entry.body.token_policies);
  const legacy = readStringList(verdict, stack, 'policies', entry.body.policies);
  if (names === null || legacy === null) return;
  if (names.length + legacy.length === 0) {
    verdict.fail('token_policies is empty (the tenant policy must be named)');
    return;
  }
  const declared = vaultPoliciesByName(stack.app);
  for (const name of [...known(names), ...known(legacy)]) {
    const views = declared.get(name);
    if (!views || views.length === 0) {
      verdict.fail(`token_policies names '${name}', which no stack of the app declares as a vault_policy`);
    } else if (tenant === undefined) {
      verdict.fail(`token_policies names '${name}', but the role names no tenant (role_name mcp-<t>)`);
    } else {
      const foreign = views.filter((v) => v.tenant !== tenant);
      if (foreign.length > 0) {
        const owner = foreign[0].tenant === undefined ? 'no tenant' : `tenant '${foreign[0].tenant}'`;
        verdict.fail(`token_policies names '${name}', a policy of ${owner}, not of tenant '${tenant}'`);
      }
    }
  }
}
