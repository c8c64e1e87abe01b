/**
 * The tokens of `mcp-access connect`: sign-in through the loopback redirect, renewal ahead of expiry
 * with rotating refresh tokens (on a clock the test moves), the admin client without refresh
 * tokens, and the local side that adds the token to each request. The authorization server is the
 * local oidc-provider of the end-to-end test.
 */
import * as http from 'node:http';
import * as net from 'node:net';
import { discoverIssuer, signInInteractively, TokenSession, waitForRedirect } from '../../lib/cli/connect/oauth';
import { authorizedFetch, serveLocalHttp } from '../../lib/cli/connect/proxy';
import type { ConnectionSettings } from '../../lib/cli/connect/settings';
import { type LocalAuthorizationServer, startAuthorizationServer } from '../e2e/authorization-server-spec';
import { rsaSigningKey } from '../e2e/jwt';
import { freePort } from '../e2e/processes';
import { completeSignIn } from '../e2e/user-agent';

jest.setTimeout(15_000);

const AUDIENCE = 'https://acme.mcp.example.com/mcp';
let as: LocalAuthorizationServer;
let redirectUri: string;
let everyday: ConnectionSettings;
let admin: ConnectionSettings;

beforeAll(async () => {
  const port = await freePort();
  redirectUri = `http://127.0.0.1:${port}/callback`;
  as = await startAuthorizationServer({
    accountId: 'user-00u1session',
    clients: [
      {
        clientId: 'mcp-clients',
        redirectUris: [redirectUri],
        grantTypes: ['authorization_code', 'refresh_token'],
        tokenEndpointAuthMethod: 'none',
        rotateRefreshToken: true,
        pkceRequired: true,
      },
      {
        clientId: 'mcp-admin',
        redirectUris: [redirectUri],
        grantTypes: ['authorization_code'],
        tokenEndpointAuthMethod: 'none',
        rotateRefreshToken: false,
        pkceRequired: true,
      },
    ],
    servers: [
      {
        id: 'aus-acme',
        tenant: 'acme',
        audience: AUDIENCE,
        claims: { tid: 'acme' },
        signingKey: rsaSigningKey('acme-key').privateJwk,
        policies: [
          { clientId: 'mcp-clients', scopes: ['mcp:acme:use', 'offline_access'], accessTokenTtlSeconds: 900 },
          { clientId: 'mcp-admin', scopes: ['mcp:acme:admin', 'mcp:acme:use'], accessTokenTtlSeconds: 900 },
        ],
      },
    ],
  });
  const base = {
    tenant: 'acme',
    issuer: as.issuers.acme,
    audience: AUDIENCE,
    redirectUri,
    localPort: 7700,
    mcpUrl: 'http://127.0.0.1:7700/mcp',
  };
  everyday = { ...base, clientId: 'mcp-clients', scopes: ['mcp:acme:use', 'offline_access'], admin: false };
  admin = { ...base, clientId: 'mcp-admin', scopes: ['mcp:acme:admin', 'mcp:acme:use'], admin: true };
});

afterAll(async () => {
  await as?.stop();
});

/** A browser that signs in headlessly, counting its sign-ins. */
function browser() {
  const opened: string[] = [];
  return {
    opened,
    open: async (url: string) => {
      opened.push(url);
      await completeSignIn(url, redirectUri);
    },
  };
}

describe('TokenSession', () => {
  test('signs in once, renews a minute ahead of expiry with a rotated refresh token, and signs in again when refresh fails', async () => {
    let now = 1_000_000;
    const user = browser();
    const log: string[] = [];
    const session = new TokenSession(
      everyday,
      (metadata) => signInInteractively(everyday, metadata, user.open),
      (m) => log.push(m),
      fetch,
      () => now,
    );
    const first = await session.accessToken();
    expect(await session.accessToken()).toBe(first);
    expect(session.canRefresh).toBe(true);
    expect(user.opened).toHaveLength(1);
    const authorization = new URL(user.opened[0]).searchParams;
    expect(Object.fromEntries(authorization)).toMatchObject({
      client_id: 'mcp-clients',
      scope: 'mcp:acme:use offline_access',
      resource: AUDIENCE,
      code_challenge_method: 'S256',
      redirect_uri: redirectUri,
    });

    now += (900 - 61) * 1000;
    expect(await session.accessToken()).toBe(first);
    now += 2 * 1000;
    const second = await session.accessToken();
    expect(second).not.toBe(first);
    expect(user.opened).toHaveLength(1);

    const events = (await as.events()).filter((e) => e.route === 'token' && e.clientId === 'mcp-clients');
    const [code, refresh] = events.slice(-2);
    expect(code).toMatchObject({ grantType: 'authorization_code', status: 200 });
    expect(refresh).toMatchObject({
      grantType: 'refresh_token',
      status: 200,
      presentedRefreshToken: code.refreshToken,
    });
    expect(refresh.refreshToken).toBeDefined();
    expect(refresh.refreshToken).not.toBe(code.refreshToken);
    expect(refresh.accessToken).toBe(second);

    // Reusing the spent refresh token is refused, and revokes the family: the session must sign in again.
    const tokenEndpoint = (await discoverIssuer(as.issuers.acme)).metadata.token_endpoint;
    const reuse = await fetch(tokenEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        client_id: 'mcp-clients',
        refresh_token: code.refreshToken as string,
      }),
    });
    expect(((await reuse.json()) as { error: string }).error).toBe('invalid_grant');
    const third = await session.renew();
    expect(third).not.toBe(second);
    expect(user.opened).toHaveLength(2);
    expect(log).toEqual([
      'signed in to tenant acme',
      'renewed the access token (refresh token rotated)',
      expect.stringMatching(/^the refresh was refused \(.+\); signing in again$/),
      'signed in to tenant acme',
    ]);
    await session.close();
    expect(log.at(-1)).toBe('revoked the refresh token');
    await expect(session.accessToken()).rejects.toThrow('the session is closed');
  });

  test('the admin client gets no refresh token: each renewal is a new (hardware-key) sign-in', async () => {
    const user = browser();
    const session = new TokenSession(admin, (metadata) => signInInteractively(admin, metadata, user.open));
    await session.accessToken();
    expect(session.canRefresh).toBe(false);
    expect(new URL(user.opened[0]).searchParams.get('scope')).toBe('mcp:acme:admin mcp:acme:use');
    await session.renew();
    expect(user.opened).toHaveLength(2);
    await session.close();
  });

  test('a scope outside the policy gets no token: the sign-in fails with the error', async () => {
    const user = browser();
    const greedy = { ...everyday, scopes: ['openid', 'mcp:acme:use', 'offline_access'] };
    const session = new TokenSession(greedy, (metadata) => signInInteractively(greedy, metadata, user.open));
    await expect(session.accessToken()).rejects.toThrow(/^the sign-in failed: invalid_scope/);
    await session.close();
  });
});

describe('the loopback redirect', () => {
  const expected = { state: 'the-state', issuer: 'https://issuer.example.com/oauth2/a' };

  test('ignores an answer for another sign-in, refuses another issuer, accepts its own', async () => {
    const uri = `http://127.0.0.1:${await freePort()}/callback`;
    const code = await waitForRedirect(uri, expected, async () => {
      expect((await fetch(`${uri}?state=stale&code=x`)).status).toBe(400);
      expect((await fetch(`${uri.replace('/callback', '/favicon.ico')}`)).status).toBe(404);
      expect((await fetch(`${uri}?state=the-state&code=abc&iss=${encodeURIComponent(expected.issuer)}`)).status).toBe(
        200,
      );
    });
    expect(code).toBe('abc');
    const other = `http://127.0.0.1:${await freePort()}/callback`;
    await expect(
      waitForRedirect(other, expected, async () => {
        await fetch(`${other}?state=the-state&code=abc&iss=https://evil.example.com`);
      }),
    ).rejects.toThrow(
      'the sign-in answer names issuer https://evil.example.com, not https://issuer.example.com/oauth2/a',
    );
  });

  test('a busy redirect port is named, and a cancelled sign-in ends', async () => {
    const blocker = net.createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', () => resolve()));
    try {
      await expect(waitForRedirect(`http://127.0.0.1:${port}/callback`, expected, () => undefined)).rejects.toThrow(
        `the redirect port ${port} is in use: close what holds it (the port is registered with the issuer, so no other will do)`,
      );
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
    const stop = new AbortController();
    const waiting = waitForRedirect(
      `http://127.0.0.1:${port}/callback`,
      expected,
      () => stop.abort(),
      60_000,
      stop.signal,
    );
    await expect(waiting).rejects.toThrow('the sign-in was cancelled');
  });
});

describe('the token on each upstream request', () => {
  test('a 401 renews the token once and retries; a second 401 is returned as is', async () => {
    const seen: string[] = [];
    let renewals = 0;
    const source = { accessToken: async () => 'token-1', renew: async () => `token-${++renewals + 1}` };
    const statuses = [401, 200, 401, 401];
    const upstream = async (_url: string | URL, init?: RequestInit) => {
      seen.push(new Headers(init?.headers).get('authorization') ?? '');
      return new Response('{}', { status: statuses.shift() });
    };
    const send = authorizedFetch(source, upstream);
    expect((await send('http://127.0.0.1:7700/mcp', { method: 'POST', body: '{}' })).status).toBe(200);
    expect((await send('http://127.0.0.1:7700/mcp', { method: 'POST', body: '{}' })).status).toBe(401);
    expect(seen).toEqual(['Bearer token-1', 'Bearer token-2', 'Bearer token-1', 'Bearer token-3']);
  });

  test('the local HTTP endpoint: loopback only, Host and Origin checked, the token added upstream', async () => {
    const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];
    const upstream = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        const status = body.includes('refuse') ? 401 : 200;
        res.writeHead(status, { 'content-type': 'application/json', 'www-authenticate': 'Bearer' });
        res.end(JSON.stringify({ jsonrpc: '2.0', id: 1, result: {} }));
      });
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', () => resolve()));
    const upstreamUrl = `http://127.0.0.1:${(upstream.address() as net.AddressInfo).port}/mcp`;
    const port = await freePort();
    const source = { accessToken: async () => 'session-token', renew: async () => 'session-token' };
    const endpoint = await serveLocalHttp(port, upstreamUrl, authorizedFetch(source), () => undefined);
    try {
      expect(endpoint.url).toBe(`http://127.0.0.1:${port}/mcp`);
      const post = (
        headers: Record<string, string> = {},
        body = '{"jsonrpc":"2.0","id":1,"method":"ping"}',
        url = endpoint.url,
      ) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
      const ok = await post({ origin: `http://localhost:${port}`, authorization: 'Bearer client-supplied' });
      expect(ok.status).toBe(200);
      expect(await ok.json()).toEqual({ jsonrpc: '2.0', id: 1, result: {} });
      expect(received[0].headers.authorization).toBe('Bearer session-token');
      expect(received[0].body).toBe('{"jsonrpc":"2.0","id":1,"method":"ping"}');
      expect((await post({ origin: 'http://evil.example' })).status).toBe(403);
      expect((await post({}, '{}', `http://127.0.0.1:${port}/other`)).status).toBe(404);
      const refused = await post({}, '{"refuse":true}');
      expect(refused.status).toBe(502);
      expect(refused.headers.get('www-authenticate')).toBeNull();
      expect(received).toHaveLength(3);
    } finally {
      await endpoint.close();
      upstream.closeAllConnections();
      await new Promise<void>((resolve) => upstream.close(() => resolve()));
    }
  });
});
