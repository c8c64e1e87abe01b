import { DataCloudflareZeroTrustOrganization } from '@cdktf/provider-cloudflare/lib/data-cloudflare-zero-trust-organization';
import { AccessRequestsAuditLog } from '../audit/access-requests-audit-log';
import type { R2Jurisdiction } from '../core/audit-defaults';
import { TenantAuditTrail } from '../audit/tenant-audit-trail';
import { McpAccessChecks } from '../checks/pack';
import { Construct, Fn, TerraformOutput } from '../core/cdktf';
import {
  AUDIT_RETENTION_DAYS,
  AUDIT_RETENTION_DAYS_MIN,
  LOCAL_PORT,
  TOKEN_TTL_MINUTES,
  TOKEN_TTL_MINUTES_MIN,
} from '../core/defaults';
import { DNS_NAME_PATTERN, isHttpsUrl, isPinnedImage } from '../core/formats';
import { recordTenantScope } from '../core/stack-metadata';
import { type TenantSpec, validateTenants } from '../core/tenant';
import { PropsValidator } from '../core/validation';
import { OktaMcpClients } from '../identity/okta-mcp-clients';
import { type ExistingTenantGroups, OktaMcpIdentity } from '../identity/okta-mcp-identity';
import { TenantVaultMount } from '../secrets/tenant-vault-mount';
import { VaultAuditDevice, type VaultAuditDeviceProps } from '../secrets/vault-audit-device';
import { VaultKubernetesAuth, type VaultKubernetesAuthProps } from '../secrets/vault-kubernetes-auth';
import { CloudflareAccessTunnel } from '../transport/cloudflare-access-tunnel';
import { CloudflareOktaIdentityProvider } from '../transport/cloudflare-okta-identity-provider';
import { CloudflareTunnelHealthAlerts } from '../transport/cloudflare-tunnel-health-alerts';
import { LoopbackMcpDeployment } from '../workload/loopback-mcp-deployment';
import type { VaultEgress, WorkloadResources } from '../workload/loopback-mcp-deployment-props';

/** One tenant of {@link SecureMcpAccess}. */
export interface SecureMcpTenant extends TenantSpec {
  /**
   * Port `cloudflared access tcp` listens on, on the developer's laptop (and so the local MCP URL).
   * Give tenants different ports when one developer works with several at once.
   * @default 7700
   */
  readonly localPort?: number;
  /** Existing Okta groups for the tenant's users and admins. @default - groups `mcp-<t>-users` and `mcp-<t>-admins` are created */
  readonly existingGroups?: ExistingTenantGroups;
  /** MCP server pods (each a tunnel connector), 1 to 25. @default 2 */
  readonly replicas?: number;
}

/** Okta settings shared by every tenant. */
export interface OktaSettings {
  /** The Okta org URL, https, e.g. `https://example.okta.com`. */
  readonly orgUrl: string;
  /**
   * Loopback redirect URIs MCP clients use (`http://127.0.0.1:<port>/<path>` or `http://localhost:...`).
   * @default - ports 7701 on 127.0.0.1 and localhost, paths /callback and /oauth/callback
   */
  readonly loopbackRedirectUris?: readonly string[];
}

/** Cloudflare settings shared by every tenant. */
export interface CloudflareSettings {
  /** Cloudflare account id (32 hex characters, or a Terraform variable). */
  readonly accountId: string;
  /** Id of the zone that holds `<tenant>.<domain>` (32 hex characters, or a Terraform variable). */
  readonly zoneId: string;
  /**
   * The Zero Trust team domain, e.g. `example.cloudflareaccess.com`: Okta redirects Access logins to
   * `https://<teamDomain>/cdn-cgi/access/callback`.
   * @default - read from the account's Zero Trust organization at plan time
   */
  readonly teamDomain?: string;
  /** Tunnel health alerts to an email address and/or an https webhook. @default - no tunnel health alerts */
  readonly tunnelHealthAlerts?: { readonly email?: string; readonly webhookUrl?: string };
}

/** The MCP server every tenant runs. */
export interface WorkloadSettings {
  /**
   * Container image of the MCP server, pinned by digest (`@sha256:...`, preferred) or by a tag other
   * than `latest`.
   */
  readonly image: string;
  /** Port the MCP server listens on, on 127.0.0.1 inside its pod. Between 1 and 65535. */
  readonly port: number;
  /**
   * Command the image offers to check its own health (run as an exec probe: HTTP and TCP probes hit
   * the pod IP, where nothing listens).
   * @default - no probe for the MCP container, and a warning (MCP-K8S-8W) until one is given
   */
  readonly healthCommand?: readonly string[];
  /** Requests and limits of the MCP and cloudflared containers. @default - see LoopbackMcpDeployment */
  readonly resources?: WorkloadResources;
}

/** Vault settings shared by every tenant. */
export interface VaultSettings {
  /**
   * Vault's address as the MCP server reaches it.
   * @default 'https://vault.vault.svc:8200' (an in-cluster Vault in namespace `vault`)
   */
  readonly address?: string;
  /** Where the MCP pods may open connections to Vault. @default - derived from `address` */
  readonly egress?: VaultEgress;
  /**
   * The Kubernetes auth backend: created (give `kubernetesHost`) or adopted (give `existingPath`).
   * @default - created at `kubernetes`, for `https://kubernetes.default.svc`
   */
  readonly kubernetesAuth?: VaultKubernetesAuthProps;
  /**
   * Vault's audit device, or `{ assumeAuditDevice: { reason } }` when Vault already has one.
   * @default - a file device writing JSON to stdout
   */
  readonly auditDevice?: VaultAuditDeviceProps;
}

/** Audit settings. */
export interface AuditSettings {
  /** Days every audit record stays locked (undeletable). At least 30. @default 365 */
  readonly retentionDays?: number;
  /** R2 jurisdiction of the audit buckets. @default 'default' */
  readonly jurisdiction?: R2Jurisdiction;
  /**
   * https webhook that receives every cross-tenant denial. Pass a sensitive TerraformVariable's value.
   * @default - no alerts; rule MCP-AUD-4 warns
   */
  readonly alertWebhookUrl?: string;
}

/** Props of {@link SecureMcpAccess}. */
export interface SecureMcpAccessProps {
  /** DNS domain under which each tenant gets `<tenant.id>.<domain>`; a plain name, no scheme or path. */
  readonly domain: string;
  /** The tenants; ids unique and matching `^[a-z][a-z0-9-]{1,30}$`. At least one. */
  readonly tenants: readonly SecureMcpTenant[];
  readonly okta: OktaSettings;
  readonly cloudflare: CloudflareSettings;
  readonly workload: WorkloadSettings;
  /** @default - an in-cluster Vault at `https://vault.vault.svc:8200`, see {@link VaultSettings} */
  readonly vault?: VaultSettings;
  /** @default - records locked for 365 days, no alert webhook */
  readonly audit?: AuditSettings;
  /**
   * Lifetime of MCP access tokens, in minutes. Between 5 and 15.
   * @default 15
   */
  readonly tokenTtlMinutes?: number;
}

/** Vault address used when none is given: the Helm chart's service in namespace `vault`. */
export const DEFAULT_VAULT_ADDRESS = 'https://vault.vault.svc:8200';
/** Kubernetes API address Vault uses to review service-account tokens when it runs in the cluster. */
export const DEFAULT_KUBERNETES_HOST = 'https://kubernetes.default.svc';

/** Validates {@link SecureMcpAccessProps}, throwing one error that names every problem. */
export function validateSecureMcpAccessProps(props: SecureMcpAccessProps): void {
  const v = new PropsValidator('SecureMcpAccess');
  validateTenants(v, props.tenants);
  v.required('domain', props.domain);
  v.matches(
    'domain',
    props.domain,
    DNS_NAME_PATTERN,
    'a plain lower-case DNS name (no wildcard, scheme, port or path)',
  );
  v.required('okta.orgUrl', props.okta?.orgUrl);
  v.check(props.okta?.orgUrl, isHttpsUrl, `okta.orgUrl must be an https URL, but '${props.okta?.orgUrl}' was provided`);
  v.required('cloudflare.accountId', props.cloudflare?.accountId);
  v.matches('cloudflare.accountId', props.cloudflare?.accountId, /^[a-f0-9]{32}$/, '32 lower-case hex characters');
  v.required('cloudflare.zoneId', props.cloudflare?.zoneId);
  v.matches('cloudflare.zoneId', props.cloudflare?.zoneId, /^[a-f0-9]{32}$/, '32 lower-case hex characters');
  v.matches('cloudflare.teamDomain', props.cloudflare?.teamDomain, DNS_NAME_PATTERN, 'a plain lower-case DNS name');
  v.required('workload.image', props.workload?.image);
  v.check(
    props.workload?.image,
    isPinnedImage,
    `workload.image must be pinned by digest (@sha256:<64 hex>) or by a tag other than 'latest', but '${props.workload?.image}' was provided`,
  );
  v.required('workload.port', props.workload?.port);
  v.integerBetween('workload.port', props.workload?.port, 1, 65535);
  v.integerBetween('tokenTtlMinutes', props.tokenTtlMinutes, TOKEN_TTL_MINUTES_MIN, TOKEN_TTL_MINUTES);
  v.integerAtLeast('audit.retentionDays', props.audit?.retentionDays, AUDIT_RETENTION_DAYS_MIN);
  v.throwIfInvalid();
}

/** The five layers of one tenant's cell. */
export interface TenantCell {
  readonly tenantId: string;
  readonly scope: Construct;
  readonly identity: OktaMcpIdentity;
  readonly transport: CloudflareAccessTunnel;
  readonly audit: TenantAuditTrail;
  readonly workload: LoopbackMcpDeployment;
  readonly secrets: TenantVaultMount;
}

/** The pieces every tenant shares. */
export interface SharedPieces {
  readonly scope: Construct;
  readonly oktaClients: OktaMcpClients;
  readonly accessIdentityProvider: CloudflareOktaIdentityProvider;
  readonly vaultKubernetesAuth: VaultKubernetesAuth;
  readonly vaultAuditDevice: VaultAuditDevice;
  readonly accessAuditLog: AccessRequestsAuditLog;
  readonly tunnelHealthAlerts?: CloudflareTunnelHealthAlerts;
}

/**
 * Secure local access to a multi-tenant MCP server, in one statement: for every tenant a cell of
 * its own in each of the five layers (identity, transport, ports, secrets, audit), the few shared
 * pieces once, per-tenant outputs, and the invariant rule pack on the stack.
 *
 * Construct ids: the shared pieces live under `Shared`, each tenant's cell under its tenant id, so
 * adding, removing or reordering tenants leaves every other resource's address unchanged.
 */
export class SecureMcpAccess extends Construct {
  /** Tenant ids, in the order given. */
  public readonly tenantIds: readonly string[];
  /** The shared pieces. */
  public readonly shared: SharedPieces;
  /** The rule pack applied to this construct's stack. */
  public readonly checks: McpAccessChecks;
  /** Token lifetime in effect, in minutes. */
  public readonly tokenTtlMinutes: number;
  /** Audit retention in effect, in days. */
  public readonly auditRetentionDays: number;

  private readonly cells = new Map<string, TenantCell>();

  constructor(scope: Construct, id: string, props: SecureMcpAccessProps) {
    super(scope, id);
    validateSecureMcpAccessProps(props);
    this.tokenTtlMinutes = props.tokenTtlMinutes ?? TOKEN_TTL_MINUTES;
    this.auditRetentionDays = props.audit?.retentionDays ?? AUDIT_RETENTION_DAYS;
    this.checks = McpAccessChecks.of(this);
    this.tenantIds = props.tenants.map((t) => t.id);
    this.shared = this.buildShared(props);
    for (const tenant of props.tenants) this.cells.set(tenant.id, this.buildCell(tenant, props));
  }

  /** One tenant's cell. */
  public cell(tenantId: string): TenantCell {
    const cell = this.cells.get(tenantId);
    if (!cell) throw new Error(`SecureMcpAccess has no tenant '${tenantId}'`);
    return cell;
  }

  private buildShared(props: SecureMcpAccessProps): SharedPieces {
    const scope = new Construct(this, 'Shared');
    const { accountId } = props.cloudflare;
    const teamDomain =
      props.cloudflare.teamDomain ??
      new DataCloudflareZeroTrustOrganization(scope, 'ZeroTrustOrganization', { accountId }).authDomain;
    const oktaClients = new OktaMcpClients(scope, 'OktaClients', {
      orgUrl: props.okta.orgUrl,
      accessCallbackUrl: `https://${teamDomain}/cdn-cgi/access/callback`,
      loopbackRedirectUris: props.okta.loopbackRedirectUris,
    });
    const accessIdentityProvider = new CloudflareOktaIdentityProvider(scope, 'AccessIdentityProvider', {
      accountId,
      clients: oktaClients,
    });
    const alerts = props.cloudflare.tunnelHealthAlerts;
    const tunnelHealthAlerts = alerts
      ? new CloudflareTunnelHealthAlerts(scope, 'TunnelHealthAlerts', { accountId, ...alerts })
      : undefined;
    const vaultKubernetesAuth = new VaultKubernetesAuth(
      scope,
      'VaultKubernetesAuth',
      props.vault?.kubernetesAuth ?? { kubernetesHost: DEFAULT_KUBERNETES_HOST },
    );
    const vaultAuditDevice = new VaultAuditDevice(scope, 'VaultAuditDevice', props.vault?.auditDevice ?? {});
    const accessAuditLog = new AccessRequestsAuditLog(scope, 'AccessAuditLog', {
      accountId,
      retentionDays: this.auditRetentionDays,
      jurisdiction: props.audit?.jurisdiction,
    });
    return {
      scope,
      oktaClients,
      accessIdentityProvider,
      vaultKubernetesAuth,
      vaultAuditDevice,
      accessAuditLog,
      tunnelHealthAlerts,
    };
  }

  private buildCell(tenant: SecureMcpTenant, props: SecureMcpAccessProps): TenantCell {
    const tenantId = tenant.id;
    const scope = new Construct(this, tenantId);
    recordTenantScope(scope, tenantId);
    const { accountId, zoneId } = props.cloudflare;
    const localPort = tenant.localPort ?? LOCAL_PORT;

    const identity = new OktaMcpIdentity(scope, 'Identity', {
      tenantId,
      domain: props.domain,
      clients: this.shared.oktaClients,
      tokenTtlMinutes: this.tokenTtlMinutes,
      existingGroups: tenant.existingGroups,
    });
    const transport = new CloudflareAccessTunnel(scope, 'Transport', {
      tenantId,
      domain: props.domain,
      accountId,
      zoneId,
      identityProvider: this.shared.accessIdentityProvider,
      identity,
      originPort: props.workload.port,
      localPort,
    });
    const audit = new TenantAuditTrail(scope, 'Audit', {
      tenantId,
      accountId,
      retentionDays: this.auditRetentionDays,
      jurisdiction: props.audit?.jurisdiction,
      alertWebhookUrl: props.audit?.alertWebhookUrl,
    });
    const workload = new LoopbackMcpDeployment(scope, 'Workload', {
      tenantId,
      image: props.workload.image,
      port: props.workload.port,
      healthCommand: props.workload.healthCommand,
      resources: props.workload.resources,
      replicas: tenant.replicas,
      tunnelToken: transport.tunnelToken,
      identity,
      localPort,
      vault: {
        address: props.vault?.address ?? DEFAULT_VAULT_ADDRESS,
        authPath: this.shared.vaultKubernetesAuth.kubernetesAuthPath,
      },
      vaultEgress: props.vault?.egress,
      addons: [audit.podAddon],
    });
    const secrets = new TenantVaultMount(scope, 'Secrets', {
      tenantId,
      identity,
      workload,
      kubernetesAuth: this.shared.vaultKubernetesAuth,
    });

    this.tenantOutputs(scope, tenantId, identity, transport);
    return { tenantId, scope, identity, transport, audit, workload, secrets };
  }

  /** What a developer of the tenant needs, as outputs named `<tenant>_<what>`. */
  private tenantOutputs(
    scope: Construct,
    tenantId: string,
    identity: OktaMcpIdentity,
    transport: CloudflareAccessTunnel,
  ): void {
    const output = (name: string, value: string, description: string) => {
      new TerraformOutput(scope, name, { value, description }).overrideLogicalId(`${tenantId}_${name}`);
    };
    const clients = this.shared.oktaClients;
    output('connect_command', transport.connectCommand, `Run on the laptop to reach tenant ${tenantId}'s MCP server.`);
    output('local_mcp_url', transport.localMcpUrl, 'The URL the MCP client uses while the connect command runs.');
    output('issuer', identity.issuer, "Issuer of the tenant's Okta authorization server.");
    output('audience', identity.audience, "The single audience of the tenant's tokens.");
    output('client_id', clients.mcpClientId, 'Client id of the public PKCE client MCP clients use.');
    output('admin_client_id', clients.adminClientId, 'Client id of the admin client (hardware key required).');
    output(
      'mcp_client_config',
      Fn.jsonencode({
        mcpServers: {
          [tenantId]: {
            type: 'http',
            url: transport.localMcpUrl,
            oauth: {
              clientId: clients.mcpClientId,
              issuer: identity.issuer,
              resource: identity.audience,
              scopes: identity.mcpClientScopes,
              redirectUri: clients.loopbackRedirectUris[0],
            },
          },
        },
      }),
      'MCP client configuration for the tenant (start the connect command first).',
    );
  }
}
