/**
 * The secure defaults and hard bounds, in one place: the constructs use them to build resources and
 * the rule pack uses them to judge synthesized JSON, so the two cannot drift apart.
 */

/** Lifetime of an MCP access token, in minutes (default and maximum). */
export const TOKEN_TTL_MINUTES = 15;
/** Shortest access token lifetime Okta accepts, in minutes. */
export const TOKEN_TTL_MINUTES_MIN = 5;

/** Cloudflare Access session duration, in minutes (default and maximum). */
export const ACCESS_SESSION_MINUTES = 15;

/** Admin re-authentication interval (ISO 8601), the longest allowed. */
export const ADMIN_REAUTH_ISO = 'PT15M';
/** Admin re-authentication interval, in minutes. */
export const ADMIN_REAUTH_MINUTES = 15;

/** Transit key automatic rotation period, in days (default and maximum). */
export const KEY_ROTATION_DAYS = 30;
/** Transit key automatic rotation period, in seconds (the unit Vault takes). */
export const KEY_ROTATION_SECONDS = KEY_ROTATION_DAYS * 24 * 60 * 60;

/** Vault token TTL for tenant roles, in seconds (default and maximum). */
export const VAULT_TOKEN_TTL_SECONDS = 900;
/** Vault token maximum TTL for tenant roles, in seconds (default and maximum). */
export const VAULT_TOKEN_MAX_TTL_SECONDS = 3600;

/** Audit retention, in days (default). */
export const AUDIT_RETENTION_DAYS = 365;
/** Shortest audit retention allowed, in days. */
export const AUDIT_RETENTION_DAYS_MIN = 30;

/** Local port the developer's `cloudflared access tcp` listens on. */
export const LOCAL_PORT = 7700;

/** The only addresses a tunnel origin or the MCP listener may use. */
export const LOOPBACK_HOSTS: readonly string[] = ['127.0.0.1', 'localhost', '[::1]'];
/** The address the MCP server binds inside its pod. */
export const BIND_ADDRESS = '127.0.0.1';

/** Audience of the projected service-account token the MCP server uses to log in to Vault. */
export const VAULT_TOKEN_AUDIENCE = 'vault';

/** Documented per-account Cloudflare limits (docs/transport.md, "Cloudflare limits that shape the cells"). */
export const CLOUDFLARE_LIMITS = {
  accessApplications: 500,
  reusableAccessPolicies: 500,
  tunnels: 1000,
  accessRequestsLogpushJobs: 5,
  dnsRecordsFreeZone: 200,
} as const;

/** Tenants one stack serves by default on one Cloudflare account (headroom under 500 apps). */
export const TENANTS_PER_ACCOUNT = 450;
