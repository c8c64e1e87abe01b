/**
 * End to end, offline: the multi-tenant example is synthesized; each tenant's MCP container
 * environment is read from the synthesized JSON and starts the reference server (only the issuer
 * replaced by a local one, Vault by a stand-in, and ports and paths by free ones); a local
 * authorization server (oidc-provider) is configured from the synthesized Okta resources; and
 * `mcp-access connect` (headless sign-in) and the MCP SDK client carry real calls through it. Each
 * tenant also has a service account `deploy-bot` (issue 20), shaped as the contract declares it
 * (an Okta service app: client credentials only, private_key_jwt with its own EC P-256 key, the
 * tenant's use scope, the tenant's token lifetime); `mcp-access connect --service-account` runs as
 * an agent runs it, with the key on a file descriptor, signing with jose.
 *
 * Not here: the hop through Cloudflare (cloudflared and Access cannot run offline: connect runs
 * with --no-tunnel and talks to the server's port directly), a real Okta, a real Vault.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { runConnectCommand } from '../../lib/cli/connect';
import { jwkThumbprint } from '../../lib/cli/connect/service-account';
import { auditRecordProblems } from '../../lib/core/audit-record';
import {
  type ClientSpec,
  launchAuthorizationServer,
  type LocalAuthorizationServer,
  type PolicySpec,
} from './authorization-server-spec';
import { ChildProcessTransport } from './child-stdio';
import { accessTokenClaims, ecSigningKey, rsaSigningKey, type SigningKey, signJwt } from './jwt';
import { CLI_MAIN, freePort, runServerToExit, type ServerProcess, startServer, TS_REGISTER } from './processes';
import {
  type Json,
  mcpContainerEnv,
  oktaPublicApps,
  oktaTenant,
  resolvedOutputs,
  synthesizeMultiTenant,
  withPort,
} from './synthesized';
import { completeSignIn } from './user-agent';
import { startVaultStandIn, type VaultStandIn } from './vault-stand-in';

jest.setTimeout(15_000);

const TENANTS = ['acme', 'globex'] as const;
type Tenant = (typeof TENANTS)[number];
/** The person who signs in: Okta puts the login in `sub` and the user id in `uid`; the audit names the user id. */
const USER_LOGIN = 'dev@acme.example';
const USER = '00u1e2e0000';
/** Each tenant's service account, and its Okta client id (the outputs carry it). */
const SERVICE_ACCOUNT = 'deploy-bot';
const serviceClientId = (t: Tenant) => `0oa-${t}-svc-${SERVICE_ACCOUNT}`;
const SECRET = { data: { token: 'downstream-secret-value', user: 'svc' }, version: 3 };

interface TenantRuntime {
  readonly env: Record<string, string>;
  readonly synthesizedEnv: Record<string, string>;
  readonly server: ServerProcess;
  readonly url: string;
  readonly port: number;
  readonly auditPath: string;
  readonly signingKey: SigningKey;
  readonly serviceKey: SigningKey;
}

let tmp: string;
let stack: Json;
let launched: ReturnType<typeof launchAuthorizationServer>;
let authorizationServer: LocalAuthorizationServer;
let vault: VaultStandIn;
let outputsFile: string;
let redirectUri: string;
let redirectPort: number;
const tenants = {} as Record<Tenant, TenantRuntime>;
const clientIds: Record<string, string> = {};

const audit = (t: Tenant): Json[] =>
  fs.existsSync(tenants[t].auditPath)
    ? fs
        .readFileSync(tenants[t].auditPath, 'utf8')
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as Json)
    : [];

const post = (
  t: Tenant,
  headers: Record<string, string> = {},
  body: unknown = { jsonrpc: '2.0', id: 1, method: 'tools/list' },
) =>
  fetch(tenants[t].url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
    body: JSON.stringify(body),
  });

/** An MCP SDK client on a tenant's server with a fixed bearer token. */
async function sdkClient(url: string, token?: string): Promise<Client> {
  const client = new Client({ name: 'e2e', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(url), {
      requestInit: token ? { headers: { authorization: `Bearer ${token}` } } : undefined,
    }),
  );
  return client;
}

const textOf = (result: unknown) => ((result as { content: { text: string }[] }).content[0] ?? { text: '' }).text;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-e2e-'));
  // The authorization server's process loads while the example synthesizes.
  launched = launchAuthorizationServer();
  stack = await synthesizeMultiTenant(path.join(tmp, 'cdktf.out'));

  // The authorization server, from the synthesized Okta resources.
  redirectPort = await freePort();
  const apps = oktaPublicApps(stack);
  for (const app of apps) clientIds[app.name] = `0oa-${app.name.toLowerCase().replace(/_/g, '-')}`;
  const clients: ClientSpec[] = apps.map((app) => ({
    clientId: clientIds[app.name],
    redirectUris: app.redirectUris.map((u) => withPort(u, redirectPort)),
    grantTypes: app.grantTypes,
    tokenEndpointAuthMethod: 'none',
    rotateRefreshToken: app.rotation === 'ROTATE',
    pkceRequired: app.pkceRequired,
  }));
  const keys = {} as Record<Tenant, { signing: SigningKey; service: SigningKey }>;
  for (const t of TENANTS) {
    // The service key's kid is its RFC 7638 thumbprint, as docs/service-identities.md generates it
    // (connect sends that kid for a PEM key, and Okta picks the app's key by it).
    const service = ecSigningKey('unset');
    const kid = jwkThumbprint(service.privateKey);
    keys[t] = {
      signing: rsaSigningKey(`${t}-as-key`),
      service: {
        ...service,
        kid,
        privateJwk: { ...service.privateJwk, kid },
        publicJwk: { ...service.publicJwk, kid },
      },
    };
  }
  // A service account per tenant (issue 20): client credentials with private_key_jwt, the use scope only.
  for (const t of TENANTS) {
    clients.push({
      clientId: serviceClientId(t),
      redirectUris: [],
      grantTypes: ['client_credentials'],
      tokenEndpointAuthMethod: 'private_key_jwt',
      publicKeys: [keys[t].service.publicJwk],
      rotateRefreshToken: false,
      pkceRequired: false,
    });
  }
  const servers = TENANTS.map((t) => {
    const okta = oktaTenant(stack, t);
    for (const p of okta.policies) {
      const undeclared = p.scopes.filter((s) => s !== 'offline_access' && !okta.scopes.includes(s));
      if (undeclared.length > 0)
        throw new Error(`the ${t} policy rule names undeclared scopes ${undeclared.join(' ')}`);
    }
    // The people's clients (a service app the example may declare is replaced by the one below).
    const people = okta.policies.filter((p) => clientIds[p.app] !== undefined);
    const policies: PolicySpec[] = people.map((p) => ({
      clientId: clientIds[p.app],
      scopes: p.scopes,
      accessTokenTtlSeconds: p.accessTokenLifetimeMinutes * 60,
    }));
    const useRule = people.find((p) => p.scopes.includes(`mcp:${t}:use`) && !p.scopes.includes(`mcp:${t}:admin`));
    policies.push({
      clientId: serviceClientId(t),
      scopes: [`mcp:${t}:use`],
      accessTokenTtlSeconds: (useRule?.accessTokenLifetimeMinutes ?? 15) * 60,
    });
    return {
      id: `aus-${t}`,
      tenant: t,
      audience: okta.audience,
      claims: okta.claims,
      signingKey: keys[t].signing.privateJwk,
      policies,
    };
  });
  authorizationServer = await launched.configure({ servers, clients, accountId: USER_LOGIN, userId: USER });

  // Vault: one stand-in for the cluster's Vault, with each tenant's role and service account token.
  const firstEnv = mcpContainerEnv(stack, 'acme');
  vault = await startVaultStandIn({
    authPath: firstEnv.VAULT_AUTH_PATH,
    roles: Object.fromEntries(
      TENANTS.map((t) => [
        mcpContainerEnv(stack, t).VAULT_ROLE,
        { jwt: `sa-token-of-mcp-${t}`, kvMount: `tenants/${t}/kv` },
      ]),
    ),
    secrets: Object.fromEntries(TENANTS.map((t) => [`tenants/${t}/kv/data/downstream-api`, SECRET])),
  });

  // Each tenant's server, configured by its synthesized container environment.
  await Promise.all(
    TENANTS.map(async (t) => {
      const synthesizedEnv = mcpContainerEnv(stack, t);
      const port = await freePort();
      const dir = fs.mkdtempSync(path.join(tmp, `${t}-`));
      fs.writeFileSync(path.join(dir, 'token'), `sa-token-of-mcp-${t}\n`);
      const env = {
        ...synthesizedEnv,
        MCP_OAUTH_ISSUER: authorizationServer.issuers[t],
        MCP_PORT: String(port),
        MCP_RESOURCE_URL: withPort(synthesizedEnv.MCP_RESOURCE_URL, port),
        MCP_ALLOWED_ORIGINS: synthesizedEnv.MCP_ALLOWED_ORIGINS.split(',')
          .map((o) => withPort(o, port))
          .join(','),
        VAULT_ADDR: vault.url,
        VAULT_TOKEN_PATH: path.join(dir, 'token'),
        MCP_AUDIT_LOG_PATH: path.join(dir, 'audit.jsonl'),
      };
      const server = await startServer(env);
      tenants[t] = {
        env,
        synthesizedEnv,
        server,
        port,
        url: env.MCP_RESOURCE_URL,
        auditPath: env.MCP_AUDIT_LOG_PATH,
        signingKey: keys[t].signing,
        serviceKey: keys[t].service,
      };
    }),
  );

  // The outputs a developer gets after `cdktf deploy`, pointing at the stand-ins.
  const outputs = resolvedOutputs(
    stack,
    Object.fromEntries(TENANTS.map((t) => [oktaTenant(stack, t).authServer, authorizationServer.issuers[t]])),
    clientIds,
    // A service account the example may declare is left out: the test writes its own below.
    (name) => TENANTS.some((t) => name.startsWith(`${t}_`)) && !name.includes('_service_'),
  );
  for (const t of TENANTS) {
    // The laptop's local port (the tunnel's) becomes the server's own, and the redirect port a free one.
    const localPort = new URL(tenants[t].synthesizedEnv.MCP_RESOURCE_URL).port;
    const callbackPort = new URL(apps[0].redirectUris[0]).port;
    for (const name of [`${t}_local_mcp_url`, `${t}_connect_command`, `${t}_mcp_client_config`]) {
      outputs[name].value = outputs[name].value
        .replace(new RegExp(`(127\\.0\\.0\\.1|localhost):${localPort}\\b`, 'g'), `$1:${tenants[t].port}`)
        .replace(new RegExp(`(127\\.0\\.0\\.1|localhost):${callbackPort}/`, 'g'), `$1:${redirectPort}/`);
    }
  }
  // The service account's outputs (the contract's names); its Access service token secret is never in the file.
  for (const t of TENANTS) {
    const prefix = `${t}_service_${SERVICE_ACCOUNT.replace(/-/g, '_')}`;
    outputs[`${prefix}_client_id`] = { value: serviceClientId(t), type: 'string', sensitive: false };
    outputs[`${prefix}_access_client_id`] = {
      value: `${t}-${SERVICE_ACCOUNT}.access`,
      type: 'string',
      sensitive: false,
    };
  }
  outputsFile = path.join(tmp, 'outputs.json');
  fs.writeFileSync(outputsFile, JSON.stringify(outputs, null, 2));
  redirectUri = (
    JSON.parse(outputs.acme_mcp_client_config.value) as { mcpServers: { acme: { oauth: { redirectUri: string } } } }
  ).mcpServers.acme.oauth.redirectUri;
}, 40_000);

afterAll(async () => {
  const codes = await Promise.all(TENANTS.filter((t) => tenants[t]).map((t) => tenants[t].server.stop()));
  // SIGTERM ends the server cleanly.
  expect(codes.every((c) => c === 0)).toBe(true);
  await launched?.stop();
  await vault?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('the synthesized settings and the runtime agree', () => {
  test('the server runs on the synthesized environment, with only the issuer, Vault, ports and paths replaced', () => {
    const untouched = [
      'MCP_BIND_ADDRESS',
      'MCP_TENANT_ID',
      'MCP_TENANT_CLAIM',
      'MCP_OAUTH_AUDIENCE',
      'VAULT_ROLE',
      'VAULT_AUTH_PATH',
    ];
    for (const t of TENANTS) {
      for (const name of untouched) expect(tenants[t].env[name]).toBe(tenants[t].synthesizedEnv[name]);
      expect(tenants[t].synthesizedEnv.MCP_BIND_ADDRESS).toBe('127.0.0.1');
      expect(tenants[t].synthesizedEnv.MCP_OAUTH_ISSUER).toMatch(/^\$\{okta_auth_server\..+\.issuer\}$/);
    }
  });

  test('RFC 9728 metadata names the local URL, the tenant issuer and exactly the scopes of the users rule', async () => {
    const okta = oktaTenant(stack, 'acme');
    const usersRule = okta.policies.find((p) => p.scopes.includes('offline_access'));
    const url = `http://127.0.0.1:${tenants.acme.port}/.well-known/oauth-protected-resource`;
    const metadata = (await (await fetch(url)).json()) as Json;
    expect(metadata).toMatchObject({
      resource: tenants.acme.url,
      authorization_servers: [authorizationServer.issuers.acme],
      scopes_supported: usersRule?.scopes,
    });
    expect(metadata.scopes_supported).toEqual(['mcp:acme:use', 'offline_access']);
  });

  test('a start on the synthesized environment as is, or on a non-loopback bind, is refused with one line', async () => {
    const [asSynthesized, exposed] = await Promise.all([
      runServerToExit(tenants.acme.synthesizedEnv),
      runServerToExit({ ...tenants.acme.env, MCP_BIND_ADDRESS: '0.0.0.0' }),
    ]);
    expect(asSynthesized.code).toBe(78);
    expect(asSynthesized.stderr).toBe(
      "mcp-server: refusing to start: MCP_OAUTH_ISSUER must be an https URL without query or fragment (http only on a loopback host), but '${okta_auth_server.Mcp_acme_Identity_AuthServer_03E26AEF.issuer}' was provided\n",
    );
    expect(exposed.code).toBe(78);
    expect(exposed.stderr).toBe(
      "mcp-server: refusing to start: MCP_BIND_ADDRESS must be a loopback IP address (127.0.0.1 or ::1), but '0.0.0.0' was provided\n",
    );
  });

  test('the exec probe command answers 0 on a running server', async () => {
    const probe = await runServerToExit(tenants.acme.env, ['healthcheck']);
    expect(probe).toEqual({ code: 0, stderr: '' });
  });
});

describe('before sign-in', () => {
  test('401 with a WWW-Authenticate header that points at the metadata', async () => {
    const before = audit('acme').length;
    const res = await post('acme');
    expect(res.status).toBe(401);
    const header = res.headers.get('www-authenticate') ?? '';
    const url = /^Bearer resource_metadata="([^"]+)"$/.exec(header)?.[1];
    expect(url).toBe(`http://127.0.0.1:${tenants.acme.port}/.well-known/oauth-protected-resource/mcp`);
    const metadata = (await (await fetch(url as string)).json()) as Json;
    expect(metadata.resource).toBe(tenants.acme.url);
    // Nobody to attribute: logged, not audited.
    expect(audit('acme')).toHaveLength(before);
  });

  test('a present Origin that is not allowed is refused with 403; an allowed one passes on to the token check', async () => {
    expect((await post('acme', { origin: 'http://evil.example' })).status).toBe(403);
    expect((await post('acme', { origin: `http://localhost:${tenants.acme.port}` })).status).toBe(401);
  });
});

describe('the authorization server keeps to the synthesized policy (issue 18)', () => {
  const authorize = (params: Record<string, string>) => {
    const url = new URL(`${authorizationServer.issuers.acme}/auth`);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: clientIds[oktaPublicApps(stack).find((a) => a.grantTypes.includes('refresh_token'))!.name],
      redirect_uri: redirectUri,
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      code_challenge_method: 'S256',
      state: 'state-1',
      resource: tenants.acme.env.MCP_OAUTH_AUDIENCE,
      ...params,
    }).toString();
    // An empty value leaves the parameter out.
    for (const [name, value] of [...url.searchParams]) if (value === '') url.searchParams.delete(name);
    return completeSignIn(url.href, redirectUri.replace(/\/callback$/, '/'), false);
  };

  test('a scope outside the rule (openid) gets an error, not a code', async () => {
    const result = await authorize({ scope: 'openid mcp:acme:use offline_access', prompt: 'consent' });
    expect(result.landedOn?.searchParams.get('error')).toBe('invalid_scope');
    expect(result.landedOn?.searchParams.get('code')).toBeNull();
  });

  test('a request without a PKCE challenge gets an error, not a code', async () => {
    // The MCP client and the admin client, both public.
    expect(oktaPublicApps(stack).map((a) => a.pkceRequired)).toEqual([true, true]);
    const result = await authorize({
      scope: 'mcp:acme:use offline_access',
      code_challenge: '',
      code_challenge_method: '',
    });
    expect(result.landedOn?.searchParams.get('error')).toBe('invalid_request');
    expect(result.landedOn?.searchParams.get('error_description')).toMatch(/PKCE/);
  });

  test('a redirect URI on another port is refused outright', async () => {
    const result = await authorize({
      scope: 'mcp:acme:use offline_access',
      redirect_uri: redirectUri.replace(`:${redirectPort}/`, ':9/'),
    });
    expect(result.landedOn).toBeUndefined();
    expect(result.status).toBe(400);
    expect(result.body).toContain('redirect_uri did not match');
  });
});

describe('mcp-access connect --stdio, as an MCP client starts it', () => {
  test('signs in headlessly, carries the calls, audits each one, keeps tokens off the disk, and revokes on exit', async () => {
    const home = fs.mkdtempSync(path.join(tmp, 'home-'));
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [
        '-r',
        TS_REGISTER,
        CLI_MAIN,
        'connect',
        'acme',
        '--stdio',
        '--outputs',
        outputsFile,
        '--no-tunnel',
        '--no-browser',
      ],
      env: { HOME: home, PATH: process.env.PATH ?? '' },
      cwd: home,
      stderr: 'pipe',
    });
    let stderr = '';
    const signInUrl = new Promise<string>((resolve) => {
      transport.stderr?.on('data', (d: Buffer) => {
        stderr += d.toString();
        const match = /sign in to tenant acme in your browser: (\S+)/.exec(stderr);
        if (match) resolve(match[1]);
      });
    });
    const client = new Client({ name: 'e2e-stdio', version: '1.0.0' });
    const auditBefore = audit('acme').length;
    try {
      const connected = client.connect(transport);
      const landing = await completeSignIn(await signInUrl, redirectUri);
      expect(landing.status).toBe(200);
      await connected;

      const tools = await client.listTools();
      expect(tools.tools.map((t) => t.name)).toEqual(['whoami', 'describe_secret', 'server_status']);
      const who = JSON.parse(textOf(await client.callTool({ name: 'whoami', arguments: {} }))) as Json;
      expect(who).toMatchObject({ tenant: 'acme', actor_id: USER, actor_type: 'human', scopes: ['mcp:acme:use'] });
      const secret = JSON.parse(
        textOf(await client.callTool({ name: 'describe_secret', arguments: { path: 'downstream-api' } })),
      ) as Json;
      expect(secret).toEqual({
        path: 'tenants/acme/kv/downstream-api',
        version: 3,
        created_time: expect.any(String),
        keys: ['token', 'user'],
      });
      const foreign = await client.callTool({
        name: 'describe_secret',
        arguments: { path: 'tenants/globex/kv/downstream-api' },
      });
      expect(foreign.isError).toBe(true);
      expect(textOf(foreign)).toBe('cross-tenant call denied: argument path names tenant globex');
      const admin = await client.callTool({ name: 'server_status', arguments: {} });
      expect(admin.isError).toBe(true);
      expect(textOf(admin)).toBe('denied: tool server_status needs scope mcp:acme:admin');
    } finally {
      // Ends the child: its stdin closes, the session revokes and exits.
      await client.close();
    }

    // One record per tool call (listing and initialize are not calls), each in the schema.
    const records = audit('acme').slice(auditBefore);
    expect(records.map((r) => [r.tool, r.outcome, r.downstream, r.actor_id, r.actor_type])).toEqual([
      ['whoami', 'allowed', 'none', USER, 'human'],
      ['describe_secret', 'allowed', 'vault', USER, 'human'],
      ['describe_secret', 'cross_tenant_denied', 'vault', USER, 'human'],
      ['server_status', 'denied', 'none', USER, 'human'],
    ]);
    expect(records[2].reason).toBe('argument path names tenant globex');
    for (const r of records) expect(auditRecordProblems(r)).toEqual([]);

    // The sign-in asked for exactly the rule's scopes, with PKCE S256, the audience as resource, the registered redirect.
    const events = await authorizationServer.events();
    const mcpClient = clientIds[oktaPublicApps(stack).find((a) => a.grantTypes.includes('refresh_token'))!.name];
    const authorization = events.filter(
      (e) => e.route === 'authorization' && e.clientId === mcpClient && e.scope === 'mcp:acme:use offline_access',
    );
    expect(authorization.at(-1)).toMatchObject({
      codeChallengeMethod: 'S256',
      resource: 'https://acme.mcp.example.com/mcp',
      redirectUri,
    });
    const issued = events.filter(
      (e) =>
        e.route === 'token' && e.clientId === mcpClient && e.grantType === 'authorization_code' && e.status === 200,
    );
    const tokens = issued
      .flatMap((e) => [e.accessToken, e.refreshToken])
      .filter((x): x is string => typeof x === 'string');
    expect(tokens.length).toBeGreaterThanOrEqual(2);
    // On exit the refresh token was revoked.
    expect(events.some((e) => e.route === 'revocation' && e.status === 200)).toBe(true);

    // No token on disk: not under HOME or the working directory, nor anywhere in the test's files.
    const files = (dir: string): string[] =>
      fs
        .readdirSync(dir, { withFileTypes: true })
        .flatMap((d) => (d.isDirectory() ? files(path.join(dir, d.name)) : [path.join(dir, d.name)]));
    const onDisk = files(tmp);
    // The synthesized stack, the audit logs and the client's files at least.
    expect(onDisk.length).toBeGreaterThan(0);
    for (const file of onDisk) {
      const content = fs.readFileSync(file, 'utf8');
      for (const token of tokens) expect(content.includes(token)).toBe(false);
    }
    for (const token of tokens) {
      expect(stderr.includes(token)).toBe(false);
      expect(tenants.acme.server.stderr().includes(token)).toBe(false);
    }
    // The server reached Vault with its own identity only: the caller's token never left it.
    expect(vault.requests.map((r) => [r.method, r.path, r.status])).toEqual(
      expect.arrayContaining([
        ['POST', '/v1/auth/kubernetes-prod/login', 200],
        ['GET', '/v1/tenants/acme/kv/data/downstream-api', 200],
      ]),
    );
    for (const request of vault.requests) {
      expect(request.headers.authorization).toBeUndefined();
      for (const token of tokens) expect(JSON.stringify(request).includes(token)).toBe(false);
    }
    expect(JSON.parse(vault.requests.find((r) => r.method === 'POST')!.body)).toEqual({
      role: 'mcp-acme',
      jwt: 'sa-token-of-mcp-acme',
    });
  });
});

describe('mcp-access connect --listen --admin, with the SDK client over Streamable HTTP', () => {
  test('the admin client gets the admin scope (no refresh token) and the admin tool runs', async () => {
    const port = await freePort();
    const stop = new AbortController();
    const lines: string[] = [];
    let listening: (url: string) => void = () => undefined;
    const endpointUrl = new Promise<string>((resolve) => (listening = resolve));
    const session = runConnectCommand(
      ['acme', '--listen', `127.0.0.1:${port}`, '--admin', '--outputs', outputsFile, '--no-tunnel'],
      {
        out: (l) => lines.push(l),
        err: (l) => lines.push(l),
        signal: stop.signal,
        openUrl: async (url) => {
          const landing = await completeSignIn(url, redirectUri);
          expect(landing.status).toBe(200);
        },
        onListening: (url) => listening(url),
      },
    );
    const auditBefore = audit('acme').length;
    let code: number;
    try {
      const endpoint = await Promise.race([
        endpointUrl,
        session.then((c) => Promise.reject(new Error(`connect ended (${c}): ${lines.join('\n')}`))),
      ]);
      expect(endpoint).toBe(`http://127.0.0.1:${port}/mcp`);

      // The local endpoint checks Origin too.
      const foreign = await fetch(endpoint, {
        method: 'POST',
        headers: { origin: 'http://evil.example', 'content-type': 'application/json' },
        body: '{}',
      });
      expect(foreign.status).toBe(403);

      const client = await sdkClient(endpoint);
      try {
        const status = JSON.parse(textOf(await client.callTool({ name: 'server_status', arguments: {} }))) as Json;
        expect(status).toMatchObject({
          tenant: 'acme',
          resource: tenants.acme.url,
          vault: { role: 'mcp-acme', auth_path: 'kubernetes-prod' },
        });
        const who = JSON.parse(textOf(await client.callTool({ name: 'whoami', arguments: {} }))) as Json;
        expect(who.scopes).toEqual(['mcp:acme:admin', 'mcp:acme:use']);
      } finally {
        await client.close();
      }
    } finally {
      stop.abort();
      code = await session;
    }
    expect(code).toBe(0);

    expect(
      audit('acme')
        .slice(auditBefore)
        .map((r) => [r.tool, r.outcome, r.reason]),
    ).toEqual([
      ['server_status', 'allowed', 'scope mcp:acme:admin'],
      ['whoami', 'allowed', 'scope mcp:acme:use'],
    ]);
    const adminClient = clientIds[oktaPublicApps(stack).find((a) => !a.grantTypes.includes('refresh_token'))!.name];
    const events = await authorizationServer.events();
    const adminTokens = events.filter((e) => e.route === 'token' && e.clientId === adminClient && e.status === 200);
    expect(adminTokens.length).toBeGreaterThanOrEqual(1);
    expect(adminTokens.every((e) => e.refreshToken === undefined)).toBe(true);
    expect(events.filter((e) => e.route === 'authorization' && e.clientId === adminClient).at(-1)?.scope).toBe(
      'mcp:acme:admin mcp:acme:use',
    );
  });
});

describe('mcp-access connect --service-account, as an agent runs it (issue 20)', () => {
  test("headless with the key on a file descriptor: client credentials signed with jose, the tenant's calls audited as the service, nothing on disk", async () => {
    const home = fs.mkdtempSync(path.join(tmp, 'agent-'));
    const privatePem = tenants.acme.serviceKey.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
    const child = spawn(
      process.execPath,
      [
        '-r',
        TS_REGISTER,
        CLI_MAIN,
        'connect',
        'acme',
        '--service-account',
        SERVICE_ACCOUNT,
        '--stdio',
        '--outputs',
        outputsFile,
        '--no-tunnel',
        '--key-fd',
        '3',
      ],
      { env: { HOME: home, PATH: process.env.PATH ?? '' }, cwd: home, stdio: ['pipe', 'pipe', 'pipe', 'pipe'] },
    );
    // The key arrives on fd 3, as from a CI secret (`--key-fd 3 3< <(printenv KEY)`): never a path.
    (child.stdio[3] as NodeJS.WritableStream).end(privatePem);
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const transport = new ChildProcessTransport(child);
    const client = new Client({ name: 'e2e-agent', version: '1.0.0' });
    const auditBefore = audit('acme').length;
    try {
      await client.connect(transport);
      const who = JSON.parse(textOf(await client.callTool({ name: 'whoami', arguments: {} }))) as Json;
      expect(who).toMatchObject({
        tenant: 'acme',
        actor_id: serviceClientId('acme'),
        actor_type: 'service',
        client_id: serviceClientId('acme'),
        scopes: ['mcp:acme:use'],
      });
      const secret = JSON.parse(
        textOf(await client.callTool({ name: 'describe_secret', arguments: { path: 'downstream-api' } })),
      ) as Json;
      expect(secret).toMatchObject({ path: 'tenants/acme/kv/downstream-api', version: 3 });
      const foreign = await client.callTool({
        name: 'describe_secret',
        arguments: { path: 'tenants/globex/kv/downstream-api' },
      });
      expect(textOf(foreign)).toBe('cross-tenant call denied: argument path names tenant globex');
      const admin = await client.callTool({ name: 'server_status', arguments: {} });
      expect(textOf(admin)).toBe('denied: tool server_status needs scope mcp:acme:admin');
    } finally {
      await client.close();
    }
    expect(await transport.exited).toBe(0);

    const svc = serviceClientId('acme');
    expect(
      audit('acme')
        .slice(auditBefore)
        .map((r) => [r.tool, r.outcome, r.actor_id, r.actor_type]),
    ).toEqual([
      ['whoami', 'allowed', svc, 'service'],
      ['describe_secret', 'allowed', svc, 'service'],
      ['describe_secret', 'cross_tenant_denied', svc, 'service'],
      ['server_status', 'denied', svc, 'service'],
    ]);

    // One client_credentials request, exactly the use scope, no refresh token; nothing to revoke.
    const events = (await authorizationServer.events()).filter((e) => e.clientId === svc);
    expect(events.map((e) => [e.server, e.route, e.grantType, e.scope, e.status])).toEqual([
      ['aus-acme', 'token', 'client_credentials', 'mcp:acme:use', 200],
    ]);
    const token = events[0].accessToken as string;
    expect(events[0].refreshToken).toBeUndefined();
    const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as Json;
    expect(claims).toMatchObject({ sub: svc, cid: svc, tid: 'acme', scp: ['mcp:acme:use'] });
    expect(claims.uid).toBeUndefined();
    // The lifetime of the tenant's rule (the stack's tokenTtlMinutes), 15 minutes at most.
    const useRule = oktaTenant(stack, 'acme').policies.find(
      (p) => p.scopes.includes('mcp:acme:use') && !p.scopes.includes('mcp:acme:admin'),
    );
    expect((claims.exp as number) - (claims.iat as number)).toBe((useRule?.accessTokenLifetimeMinutes ?? 0) * 60);
    expect((claims.exp as number) - (claims.iat as number)).toBeLessThanOrEqual(900);

    // Neither the token nor the key is on disk or in a log.
    const keyBody = privatePem.split('\n')[1];
    const files = (dir: string): string[] =>
      fs
        .readdirSync(dir, { withFileTypes: true })
        .flatMap((d) => (d.isDirectory() ? files(path.join(dir, d.name)) : [path.join(dir, d.name)]));
    const onDisk = files(tmp);
    expect(onDisk.length).toBeGreaterThan(0);
    for (const file of onDisk) {
      const content = fs.readFileSync(file, 'utf8');
      expect(content.includes(token)).toBe(false);
      expect(content.includes(keyBody)).toBe(false);
    }
    for (const text of [stderr, tenants.acme.server.stderr()]) {
      expect(text.includes(token)).toBe(false);
      expect(text.includes(keyBody)).toBe(false);
    }
    expect(stderr).toContain('got a token for service account deploy-bot of tenant acme (mcp:acme:use)');
  });

  test("acme's service token on globex's server: 403, audited there as a cross-tenant attempt by the service", async () => {
    const svc = serviceClientId('acme');
    const token = (await authorizationServer.events()).find((e) => e.clientId === svc && e.accessToken)
      ?.accessToken as string;
    expect(token).toMatch(/^eyJ/);
    const before = audit('globex').length;
    await expect(sdkClient(tenants.globex.url, token)).rejects.toMatchObject({ code: 403 });
    expect(audit('globex').slice(before)).toEqual([
      expect.objectContaining({
        tenant_id: 'globex',
        actor_id: `unverified:${svc}`,
        actor_type: 'service',
        tool: 'initialize',
        outcome: 'cross_tenant_denied',
        reason: "token tid names tenant acme (claims unverified: token issuer is not this tenant's issuer)",
      }),
    ]);
  });

  test('a person and a service account are audited apart: actor_type, and the user id or the client id', () => {
    const records = audit('acme').filter((r) => r.tool === 'whoami' && r.outcome === 'allowed');
    const person = records.find((r) => r.actor_type === 'human');
    const service = records.find((r) => r.actor_type === 'service');
    expect(person).toMatchObject({ actor_id: USER, actor_type: 'human' });
    expect(service).toMatchObject({ actor_id: serviceClientId('acme'), actor_type: 'service' });
    // The login (the person's sub) never names the caller: it can change, the user id cannot.
    expect(records.some((r) => r.actor_id === USER_LOGIN)).toBe(false);
    for (const r of [person, service]) expect(auditRecordProblems(r)).toEqual([]);
  });
});

describe('tokens the server refuses', () => {
  test("tenant acme's user token on tenant globex's server: 403, audited there as cross_tenant_denied", async () => {
    const events = await authorizationServer.events();
    const acmeToken = events
      .filter(
        (e) =>
          e.server === 'aus-acme' && e.route === 'token' && e.accessToken && e.clientId !== serviceClientId('acme'),
      )
      .at(-1)?.accessToken as string;
    const before = audit('globex').length;
    await expect(sdkClient(tenants.globex.url, acmeToken)).rejects.toMatchObject({ code: 403 });
    const records = audit('globex').slice(before);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      tenant_id: 'globex',
      actor_id: `unverified:${USER}`,
      actor_type: 'human',
      tool: 'initialize',
      outcome: 'cross_tenant_denied',
      reason: "token tid names tenant acme (claims unverified: token issuer is not this tenant's issuer)",
    });
  });

  test('an expired token and a 60-minute token signed by the tenant issuer are refused (401) and audited as denied', async () => {
    const base = {
      issuer: authorizationServer.issuers.acme,
      audience: tenants.acme.env.MCP_OAUTH_AUDIENCE,
      tenant: 'acme',
    };
    const expired = signJwt(
      accessTokenClaims({ ...base, issuedSecondsAgo: 1200, lifetime: 900 }),
      tenants.acme.signingKey,
    );
    const long = signJwt(accessTokenClaims({ ...base, lifetime: 3600 }), tenants.acme.signingKey);
    const before = audit('acme').length;
    const expiredResponse = await post('acme', { authorization: `Bearer ${expired}` });
    const longResponse = await post('acme', { authorization: `Bearer ${long}` });
    expect([expiredResponse.status, longResponse.status]).toEqual([401, 401]);
    expect(longResponse.headers.get('www-authenticate')).toContain('error="invalid_token"');
    expect(
      audit('acme')
        .slice(before)
        .map((r) => [r.outcome, r.reason]),
    ).toEqual([
      ['denied', 'token expired'],
      ['denied', 'token lifetime is 3600 s (at most 900 s)'],
    ]);
  });
});

test('every audit line of every tenant is one JSON record in the schema', () => {
  for (const t of TENANTS) {
    const lines = fs.readFileSync(tenants[t].auditPath, 'utf8').split('\n');
    expect(lines.at(-1)).toBe('');
    // Every tenant's server was called in this file: its log is not empty.
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines.slice(0, -1)) {
      const record = JSON.parse(line) as Json;
      expect(auditRecordProblems(record)).toEqual([]);
      expect(record.tenant_id).toBe(t);
    }
    expect((fs.statSync(tenants[t].auditPath).mode & 0o777).toString(8)).toBe('644');
  }
});
