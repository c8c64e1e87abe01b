/**
 * References in the report print as what they point at: `${cloudflare_zero_trust_access_identity_provider.X.id}`
 * becomes `Okta identity provider 'Okta' (shared, stack foundation-eu-1)`, following references
 * across stacks through the model; a value the model cannot follow stays as written.
 */
import { isObject, literalString, type JsonObject } from '../model/json';
import type { ResourceEntry, SynthesizedStack } from '../model/stack';
import { ownerTenant } from '../model/tenancy';

/** What each resource type is, in words, and the attribute that names one. */
const KINDS: Readonly<Record<string, readonly [string, string]>> = {
  cloudflare_zero_trust_access_identity_provider: ['identity provider', 'name'],
  cloudflare_zero_trust_access_application: ['Access application', 'name'],
  cloudflare_zero_trust_tunnel_cloudflared: ['tunnel', 'name'],
  cloudflare_r2_bucket: ['R2 bucket', 'name'],
  cloudflare_account_token: ['account token', 'name'],
  okta_app_oauth: ['Okta app', 'label'],
  okta_app_signon_policy: ['sign-on policy', 'name'],
  okta_auth_server: ['authorization server', 'name'],
  okta_auth_server_policy: ['authorization server policy', 'name'],
  okta_auth_server_scope: ['scope', 'name'],
  okta_group: ['Okta group', 'name'],
  kubernetes_namespace_v1: ['namespace', 'metadata.name'],
  kubernetes_service_account_v1: ['service account', 'metadata.name'],
  kubernetes_secret_v1: ['secret', 'metadata.name'],
  vault_auth_backend: ['Vault auth backend', 'path'],
  vault_jwt_auth_backend: ['Vault JWT backend', 'path'],
  vault_mount: ['Vault mount', 'path'],
  vault_policy: ['Vault policy', 'name'],
};

function attribute(body: JsonObject, path: string): string | undefined {
  let node: unknown = body;
  for (const key of path.split('.')) {
    if (Array.isArray(node)) node = node[0];
    node = isObject(node) ? node[key] : undefined;
  }
  return literalString(node);
}

/** A resource in words: its kind, its name, whose it is and (outside `from`) its stack. */
export function describeResource(stack: SynthesizedStack, entry: ResourceEntry, from?: SynthesizedStack): string {
  const [kind, nameAt] = KINDS[entry.type] ?? [entry.type, 'name'];
  const typed =
    entry.type === 'cloudflare_zero_trust_access_identity_provider' && typeof entry.body.type === 'string'
      ? `${entry.body.type === 'okta' ? 'Okta' : entry.body.type} ${kind}`
      : kind;
  const name = attribute(entry.body, nameAt);
  const owner = ownerTenant(stack, entry);
  const where = [
    owner === undefined ? 'shared' : `tenant ${owner}`,
    ...(from && from !== stack ? [`stack ${stack.name}`] : []),
  ];
  return `${typed}${name !== undefined ? ` '${name}'` : ''} (${where.join(', ')})`;
}

/** `text` with every `${...}` the model can follow replaced by what it points at. */
export function humanize(stack: SynthesizedStack | undefined, text: string): string {
  if (!stack || !text.includes('${')) return text;
  return text.replace(/\$\{[^}]*\}/g, (expression) => {
    const resolved = stack.resolve(expression);
    if (resolved.kind === 'reference') return describeResource(resolved.stack, resolved.entry, stack);
    if (resolved.kind === 'literal' && (typeof resolved.value === 'string' || typeof resolved.value === 'number')) {
      return String(resolved.value);
    }
    return expression;
  });
}
