/** Names derived from a tenant id. They appear in resources and in rules: change them here only. */

/** Kubernetes namespace of a tenant's MCP server. */
export function tenantNamespaceName(tenantId: string): string {
  return `mcp-${tenantId}`;
}

/** Kubernetes service account the MCP server runs as (the Vault role binds exactly this). */
export const MCP_SERVICE_ACCOUNT_NAME = 'mcp-server';

/** Public hostname of a tenant's MCP endpoint. */
export function tenantHostname(tenantId: string, domain: string): string {
  return `${tenantId}.${domain}`;
}

/** Canonical MCP resource URI of a tenant: the audience of its tokens. */
export function tenantAudience(tenantId: string, domain: string): string {
  return `https://${tenantHostname(tenantId, domain)}/mcp`;
}

/** The URL an MCP client uses on the developer's laptop, through `cloudflared access tcp`. */
export function localMcpUrl(localPort: number | string): string {
  return `http://127.0.0.1:${localPort}/mcp`;
}

/** Prefix of every Vault path that belongs to a tenant. */
export function tenantVaultPrefix(tenantId: string): string {
  return `tenants/${tenantId}`;
}

/** Vault KV v2 mount path of a tenant. */
export function tenantKvPath(tenantId: string): string {
  return `${tenantVaultPrefix(tenantId)}/kv`;
}

/** Vault transit mount path of a tenant. */
export function tenantTransitPath(tenantId: string): string {
  return `${tenantVaultPrefix(tenantId)}/transit`;
}

/** Vault auth role name of a tenant (Kubernetes and JWT). */
export function tenantVaultRoleName(tenantId: string): string {
  return `mcp-${tenantId}`;
}

/** Okta OAuth scope for using a tenant's MCP server. */
export function tenantUseScope(tenantId: string): string {
  return `mcp:${tenantId}:use`;
}

/** Okta OAuth scope for administering a tenant's MCP server. */
export function tenantAdminScope(tenantId: string): string {
  return `mcp:${tenantId}:admin`;
}

/** Okta group of a tenant's users. */
export function tenantUserGroupName(tenantId: string): string {
  return `mcp-${tenantId}-users`;
}

/** Okta group of a tenant's admins. */
export function tenantAdminGroupName(tenantId: string): string {
  return `mcp-${tenantId}-admins`;
}

/** Name of the token claim that carries the tenant id. */
export const TENANT_CLAIM = 'tid';

/**
 * The range of default local ports: unprivileged, below the ephemeral ports of Linux (32768 and up)
 * and macOS (49152 and up), and away from the OAuth callback port 7701.
 */
export const DEFAULT_LOCAL_PORT_RANGE = { min: 10000, max: 29999 } as const;

/**
 * A tenant's default local port for `cloudflared access tcp`, and so its local MCP URL. Two tenants
 * may not share one (an MCP client keys tokens by the resource URL: a shared URL would hand one
 * tenant's token to another's server), and a tenant's port must not move when others are added or
 * reordered; so it is a hash of the tenant id (FNV-1a), never a position. Tenants whose defaults
 * collide are refused at construction, asking for an explicit `localPort`.
 */
export function defaultLocalPort(tenantId: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < tenantId.length; i++) {
    hash ^= tenantId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  const { min, max } = DEFAULT_LOCAL_PORT_RANGE;
  return min + (hash % (max - min + 1));
}

/**
 * Name of a Terraform output of a tenant's service account: `<t>_service_<name>_<what>`, the
 * service account name as given with each `-` written `_` (`acme_service_deploy_bot_client_id`).
 */
export function serviceAccountOutputName(tenantId: string, name: string, what: string): string {
  return `${tenantId}_service_${name.replace(/-/g, '_')}_${what}`;
}

/** What each service account output carries (the suffix of its name). */
export const SERVICE_ACCOUNT_OUTPUTS = {
  /** The Okta client id (the `iss` and `sub` of its client assertions, the `sub` and `cid` of its tokens). */
  clientId: 'client_id',
  /** The Cloudflare Access service token's client id (`CF-Access-Client-Id`). */
  accessClientId: 'access_client_id',
  /** The Access service token's secret (sensitive: only in state, moved once into the agent host's keychain). */
  accessClientSecret: 'access_client_secret',
} as const;
