/**
 * The identity layer's constants, names and predicates (Okta), used by both the constructs and the
 * MCP-ID rules, so the two cannot drift apart.
 */
import { createPublicKey, type JsonWebKey } from 'node:crypto';
import { ADMIN_REAUTH_MINUTES, LOCAL_PORT } from './defaults';
import { isHttpsUrl, isLoopbackAddress, TENANT_ID_SOURCE } from './formats';
import { tenantAdminScope, tenantUseScope } from './naming';
import { describeValue } from './validation';

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

// ---------------------------------------------------------------------------------------------
// Service accounts: one agent, one identity (client credentials signed with its own private key).
// ---------------------------------------------------------------------------------------------

/** Okta app type of a service account: no user, no sign-in, client credentials only. */
export const SERVICE_APP_TYPE = 'service';

/** The only grant a service app holds and its policy rule allows. */
export const SERVICE_GRANT_TYPES: readonly string[] = ['client_credentials'];

/**
 * The only response type of a service app: `token` (what Okta and the okta provider's own
 * service-app example pair with `client_credentials`; there is no authorize endpoint flow).
 */
export const SERVICE_RESPONSE_TYPES: readonly string[] = ['token'];

/**
 * How a service app authenticates at the token endpoint: a JWT signed with its own private key
 * (RFC 7523), whose public half Okta holds. No client secret exists, in Okta or in Terraform state.
 */
export const SERVICE_TOKEN_ENDPOINT_AUTH_METHOD = 'private_key_jwt';

/** Most service accounts per tenant: each is a new way in, so a long list is refused, not reviewed. */
export const SERVICE_ACCOUNTS_MAX = 20;

/**
 * Priority of the first service policy on a tenant's authorization server: the human policies are 1
 * (MCP client) and 2 (admin client). Okta keeps policy priorities contiguous and unique per server
 * (it renumbers the others when one is inserted; okta/terraform-provider-okta issues 1198 and
 * 2140), so service policies take 3, 4, ... in the order the service accounts are declared, each
 * created after the one before it. Appending a service account leaves every existing priority as it
 * is; removing or moving one renumbers those declared after it (an in-place update of their
 * policies, which Okta would do by itself anyway).
 */
export const SERVICE_POLICY_PRIORITY_FIRST = 3;

/**
 * Names of a service policy rule. The admin name is also the stack's declaration that the service
 * account was given `admin: true`: MCP-ID-13 warns about a service rule that grants an admin scope
 * under any other name, so an override of the scopes alone cannot elevate a service account quietly.
 */
export const SERVICE_RULE_NAMES = { use: 'service account', admin: 'service account (admin: true)' } as const;

/** A service account name: one DNS label (lower-case letters, digits and '-', at most 63). */
export const SERVICE_ACCOUNT_NAME_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** Okta app label (and Cloudflare service token name) of a service account: `mcp-<t>-svc-<name>`. */
export function serviceAccountLabel(tenantId: string, name: string): string {
  return `mcp-${tenantId}-svc-${name}`;
}

/**
 * The service account a label names for a given tenant (`deploy-bot` of `mcp-acme-svc-deploy-bot`
 * for `acme`), or undefined. A tenant id may itself hold `-svc-`, so a label is read against a tenant.
 */
export function serviceAccountInLabel(label: string, tenantId: string): string | undefined {
  const prefix = `mcp-${tenantId}-svc-`;
  if (!label.startsWith(prefix)) return undefined;
  const name = label.slice(prefix.length);
  return SERVICE_ACCOUNT_NAME_PATTERN.test(name) ? name : undefined;
}

/** The tenants whose service-account label a label could be, among known tenant ids. */
export function serviceAccountTenants(label: string, tenants: Iterable<string>): string[] {
  return [...tenants].filter((t) => serviceAccountInLabel(label, t) !== undefined).sort();
}

/** Key types a service account's public key may have. */
export const SERVICE_KEY_TYPES: readonly string[] = ['RSA', 'EC'];

/** Smallest RSA modulus accepted, in bits (NIST SP 800-131A: 2048 and up). */
export const RSA_MIN_BITS = 2048;

/** Elliptic curves accepted (ES256, ES384, ES512). */
export const EC_CURVES: readonly string[] = ['P-256', 'P-384', 'P-521'];

/** Bytes of an EC coordinate (`x`, `y`) per curve: how a key without `crv` shows its curve. */
export const EC_COORDINATE_BYTES: Readonly<Record<string, number>> = { 'P-256': 32, 'P-384': 48, 'P-521': 66 };

/**
 * The curve an EC key's coordinates are on, by their length (the okta provider's `jwks` block has no
 * `crv`, so Okta, and the rules, read the curve from the key); undefined for any other length.
 */
export function ecCurveOf(x: string): string | undefined {
  const bytes = Buffer.from(x, 'base64url').length;
  return Object.entries(EC_COORDINATE_BYTES).find(([, n]) => n === bytes)?.[0];
}

/** JWK members that belong to a private key (RFC 7518 section 6): never in a stack. */
export const PRIVATE_JWK_MEMBERS: readonly string[] = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

/** A public JSON Web Key of a service account (RFC 7517): RSA (`n`, `e`) or EC (`crv`, `x`, `y`), with a `kid`. */
export interface ServiceAccountPublicJwk {
  /** `RSA` or `EC`. */
  readonly kty: string;
  /** Key id: the client assertion's `kid` header names it, and Okta selects the key by it. */
  readonly kid: string;
  /** RSA modulus (base64url). */
  readonly n?: string;
  /** RSA exponent (base64url). */
  readonly e?: string;
  /** EC curve: `P-256`, `P-384` or `P-521`. */
  readonly crv?: string;
  /** EC x coordinate (base64url). */
  readonly x?: string;
  /** EC y coordinate (base64url). */
  readonly y?: string;
  /** Intended use; `sig` when given. */
  readonly use?: string;
  /** Algorithm; informative only. */
  readonly alg?: string;
}

/** Keys a service app may hold at once: the current one, and the next one during a rotation. */
export const SERVICE_PUBLIC_KEYS_MAX = 2;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Why a value is not a public RSA (>= 2048 bits) or EC (P-256, P-384, P-521) JWK with a `kid`,
 * one message per problem, each naming `prop` ("must be ..., but ... was provided"); empty when it
 * is one. The key material itself is checked with node:crypto (a point off its curve is refused).
 */
export function publicJwkProblems(prop: string, jwk: unknown): string[] {
  if (!isRecord(jwk)) {
    return [`${prop} must be a public JWK object (RSA or EC, with kid), but ${describeValue(jwk)} was provided`];
  }
  const problems: string[] = [];
  const secret = PRIVATE_JWK_MEMBERS.filter((m) => jwk[m] !== undefined);
  if (secret.length > 0) {
    problems.push(
      `${prop} must be a public JWK, but a private key (members ${secret.join(', ')}) was provided: the private key stays on the agent's host`,
    );
  }
  if (typeof jwk.kid !== 'string' || jwk.kid.trim() === '') {
    problems.push(
      `${prop}.kid must be a non-empty string (Okta selects the key by it), but ${describeValue(jwk.kid)} was provided`,
    );
  }
  if (jwk.use !== undefined && jwk.use !== 'sig') {
    problems.push(`${prop}.use must be 'sig' when given, but ${describeValue(jwk.use)} was provided`);
  }
  if (jwk.kty === 'RSA') {
    const bits = keyDetail({ kty: 'RSA', n: jwk.n, e: jwk.e });
    if (typeof bits === 'string') {
      problems.push(`${prop} must be a valid RSA public key (n and e, base64url), but ${bits}`);
    } else if ((bits.modulusLength ?? 0) < RSA_MIN_BITS) {
      problems.push(
        `${prop} must be an RSA key of at least ${RSA_MIN_BITS} bits, but a ${bits.modulusLength}-bit key was provided`,
      );
    }
  } else if (jwk.kty === 'EC') {
    if (typeof jwk.crv !== 'string' || !EC_CURVES.includes(jwk.crv)) {
      problems.push(
        `${prop}.crv must be one of ${EC_CURVES.map((c) => `'${c}'`).join(', ')}, but ${describeValue(jwk.crv)} was provided`,
      );
    } else {
      const point = keyDetail({ kty: 'EC', crv: jwk.crv, x: jwk.x, y: jwk.y });
      if (typeof point === 'string') {
        problems.push(`${prop} must be a valid EC public key on ${jwk.crv} (x and y, base64url), but ${point}`);
      }
    }
  } else {
    problems.push(
      `${prop}.kty must be ${SERVICE_KEY_TYPES.map((k) => `'${k}'`).join(' or ')}, but ${describeValue(jwk.kty)} was provided`,
    );
  }
  return problems;
}

/** The key's details as node:crypto reads the public members, or why it refuses them. */
function keyDetail(members: Record<string, unknown>): { modulusLength?: number; namedCurve?: string } | string {
  const missing = Object.entries(members).filter(([, v]) => typeof v !== 'string' || v === '');
  if (missing.length > 0) return `${missing.map(([k]) => k).join(', ')} ${missing.length > 1 ? 'are' : 'is'} missing`;
  try {
    const key = createPublicKey({ key: members as JsonWebKey, format: 'jwk' });
    return key.asymmetricKeyDetails ?? {};
  } catch (e) {
    return `the key material was refused (${(e as Error).message})`;
  }
}

/** The scopes a service account of a tenant may be granted: the tenant's use and admin scopes. */
export function serviceAccountScopeChoices(tenantId: string): readonly string[] {
  return [tenantUseScope(tenantId), tenantAdminScope(tenantId)];
}

/** The scopes a service account gets when none are given: use, and admin too with `admin: true`. */
export function defaultServiceAccountScopes(tenantId: string, admin: boolean): string[] {
  return admin ? [tenantUseScope(tenantId), tenantAdminScope(tenantId)] : [tenantUseScope(tenantId)];
}

/** What the identity layer needs of one service account (see SecureMcpAccess `tenants[].serviceAccounts`). */
export interface OktaServiceAccountSpec {
  /** A DNS label, unique within the tenant: names the Okta app `mcp-<t>-svc-<name>` and the construct ids. */
  readonly name: string;
  /** The public key(s) the agent signs its client assertions with: one JWK, or two during a key rotation. */
  readonly publicKey?: ServiceAccountPublicJwk | readonly ServiceAccountPublicJwk[];
  /** An https URL where the agent serves its public keys (instead of `publicKey`). */
  readonly jwksUri?: string;
  /** Scopes granted: the tenant's `mcp:<t>:use` and, with `admin: true`, `mcp:<t>:admin`. @default - the use scope (and admin with admin: true) */
  readonly scopes?: readonly string[];
  /** Grants the tenant's admin scope to a caller with no hardware key behind it: a warning names it. @default false */
  readonly admin?: boolean;
}

/**
 * Why one service account of a tenant is invalid, each message naming `at` (e.g.
 * `tenants[0].serviceAccounts[1]`): its name, exactly one of publicKey (public RSA >= 2048 bits or
 * EC P-256/384/521 JWK with kid; one or two keys with distinct kids) and jwksUri (https), scopes
 * among the tenant's own, and the admin scope only with `admin: true`. Values that are Terraform
 * tokens are not judged here (`isToken`), as everywhere in construct validation.
 */
export function serviceAccountProblems(
  at: string,
  tenantId: string,
  spec: OktaServiceAccountSpec,
  isToken: (v: unknown) => boolean = () => false,
): string[] {
  const p = (field: string): string => (at === '' ? field : `${at}.${field}`);
  if (!isRecord(spec)) {
    return [
      `${at === '' ? 'the service account' : at} must be an object with a name, but ${describeValue(spec)} was provided`,
    ];
  }
  const problems: string[] = [];
  const name = spec.name;
  if (isToken(name)) {
    problems.push(
      `${p('name')} must be a literal string (it names construct ids and outputs), but a token was provided`,
    );
  } else if (typeof name !== 'string' || !SERVICE_ACCOUNT_NAME_PATTERN.test(name)) {
    problems.push(
      `${p('name')} must be a DNS label (lower-case letters, digits and '-', 1 to 63 characters, starting and ending with a letter or digit), but ${describeValue(name)} was provided`,
    );
  }
  const hasKey = spec.publicKey !== undefined;
  const hasUri = spec.jwksUri !== undefined;
  if (!hasKey && !hasUri) {
    problems.push(
      `${p('publicKey')} must be set when jwksUri is not (exactly one of the two names the agent's public key), but undefined was provided`,
    );
  } else if (hasKey && hasUri) {
    problems.push(
      `${p('publicKey')} must not be set with jwksUri (exactly one of the two names the agent's public key), but both were provided`,
    );
  }
  if (hasKey && !isToken(spec.publicKey)) {
    const list = Array.isArray(spec.publicKey);
    const keys: unknown[] = list ? [...(spec.publicKey as readonly unknown[])] : [spec.publicKey];
    if (list && (keys.length === 0 || keys.length > SERVICE_PUBLIC_KEYS_MAX)) {
      problems.push(
        `${p('publicKey')} must list 1 to ${SERVICE_PUBLIC_KEYS_MAX} keys (the current one, and the next during a rotation), but ${keys.length} were provided`,
      );
    }
    keys.forEach((key, i) =>
      problems.push(...publicJwkProblems(list ? `${p('publicKey')}[${i}]` : p('publicKey'), key)),
    );
    const kids = keys.map((k) => (isRecord(k) ? k.kid : undefined)).filter((k): k is string => typeof k === 'string');
    const repeated = kids.find((k, i) => kids.indexOf(k) !== i);
    if (repeated !== undefined) {
      problems.push(`${p('publicKey')} kids must differ, but '${repeated}' was provided twice`);
    }
  }
  if (hasUri && !isToken(spec.jwksUri) && (typeof spec.jwksUri !== 'string' || !isHttpsUrl(spec.jwksUri))) {
    problems.push(`${p('jwksUri')} must be an https URL, but ${describeValue(spec.jwksUri)} was provided`);
  }
  if (spec.admin !== undefined && typeof spec.admin !== 'boolean' && !isToken(spec.admin)) {
    problems.push(`${p('admin')} must be true or false, but ${describeValue(spec.admin)} was provided`);
  }
  const admin = spec.admin === true;
  const adminScope = tenantAdminScope(tenantId);
  if (spec.scopes !== undefined && !isToken(spec.scopes)) {
    const choices = serviceAccountScopeChoices(tenantId);
    const shown = choices.map((c) => `'${c}'`).join(', ');
    if (!Array.isArray(spec.scopes) || spec.scopes.length === 0) {
      problems.push(
        `${p('scopes')} must list at least one of ${shown}, but ${describeValue(spec.scopes)} was provided`,
      );
    } else {
      const scopes: readonly unknown[] = spec.scopes;
      scopes.forEach((scope, i) => {
        if (isToken(scope)) return;
        if (typeof scope !== 'string' || !choices.includes(scope)) {
          problems.push(`${p('scopes')}[${i}] must be one of ${shown}, but ${describeValue(scope)} was provided`);
        } else if (scopes.indexOf(scope) !== i) {
          problems.push(`${p('scopes')}[${i}] must not repeat a scope, but ${describeValue(scope)} was provided again`);
        }
      });
      if (scopes.includes(adminScope) && !admin) {
        problems.push(
          `${p('admin')} must be true to grant '${adminScope}' (a service account has no hardware key), but ${describeValue(spec.admin)} was provided`,
        );
      }
      if (admin && !scopes.includes(adminScope)) {
        problems.push(
          `${p('scopes')} must include '${adminScope}' when admin is true, but ${describeValue(spec.scopes)} was provided`,
        );
      }
    }
  }
  return problems;
}

/**
 * Problems of a tenant's service-account list as a whole: at most SERVICE_ACCOUNTS_MAX, names unique
 * (`at` is e.g. `tenants[0].serviceAccounts`), and each account (see {@link serviceAccountProblems}).
 */
export function serviceAccountListProblems(
  at: string,
  tenantId: string,
  specs: readonly OktaServiceAccountSpec[] | undefined,
  isToken: (v: unknown) => boolean = () => false,
): string[] {
  if (specs === undefined || isToken(specs)) return [];
  if (!Array.isArray(specs)) return [`${at} must be a list, but ${describeValue(specs)} was provided`];
  const problems: string[] = [];
  if (specs.length > SERVICE_ACCOUNTS_MAX) {
    problems.push(
      `${at} must list at most ${SERVICE_ACCOUNTS_MAX} service accounts per tenant, but ${specs.length} were provided`,
    );
  }
  const seen = new Map<string, number>();
  specs.forEach((spec, j) => {
    problems.push(...serviceAccountProblems(`${at}[${j}]`, tenantId, spec, isToken));
    const name = isRecord(spec) ? spec.name : undefined;
    if (typeof name !== 'string') return;
    const first = seen.get(name);
    if (first !== undefined) {
      problems.push(
        `${at}[${j}].name must be unique within the tenant, but '${name}' is also ${at.slice(at.lastIndexOf('.') + 1)}[${first}]'s`,
      );
    } else seen.set(name, j);
  });
  return problems;
}

/** Scopes a service account is granted, in effect. */
export function serviceAccountScopes(tenantId: string, spec: OktaServiceAccountSpec): string[] {
  return spec.scopes !== undefined ? [...spec.scopes] : defaultServiceAccountScopes(tenantId, spec.admin === true);
}
