import { TENANT_CLAIM } from '../../../core/naming';
import { VAULT_GLOB_CHARS } from '../../../core/secrets-defaults';
import { stringList } from '../../../model/json';
import { Verdict } from '../../verdict';
import type { ResourceEntry, SynthesizedStack } from '../../../model/stack';
import type { Evaluation, Rule } from '../../rule';
import { judgeTokenLifetime } from './ttl';
import { referencedAddress, resolvedString } from '../../../model/vault';

/** The first DNS label of an audience URL (`https://<t>.<domain>/mcp` -> `<t>`), if it is a URL. */
function audienceLabel(audience: string): string | undefined {
  try {
    return new URL(audience).hostname.split('.')[0];
  } catch {
    return undefined;
  }
}

function judgeAudience(verdict: Verdict, stack: SynthesizedStack, entry: ResourceEntry, tenants: Set<string>): void {
  const list = stringList(entry.body.bound_audiences);
  if (list === 'expression') {
    verdict.unknown('bound_audiences');
    return;
  }
  if (list.length !== 1) {
    verdict.fail(`bound_audiences has ${list.length} entries (exactly one: the tenant's audience)`);
    return;
  }
  const audience = resolvedString(stack, list[0]);
  if (audience === 'expression' || audience === undefined) {
    verdict.unknown('bound_audiences');
    return;
  }
  verdict.expect(audience !== '' && !audience.includes('*'), `bound_audiences is '${audience}'`);
  const label = audienceLabel(audience);
  const own = tenantOf(stack, entry);
  if (label !== undefined && tenants.has(label) && own !== undefined && label !== own) {
    verdict.fail(`bound_audiences '${audience}' is tenant ${label}'s audience`);
  }
}

/** The tenant the role is for: its cell's, else the literal `tid` it binds. */
function tenantOf(stack: SynthesizedStack, entry: ResourceEntry): string | undefined {
  if (entry.tenant !== undefined) return entry.tenant;
  const claims = entry.body.bound_claims;
  const tid =
    typeof claims === 'object' && claims !== null ? (claims as Record<string, unknown>)[TENANT_CLAIM] : undefined;
  const value = resolvedString(stack, tid);
  return value === 'expression' ? undefined : value;
}

function judgeTenantClaim(verdict: Verdict, stack: SynthesizedStack, entry: ResourceEntry): void {
  const claims = entry.body.bound_claims;
  if (typeof claims === 'string') {
    verdict.unknown('bound_claims');
    return;
  }
  const raw =
    typeof claims === 'object' && claims !== null ? (claims as Record<string, unknown>)[TENANT_CLAIM] : undefined;
  const tid = resolvedString(stack, raw);
  if (tid === undefined) {
    verdict.fail(`bound_claims has no '${TENANT_CLAIM}' claim`);
    return;
  }
  if (tid === 'expression') {
    verdict.unknown(`bound_claims.${TENANT_CLAIM}`);
    return;
  }
  const glob = entry.body.bound_claims_type === 'glob' && VAULT_GLOB_CHARS.test(tid);
  verdict.expect(tid !== '' && !tid.includes(',') && !glob, `bound_claims.${TENANT_CLAIM} is '${tid}' (one tenant id)`);
  if (entry.tenant !== undefined) {
    verdict.expect(tid === entry.tenant, `bound_claims.${TENANT_CLAIM} is '${tid}', not '${entry.tenant}'`);
  }
}

/** A role's backend, when it is a JWT backend of the same stack, must pin the issuer. */
function judgeBackend(verdict: Verdict, stack: SynthesizedStack, entry: ResourceEntry): void {
  const address = referencedAddress(entry.body.backend);
  const backend = address?.startsWith('vault_jwt_auth_backend.') ? stack.find(address) : undefined;
  if (backend === undefined) return;
  const issuer = backend.body.bound_issuer;
  verdict.expect(typeof issuer === 'string' && issuer !== '', `its backend ${address} has no bound_issuer`);
}

function judgeRole(stack: SynthesizedStack, entry: ResourceEntry, tenants: Set<string>): Evaluation {
  const verdict = new Verdict(entry.address);
  judgeAudience(verdict, stack, entry, tenants);
  judgeTenantClaim(verdict, stack, entry);
  judgeBackend(verdict, stack, entry);
  judgeTokenLifetime(verdict, entry.body);
  return verdict.result();
}

/** MCP-SEC-4: a JWT role admits only tokens of one tenant's audience and `tid`, for short-lived tokens. */
export const MCP_SEC_4: Rule = {
  id: 'MCP-SEC-4',
  level: 'error',
  layer: 'secrets',
  cause:
    "a JWT auth role is not bound to one tenant audience and the tenant's tid claim, or its tokens live longer than 900 s (max 3600 s) or are periodic",
  explanation:
    "Humans log in to a tenant's Vault paths with a token from the tenant's Okta authorization server. The role must accept exactly one audience (the tenant's) and bind the `tid` claim to that one tenant id (no list, no glob), so that a token of another tenant cannot log in; its backend pins the tenant's issuer (`bound_issuer`). Vault tokens it issues live at most 900 s (`token_ttl`), 3600 s in all (`token_max_ttl`), and are never periodic (`token_period`).",
  evaluate(stack: SynthesizedStack): Evaluation[] {
    const tenants = new Set(stack.tenants);
    return stack.ofType('vault_jwt_auth_backend_role').map((entry) => judgeRole(stack, entry, tenants));
  },
};
