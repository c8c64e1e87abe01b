/**
 * The transport layer's constants and names (Cloudflare tunnel and Access), used by both the
 * constructs and the MCP-NET rules, so the two cannot drift apart.
 */
import { ACCESS_SESSION_MINUTES, BIND_ADDRESS } from './defaults';
import { tenantNamespaceName } from './naming';
import { describeValue } from './validation';

/** A Cloudflare account id or zone id: 32 lower-case hex characters. */
export const CLOUDFLARE_ID_PATTERN = /^[a-f0-9]{32}$/;

/** `config_src` of a remotely managed tunnel: its ingress lives in Terraform, not on the host. */
export const TUNNEL_CONFIG_SOURCE = 'cloudflare';

/** The last ingress rule of every tunnel: anything not matched above gets a 404, never an origin. */
export const TUNNEL_CATCH_ALL_SERVICE = 'http_status:404';

/** Protocol of the tunnel origin: the MCP port is reached as raw TCP through `cloudflared access tcp`. */
export const TUNNEL_ORIGIN_PROTOCOL = 'tcp';

/** URL schemes an ingress rule may use towards a loopback origin. */
export const TUNNEL_ORIGIN_SCHEMES: readonly string[] = ['tcp', 'http', 'https'];

/** Domain under which Cloudflare publishes a tunnel: `<tunnel id>.cfargotunnel.com`. */
export const TUNNEL_CNAME_DOMAIN = 'cfargotunnel.com';

/** Access application type for a hostname served through a tunnel. */
export const ACCESS_APPLICATION_TYPE = 'self_hosted';

/** The Access identity provider type every tenant application must allow, and only it. */
export const ACCESS_IDP_TYPE = 'okta';

/**
 * The `amr` values an Okta Identity Engine ID token carries for each authenticator, as Okta documents
 * them (table "Supported AMR values by authenticator type" of "Configure AMR claims mapping",
 * https://developer.okta.com/docs/guides/configure-amr-claims-mapping/main/): WebAuthn, whether a
 * roaming FIDO2 security key or a platform passkey, is `pop` (Okta documents no different value for
 * the two); Okta FastPass (Okta Verify `signed_nonce`) is `okta_verify` + `phr`; Okta Verify push is
 * `okta_verify` + `swk`; Okta Verify TOTP is `okta_verify` + `otp`; a password is `pwd`. `hwk` appears
 * only for a smart card (`smart_card_idp`) with an extra setting, never for WebAuthn.
 */
export const OKTA_AMR = {
  webauthn: ['pop'],
  fastPass: ['okta_verify', 'phr'],
  push: ['okta_verify', 'swk'],
  totp: ['okta_verify', 'otp'],
  password: ['pwd'],
} as const satisfies Record<string, readonly string[]>;

/**
 * The `auth_method` a tenant's admin Access policy requires: `pop`, the RFC 8176 value ("proof of
 * possession of a key") Okta sends for a WebAuthn sign-in (security key or platform passkey), so
 * that the policy admits exactly the admins who signed in with the authenticator the Okta admin
 * sign-on rule asks for, and refuses FastPass, push, TOTP and password sign-ins.
 *
 * Cloudflare Access's "Authentication method" selector "checks the multifactor authentication method
 * used by the user, if supported by the identity provider" against the ID token's `amr` values
 * (https://developers.cloudflare.com/cloudflare-one/access-controls/policies/ and, "Cloudflare Access
 * follows RFC 8176", https://developers.cloudflare.com/cloudflare-one/access-controls/policies/mfa-requirements/).
 * It was `hwk`, which Okta never sends for WebAuthn: that policy admitted no admin who signed in with a
 * key. This is a second layer; the hardware-key control is the Okta admin client's sign-on rule.
 */
export const ADMIN_ACCESS_AUTH_METHOD = 'pop';

/**
 * The RFC 8176 `amr` value for a hardware-protected key, which this library required until Okta's
 * documentation showed that Okta sends it for no WebAuthn sign-in.
 * @deprecated use {@link ADMIN_ACCESS_AUTH_METHOD} (`pop`): an admin policy requiring `hwk` admits no
 * admin who signs in with a security key or passkey. Kept only for readers of older stacks.
 */
export const HARDWARE_KEY_AUTH_METHOD = 'hwk';

/** The only decision a tenant Access policy takes: allow its tenant's groups, nothing else. */
export const ACCESS_POLICY_DECISION = 'allow';

/**
 * The only selector a tenant Access policy may include: an Okta group (`okta { name,
 * identity_provider_id }`) of that tenant, through the library's Okta identity provider.
 */
export const ACCESS_INCLUDE_SELECTOR = 'okta';

/**
 * Tenant applications never accept a WARP session instead of an Okta sign-in (the setting overrides
 * the organization's, so it is always written).
 */
export const ACCESS_AUTHENTICATE_VIA_WARP = false;

/**
 * The `origin_request` settings an ingress rule (or the whole tunnel config) may carry: timeouts,
 * keep-alives, TLS towards the loopback origin, and Access token validation. Anything else is
 * refused; `proxy_type = "socks"` in particular turns the tunnel into a SOCKS proxy to any address.
 */
export const TUNNEL_ORIGIN_REQUEST_SETTINGS: readonly string[] = [
  'access',
  'ca_pool',
  'connect_timeout',
  'disable_chunked_encoding',
  'http2_origin',
  'http_host_header',
  'keep_alive_connections',
  'keep_alive_timeout',
  'match_sn_ito_host',
  'no_happy_eyeballs',
  'no_tls_verify',
  'origin_server_name',
  'tcp_keep_alive',
  'tls_timeout',
];

/**
 * Whether tenant Access applications set the binding cookie. Off: Cloudflare documents that the
 * binding cookie breaks non-browser clients (`cloudflared access` fails with "websocket: bad handshake").
 */
export const ACCESS_BINDING_COOKIE = false;

/** Names of a tenant application's two inline Access policies. */
export const ACCESS_POLICY_NAMES = { users: 'users', admins: 'admins' } as const;

/**
 * How MCP-NET-4 recognises an admin policy, by its name or a group it includes: the last word is
 * admin, admins or administrators (`mcp-acme-admins`, `Admins`), so a tenant id such as
 * `admin-tools` does not make its users policy look like one. The tenant admin policy name and
 * naming.tenantAdminGroupName both match it.
 */
export const ADMIN_NAME_PATTERN = /(^|[^a-z0-9])admin(s|istrators?)?$/i;

/** Shortest Access session a tenant application may set, in minutes (the longest is ACCESS_SESSION_MINUTES). */
export const ACCESS_SESSION_MINUTES_MIN = 1;

/** Lowest local port for `cloudflared access tcp`: below 1024 the developer would need root. */
export const LOCAL_PORT_MIN = 1024;

/** Cloudflare notification alert type for the health of cloudflared tunnels. */
export const TUNNEL_HEALTH_ALERT_TYPE = 'tunnel_health_event';

/** Name of the tunnel health notification policy and its webhook destination. */
export const TUNNEL_HEALTH_ALERT_NAME = 'mcp-tunnel-health';

/** Name of the shared Cloudflare Access identity provider (shown on the login page). */
export const ACCESS_IDP_NAME = 'Okta';

/** Cloudflare tunnel name of a tenant: its cell's name, as its Kubernetes namespace is called. */
export function tenantTunnelName(tenantId: string): string {
  return tenantNamespaceName(tenantId);
}

/** Cloudflare Access application name of a tenant: its cell's name, as its Kubernetes namespace is called. */
export function tenantAccessApplicationName(tenantId: string): string {
  return tenantNamespaceName(tenantId);
}

/** The tunnel's only origin: the MCP port on the pod's loopback address. */
export function tunnelOriginService(port: string | number): string {
  return `${TUNNEL_ORIGIN_PROTOCOL}://${BIND_ADDRESS}:${port}`;
}

/** CNAME target of a tunnel. */
export function tunnelCnameTarget(tunnelId: string): string {
  return `${tunnelId}.${TUNNEL_CNAME_DOMAIN}`;
}

/** Cloudflare duration string (Go syntax) for a number of minutes. */
export function accessSessionDuration(minutes: string | number = ACCESS_SESSION_MINUTES): string {
  return `${minutes}m`;
}

/** The command a developer runs to open the tenant's MCP port on their laptop. */
export function connectCommand(hostname: string, localPort: string | number): string {
  return `cloudflared access tcp --hostname ${hostname} --url ${BIND_ADDRESS}:${localPort}`;
}

/** Seconds per unit of a Go duration, as [multiplier, divisor] so that whole units stay exact. */
const DURATION_UNIT_SECONDS: Readonly<Record<string, readonly [number, number]>> = {
  ns: [1, 1e9],
  us: [1, 1e6],
  µs: [1, 1e6],
  μs: [1, 1e6],
  ms: [1, 1e3],
  s: [1, 1],
  m: [60, 1],
  h: [3600, 1],
};
const DURATION = /^(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$/;
const DURATION_PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g;

/**
 * Minutes in a Cloudflare (Go) duration such as `15m`, `1h`, `30m0s` or `2h45m`; undefined when
 * the text is not a duration.
 */
export function durationMinutes(text: string): number | undefined {
  if (text === '0') return 0;
  if (!DURATION.test(text)) return undefined;
  let seconds = 0;
  for (const m of text.matchAll(DURATION_PART)) {
    const [multiplier, divisor] = DURATION_UNIT_SECONDS[m[2]];
    seconds += (Number(m[1]) * multiplier) / divisor;
  }
  return Math.round((seconds / 60) * 1e6) / 1e6;
}

// ---------------------------------------------------------------------------------------------
// Service tokens: a service account's way through Access (no person, so no Okta sign-in there).
// ---------------------------------------------------------------------------------------------

/**
 * Longest (and default) life of a service account's Access service token, in hours: 8760, one year,
 * Cloudflare's own default ("The default is 1 year in hours (8760h)", `duration` of
 * zero_trust_access_service_token). Never `forever` (SERVICE_TOKEN_FOREVER).
 */
export const SERVICE_TOKEN_DURATION_HOURS = 8760;
/** Shortest service token life allowed, in hours. */
export const SERVICE_TOKEN_DURATION_HOURS_MIN = 1;

/** The `duration` value Cloudflare reads as a token that never expires: always refused. */
export const SERVICE_TOKEN_FOREVER = 'forever';

/** The service token `duration` for a number of hours (Go duration syntax). */
export function serviceTokenDuration(hours: string | number = SERVICE_TOKEN_DURATION_HOURS): string {
  return `${hours}h`;
}

/**
 * The decision of a service account's Access policy: `non_identity`, the decision Cloudflare gives
 * to policies that admit a caller by something other than a person's identity (a service token).
 */
export const SERVICE_TOKEN_POLICY_DECISION = 'non_identity';

/** The Access selector that names one service token (`service_token { token_id }`). */
export const SERVICE_TOKEN_SELECTOR = 'service_token';

/** The Access selector that admits every service token of the account: never allowed. */
export const ANY_SERVICE_TOKEN_SELECTOR = 'any_valid_service_token';

/** Cloudflare resource type of an Access service token. */
export const SERVICE_TOKEN_TYPE_NAME = 'cloudflare_zero_trust_access_service_token';

/** Precedence of the first service-token policy of a tenant's application (after users 1 and admins 2). */
export const SERVICE_POLICY_PRECEDENCE_FIRST = 3;

/** An RFC 3339 timestamp with a zone, as Cloudflare takes `previous_client_secret_expires_at`. */
export const RFC3339_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;

/** The Cloudflare side of one service account (see SecureMcpAccess `tenants[].serviceAccounts`). */
export interface AccessServiceTokenSpec {
  /** The service account's name (a DNS label): names the token `mcp-<t>-svc-<name>` and its construct ids. */
  readonly name: string;
  /**
   * Hours the Access service token stays valid after it is created, 1 to 8760 (one year). Replace
   * the token before it expires (see CloudflareServiceToken).
   * @default 8760
   */
  readonly accessTokenDurationHours?: number;
  /**
   * Version of the token's client secret. Raising it makes Cloudflare issue a new secret (same client
   * id); the previous one is accepted until `previousAccessSecretExpiresAt`. Set both together.
   * @default - the first secret (Cloudflare's version 1), no rotation
   */
  readonly accessSecretVersion?: number;
  /** When the previous client secret stops working after a rotation, RFC 3339 (e.g. `2027-01-31T00:00:00Z`). */
  readonly previousAccessSecretExpiresAt?: string;
}

/**
 * Why the Cloudflare settings of one service account are invalid, each message naming `at` (e.g.
 * `tenants[0].serviceAccounts[1]`): the token life 1 to 8760 whole hours, the secret version a whole
 * number of at least 1, and it and the previous secret's expiry (RFC 3339) set together.
 */
export function serviceTokenProblems(
  at: string,
  spec: AccessServiceTokenSpec,
  isToken: (v: unknown) => boolean = () => false,
): string[] {
  if (typeof spec !== 'object' || spec === null) return [];
  const problems: string[] = [];
  const p = (field: string): string => (at === '' ? field : `${at}.${field}`);
  const hours = spec.accessTokenDurationHours;
  if (hours !== undefined && !isToken(hours)) {
    if (!(
      Number.isInteger(hours) &&
      hours >= SERVICE_TOKEN_DURATION_HOURS_MIN &&
      hours <= SERVICE_TOKEN_DURATION_HOURS
    )) {
      problems.push(
        `${p('accessTokenDurationHours')} must be ${typeof hours === 'number' && !Number.isInteger(hours) ? 'a whole number ' : ''}between ${SERVICE_TOKEN_DURATION_HOURS_MIN} and ${SERVICE_TOKEN_DURATION_HOURS} (never forever), but ${describeValue(hours)} was provided`,
      );
    }
  }
  const version = spec.accessSecretVersion;
  const expiry = spec.previousAccessSecretExpiresAt;
  if (version !== undefined && !isToken(version) && !(Number.isInteger(version) && version >= 1)) {
    problems.push(
      `${p('accessSecretVersion')} must be a whole number of at least 1, but ${describeValue(version)} was provided`,
    );
  }
  if (expiry !== undefined && !isToken(expiry) && !(typeof expiry === 'string' && RFC3339_PATTERN.test(expiry))) {
    problems.push(
      `${p('previousAccessSecretExpiresAt')} must be an RFC 3339 time such as '2027-01-31T00:00:00Z', but ${describeValue(expiry)} was provided`,
    );
  }
  if (version !== undefined && expiry === undefined) {
    problems.push(
      `${p('previousAccessSecretExpiresAt')} must be set with accessSecretVersion (the previous secret is accepted until then), but undefined was provided`,
    );
  }
  if (expiry !== undefined && version === undefined) {
    problems.push(
      `${p('accessSecretVersion')} must be set with previousAccessSecretExpiresAt (raising it rotates the secret), but undefined was provided`,
    );
  }
  return problems;
}
