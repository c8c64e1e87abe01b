import { DataCloudflareZeroTrustTunnelCloudflaredToken } from '@cdktf/provider-cloudflare/lib/data-cloudflare-zero-trust-tunnel-cloudflared-token';
import { DnsRecord } from '@cdktf/provider-cloudflare/lib/dns-record';
import type {
  ZeroTrustAccessApplication,
  ZeroTrustAccessApplicationPolicies,
} from '@cdktf/provider-cloudflare/lib/zero-trust-access-application';
import { ZeroTrustTunnelCloudflared } from '@cdktf/provider-cloudflare/lib/zero-trust-tunnel-cloudflared';
import { ZeroTrustTunnelCloudflaredConfigA } from '@cdktf/provider-cloudflare/lib/zero-trust-tunnel-cloudflared-config';
import { Construct, Token } from '../core/cdktf';
import { ACCESS_SESSION_MINUTES, LOCAL_PORT } from '../core/defaults';
import { SERVICE_ACCOUNT_NAME_PATTERN, SERVICE_ACCOUNTS_MAX } from '../core/identity-defaults';
import { localMcpUrl, tenantHostname } from '../core/naming';
import type { AccessIdentityProviderRef, TenantIdentityRef, TenantTransportRef } from '../core/refs';
import { recordTenantScope } from '../core/stack-metadata';
import {
  ACCESS_APPLICATION_TYPE,
  ACCESS_AUTHENTICATE_VIA_WARP,
  ACCESS_BINDING_COOKIE,
  ACCESS_INCLUDE_SELECTOR,
  ACCESS_POLICY_DECISION,
  ACCESS_POLICY_NAMES,
  ACCESS_SESSION_MINUTES_MIN,
  accessSessionDuration,
  ADMIN_ACCESS_AUTH_METHOD,
  type AccessServiceTokenSpec,
  CLOUDFLARE_ID_PATTERN,
  connectCommand,
  LOCAL_PORT_MIN,
  SERVICE_POLICY_PRECEDENCE_FIRST,
  serviceTokenProblems,
  TUNNEL_CATCH_ALL_SERVICE,
  TUNNEL_CONFIG_SOURCE,
  tenantAccessApplicationName,
  tenantTunnelName,
  tunnelCnameTarget,
  tunnelOriginService,
} from '../core/transport-defaults';
import { describeValue, isUnresolved, PropsValidator } from '../core/validation';
import { CloudflareServiceToken } from './cloudflare-service-token';

/**
 * The Access application module is the second heaviest provider module (about 35 ms to load): it is
 * loaded when the first application is built, not with the library.
 */
function accessApplicationClass(): typeof ZeroTrustAccessApplication {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('@cdktf/provider-cloudflare/lib/zero-trust-access-application').ZeroTrustAccessApplication;
}

/** Props of {@link CloudflareAccessTunnel}. */
export interface CloudflareAccessTunnelProps {
  /**
   * The tenant id; names the construct's resources and the hostname `<tenantId>.<domain>`.
   * Matches `^[a-z][a-z0-9-]{1,30}$`; a literal, never a token.
   */
  readonly tenantId: string;
  /** DNS domain of the tenant hostnames (a plain name, no scheme or path); in the zone `zoneId`. */
  readonly domain: string;
  /** Cloudflare account id (32 hex characters, or a Terraform token). */
  readonly accountId: string;
  /** Id of the Cloudflare zone that holds `domain` (32 hex characters, or a Terraform token). */
  readonly zoneId: string;
  /** The shared Okta identity provider: the only one the tenant's Access application allows. */
  readonly identityProvider: AccessIdentityProviderRef;
  /** The tenant's Okta group names, as the identity provider sees them in the groups claim. */
  readonly identity: Pick<TenantIdentityRef, 'userGroupName' | 'adminGroupName'>;
  /**
   * Port the MCP server binds on 127.0.0.1 inside its pod: the tunnel's only origin. Between 1 and
   * 65535. The origin host is not a prop: it is always 127.0.0.1.
   */
  readonly originPort: number;
  /**
   * Port `cloudflared access tcp` listens on, on the developer's 127.0.0.1. Between 1024 and 65535
   * (lower ports would need root on the laptop).
   * @default 7700
   */
  readonly localPort?: number;
  /**
   * How long an Access session lasts before the developer signs in again, in minutes. Between 1 and
   * 15; longer sessions are refused.
   * @default 15
   */
  readonly sessionDurationMinutes?: number;
  /**
   * Set the Access binding cookie on the application. It protects browser sessions, but Cloudflare
   * documents that it breaks non-browser clients such as `cloudflared access tcp`; enable it only
   * if every client of the hostname is a browser.
   * @default false
   */
  readonly enableBindingCookie?: boolean;
  /**
   * Service accounts of the tenant: each gets an Access service token of bounded life and an inline
   * policy of the application (decision `non_identity`, that one token) after the users and admins
   * policies, in declaration order. At most 20, names unique DNS labels. See {@link CloudflareServiceToken}.
   * @default - none
   */
  readonly serviceAccounts?: readonly AccessServiceTokenSpec[];
}

/** Validates {@link CloudflareAccessTunnelProps}, throwing one error that names every problem. */
export function validateCloudflareAccessTunnelProps(props: CloudflareAccessTunnelProps): void {
  const v = new PropsValidator('CloudflareAccessTunnel');
  v.tenantId('tenantId', props.tenantId);
  v.domain('domain', props.domain);
  v.required('accountId', props.accountId);
  v.matches('accountId', props.accountId, CLOUDFLARE_ID_PATTERN, '32 lower-case hex characters');
  v.required('zoneId', props.zoneId);
  v.matches('zoneId', props.zoneId, CLOUDFLARE_ID_PATTERN, '32 lower-case hex characters');
  v.required('identityProvider.identityProviderId', props.identityProvider?.identityProviderId);
  const idpAccount = props.identityProvider?.accountId;
  if (
    typeof idpAccount === 'string' &&
    !isUnresolved(idpAccount) &&
    typeof props.accountId === 'string' &&
    CLOUDFLARE_ID_PATTERN.test(props.accountId) &&
    idpAccount !== props.accountId
  ) {
    v.fail(
      `identityProvider.accountId must be the tunnel's account '${props.accountId}', but ${describeValue(idpAccount)} was provided`,
    );
  }
  v.required('identity.userGroupName', props.identity?.userGroupName);
  v.required('identity.adminGroupName', props.identity?.adminGroupName);
  const userGroup = props.identity?.userGroupName;
  if (
    typeof userGroup === 'string' &&
    userGroup !== '' &&
    !isUnresolved(userGroup) &&
    userGroup === props.identity?.adminGroupName
  ) {
    v.fail(`identity.adminGroupName must differ from identity.userGroupName, but '${userGroup}' was provided for both`);
  }
  v.required('originPort', props.originPort);
  v.integerBetween('originPort', props.originPort, 1, 65535);
  v.integerBetween('localPort', props.localPort, LOCAL_PORT_MIN, 65535);
  v.integerBetween(
    'sessionDurationMinutes',
    props.sessionDurationMinutes,
    ACCESS_SESSION_MINUTES_MIN,
    ACCESS_SESSION_MINUTES,
  );
  const accounts = props.serviceAccounts;
  if (accounts !== undefined && !isUnresolved(accounts)) {
    if (accounts.length > SERVICE_ACCOUNTS_MAX) {
      v.fail(
        `serviceAccounts must list at most ${SERVICE_ACCOUNTS_MAX} service accounts per tenant, but ${accounts.length} were provided`,
      );
    }
    const seen = new Map<string, number>();
    accounts.forEach((account, j) => {
      const at = `serviceAccounts[${j}]`;
      v.check(
        account?.name,
        (n: string) => typeof n === 'string' && SERVICE_ACCOUNT_NAME_PATTERN.test(n),
        `${at}.name must be a DNS label (lower-case letters, digits and '-', 1 to 63 characters, starting and ending with a letter or digit), but ${describeValue(account?.name)} was provided`,
      );
      const first = seen.get(account?.name);
      if (first !== undefined) {
        v.fail(
          `${at}.name must be unique within the tenant, but '${account.name}' is also serviceAccounts[${first}]'s`,
        );
      } else if (typeof account?.name === 'string') seen.set(account.name, j);
      serviceTokenProblems(at, account, isUnresolved).forEach((p) => v.fail(p));
    });
  }
  v.throwIfInvalid();
}

/** A number prop as text for an interpolated string: a token stays a token. */
function numberText(value: number): string {
  return Token.isUnresolved(value) ? Token.asString(value) : String(value);
}

/**
 * The tenant's two inline Access policies, the only ones its application has: users by their Okta
 * group; admins by theirs AND a WebAuthn sign-in (`auth_method` `pop`, the `amr` value Okta sends for
 * a security key or platform passkey; see ADMIN_ACCESS_AUTH_METHOD). Both through the shared Okta
 * identity provider, nothing else: no email, network, service token or `everyone` include.
 */
export function tenantAccessPolicies(
  tenantId: string,
  identityProviderId: string,
  identity: Pick<TenantIdentityRef, 'userGroupName' | 'adminGroupName'>,
): ZeroTrustAccessApplicationPolicies[] {
  const app = tenantAccessApplicationName(tenantId);
  const group = (name: string) => ({ [ACCESS_INCLUDE_SELECTOR]: { identityProviderId, name } });
  return [
    {
      name: `${app}-${ACCESS_POLICY_NAMES.users}`,
      decision: ACCESS_POLICY_DECISION,
      precedence: 1,
      include: [group(identity.userGroupName)],
    },
    {
      name: `${app}-${ACCESS_POLICY_NAMES.admins}`,
      decision: ACCESS_POLICY_DECISION,
      precedence: 2,
      include: [group(identity.adminGroupName)],
      require: [{ authMethod: { authMethod: ADMIN_ACCESS_AUTH_METHOD } }],
    },
  ];
}

/**
 * One tenant's way in: a remotely managed Cloudflare tunnel whose only origin is the MCP port on
 * the pod's 127.0.0.1, a proxied hostname `<tenant>.<domain>` for it, and a self-hosted Access
 * application in front of that hostname that admits the tenant's Okta users, and its admins only
 * after a WebAuthn sign-in (a second layer behind the Okta admin client's hardware-key rule), for
 * sessions of 15 minutes at most; and, for each of the tenant's service accounts, an Access service
 * token of bounded life admitted by a `non_identity` policy that names it alone (see
 * {@link CloudflareServiceToken}; its secret, like the tunnel token, exists only in state).
 *
 * The tunnel token (for the cloudflared sidecar) is read with the token data source and handed on
 * by reference: it lands in Terraform state, so state must live in an encrypted remote backend.
 */
export class CloudflareAccessTunnel extends Construct implements TenantTransportRef {
  public readonly tenantId: string;
  /** The tenant's public hostname `<tenant>.<domain>`. */
  public readonly hostname: string;
  /** The tunnel id. */
  public readonly tunnelId: string;
  /** The tunnel token, a reference to the token data source (sensitive; never a literal). */
  public readonly tunnelToken: string;
  /** Id of the Access application. */
  public readonly applicationId: string;
  /** Port `cloudflared access tcp` listens on, on the developer's laptop. */
  public readonly localPort: number;
  /** Access session duration in effect, in minutes. */
  public readonly sessionDurationMinutes: number;
  /** `cloudflared access tcp --hostname <t>.<domain> --url 127.0.0.1:<localPort>` */
  public readonly connectCommand: string;
  /** `http://127.0.0.1:<localPort>/mcp`: the URL the developer's MCP client uses. */
  public readonly localMcpUrl: string;

  public readonly tunnel: ZeroTrustTunnelCloudflared;
  public readonly tunnelConfig: ZeroTrustTunnelCloudflaredConfigA;
  public readonly dnsRecord: DnsRecord;
  public readonly application: ZeroTrustAccessApplication;
  public readonly token: DataCloudflareZeroTrustTunnelCloudflaredToken;
  /** The service accounts' Access service tokens, in declaration order (construct ids `Service-<name>`). */
  public readonly serviceTokens: readonly CloudflareServiceToken[];

  constructor(scope: Construct, id: string, props: CloudflareAccessTunnelProps) {
    super(scope, id);
    validateCloudflareAccessTunnelProps(props);
    recordTenantScope(this, props.tenantId);

    this.tenantId = props.tenantId;
    this.hostname = tenantHostname(props.tenantId, props.domain);
    this.localPort = props.localPort ?? LOCAL_PORT;
    this.sessionDurationMinutes = props.sessionDurationMinutes ?? ACCESS_SESSION_MINUTES;
    this.connectCommand = connectCommand(this.hostname, numberText(this.localPort));
    // naming.localMcpUrl only interpolates the port, so a token's string form passes through intact.
    this.localMcpUrl = localMcpUrl(numberText(this.localPort));

    this.tunnel = new ZeroTrustTunnelCloudflared(this, 'Tunnel', {
      accountId: props.accountId,
      name: tenantTunnelName(props.tenantId),
      configSrc: TUNNEL_CONFIG_SOURCE,
    });
    this.tunnelId = this.tunnel.id;

    this.tunnelConfig = new ZeroTrustTunnelCloudflaredConfigA(this, 'TunnelConfig', {
      accountId: props.accountId,
      tunnelId: this.tunnelId,
      source: TUNNEL_CONFIG_SOURCE,
      config: {
        ingress: [
          { hostname: this.hostname, service: tunnelOriginService(numberText(props.originPort)) },
          { service: TUNNEL_CATCH_ALL_SERVICE },
        ],
      },
    });

    this.dnsRecord = new DnsRecord(this, 'DnsRecord', {
      zoneId: props.zoneId,
      name: this.hostname,
      type: 'CNAME',
      content: tunnelCnameTarget(this.tunnelId),
      proxied: true,
      ttl: 1,
      comment: `MCP tunnel of tenant ${props.tenantId}`,
    });

    this.serviceTokens = (props.serviceAccounts ?? []).map(
      (account) =>
        new CloudflareServiceToken(this, `Service-${account.name}`, {
          ...account,
          tenantId: props.tenantId,
          accountId: props.accountId,
        }),
    );
    const servicePolicies = this.serviceTokens.map((t, i) => t.accessPolicy(SERVICE_POLICY_PRECEDENCE_FIRST + i));

    const identityProviderId = props.identityProvider.identityProviderId;
    const AccessApplication = accessApplicationClass();
    this.application = new AccessApplication(this, 'AccessApplication', {
      accountId: props.accountId,
      name: tenantAccessApplicationName(props.tenantId),
      type: ACCESS_APPLICATION_TYPE,
      destinations: [{ type: 'public', uri: this.hostname }],
      sessionDuration: accessSessionDuration(numberText(this.sessionDurationMinutes)),
      allowedIdps: [identityProviderId],
      autoRedirectToIdentity: true,
      allowAuthenticateViaWarp: ACCESS_AUTHENTICATE_VIA_WARP,
      enableBindingCookie: props.enableBindingCookie ?? ACCESS_BINDING_COOKIE,
      appLauncherVisible: false,
      policies: [...tenantAccessPolicies(props.tenantId, identityProviderId, props.identity), ...servicePolicies],
    });
    this.applicationId = this.application.id;

    this.token = new DataCloudflareZeroTrustTunnelCloudflaredToken(this, 'TunnelToken', {
      accountId: props.accountId,
      tunnelId: this.tunnelId,
    });
    this.tunnelToken = this.token.token;
  }
}
