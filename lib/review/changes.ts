/**
 * How the review classifies what the setting table does not describe: attributes of a changed
 * resource that no setting covers, and resources added to or removed from a tenant's cell or the
 * shared pieces. Anything not known to be neutral is `unclassified` and goes to a security reviewer.
 */
import { SECRETS_REVISION_ANNOTATION } from '../core/ports-defaults';
import { isObject, type JsonObject } from '../model/json';
import type { ChangeClass, ReviewLayer } from './model';

/** Dotted paths (list positions dropped) of the leaves that differ between two bodies. */
export function changedPaths(before: unknown, after: unknown): string[] {
  const found = new Set<string>();
  const leaves = (value: unknown, path: string): void => {
    if (Array.isArray(value)) {
      if (value.length === 0) found.add(path);
      for (const v of value) leaves(v, path);
    } else if (isObject(value)) {
      const keys = Object.keys(value).filter((k) => k !== '//');
      if (keys.length === 0) found.add(path);
      for (const k of keys) leaves(value[k], path === '' ? k : `${path}.${k}`);
    } else found.add(path);
  };
  const walk = (b: unknown, a: unknown, path: string): void => {
    if (JSON.stringify(b) === JSON.stringify(a)) return;
    if (Array.isArray(b) && Array.isArray(a)) {
      const n = Math.max(b.length, a.length);
      for (let i = 0; i < n; i++) {
        if (i >= b.length) leaves(a[i], path);
        else if (i >= a.length) leaves(b[i], path);
        else walk(b[i], a[i], path);
      }
      return;
    }
    if (isObject(b) && isObject(a)) {
      for (const k of new Set([...Object.keys(b), ...Object.keys(a)])) {
        if (k === '//') continue;
        walk(b[k], a[k], path === '' ? k : `${path}.${k}`);
      }
      return;
    }
    // A block written as an object on one side and a list on the other, or a scalar that changed.
    if (b === undefined) leaves(a, path);
    else if (a === undefined) leaves(b, path);
    else found.add(path);
  };
  walk(before, after, '');
  return [...found].filter((p) => p !== '').sort();
}

/** True when `path` is `attribute` or lies under it. */
export function under(path: string, attribute: string): boolean {
  return path === attribute || path.startsWith(`${attribute}.`);
}

/**
 * Attributes whose change alone never moves security: descriptions and display text, labels the
 * library uses for selection and bookkeeping, scheduling, sizing and rollout settings, probe timing,
 * the revision counter of write-only secret data, and Terraform's own ordering hints.
 */
export const NEUTRAL_ATTRIBUTES: readonly string[] = [
  'description',
  'comment',
  'display_name',
  'depends_on',
  'label',
  'hide_ios',
  'hide_web',
  'consent',
  'consent_method',
  'metadata_publish',
  'ttl',
  'data_wo_revision',
  'lifecycle.create_before_destroy',
  'metadata.labels.app.kubernetes.io/managed-by',
  'metadata.labels.app.kubernetes.io/name',
  'metadata.labels.app.kubernetes.io/instance',
  'metadata.labels.mcp-access.io/tenant',
  'metadata.annotations',
  'spec.replicas',
  'spec.strategy',
  'spec.selector',
  'spec.revision_history_limit',
  'spec.progress_deadline_seconds',
  'spec.min_ready_seconds',
  'spec.paused',
  'spec.template.metadata.labels',
  'spec.template.metadata.annotations.kubectl.kubernetes.io/default-container',
  // The revision of the secrets a pod reads at start: a rollout trigger.
  `spec.template.metadata.annotations.${SECRETS_REVISION_ANNOTATION}`,
  'spec.template.spec.topology_spread_constraint',
  'spec.template.spec.termination_grace_period_seconds',
  'spec.template.spec.priority_class_name',
  'spec.max_unavailable',
  'spec.min_available',
  'wait_for_rollout',
  ...['liveness_probe', 'readiness_probe', 'startup_probe'].flatMap((probe) =>
    ['period_seconds', 'timeout_seconds', 'failure_threshold', 'success_threshold', 'initial_delay_seconds'].map(
      (timing) => `spec.template.spec.container.${probe}.${timing}`,
    ),
  ),
];

/** True when a changed attribute path never moves security by itself. */
export function isNeutralPath(path: string): boolean {
  return NEUTRAL_ATTRIBUTES.some((a) => under(path, a));
}

/** The layer a resource type belongs to (for resources the setting table does not name); `stack` for Terraform's own. */
export function layerOfType(type: string): ReviewLayer | 'stack' {
  if (type.startsWith('okta_')) return 'identity';
  if (type.startsWith('kubernetes_')) return 'ports';
  if (type.startsWith('vault_')) return 'secrets';
  if (
    /^cloudflare_(r2_|logpush|account_token|api_token)/.test(type) ||
    type.startsWith('aws_') ||
    type.startsWith('time_')
  )
    return 'audit';
  if (type.startsWith('cloudflare_')) return 'transport';
  return 'stack';
}

/** How adding or removing a resource of a type moves security, and why. */
interface TypeVerdict {
  readonly added: ChangeClass;
  readonly removed: ChangeClass;
  readonly why: string;
  readonly rule?: string;
}

const WAY_IN = { added: 'weakened', removed: 'strengthened' } as const;
const GUARD = { added: 'strengthened', removed: 'weakened' } as const;

/**
 * Resource types whose addition opens a way in (a client, a grant, a route, a role, a workload, a
 * credential) or whose removal drops a guard (a deny policy, a quota, a sign-on policy, an audit
 * device, a log push). Types not listed are unclassified either way.
 */
const TYPE_VERDICTS: ReadonlyMap<string, TypeVerdict> = new Map<string, TypeVerdict>([
  ['okta_app_oauth', { ...WAY_IN, why: 'an OAuth client', rule: 'MCP-ID-1' }],
  [
    'okta_auth_server_policy',
    { ...WAY_IN, why: 'an authorization server policy (who may get tokens)', rule: 'MCP-ID-5' },
  ],
  ['okta_auth_server_policy_rule', { ...WAY_IN, why: 'a policy rule that mints tokens', rule: 'MCP-ID-5' }],
  ['okta_auth_server_scope', { ...WAY_IN, why: 'a scope tokens may carry', rule: 'MCP-ID-5' }],
  [
    'okta_app_group_assignment',
    { ...WAY_IN, why: 'a group assigned to an app (its members may sign in)', rule: 'MCP-TEN-1' },
  ],
  ['okta_app_user', { ...WAY_IN, why: 'a user assigned to an app', rule: 'MCP-TEN-1' }],
  ['okta_app_signon_policy', { ...GUARD, why: 'a sign-on (authentication) policy', rule: 'MCP-ID-6' }],
  [
    'okta_app_signon_policy_rule',
    { added: 'unclassified', removed: 'weakened', why: 'a sign-on policy rule', rule: 'MCP-ID-6' },
  ],
  ['okta_authenticator', { ...GUARD, why: 'an authenticator (the hardware key needs WebAuthn)' }],
  [
    'cloudflare_zero_trust_access_application',
    {
      added: 'weakened',
      removed: 'weakened',
      why: 'an Access application (a hostname behind, or no longer behind, Access)',
      rule: 'MCP-NET-2',
    },
  ],
  ['cloudflare_zero_trust_access_policy', { ...WAY_IN, why: 'a reusable Access policy', rule: 'MCP-NET-3' }],
  [
    'cloudflare_zero_trust_access_identity_provider',
    { ...WAY_IN, why: 'an Access identity provider', rule: 'MCP-NET-2' },
  ],
  ['cloudflare_zero_trust_access_service_token', { ...WAY_IN, why: 'an Access service token', rule: 'MCP-NET-3' }],
  ['cloudflare_zero_trust_tunnel_cloudflared', { ...WAY_IN, why: 'a tunnel', rule: 'MCP-NET-1' }],
  [
    'cloudflare_zero_trust_tunnel_cloudflared_config',
    { ...WAY_IN, why: 'a tunnel ingress configuration', rule: 'MCP-NET-1' },
  ],
  ['cloudflare_dns_record', { ...WAY_IN, why: 'a DNS record (a published hostname)', rule: 'MCP-NET-2' }],
  ['cloudflare_notification_policy', { ...GUARD, why: 'a notification policy (alerts)' }],
  ['cloudflare_logpush_job', { ...GUARD, why: 'a Logpush job (the edge half of the audit trail)', rule: 'MCP-AUD-3' }],
  ['cloudflare_account_token', { ...WAY_IN, why: 'an account API token (a credential)', rule: 'MCP-AUD-5' }],
  ['cloudflare_api_token', { ...WAY_IN, why: 'an API token (a credential)', rule: 'MCP-AUD-5' }],
  [
    'kubernetes_network_policy_v1',
    { added: 'unclassified', removed: 'weakened', why: 'a network policy', rule: 'MCP-K8S-7' },
  ],
  [
    'kubernetes_network_policy',
    { added: 'unclassified', removed: 'weakened', why: 'a network policy', rule: 'MCP-K8S-7' },
  ],
  ['kubernetes_resource_quota_v1', { ...GUARD, why: 'a resource quota (it pins Services to 0)', rule: 'MCP-K8S-6' }],
  ['kubernetes_resource_quota', { ...GUARD, why: 'a resource quota (it pins Services to 0)', rule: 'MCP-K8S-6' }],
  ['kubernetes_limit_range_v1', { ...GUARD, why: 'a limit range' }],
  ['kubernetes_role_v1', { ...WAY_IN, why: 'a Kubernetes role (permissions)' }],
  ['kubernetes_role', { ...WAY_IN, why: 'a Kubernetes role (permissions)' }],
  ['kubernetes_role_binding_v1', { ...WAY_IN, why: 'a Kubernetes role binding (who gets the permissions)' }],
  ['kubernetes_role_binding', { ...WAY_IN, why: 'a Kubernetes role binding (who gets the permissions)' }],
  ['kubernetes_cluster_role_v1', { ...WAY_IN, why: 'a cluster role (permissions)' }],
  ['kubernetes_cluster_role', { ...WAY_IN, why: 'a cluster role (permissions)' }],
  ['kubernetes_cluster_role_binding_v1', { ...WAY_IN, why: 'a cluster role binding' }],
  ['kubernetes_cluster_role_binding', { ...WAY_IN, why: 'a cluster role binding' }],
  ['kubernetes_service_v1', { ...WAY_IN, why: 'a Service (it can expose the loopback-only pod)', rule: 'MCP-K8S-6' }],
  ['kubernetes_service', { ...WAY_IN, why: 'a Service (it can expose the loopback-only pod)', rule: 'MCP-K8S-6' }],
  ['kubernetes_ingress_v1', { ...WAY_IN, why: 'an Ingress', rule: 'MCP-K8S-6' }],
  ['kubernetes_ingress', { ...WAY_IN, why: 'an Ingress', rule: 'MCP-K8S-6' }],
  ['kubernetes_manifest', { ...WAY_IN, why: 'a raw Kubernetes manifest' }],
  ['kubernetes_deployment_v1', { ...WAY_IN, why: 'a workload' }],
  ['kubernetes_deployment', { ...WAY_IN, why: 'a workload' }],
  ['kubernetes_pod_v1', { ...WAY_IN, why: 'a pod' }],
  ['kubernetes_pod', { ...WAY_IN, why: 'a pod' }],
  ['kubernetes_stateful_set_v1', { ...WAY_IN, why: 'a workload' }],
  ['kubernetes_daemon_set_v1', { ...WAY_IN, why: 'a workload on every node' }],
  ['kubernetes_job_v1', { ...WAY_IN, why: 'a job' }],
  ['kubernetes_cron_job_v1', { ...WAY_IN, why: 'a scheduled job' }],
  ['kubernetes_secret_v1', { ...WAY_IN, why: 'a Kubernetes secret (a credential)', rule: 'MCP-SEC-5' }],
  ['kubernetes_service_account_v1', { ...WAY_IN, why: 'a service account (an identity)', rule: 'MCP-K8S-5' }],
  [
    'kubernetes_labels',
    {
      added: 'unclassified',
      removed: 'unclassified',
      why: 'labels set from outside (Pod Security labels among them)',
      rule: 'MCP-K8S-1',
    },
  ],
  [
    'kubernetes_config_map_v1',
    {
      added: 'unclassified',
      removed: 'weakened',
      why: 'a config map (the audit shipper reads its configuration from one)',
      rule: 'MCP-AUD-6',
    },
  ],
  ['vault_policy', { ...WAY_IN, why: 'a Vault policy (grants)', rule: 'MCP-SEC-1' }],
  ['vault_kubernetes_auth_backend_role', { ...WAY_IN, why: 'a Vault Kubernetes login role', rule: 'MCP-SEC-2' }],
  ['vault_jwt_auth_backend_role', { ...WAY_IN, why: 'a Vault JWT login role', rule: 'MCP-SEC-4' }],
  ['vault_jwt_auth_backend', { ...WAY_IN, why: 'a Vault JWT auth backend', rule: 'MCP-SEC-4' }],
  ['vault_auth_backend', { ...WAY_IN, why: 'a Vault auth backend' }],
  ['vault_token', { ...WAY_IN, why: 'a Vault token (a credential)' }],
  ['vault_audit', { ...GUARD, why: 'a Vault audit device', rule: 'MCP-SEC-6' }],
  [
    'vault_kv_secret_backend_v2',
    { added: 'neutral', removed: 'unclassified', why: 'the KV configuration (versions kept, check-and-set)' },
  ],
  [
    'vault_transit_secret_backend_key',
    { added: 'neutral', removed: 'weakened', why: 'a transit key', rule: 'MCP-SEC-3' },
  ],
  ['vault_mount', { added: 'neutral', removed: 'weakened', why: 'a Vault mount', rule: 'MCP-SEC-1' }],
  ['okta_auth_server', { added: 'neutral', removed: 'weakened', why: 'an authorization server', rule: 'MCP-ID-4' }],
  [
    'okta_auth_server_claim',
    {
      added: 'unclassified',
      removed: 'weakened',
      why: 'a token claim (the tid claim binds tokens to a tenant)',
      rule: 'MCP-ID-4',
    },
  ],
  ['okta_group', { added: 'neutral', removed: 'unclassified', why: 'an Okta group' }],
  ['cloudflare_r2_bucket', { added: 'neutral', removed: 'weakened', why: 'an audit bucket', rule: 'MCP-AUD-1' }],
  ['cloudflare_r2_bucket_lock', { ...GUARD, why: 'a bucket lock', rule: 'MCP-AUD-1' }],
  ['kubernetes_namespace_v1', { added: 'neutral', removed: 'unclassified', why: 'a namespace', rule: 'MCP-K8S-1' }],
  [
    'kubernetes_pod_disruption_budget_v1',
    { added: 'neutral', removed: 'neutral', why: 'a disruption budget (availability only)' },
  ],
  // A token's expiry follows its rotation: a schedule removed with its token moves nothing, one
  // removed from a token that stays is judged on the token (writer token replaced on rotation).
  [
    'time_rotating',
    { added: 'neutral', removed: 'neutral', why: 'a rotation schedule (of a credential)', rule: 'MCP-AUD-5' },
  ],
  ['okta_app_oauth_redirect_uri', { ...WAY_IN, why: 'a redirect URI', rule: 'MCP-ID-2' }],
  ['okta_app_oauth_post_logout_redirect_uri', { ...WAY_IN, why: 'a post-logout redirect URI', rule: 'MCP-ID-2' }],
  ['okta_app_group_assignments', { ...WAY_IN, why: 'groups assigned to an app', rule: 'MCP-TEN-1' }],
  ['okta_user', { ...WAY_IN, why: 'an Okta user' }],
  ['okta_group_memberships', { ...WAY_IN, why: 'members of an Okta group', rule: 'MCP-TEN-1' }],
  ['okta_auth_server_default', { ...WAY_IN, why: "the org's default authorization server", rule: 'MCP-ID-4' }],
  ['okta_app_signon_policy_rules', { added: 'unclassified', removed: 'weakened', why: 'sign-on policy rules' }],
  [
    'cloudflare_zero_trust_tunnel_cloudflared_route',
    { ...WAY_IN, why: 'a private network route through a tunnel', rule: 'MCP-NET-1' },
  ],
  [
    'cloudflare_zero_trust_tunnel_cloudflared_virtual_network',
    { ...WAY_IN, why: 'a virtual network of tunnels', rule: 'MCP-NET-1' },
  ],
  ['cloudflare_zero_trust_access_group', { ...WAY_IN, why: 'an Access group', rule: 'MCP-NET-3' }],
  ['cloudflare_zero_trust_access_short_lived_certificate', { ...WAY_IN, why: 'an Access SSH certificate authority' }],
  ['cloudflare_notification_policy_webhooks', { ...GUARD, why: 'a notification webhook (alerts)' }],
  ['cloudflare_r2_bucket_lifecycle', { ...WAY_IN, why: 'a bucket lifecycle (it deletes objects)', rule: 'MCP-AUD-1' }],
  ['cloudflare_r2_bucket_cors', { ...WAY_IN, why: 'a bucket CORS policy (browser access)' }],
  ['cloudflare_r2_custom_domain', { ...WAY_IN, why: 'a public domain for a bucket' }],
  ['cloudflare_r2_managed_domain', { ...WAY_IN, why: 'a public r2.dev domain for a bucket' }],
  [
    'cloudflare_logpush_ownership_challenge',
    { added: 'neutral', removed: 'neutral', why: 'a Logpush ownership challenge (proof of write access)' },
  ],
  ['aws_s3_bucket', { added: 'neutral', removed: 'weakened', why: 'an audit bucket', rule: 'MCP-AUD-1' }],
  ['aws_s3_bucket_object_lock_configuration', { ...GUARD, why: 'an Object Lock configuration', rule: 'MCP-AUD-1' }],
  ['aws_s3_bucket_versioning', { ...GUARD, why: 'bucket versioning (Object Lock needs it)', rule: 'MCP-AUD-1' }],
  [
    'aws_s3_bucket_policy',
    {
      added: 'unclassified',
      removed: 'weakened',
      why: 'a bucket policy (the deny wall around the records)',
      rule: 'MCP-AUD-8',
    },
  ],
  ['aws_s3_bucket_public_access_block', { ...GUARD, why: 'a public access block', rule: 'MCP-AUD-8' }],
  ['aws_s3_bucket_ownership_controls', { ...GUARD, why: 'bucket ownership controls', rule: 'MCP-AUD-8' }],
  [
    'aws_s3_bucket_server_side_encryption_configuration',
    { ...GUARD, why: 'default encryption of a bucket', rule: 'MCP-AUD-8' },
  ],
  [
    'aws_s3_bucket_lifecycle_configuration',
    { ...WAY_IN, why: 'a bucket lifecycle (it expires objects)', rule: 'MCP-AUD-8' },
  ],
  ['aws_s3_bucket_acl', { ...WAY_IN, why: 'a bucket ACL (grants)', rule: 'MCP-AUD-8' }],
  ['aws_s3_bucket_cors_configuration', { ...WAY_IN, why: 'a bucket CORS configuration' }],
  ['aws_s3_bucket_website_configuration', { ...WAY_IN, why: 'a public website on a bucket' }],
  ['aws_s3_bucket_replication_configuration', { ...WAY_IN, why: 'a replication of the records elsewhere' }],
  ['aws_iam_role', { ...WAY_IN, why: 'an IAM role (an identity)', rule: 'MCP-AUD-5' }],
  ['aws_iam_role_policy', { ...WAY_IN, why: 'an IAM role policy (grants)', rule: 'MCP-AUD-5' }],
  ['aws_iam_role_policy_attachment', { ...WAY_IN, why: 'a managed policy attached to a role', rule: 'MCP-AUD-5' }],
  ['aws_iam_policy', { ...WAY_IN, why: 'an IAM policy (grants)', rule: 'MCP-AUD-5' }],
  ['aws_iam_user', { ...WAY_IN, why: 'an IAM user (an identity)', rule: 'MCP-AUD-5' }],
  ['aws_iam_user_policy', { ...WAY_IN, why: 'an IAM user policy (grants)', rule: 'MCP-AUD-5' }],
  ['aws_iam_access_key', { ...WAY_IN, why: 'an IAM access key (a long-lived credential)', rule: 'MCP-AUD-5' }],
  [
    'aws_eks_pod_identity_association',
    { ...WAY_IN, why: 'an EKS Pod Identity association (who assumes the writer role)', rule: 'MCP-AUD-5' },
  ],
  [
    'vault_kubernetes_auth_backend_config',
    { added: 'unclassified', removed: 'unclassified', why: 'the Kubernetes auth configuration', rule: 'MCP-SEC-2' },
  ],
  [
    'vault_generic_secret',
    { ...WAY_IN, why: 'a secret written by Terraform (its value is in state)', rule: 'MCP-SEC-5' },
  ],
  [
    'vault_kv_secret_v2',
    { ...WAY_IN, why: 'a secret written by Terraform (its value is in state)', rule: 'MCP-SEC-5' },
  ],
  ['vault_approle_auth_backend_role', { ...WAY_IN, why: 'a Vault AppRole login role' }],
  ['vault_token_auth_backend_role', { ...WAY_IN, why: 'a Vault token role' }],
  ['vault_identity_group', { ...WAY_IN, why: 'a Vault identity group (policies for its members)' }],
  ['vault_identity_entity', { ...WAY_IN, why: 'a Vault identity entity' }],
  ['vault_egp_policy', { ...GUARD, why: 'a Vault Sentinel policy' }],
  ['vault_rgp_policy', { ...GUARD, why: 'a Vault Sentinel policy' }],
  ['kubernetes_service_account', { ...WAY_IN, why: 'a service account (an identity)', rule: 'MCP-K8S-5' }],
  ['kubernetes_secret', { ...WAY_IN, why: 'a Kubernetes secret (a credential)', rule: 'MCP-SEC-5' }],
  ['kubernetes_config_map', { added: 'unclassified', removed: 'weakened', why: 'a config map', rule: 'MCP-AUD-6' }],
  ['kubernetes_namespace', { added: 'neutral', removed: 'unclassified', why: 'a namespace', rule: 'MCP-K8S-1' }],
  [
    'kubernetes_annotations',
    { added: 'unclassified', removed: 'unclassified', why: 'annotations set from outside', rule: 'MCP-K8S-11' },
  ],
  ['kubernetes_env', { ...WAY_IN, why: 'environment variables set from outside', rule: 'MCP-K8S-13' }],
  ['kubernetes_pod_security_policy', { ...GUARD, why: 'a pod security policy' }],
  ['kubernetes_stateful_set', { ...WAY_IN, why: 'a workload' }],
  ['kubernetes_daemonset', { ...WAY_IN, why: 'a workload on every node' }],
  ['kubernetes_job', { ...WAY_IN, why: 'a job' }],
  ['kubernetes_cron_job', { ...WAY_IN, why: 'a scheduled job' }],
  ['kubernetes_endpoints_v1', { ...WAY_IN, why: 'endpoints (a route to pods)', rule: 'MCP-K8S-6' }],
  ['kubernetes_endpoint_slice_v1', { ...WAY_IN, why: 'endpoints (a route to pods)', rule: 'MCP-K8S-6' }],
  ['kubernetes_persistent_volume_claim_v1', { ...WAY_IN, why: 'a volume claim (data shared with the pod)' }],
  ['kubernetes_persistent_volume_v1', { ...WAY_IN, why: 'a volume (data shared with pods)' }],
  ['kubernetes_validating_webhook_configuration_v1', { ...WAY_IN, why: 'an admission webhook (sees every object)' }],
  ['kubernetes_mutating_webhook_configuration_v1', { ...WAY_IN, why: 'a mutating admission webhook (rewrites pods)' }],
]);

/** The classification of a resource added or removed (outside a tenant added or removed whole). */
export function resourceChangeClass(
  type: string,
  kind: 'added' | 'removed',
  body: JsonObject,
  mode: 'resource' | 'data' = 'resource',
): { classification: ChangeClass; detail: string; rule: string | null } {
  // A data source only reads: what it feeds into a resource is judged on that resource.
  if (mode === 'data') return { classification: 'neutral', detail: `a data source ${kind}: it only reads`, rule: null };
  const verdict = TYPE_VERDICTS.get(type);
  if (!verdict) {
    return {
      classification: 'unclassified',
      detail: `a ${type} ${kind}: the review has no verdict for this type`,
      rule: null,
    };
  }
  let classification = verdict[kind];
  // A network policy without rules only denies; with rules it allows traffic.
  if (type.startsWith('kubernetes_network_policy') && kind === 'added') {
    const spec = isObject(body.spec)
      ? body.spec
      : Array.isArray(body.spec) && isObject(body.spec[0])
        ? body.spec[0]
        : {};
    const allows = (v: unknown) => (Array.isArray(v) ? v.length > 0 : isObject(v));
    classification = allows(spec.ingress) || allows(spec.egress) ? 'weakened' : 'strengthened';
  }
  const moved =
    classification === 'weakened'
      ? 'weakens'
      : classification === 'strengthened'
        ? 'strengthens'
        : classification === 'neutral'
          ? 'is neutral'
          : 'needs a person';
  return { classification, detail: `${verdict.why} ${kind}: ${moved}`, rule: verdict.rule ?? null };
}
