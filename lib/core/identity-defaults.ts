/**
 * The identity layer's constants, names and predicates (Okta), used by both the constructs and the
 * MCP-ID rules, so the two cannot drift apart.
 */
import { ADMIN_REAUTH_MINUTES, LOCAL_PORT } from './defaults';
import { isLoopbackAddress, TENANT_ID_SOURCE } from './formats';

/** Port MCP clients listen on for the OAuth redirect by default (next to the tunnel's local port). */
export const MCP_CALLBACK_PORT = LOCAL_PORT + 1;

/** Callback paths of common MCP clients: Claude Code uses `/callback`, mcp-remote `/oauth/callback`. */
export const MCP_CALLBACK_PATHS: readonly string[] = ['/callback', '/oauth/callback'];

/** Loopback hosts registered by default: clients differ in which of the two they put in `redirect_uri`. */
export const MCP_CALLBACK_HOSTS: readonly string[] = ['127.0.0.1', 'localhost'];

/** Loopback redirect URIs for a port: every default host and path, `http://<host>:<port><path>`. */
export function loopbackRedirectUris(port: number = MCP_CALLBACK_PORT): string[] {
  return MCP_CALLBACK_HOSTS.flatMap((host) => MCP_CALLBACK_PATHS.map((path) => `http://${host}:${port}${path}`));
}

/** Grant types of the public MCP client: authorization code (with PKCE) and rotating refresh tokens. */
export const MCP_CLIENT_GRANT_TYPES: readonly string[] = ['authorization_code', 'refresh_token'];

/**
 * Grant types of the admin client: authorization code only. No refresh token, so every admin token
 * (15 minutes at most) needs a fresh sign-in, which the sign-on rule ties to the hardware key.
 */
export const ADMIN_CLIENT_GRANT_TYPES: readonly string[] = ['authorization_code'];

/** Grant types a public client may hold (MCP-ID-1). */
export const PUBLIC_CLIENT_GRANT_TYPES: readonly string[] = MCP_CLIENT_GRANT_TYPES;

/** The only OAuth response type of every client: `code` (no implicit flow). */
export const CLIENT_RESPONSE_TYPES: readonly string[] = ['code'];

/** Refresh token behaviour of the public client: a new refresh token at every use. */
export const REFRESH_TOKEN_ROTATION = 'ROTATE';

/**
 * Seconds the previous refresh token stays valid after a rotation (Okta allows 0 to 60): covers a
 * lost response or two client processes refreshing at once without tripping reuse detection.
 */
export const REFRESH_TOKEN_LEEWAY_SECONDS = 30;

/**
 * Refresh token lifetime in the tenant policy, in minutes (default: one working day). Okta reads an
 * unset or 0 `refresh_token_lifetime_minutes` as unlimited, so the library always writes one.
 */
export const REFRESH_TOKEN_LIFETIME_MINUTES = 480;
/** Longest refresh token lifetime allowed, in minutes (24 hours absolute: no long-lived token on a laptop). */
export const REFRESH_TOKEN_LIFETIME_MINUTES_MAX = 1440;
/** Idle window after which an unused refresh token expires, in minutes (default). */
export const REFRESH_TOKEN_WINDOW_MINUTES = 60;
/** Longest idle window allowed, in minutes (8 hours idle). */
export const REFRESH_TOKEN_WINDOW_MINUTES_MAX = 480;

/**
 * Why a policy rule's refresh token bounds are unsafe (MCP-ID-3), empty when they are safe: a
 * lifetime of 1 to 1440 minutes (Okta's 0 means unlimited), an idle window of 1 to 480 minutes, and a
 * window no longer than the lifetime. A bound left undefined (unreadable) is not judged.
 */
export function refreshTokenBoundsProblems(lifetime: number | undefined, window: number | undefined): string[] {
  const problems: string[] = [];
  if (lifetime === 0) {
    problems.push('refresh_token_lifetime_minutes is 0 (Okta reads 0 as unlimited)');
  } else if (lifetime !== undefined && !(lifetime >= 1 && lifetime <= REFRESH_TOKEN_LIFETIME_MINUTES_MAX)) {
    problems.push(
      `refresh_token_lifetime_minutes is ${lifetime} (between 1 and ${REFRESH_TOKEN_LIFETIME_MINUTES_MAX})`,
    );
  }
  if (window !== undefined && !(window >= 1 && window <= REFRESH_TOKEN_WINDOW_MINUTES_MAX)) {
    problems.push(`refresh_token_window_minutes is ${window} (between 1 and ${REFRESH_TOKEN_WINDOW_MINUTES_MAX})`);
  } else if (window !== undefined && lifetime !== undefined && lifetime > 0 && window > lifetime) {
    problems.push(`refresh_token_window_minutes is ${window}, longer than refresh_token_lifetime_minutes ${lifetime}`);
  }
  return problems;
}

/**
 * Grant types of the tenant policy rules. Okta's rule conditions know no `refresh_token` grant:
 * refresh tokens follow the rule that granted the authorization code when `offline_access` is allowed.
 */
export const POLICY_RULE_GRANT_TYPES: readonly string[] = ['authorization_code'];

/** Grant types no tenant policy rule may allow (MCP-ID-5). */
export const FORBIDDEN_POLICY_GRANT_TYPES: readonly string[] = ['implicit', 'password', 'client_credentials'];

/** The scope that lets Okta issue a refresh token. */
export const OFFLINE_ACCESS_SCOPE = 'offline_access';

/** The scope value that allows every scope (never allowed, MCP-ID-5). */
export const ALL_SCOPES = '*';

/** Name of a tenant's Okta authorization server. */
export function tenantAuthServerName(tenantId: string): string {
  return `mcp-${tenantId}`;
}

/** A tenant admin scope as naming.tenantAdminScope writes it: `mcp:<tenant>:admin`. */
export const ADMIN_SCOPE_PATTERN = new RegExp(`^mcp:${TENANT_ID_SOURCE}:admin$`);

/** Okta expression language: a string literal (the `tid` claim carries the tenant id as one). */
export function oktaStringLiteral(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * The `tid` claim of a tenant's authorization server: an access-token (`RESOURCE`) claim whose value
 * is an Okta expression, the tenant id as a string literal (see {@link oktaStringLiteral}), in every
 * token (MCP-ID-8).
 */
export const TENANT_CLAIM_SHAPE = { claimType: 'RESOURCE', valueType: 'EXPRESSION' } as const;

/**
 * Attributes of the okta provider block that make it authenticate with OAuth 2.0 instead of an API
 * token. With OAuth the provider skips `groups_claim` on `okta_app_oauth` with a log line only
 * (terraform-provider-okta `validateAppOAuth`: "groups_claim arguments are disabled with OAuth 2.0 API
 * authentication"; `IsOAuth20Auth` is `PrivateKey != "" || AccessToken != ""`; issue #1906), and
 * Cloudflare Access then receives no groups and denies everyone (MCP-ID-9).
 */
export const OKTA_PROVIDER_OAUTH_ATTRIBUTES: readonly string[] = [
  'access_token',
  'private_key',
  'private_key_id',
  'client_id',
  'scopes',
];

/** The okta provider attribute of API-token (SSWS) authentication, which keeps `groups_claim`. */
export const OKTA_PROVIDER_API_TOKEN_ATTRIBUTE = 'api_token';

/** Environment variable of the okta provider's API token. */
export const OKTA_API_TOKEN_ENV = 'OKTA_API_TOKEN';

/** Environment variables that switch the okta provider to OAuth 2.0 at apply. */
export const OKTA_OAUTH_ENV: readonly string[] = [
  'OKTA_ACCESS_TOKEN',
  'OKTA_API_PRIVATE_KEY',
  'OKTA_API_PRIVATE_KEY_ID',
  'OKTA_API_CLIENT_ID',
  'OKTA_API_SCOPES',
];

/**
 * Possession constraint of the admin sign-on rule: a phishing-resistant, hardware-protected, verified key.
 *
 * What passes it (Okta Identity Engine; Okta help "Phishing-resistant authentication",
 * help.okta.com/oie/en-us/content/topics/identity-engine/authenticators/phishing-resistant-auth.htm:
 * "FIDO2 (WebAuthn) and Okta FastPass ... are phishing-resistant authenticators"; hardware-protected
 * means the key lives in a TPM, a secure enclave or a separate token; user verification means a PIN
 * or biometrics):
 * - a FIDO2 security key (a roaming WebAuthn authenticator such as a YubiKey with a PIN or fingerprint):
 *   authenticator `webauthn`, method `webauthn`, `amr` `pop`;
 * - a platform passkey (a built-in WebAuthn authenticator: Touch ID, Windows Hello, Android): the same
 *   authenticator and method, the same `amr` (Okta documents no other value for built-in keys);
 * - Okta FastPass (Okta Verify, method `signed_nonce`) with biometrics or a device-bound passcode:
 *   `amr` `okta_verify`, `phr`.
 * Nothing else passes: Okta Verify push or TOTP, SMS, voice, email, passwords, security questions and
 * OTP tokens are not phishing-resistant. To accept FIDO2 WebAuthn only (no FastPass), use
 * `adminAuthenticator: 'security-key'` (OktaMcpClients), which adds {@link SECURITY_KEY_AUTHENTICATION_METHODS}.
 * Telling a roaming key from a platform passkey is a setting of Okta's WebAuthn authenticator
 * (attachment `ROAMING`, AAGUID groups, `allowSyncablePasskeys`), not of a sign-on rule: the okta
 * provider 4.20 cannot write it (`okta_authenticator.settings` is not used for WebAuthn), so set it
 * in the Okta admin console or the management API.
 */
export const ADMIN_POSSESSION_CONSTRAINT = {
  required: true,
  phishingResistant: 'REQUIRED',
  hardwareProtection: 'REQUIRED',
  userVerification: 'REQUIRED',
} as const;

/** Which authenticators the admin sign-on rule accepts (see {@link ADMIN_POSSESSION_CONSTRAINT}). */
export type AdminAuthenticator = 'phishing-resistant' | 'security-key';

/** The values of {@link AdminAuthenticator}, the default first. */
export const ADMIN_AUTHENTICATORS: readonly AdminAuthenticator[] = ['phishing-resistant', 'security-key'];

/**
 * The precise authenticator and method of the strict admin setting: FIDO2 WebAuthn only, so Okta
 * FastPass (`okta_verify` / `signed_nonce`) no longer satisfies the rule. The shape is the Okta API's
 * `PossessionConstraint.authenticationMethods` (`AuthenticationMethodObject {key, method}`); within
 * one constraint object every property must hold, so the key must also be phishing-resistant,
 * hardware-protected and user-verified (Okta SDK docs, AccessPolicyConstraint).
 */
export const SECURITY_KEY_AUTHENTICATION_METHODS: readonly { readonly key: string; readonly method: string }[] = [
  { key: 'webauthn', method: 'webauthn' },
];

/** The possession constraint of the admin sign-on rule for a setting. */
export function adminPossessionConstraint(authenticator: AdminAuthenticator = 'phishing-resistant'): object {
  return authenticator === 'security-key'
    ? {
        ...ADMIN_POSSESSION_CONSTRAINT,
        authenticationMethods: SECURITY_KEY_AUTHENTICATION_METHODS.map((m) => ({ ...m })),
      }
    : { ...ADMIN_POSSESSION_CONSTRAINT };
}

/** The admin sign-on rule's `constraints` for a setting (a list of JSON strings, any one of which satisfies the rule). */
export function adminSignonConstraints(authenticator: AdminAuthenticator = 'phishing-resistant'): string[] {
  return [JSON.stringify({ possession: adminPossessionConstraint(authenticator) })];
}

/** The admin sign-on rule's `constraints` by default (phishing-resistant, hardware-protected, verified). */
export const ADMIN_SIGNON_CONSTRAINTS: readonly string[] = adminSignonConstraints();

/**
 * Names of the admin sign-on rule per setting. The strict name is also the stack's declaration of
 * the strict setting: MCP-ID-10 refuses a policy with a rule of this name whose constraints accept
 * anything but FIDO2 WebAuthn, so an override of the constraints alone cannot weaken it.
 */
export const ADMIN_SIGNON_RULE_NAMES: Readonly<Record<AdminAuthenticator, string>> = {
  'phishing-resistant': 'hardware key required',
  'security-key': 'security key required',
};

/** Factor mode of the admin sign-on rule: the key plus another factor. */
export const ADMIN_SIGNON_FACTOR_MODE = '2FA';

/**
 * Factor mode of the everyday sign-on rule (the MCP client and the Cloudflare Access web app): any
 * two factor types. It is also the okta provider's default for `factor_mode`.
 */
export const USER_SIGNON_FACTOR_MODE = '2FA';

/** Name of the everyday sign-on rule. */
export const USER_SIGNON_RULE_NAME = 'two factors required';

/** Okta's factor modes that require at least two factors (MCP-ID-7). */
export const TWO_FACTOR_MODES: readonly string[] = ['2FA'];

/** The only sign-on rule type the rules judge (Okta's default): a factor mode and constraints, not a chain. */
export const SIGNON_RULE_TYPE = 'ASSURANCE';

/** Admin re-authentication interval as ISO 8601 (`PT0S` means at every sign-in). */
export function reauthFrequency(minutes: number = ADMIN_REAUTH_MINUTES): string {
  return minutes === 0 ? 'PT0S' : `PT${minutes}M`;
}

/** Seconds of an ISO 8601 duration (`PnDTnHnMnS`, also `PnW`); undefined when it is not one. */
export function isoDurationSeconds(value: string): number | undefined {
  const m = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(value);
  if (!m || value === 'P' || value.endsWith('T')) return undefined;
  const [, w, d, h, min, s] = m.map((x) => (x === undefined ? 0 : Number(x)));
  return (((w * 7 + d) * 24 + h) * 60 + min) * 60 + s;
}

/** The Cloudflare Access callback of a team domain: the only redirect of the Access identity provider app. */
export const ACCESS_CALLBACK_PATTERN =
  /^https:\/\/[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.cloudflareaccess\.com\/cdn-cgi\/access\/callback$/;

/** Name of the groups claim the Cloudflare Access identity provider reads from the ID token. */
export const ACCESS_GROUPS_CLAIM_NAME = 'groups';

/** Regex of the groups claim filter (Okta matches the whole group name): only this library's groups. */
export const ACCESS_GROUPS_CLAIM_FILTER = 'mcp-.*';

/** Okta app labels and the admin sign-on policy name: `<prefix> <suffix>`, e.g. `MCP clients`. */
export const OKTA_LABELS = {
  prefix: 'MCP',
  mcpClient: 'clients',
  adminClient: 'admin',
  accessIdp: 'Cloudflare Access',
  adminSignonPolicy: 'admin hardware key',
  userSignonPolicy: 'two factors',
} as const;

/** Display name of the WebAuthn authenticator (FIDO2 security keys and platform authenticators). */
export const WEBAUTHN_AUTHENTICATOR = { key: 'webauthn', name: 'Security Key or Biometric' } as const;

/** Why a redirect URI is not exact https or loopback http (MCP-ID-2), or undefined when it is. */
export function redirectUriProblem(uri: string): string | undefined {
  if (uri.includes('*')) return 'is a wildcard';
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return 'is not an absolute URI';
  }
  if (url.hash !== '' || uri.includes('#')) return 'has a fragment';
  if (url.username !== '' || url.password !== '') return 'carries credentials';
  if (url.protocol === 'https:') return url.hostname === '' ? 'has no host' : undefined;
  if (url.protocol === 'http:') return isLoopbackHost(url.hostname) ? undefined : 'uses http on a non-loopback host';
  return `uses the scheme ${url.protocol} (only https, or http on a loopback host)`;
}

/** True for 127.0.0.1, localhost and [::1] (a URL's hostname keeps the brackets). */
export function isLoopbackHost(hostname: string): boolean {
  return isLoopbackAddress(hostname);
}

/** Why a URI is not a loopback redirect with an explicit port, or undefined when it is. */
export function loopbackRedirectProblem(uri: string): string | undefined {
  const problem = redirectUriProblem(uri);
  if (problem) return problem;
  const url = new URL(uri);
  if (url.protocol !== 'http:') return 'is not an http loopback URI';
  if (url.port === '') return 'names no port (Okta matches redirect URIs exactly, port included)';
  return undefined;
}
