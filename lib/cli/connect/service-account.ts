/**
 * A service account's credentials and sign-in for `connect --service-account`: the private key and
 * the Access service token secret read from the OS keychain (through the optional binding
 * @napi-rs/keyring, loaded only here) or from a file descriptor, never from a path; a private_key_jwt
 * client assertion (RFC 7523) signed with jose; and the client_credentials token request. Nothing is
 * written anywhere: the key, the secret and the tokens live in this process's memory only.
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  type JsonWebKey,
  type KeyObject,
  randomUUID,
} from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import type { Readable } from 'node:stream';
import type { AuthorizationServerMetadata, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import { OAuthTokensSchema } from '@modelcontextprotocol/sdk/shared/auth.js';
import { EC_CURVES, RSA_MIN_BITS, SERVICE_TOKEN_ENDPOINT_AUTH_METHOD } from '../../core/identity-defaults';
import { isSecureUrl } from './args';
import type { SignIn } from './oauth';
import type { ConnectionSettings } from './settings';

type Fetch = (url: string | URL, init?: RequestInit) => Promise<Response>;

/** The OS keychain's service name under which `connect` looks for a service account's secrets. */
export const KEYCHAIN_SERVICE = 'cdktf-mcp-access';

/** What a service account keeps in the OS keychain. */
export type KeychainItem = 'private-key' | 'access-client-secret';

/** The keychain account of one secret of a service account: `<tenant>/<name>/<item>`. */
export function keychainAccount(tenant: string, name: string, item: KeychainItem): string {
  return `${tenant}/${name}/${item}`;
}

/** Lifetime of a client assertion, in seconds: it is used at once, and Okta refuses more than an hour. */
export const ASSERTION_LIFETIME_SECONDS = 120;

/** RFC 7523 section 2.2. */
export const JWT_BEARER_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** Largest secret read from a file descriptor (a 4096-bit RSA key in PEM is about 3.3 KiB). */
export const MAX_SECRET_BYTES = 64 * 1024;

/** How long a file descriptor may take to deliver its secret and reach its end, in ms. */
export const FD_READ_TIMEOUT_MS = 10_000;

/** The part of @napi-rs/keyring that `connect` uses (its asynchronous entry: a keychain prompt must not block). */
export interface KeyringBinding {
  readonly AsyncEntry: new (service: string, account: string) => { getPassword(): Promise<string | null | undefined> };
}

/** Loads the keychain binding; tests pass their own. */
export type KeyringLoader = () => Promise<KeyringBinding>;

/** The binding, loaded on first use only: it is an optional dependency with a native part per platform. */
export const loadKeyringBinding: KeyringLoader = async () => (await import('@napi-rs/keyring')) as KeyringBinding;

/** A service account's signing key, ready for jose. */
export interface ServiceKey {
  readonly privateKey: KeyObject;
  /** `ES256`, `ES384`, `ES512` (EC P-256, P-384, P-521) or `RS256` (RSA). */
  readonly alg: string;
  /** The `kid` header: Okta picks the key of the app by it (needed as soon as the app holds two keys). */
  readonly kid: string;
}

/** The claims of a client assertion (RFC 7523 section 3). */
export interface AssertionClaims {
  readonly iss: string;
  readonly sub: string;
  readonly aud: string;
  readonly jti: string;
  readonly iat: number;
  readonly exp: number;
}

/** Signs a client assertion; the default is jose. */
export type AssertionSigner = (claims: AssertionClaims, key: ServiceKey) => Promise<string>;

/** Where a secret comes from, and how the messages name it. */
export interface SecretSource {
  /** `--key-fd` or `--access-secret-fd`. */
  readonly flag: string;
  /** A file descriptor to read, or undefined for the keychain. */
  readonly fd?: number;
  /** The keychain account. */
  readonly account: string;
  /** What it is, for messages: `private key`, `Access service token secret`. */
  readonly what: string;
  /** How long the file descriptor may take, in ms (default {@link FD_READ_TIMEOUT_MS}). */
  readonly timeoutMs?: number;
}

/** Reads a secret from its file descriptor (to its end, then closed) or from the OS keychain. */
export async function readSecret(
  source: SecretSource,
  loadKeyring: KeyringLoader = loadKeyringBinding,
): Promise<string> {
  return source.fd === undefined ? readFromKeychain(source, loadKeyring) : readFromFd(source, source.fd);
}

async function readFromKeychain(source: SecretSource, loadKeyring: KeyringLoader): Promise<string> {
  const instead = `use ${source.flag} <n> to pass the ${source.what} on a file descriptor`;
  let binding: KeyringBinding;
  try {
    binding = await loadKeyring();
  } catch (e) {
    throw new Error(
      `the OS keychain cannot be read: its binding @napi-rs/keyring (an optional dependency) is not installed for this platform (${oneLine(e)}); ${instead}`,
    );
  }
  let value: string | null | undefined;
  try {
    value = await new binding.AsyncEntry(KEYCHAIN_SERVICE, source.account).getPassword();
  } catch (e) {
    throw new Error(`the OS keychain cannot be read (${oneLine(e)}); ${instead}`);
  }
  const text = value?.trim();
  if (text === undefined || text === '') {
    throw new Error(
      `no ${source.what} in the OS keychain (service ${KEYCHAIN_SERVICE}, account ${source.account}): store it there (docs/service-identities.md), or ${instead}`,
    );
  }
  return text;
}

/** Reads `fd` to its end with a size limit and a deadline, then closes it. */
function readFromFd(source: SecretSource, fd: number): Promise<string> {
  const name = `file descriptor ${fd} (${source.flag})`;
  const fdError = (e: NodeJS.ErrnoException) =>
    new Error(
      e.code === 'EBADF'
        ? `nothing is open on ${name}: open it for the command, e.g. \`${source.flag} ${fd} ${fd}< <(printenv SECRET)\``
        : `cannot read ${name} (${e.code ?? oneLine(e)})`,
    );
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    let stream: Readable;
    try {
      const stat = fs.fstatSync(fd);
      // A pipe or socket is read without blocking (a deadline can end it); a file through the fs pool.
      stream =
        stat.isFIFO() || stat.isSocket()
          ? new net.Socket({ fd, readable: true, writable: false })
          : fs.createReadStream('', { fd, autoClose: true });
    } catch (e) {
      reject(fdError(e as NodeJS.ErrnoException));
      return;
    }
    const finish = (error: Error | undefined, text?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      for (const chunk of chunks) chunk.fill(0);
      // Settles once the descriptor is closed: nothing of the secret stays open.
      const settle = () => (error ? reject(error) : resolve(text as string));
      if (stream.closed) settle();
      else {
        stream.once('close', settle);
        stream.destroy();
      }
    };
    const timeoutMs = source.timeoutMs ?? FD_READ_TIMEOUT_MS;
    const timer = setTimeout(
      () =>
        finish(
          new Error(
            `${name} did not reach its end within ${timeoutMs / 1000} s: write the ${source.what} and close it`,
          ),
        ),
      timeoutMs,
    );
    stream.on('data', (chunk: Buffer | string) => {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      size += buffer.length;
      chunks.push(buffer);
      if (size > MAX_SECRET_BYTES) {
        finish(new Error(`${name} gave more than ${MAX_SECRET_BYTES / 1024} KiB: that is no ${source.what}`));
      }
    });
    stream.on('error', (e: NodeJS.ErrnoException) => finish(fdError(e)));
    stream.on('end', () => {
      const all = Buffer.concat(chunks);
      const text = all.toString('utf8').trim();
      all.fill(0);
      if (text === '') finish(new Error(`${name} gave nothing: write the ${source.what} on it`));
      else finish(undefined, text);
    });
  });
}

/** Okta's algorithm for each accepted EC curve (node's name for it -> JWS `alg`). */
const EC_ALGORITHMS: Readonly<Record<string, { alg: string; jwkCurve: string }>> = {
  prime256v1: { alg: 'ES256', jwkCurve: 'P-256' },
  secp384r1: { alg: 'ES384', jwkCurve: 'P-384' },
  secp521r1: { alg: 'ES512', jwkCurve: 'P-521' },
};

/**
 * The service account's private key from its text: a PEM PKCS#8 key (`-----BEGIN PRIVATE KEY-----`)
 * or a private JWK, EC on P-256 (recommended), P-384 or P-521, or RSA of at least 2048 bits. The
 * `kid` is `keyId` when given, else the JWK's `kid`, else the key's RFC 7638 thumbprint.
 */
export function parsePrivateKey(text: string, keyId?: string): ServiceKey {
  let privateKey: KeyObject;
  let jwkKid: string | undefined;
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    let jwk: Record<string, unknown>;
    try {
      jwk = JSON.parse(trimmed) as Record<string, unknown>;
    } catch {
      throw new Error('the private key is neither a PEM PKCS#8 key nor a JWK (its JSON does not parse)');
    }
    if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk)) {
      throw new Error('the private key is neither a PEM PKCS#8 key nor a JWK (its JSON is no object)');
    }
    if (jwk.d === undefined) {
      throw new Error(
        'the private key is a public JWK: give the private key (only its public half goes into the stack)',
      );
    }
    try {
      privateKey = createPrivateKey({ key: jwk as JsonWebKey, format: 'jwk' });
    } catch (e) {
      throw new Error(`the private key is not a valid RSA or EC JWK (${oneLine(e)})`);
    }
    jwkKid = typeof jwk.kid === 'string' && jwk.kid !== '' ? jwk.kid : undefined;
  } else {
    const label = /^-----BEGIN ([A-Z0-9 ]+)-----/.exec(trimmed)?.[1];
    if (label === 'ENCRYPTED PRIVATE KEY') {
      throw new Error(
        'the private key is encrypted, and connect runs headless and asks for no passphrase: keep it unencrypted in the OS keychain (which encrypts it), or pass it on --key-fd',
      );
    }
    if (label === 'EC PRIVATE KEY' || label === 'RSA PRIVATE KEY') {
      throw new Error(
        `the private key is a PEM ${label}: convert it to PKCS#8 (\`openssl pkcs8 -topk8 -nocrypt\`), or store it as a JWK`,
      );
    }
    if (label !== 'PRIVATE KEY') {
      throw new Error('the private key is neither a PEM PKCS#8 key (-----BEGIN PRIVATE KEY-----) nor a private JWK');
    }
    try {
      privateKey = createPrivateKey({ key: trimmed, format: 'pem' });
    } catch (e) {
      throw new Error(`the private key is not a valid PEM PKCS#8 key (${oneLine(e)})`);
    }
  }
  const alg = algorithmOf(privateKey);
  return { privateKey, alg, kid: keyId ?? jwkKid ?? jwkThumbprint(privateKey) };
}

function algorithmOf(key: KeyObject): string {
  const type = key.asymmetricKeyType;
  if (type === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve ?? 'unknown';
    const known = EC_ALGORITHMS[curve];
    if (!known || !EC_CURVES.includes(known.jwkCurve)) {
      throw new Error(`the private key is on curve ${curve}: use P-256 (recommended), P-384 or P-521`);
    }
    return known.alg;
  }
  if (type === 'rsa') {
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    if (bits < RSA_MIN_BITS) {
      throw new Error(
        `the private key is a ${bits}-bit RSA key: use EC P-256 (recommended) or RSA of at least ${RSA_MIN_BITS} bits`,
      );
    }
    return 'RS256';
  }
  throw new Error(
    `the private key is an ${type ?? 'unknown'} key: Okta verifies RS256 to ES512, so use EC P-256 (recommended) or RSA`,
  );
}

/** The RFC 7638 thumbprint (SHA-256, base64url) of the key's public half. */
export function jwkThumbprint(key: KeyObject): string {
  const jwk = (key.type === 'public' ? key : createPublicKey(key)).export({ format: 'jwk' });
  // The required members only, in lexicographic order, no spaces (RFC 7638 section 3.2).
  const members =
    jwk.kty === 'EC' ? { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y } : { e: jwk.e, kty: jwk.kty, n: jwk.n };
  return createHash('sha256').update(JSON.stringify(members)).digest('base64url');
}

/** Signs with jose (ESM-only: Node.js loads it with `require` from 20.19 on). */
export const signWithJose: AssertionSigner = async (claims, key) => {
  let jose: typeof import('jose');
  try {
    jose = await import('jose');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ERR_REQUIRE_ESM') {
      throw new Error(
        `signing the client assertion needs jose, an ES module that Node.js ${process.version} cannot load here: use Node.js 20.19 or later`,
      );
    }
    throw e;
  }
  return new jose.SignJWT({ ...claims })
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT' })
    .sign(key.privateKey);
};

/** How a service account's session gets its tokens, and what it may replace for tests. */
export interface ClientCredentialsOptions {
  readonly signer?: AssertionSigner;
  readonly fetchFn?: Fetch;
  /** Milliseconds since the epoch. */
  readonly now?: () => number;
}

/**
 * The sign-in of a service account: a client_credentials token request to the issuer's token
 * endpoint, authenticated by a fresh client assertion each time (iss = sub = the client id, aud =
 * the token endpoint, a new jti, 2 minutes), asking for exactly `settings.scopes`. A refresh token
 * is never kept: the next token is another client_credentials request.
 */
export function clientCredentialsSignIn(
  settings: ConnectionSettings,
  key: ServiceKey,
  options: ClientCredentialsOptions = {},
): SignIn {
  const signer = options.signer ?? signWithJose;
  const fetchFn = options.fetchFn ?? fetch;
  const now = options.now ?? Date.now;
  return async (metadata: AuthorizationServerMetadata): Promise<OAuthTokens> => {
    const tokenEndpoint = metadata.token_endpoint;
    if (!isSecureUrl(tokenEndpoint)) {
      throw new Error(`the issuer's token endpoint ${tokenEndpoint} is not https (http only on a loopback host)`);
    }
    const methods = metadata.token_endpoint_auth_methods_supported;
    if (methods !== undefined && !methods.includes(SERVICE_TOKEN_ENDPOINT_AUTH_METHOD)) {
      throw new Error(
        `the issuer does not accept ${SERVICE_TOKEN_ENDPOINT_AUTH_METHOD} client authentication (it offers ${methods.join(', ')})`,
      );
    }
    const iat = Math.floor(now() / 1000);
    const assertion = await signer(
      {
        iss: settings.clientId,
        sub: settings.clientId,
        aud: tokenEndpoint,
        jti: randomUUID(),
        iat,
        exp: iat + ASSERTION_LIFETIME_SECONDS,
      },
      key,
    );
    const response = await fetchFn(tokenEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        scope: settings.scopes.join(' '),
        client_assertion_type: JWT_BEARER_ASSERTION_TYPE,
        client_assertion: assertion,
      }),
      signal: AbortSignal.timeout(10_000),
    });
    const body = (await response.json().catch(() => undefined)) as Record<string, unknown> | undefined;
    if (!response.ok) {
      const error = typeof body?.error === 'string' ? body.error : `HTTP ${response.status}`;
      const description = typeof body?.error_description === 'string' ? `: ${oneLine(body.error_description)}` : '';
      throw new Error(`the token request was refused: ${error}${description}`);
    }
    const parsed = OAuthTokensSchema.safeParse(body);
    if (!parsed.success) throw new Error('the token endpoint answered with no OAuth token response');
    // A client_credentials session never refreshes: it signs a new assertion instead.
    return { ...parsed.data, refresh_token: undefined };
  };
}

/** What a service account's session holds in memory. */
export interface ServiceCredentials {
  readonly key: ServiceKey;
  /** The Access service token secret, for cloudflared; absent with --no-tunnel. */
  readonly accessSecret?: string;
}

/** Reads and checks the private key, and (when the tunnel runs) the Access service token secret. */
export async function loadServiceCredentials(
  settings: ConnectionSettings,
  sources: { keyFd?: number; accessSecretFd?: number },
  loadKeyring: KeyringLoader = loadKeyringBinding,
): Promise<ServiceCredentials> {
  const service = settings.serviceAccount;
  if (service === undefined) throw new Error('not a service account session');
  const keyText = await readSecret(
    {
      flag: '--key-fd',
      fd: sources.keyFd,
      account: keychainAccount(settings.tenant, service.name, 'private-key'),
      what: 'private key',
    },
    loadKeyring,
  );
  const key = parsePrivateKey(keyText, service.keyId);
  if (service.accessClientId === undefined) return { key };
  const accessSecret = await readSecret(
    {
      flag: '--access-secret-fd',
      fd: sources.accessSecretFd,
      account: keychainAccount(settings.tenant, service.name, 'access-client-secret'),
      what: 'Access service token secret',
    },
    loadKeyring,
  );
  return { key, accessSecret };
}

/** The environment that hands cloudflared the Access service token (never its arguments: `ps` shows those). */
export function serviceTokenEnvironment(accessClientId: string, accessSecret: string): Record<string, string> {
  return { TUNNEL_SERVICE_TOKEN_ID: accessClientId, TUNNEL_SERVICE_TOKEN_SECRET: accessSecret };
}

function oneLine(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.replace(/\s+/g, ' ').trim().slice(0, 200);
}
