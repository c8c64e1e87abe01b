/**
 * Builds synthesized-JSON fixtures for the review tests, shaped like `cdktf synth` output of a
 * SecureMcpAccess stack: per tenant the five layers' resources under `<stack>/Mcp/<tenant>/...`,
 * shared resources under `<stack>/Mcp/Shared/...`, and the `"//".mcp_access.tenants` metadata.
 */
import { createHash } from 'crypto';
import { SynthesizedStack, type JsonObject } from '../../lib/model/stack';
import {
  ACCESS_SESSION_MINUTES,
  BIND_ADDRESS,
  KEY_ROTATION_SECONDS,
  TOKEN_TTL_MINUTES,
  VAULT_TOKEN_AUDIENCE,
  VAULT_TOKEN_MAX_TTL_SECONDS,
  VAULT_TOKEN_TTL_SECONDS,
} from '../../lib/core/defaults';
import { ACCESS_REQUESTS_FIELDS, SECONDS_PER_DAY } from '../../lib/core/audit-defaults';
import { ADMIN_SIGNON_CONSTRAINTS, MCP_CLIENT_GRANT_TYPES } from '../../lib/core/identity-defaults';
import {
  MCP_SERVICE_ACCOUNT_NAME,
  tenantAdminGroupName,
  tenantAdminScope,
  tenantAudience,
  tenantHostname,
  tenantKvPath,
  tenantNamespaceName,
  tenantTransitPath,
  tenantUseScope,
  tenantUserGroupName,
  tenantVaultRoleName,
  TENANT_CLAIM,
} from '../../lib/core/naming';
import {
  CLOUDFLARED_ARGS,
  CLOUDFLARED_IMAGE,
  CLOUDFLARED_READY_COMMAND,
  MCP_ENV,
  POD_SECURITY_LABEL_PREFIX,
} from '../../lib/core/ports-defaults';
import { DIGEST } from '../helpers';

export const DOMAIN = 'mcp.example.com';
export const PORT = 8080;
export const RETENTION_DAYS = 365;

/** Options of a fixture stack. */
export interface FixtureOptions {
  readonly tenants: readonly string[];
  /** Stack name (and first construct path segment). */
  readonly stack?: string;
  /** Construct path of a tenant's cell scope. */
  readonly scopeOf?: (tenant: string) => string;
}

type Body = Record<string, unknown>;

/** cdktf's logical id of a nested construct: its path below the stack joined by `_`, plus a hash. */
function logicalId(path: string): string {
  const hash = createHash('md5').update(path).digest('hex').slice(0, 8).toUpperCase();
  return `${path
    .split('/')
    .slice(1)
    .join('_')
    .replace(/[^A-Za-z0-9_]/g, '')}_${hash}`;
}

/** Collects resources into Terraform JSON, each with its cdktf metadata; returns its address. */
class JsonBuilder {
  public readonly json: JsonObject;
  private readonly resource: Record<string, Record<string, Body>> = {};
  private readonly data: Record<string, Record<string, Body>> = {};

  constructor(stack: string, tenants: Record<string, string[]>) {
    this.json = {
      '//': {
        metadata: { backend: 'local', stackName: stack, version: '0.21.0' },
        mcp_access: { suppressions: [], tenants },
      },
      terraform: { required_providers: {} },
      variable: {
        cloudflare_account_id: { type: 'string', description: 'Cloudflare account id.' },
        cloudflare_zone_id: { type: 'string', description: 'Cloudflare zone id.' },
        r2_access_key_id: { type: 'string', description: 'R2 access key id.', sensitive: true },
        r2_secret_access_key: { type: 'string', description: 'R2 secret access key.', sensitive: true },
      },
      resource: this.resource,
      data: this.data,
    };
  }

  public add(type: string, path: string, body: Body, mode: 'resource' | 'data' = 'resource'): string {
    const name = logicalId(path);
    const block = mode === 'resource' ? this.resource : this.data;
    (block[type] ??= {})[name] = { '//': { metadata: { path, uniqueId: name } }, ...body };
    return mode === 'resource' ? `${type}.${name}` : `data.${type}.${name}`;
  }
}

const ref = (address: string, attribute: string): string => `\${${address}.${attribute}}`;
const ACCOUNT = '${var.cloudflare_account_id}';
const ZONE = '${var.cloudflare_zone_id}';
const keep = { lifecycle: { prevent_destroy: true } };
const restrictedContainer = {
  allow_privilege_escalation: false,
  capabilities: { drop: ['ALL'] },
  privileged: false,
  read_only_root_filesystem: true,
  run_as_non_root: true,
};

/** The shared pieces: Okta clients, the Access identity provider, Vault's Kubernetes auth, the account audit log. */
function addShared(b: JsonBuilder, root: string): { idp: string; kubernetesAuth: string; mcpClient: string } {
  const s = `${root}/Shared`;
  const publicClient = {
    type: 'native',
    token_endpoint_auth_method: 'none',
    pkce_required: true,
    response_types: ['code'],
    redirect_uris: ['http://127.0.0.1:7701/callback', 'http://localhost:7701/callback'],
    wildcard_redirect: 'DISABLED',
    consent_method: 'TRUSTED',
  };
  const mcpClient = b.add('okta_app_oauth', `${s}/McpClient`, {
    ...publicClient,
    label: 'MCP client',
    grant_types: [...MCP_CLIENT_GRANT_TYPES],
    refresh_token_rotation: 'ROTATE',
    refresh_token_leeway: 30,
  });
  const webAuthn = b.add('okta_authenticator', `${s}/WebAuthn`, {
    key: 'webauthn',
    name: 'Security Key or Biometric',
    status: 'ACTIVE',
    ...keep,
  });
  const signonPolicy = b.add('okta_app_signon_policy', `${s}/AdminSignonPolicy`, {
    name: 'MCP admin sign-on',
    description: 'Admin elevation for MCP tenants.',
    catch_all: false,
  });
  b.add('okta_app_signon_policy_rule', `${s}/AdminSignonRule`, {
    policy_id: ref(signonPolicy, 'id'),
    name: 'hardware key required',
    priority: 1,
    status: 'ACTIVE',
    access: 'ALLOW',
    type: 'ASSURANCE',
    factor_mode: '2FA',
    constraints: [...ADMIN_SIGNON_CONSTRAINTS],
    re_authentication_frequency: 'PT15M',
    depends_on: [webAuthn],
  });
  b.add('okta_app_oauth', `${s}/AdminClient`, {
    ...publicClient,
    label: 'MCP admin client',
    grant_types: ['authorization_code'],
    authentication_policy: ref(signonPolicy, 'id'),
  });
  const accessIdpApp = b.add('okta_app_oauth', `${s}/AccessIdpApp`, {
    type: 'web',
    label: 'Cloudflare Access',
    token_endpoint_auth_method: 'client_secret_basic',
    pkce_required: true,
    grant_types: ['authorization_code'],
    response_types: ['code'],
    redirect_uris: ['https://example.cloudflareaccess.com/cdn-cgi/access/callback'],
    wildcard_redirect: 'DISABLED',
  });
  const idp = b.add('cloudflare_zero_trust_access_identity_provider', `${s}/OktaIdp`, {
    account_id: ACCOUNT,
    name: 'Okta',
    type: 'okta',
    config: {
      okta_account: 'https://example.okta.com',
      client_id: ref(accessIdpApp, 'client_id'),
      client_secret: ref(accessIdpApp, 'client_secret'),
      claims: ['groups'],
    },
  });
  const kubernetesAuth = b.add('vault_auth_backend', `${s}/KubernetesAuth/Backend`, {
    type: 'kubernetes',
    path: 'kubernetes',
    tune: { default_lease_ttl: '900s', max_lease_ttl: '3600s' },
  });
  b.add('vault_kubernetes_auth_backend_config', `${s}/KubernetesAuth/Config`, {
    backend: ref(kubernetesAuth, 'path'),
    kubernetes_host: 'https://kubernetes.default.svc',
  });
  const bucket = b.add('cloudflare_r2_bucket', `${s}/AccessRequests/Bucket/Bucket`, {
    account_id: ACCOUNT,
    name: 'mcp-audit-access-requests',
    ...keep,
  });
  b.add('cloudflare_r2_bucket_lock', `${s}/AccessRequests/Bucket/Lock`, {
    account_id: ACCOUNT,
    bucket_name: ref(bucket, 'name'),
    rules: [
      {
        id: 'audit-retention',
        enabled: true,
        prefix: '',
        condition: { type: 'Age', max_age_seconds: RETENTION_DAYS * SECONDS_PER_DAY },
      },
    ],
    ...keep,
  });
  b.add('cloudflare_logpush_job', `${s}/AccessRequests/Job`, {
    account_id: ACCOUNT,
    dataset: 'access_requests',
    name: 'mcp-access-requests',
    enabled: true,
    destination_conf: `r2://${ref(bucket, 'name')}/access-requests/{DATE}?account-id=${ACCOUNT}&access-key-id=\${var.r2_access_key_id}&secret-access-key=\${var.r2_secret_access_key}`,
    output_options: {
      output_type: 'ndjson',
      field_names: [...ACCESS_REQUESTS_FIELDS],
      timestamp_format: 'rfc3339',
    },
  });
  b.add('vault_audit', `${s}/VaultAudit/Device`, {
    path: 'mcp-audit',
    type: 'file',
    options: { format: 'json', log_raw: 'false', hmac_accessor: 'true', file_path: 'stdout', mode: '0600' },
    description: 'Audit log of every Vault request',
    ...keep,
  });
  return { idp, kubernetesAuth, mcpClient };
}

/** One tenant's cell: identity, transport, ports, secrets and audit. */
function addTenant(
  b: JsonBuilder,
  t: string,
  scope: string,
  shared: { idp: string; kubernetesAuth: string; mcpClient: string },
): void {
  const hostname = tenantHostname(t, DOMAIN);
  const audience = tenantAudience(t, DOMAIN);
  const namespace = tenantNamespaceName(t);

  // identity
  const i = `${scope}/Identity`;
  const authServer = b.add('okta_auth_server', `${i}/AuthServer`, {
    name: `mcp-${t}`,
    audiences: [audience],
    description: `MCP tokens for tenant ${t}`,
    issuer_mode: 'ORG_URL',
    status: 'ACTIVE',
    ...keep,
  });
  const serverId = ref(authServer, 'id');
  for (const [id, name] of [
    ['UseScope', tenantUseScope(t)],
    ['AdminScope', tenantAdminScope(t)],
  ]) {
    b.add('okta_auth_server_scope', `${i}/${id}`, { auth_server_id: serverId, name, consent: 'IMPLICIT' });
  }
  b.add('okta_auth_server_claim', `${i}/TenantClaim`, {
    auth_server_id: serverId,
    name: TENANT_CLAIM,
    value: `"${t}"`,
    value_type: 'EXPRESSION',
    claim_type: 'RESOURCE',
    always_include_in_token: true,
  });
  const policy = b.add('okta_auth_server_policy', `${i}/ClientPolicy`, {
    auth_server_id: serverId,
    name: 'MCP clients',
    description: 'MCP clients',
    priority: 1,
    client_whitelist: [ref(shared.mcpClient, 'client_id')],
  });
  const users = b.add('okta_group', `${i}/UserGroup`, { name: tenantUserGroupName(t) });
  b.add('okta_group', `${i}/AdminGroup`, { name: tenantAdminGroupName(t) });
  b.add('okta_auth_server_policy_rule', `${i}/UseRule`, {
    auth_server_id: serverId,
    policy_id: ref(policy, 'id'),
    name: 'use',
    priority: 1,
    access_token_lifetime_minutes: TOKEN_TTL_MINUTES,
    grant_type_whitelist: [...MCP_CLIENT_GRANT_TYPES],
    scope_whitelist: [tenantUseScope(t)],
    group_whitelist: [ref(users, 'id')],
    refresh_token_lifetime_minutes: 480,
    refresh_token_window_minutes: 60,
  });

  // transport
  const n = `${scope}/Transport`;
  const tunnel = b.add('cloudflare_zero_trust_tunnel_cloudflared', `${n}/Tunnel`, {
    account_id: ACCOUNT,
    name: `mcp-${t}`,
    config_src: 'cloudflare',
  });
  b.add('cloudflare_zero_trust_tunnel_cloudflared_config', `${n}/TunnelConfig`, {
    account_id: ACCOUNT,
    tunnel_id: ref(tunnel, 'id'),
    config: { ingress: [{ hostname, service: `tcp://${BIND_ADDRESS}:${PORT}` }, { service: 'http_status:404' }] },
  });
  b.add('cloudflare_dns_record', `${n}/DnsRecord`, {
    zone_id: ZONE,
    name: hostname,
    type: 'CNAME',
    content: `${ref(tunnel, 'id')}.cfargotunnel.com`,
    proxied: true,
    ttl: 1,
  });
  const okta = (group: string) => ({ okta: { identity_provider_id: ref(shared.idp, 'id'), name: group } });
  b.add('cloudflare_zero_trust_access_application', `${n}/AccessApplication`, {
    account_id: ACCOUNT,
    name: `mcp-${t}`,
    type: 'self_hosted',
    destinations: [{ type: 'public', uri: hostname }],
    session_duration: `${ACCESS_SESSION_MINUTES}m`,
    allowed_idps: [ref(shared.idp, 'id')],
    auto_redirect_to_identity: true,
    enable_binding_cookie: false,
    policies: [
      { name: 'users', decision: 'allow', precedence: 1, include: [okta(tenantUserGroupName(t))] },
      {
        name: 'admins',
        decision: 'allow',
        precedence: 2,
        include: [okta(tenantAdminGroupName(t))],
        require: [{ auth_method: { auth_method: 'hwk' } }],
      },
    ],
  });
  const token = b.add(
    'cloudflare_zero_trust_tunnel_cloudflared_token',
    `${n}/TunnelToken`,
    { account_id: ACCOUNT, tunnel_id: ref(tunnel, 'id') },
    'data',
  );

  // ports
  const w = `${scope}/Workload`;
  const ns = b.add('kubernetes_namespace_v1', `${w}/Namespace`, {
    metadata: {
      name: namespace,
      labels: Object.fromEntries(
        ['enforce', 'audit', 'warn'].flatMap((mode) => [
          [`${POD_SECURITY_LABEL_PREFIX}/${mode}`, 'restricted'],
          [`${POD_SECURITY_LABEL_PREFIX}/${mode}-version`, 'v1.33'],
        ]),
      ),
    },
  });
  const nsName = ref(ns, 'metadata[0].name');
  b.add('kubernetes_service_account_v1', `${w}/ServiceAccount`, {
    metadata: { name: MCP_SERVICE_ACCOUNT_NAME, namespace: nsName },
    automount_service_account_token: false,
  });
  b.add('kubernetes_secret_v1', `${w}/TunnelToken`, {
    metadata: { name: 'cloudflared-tunnel-token', namespace: nsName },
    data_wo: { token: ref(token, 'token') },
    data_wo_revision: 1,
  });
  const labels = { 'app.kubernetes.io/name': 'mcp-server', 'app.kubernetes.io/instance': t };
  const exec = (command: readonly string[]) => ({
    exec: { command: [...command] },
    period_seconds: 10,
    timeout_seconds: 5,
    failure_threshold: 3,
  });
  b.add('kubernetes_deployment_v1', `${w}/Deployment`, {
    metadata: { name: 'mcp-server', namespace: nsName, labels },
    spec: {
      replicas: '2',
      selector: { match_labels: labels },
      template: {
        metadata: { labels },
        spec: {
          automount_service_account_token: false,
          service_account_name: MCP_SERVICE_ACCOUNT_NAME,
          security_context: {
            run_as_non_root: true,
            run_as_user: '65532',
            run_as_group: '65532',
            fs_group: '65532',
            seccomp_profile: { type: 'RuntimeDefault' },
          },
          container: [
            {
              name: 'mcp-server',
              image: `ghcr.io/example/mcp-server@${DIGEST}`,
              env: [
                { name: MCP_ENV.bindAddress, value: BIND_ADDRESS },
                { name: MCP_ENV.port, value: String(PORT) },
                { name: MCP_ENV.tenantId, value: t },
                { name: MCP_ENV.audience, value: audience },
                { name: MCP_ENV.issuer, value: ref(authServer, 'issuer') },
              ],
              security_context: restrictedContainer,
              resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
              liveness_probe: exec(['/mcp-server', 'healthcheck']),
              readiness_probe: exec(['/mcp-server', 'healthcheck']),
              volume_mount: [{ name: 'tmp', mount_path: '/tmp' }],
            },
            {
              name: 'cloudflared',
              image: CLOUDFLARED_IMAGE,
              args: [...CLOUDFLARED_ARGS],
              env: [
                {
                  name: 'TUNNEL_TOKEN',
                  value_from: { secret_key_ref: { name: 'cloudflared-tunnel-token', key: 'token' } },
                },
              ],
              security_context: restrictedContainer,
              resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '128Mi' } },
              liveness_probe: exec(CLOUDFLARED_READY_COMMAND),
              readiness_probe: exec(CLOUDFLARED_READY_COMMAND),
            },
          ],
          volume: [{ name: 'tmp', empty_dir: { size_limit: '64Mi' } }],
        },
      },
    },
  });
  b.add('kubernetes_network_policy_v1', `${w}/DefaultDeny`, {
    metadata: { name: 'default-deny', namespace: nsName },
    spec: { pod_selector: {}, policy_types: ['Ingress', 'Egress'] },
  });
  b.add('kubernetes_network_policy_v1', `${w}/EgressAllowList`, {
    metadata: { name: 'mcp-egress', namespace: nsName },
    spec: {
      pod_selector: {},
      policy_types: ['Egress'],
      egress: [
        {
          to: [
            {
              namespace_selector: { match_labels: { 'kubernetes.io/metadata.name': 'kube-system' } },
              pod_selector: { match_labels: { 'k8s-app': 'kube-dns' } },
            },
          ],
          ports: [
            { port: '53', protocol: 'UDP' },
            { port: '53', protocol: 'TCP' },
          ],
        },
        {
          to: [{ ip_block: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'] } }],
          ports: [
            { port: '7844', protocol: 'TCP' },
            { port: '443', protocol: 'TCP' },
          ],
        },
      ],
    },
  });
  b.add('kubernetes_pod_disruption_budget_v1', `${w}/DisruptionBudget`, {
    metadata: { name: 'mcp-server', namespace: nsName },
    spec: { min_available: '1', selector: { match_labels: labels } },
  });
  b.add('kubernetes_resource_quota_v1', `${w}/Quota`, {
    metadata: { name: 'mcp-quota', namespace: nsName },
    spec: { hard: { services: '0', 'services.loadbalancers': '0', 'services.nodeports': '0', pods: '4' } },
  });

  // secrets
  const v = `${scope}/Secrets`;
  b.add('vault_mount', `${v}/KvMount`, { path: tenantKvPath(t), type: 'kv', options: { version: '2' }, ...keep });
  const transit = b.add('vault_mount', `${v}/TransitMount`, { path: tenantTransitPath(t), type: 'transit', ...keep });
  b.add('vault_transit_secret_backend_key', `${v}/TransitKey`, {
    backend: ref(transit, 'path'),
    name: 'mcp',
    type: 'aes256-gcm96',
    auto_rotate_period: KEY_ROTATION_SECONDS,
    exportable: false,
    deletion_allowed: false,
    allow_plaintext_backup: false,
  });
  const policyText = [
    `path "${tenantKvPath(t)}/data/*" {\n  capabilities = ["read"]\n}`,
    `path "${tenantTransitPath(t)}/encrypt/mcp" {\n  capabilities = ["update"]\n}`,
    `path "${tenantTransitPath(t)}/decrypt/mcp" {\n  capabilities = ["update"]\n}`,
  ].join('\n');
  const serverPolicy = b.add('vault_policy', `${v}/ServerPolicy`, { name: `mcp-${t}-server`, policy: policyText });
  b.add('vault_kubernetes_auth_backend_role', `${v}/KubernetesRole`, {
    backend: ref(shared.kubernetesAuth, 'path'),
    role_name: tenantVaultRoleName(t),
    bound_service_account_names: [MCP_SERVICE_ACCOUNT_NAME],
    bound_service_account_namespaces: [namespace],
    audience: VAULT_TOKEN_AUDIENCE,
    token_ttl: VAULT_TOKEN_TTL_SECONDS,
    token_max_ttl: VAULT_TOKEN_MAX_TTL_SECONDS,
    token_policies: [ref(serverPolicy, 'name')],
    token_type: 'service',
    token_no_default_policy: true,
  });
  const jwt = b.add('vault_jwt_auth_backend', `${v}/JwtAuth`, {
    path: `jwt-${t}`,
    type: 'jwt',
    oidc_discovery_url: ref(authServer, 'issuer'),
    bound_issuer: ref(authServer, 'issuer'),
  });
  b.add('vault_jwt_auth_backend_role', `${v}/JwtRole`, {
    backend: ref(jwt, 'path'),
    role_name: tenantVaultRoleName(t),
    role_type: 'jwt',
    bound_audiences: [audience],
    bound_claims: { [TENANT_CLAIM]: t },
    user_claim: 'sub',
    token_ttl: VAULT_TOKEN_TTL_SECONDS,
    token_max_ttl: VAULT_TOKEN_MAX_TTL_SECONDS,
    token_policies: [ref(serverPolicy, 'name')],
    token_type: 'service',
  });

  // audit
  const a = `${scope}/Audit/Bucket`;
  const bucket = b.add('cloudflare_r2_bucket', `${a}/Bucket`, { account_id: ACCOUNT, name: `mcp-audit-${t}`, ...keep });
  b.add('cloudflare_r2_bucket_lock', `${a}/Lock`, {
    account_id: ACCOUNT,
    bucket_name: ref(bucket, 'name'),
    rules: [
      {
        id: 'audit-retention',
        enabled: true,
        prefix: '',
        condition: { type: 'Age', max_age_seconds: RETENTION_DAYS * SECONDS_PER_DAY },
      },
    ],
    ...keep,
  });
}

/** Synthesized JSON of a SecureMcpAccess-like stack with the given tenants. */
export function fixtureJson(options: FixtureOptions): JsonObject {
  const stack = options.stack ?? 'fleet';
  const scopeOf = options.scopeOf ?? ((t: string) => `${stack}/Mcp/${t}`);
  const b = new JsonBuilder(stack, Object.fromEntries(options.tenants.map((t) => [t, [scopeOf(t)]])));
  const shared = addShared(b, `${stack}/Mcp`);
  for (const t of options.tenants) addTenant(b, t, scopeOf(t), shared);
  return b.json;
}

/** The fixture as the review reads it. */
export function fixtureStack(options: FixtureOptions): SynthesizedStack {
  return new SynthesizedStack(fixtureJson(options), options.stack ?? 'fleet');
}

/** The body (mutable) of the one resource of `type` in `tenant`'s cell whose path ends with `suffix`. */
export function resourceBody(json: JsonObject, type: string, pathSuffix: string): Body {
  const instances = (json.resource as Record<string, Record<string, Body>>)[type] ?? {};
  const found = Object.values(instances).filter((body) =>
    String((body['//'] as { metadata: { path: string } }).metadata.path).endsWith(pathSuffix),
  );
  if (found.length !== 1) throw new Error(`${found.length} ${type} resources end with ${pathSuffix}`);
  return found[0];
}

/** The address of that resource. */
export function addressOf(json: JsonObject, type: string, pathSuffix: string): string {
  const instances = (json.resource as Record<string, Record<string, Body>>)[type] ?? {};
  const name = Object.keys(instances).find((k) =>
    String((instances[k]['//'] as { metadata: { path: string } }).metadata.path).endsWith(pathSuffix),
  );
  if (!name) throw new Error(`no ${type} ends with ${pathSuffix}`);
  return `${type}.${name}`;
}
