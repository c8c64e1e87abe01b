/**
 * The HTTP side of the reference server, in process, with a stand-in token verifier (token.ts and
 * its jose checks are tested on a running server in token.test.ts) and the Vault stand-in.
 */
import * as fs from 'node:fs';
import { type Server, request as httpRequest } from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { type AuditRecord, auditRecordProblems } from '../../lib/core/audit-record';
import type { AuditSink } from '../../examples/mcp-server/src/audit-log';
import type { ServerConfig } from '../../examples/mcp-server/src/config';
import { createMcpHttpServer } from '../../examples/mcp-server/src/http';
import { silentLogger } from '../../examples/mcp-server/src/log';
import type { TokenCheck, TokenVerifier } from '../../examples/mcp-server/src/token';
import { VaultClient } from '../../examples/mcp-server/src/vault';
import { freePort } from '../e2e/processes';
import { startVaultStandIn, type VaultStandIn } from '../e2e/vault-stand-in';
import { contractConfig } from './fixtures';

jest.setTimeout(10_000);

const USER = { actorId: '00u1user', actorType: 'human' as const };
const CHECKS: Record<string, TokenCheck> = {
  user: {
    kind: 'ok',
    caller: { ...USER, clientId: 'mcp-clients', scopes: ['mcp:acme:use'], expiresAt: 2e9, tenantId: 'acme' },
  },
  noscope: {
    kind: 'ok',
    caller: { ...USER, clientId: 'mcp-clients', scopes: ['offline_access'], expiresAt: 2e9, tenantId: 'acme' },
  },
  foreign: {
    kind: 'refused',
    status: 403,
    error: 'invalid_token',
    outcome: 'cross_tenant_denied',
    reason: 'token tid names tenant globex',
    actor: USER,
  },
  garbage: { kind: 'refused', status: 401, error: 'invalid_token', outcome: 'denied', reason: 'token is not a JWT' },
  offline: {
    kind: 'refused',
    status: 503,
    error: 'temporarily_unavailable',
    outcome: 'error',
    reason: "the issuer's keys could not be fetched: timeout",
    actor: { actorId: 'unverified:00u1user', actorType: 'human' },
  },
};
const verifier: TokenVerifier = {
  verify: async (token) => CHECKS[token] ?? CHECKS.garbage,
  warmUp: async () => undefined,
};

let dir: string;
let config: ServerConfig;
let server: Server;
let base: string;
let vault: VaultStandIn;
let records: AuditRecord[];
let failAudit = false;
const sink: AuditSink = {
  write: (r) => {
    if (failAudit) throw Object.assign(new Error('no space left'), { code: 'ENOSPC' });
    records.push(r);
  },
};

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-http-'));
  fs.writeFileSync(path.join(dir, 'token'), 'sa-jwt');
  vault = await startVaultStandIn({
    authPath: 'kubernetes',
    roles: { 'mcp-acme': { jwt: 'sa-jwt', kvMount: 'tenants/acme/kv' } },
    secrets: { 'tenants/acme/kv/data/downstream-api': { data: { token: 'x' }, version: 2 } },
  });
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  config = contractConfig({
    MCP_PORT: String(port),
    MCP_RESOURCE_URL: `${base}/mcp`,
    MCP_ALLOWED_ORIGINS: `${base},http://localhost:${port}`,
    VAULT_ADDR: vault.url,
    VAULT_TOKEN_PATH: path.join(dir, 'token'),
  });
  server = createMcpHttpServer(config, {
    config,
    audit: sink,
    vault: new VaultClient(config.vault),
    log: silentLogger,
    verifier,
    status: () => ({ tenant: 'acme' }),
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await vault.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  records = [];
  failAudit = false;
});

const call = (name: string, args: unknown = {}, id = 1) => ({
  jsonrpc: '2.0',
  id,
  method: 'tools/call',
  params: { name, arguments: args },
});
const post = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${base}/mcp`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function client(token: string): Promise<Client> {
  const c = new Client({ name: 'http-test', version: '1.0.0' });
  await c.connect(
    new StreamableHTTPClientTransport(new URL(`${base}/mcp`), { requestInit: { headers: bearer(token) } }),
  );
  return c;
}

describe('before the token', () => {
  test('a request for another Host is refused (DNS rebinding)', async () => {
    // fetch() does not let a caller set Host: a raw request does, as a rebinding browser would.
    const status = (host: string) =>
      new Promise<number | undefined>((resolve, reject) => {
        const req = httpRequest(
          { host: '127.0.0.1', port: config.port, path: '/healthz', headers: { host } },
          (res) => {
            res.resume();
            resolve(res.statusCode);
          },
        );
        req.on('error', reject);
        req.end();
      });
    expect(await status('evil.example:7700')).toBe(403);
    expect(await status(`localhost:${config.port}`)).toBe(200);
  });

  test('a present Origin must be allowed; no Origin is fine', async () => {
    expect((await post({}, { origin: 'http://evil.example' })).status).toBe(403);
    expect((await post({}, { origin: 'http://127.0.0.1:7700' })).status).toBe(403);
    expect((await post({}, { origin: base })).status).toBe(401);
    expect((await post({})).status).toBe(401);
  });

  test('RFC 9728 metadata at the root and path-aware well-known URLs', async () => {
    for (const url of [
      `${base}/.well-known/oauth-protected-resource`,
      `${base}/.well-known/oauth-protected-resource/mcp`,
    ]) {
      expect(await (await fetch(url)).json()).toEqual({
        resource: `${base}/mcp`,
        authorization_servers: ['https://example.okta.com/oauth2/aus1acme'],
        scopes_supported: ['mcp:acme:use', 'offline_access'],
        bearer_methods_supported: ['header'],
        resource_name: 'MCP server of tenant acme',
      });
    }
  });

  test('no token: 401 pointing at the metadata, and no audit record (nobody to attribute)', async () => {
    const res = await post(call('whoami'));
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe(
      `Bearer resource_metadata="${base}/.well-known/oauth-protected-resource/mcp"`,
    );
    expect(records).toEqual([]);
  });

  test('health, unknown paths, methods, bodies and batches', async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/nothing`)).status).toBe(404);
    expect((await fetch(`${base}/mcp`, { headers: bearer('user') })).status).toBe(405);
    expect((await post('{not json', bearer('user'))).status).toBe(400);
    expect((await post([call('whoami')], bearer('user'))).status).toBe(400);
    const large = await post(
      { jsonrpc: '2.0', id: 1, method: 'ping', params: { pad: 'x'.repeat(1024 * 1024) } },
      bearer('user'),
    );
    expect(large.status).toBe(413);
    expect(records).toEqual([]);
  });
});

describe('token refusals', () => {
  test('a token of another tenant: 403, audited as cross_tenant_denied with the tool it tried', async () => {
    const res = await post(call('describe_secret', { path: 'downstream-api' }), bearer('foreign'));
    expect(res.status).toBe(403);
    expect(res.headers.get('www-authenticate')).toBe(
      `Bearer error="invalid_token", error_description="token tid names tenant globex", resource_metadata="${base}/.well-known/oauth-protected-resource/mcp"`,
    );
    expect(records).toEqual([
      expect.objectContaining({
        actor_id: '00u1user',
        tool: 'describe_secret',
        outcome: 'cross_tenant_denied',
        downstream: 'none',
      }),
    ]);
    for (const r of records) expect(auditRecordProblems(r)).toEqual([]);
  });

  test('a token that is no JWT: 401, not audited', async () => {
    const res = await post(call('whoami'), bearer('garbage'));
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain(
      'error="invalid_token", error_description="token is not a JWT"',
    );
    expect(records).toEqual([]);
  });

  test('when the keys cannot be fetched: 503 with Retry-After, audited as error', async () => {
    const res = await post({ jsonrpc: '2.0', id: 1, method: 'initialize', params: {} }, bearer('offline'));
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(records.map((r) => [r.tool, r.outcome, r.actor_id])).toEqual([
      ['initialize', 'error', 'unverified:00u1user'],
    ]);
  });

  test("a token without the tenant's use scope: 403 insufficient_scope naming it, audited as denied", async () => {
    const res = await post(call('whoami'), bearer('noscope'));
    expect(res.status).toBe(403);
    expect(res.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
    expect(res.headers.get('www-authenticate')).toContain('scope="mcp:acme:use"');
    expect(records.map((r) => [r.outcome, r.reason])).toEqual([['denied', 'token lacks scope mcp:acme:use']]);
  });

  test('a refusal that cannot be audited is not answered as a refusal of the caller: 503', async () => {
    failAudit = true;
    expect((await post(call('whoami'), bearer('foreign'))).status).toBe(503);
  });
});

describe('tool calls', () => {
  test('one audit record per call; listing and initialize are not calls', async () => {
    const c = await client('user');
    await c.listTools();
    const who = await c.callTool({ name: 'whoami', arguments: {} });
    expect(JSON.parse((who.content as { text: string }[])[0].text)).toMatchObject({
      tenant: 'acme',
      actor_id: '00u1user',
    });
    await c.callTool({ name: 'describe_secret', arguments: { path: 'downstream-api' } });
    await c.callTool({ name: 'server_status', arguments: {} });
    await c.callTool({ name: 'describe_secret', arguments: { path: 'tenants/globex/kv/x' } });
    await c.close();
    expect(records.map((r) => [r.tool, r.outcome, r.downstream])).toEqual([
      ['whoami', 'allowed', 'none'],
      ['describe_secret', 'allowed', 'vault'],
      ['server_status', 'denied', 'none'],
      ['describe_secret', 'cross_tenant_denied', 'vault'],
    ]);
    expect(new Set(records.map((r) => r.request_id)).size).toBe(4);
    for (const r of records) expect(auditRecordProblems(r)).toEqual([]);
  });

  test("Vault sees the server's own login, never the caller's token", async () => {
    const c = await client('user');
    const result = await c.callTool({ name: 'describe_secret', arguments: { path: 'tenants/acme/kv/downstream-api' } });
    await c.close();
    expect(JSON.parse((result.content as { text: string }[])[0].text)).toEqual({
      path: 'tenants/acme/kv/downstream-api',
      version: 2,
      created_time: '2026-11-02T09:00:00.000000Z',
      keys: ['token'],
    });
    expect(vault.requests.length).toBeGreaterThan(0);
    for (const request of vault.requests) {
      expect(request.headers.authorization).toBeUndefined();
      expect(JSON.stringify(request)).not.toContain('Bearer');
    }
    expect(vault.requests.filter((r) => r.method === 'POST').map((r) => JSON.parse(r.body))).toEqual([
      { role: 'mcp-acme', jwt: 'sa-jwt' },
    ]);
  });

  test('a malformed tool call the SDK refuses is still audited, once', async () => {
    const res = await post(
      { jsonrpc: '2.0', id: 9, method: 'tools/call', params: { arguments: {} } },
      {
        ...bearer('user'),
        'mcp-protocol-version': '2025-06-18',
      },
    );
    expect(res.status).toBe(200);
    expect(records.map((r) => [r.tool, r.outcome, r.reason])).toEqual([
      ['tools/call', 'denied', 'the tool call request was malformed'],
    ]);
  });

  test('a call that cannot be audited is refused and does not run', async () => {
    const c = await client('user');
    const before = vault.requests.length;
    failAudit = true;
    const result = await c.callTool({ name: 'describe_secret', arguments: { path: 'downstream-api' } });
    failAudit = false;
    await c.close();
    expect(result.isError).toBe(true);
    expect((result.content as { text: string }[])[0].text).toBe('the call could not be audited, so it was refused');
    expect(vault.requests.length).toBe(before);
  });
});
