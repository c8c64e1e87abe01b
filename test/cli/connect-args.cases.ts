import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CONNECT_USAGE, type ConnectArguments, parseConnectArguments } from '../../lib/cli/connect/args';
import { clientConfigSnippets, packageSpec } from '../../lib/cli/connect/client-config';
import { runConnectCommand } from '../../lib/cli/connect';
import { connectionSettings, parseConnectCommand, tenantOutputs } from '../../lib/cli/connect/settings';
import { AUDIT_USAGE } from '../../lib/cli/connect/audit-tail';
import { main } from '../../lib/cli/main';

const parsed = (argv: string[]): ConnectArguments => {
  const result = parseConnectArguments(argv);
  if (result === 'help' || 'problem' in result) throw new Error(JSON.stringify(result));
  return result;
};

/** What `terraform output -json` prints for tenant acme after a deployment. */
const TERRAFORM_OUTPUTS = {
  acme_issuer: { sensitive: false, type: 'string', value: 'https://example.okta.com/oauth2/aus1acme' },
  acme_audience: { sensitive: false, type: 'string', value: 'https://acme.mcp.example.com/mcp' },
  acme_client_id: { sensitive: false, type: 'string', value: '0oa1mcpclients' },
  acme_admin_client_id: { sensitive: false, type: 'string', value: '0oa1mcpadmin' },
  acme_local_mcp_url: { sensitive: false, type: 'string', value: 'http://127.0.0.1:7700/mcp' },
  acme_connect_command: {
    sensitive: false,
    type: 'string',
    value: 'cloudflared access tcp --hostname acme.mcp.example.com --url 127.0.0.1:7700',
  },
  acme_mcp_client_config: {
    sensitive: false,
    type: 'string',
    value: JSON.stringify({
      mcpServers: {
        acme: {
          type: 'http',
          url: 'http://127.0.0.1:7700/mcp',
          oauth: { clientId: '0oa1mcpclients', redirectUri: 'http://localhost:7701/oauth/callback' },
        },
      },
    }),
  },
  globex_issuer: { sensitive: false, type: 'string', value: 'https://example.okta.com/oauth2/aus1globex' },
};

/** What `cdktf output --outputs-file` writes: values per stack. */
const CDKTF_OUTPUTS = {
  'multi-tenant': Object.fromEntries(Object.entries(TERRAFORM_OUTPUTS).map(([k, v]) => [k, v.value])),
};

describe('mcp-access connect arguments', () => {
  test.each([
    [[], 'a tenant id is required'],
    [['acme', 'globex', '--stdio'], 'one tenant id is expected, but 2 were given: acme, globex'],
    [['Acme', '--stdio'], "the tenant id must match ^[a-z][a-z0-9-]{1,30}$, but 'Acme' was provided"],
    [
      ['acme', '--outputs', 'o.json'],
      'give --stdio (an MCP client starts this command), --listen 127.0.0.1:<port> or --print-config',
    ],
    [
      ['acme', '--stdio', '--listen', '7702', '--outputs', 'o.json'],
      'give one of --stdio, --listen and --print-config, not --stdio and --listen',
    ],
    [
      ['acme', '--listen', '0.0.0.0:7702', '--outputs', 'o.json'],
      "--listen must be 127.0.0.1:<port> with a port from 1024 to 65535, but '0.0.0.0:7702' was provided",
    ],
    [
      ['acme', '--listen', '80', '--outputs', 'o.json'],
      "--listen must be 127.0.0.1:<port> with a port from 1024 to 65535, but '80' was provided",
    ],
    [
      ['acme', '--stdio', '--local-port', 'x', '--outputs', 'o.json'],
      "--local-port must be an integer from 1024 to 65535, but 'x' was provided",
    ],
    [
      ['acme', '--stdio', '--issuer', 'http://example.okta.com/oauth2/a', '--outputs', 'o.json'],
      "--issuer must be an https URL (http only on a loopback host), but 'http://example.okta.com/oauth2/a' was provided",
    ],
    [
      ['acme', '--stdio', '--redirect-uri', 'http://127.0.0.1/callback', '--outputs', 'o.json'],
      "--redirect-uri must be a loopback http URI with a port, but 'http://127.0.0.1/callback' names no port (Okta matches redirect URIs exactly, port included)",
    ],
    [
      ['acme', '--stdio', '--redirect-uri', 'https://app.example.com/cb', '--outputs', 'o.json'],
      "--redirect-uri must be a loopback http URI with a port, but 'https://app.example.com/cb' is not an http loopback URI",
    ],
    [
      ['acme', '--stdio', '--hostname', 'a b', '--outputs', 'o.json'],
      "--hostname must be a DNS name, but 'a b' was provided",
    ],
    [['acme', '--stdio', '--context', 'prod', '--outputs', 'o.json'], '--context is for --audit: give --audit too'],
    [
      ['acme', '--print-config', '--audit', '--outputs', 'o.json'],
      '--audit follows a session: it does not go with --print-config',
    ],
    [['acme', '--stdio'], 'without --outputs <file>, give --issuer, --client-id, --audience, --local-port'],
    [
      ['acme', '--stdio', '--admin', '--issuer', 'https://i.example.com/o', '--client-id', 'c'],
      'without --outputs <file>, give --admin-client-id, --audience, --local-port',
    ],
    [['acme', '--stdio', '--verbose'], 'unknown option --verbose'],
    [['acme', '--listen'], '--listen needs a value'],
    [['acme', '--admin=yes'], '--admin takes no value'],
  ])('%j: %s', (argv, problem) => {
    expect(parseConnectArguments(argv)).toEqual({ problem });
  });

  test('the defaults: tunnel and browser on, everyday client', () => {
    expect(parsed(['acme', '--stdio', '--outputs', 'o.json'])).toEqual({
      tenant: 'acme',
      mode: 'stdio',
      outputsFile: 'o.json',
      admin: false,
      tunnel: true,
      browser: true,
      audit: false,
    });
    expect(
      parsed(['acme', '--listen', '127.0.0.1:7702', '--outputs', 'o.json', '--no-tunnel', '--no-browser', '--admin']),
    ).toMatchObject({
      mode: 'listen',
      listenPort: 7702,
      admin: true,
      tunnel: false,
      browser: false,
    });
    expect(parseConnectArguments(['--help'])).toBe('help');
  });
});

describe('connection settings', () => {
  test('from `terraform output -json`: the everyday client asks for exactly the use scope and offline_access', () => {
    const outputs = tenantOutputs(TERRAFORM_OUTPUTS, 'acme', 'o.json');
    expect(connectionSettings(parsed(['acme', '--stdio', '--outputs', 'o.json']), outputs)).toEqual({
      tenant: 'acme',
      issuer: 'https://example.okta.com/oauth2/aus1acme',
      clientId: '0oa1mcpclients',
      audience: 'https://acme.mcp.example.com/mcp',
      scopes: ['mcp:acme:use', 'offline_access'],
      redirectUri: 'http://localhost:7701/oauth/callback',
      localPort: 7700,
      hostname: 'acme.mcp.example.com',
      mcpUrl: 'http://127.0.0.1:7700/mcp',
      admin: false,
    });
  });

  test('from `cdktf output --outputs-file`: the admin client asks for the admin and use scopes, no offline_access', () => {
    const outputs = tenantOutputs(CDKTF_OUTPUTS, 'acme', 'o.json');
    expect(connectionSettings(parsed(['acme', '--stdio', '--admin', '--outputs', 'o.json']), outputs)).toMatchObject({
      clientId: '0oa1mcpadmin',
      scopes: ['mcp:acme:admin', 'mcp:acme:use'],
    });
  });

  test('flags win over outputs, and alone are enough', () => {
    const outputs = tenantOutputs(TERRAFORM_OUTPUTS, 'acme', 'o.json');
    const args = parsed([
      'acme',
      '--stdio',
      '--outputs',
      'o.json',
      '--local-port',
      '7710',
      '--redirect-uri',
      'http://127.0.0.1:7705/callback',
    ]);
    expect(connectionSettings(args, outputs)).toMatchObject({
      localPort: 7710,
      mcpUrl: 'http://127.0.0.1:7710/mcp',
      redirectUri: 'http://127.0.0.1:7705/callback',
    });
    const alone = parsed([
      'acme',
      '--stdio',
      '--issuer',
      'https://i.example.com/oauth2/a',
      '--client-id',
      'c',
      '--audience',
      'https://acme.example.com/mcp',
      '--local-port',
      '7700',
    ]);
    expect(connectionSettings(alone)).toMatchObject({
      redirectUri: 'http://127.0.0.1:7701/callback',
      hostname: undefined,
      localPort: 7700,
    });
  });

  test.each([
    [{}, 'o.json has no outputs of tenant acme (no acme_issuer)'],
    [[], 'o.json is not a JSON object of outputs'],
    [
      { a: { acme_issuer: 'x' }, b: { acme_issuer: 'y' } },
      'tenant acme has outputs in several stacks of o.json (a, b): give --stack',
    ],
  ])('an outputs file %j is refused', (json, message) => {
    expect(() => tenantOutputs(json, 'acme', 'o.json')).toThrow(message);
  });

  test('--stack picks one stack; unresolved and missing outputs are named', () => {
    const both = { a: { acme_issuer: 'https://a.example.com/o' }, b: { acme_issuer: 'https://b.example.com/o' } };
    expect(tenantOutputs(both, 'acme', 'o.json', 'b')).toEqual({ issuer: 'https://b.example.com/o' });
    expect(() => tenantOutputs(both, 'acme', 'o.json', 'c')).toThrow(
      'stack c of o.json has no outputs of tenant acme (no acme_issuer)',
    );
    const args = parsed(['acme', '--stdio', '--outputs', 'o.json']);
    expect(() =>
      connectionSettings(args, {
        issuer: '${okta_auth_server.x.issuer}',
        connect_command: TERRAFORM_OUTPUTS.acme_connect_command.value,
      }),
    ).toThrow(
      'output acme_issuer is an unresolved expression: give the outputs of the deployed stack (cdktf output or terraform output -json)',
    );
    expect(() =>
      connectionSettings(args, {
        issuer: 'https://i.example.com/o',
        connect_command: TERRAFORM_OUTPUTS.acme_connect_command.value,
      }),
    ).toThrow('the audience is unknown: give --audience, or outputs with acme_audience');
    expect(() => connectionSettings(args, { issuer: 'https://i.example.com/o' })).toThrow(
      'the local port is unknown: give --local-port, or outputs with acme_connect_command',
    );
  });

  test('the connect command output gives the hostname and the local port', () => {
    expect(
      parseConnectCommand('cloudflared access tcp --hostname globex.mcp.example.com --url 127.0.0.1:7710'),
    ).toEqual({
      hostname: 'globex.mcp.example.com',
      localPort: 7710,
    });
  });
});

describe('client configuration snippets', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-connect-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('--print-config prints Claude Desktop, VS Code, Cursor and HTTP snippets that run connect with the same settings', async () => {
    fs.writeFileSync(path.join(dir, 'outputs.json'), JSON.stringify(TERRAFORM_OUTPUTS));
    const out: string[] = [];
    const code = await runConnectCommand(['acme', '--print-config', '--outputs', 'outputs.json'], {
      out: (l) => out.push(l),
      err: (l) => out.push(`ERR ${l}`),
      cwd: dir,
    });
    expect(code).toBe(0);
    const text = out.join('\n');
    const args = [
      '--yes',
      `--package=${packageSpec()}`,
      'mcp-access',
      'connect',
      'acme',
      '--stdio',
      '--outputs',
      path.join(dir, 'outputs.json'),
    ];
    expect(packageSpec()).toMatch(/^cdktf-mcp-access@\d+\.\d+\.\d+/);
    expect(text).toContain(
      `Claude Desktop (claude_desktop_config.json):\n${JSON.stringify({ mcpServers: { acme: { command: 'npx', args } } }, null, 2)}`,
    );
    expect(text).toContain(
      `VS Code (.vscode/mcp.json):\n${JSON.stringify({ servers: { acme: { type: 'stdio', command: 'npx', args } } }, null, 2)}`,
    );
    expect(text).toContain(
      `Cursor (~/.cursor/mcp.json or .cursor/mcp.json):\n${JSON.stringify({ mcpServers: { acme: { command: 'npx', args } } }, null, 2)}`,
    );
    expect(text).toContain('"url": "http://127.0.0.1:7702/mcp"');
    expect(text).not.toContain('ERR');
  });

  test('an admin session gets its own entry, with --admin', () => {
    const snippet = clientConfigSnippets(
      parsed(['acme', '--print-config', '--outputs', '/o.json', '--admin', '--no-tunnel']),
      '/',
    );
    expect(snippet).toContain('"acme-admin"');
    expect(snippet).toContain('"--admin",\n');
    expect(snippet).toContain('"--no-tunnel"');
  });
});

describe('usage', () => {
  test('usage errors exit 2 with the problem, then the usage', async () => {
    const err: string[] = [];
    expect(await runConnectCommand(['acme'], { out: () => undefined, err: (l) => err.push(l) })).toBe(2);
    expect(err).toEqual([
      'mcp-access connect: give --stdio (an MCP client starts this command), --listen 127.0.0.1:<port> or --print-config',
      `usage:\n${CONNECT_USAGE}`,
    ]);
  });

  test('a missing outputs file is named', async () => {
    const err: string[] = [];
    expect(
      await runConnectCommand(['acme', '--stdio', '--outputs', 'no-such-file.json'], {
        out: () => undefined,
        err: (l) => err.push(l),
        cwd: os.tmpdir(),
      }),
    ).toBe(2);
    expect(err).toEqual(['mcp-access connect: cannot read no-such-file.json (ENOENT)']);
  });

  test('mcp-access --help lists connect and audit tail', () => {
    const out: string[] = [];
    expect(main(['--help'], (l) => out.push(l))).toBe(0);
    expect(out.join('\n')).toContain(CONNECT_USAGE);
    expect(out.join('\n')).toContain(AUDIT_USAGE);
  });
});
