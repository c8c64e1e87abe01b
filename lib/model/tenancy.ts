/**
 * Which tenant a resource belongs to, judged by its own name: a namespace `mcp-<t>`, an auth server
 * `mcp-<t>`, a scope `mcp:<t>:use`, a Vault path `tenants/<t>/...`, a bucket `mcp-audit-<t>`, ... The
 * stack metadata (`"//".mcp_access.tenants`) is a hint only: rules judge by these names, and
 * MCP-TEN-2 refuses a stack whose metadata is missing or disagrees with them.
 */
import { RESERVED_TENANT_IDS, TENANT_ID_SOURCE } from '../core/formats';
import { block, isObject, type JsonObject } from './json';
import type { ResourceEntry, SynthesizedStack } from './stack';

const T = TENANT_ID_SOURCE;
const whole = (source: string): RegExp => new RegExp(`^${source}$`);

/** Names that carry a tenant id, by pattern (the tenant is the first group). */
export const TENANT_NAME_PATTERNS = {
  namespace: whole(`mcp-(${T})`),
  authServer: whole(`mcp-(${T})`),
  group: whole(`mcp-(${T})-(?:users|admins)`),
  scope: whole(`mcp:(${T}):(?:use|admin)`),
  vaultPath: new RegExp(`^/?tenants/(${T})(?:/|$)`),
  vaultPolicy: whole(`mcp-(${T})-(?:server|humans)`),
  vaultRole: whole(`mcp-(${T})`),
  tunnel: whole(`mcp-(${T})`),
  accessApplication: whole(`mcp-(${T})`),
  bucket: whole(`mcp-audit-(${T})`),
  writerToken: whole(`mcp-audit-(${T})-writer`),
} as const;

/** The kind of name each resource type carries, and where. */
const NAMED: Readonly<
  Record<string, { readonly attribute: readonly string[]; readonly kind: keyof typeof TENANT_NAME_PATTERNS }>
> = {
  okta_auth_server: { attribute: ['name'], kind: 'authServer' },
  okta_group: { attribute: ['name'], kind: 'group' },
  okta_auth_server_scope: { attribute: ['name'], kind: 'scope' },
  vault_mount: { attribute: ['path'], kind: 'vaultPath' },
  vault_auth_backend: { attribute: ['path'], kind: 'vaultPath' },
  vault_jwt_auth_backend: { attribute: ['path'], kind: 'vaultPath' },
  vault_kv_secret_backend_v2: { attribute: ['mount'], kind: 'vaultPath' },
  vault_transit_secret_backend_key: { attribute: ['backend'], kind: 'vaultPath' },
  vault_policy: { attribute: ['name'], kind: 'vaultPolicy' },
  vault_kubernetes_auth_backend_role: { attribute: ['role_name'], kind: 'vaultRole' },
  vault_jwt_auth_backend_role: { attribute: ['role_name'], kind: 'vaultRole' },
  cloudflare_zero_trust_tunnel_cloudflared: { attribute: ['name'], kind: 'tunnel' },
  cloudflare_zero_trust_access_application: { attribute: ['name'], kind: 'accessApplication' },
  cloudflare_r2_bucket: { attribute: ['name'], kind: 'bucket' },
  cloudflare_r2_bucket_lock: { attribute: ['bucket_name'], kind: 'bucket' },
  cloudflare_account_token: { attribute: ['name'], kind: 'writerToken' },
};

const NAMESPACE_TYPES = new Set(['kubernetes_namespace', 'kubernetes_namespace_v1']);

/** The tenant a literal name of a kind carries, if any (and not a reserved id). */
export function tenantInName(kind: keyof typeof TENANT_NAME_PATTERNS, name: string): string | undefined {
  const tenant = TENANT_NAME_PATTERNS[kind].exec(name)?.[1];
  return tenant !== undefined && !RESERVED_TENANT_IDS.includes(tenant) ? tenant : undefined;
}

/** A string attribute as a literal, following references the model can follow. */
function literalOf(stack: SynthesizedStack, value: unknown): string | undefined {
  const resolved = stack.resolve(value);
  return resolved.kind === 'literal' && typeof resolved.value === 'string' ? resolved.value : undefined;
}

/** The Kubernetes namespace a resource lives in (or is), as a literal, when it can be read. */
function kubernetesNamespace(stack: SynthesizedStack, entry: ResourceEntry): string | undefined {
  if (entry.type === 'kubernetes_manifest') {
    const manifest = block(entry.body.manifest);
    const metadata = block(manifest.metadata);
    return literalOf(stack, manifest.kind === 'Namespace' ? metadata.name : metadata.namespace);
  }
  const metadata: JsonObject = block(entry.body.metadata);
  if (NAMESPACE_TYPES.has(entry.type)) return literalOf(stack, metadata.name);
  if (entry.type === 'kubernetes_labels' || entry.type === 'kubernetes_annotations') {
    return literalOf(stack, entry.body.kind === 'Namespace' ? metadata.name : metadata.namespace);
  }
  return literalOf(stack, metadata.namespace);
}

/**
 * The tenant a resource names in its own identifying attribute (its name, path, namespace), or
 * undefined when it names none (a shared piece, or a resource named by what it references).
 */
export function namedTenant(stack: SynthesizedStack, entry: ResourceEntry): string | undefined {
  // An entry belongs to one stack, whose JSON does not change: its tenant is read once.
  if (NAMED_TENANTS.has(entry)) return NAMED_TENANTS.get(entry);
  const tenant = readNamedTenant(stack, entry);
  NAMED_TENANTS.set(entry, tenant);
  return tenant;
}

const NAMED_TENANTS = new WeakMap<ResourceEntry, string | undefined>();

function readNamedTenant(stack: SynthesizedStack, entry: ResourceEntry): string | undefined {
  if (entry.type.startsWith('kubernetes_')) {
    const namespace = kubernetesNamespace(stack, entry);
    return namespace === undefined ? undefined : tenantInName('namespace', namespace);
  }
  const named = NAMED[entry.type];
  if (!named || !isObject(entry.body)) return undefined;
  const value = literalOf(stack, entry.body[named.attribute[0]]);
  return value === undefined ? undefined : tenantInName(named.kind, value);
}

/**
 * The tenant that owns a resource: the one it names, else the one its stack metadata records (a
 * hint for resources named by what they reference, such as a policy rule of an auth server).
 */
export function ownerTenant(stack: SynthesizedStack, entry: ResourceEntry): string | undefined {
  return namedTenant(stack, entry) ?? entry.tenant;
}
