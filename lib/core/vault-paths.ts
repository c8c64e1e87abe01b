/**
 * Where a Vault path (a mount path or a policy path glob) reaches, relative to the tenant prefixes
 * `tenants/<t>/`. Pure, shared by the constructs' validation and the MCP-SEC rules.
 */
import { tenantVaultPrefix } from './naming';
import { VAULT_GLOB_CHARS } from './secrets-defaults';

/** First segment of every tenant path (`tenants/<t>/...`). */
export const TENANTS_ROOT = tenantVaultPrefix('').replace(/\/$/, '');

/** The reach of a Vault path. */
export type VaultPathScope =
  /** `tenants/<t>` or a path under it: only tenant `<t>`'s paths. */
  | { readonly kind: 'tenant'; readonly tenant: string; readonly depth: number }
  /** A wildcard at or before the tenant id, `..`, or the `tenants/` root itself: it reaches several tenants. */
  | { readonly kind: 'escapes' }
  /** Under `sys/`: Vault's own configuration. */
  | { readonly kind: 'sys' }
  /** Anywhere else. */
  | { readonly kind: 'outside' };

/** Classifies a mount path or policy path (a leading `/` is ignored, as Vault ignores it). */
export function vaultPathScope(path: string): VaultPathScope {
  const segments = path.replace(/^\/+/, '').split('/');
  const [first, tenant] = segments;
  if (first === 'sys') return { kind: 'sys' };
  if (VAULT_GLOB_CHARS.test(first)) return { kind: 'escapes' };
  if (first !== TENANTS_ROOT) return { kind: 'outside' };
  if (tenant === undefined || tenant === '' || VAULT_GLOB_CHARS.test(tenant) || segments.includes('..')) {
    return { kind: 'escapes' };
  }
  return { kind: 'tenant', tenant, depth: segments.filter((s) => s !== '').length - 2 };
}

/** True when a path's first segment is the tenants root (it is meant as a tenant path). */
export function namesTenantsRoot(path: string): boolean {
  return path.replace(/^\/+/, '').split('/')[0] === TENANTS_ROOT;
}
