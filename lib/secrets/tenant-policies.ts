/**
 * The two Vault policies of a tenant, as decisions in one place: what its MCP server may do and
 * what its humans may do. Both name only paths inside the tenant's own mounts.
 */
import type { VaultPolicyRule } from '../core/vault-policy';

/** Where a tenant's secrets live in Vault. */
export interface TenantVaultPaths {
  /** KV v2 mount, e.g. `tenants/acme/kv`. */
  readonly kvPath: string;
  /** Transit mount, e.g. `tenants/acme/transit`. */
  readonly transitPath: string;
  /** The tenant's transit key. */
  readonly keyName: string;
}

/**
 * The MCP server reads its tenant's secrets and uses (never manages) its tenant's key: encrypt,
 * decrypt, and rewrap (moves ciphertext to the newest key version after a rotation, never reveals
 * plaintext). It cannot write secrets, list the store, rotate, read or export the key.
 */
export function tenantServerPolicyRules(p: TenantVaultPaths): VaultPolicyRule[] {
  return [
    { path: `${p.kvPath}/data/*`, capabilities: ['read'] },
    { path: `${p.kvPath}/metadata/*`, capabilities: ['read'] },
    { path: `${p.transitPath}/encrypt/${p.keyName}`, capabilities: ['update'] },
    { path: `${p.transitPath}/decrypt/${p.keyName}`, capabilities: ['update'] },
    { path: `${p.transitPath}/rewrap/${p.keyName}`, capabilities: ['update'] },
  ];
}

/**
 * The tenant's humans put the credentials the server uses (write-only: they create and update
 * versions, with check-and-set, but never read a secret back) and rotate the tenant's key. They
 * can list secrets and read version metadata (to know the version `cas` needs) and read the key's
 * settings, but cannot delete or destroy versions, decrypt, or change the key's configuration.
 */
export function tenantHumanPolicyRules(p: TenantVaultPaths): VaultPolicyRule[] {
  return [
    { path: `${p.kvPath}/data/*`, capabilities: ['create', 'update'] },
    { path: `${p.kvPath}/metadata`, capabilities: ['list'] },
    { path: `${p.kvPath}/metadata/*`, capabilities: ['read', 'list'] },
    { path: `${p.transitPath}/keys/${p.keyName}`, capabilities: ['read'] },
    { path: `${p.transitPath}/keys/${p.keyName}/rotate`, capabilities: ['update'] },
  ];
}
