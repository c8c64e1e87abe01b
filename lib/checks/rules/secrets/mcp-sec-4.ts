import { TENANT_ID_PATTERN, isHttpsUrl } from '../../../core/formats';
import { TENANT_CLAIM, tenantAdminGroupName } from '../../../core/naming';
import {
  JWT_GROUPS_CLAIM,
  JWT_LEEWAY_SECONDS_MAX,
  JWT_ROLE_TYPE,
  VAULT_GLOB_CHARS,
} from '../../../core/secrets-defaults';
import { vaultPathScope } from '../../../core/vault-paths';
import { isObject } from '../../../model/json';
import { ownerTenant, tenantInName } from '../../../model/tenancy';
import { mcpAudiences, readFrom, readValue } from '../../../model/vault';
import { Verdict } from '../../verdict';
import type { ResourceEntry, SynthesizedStack } from '../../../model/stack';
import type { Evaluation, Rule } from '../../rule';
import { judgeTokenLifetime, judgeTokenPolicies, TOKEN_REQUIREMENTS } from './ttl';
import { judgeNumber, known, readString, readStringList } from './values';

/** The one bound audience: not empty, no wildcard, and not an audience an MCP server receives. */
function judgeAudience(verdict: Verdict, stack: SynthesizedStack, entry: ResourceEntry): void {
  const all = readStringList(verdict, stack, 'bound_audiences', entry.body.bound_audiences);
  if (all === null) return;
  const list = known(all);
  if (all.length !== 1) {
    verdict.fail(
      `bound_audiences has ${all.length} entries${list.length > 0 ? ` (${list.join(', ')})` : ''} (exactly one: an audience only Vault receives)`,
    );
  }
  const mcp = mcpAudiences(stack.app);
  const raw = entry.body.bound_audiences;
  all.forEach((audience, i) => {
    if (audience === null) return;
    const from = readFrom(Array.isArray(raw) ? raw[i] : raw);
    if (audience === '' || audience.includes('*')) {
      verdict.fail(`bound_audiences includes '${audience}' (one exact audience)`);
      return;
    }
    const where = mcp.audiences.get(audience);
    if (where !== undefined) {
      verdict.fail(
        `bound_audiences is '${audience}'${from}, an MCP audience (${where}): Vault would accept the token the MCP server receives`,
      );
    } else if (mcp.unreadable.length > 0) {
      verdict.undecided(
        `bound_audiences '${audience}' cannot be shown to differ from every MCP audience: ${mcp.unreadable[0]}`,
      );
    }
  });
}

/** The tenant a tenant-naming claim value names (`tid` = `<t>`, `groups` = `mcp-<t>-admins`), or undefined. */
function claimTenant(claim: string, value: string): string | undefined {
  if (claim === TENANT_CLAIM) return TENANT_ID_PATTERN.test(value) ? value : undefined;
  const tenant = tenantInName('group', value);
  return tenant !== undefined && value === tenantAdminGroupName(tenant) ? tenant : undefined;
}

/** The bound claims: at least one names the tenant, exactly, and every one that names a tenant names the same. */
function judgeClaims(verdict: Verdict, stack: SynthesizedStack, entry: ResourceEntry): string[] {
  const read = readValue(stack, entry.body.bound_claims);
  if (!read.ok) {
    verdict.undecided(`bound_claims cannot be read: ${read.why}`);
    return [];
  }
  const claims = isObject(read.value) ? read.value : {};
  const type = readString(verdict, stack, 'bound_claims_type', entry.body.bound_claims_type);
  const tenants: string[] = [];
  let named = 0;
  for (const claim of [TENANT_CLAIM, JWT_GROUPS_CLAIM]) {
    if (!(claim in claims)) continue;
    named++;
    const value = readString(verdict, stack, `bound_claims.${claim}`, claims[claim]);
    if (value === null) continue;
    const expected = claim === TENANT_CLAIM ? '<t>' : tenantAdminGroupName('<t>');
    if (value === undefined || value === '') {
      verdict.fail(`bound_claims.${claim} is empty (one value: ${expected})`);
      continue;
    }
    if (value.includes(',') || (type === 'glob' && VAULT_GLOB_CHARS.test(value))) {
      verdict.fail(`bound_claims.${claim} is '${value}' (one value, no list or glob: ${expected})`);
      continue;
    }
    const tenant = claimTenant(claim, value);
    if (tenant === undefined) verdict.fail(`bound_claims.${claim} is '${value}', which names no tenant (${expected})`);
    else tenants.push(tenant);
  }
  if (named === 0) {
    verdict.fail(
      `bound_claims has no claim that names the tenant (${TENANT_CLAIM} = <t>, or ${JWT_GROUPS_CLAIM} = ${tenantAdminGroupName('<t>')})`,
    );
  }
  return tenants;
}

/** The role's backend must be a JWT backend of the app that pins an https issuer. */
function judgeBackend(verdict: Verdict, stack: SynthesizedStack, entry: ResourceEntry): string | undefined {
  const path = readString(verdict, stack, 'backend', entry.body.backend);
  if (path === null) return undefined;
  const wanted = (path ?? 'jwt').replace(/^\/+|\/+$/g, '');
  const backends = stack.app.stacks.flatMap((s) =>
    s.ofType('vault_jwt_auth_backend').flatMap((b) => {
      const p = readValue(s, b.body.path);
      return p.ok && typeof p.value === 'string' && p.value.replace(/^\/+|\/+$/g, '') === wanted ? [{ s, b }] : [];
    }),
  );
  if (backends.length === 0) {
    verdict.undecided(`backend '${wanted}' is no vault_jwt_auth_backend of the app, so its issuer cannot be checked`);
    return undefined;
  }
  for (const { s, b } of backends) {
    const resolved = s.resolve(b.body.bound_issuer);
    if (resolved.kind === 'reference') {
      // An Okta authorization server's issuer is its https URL, known at apply.
      if (resolved.entry.type !== 'okta_auth_server' || resolved.attribute !== 'issuer') {
        verdict.undecided(
          `bound_issuer of ${b.address} is ${resolved.entry.address}.${resolved.attribute}, known only at apply`,
        );
      }
    } else if (resolved.kind === 'unknown') {
      verdict.undecided(`bound_issuer of ${b.address} cannot be read: ${resolved.why}`);
    } else if (typeof resolved.value !== 'string' || resolved.value === '') {
      verdict.fail(`its backend ${b.address} has no bound_issuer`);
    } else if (!isHttpsUrl(resolved.value)) {
      verdict.fail(`its backend ${b.address} has bound_issuer '${resolved.value}' (an https URL)`);
    }
  }
  const scope = vaultPathScope(wanted);
  return scope.kind === 'tenant' ? scope.tenant : undefined;
}

function judgeRole(stack: SynthesizedStack, entry: ResourceEntry): Evaluation {
  const verdict = new Verdict(entry.address);
  const roleType = readString(verdict, stack, 'role_type', entry.body.role_type);
  if (roleType !== null && roleType !== JWT_ROLE_TYPE) {
    verdict.fail(
      `role_type is ${roleType === undefined ? "not set (Vault's default is oidc)" : `'${roleType}'`} (it must be '${JWT_ROLE_TYPE}')`,
    );
  }
  judgeAudience(verdict, stack, entry);
  const claimed = judgeClaims(verdict, stack, entry);
  const backendTenant = judgeBackend(verdict, stack, entry);
  const own = ownerTenant(stack, entry) ?? backendTenant ?? claimed[0];
  for (const tenant of new Set([...claimed, ...(backendTenant === undefined ? [] : [backendTenant])])) {
    if (own !== undefined && tenant !== own)
      verdict.fail(`it names tenant '${tenant}', not the role's tenant '${own}'`);
  }
  for (const leeway of ['expiration_leeway', 'not_before_leeway', 'clock_skew_leeway']) {
    judgeNumber(
      verdict,
      stack,
      leeway,
      entry.body[leeway],
      (n) => n >= 0 && n <= JWT_LEEWAY_SECONDS_MAX,
      `between 0 and ${JWT_LEEWAY_SECONDS_MAX}; a negative leeway switches the check off`,
      null,
    );
  }
  judgeTokenLifetime(verdict, stack, entry);
  judgeTokenPolicies(verdict, stack, entry, own);
  return verdict.result();
}

/** MCP-SEC-4: a JWT role admits only tokens meant for Vault (never an MCP audience) of one tenant, for short-lived tokens. */
export const MCP_SEC_4: Rule = {
  id: 'MCP-SEC-4',
  level: 'error',
  layer: 'secrets',
  cause:
    "a JWT auth role accepts an MCP audience, is not bound to one audience and a claim naming its tenant, or its tokens live longer than 900 s (max 3600 s), are periodic, or carry a policy other than its tenant's",
  explanation:
    "An MCP server receives its users' access tokens; if Vault accepted the same tokens, a compromised (or merely curious) MCP server could log in to Vault as every user who called it. So a human JWT role is bound to exactly one audience that no MCP server receives: not the `MCP_OAUTH_AUDIENCE` of any MCP container of the app, and not any audience of an Okta authorization server an MCP container trusts or of a tenant's authorization server (`mcp-<t>`). Humans log in with a token from a separate authorization server dedicated to Vault (TenantVaultSecrets' `humanLogin`), and the role binds the tenant by a claim that names it: `groups` containing `mcp-<t>-admins` (a server shared by tenants) or `tid` = `<t>` (a server of that one tenant); one exact value, no list, no glob. The role type is `jwt`, its backend is a JWT backend of the app pinned to an https issuer (`bound_issuer`), the `exp`, `nbf` and clock-skew leeways stay within 150 s, and the tokens it issues live at most 900 s (3600 s in all), are never periodic, and carry only the tenant's own policies. By default the library creates no human JWT role at all.",
  requires: [
    `role_type = "${JWT_ROLE_TYPE}"`,
    'bound_audiences: exactly one literal audience, none of the MCP audiences of the app (MCP_OAUTH_AUDIENCE of every MCP container, every audience of an authorization server an MCP container trusts or named mcp-<t>)',
    `bound_claims: ${TENANT_CLAIM} = <t>, or ${JWT_GROUPS_CLAIM} = ${tenantAdminGroupName('<t>')}, one exact value of the role's own tenant (role_name mcp-<t>)`,
    'backend: a vault_jwt_auth_backend of the app with an https bound_issuer',
    `expiration_leeway, not_before_leeway, clock_skew_leeway unset or between 0 and ${JWT_LEEWAY_SECONDS_MAX}`,
    ...TOKEN_REQUIREMENTS,
  ],
  fix: 'give humans a separate audience: set humanLogin.audience (TenantVaultSecrets) to an audience of an authorization server dedicated to Vault, never identity.audience; or leave humanLogin unset for no human JWT role',
  evaluate(stack: SynthesizedStack): Evaluation[] {
    return stack.ofType('vault_jwt_auth_backend_role').map((entry) => judgeRole(stack, entry));
  },
};
