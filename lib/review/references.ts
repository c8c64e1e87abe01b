/**
 * References in the report print as what they point at, never as raw `${...}`:
 * `${cloudflare_zero_trust_access_identity_provider.X.id}` becomes `Okta identity provider 'Okta'
 * (shared, stack foundation-eu-1)`, following references across stacks through the model; inside an
 * expression the model cannot evaluate (`timeadd(...)`), each reference is written the same way.
 */
import { isObject, literalString, type JsonObject } from '../model/json';
import type { ResourceEntry, SynthesizedStack } from '../model/stack';
import { ownerTenant } from '../model/tenancy';

/** What each resource type is, in words, and the attribute that names one. */
const KINDS: Readonly<Record<string, readonly [string, string]>> = {
  cloudflare_zero_trust_access_identity_provider: ['identity provider', 'name'],
  cloudflare_zero_trust_access_application: ['Access application', 'name'],
  cloudflare_zero_trust_access_policy: ['Access policy', 'name'],
  cloudflare_zero_trust_tunnel_cloudflared: ['tunnel', 'name'],
  cloudflare_r2_bucket: ['R2 bucket', 'name'],
  cloudflare_account_token: ['account token', 'name'],
  cloudflare_logpush_job: ['Logpush job', 'name'],
  okta_app_oauth: ['Okta app', 'label'],
  okta_app_signon_policy: ['sign-on policy', 'name'],
  okta_app_signon_policy_rule: ['sign-on rule', 'name'],
  okta_auth_server: ['authorization server', 'name'],
  okta_auth_server_policy: ['authorization server policy', 'name'],
  okta_auth_server_scope: ['scope', 'name'],
  okta_group: ['Okta group', 'name'],
  kubernetes_namespace_v1: ['namespace', 'metadata.name'],
  kubernetes_service_account_v1: ['service account', 'metadata.name'],
  kubernetes_secret_v1: ['secret', 'metadata.name'],
  kubernetes_config_map_v1: ['config map', 'metadata.name'],
  vault_auth_backend: ['Vault auth backend', 'path'],
  vault_jwt_auth_backend: ['Vault JWT backend', 'path'],
  vault_mount: ['Vault mount', 'path'],
  vault_policy: ['Vault policy', 'name'],
  time_rotating: ['rotation schedule', '-'],
  aws_s3_bucket: ['S3 bucket', 'bucket'],
  aws_iam_role: ['IAM role', 'name'],
};

function attribute(body: JsonObject, path: string): string | undefined {
  let node: unknown = body;
  for (const key of path.split('.')) {
    if (Array.isArray(node)) node = node[0];
    node = isObject(node) ? node[key] : undefined;
  }
  return typeof node === 'number' ? String(node) : literalString(node);
}

/** A resource in words: its kind, its name, whose it is and (outside `from`) its stack. */
export function describeResource(stack: SynthesizedStack, entry: ResourceEntry, from?: SynthesizedStack): string {
  const [kind, nameAt] = KINDS[entry.type] ?? [
    entry.mode === 'data' ? `data source ${entry.type}` : entry.type,
    'name',
  ];
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

/** Attributes that name the resource itself: a reference to them reads as the resource. */
const SELF = new Set(['', 'id', 'name', 'arn', 'bucket', 'path', 'metadata[0].name', 'metadata.0.name']);

/** A traversal of the JSON (`type.name.attr`, `var.x`, `data.terraform_remote_state.x.outputs.y`) in words. */
function describeTraversal(stack: SynthesizedStack, traversal: string): string {
  const resolved = stack.resolve(`\${${traversal}}`);
  if (resolved.kind === 'reference') {
    const what = describeResource(resolved.stack, resolved.entry, stack);
    return SELF.has(resolved.attribute) ? what : `${resolved.attribute} of ${what}`;
  }
  if (resolved.kind === 'literal') {
    const v = resolved.value;
    return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
  }
  const remote = /^data\.terraform_remote_state\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)/.exec(traversal);
  if (remote) {
    const producer = remote[1].replace(/^cross-stack-reference-input-/, '');
    return `an output of stack ${producer} (not read)`;
  }
  return traversal;
}

const TRAVERSAL =
  /(?<![\w.])(?:data\.[a-z][a-z0-9_]*\.[A-Za-z_][A-Za-z0-9_-]*|var\.[A-Za-z_][A-Za-z0-9_-]*|local\.[A-Za-z_][A-Za-z0-9_-]*|[a-z][a-z0-9]*_[a-z0-9_]*\.[A-Za-z_][A-Za-z0-9_-]*)(?:\.[A-Za-z_][A-Za-z0-9_-]*|\[\d+\])*/g;

/** One `${...}` in words: what it points at, or the expression with each reference in words. */
function describeExpression(stack: SynthesizedStack, expression: string): string {
  const inner = expression.slice(2, -1).trim();
  const whole = /^[A-Za-z_][\w.[\]-]*$/.test(inner);
  if (whole) return describeTraversal(stack, inner);
  return inner.replace(TRAVERSAL, (t) => describeTraversal(stack, t));
}

/** `text` with every `${...}` written as what it points at. */
export function humanize(stack: SynthesizedStack | undefined, text: string): string {
  if (!text.includes('${')) return text;
  if (!stack) return text.replace(/\$\{([^}]*)\}/g, '$1');
  return text.replace(/\$\{[^}]*\}/g, (expression) => describeExpression(stack, expression));
}
