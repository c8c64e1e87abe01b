/**
 * The review's classification table: base/head pairs of the real constructs' JSON, one pull
 * request each, across the five layers and the shared pieces, with the classification the review
 * must give the change and the exit code a CI acts on (0 clean, 1 blocking, 3 needs a security
 * reviewer). Security numbers are literals here, never imported from the code under test.
 */
import type { JsonObject } from '../../lib/model/json';
import type { ChangeClass, ResourceChange, Review, SettingChange } from '../../lib/review';
import { clone } from '../helpers';
import { addResource, containers, fixtureJson, only, ofTenant, resourcesOf, reviewOf } from './fixture';

type Body = Record<string, unknown>;
type Edit = (json: JsonObject) => void;

/** What the review must say about the change. */
type Expected =
  /** A setting of the head changed so (by extractor id). */
  | { readonly setting: string; readonly is: ChangeClass; readonly tenant?: string | null }
  /** A resource (or a stack block) added, removed or changed, classified so (by type). */
  | {
      readonly resource: string;
      readonly kind: ResourceChange['kind'];
      readonly is: ChangeClass;
      readonly tenant?: string | null;
    }
  /** A data-bearing resource destroyed. */
  | { readonly destroyed: string }
  /** Nothing to judge: the change moves no setting (replicas, for instance). */
  | { readonly nothing: true }
  /** No change at all: the head writes what the base wrote. */
  | { readonly unchanged: true };

interface Row {
  readonly what: string;
  /** The app both sides are synthesized from. @default R2 */
  readonly app?: 'r2' | 's3';
  /** An edit of the base as well (a base that already differs from the construct's output). */
  readonly base?: Edit;
  /** The head: an edit of the base's JSON, or another synth. */
  readonly head: Edit | { readonly synth: 'retention-364' | 'retention-366' | 's3-retention-364' };
  readonly expect: Expected;
  readonly exit: 0 | 1 | 3;
}

const TENANTS = ['acme', 'globex'];

const pod = (json: JsonObject, tenant = 'acme'): Body =>
  ((only(json, 'kubernetes_deployment_v1', tenant).spec as Body).template as Body).spec as Body;
const container = (json: JsonObject, name: string, tenant = 'acme'): Body => {
  const found = containers(only(json, 'kubernetes_deployment_v1', tenant)).find((c) => c.name === name);
  if (!found) throw new Error(`no container ${name}`);
  return found;
};
const accessApp = (json: JsonObject, tenant = 'acme'): Body =>
  only(json, 'cloudflare_zero_trust_access_application', tenant);
const inlinePolicy = (json: JsonObject, name: string, tenant = 'acme'): Body => {
  const found = (accessApp(json, tenant).policies as Body[]).find((p) => p.name === name);
  if (!found) throw new Error(`no inline policy ${name}`);
  return found;
};
const useRule = (json: JsonObject, tenant = 'acme'): Body =>
  only(json, 'okta_auth_server_policy_rule', tenant, `${tenant}/Identity/UseRule`);
const signonRule = (json: JsonObject, which: 'Admin' | 'Mcp'): Body =>
  only(json, 'okta_app_signon_policy_rule', null, `OktaClients/${which}SignonRule`);
const k8sRole = (json: JsonObject, tenant = 'acme'): Body => only(json, 'vault_kubernetes_auth_backend_role', tenant);
const serverPolicy = (json: JsonObject, tenant = 'acme'): Body =>
  only(json, 'vault_policy', tenant, `${tenant}/Secrets/ServerPolicy`);
const tenantLock = (json: JsonObject, tenant = 'acme'): Body => only(json, 'cloudflare_r2_bucket_lock', tenant);
const writerToken = (json: JsonObject, tenant = 'acme'): Body => only(json, 'cloudflare_account_token', tenant);
const rotation = (json: JsonObject, tenant = 'acme'): Body => only(json, 'time_rotating', tenant);
const namespaceRef = (json: JsonObject, tenant = 'acme'): string =>
  (only(json, 'kubernetes_deployment_v1', tenant).metadata as Body).namespace as string;
const policyText = (json: JsonObject, tenant = 'acme'): string => serverPolicy(json, tenant).policy as string;

const ROWS: readonly Row[] = [
  // ---- identity (tenant) ----
  {
    what: 'access token lifetime 15 -> 16 minutes (one past the limit)',
    head: (j) => (useRule(j).access_token_lifetime_minutes = 16),
    expect: { setting: 'identity.access-token-lifetime', is: 'weakened', tenant: 'acme' },
    exit: 1,
  },
  {
    what: 'access token lifetime 15 -> 15 minutes (written again: no change)',
    head: (j) => (useRule(j).access_token_lifetime_minutes = 15),
    expect: { unchanged: true },
    exit: 0,
  },
  {
    what: 'access token lifetime 10 -> 15 minutes (longer, still within the limit)',
    base: (j) => (useRule(j).access_token_lifetime_minutes = 10),
    head: (j) => (useRule(j).access_token_lifetime_minutes = 15),
    expect: { setting: 'identity.access-token-lifetime', is: 'weakened' },
    exit: 3,
  },
  {
    what: 'access token lifetime 15 -> 10 minutes',
    head: (j) => (useRule(j).access_token_lifetime_minutes = 10),
    expect: { setting: 'identity.access-token-lifetime', is: 'strengthened' },
    exit: 0,
  },
  {
    what: 'refresh tokens made unlimited (lifetime 0)',
    head: (j) => (useRule(j).refresh_token_lifetime_minutes = 0),
    expect: { setting: 'identity.refresh-token-lifetime', is: 'weakened' },
    exit: 1,
  },
  {
    what: 'refresh token lifetime removed (Okta reads unset as unlimited)',
    head: (j) => delete useRule(j).refresh_token_lifetime_minutes,
    expect: { setting: 'identity.refresh-token-lifetime', is: 'weakened' },
    exit: 1,
  },
  {
    what: 'refresh token idle window 60 -> 30 minutes',
    head: (j) => (useRule(j).refresh_token_window_minutes = 30),
    expect: { setting: 'identity.refresh-token-window', is: 'strengthened' },
    exit: 0,
  },
  {
    what: "tenant claim changed to another tenant's id",
    head: (j) => (only(j, 'okta_auth_server_claim', 'acme').value = '"globex"'),
    expect: { setting: 'identity.tenant-claim', is: 'weakened', tenant: 'acme' },
    exit: 1,
  },
  {
    what: 'policy rule grants client_credentials',
    head: (j) => (useRule(j).grant_type_whitelist = ['authorization_code', 'client_credentials']),
    expect: { setting: 'identity.policy-grant-types', is: 'weakened' },
    exit: 1,
  },
  {
    what: "policy rule grants another tenant's scope",
    head: (j) => (useRule(j).scope_whitelist = ['mcp:acme:use', 'offline_access', 'mcp:globex:use']),
    expect: { setting: 'identity.policy-scopes', is: 'weakened' },
    exit: 1,
  },
  {
    what: 'a new scope on the tenant authorization server',
    head: (j) => {
      const server = Object.keys(resourcesOf(j, 'okta_auth_server')).find((n) => n.includes('acme'));
      addResource(
        j,
        'okta_auth_server_scope',
        'acme_Identity_ExtraScope_0000AAAA',
        { auth_server_id: `\${okta_auth_server.${server}.id}`, name: 'mcp:acme:extra', consent: 'IMPLICIT' },
        'acme',
      );
    },
    expect: { resource: 'okta_auth_server_scope', kind: 'added', is: 'weakened', tenant: 'acme' },
    exit: 3,
  },
  {
    what: 'policy rule priority changed (no comparator says which way)',
    head: (j) => (useRule(j).priority = 2),
    expect: { setting: 'identity.policy-rule-order', is: 'unclassified' },
    exit: 3,
  },
  // ---- identity (shared: Okta clients) ----
  {
    what: 'admin sign-on rule no longer demands hardware protection',
    head: (j) => {
      const rule = signonRule(j, 'Admin');
      rule.constraints = (rule.constraints as string[]).map((c) => c.replace('"hardwareProtection":"REQUIRED",', ''));
    },
    expect: { setting: 'identity.hardware-key', is: 'weakened', tenant: null },
    exit: 1,
  },
  {
    what: 'admin re-authentication PT15M -> PT10M',
    head: (j) => (signonRule(j, 'Admin').re_authentication_frequency = 'PT10M'),
    expect: { setting: 'identity.re-authentication', is: 'strengthened', tenant: null },
    exit: 0,
  },
  {
    what: 'everyday sign-on rule 2FA -> 1FA',
    head: (j) => (signonRule(j, 'Mcp').factor_mode = '1FA'),
    expect: { setting: 'identity.everyday-factor-mode', is: 'weakened', tenant: null },
    exit: 1,
  },
  {
    what: 'MCP client gains the implicit grant',
    head: (j) => {
      const app = only(j, 'okta_app_oauth', null, 'OktaClients/McpClient');
      app.grant_types = [...(app.grant_types as string[]), 'implicit'];
    },
    expect: { setting: 'identity.client-grant-types', is: 'weakened', tenant: null },
    exit: 1,
  },
  {
    what: 'MCP client gains a loopback redirect URI',
    head: (j) => {
      const app = only(j, 'okta_app_oauth', null, 'OktaClients/McpClient');
      app.redirect_uris = [...(app.redirect_uris as string[]), 'http://127.0.0.1:7799/callback'];
    },
    expect: { setting: 'identity.redirect-uris', is: 'weakened', tenant: null },
    exit: 3,
  },
  // ---- transport (tenant) ----
  {
    what: 'Access include by email added to the users policy',
    head: (j) => {
      const policy = inlinePolicy(j, 'mcp-acme-users');
      policy.include = [...(policy.include as Body[]), { email: { email: 'contractor@example.net' } }];
    },
    expect: { setting: 'transport.access-policies', is: 'weakened', tenant: 'acme' },
    exit: 1,
  },
  {
    what: 'an extra inline Access policy for everyone with a valid email domain',
    head: (j) => {
      const app = accessApp(j);
      app.policies = [
        ...(app.policies as Body[]),
        { name: 'partners', decision: 'allow', precedence: 3, include: [{ email_domain: { domain: 'example.net' } }] },
      ];
    },
    expect: { setting: 'transport.access-policies', is: 'weakened' },
    exit: 1,
  },
  {
    what: 'admin Access policy no longer requires amr pop',
    head: (j) => delete inlinePolicy(j, 'mcp-acme-admins').require,
    expect: { setting: 'transport.access-policies', is: 'weakened' },
    exit: 1,
  },
  {
    what: 'Access session 15m -> 16m',
    head: (j) => (accessApp(j).session_duration = '16m'),
    expect: { setting: 'transport.access-session', is: 'weakened' },
    exit: 1,
  },
  {
    what: 'Access session 15m -> 10m',
    head: (j) => (accessApp(j).session_duration = '10m'),
    expect: { setting: 'transport.access-session', is: 'strengthened' },
    exit: 0,
  },
  {
    what: 'Access application allows every identity provider (empty list)',
    head: (j) => (accessApp(j).allowed_idps = []),
    expect: { setting: 'transport.allowed-idps', is: 'weakened' },
    exit: 1,
  },
  {
    what: 'tunnel ingress leaves loopback',
    head: (j) => {
      const config = only(j, 'cloudflare_zero_trust_tunnel_cloudflared_config', 'acme');
      ((config.config as Body).ingress as Body[])[0].service = 'tcp://10.0.0.7:8080';
    },
    expect: { setting: 'transport.ingress-services', is: 'weakened' },
    exit: 1,
  },
  {
    what: 'a reusable Access policy added to the account',
    head: (j) =>
      addResource(
        j,
        'cloudflare_zero_trust_access_policy',
        'Shared_Partners_0000BBBB',
        {
          account_id: '0123456789abcdef0123456789abcdef',
          name: 'partners',
          decision: 'allow',
          include: [{ everyone: {} }],
        },
        null,
      ),
    expect: { resource: 'cloudflare_zero_trust_access_policy', kind: 'added', is: 'weakened', tenant: null },
    exit: 1,
  },
  // ---- ports ----
  {
    what: 'a NetworkPolicy admitting ingress added to the MCP namespace',
    head: (j) =>
      addResource(
        j,
        'kubernetes_network_policy_v1',
        'acme_Workload_AllowIngress_0000CCCC',
        {
          metadata: { name: 'allow-ingress', namespace: namespaceRef(j) },
          spec: {
            pod_selector: {},
            policy_types: ['Ingress'],
            ingress: [{ from: [{ ip_block: { cidr: '10.0.0.0/8' } }] }],
          },
        },
        'acme',
      ),
    expect: { resource: 'kubernetes_network_policy_v1', kind: 'added', is: 'weakened', tenant: 'acme' },
    exit: 1,
  },
  {
    what: 'an egress rule to every address on every port',
    head: (j) => {
      const egress = only(j, 'kubernetes_network_policy_v1', 'acme', 'acme/Workload/EgressAllowList');
      const spec = egress.spec as Body;
      spec.egress = [...(spec.egress as Body[]), { to: [{ ip_block: { cidr: '0.0.0.0/0' } }] }];
    },
    expect: { setting: 'ports.egress-rules', is: 'weakened' },
    exit: 1,
  },
  {
    what: 'a Service added in the MCP namespace',
    head: (j) =>
      addResource(
        j,
        'kubernetes_service_v1',
        'acme_Workload_Debug_0000DDDD',
        {
          metadata: { name: 'mcp-debug', namespace: namespaceRef(j) },
          spec: { selector: { 'app.kubernetes.io/name': 'mcp-server' }, port: [{ port: 8080, target_port: '8080' }] },
        },
        'acme',
      ),
    expect: { resource: 'kubernetes_service_v1', kind: 'added', is: 'weakened', tenant: 'acme' },
    exit: 1,
  },
  {
    what: 'a debug container added to the MCP pod',
    head: (j) => {
      const spec = pod(j);
      spec.container = [...(spec.container as Body[]), { name: 'debug', image: 'busybox:1.36' }];
    },
    expect: { setting: 'ports.containers', is: 'weakened' },
    exit: 1,
  },
  {
    what: 'a role binding added in the MCP namespace',
    head: (j) =>
      addResource(
        j,
        'kubernetes_role_binding_v1',
        'acme_Workload_Edit_0000EEEE',
        {
          metadata: { name: 'debug-edit', namespace: namespaceRef(j) },
          role_ref: { api_group: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' },
          subject: [{ kind: 'User', name: 'alice@example.com', api_group: 'rbac.authorization.k8s.io' }],
        },
        'acme',
      ),
    expect: { resource: 'kubernetes_role_binding_v1', kind: 'added', is: 'weakened', tenant: 'acme' },
    exit: 1,
  },
  {
    what: 'Pod Security enforce restricted -> baseline',
    head: (j) => {
      const labels = (only(j, 'kubernetes_namespace_v1', 'acme').metadata as Body).labels as Body;
      labels['pod-security.kubernetes.io/enforce'] = 'baseline';
    },
    expect: { setting: 'ports.pod-security', is: 'weakened' },
    exit: 1,
  },
  {
    what: 'MCP container root filesystem made writable',
    head: (j) => ((container(j, 'mcp-server').security_context as Body).read_only_root_filesystem = false),
    expect: { setting: 'ports.read-only-root-filesystem', is: 'weakened' },
    exit: 1,
  },
  {
    what: 'quota allows one Service',
    head: (j) => (((only(j, 'kubernetes_resource_quota_v1', 'acme').spec as Body).hard as Body).services = '1'),
    expect: { setting: 'ports.services-quota', is: 'weakened' },
    exit: 1,
  },
  {
    what: 'replicas 2 -> 3 (sizing only)',
    head: (j) => ((only(j, 'kubernetes_deployment_v1', 'acme').spec as Body).replicas = '3'),
    expect: { nothing: true },
    exit: 0,
  },
  {
    what: 'MCP image moved to a new digest of the same repository',
    head: (j) => (container(j, 'mcp-server').image = `ghcr.io/acme/mcp@sha256:${'cd34'.repeat(16)}`),
    expect: { setting: 'ports.images', is: 'neutral' },
    exit: 0,
  },
  {
    what: 'MCP image from another repository',
    head: (j) => (container(j, 'mcp-server').image = `ghcr.io/someone-else/mcp@sha256:${'cd34'.repeat(16)}`),
    expect: { setting: 'ports.images', is: 'unclassified' },
    exit: 3,
  },
  {
    what: 'a HorizontalPodAutoscaler added (a type the review has no verdict for)',
    head: (j) =>
      addResource(
        j,
        'kubernetes_horizontal_pod_autoscaler_v2',
        'acme_Workload_Autoscaler_0000FFFF',
        {
          metadata: { name: 'mcp-server', namespace: namespaceRef(j) },
          spec: { max_replicas: 4, scale_target_ref: { kind: 'Deployment', name: 'mcp-server' } },
        },
        'acme',
      ),
    expect: { resource: 'kubernetes_horizontal_pod_autoscaler_v2', kind: 'added', is: 'unclassified', tenant: 'acme' },
    exit: 3,
  },
  {
    what: 'a pod attribute no setting covers (os)',
    head: (j) => (pod(j).os = [{ name: 'linux' }]),
    expect: { resource: 'kubernetes_deployment_v1', kind: 'attributes', is: 'unclassified', tenant: 'acme' },
    exit: 3,
  },
  // ---- secrets ----
  {
    what: 'Vault policy widened inside the tenant (create on kv data)',
    head: (j) =>
      (serverPolicy(j).policy = policyText(j).replace(
        'path "tenants/acme/kv/data/*" {\n  capabilities = ["read"]',
        'path "tenants/acme/kv/data/*" {\n  capabilities = ["read", "create"]',
      )),
    expect: { setting: 'secrets.policy-grants', is: 'weakened', tenant: 'acme' },
    exit: 3,
  },
  {
    what: 'Vault policy gains a new path inside the tenant',
    head: (j) =>
      (serverPolicy(j).policy =
        `${policyText(j)}\npath "tenants/acme/transit/keys/mcp" {\n  capabilities = ["read"]\n}\n`),
    expect: { setting: 'secrets.policy-grants', is: 'weakened' },
    exit: 3,
  },
  {
    what: 'a new Vault policy for the tenant',
    head: (j) =>
      addResource(
        j,
        'vault_policy',
        'acme_Secrets_ExtraPolicy_00001111',
        { name: 'mcp-acme-extra', policy: 'path "tenants/acme/kv/data/*" {\n  capabilities = ["read"]\n}\n' },
        'acme',
      ),
    expect: { resource: 'vault_policy', kind: 'added', is: 'weakened', tenant: 'acme' },
    exit: 3,
  },
  {
    what: 'Kubernetes auth role token_ttl 900 -> 901 s',
    head: (j) => (k8sRole(j).token_ttl = 901),
    expect: { setting: 'secrets.kubernetes-token-ttl', is: 'weakened' },
    exit: 1,
  },
  {
    what: 'Kubernetes auth role token_ttl 900 -> 600 s',
    head: (j) => (k8sRole(j).token_ttl = 600),
    expect: { setting: 'secrets.kubernetes-token-ttl', is: 'strengthened' },
    exit: 0,
  },
  {
    what: 'Kubernetes auth role bound to every namespace',
    head: (j) => (k8sRole(j).bound_service_account_namespaces = ['*']),
    expect: { setting: 'secrets.bound-namespaces', is: 'weakened' },
    exit: 1,
  },
  {
    what: 'Kubernetes auth role gets a token period',
    head: (j) => (k8sRole(j).token_period = 3600),
    expect: { setting: 'secrets.kubernetes-token-period', is: 'weakened' },
    exit: 1,
  },
  {
    what: 'transit key rotation 30 -> 29 days',
    head: (j) => (only(j, 'vault_transit_secret_backend_key', 'acme').auto_rotate_period = 2505600),
    expect: { setting: 'secrets.key-rotation', is: 'strengthened' },
    exit: 0,
  },
  {
    what: 'transit key rotation 30 -> 31 days',
    head: (j) => (only(j, 'vault_transit_secret_backend_key', 'acme').auto_rotate_period = 2678400),
    expect: { setting: 'secrets.key-rotation', is: 'weakened' },
    exit: 1,
  },
  {
    what: 'transit key made exportable',
    head: (j) => (only(j, 'vault_transit_secret_backend_key', 'acme').exportable = true),
    expect: { setting: 'secrets.key-exportable', is: 'weakened' },
    exit: 1,
  },
  {
    what: 'kv mount removed (data-bearing)',
    head: (j) => {
      const [name] = ofTenant(j, 'vault_mount', 'acme').find(([, b]) => b.type === 'kv') as [string, Body];
      delete resourcesOf(j, 'vault_mount')[name];
    },
    expect: { destroyed: 'vault_mount' },
    exit: 1,
  },
  // ---- audit ----
  {
    what: 'audit retention 365 -> 364 days',
    head: { synth: 'retention-364' },
    expect: { setting: 'audit.lock-retention', is: 'weakened', tenant: 'acme' },
    exit: 3,
  },
  {
    what: 'audit retention 365 -> 366 days',
    head: { synth: 'retention-366' },
    expect: { setting: 'audit.lock-retention', is: 'strengthened', tenant: 'acme' },
    exit: 0,
  },
  {
    what: 'audit shipper removed from the MCP pod, with its configuration',
    head: (j) => {
      const spec = pod(j);
      spec.container = (spec.container as Body[]).filter((c) => c.name !== 'audit-shipper');
      const [name] = ofTenant(j, 'kubernetes_config_map_v1', 'acme')[0];
      delete resourcesOf(j, 'kubernetes_config_map_v1')[name];
    },
    expect: { setting: 'audit.shipper', is: 'weakened', tenant: 'acme' },
    exit: 1,
  },
  {
    what: 'audit writer token widened to every bucket of the account',
    head: (j) => {
      const policy = (writerToken(j).policies as Body[])[0];
      policy.resources = JSON.stringify({ 'com.cloudflare.api.account.0123456789abcdef0123456789abcdef': '*' });
    },
    expect: { setting: 'audit.writer-token', is: 'weakened', tenant: 'acme' },
    exit: 1,
  },
  {
    what: 'audit writer token valid 720 h after each rotation instead of 360 h',
    head: (j) => {
      const token = writerToken(j);
      token.expires_on = (token.expires_on as string).replace('"360h"', '"720h"');
    },
    expect: { setting: 'audit.writer-token-expiry', is: 'weakened' },
    exit: 3,
  },
  {
    what: 'audit writer rotated every 60 days instead of 30',
    head: (j) => (rotation(j).rotation_days = 60),
    expect: { setting: 'audit.rotation', is: 'weakened', tenant: 'acme' },
    exit: 3,
  },
  {
    what: 'audit writer rotated every 7 days instead of 30',
    head: (j) => (rotation(j).rotation_days = 7),
    expect: { setting: 'audit.rotation', is: 'strengthened' },
    exit: 0,
  },
  {
    what: 'prevent_destroy removed from the tenant audit lock',
    head: (j) => delete tenantLock(j).lifecycle,
    expect: { setting: 'audit.prevent-destroy', is: 'weakened' },
    exit: 1,
  },
  {
    what: 'tenant audit bucket renamed (replaced)',
    head: (j) => (only(j, 'cloudflare_r2_bucket', 'acme').name = 'mcp-audit-acme-2'),
    expect: { destroyed: 'cloudflare_r2_bucket' },
    exit: 1,
  },
  // ---- audit on S3 Object Lock ----
  {
    what: 'S3 Object Lock compliance -> governance mode',
    app: 's3',
    head: (j) => {
      const lock = only(j, 'aws_s3_bucket_object_lock_configuration', 'acme');
      (((lock.rule as Body).default_retention as Body).mode as string) = 'GOVERNANCE';
    },
    expect: { setting: 'audit.object-lock-mode', is: 'weakened' },
    exit: 1,
  },
  {
    what: 'S3 Object Lock retention 365 -> 364 days',
    app: 's3',
    head: { synth: 's3-retention-364' },
    expect: { setting: 'audit.object-lock-retention', is: 'weakened', tenant: 'acme' },
    exit: 3,
  },
  {
    what: 'S3 bucket versioning suspended',
    app: 's3',
    head: (j) => ((only(j, 'aws_s3_bucket_versioning', 'acme').versioning_configuration as Body).status = 'Suspended'),
    expect: { setting: 'audit.versioning', is: 'weakened' },
    exit: 1,
  },
  {
    what: 'S3 bucket policy loses its deny of deletes and lock changes',
    app: 's3',
    head: (j) => {
      const policy = only(j, 'aws_s3_bucket_policy', 'acme');
      const doc = JSON.parse(policy.policy as string) as { Statement: Body[] };
      doc.Statement = doc.Statement.filter((s) => s.Sid !== 'DenyDeletesAndLockChanges');
      policy.policy = JSON.stringify(doc);
    },
    expect: { setting: 'audit.bucket-policy', is: 'weakened' },
    exit: 1,
  },
  {
    what: 'S3 writer role may write anywhere in the bucket',
    app: 's3',
    head: (j) => {
      const policy = only(j, 'aws_iam_role_policy', 'acme');
      policy.policy = (policy.policy as string).replace('/tenant=acme/*', '/*');
    },
    expect: { setting: 'audit.writer-role-policy', is: 'weakened' },
    // Still objects of one audit bucket, which MCP-AUD-5 allows: a person sees the wider prefix.
    exit: 3,
  },
  // ---- shared pieces (foundation) ----
  {
    what: 'Access identity provider without PKCE',
    head: (j) => {
      const idp = only(j, 'cloudflare_zero_trust_access_identity_provider', null);
      (idp.config as Body).pkce_enabled = false;
    },
    expect: { setting: 'transport.identity-provider-pkce', is: 'weakened', tenant: null },
    exit: 3,
  },
  {
    what: 'Logpush job disabled',
    head: (j) => (only(j, 'cloudflare_logpush_job', null).enabled = false),
    expect: { setting: 'audit.logpush-enabled', is: 'weakened', tenant: null },
    exit: 1,
  },
  {
    what: 'account audit bucket lock 365 -> 30 days',
    head: (j) => {
      const lock = only(j, 'cloudflare_r2_bucket_lock', null);
      ((lock.rules as Body[])[0].condition as Body).max_age_seconds = 2592000;
    },
    expect: { setting: 'audit.lock-retention', is: 'weakened', tenant: null },
    exit: 1,
  },
  {
    what: 'Vault Kubernetes auth points at another API server',
    head: (j) =>
      (only(j, 'vault_kubernetes_auth_backend_config', null).kubernetes_host = 'https://k8s.elsewhere.example:6443'),
    expect: { setting: 'secrets.kubernetes-backend', is: 'unclassified', tenant: null },
    exit: 3,
  },
  {
    what: 'Vault Kubernetes auth leases 1 h -> 2 h',
    head: (j) => {
      const backend = only(j, 'vault_auth_backend', null);
      (backend.tune as Body[])[0].max_lease_ttl = '7200s';
    },
    expect: { setting: 'secrets.auth-backend-tune', is: 'weakened', tenant: null },
    exit: 3,
  },
  {
    what: 'Vault audit device logs raw secrets',
    head: (j) => ((only(j, 'vault_audit', null).options as Body).log_raw = 'true'),
    expect: { setting: 'secrets.audit-log-raw', is: 'weakened', tenant: null },
    exit: 1,
  },
  {
    what: 'a variable default changed (every resource reading it may change)',
    head: (j) => {
      (j.variable as Record<string, Body>).extra = { type: 'string', default: 'b' };
    },
    base: (j) => {
      (j.variable as Record<string, Body>) ??= {};
      (j.variable as Record<string, Body>).extra = { type: 'string', default: 'a' };
    },
    expect: { resource: 'variable', kind: 'attributes', is: 'unclassified', tenant: null },
    exit: 3,
  },
];

/** Every change the review classified (settings, resources, stack blocks). */
function allChanges(review: Review): (SettingChange | ResourceChange)[] {
  const c = review.stacks[0].changes;
  if (!c) throw new Error('no changes: the review had no base');
  return [...c.weakened, ...c.weakenedResources, ...c.unclassified, ...c.otherSettings, ...c.otherResources];
}

function matches(change: SettingChange | ResourceChange, expected: Expected): boolean {
  if ('tenant' in expected && expected.tenant !== undefined && change.tenant !== expected.tenant) return false;
  if ('setting' in expected) return 'setting' in change && change.setting === expected.setting;
  if ('resource' in expected)
    return !('setting' in change) && change.type === expected.resource && change.kind === expected.kind;
  return false;
}

describe('the review classifies every change of a pull request', () => {
  const synths: Record<string, JsonObject> = {};
  beforeAll(() => {
    synths.r2 = fixtureJson({ tenants: TENANTS });
    synths.s3 = fixtureJson({ tenants: TENANTS, s3: true });
    synths['retention-364'] = fixtureJson({ tenants: TENANTS, props: { audit: { retentionDays: 364 } } });
    synths['retention-366'] = fixtureJson({ tenants: TENANTS, props: { audit: { retentionDays: 366 } } });
  });

  test('the table has at least 40 rows, covering every layer and the shared pieces', () => {
    expect(ROWS.length).toBeGreaterThanOrEqual(40);
    expect(new Set(ROWS.map((r) => r.what)).size).toBe(ROWS.length);
    const settings = ROWS.flatMap((r) => ('setting' in r.expect ? [r.expect.setting.split('.')[0]] : []));
    expect(new Set(settings)).toEqual(new Set(['identity', 'transport', 'ports', 'secrets', 'audit']));
    expect(ROWS.filter((r) => 'tenant' in r.expect && r.expect.tenant === null).length).toBeGreaterThanOrEqual(8);
    for (const exit of [0, 1, 3]) expect(ROWS.some((r) => r.exit === exit)).toBe(true);
    for (const is of ['weakened', 'strengthened', 'neutral', 'unclassified']) {
      expect(ROWS.some((r) => 'is' in r.expect && r.expect.is === is)).toBe(true);
    }
  });

  test.each(ROWS.map((r) => [r.what, r] as const))('%s', (_what, row) => {
    const base = clone(synths[row.app ?? 'r2']);
    row.base?.(base);
    let head: JsonObject;
    if (typeof row.head === 'function') {
      head = clone(base);
      row.head(head);
    } else {
      head =
        row.head.synth === 's3-retention-364'
          ? fixtureJson({ tenants: TENANTS, s3: true, props: { audit: { retentionDays: 364 } } })
          : clone(synths[row.head.synth]);
    }
    const review = reviewOf(head, base);
    const changes = allChanges(review);
    const expected = row.expect;
    if ('destroyed' in expected) {
      const destroyed = review.stacks[0].changes?.dataBearing.filter((d) => d.destroys) ?? [];
      expect(destroyed.map((d) => d.type)).toContain(expected.destroyed);
    } else if ('unchanged' in expected) {
      expect(changes).toEqual([]);
      expect(review.stacks[0].changes?.byType).toEqual([]);
    } else if ('nothing' in expected) {
      expect(changes).toEqual([]);
      expect(review.stacks[0].changes?.byType.length).toBeGreaterThan(0);
    } else {
      const found = changes.filter((c) => matches(c, expected));
      expect(found.map((c) => c.classification)).toEqual([expected.is]);
      if (expected.tenant !== undefined) expect(found[0].tenant).toBe(expected.tenant);
      if (expected.is === 'weakened' || expected.is === 'unclassified') {
        // One line per change a security reviewer must approve, with no raw reference in it.
        const lines = review.needsReview.filter((l) => l.includes(found[0].address));
        expect(lines.length).toBeGreaterThanOrEqual(1);
        expect(lines.join('\n')).not.toContain('${');
        expect(lines[0]).toContain(`${expected.is}: ${found[0].tenant ?? 'shared'} · `);
      }
    }
    expect(review.exitCode).toBe(row.exit);
  });
});
