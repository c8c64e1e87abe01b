/**
 * The secrets layer's constants and names (Vault mounts, keys, policies, auth roles), used by both
 * the constructs and the MCP-SEC rules, so the two cannot drift apart.
 */
import { KEY_ROTATION_DAYS, VAULT_TOKEN_MAX_TTL_SECONDS, VAULT_TOKEN_TTL_SECONDS } from './defaults';
import { TENANT_CLAIM, tenantAdminGroupName, tenantVaultPrefix, tenantVaultRoleName } from './naming';

/** Shortest Vault token TTL a tenant role may set, in seconds (a login per minute at most). */
export const VAULT_TOKEN_TTL_SECONDS_MIN = 60;

/** Shortest transit key rotation period, in days (0 would switch automatic rotation off). */
export const KEY_ROTATION_DAYS_MIN = 1;

/** Seconds in a day, to turn `keyRotationDays` into Vault's `auto_rotate_period`. */
export const SECONDS_PER_DAY = 24 * 60 * 60;

/** Transit rotation period in seconds for a number of days. */
export function keyRotationSeconds(days: number = KEY_ROTATION_DAYS): number {
  return days * SECONDS_PER_DAY;
}

/** Versions KV v2 keeps of each secret (Vault's own default, written explicitly). */
export const KV_MAX_VERSIONS = 10;
/** Most versions a tenant KV mount may keep: old versions keep replaced credentials readable. */
export const KV_MAX_VERSIONS_MAX = 100;

/** Name of each tenant's transit key (it lives in the tenant's own transit mount). */
export const TRANSIT_KEY_NAME = 'mcp';
/** Type of the tenant transit key: AES-256-GCM, Vault's default, written explicitly. */
export const TRANSIT_KEY_TYPE = 'aes256-gcm96';

/** Path of the shared Kubernetes auth backend when the library creates it. */
export const KUBERNETES_AUTH_PATH = 'kubernetes';

/** Vault token type of tenant roles: service tokens can be revoked one by one after an incident. */
export const VAULT_TOKEN_TYPE = 'service';

/** Tune of every auth backend the library creates: leases default to 15 min and never outlive 1 h. */
export const AUTH_BACKEND_TUNE = {
  defaultLeaseTtl: `${VAULT_TOKEN_TTL_SECONDS}s`,
  maxLeaseTtl: `${VAULT_TOKEN_MAX_TTL_SECONDS}s`,
} as const;

/** Claim that identifies a human in Vault's JWT login (the Okta user id). */
export const JWT_USER_CLAIM = 'sub';
/** Claim that lists a user's Okta groups (the groups claim an authorization server emits). */
export const JWT_GROUPS_CLAIM = 'groups';
/** Signing algorithms Vault accepts from the humans' Okta authorization server. */
export const JWT_SUPPORTED_ALGS: readonly string[] = ['RS256'];
/** The only JWT role type the library makes: a token in hand is exchanged, no browser flow in Vault. */
export const JWT_ROLE_TYPE = 'jwt';
/**
 * Longest leeway, in seconds, a JWT role may allow on `exp`, `nbf` and clock skew (Vault's own
 * default for `exp` and `nbf`); 0 means Vault's default, a negative value switches the check off.
 */
export const JWT_LEEWAY_SECONDS_MAX = 150;

/**
 * How a human JWT role binds the tenant, by a claim that names it:
 * - `groups`: the token's `groups` claim contains `mcp-<t>-admins` (an authorization server
 *   dedicated to Vault and shared by tenants, which emits the groups claim);
 * - `tid`: the token's `tid` claim is `<t>` (an authorization server dedicated to Vault and to that
 *   one tenant, which only the tenant's admins may use).
 */
export type HumanLoginTenantClaim = 'groups' | 'tid';
/** The tenant claim a human login binds when none is chosen. */
export const HUMAN_LOGIN_TENANT_CLAIM: HumanLoginTenantClaim = 'groups';
/** The claims that may name a tenant in a human JWT role, and what they must hold for tenant `t`. */
export const TENANT_NAMING_CLAIMS: Readonly<Record<HumanLoginTenantClaim, (tenantId: string) => string>> = {
  groups: tenantAdminGroupName,
  tid: (tenantId) => tenantId,
};

/** The claim a human's token must carry to log in to a tenant's Vault role: one that names the tenant. */
export function tenantHumanBoundClaims(
  tenantId: string,
  claim: HumanLoginTenantClaim = HUMAN_LOGIN_TENANT_CLAIM,
): Record<string, string> {
  return { [claim === 'tid' ? TENANT_CLAIM : JWT_GROUPS_CLAIM]: TENANT_NAMING_CLAIMS[claim](tenantId) };
}

/** Path of the library's Vault audit device when it creates one. */
export const VAULT_AUDIT_PATH = 'mcp-audit';
/** Where the default file audit device writes: the Vault pod's log stream. */
export const VAULT_AUDIT_FILE_PATH = 'stdout';
/** File mode of a file audit log: owner only. */
export const VAULT_AUDIT_FILE_MODE = '0600';
/** The audit device types Vault has (no others exist; plugins are not audit devices). */
export const VAULT_AUDIT_DEVICE_TYPES: readonly string[] = ['file', 'socket', 'syslog'];
/** A `file` device's `file_path` that logs nothing. */
export const VAULT_AUDIT_DISCARD = 'discard';

/** Vault policy of a tenant's MCP server. */
export function tenantServerPolicyName(tenantId: string): string {
  return `${tenantVaultRoleName(tenantId)}-server`;
}

/** Vault policy of a tenant's humans (its Okta admins). */
export function tenantHumanPolicyName(tenantId: string): string {
  return `${tenantVaultRoleName(tenantId)}-humans`;
}

/** Path of a tenant's JWT auth backend, under the tenant's own prefix: `auth/tenants/<t>/jwt`. */
export function tenantJwtAuthPath(tenantId: string): string {
  return `${tenantVaultPrefix(tenantId)}/jwt`;
}

/** A mount, auth or audit path: segments of letters, digits, `.`, `_` or `-`; no wildcard, no `/` at either end. */
export const VAULT_PATH_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*(?:\/[A-Za-z0-9][A-Za-z0-9._-]*)*$/;
/** {@link VAULT_PATH_PATTERN} in words, for validation messages. */
export const VAULT_PATH_RANGE = "segments of letters, digits, '.', '_' or '-', no wildcard, no leading or trailing '/'";

/** Characters that make a Vault policy path, role binding or bound claim a pattern. */
export const VAULT_GLOB_CHARS = /[*+?]/;
