/**
 * The programs `connect` and `audit tail` run: cloudflared and kubectl cannot run here, so small
 * stand-ins on a test PATH record their arguments and signals.
 */
import { generateKeyPairSync } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { runConnectCommand } from '../../lib/cli/connect';
import { AUDIT_USAGE, auditTailArguments, formatAuditLine, runAuditCommand } from '../../lib/cli/connect/audit-tail';
import { CLOUDFLARED_INSTALL_HINT, cloudflaredArguments, findExecutable } from '../../lib/cli/connect/processes';
import { freePort } from '../e2e/processes';

jest.setTimeout(15_000);

let dir: string;
let bin: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-procs-'));
  bin = path.join(dir, 'bin');
  fs.mkdirSync(bin);
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Writes an executable stand-in: a Node script that records its arguments (and SIGTERM) in `<name>.log`. */
function standIn(name: string, body: string): string {
  const file = path.join(bin, name);
  const log = JSON.stringify(path.join(dir, `${name}.log`));
  fs.writeFileSync(
    file,
    `#!${process.execPath}\nconst fs = require('fs');\nconst record = (l) => fs.appendFileSync(${log}, l + '\\n');\nrecord(JSON.stringify(process.argv.slice(2)));\nprocess.on('SIGTERM', () => { record('SIGTERM'); process.exit(0); });\n${body}\n`,
    { mode: 0o755 },
  );
  return file;
}
const recorded = (name: string) =>
  fs
    .readFileSync(path.join(dir, `${name}.log`), 'utf8')
    .split('\n')
    .filter((l) => l !== '');

describe('finding programs', () => {
  test('on PATH only, executable files only', () => {
    standIn('cloudflared', '');
    fs.writeFileSync(path.join(bin, 'kubectl'), 'not executable', { mode: 0o644 });
    expect(findExecutable('cloudflared', { PATH: `/nonexistent${path.delimiter}${bin}` })).toBe(
      path.join(bin, 'cloudflared'),
    );
    expect(findExecutable('kubectl', { PATH: bin })).toBeUndefined();
    expect(findExecutable('cloudflared', {})).toBeUndefined();
  });
});

describe('the tunnel', () => {
  const flags = (port: number, issuer: string) => [
    'acme',
    '--stdio',
    '--issuer',
    issuer,
    '--client-id',
    'mcp-clients',
    '--audience',
    'https://acme.mcp.example.com/mcp',
    '--local-port',
    String(port),
    '--hostname',
    'acme.mcp.example.com',
    '--no-browser',
  ];

  test('the arguments are exactly the stack connect command', () => {
    expect(['cloudflared', ...cloudflaredArguments('acme.mcp.example.com', 7700)].join(' ')).toBe(
      'cloudflared access tcp --hostname acme.mcp.example.com --url 127.0.0.1:7700',
    );
  });

  test('without cloudflared on PATH: a clear message with the install hint, exit 1', async () => {
    const err: string[] = [];
    const code = await runConnectCommand(flags(await freePort(), 'https://example.okta.com/oauth2/aus1'), {
      out: () => undefined,
      err: (l) => err.push(l),
      env: { PATH: bin },
    });
    expect(code).toBe(1);
    expect(err).toEqual([`mcp-access connect: cloudflared was not found on PATH: ${CLOUDFLARED_INSTALL_HINT}`]);
    expect(CLOUDFLARED_INSTALL_HINT).toContain('brew install cloudflared');
    expect(CLOUDFLARED_INSTALL_HINT).toContain('https://pkg.cloudflare.com');
  });

  test('a local port already in use: a clear message, and cloudflared is not started', async () => {
    standIn('cloudflared', '');
    const busy = http.createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', () => resolve()));
    const port = (busy.address() as { port: number }).port;
    const err: string[] = [];
    try {
      const code = await runConnectCommand(flags(port, 'https://example.okta.com/oauth2/aus1'), {
        out: () => undefined,
        err: (l) => err.push(l),
        env: { PATH: bin },
      });
      expect(code).toBe(1);
    } finally {
      await new Promise<void>((resolve) => busy.close(() => resolve()));
    }
    expect(err).toEqual([
      `mcp-access connect: 127.0.0.1:${port} is already in use: if cloudflared already runs for tenant acme, add --no-tunnel`,
    ]);
    expect(fs.existsSync(path.join(dir, 'cloudflared.log'))).toBe(false);
  });

  test('cloudflared (and kubectl for --audit) run while the session runs, and are stopped when it ends', async () => {
    standIn(
      'kubectl',
      `console.log('{"time":"t","tenant_id":"acme","outcome":"allowed"}'); setInterval(() => {}, 1000);`,
    );
    standIn(
      'cloudflared',
      `const port = Number(process.argv.at(-1).split(':')[1]);
       require('net').createServer(() => {}).listen(port, '127.0.0.1', () => process.stderr.write('INF Start Websocket listener\\n'));`,
    );
    // An issuer that never answers: the sign-in is still pending when the session is stopped.
    const issuer = http.createServer(() => undefined);
    await new Promise<void>((resolve) => issuer.listen(0, '127.0.0.1', () => resolve()));
    const port = await freePort();
    const stop = new AbortController();
    const err: string[] = [];
    const issuerUrl = `http://127.0.0.1:${(issuer.address() as { port: number }).port}/oauth2/aus1`;
    const session = runConnectCommand([...flags(port, issuerUrl), '--audit', '--context', 'prod'], {
      out: () => undefined,
      err: (l) => {
        err.push(l);
        // Stop once both programs are up (a program killed while it starts records nothing).
        const up = (prefix: string) => err.some((e) => e.startsWith(prefix));
        if (up('mcp-access connect: tunnel to') && up('t acme allowed')) stop.abort();
      },
      env: { PATH: bin },
      signal: stop.signal,
      stdin: new PassThrough(),
      stdout: new PassThrough(),
    });
    // Should the programs never come up, the session still ends (and the assertions below say why).
    const guard = setTimeout(() => stop.abort(), 10_000);
    try {
      expect(await session).toBe(0);
    } finally {
      clearTimeout(guard);
      issuer.closeAllConnections();
      await new Promise<void>((resolve) => issuer.close(() => resolve()));
    }
    expect(recorded('cloudflared')).toEqual([
      JSON.stringify(['access', 'tcp', '--hostname', 'acme.mcp.example.com', '--url', `127.0.0.1:${port}`]),
      'SIGTERM',
    ]);
    expect(recorded('kubectl')).toEqual([JSON.stringify(auditTailArguments('acme', 'prod')), 'SIGTERM']);
    expect(err).toEqual(
      expect.arrayContaining([
        't acme allowed - - -> -: -',
        'cloudflared: INF Start Websocket listener',
        `mcp-access connect: tunnel to acme.mcp.example.com on 127.0.0.1:${port}`,
      ]),
    );
  });
});

describe("a service account's tunnel", () => {
  test('cloudflared gets the Access service token in its environment, never in its arguments, and no browser opens', async () => {
    // Records the Access service token variables it was started with, then listens like cloudflared.
    standIn(
      'cloudflared',
      `record(JSON.stringify({ id: process.env.TUNNEL_SERVICE_TOKEN_ID ?? null, secret: process.env.TUNNEL_SERVICE_TOKEN_SECRET ?? null }));
       const port = Number(process.argv.at(-1).split(':')[1]);
       require('net').createServer(() => {}).listen(port, '127.0.0.1', () => process.stderr.write('INF Start Websocket listener\\n'));`,
    );
    // An issuer that never answers: the token request is still pending when the session is stopped.
    const issuer = http.createServer(() => undefined);
    await new Promise<void>((resolve) => issuer.listen(0, '127.0.0.1', () => resolve()));
    const port = await freePort();
    const keyFile = path.join(dir, 'key');
    fs.writeFileSync(
      keyFile,
      generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'pkcs8' }),
    );
    const keyFd = fs.openSync(keyFile, 'r');
    fs.unlinkSync(keyFile);
    const asked: string[] = [];
    const stop = new AbortController();
    const err: string[] = [];
    const session = runConnectCommand(
      [
        'acme',
        '--stdio',
        '--service-account',
        'deploy-bot',
        '--issuer',
        `http://127.0.0.1:${(issuer.address() as { port: number }).port}/oauth2/aus1`,
        '--client-id',
        '0oa1deploybot',
        '--access-client-id',
        'a1b2c3.access',
        '--audience',
        'https://acme.mcp.example.com/mcp',
        '--local-port',
        String(port),
        '--hostname',
        'acme.mcp.example.com',
        '--key-fd',
        String(keyFd),
      ],
      {
        out: () => undefined,
        err: (l) => {
          err.push(l);
          if (l.startsWith('mcp-access connect: tunnel to')) stop.abort();
        },
        env: { PATH: bin },
        signal: stop.signal,
        stdin: new PassThrough(),
        stdout: new PassThrough(),
        // The Access service token secret comes from the keychain here (the key from its descriptor).
        keyring: async () => ({
          AsyncEntry: class {
            constructor(
              readonly service: string,
              readonly account: string,
            ) {}
            async getPassword() {
              asked.push(`${this.service} ${this.account}`);
              return this.account === 'acme/deploy-bot/access-client-secret' ? 'cf-access-secret-value' : null;
            }
          },
        }),
        openUrl: () => {
          throw new Error('a service account never opens a browser');
        },
      },
    );
    const guard = setTimeout(() => stop.abort(), 10_000);
    try {
      expect(await session).toBe(0);
    } finally {
      clearTimeout(guard);
      issuer.closeAllConnections();
      await new Promise<void>((resolve) => issuer.close(() => resolve()));
    }
    expect(asked).toEqual(['cdktf-mcp-access acme/deploy-bot/access-client-secret']);
    const [args, env, ...rest] = recorded('cloudflared');
    expect(JSON.parse(args)).toEqual([
      'access',
      'tcp',
      '--hostname',
      'acme.mcp.example.com',
      '--url',
      `127.0.0.1:${port}`,
    ]);
    expect(JSON.parse(env)).toEqual({ id: 'a1b2c3.access', secret: 'cf-access-secret-value' });
    expect(rest).toEqual(['SIGTERM']);
    expect(err.join('\n')).not.toContain('cf-access-secret-value');
  });

  test("a person's tunnel gets no service token variables", async () => {
    standIn(
      'cloudflared',
      `record(JSON.stringify({ id: process.env.TUNNEL_SERVICE_TOKEN_ID ?? null, secret: process.env.TUNNEL_SERVICE_TOKEN_SECRET ?? null }));
       const port = Number(process.argv.at(-1).split(':')[1]);
       require('net').createServer(() => {}).listen(port, '127.0.0.1', () => process.stderr.write('INF up\\n'));`,
    );
    const issuer = http.createServer(() => undefined);
    await new Promise<void>((resolve) => issuer.listen(0, '127.0.0.1', () => resolve()));
    const port = await freePort();
    const stop = new AbortController();
    const session = runConnectCommand(
      [
        'acme',
        '--stdio',
        '--issuer',
        `http://127.0.0.1:${(issuer.address() as { port: number }).port}/oauth2/aus1`,
        '--client-id',
        'mcp-clients',
        '--audience',
        'https://acme.mcp.example.com/mcp',
        '--local-port',
        String(port),
        '--hostname',
        'acme.mcp.example.com',
        '--no-browser',
      ],
      {
        out: () => undefined,
        err: (l) => {
          if (l.startsWith('mcp-access connect: tunnel to')) stop.abort();
        },
        env: { PATH: bin },
        signal: stop.signal,
        stdin: new PassThrough(),
        stdout: new PassThrough(),
      },
    );
    const guard = setTimeout(() => stop.abort(), 10_000);
    try {
      expect(await session).toBe(0);
    } finally {
      clearTimeout(guard);
      issuer.closeAllConnections();
      await new Promise<void>((resolve) => issuer.close(() => resolve()));
    }
    expect(JSON.parse(recorded('cloudflared')[1])).toEqual({ id: null, secret: null });
  });
});

describe('audit tail', () => {
  const RECORD = {
    time: '2026-12-02T09:14:07.412Z',
    request_id: '3f1c6a52-5d0e-4f2a-9b8e-2f8a1c4d7e90',
    tenant_id: 'acme',
    actor_id: '00u1a2b3',
    actor_type: 'human',
    tool: 'describe_secret',
    downstream: 'vault',
    outcome: 'cross_tenant_denied',
    reason: 'argument path names tenant globex',
    timestamp: '2026-12-02T09:14:08.001Z',
    cross_tenant: true,
  };

  test('follows the stream the way the README does', () => {
    expect(['kubectl', ...auditTailArguments('acme')].join(' ')).toBe(
      'kubectl -n mcp-acme logs deploy/mcp-server -c audit-shipper -f',
    );
    expect(auditTailArguments('globex', 'prod-eu')).toEqual([
      '--context',
      'prod-eu',
      '-n',
      'mcp-globex',
      'logs',
      'deploy/mcp-server',
      '-c',
      'audit-shipper',
      '-f',
    ]);
  });

  test('text format: one readable line per record, cross-tenant ones flagged; other lines unchanged', () => {
    expect(formatAuditLine(JSON.stringify(RECORD), 'text')).toBe(
      '!! 2026-12-02T09:14:07.412Z acme cross_tenant_denied 00u1a2b3 (human) describe_secret -> vault: argument path names tenant globex',
    );
    expect(
      formatAuditLine(
        JSON.stringify({ ...RECORD, outcome: 'allowed', cross_tenant: false, reason: 'scope mcp:acme:use' }),
        'text',
      ),
    ).toBe('2026-12-02T09:14:07.412Z acme allowed 00u1a2b3 (human) describe_secret -> vault: scope mcp:acme:use');
    expect(
      formatAuditLine(JSON.stringify({ ...RECORD, tenant_id: 'acme', claimed_tenant_id: 'globex' }), 'text'),
    ).toContain('acme claimed=globex cross_tenant_denied');
    expect(formatAuditLine('Error from server (NotFound)', 'text')).toBe('Error from server (NotFound)');
    expect(formatAuditLine(JSON.stringify(RECORD), 'json')).toBe(JSON.stringify(RECORD));
  });

  test('without kubectl: a clear message, exit 1', async () => {
    const err: string[] = [];
    expect(
      await runAuditCommand(['tail', 'acme'], { out: () => undefined, err: (l) => err.push(l), env: { PATH: bin } }),
    ).toBe(1);
    expect(err).toEqual([
      'mcp-access audit tail: kubectl was not found on PATH: install it (https://kubernetes.io/docs/tasks/tools/) and point it at the cluster of the tenant',
    ]);
  });

  test('runs kubectl with those arguments and prints its lines', async () => {
    standIn(
      'kubectl',
      `console.log(${JSON.stringify(JSON.stringify(RECORD))}); console.log('not json'); console.error('W1202 a warning');`,
    );
    const out: string[] = [];
    const code = await runAuditCommand(['tail', 'acme', '--format', 'text', '--context', 'prod'], {
      out: (l) => out.push(l),
      err: (l) => out.push(`ERR ${l}`),
      env: { PATH: bin },
    });
    expect(code).toBe(0);
    expect(recorded('kubectl')).toEqual([JSON.stringify(auditTailArguments('acme', 'prod'))]);
    // Records on stdout; kubectl's own messages on stderr, so that a JSON stream stays JSON.
    expect(out.filter((l) => !l.startsWith('ERR '))).toEqual([
      formatAuditLine(JSON.stringify(RECORD), 'text'),
      'not json',
    ]);
    expect(out.filter((l) => l.startsWith('ERR '))).toEqual(['ERR kubectl: W1202 a warning']);
  });

  test.each([
    [[], 'mcp-access audit: give the subcommand tail'],
    [['follow', 'acme'], 'mcp-access audit: unknown subcommand follow'],
    [['tail'], 'mcp-access audit: a tenant id is required'],
    [['tail', 'acme', 'globex'], 'mcp-access audit: one tenant id is expected, but 2 were given'],
    [['tail', 'ACME'], "mcp-access audit: the tenant id must match ^[a-z][a-z0-9-]{1,30}$, but 'ACME' was provided"],
    [['tail', 'acme', '--format', 'yaml'], "mcp-access audit: --format must be json or text, but 'yaml' was provided"],
  ])('usage error %j', async (argv, message) => {
    const err: string[] = [];
    expect(await runAuditCommand(argv, { out: () => undefined, err: (l) => err.push(l) })).toBe(2);
    expect(err).toEqual([message, `usage:\n${AUDIT_USAGE}`]);
  });
});
