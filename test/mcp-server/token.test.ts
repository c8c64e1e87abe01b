/**
 * Token validation on a running reference server (jose cannot load in jest's CommonJS runtime, so
 * the server runs as `npm run server` does), against a local issuer that serves RFC 8414 metadata
 * and a JWKS. Each token is built to fail exactly one check.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { auditRecordProblems } from '../../lib/core/audit-record';
import { accessTokenClaims, rsaSigningKey, signJwt } from '../e2e/jwt';
import { freePort, type ServerProcess, startServer } from '../e2e/processes';
import { CONTRACT_ENV } from './fixtures';

jest.setTimeout(15_000);

const key = rsaSigningKey('k1');
const otherKey = rsaSigningKey('k9');
const impostorKey = rsaSigningKey('k1');

let dir: string;
let issuerServer: http.Server;
let issuer: string;
let mixedUpIssuer: string;
let mcp: ServerProcess;
let mixedUp: ServerProcess;
let url: string;
let mixedUpUrl: string;
const AUDIENCE = CONTRACT_ENV.MCP_OAUTH_AUDIENCE;

const audit = (file: string) =>
  fs.existsSync(file)
    ? fs
        .readFileSync(file, 'utf8')
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as Record<string, string>)
    : [];

async function serverEnv(issuerUrl: string, name: string): Promise<Record<string, string>> {
  const port = await freePort();
  return {
    ...CONTRACT_ENV,
    MCP_PORT: String(port),
    MCP_OAUTH_ISSUER: issuerUrl,
    MCP_RESOURCE_URL: `http://127.0.0.1:${port}/mcp`,
    MCP_ALLOWED_ORIGINS: `http://127.0.0.1:${port}`,
    VAULT_ADDR: 'http://127.0.0.1:9',
    VAULT_TOKEN_PATH: path.join(dir, 'token'),
    MCP_AUDIT_LOG_PATH: path.join(dir, `${name}.jsonl`),
  };
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-token-'));
  issuerServer = http.createServer((req, res) => {
    const origin = `http://127.0.0.1:${(issuerServer.address() as { port: number }).port}`;
    const metadata = (iss: string) => ({
      issuer: iss,
      authorization_endpoint: `${origin}/auth`,
      token_endpoint: `${origin}/token`,
      jwks_uri: `${origin}/jwks`,
      response_types_supported: ['code'],
    });
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    // RFC 8414 inserts the well-known path before the issuer's path.
    if (req.url === '/.well-known/oauth-authorization-server/oauth2/aus1')
      return send(200, metadata(`${origin}/oauth2/aus1`));
    if (req.url === '/.well-known/oauth-authorization-server/oauth2/mixup')
      return send(200, metadata(`${origin}/oauth2/aus1`));
    if (req.url === '/jwks') return send(200, { keys: [key.publicJwk] });
    return send(404, {});
  });
  await new Promise<void>((resolve) => issuerServer.listen(0, '127.0.0.1', () => resolve()));
  const origin = `http://127.0.0.1:${(issuerServer.address() as { port: number }).port}`;
  issuer = `${origin}/oauth2/aus1`;
  mixedUpIssuer = `${origin}/oauth2/mixup`;
  const [env, mixedEnv] = await Promise.all([serverEnv(issuer, 'audit'), serverEnv(mixedUpIssuer, 'mixup')]);
  [mcp, mixedUp] = await Promise.all([startServer(env), startServer(mixedEnv)]);
  url = env.MCP_RESOURCE_URL;
  mixedUpUrl = mixedEnv.MCP_RESOURCE_URL;
});

afterAll(async () => {
  await Promise.all([mcp?.stop(), mixedUp?.stop()]);
  issuerServer.closeAllConnections();
  await new Promise<void>((resolve) => issuerServer.close(() => resolve()));
  fs.rmSync(dir, { recursive: true, force: true });
});

const whoami = (token: string, target = url) =>
  fetch(target, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2025-06-18',
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'whoami', arguments: {} } }),
  });

const claims = (over: Parameters<typeof accessTokenClaims>[0] extends infer O ? Partial<O> : never = {}) =>
  accessTokenClaims({ issuer, audience: AUDIENCE, tenant: 'acme', ...over });

describe('bearer token validation', () => {
  test.each([
    ['expired', () => signJwt(claims({ issuedSecondsAgo: 1200, lifetime: 900 }), key), 401, 'denied', 'token expired'],
    [
      '60 minutes long',
      () => signJwt(claims({ lifetime: 3600 }), key),
      401,
      'denied',
      'token lifetime is 3600 s (at most 900 s)',
    ],
    [
      '16 minutes long',
      () => signJwt(claims({ lifetime: 960 }), key),
      401,
      'denied',
      'token lifetime is 960 s (at most 900 s)',
    ],
    [
      'for another audience',
      () => signJwt(claims({ audience: 'https://globex.mcp.example.com/mcp' }), key),
      401,
      'denied',
      'token aud check failed',
    ],
    [
      'from another issuer',
      () => signJwt(claims({ issuer: 'https://example.okta.com/oauth2/ausOther' }), key),
      401,
      'denied',
      "token issuer is not this tenant's issuer",
    ],
    [
      'of another tenant, signed by this issuer',
      () => signJwt(claims({ tenant: 'globex' }), key),
      403,
      'cross_tenant_denied',
      'token tid names tenant globex',
    ],
    [
      'of another tenant, from its own issuer',
      () => signJwt(claims({ tenant: 'globex', issuer: 'https://example.okta.com/oauth2/ausGlobex' }), otherKey),
      403,
      'cross_tenant_denied',
      "token tid names tenant globex (claims unverified: token issuer is not this tenant's issuer)",
    ],
    [
      'without a tenant claim',
      () => signJwt({ ...claims(), tid: undefined }, key),
      401,
      'denied',
      'token has no tid claim',
    ],
    [
      'signed with HS256',
      () => signJwt(claims(), { hs256: 'a shared secret of at least 32 bytes!!' }),
      401,
      'denied',
      'token algorithm HS256 is not allowed',
    ],
    ['unsigned (alg none)', () => signJwt(claims(), 'none'), 401, 'denied', 'token algorithm none is not allowed'],
    [
      'signed by an unknown key',
      () => signJwt(claims(), otherKey),
      401,
      'denied',
      'no key of the issuer signed the token',
    ],
    [
      'signed by another key under a known kid',
      () => signJwt(claims(), impostorKey),
      401,
      'denied',
      'token signature is invalid',
    ],
  ])('a token %s is refused', async (_name, token, status, outcome, reason) => {
    const before = audit(path.join(dir, 'audit.jsonl')).length;
    const res = await whoami(token());
    expect(res.status).toBe(status);
    expect(res.headers.get('www-authenticate')).toContain('error="invalid_token"');
    const records = audit(path.join(dir, 'audit.jsonl')).slice(before);
    expect(records.map((r) => [r.tool, r.outcome, r.reason])).toEqual([['whoami', outcome, reason]]);
  });

  test('a valid token passes, and a token expired within the 30 s clock tolerance still does', async () => {
    expect((await whoami(signJwt(claims(), key))).status).toBe(200);
    expect((await whoami(signJwt(claims({ issuedSecondsAgo: 910, lifetime: 900 }), key))).status).toBe(200);
  });

  test('a service token (client credentials: sub = cid, no uid) is audited as a service', async () => {
    const before = audit(path.join(dir, 'audit.jsonl')).length;
    const token = signJwt({ ...claims({ sub: 'svc-acme', clientId: 'svc-acme' }), uid: undefined }, key);
    const res = await whoami(token);
    expect(res.status).toBe(200);
    const records = audit(path.join(dir, 'audit.jsonl')).slice(before);
    expect(records.map((r) => [r.actor_id, r.actor_type, r.outcome])).toEqual([['svc-acme', 'service', 'allowed']]);
  });

  test("a person's token is audited by the Okta user id (uid), not the login in sub", async () => {
    const before = audit(path.join(dir, 'audit.jsonl')).length;
    const token = signJwt({ ...claims({ sub: 'dev@example.com' }), uid: '00u1dev' }, key);
    expect((await whoami(token)).status).toBe(200);
    const records = audit(path.join(dir, 'audit.jsonl')).slice(before);
    expect(records.map((r) => [r.actor_id, r.actor_type, r.outcome])).toEqual([['00u1dev', 'human', 'allowed']]);
  });

  describe('a service token gets the checks a person gets (issuer, audience, tenant, lifetime, scope)', () => {
    const service = (over: Parameters<typeof claims>[0] = {}) => ({
      ...claims({ sub: '0oa1deploybot', clientId: '0oa1deploybot', ...over }),
      uid: undefined,
    });
    test.each([
      [
        'of another tenant, signed by this issuer',
        () => signJwt(service({ tenant: 'globex' }), key),
        403,
        'cross_tenant_denied',
        '0oa1deploybot',
        'token tid names tenant globex',
      ],
      [
        'of another tenant, from its own issuer',
        () => signJwt(service({ tenant: 'globex', issuer: 'https://example.okta.com/oauth2/ausGlobex' }), otherKey),
        403,
        'cross_tenant_denied',
        'unverified:0oa1deploybot',
        "token tid names tenant globex (claims unverified: token issuer is not this tenant's issuer)",
      ],
      [
        'for another audience',
        () => signJwt(service({ audience: 'https://globex.mcp.example.com/mcp' }), key),
        401,
        'denied',
        '0oa1deploybot',
        'token aud check failed',
      ],
      [
        '16 minutes long',
        () => signJwt(service({ lifetime: 960 }), key),
        401,
        'denied',
        '0oa1deploybot',
        'token lifetime is 960 s (at most 900 s)',
      ],
      [
        'without the use scope',
        () => signJwt(service({ scopes: ['mcp:acme:admin'] }), key),
        403,
        'denied',
        '0oa1deploybot',
        'token lacks scope mcp:acme:use',
      ],
    ])(
      'a service token %s is refused, audited as the service',
      async (_name, token, status, outcome, actor, reason) => {
        const before = audit(path.join(dir, 'audit.jsonl')).length;
        expect((await whoami(token())).status).toBe(status);
        const records = audit(path.join(dir, 'audit.jsonl')).slice(before);
        expect(records.map((r) => [r.tool, r.outcome, r.actor_id, r.actor_type, r.reason])).toEqual([
          ['whoami', outcome, actor, 'service', reason],
        ]);
      },
    );

    test('a service token with the use scope only is denied the admin tool', async () => {
      const before = audit(path.join(dir, 'audit.jsonl')).length;
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${signJwt(service(), key)}`,
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          'mcp-protocol-version': '2025-06-18',
        },
        body: JSON.stringify({
          jsonrpc: '2.0',
          id: 1,
          method: 'tools/call',
          params: { name: 'server_status', arguments: {} },
        }),
      });
      expect(res.status).toBe(200);
      expect(JSON.stringify(await res.json())).toContain('denied: tool server_status needs scope mcp:acme:admin');
      const records = audit(path.join(dir, 'audit.jsonl')).slice(before);
      expect(records.map((r) => [r.tool, r.outcome, r.actor_id, r.actor_type])).toEqual([
        ['server_status', 'denied', '0oa1deploybot', 'service'],
      ]);
    });
  });

  test('a token that is no JWT is refused and not audited', async () => {
    const before = audit(path.join(dir, 'audit.jsonl')).length;
    expect((await whoami('not-a-jwt')).status).toBe(401);
    expect(audit(path.join(dir, 'audit.jsonl'))).toHaveLength(before);
  });

  test('metadata that names another issuer is refused: 503, audited as error', async () => {
    const res = await whoami(signJwt(claims({ issuer: mixedUpIssuer }), key), mixedUpUrl);
    expect(res.status).toBe(503);
    expect(audit(path.join(dir, 'mixup.jsonl')).map((r) => [r.outcome, r.reason])).toEqual([
      ['error', `the issuer's keys could not be found: the metadata names issuer ${issuer}, not ${mixedUpIssuer}`],
    ]);
  });

  test('every record written is valid, and the server never logs a token', () => {
    for (const record of audit(path.join(dir, 'audit.jsonl'))) expect(auditRecordProblems(record)).toEqual([]);
    expect(mcp.stderr()).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}/);
  });
});
