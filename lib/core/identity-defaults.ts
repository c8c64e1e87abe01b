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

/** Refresh token lifetime in the tenant policy, in minutes (default: one working day). */
export const REFRESH_TOKEN_LIFETIME_MINUTES = 480;
/** Longest refresh token lifetime allowed, in minutes (one day: no long-lived token on a laptop). */
export const REFRESH_TOKEN_LIFETIME_MINUTES_MAX = 1440;
/** Idle window after which an unused refresh token expires, in minutes (default). */
export const REFRESH_TOKEN_WINDOW_MINUTES = 60;

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

/** Possession constraint of the admin sign-on rule: a phishing-resistant, hardware-protected, verified key. */
export const ADMIN_POSSESSION_CONSTRAINT = {
  required: true,
  phishingResistant: 'REQUIRED',
  hardwareProtection: 'REQUIRED',
  userVerification: 'REQUIRED',
} as const;

/** The admin sign-on rule's `constraints` (a list of JSON strings, any one of which satisfies the rule). */
export const ADMIN_SIGNON_CONSTRAINTS: readonly string[] = [
  JSON.stringify({ possession: ADMIN_POSSESSION_CONSTRAINT }),
];

/** Factor mode of the admin sign-on rule: the key plus another factor. */
export const ADMIN_SIGNON_FACTOR_MODE = '2FA';

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
