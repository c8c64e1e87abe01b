import { DataCloudflareZeroTrustOrganization } from '@cdktf/provider-cloudflare/lib/data-cloudflare-zero-trust-organization';
import { AccessRequestsAuditLog } from '../audit/access-requests-audit-log';
import type { AuditBackend } from '../audit/audit-backend';
import type { R2Jurisdiction } from '../core/audit-defaults';
import { DecommissionedTenantAudit } from '../audit/decommissioned-tenant-audit';
import { TenantAuditTrail } from '../audit/tenant-audit-trail';
import { McpAccessChecks } from '../checks/pack';
import { Construct, Fn, TerraformOutput } from '../core/cdktf';
import {
  AUDIT_RETENTION_DAYS,
  AUDIT_RETENTION_DAYS_MIN,
  TOKEN_TTL_MINUTES,
  TOKEN_TTL_MINUTES_MIN,
} from '../core/defaults';
import { DNS_NAME_PATTERN, isHttpsUrl, isPinnedImage } from '../core/formats';
import {
  type AdminAuthenticator,
  type OktaServiceAccountSpec,
  serviceAccountListProblems,
} from '../core/identity-defaults';
import { defaultLocalPort, SERVICE_ACCOUNT_OUTPUTS, serviceAccountOutputName } from '../core/naming';
import { MCP_REPLICAS_MAX } from '../core/ports-defaults';
import { type AccessServiceTokenSpec, LOCAL_PORT_MIN, serviceTokenProblems } from '../core/transport-defaults';
import { recordTenantScope } from '../core/stack-metadata';
import type { AccessIdentityProviderRef, OktaMcpClientsRef, VaultAuthRef } from '../core/refs';
import { type TenantSpec, validateTenants } from '../core/tenant';
import { describeValue, isUnresolved, PropsValidator, ValidationError } from '../core/validation';
import { DecommissionedTenantIdentity } from '../identity/decommissioned-tenant-identity';
import { OktaMcpClients } from '../identity/okta-mcp-clients';
import { type ExistingTenantGroups, OktaMcpIdentity } from '../identity/okta-mcp-identity';
import { DecommissionedTenantSecrets } from '../secrets/decommissioned-tenant-secrets';
import { type TenantHumanLogin, TenantVaultSecrets } from '../secrets/tenant-vault-secrets';
import { VaultAuditDevice, type VaultAuditDeviceProps } from '../secrets/vault-audit-device';
import { VaultKubernetesAuth, type VaultKubernetesAuthProps } from '../secrets/vault-kubernetes-auth';
import { CloudflareAccessTunnel } from '../transport/cloudflare-access-tunnel';
import { CloudflareOktaIdentityProvider } from '../transport/cloudflare-okta-identity-provider';
import { CloudflareTunnelHealthAlerts } from '../transport/cloudflare-tunnel-health-alerts';
import { LoopbackMcpDeployment } from '../ports/loopback-mcp-deployment';
import type { VaultEgress, WorkloadResources } from '../ports/loopback-mcp-deployment-props';

/**
 * An agent that calls one tenant's MCP server as itself, with no person behind it: an Okta service
 * app (client credentials, `private_key_jwt` with the agent's public key; no client secret exists)
 * whose tokens carry only the tenant's scopes and live at most 15 minutes, and a Cloudflare Access
 * service token of bounded life that only the tenant's Access application accepts. Outputs
 * `<t>_service_<name>_client_id`, `<t>_service_<name>_access_client_id` and the sensitive
 * `<t>_service_<name>_access_client_secret` (`-` in the name written `_`). See OktaServiceAccount
 * and CloudflareServiceToken for the keys and their rotation.
 */
export interface SecureMcpServiceAccount extends OktaServiceAccountSpec, AccessServiceTokenSpec {
  /** A DNS label, unique within the tenant (names `mcp-<t>-svc-<name>` and the construct ids `Service-<name>`). */
  readonly name: string;
}

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
  /**
   * The tenant is decommissioned: every way in is removed (Access application and policies, tunnel
   * and DNS record, Okta scopes, claim, policies and groups, the MCP workload and its namespace,
   * Vault policies and roles, the audit writer), while its data stays at the same addresses until
   * retention ends: the locked audit bucket, the Vault mounts and transit key, and its authorization
   * server, INACTIVE (its keys verify the tokens past records name). Never remove a tenant outright.
   * @default false
   */
  readonly decommissioned?: boolean;
  /**
   * Agents that call this tenant's MCP server as themselves (at most 20; a decommissioned tenant has
   * none: its service accounts are removed with every other way in). Each is a new way in: a
   * reviewer sees it added (see {@link SecureMcpServiceAccount}).
   * @default - none
   */
  readonly serviceAccounts?: readonly SecureMcpServiceAccount[];
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
  /**
   * Which keys admit an admin. `phishing-resistant` (the default) admits a FIDO2 security key, a
   * platform passkey (Touch ID, Windows Hello) and Okta FastPass, all phishing-resistant and
   * hardware-protected with user verification; `security-key` admits only WebAuthn (FastPass
   * excluded). Telling a roaming key from a platform passkey is an Okta authenticator setting.
   * @default 'phishing-resistant'
   */
  readonly adminAuthenticator?: AdminAuthenticator;
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
  /**
   * Lets each tenant's admins log in to its Vault paths with a token of an authorization server
   * dedicated to Vault, whose audience the MCP server never sees (a token the MCP server receives
   * is never accepted by Vault). Do not point it at a tenant's `mcp-<t>` server.
   * @default - no human login (operators manage secrets with their own Vault access)
   */
  readonly humanLogin?: TenantHumanLogin;
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
  /**
   * Where records are kept: R2 with bucket locks (the default), or a backend such as AWS S3 with
   * Object Lock in compliance mode (`s3AuditBackend` from `cdktf-mcp-access/aws`).
   * @default - R2
   */
  readonly backend?: AuditBackend;
  /** Days between rotations of each R2 writer token, 1 to 90. @default 30 */
  readonly writerRotationDays?: number;
  /** Days a writer token stays valid after its rotation is due (a late apply), 1 to 30. @default 15 */
  readonly writerExpiryMarginDays?: number;
  /** The audit shipper's image (Fluent Bit), pinned by digest. @default - the library's pinned Fluent Bit */
  readonly shipperImage?: string;
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
  /**
   * Lifetime of a refresh token (rotated at every use), in minutes: between `tokenTtlMinutes` and
   * 1440 (one day; never unlimited).
   * @default 480
   */
  readonly refreshTokenLifetimeMinutes?: number;
  /**
   * Minutes an unused refresh token stays valid: between `tokenTtlMinutes` and the smaller of 480
   * and `refreshTokenLifetimeMinutes`.
   * @default 60
   */
  readonly refreshTokenWindowMinutes?: number;
}

/** Vault address used when none is given: the Helm chart's service in namespace `vault`. */
export const DEFAULT_VAULT_ADDRESS = 'https://vault.vault.svc:8200';
/** Kubernetes API address Vault uses to review service-account tokens when it runs in the cluster. */
export const DEFAULT_KUBERNETES_HOST = 'https://kubernetes.default.svc';

/** Validates {@link SecureMcpAccessProps}, throwing one error that names every problem. */
export function validateSecureMcpAccessProps(props: SecureMcpAccessProps): void {
  const v = new PropsValidator('SecureMcpAccess');
  validateTenants(v, props.tenants);
  validateTenantOptions(v, props.tenants);
  v.domain('domain', props.domain);
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
  v.check(
    props.workload?.healthCommand,
    (c: readonly string[]) =>
      Array.isArray(c) && c.length > 0 && c.every((part) => typeof part === 'string' && part !== ''),
    `workload.healthCommand must be a non-empty list of non-empty strings, but ${describeValue(props.workload?.healthCommand)} was provided`,
  );
  v.check(
    props.vault?.address,
    isHttpsUrl,
    `vault.address must be an https URL (Vault tokens and secrets cross the network), but ${describeValue(props.vault?.address)} was provided`,
  );
  v.integerBetween('tokenTtlMinutes', props.tokenTtlMinutes, TOKEN_TTL_MINUTES_MIN, TOKEN_TTL_MINUTES);
  v.integerAtLeast('audit.retentionDays', props.audit?.retentionDays, AUDIT_RETENTION_DAYS_MIN);
  v.throwIfInvalid();
}

/**
 * The per-tenant options, named as the user wrote them (`tenants[1].localPort`): ports in range and
 * unique across tenants (an MCP client keys tokens by the local URL), replicas in range, existing
 * groups named and never shared by two tenants.
 */
function validateTenantOptions(v: PropsValidator, tenants: readonly SecureMcpTenant[] | undefined): void {
  if (!Array.isArray(tenants)) return;
  const portOwner = new Map<number, number>();
  const groupOwner = new Map<string, number>();
  const seen = new Set<string>();
  tenants.forEach((tenant, i) => {
    // A repeated id is reported as such; its options are not judged again.
    if (typeof tenant?.id !== 'string' || isUnresolved(tenant.id) || seen.has(tenant.id)) return;
    seen.add(tenant.id);
    const at = `tenants[${i}]`;
    v.integerBetween(`${at}.localPort`, tenant.localPort, LOCAL_PORT_MIN, 65535);
    v.integerBetween(`${at}.replicas`, tenant.replicas, 1, MCP_REPLICAS_MAX);
    const port = tenant.localPort ?? defaultLocalPort(tenant.id);
    if (!isUnresolved(port) && Number.isInteger(port)) {
      const other = portOwner.get(port);
      if (other !== undefined) {
        v.fail(
          `${at}.localPort must differ from every other tenant's (two tenants may not share a local port), but ${port} is also tenants[${other}]'s${tenant.localPort === undefined ? ' (both defaults: set localPort on one of them)' : ''}`,
        );
      } else portOwner.set(port, i);
    }
    const groups = tenant.existingGroups;
    if (groups !== undefined) {
      v.required(`${at}.existingGroups.userGroupId`, groups.userGroupId);
      v.required(`${at}.existingGroups.adminGroupId`, groups.adminGroupId);
      if (
        groups.userGroupId !== undefined &&
        groups.userGroupId === groups.adminGroupId &&
        !isUnresolved(groups.userGroupId)
      ) {
        v.fail(
          `${at}.existingGroups.adminGroupId must differ from its userGroupId, but '${groups.adminGroupId}' was provided for both`,
        );
      }
      for (const [key, id] of [
        ['userGroupId', groups.userGroupId],
        ['adminGroupId', groups.adminGroupId],
      ] as const) {
        if (typeof id !== 'string' || id === '' || isUnresolved(id)) continue;
        const owner = groupOwner.get(id);
        if (owner !== undefined && owner !== i) {
          v.fail(
            `${at}.existingGroups.${key} must be a group of this tenant only, but '${id}' is also tenants[${owner}]'s`,
          );
        } else groupOwner.set(id, i);
      }
    }
    const accounts = tenant.serviceAccounts;
    serviceAccountListProblems(`${at}.serviceAccounts`, tenant.id, accounts, isUnresolved).forEach((p) => v.fail(p));
    if (Array.isArray(accounts)) {
      accounts.forEach((account, j) =>
        serviceTokenProblems(`${at}.serviceAccounts[${j}]`, account, isUnresolved).forEach((p) => v.fail(p)),
      );
    }
  });
}

/** A prop-path table that puts `prefix` before each of `props`. */
function prefixed(prefix: string, props: readonly string[]): Record<string, string> {
  return Object.fromEntries(props.map((p) => [p, `${prefix}${p}`]));
}

/**
 * Runs `build` (a layer construct's constructor) and, when it refuses its props, names the problems
 * as the user wrote them: `localPort` of the tunnel becomes `tenants[1].localPort`, under
 * `SecureMcpAccess` (or `SecureMcpCell`). Prop names are matched at the start of each problem.
 */
function inUserTerms<T>(subject: string, paths: Readonly<Record<string, string>>, build: () => T): T {
  try {
    return build();
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
    const keys = Object.keys(paths).sort((a, b) => b.length - a.length);
    const problems = e.problems.map((problem) => {
      const key = keys.find((k) => problem.startsWith(k) && /^[ .[]/.test(problem.slice(k.length)));
      return key === undefined ? problem : paths[key] + problem.slice(key.length);
    });
    throw new ValidationError(subject, problems);
  }
}

/** The shared pieces a cell needs, as references (a {@link SecureMcpFoundation}, maybe in another stack). */
export interface SecureMcpFoundationRef {
  readonly oktaClients: OktaMcpClientsRef;
  readonly accessIdentityProvider: AccessIdentityProviderRef;
  readonly vaultKubernetesAuth: VaultAuthRef;
}

/** Props of {@link SecureMcpFoundation}: the shared settings of {@link SecureMcpAccessProps}. */
export interface SecureMcpFoundationProps {
  readonly okta: OktaSettings;
  readonly cloudflare: Omit<CloudflareSettings, 'zoneId'> & { readonly zoneId?: string };
  readonly vault?: Pick<VaultSettings, 'kubernetesAuth' | 'auditDevice'>;
  readonly audit?: Pick<
    AuditSettings,
    'retentionDays' | 'jurisdiction' | 'backend' | 'writerRotationDays' | 'writerExpiryMarginDays'
  >;
}

/**
 * The pieces every tenant shares, once: the Okta clients, the Cloudflare Access identity provider
 * and tunnel health alerts, the Vault Kubernetes auth backend and audit device, and the account
 * audit bucket fed by one `access_requests` Logpush job. A fleet puts it in a foundation stack and
 * hands it to {@link SecureMcpCell}s in cell stacks.
 */
export class SecureMcpFoundation extends Construct implements SecureMcpFoundationRef {
  public readonly oktaClients: OktaMcpClients;
  public readonly accessIdentityProvider: CloudflareOktaIdentityProvider;
  public readonly vaultKubernetesAuth: VaultKubernetesAuth;
  public readonly vaultAuditDevice: VaultAuditDevice;
  public readonly accessAuditLog: AccessRequestsAuditLog;
  public readonly tunnelHealthAlerts?: CloudflareTunnelHealthAlerts;

  constructor(scope: Construct, id: string, props: SecureMcpFoundationProps) {
    super(scope, id);
    McpAccessChecks.of(this);
    const { accountId } = props.cloudflare;
    const teamDomain =
      props.cloudflare.teamDomain ??
      new DataCloudflareZeroTrustOrganization(this, 'ZeroTrustOrganization', { accountId }).authDomain;
    const subject = 'SecureMcpFoundation';
    this.oktaClients = inUserTerms(
      subject,
      {
        orgUrl: 'okta.orgUrl',
        loopbackRedirectUris: 'okta.loopbackRedirectUris',
        accessCallbackUrl: 'cloudflare.teamDomain',
        adminAuthenticator: 'okta.adminAuthenticator',
      },
      () =>
        new OktaMcpClients(this, 'OktaClients', {
          orgUrl: props.okta.orgUrl,
          accessCallbackUrl: `https://${teamDomain}/cdn-cgi/access/callback`,
          loopbackRedirectUris: props.okta.loopbackRedirectUris,
          adminAuthenticator: props.okta.adminAuthenticator,
        }),
    );
    this.accessIdentityProvider = inUserTerms(
      subject,
      { accountId: 'cloudflare.accountId' },
      () =>
        new CloudflareOktaIdentityProvider(this, 'AccessIdentityProvider', { accountId, clients: this.oktaClients }),
    );
    const alerts = props.cloudflare.tunnelHealthAlerts;
    if (alerts) {
      this.tunnelHealthAlerts = inUserTerms(
        subject,
        {
          accountId: 'cloudflare.accountId',
          email: 'cloudflare.tunnelHealthAlerts.email',
          webhookUrl: 'cloudflare.tunnelHealthAlerts.webhookUrl',
        },
        () => new CloudflareTunnelHealthAlerts(this, 'TunnelHealthAlerts', { accountId, ...alerts }),
      );
    }
    this.vaultKubernetesAuth = inUserTerms(
      subject,
      prefixed('vault.kubernetesAuth.', ['kubernetesHost', 'existingPath', 'path', 'kubernetesCaCert', 'issuer']),
      () =>
        new VaultKubernetesAuth(
          this,
          'VaultKubernetesAuth',
          props.vault?.kubernetesAuth ?? { kubernetesHost: DEFAULT_KUBERNETES_HOST },
        ),
    );
    this.vaultAuditDevice = inUserTerms(
      subject,
      prefixed('vault.auditDevice.', ['path', 'file', 'socket', 'syslog', 'assumeAuditDevice']),
      () => new VaultAuditDevice(this, 'VaultAuditDevice', props.vault?.auditDevice ?? {}),
    );
    this.accessAuditLog = inUserTerms(
      subject,
      {
        accountId: 'cloudflare.accountId',
        retentionDays: 'audit.retentionDays',
        jurisdiction: 'audit.jurisdiction',
        writerRotationDays: 'audit.writerRotationDays',
        writerExpiryMarginDays: 'audit.writerExpiryMarginDays',
      },
      () =>
        new AccessRequestsAuditLog(this, 'AccessAuditLog', {
          accountId,
          retentionDays: props.audit?.retentionDays ?? AUDIT_RETENTION_DAYS,
          jurisdiction: props.audit?.jurisdiction,
          backend: props.audit?.backend,
          writerRotationDays: props.audit?.writerRotationDays,
          writerExpiryMarginDays: props.audit?.writerExpiryMarginDays,
        }),
    );
  }
}

/** Props of {@link SecureMcpCell}: one tenant and the per-tenant settings of {@link SecureMcpAccessProps}. */
export interface SecureMcpCellProps {
  readonly tenant: SecureMcpTenant;
  readonly domain: string;
  /** The shared pieces (a {@link SecureMcpFoundation}, in this stack or another). */
  readonly foundation: SecureMcpFoundationRef;
  readonly cloudflare: Pick<CloudflareSettings, 'accountId' | 'zoneId'>;
  readonly workload: WorkloadSettings;
  readonly vault?: Pick<VaultSettings, 'address' | 'egress' | 'humanLogin'>;
  readonly audit?: AuditSettings;
  /** Lifetime of MCP access tokens, in minutes, 5 to 15. @default 15 */
  readonly tokenTtlMinutes?: number;
  /** Lifetime of a (rotating) refresh token, in minutes, up to 1440. @default 480 */
  readonly refreshTokenLifetimeMinutes?: number;
  /** Minutes an unused refresh token stays valid, up to 480. @default 60 */
  readonly refreshTokenWindowMinutes?: number;
}

/**
 * One tenant's cell in all five layers: its Okta authorization server, Cloudflare tunnel and Access
 * application, loopback-bound MCP server in namespace `mcp-<tenant>`, Vault mounts and roles, and
 * locked audit bucket, plus the tenant's outputs (`<tenant>_connect_command`, ...). Its construct id
 * should be the tenant id: it is the prefix of every address in the cell.
 */
export class SecureMcpCell extends Construct {
  public readonly tenantId: string;
  public readonly identity: OktaMcpIdentity;
  public readonly transport: CloudflareAccessTunnel;
  public readonly audit: TenantAuditTrail;
  public readonly workload: LoopbackMcpDeployment;
  public readonly secrets: TenantVaultSecrets;

  constructor(scope: Construct, id: string, props: SecureMcpCellProps) {
    super(scope, id);
    const v = new PropsValidator('SecureMcpCell');
    v.tenantId('tenant.id', props.tenant?.id);
    v.integerBetween('tenant.localPort', props.tenant?.localPort, LOCAL_PORT_MIN, 65535);
    v.integerBetween('tenant.replicas', props.tenant?.replicas, 1, MCP_REPLICAS_MAX);
    v.integerBetween('tokenTtlMinutes', props.tokenTtlMinutes, TOKEN_TTL_MINUTES_MIN, TOKEN_TTL_MINUTES);
    v.check(
      props.vault?.address,
      isHttpsUrl,
      `vault.address must be an https URL (Vault tokens and secrets cross the network), but ${describeValue(props.vault?.address)} was provided`,
    );
    v.throwIfInvalid();
    McpAccessChecks.of(this);
    const tenantId = props.tenant.id;
    this.tenantId = tenantId;
    recordTenantScope(this, tenantId);
    const { accountId, zoneId } = props.cloudflare;
    const localPort = props.tenant.localPort ?? defaultLocalPort(tenantId);
    const { foundation } = props;
    const subject = 'SecureMcpCell';
    const tenantPaths = { tenantId: 'tenant.id', domain: 'domain' };

    this.identity = inUserTerms(
      subject,
      {
        ...tenantPaths,
        tokenTtlMinutes: 'tokenTtlMinutes',
        existingGroups: 'tenant.existingGroups',
        refreshTokenLifetimeMinutes: 'refreshTokenLifetimeMinutes',
        refreshTokenWindowMinutes: 'refreshTokenWindowMinutes',
        serviceAccounts: 'tenant.serviceAccounts',
      },
      () =>
        new OktaMcpIdentity(this, 'Identity', {
          tenantId,
          domain: props.domain,
          clients: foundation.oktaClients,
          tokenTtlMinutes: props.tokenTtlMinutes ?? TOKEN_TTL_MINUTES,
          existingGroups: props.tenant.existingGroups,
          refreshTokenLifetimeMinutes: props.refreshTokenLifetimeMinutes,
          refreshTokenWindowMinutes: props.refreshTokenWindowMinutes,
          serviceAccounts: props.tenant.serviceAccounts,
        }),
    );
    this.transport = inUserTerms(
      subject,
      {
        ...tenantPaths,
        accountId: 'cloudflare.accountId',
        zoneId: 'cloudflare.zoneId',
        originPort: 'workload.port',
        localPort: 'tenant.localPort',
        serviceAccounts: 'tenant.serviceAccounts',
      },
      () =>
        new CloudflareAccessTunnel(this, 'Transport', {
          tenantId,
          domain: props.domain,
          accountId,
          zoneId,
          identityProvider: foundation.accessIdentityProvider,
          identity: this.identity,
          originPort: props.workload.port,
          localPort,
          serviceAccounts: props.tenant.serviceAccounts,
        }),
    );
    this.audit = inUserTerms(
      subject,
      {
        ...tenantPaths,
        accountId: 'cloudflare.accountId',
        retentionDays: 'audit.retentionDays',
        jurisdiction: 'audit.jurisdiction',
        alertWebhookUrl: 'audit.alertWebhookUrl',
        writerRotationDays: 'audit.writerRotationDays',
        writerExpiryMarginDays: 'audit.writerExpiryMarginDays',
        shipperImage: 'audit.shipperImage',
      },
      () =>
        new TenantAuditTrail(this, 'Audit', {
          tenantId,
          accountId,
          retentionDays: props.audit?.retentionDays ?? AUDIT_RETENTION_DAYS,
          jurisdiction: props.audit?.jurisdiction,
          alertWebhookUrl: props.audit?.alertWebhookUrl,
          backend: props.audit?.backend,
          writerRotationDays: props.audit?.writerRotationDays,
          writerExpiryMarginDays: props.audit?.writerExpiryMarginDays,
          shipperImage: props.audit?.shipperImage,
        }),
    );
    this.workload = inUserTerms(
      subject,
      {
        ...tenantPaths,
        image: 'workload.image',
        port: 'workload.port',
        healthCommand: 'workload.healthCommand',
        'resources.mcp': 'workload.resources.mcp',
        'resources.cloudflared': 'workload.resources.cloudflared',
        replicas: 'tenant.replicas',
        localPort: 'tenant.localPort',
        'vault.address': 'vault.address',
        vaultEgress: 'vault.egress',
      },
      () =>
        new LoopbackMcpDeployment(this, 'Workload', {
          tenantId,
          image: props.workload.image,
          port: props.workload.port,
          healthCommand: props.workload.healthCommand,
          resources: props.workload.resources,
          replicas: props.tenant.replicas,
          tunnelToken: this.transport.tunnelToken,
          identity: this.identity,
          localPort,
          vault: {
            address: props.vault?.address ?? DEFAULT_VAULT_ADDRESS,
            authPath: foundation.vaultKubernetesAuth.kubernetesAuthPath,
          },
          vaultEgress: props.vault?.egress,
          addons: [this.audit.podAddon],
        }),
    );
    this.secrets = inUserTerms(
      subject,
      { ...tenantPaths, humanLogin: 'vault.humanLogin' },
      () =>
        new TenantVaultSecrets(this, 'Secrets', {
          tenantId,
          identity: this.identity,
          workload: this.workload,
          kubernetesAuth: foundation.vaultKubernetesAuth,
          humanLogin: props.vault?.humanLogin,
        }),
    );
    this.outputs(foundation.oktaClients);
  }

  /** What a developer of the tenant needs, as outputs named `<tenant>_<what>`. */
  private outputs(clients: OktaMcpClientsRef): void {
    const { tenantId, identity, transport } = this;
    const output = (name: string, value: string, description: string) => {
      new TerraformOutput(this, name, { value, description }).overrideLogicalId(`${tenantId}_${name}`);
    };
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
    this.serviceAccountOutputs();
  }

  /** Per service account: the Okta client id, the Access service token's client id, and its secret (sensitive). */
  private serviceAccountOutputs(): void {
    const { tenantId } = this;
    const tokens = new Map(this.transport.serviceTokens.map((t) => [t.name, t]));
    for (const account of this.identity.serviceAccounts) {
      const token = tokens.get(account.name);
      if (!token) continue;
      const output = (what: string, value: string, description: string, sensitive = false) => {
        const name = serviceAccountOutputName(tenantId, account.name, what);
        new TerraformOutput(this, name.slice(tenantId.length + 1), {
          value,
          description,
          sensitive: sensitive || undefined,
        }).overrideLogicalId(name);
      };
      output(
        SERVICE_ACCOUNT_OUTPUTS.clientId,
        account.clientId,
        `Okta client id of service account ${account.name} (iss and sub of its client assertions).`,
      );
      output(
        SERVICE_ACCOUNT_OUTPUTS.accessClientId,
        token.clientId,
        `Cloudflare Access service token client id of service account ${account.name}.`,
      );
      output(
        SERVICE_ACCOUNT_OUTPUTS.accessClientSecret,
        token.clientSecret,
        `Cloudflare Access service token secret of service account ${account.name}: move it once into the agent host's keychain.`,
        true,
      );
    }
  }
}

/** Props of {@link DecommissionedMcpCell}: the settings the tenant's {@link SecureMcpCell} had. */
export interface DecommissionedMcpCellProps {
  readonly tenantId: string;
  readonly domain: string;
  readonly cloudflare: Pick<CloudflareSettings, 'accountId'>;
  readonly audit?: Pick<AuditSettings, 'retentionDays' | 'jurisdiction' | 'backend'>;
  /** Lifetime of MCP access tokens the tenant had, in minutes, 5 to 15. @default 15 */
  readonly tokenTtlMinutes?: number;
}

/**
 * A decommissioned tenant's cell: only its data, at the addresses its {@link SecureMcpCell} gave it
 * (construct ids `Identity`, `Secrets`, `Audit` under the tenant id), so that replacing the cell with
 * this one destroys every way in and nothing that holds data: the authorization server (INACTIVE), the
 * Vault mounts and transit key, the locked audit bucket. The rule pack refuses any way into the tenant
 * still declared in the app (MCP-TEN-3). Its construct id must be the tenant id.
 */
export class DecommissionedMcpCell extends Construct {
  public readonly tenantId: string;
  public readonly identity: DecommissionedTenantIdentity;
  public readonly secrets: DecommissionedTenantSecrets;
  public readonly audit: DecommissionedTenantAudit;

  constructor(scope: Construct, id: string, props: DecommissionedMcpCellProps) {
    super(scope, id);
    McpAccessChecks.of(this);
    const tenantId = props.tenantId;
    this.tenantId = tenantId;
    const subject = 'DecommissionedMcpCell';
    this.identity = inUserTerms(
      subject,
      { tenantId: 'tenantId', domain: 'domain', tokenTtlMinutes: 'tokenTtlMinutes' },
      () =>
        new DecommissionedTenantIdentity(this, 'Identity', {
          tenantId,
          domain: props.domain,
          tokenTtlMinutes: props.tokenTtlMinutes,
        }),
    );
    this.secrets = inUserTerms(
      subject,
      { tenantId: 'tenantId' },
      () => new DecommissionedTenantSecrets(this, 'Secrets', { tenantId }),
    );
    this.audit = inUserTerms(
      subject,
      {
        tenantId: 'tenantId',
        accountId: 'cloudflare.accountId',
        retentionDays: 'audit.retentionDays',
        jurisdiction: 'audit.jurisdiction',
      },
      () =>
        new DecommissionedTenantAudit(this, 'Audit', {
          tenantId,
          accountId: props.cloudflare.accountId,
          retentionDays: props.audit?.retentionDays ?? AUDIT_RETENTION_DAYS,
          jurisdiction: props.audit?.jurisdiction,
          backend: props.audit?.backend,
        }),
    );
  }
}

/**
 * Secure local access to a multi-tenant MCP server, in one statement: for every tenant a cell of
 * its own in each of the five layers (identity, transport, ports, secrets, audit), the few shared
 * pieces once, per-tenant outputs, and the invariant rule pack on the stack.
 *
 * Construct ids: the shared pieces live under `Shared` (a {@link SecureMcpFoundation}), each
 * tenant's cell under its tenant id (a {@link SecureMcpCell}), so adding, removing or reordering
 * tenants leaves every other resource's address unchanged.
 */
export class SecureMcpAccess extends Construct {
  /** Tenant ids, in the order given. */
  public readonly tenantIds: readonly string[];
  /** The shared pieces. */
  public readonly shared: SecureMcpFoundation;
  /** The rule pack applied to this construct's stack. */
  public readonly checks: McpAccessChecks;
  /** Token lifetime in effect, in minutes. */
  public readonly tokenTtlMinutes: number;
  /** Audit retention in effect, in days. */
  public readonly auditRetentionDays: number;

  private readonly cells = new Map<string, SecureMcpCell>();
  private readonly decommissioned = new Map<string, DecommissionedMcpCell>();

  constructor(scope: Construct, id: string, props: SecureMcpAccessProps) {
    super(scope, id);
    validateSecureMcpAccessProps(props);
    this.tokenTtlMinutes = props.tokenTtlMinutes ?? TOKEN_TTL_MINUTES;
    this.auditRetentionDays = props.audit?.retentionDays ?? AUDIT_RETENTION_DAYS;
    this.checks = McpAccessChecks.of(this);
    this.tenantIds = props.tenants.map((t) => t.id);
    this.shared = inUserTerms('SecureMcpAccess', {}, () => new SecureMcpFoundation(this, 'Shared', props));
    props.tenants.forEach((tenant, i) => {
      if (tenant.decommissioned === true) {
        const retired = inUserTerms(
          'SecureMcpAccess',
          { tenantId: `tenants[${i}].id` },
          () => new DecommissionedMcpCell(this, tenant.id, { ...props, tenantId: tenant.id }),
        );
        this.decommissioned.set(tenant.id, retired);
        return;
      }
      const cell = inUserTerms(
        'SecureMcpAccess',
        { tenant: `tenants[${i}]` },
        () => new SecureMcpCell(this, tenant.id, { ...props, tenant, foundation: this.shared }),
      );
      this.cells.set(tenant.id, cell);
    });
  }

  /** One tenant's cell (a tenant in service). */
  public cell(tenantId: string): SecureMcpCell {
    const cell = this.cells.get(tenantId);
    if (!cell) {
      throw new Error(
        this.decommissioned.has(tenantId)
          ? `SecureMcpAccess tenant '${tenantId}' is decommissioned: use decommissionedCell('${tenantId}')`
          : `SecureMcpAccess has no tenant '${tenantId}'`,
      );
    }
    return cell;
  }

  /** What stays of a decommissioned tenant. */
  public decommissionedCell(tenantId: string): DecommissionedMcpCell {
    const cell = this.decommissioned.get(tenantId);
    if (!cell) throw new Error(`SecureMcpAccess has no decommissioned tenant '${tenantId}'`);
    return cell;
  }
}
