/**
 * OAuth 2.1 for `connect`, on the MCP SDK's client helpers (discovery, PKCE S256, code exchange,
 * refresh): an authorization-code sign-in through the browser and a loopback redirect listener on
 * the registered URI, and a session that keeps the tokens in memory only, renews the access token
 * shortly before it expires (rotating the refresh token each time), and revokes on close.
 */
import { randomBytes } from 'node:crypto';
import * as http from 'node:http';
import {
  discoverAuthorizationServerMetadata,
  exchangeAuthorization,
  refreshAuthorization,
  startAuthorization,
} from '@modelcontextprotocol/sdk/client/auth.js';
import type { AuthorizationServerMetadata, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import { isSecureUrl } from './args';
import type { ConnectionSettings } from './settings';

type Fetch = (url: string | URL, init?: RequestInit) => Promise<Response>;

/** Renew the access token when it has less than this left (ms). */
export const RENEW_AHEAD_MS = 60_000;
/** How long a browser sign-in may take (ms). */
export const SIGN_IN_TIMEOUT_MS = 5 * 60_000;
/** Lifetime assumed when the token response gives none (ms): short, so the session asks again soon. */
const DEFAULT_LIFETIME_MS = 5 * 60_000;

/** How `connect` shows the sign-in URL: opens a browser, prints it, or (in tests) hands it to a user agent. */
export type OpenUrl = (url: string) => void | Promise<void>;

/** The issuer's metadata, and its revocation endpoint (which the SDK's OpenID schema does not keep). */
export interface IssuerMetadata {
  readonly metadata: AuthorizationServerMetadata;
  readonly revocationEndpoint?: string;
}

/** The issuer's metadata (RFC 8414 or OpenID discovery); it must name the same issuer. */
export async function discoverIssuer(issuer: string, fetchFn: Fetch = fetch): Promise<IssuerMetadata> {
  const documents: Record<string, unknown>[] = [];
  const recording: Fetch = async (url, init) => {
    const response = await fetchFn(url, init);
    if (response.ok) {
      documents.push(
        (await response
          .clone()
          .json()
          .catch(() => ({}))) as Record<string, unknown>,
      );
    }
    return response;
  };
  const metadata = await discoverAuthorizationServerMetadata(issuer, { fetchFn: recording });
  if (metadata === undefined) throw new Error(`no OAuth metadata found for the issuer ${issuer}`);
  if (metadata.issuer !== issuer) {
    throw new Error(`the metadata at ${issuer} names another issuer (${metadata.issuer}): refusing it`);
  }
  const revocation = documents.find((d) => d.issuer === issuer)?.revocation_endpoint;
  return {
    metadata,
    revocationEndpoint: typeof revocation === 'string' && isSecureUrl(revocation) ? revocation : undefined,
  };
}

/** The one answer of the loopback redirect: a code, or the authorization server's error. */
export async function waitForRedirect(
  redirectUri: string,
  expected: { state: string; issuer: string },
  ready: () => void | Promise<void>,
  timeoutMs: number = SIGN_IN_TIMEOUT_MS,
  signal?: AbortSignal,
): Promise<string> {
  const uri = new URL(redirectUri);
  const host = uri.hostname === 'localhost' ? '127.0.0.1' : uri.hostname.replace(/^\[|\]$/g, '');
  let settle: { resolve: (code: string) => void; reject: (e: Error) => void } | undefined;
  const result = new Promise<string>((resolve, reject) => (settle = { resolve, reject }));
  // The answer may come while the browser is still being opened: handled below, not unhandled.
  result.catch(() => undefined);
  const page = (res: http.ServerResponse, status: number, text: string) => {
    res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(`<!doctype html><title>mcp-access connect</title><p>${escapeHtml(text)}</p>`);
  };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', uri.origin);
    if (req.method !== 'GET' || url.pathname !== uri.pathname) {
      page(res, 404, 'Not found.');
      return;
    }
    const params = url.searchParams;
    // Not for this sign-in (a stale tab, or a forged request): ignore it and keep waiting.
    if (params.get('state') !== expected.state) {
      page(res, 400, 'This sign-in link is not the one mcp-access connect is waiting for.');
      return;
    }
    const iss = params.get('iss');
    if (iss !== null && iss !== expected.issuer) {
      page(res, 400, 'The answer came from another issuer; the sign-in was refused.');
      settle?.reject(new Error(`the sign-in answer names issuer ${iss}, not ${expected.issuer}`));
      return;
    }
    const error = params.get('error');
    if (error !== null) {
      const description = params.get('error_description');
      page(res, 400, `Sign-in failed: ${error}${description ? ` (${description})` : ''}.`);
      settle?.reject(new Error(`the sign-in failed: ${error}${description ? `: ${description}` : ''}`));
      return;
    }
    const code = params.get('code');
    if (code === null || code === '') {
      page(res, 400, 'The answer carries no authorization code.');
      settle?.reject(new Error('the sign-in answer carries no authorization code'));
      return;
    }
    page(res, 200, 'Signed in. You can close this tab and return to your MCP client.');
    settle?.resolve(code);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(
        new Error(
          e.code === 'EADDRINUSE'
            ? `the redirect port ${uri.port} is in use: close what holds it (the port is registered with the issuer, so no other will do)`
            : `cannot listen on ${host}:${uri.port} for the sign-in (${e.code})`,
        ),
      ),
    );
    server.listen(Number(uri.port), host, () => resolve());
  });
  const timer = setTimeout(
    () => settle?.reject(new Error(`no sign-in within ${Math.round(timeoutMs / 1000)} s`)),
    timeoutMs,
  );
  const abort = () => settle?.reject(new Error('the sign-in was cancelled'));
  if (signal?.aborted) abort();
  signal?.addEventListener('abort', abort, { once: true });
  try {
    await ready();
    return await result;
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', abort);
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** Signs in through the browser: PKCE S256, `resource` = the audience, exactly the client's scopes. */
export async function signInInteractively(
  settings: ConnectionSettings,
  metadata: AuthorizationServerMetadata,
  openUrl: OpenUrl,
  fetchFn: Fetch = fetch,
  signal?: AbortSignal,
  timeoutMs?: number,
): Promise<OAuthTokens> {
  const state = randomBytes(24).toString('base64url');
  const { authorizationUrl, codeVerifier } = await startAuthorization(settings.issuer, {
    metadata,
    clientInformation: { client_id: settings.clientId },
    redirectUrl: settings.redirectUri,
    scope: settings.scopes.join(' '),
    state,
    resource: new URL(settings.audience),
  });
  const code = await waitForRedirect(
    settings.redirectUri,
    { state, issuer: settings.issuer },
    () => openUrl(authorizationUrl.href),
    timeoutMs,
    signal,
  );
  return exchangeAuthorization(settings.issuer, {
    metadata,
    clientInformation: { client_id: settings.clientId },
    authorizationCode: code,
    codeVerifier,
    redirectUri: settings.redirectUri,
    resource: new URL(settings.audience),
    fetchFn,
  });
}

/**
 * How a session gets its first tokens (and new ones when it cannot refresh): the browser sign-in
 * for a person, the client-credentials grant for a service account (service-account.ts).
 */
export type SignIn = (metadata: AuthorizationServerMetadata) => Promise<OAuthTokens>;

/** Where a session reports what it does (never a token). */
export type SessionLog = (message: string) => void;

/** Tokens of one `connect` process, in memory only. */
export class TokenSession {
  private metadata: Promise<IssuerMetadata> | undefined;
  private current: { accessToken: string; expiresAt: number; refreshToken?: string } | undefined;
  private pending: Promise<string> | undefined;
  private closed = false;

  constructor(
    private readonly settings: ConnectionSettings,
    private readonly signIn: SignIn,
    private readonly log: SessionLog = () => undefined,
    private readonly fetchFn: Fetch = fetch,
    private readonly now: () => number = Date.now,
  ) {}

  /** A valid access token: the current one, or a renewed one when it has less than a minute left. */
  async accessToken(): Promise<string> {
    if (this.current && this.now() < this.current.expiresAt - RENEW_AHEAD_MS) return this.current.accessToken;
    return this.renew();
  }

  /** Renews now (after a 401 too): refresh when the session holds a refresh token, else sign in again. */
  renew(): Promise<string> {
    if (this.closed) return Promise.reject(new Error('the session is closed'));
    this.pending ??= this.renewOnce().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  /** Whether the session holds a refresh token (the everyday client does; the admin client never). */
  get canRefresh(): boolean {
    return this.current?.refreshToken !== undefined;
  }

  /** Revokes the refresh token (best effort) and forgets every token. */
  async close(): Promise<void> {
    this.closed = true;
    const refreshToken = this.current?.refreshToken;
    this.current = undefined;
    if (refreshToken === undefined || this.metadata === undefined) return;
    try {
      const endpoint = (await this.metadata).revocationEndpoint;
      if (endpoint === undefined) return;
      const response = await this.fetchFn(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          token: refreshToken,
          token_type_hint: 'refresh_token',
          client_id: this.settings.clientId,
        }),
        signal: AbortSignal.timeout(2_000),
      });
      this.log(
        response.ok
          ? 'revoked the refresh token'
          : `the issuer refused to revoke the refresh token (${response.status})`,
      );
    } catch {
      // The refresh token expires by itself (8 hours at most); nothing else to do.
    }
  }

  private async renewOnce(): Promise<string> {
    this.metadata ??= discoverIssuer(this.settings.issuer, this.fetchFn).catch((e: unknown) => {
      this.metadata = undefined;
      throw e;
    });
    const { metadata } = await this.metadata;
    const refreshToken = this.current?.refreshToken;
    if (refreshToken !== undefined) {
      try {
        const tokens = await refreshAuthorization(this.settings.issuer, {
          metadata,
          clientInformation: { client_id: this.settings.clientId },
          refreshToken,
          resource: new URL(this.settings.audience),
          fetchFn: this.fetchFn,
        });
        this.log('renewed the access token (refresh token rotated)');
        return this.keep(tokens);
      } catch (e) {
        this.log(`the refresh was refused (${(e as Error).message}); signing in again`);
        this.current = undefined;
      }
    }
    const tokens = await this.signIn(metadata);
    if (this.closed) throw new Error('the session is closed');
    const service = this.settings.serviceAccount;
    this.log(
      service
        ? `got a token for service account ${service.name} of tenant ${this.settings.tenant} (${this.settings.scopes.join(' ')})`
        : `signed in to tenant ${this.settings.tenant}${this.settings.admin ? ' (admin)' : ''}`,
    );
    return this.keep(tokens);
  }

  private keep(tokens: OAuthTokens): string {
    if (tokens.token_type.toLowerCase() !== 'bearer') throw new Error(`unexpected token type ${tokens.token_type}`);
    const lifetimeMs = tokens.expires_in === undefined ? DEFAULT_LIFETIME_MS : tokens.expires_in * 1000;
    this.current = {
      accessToken: tokens.access_token,
      expiresAt: this.now() + lifetimeMs,
      // Rotation: the new refresh token replaces the old one, which is now spent.
      refreshToken: tokens.refresh_token,
    };
    return tokens.access_token;
  }
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
