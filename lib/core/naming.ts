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
