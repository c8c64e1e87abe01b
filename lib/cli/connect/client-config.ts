/** The configuration snippets MCP clients need to start `mcp-access connect` (or to use its local endpoint). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ConnectArguments } from './args';

const PACKAGE_NAME = 'cdktf-mcp-access';

/** This package pinned to its own version (`cdktf-mcp-access@0.1.0`), so that npx runs what was reviewed. */
export function packageSpec(): string {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
      name?: string;
      version?: string;
    };
    if (pkg.name === PACKAGE_NAME && typeof pkg.version === 'string') return `${PACKAGE_NAME}@${pkg.version}`;
  } catch {
    // fall through
  }
  return PACKAGE_NAME;
}

/** The `mcp-access connect` arguments an MCP client runs for this session, over stdio. */
export function stdioArguments(args: ConnectArguments, cwd: string = process.cwd()): string[] {
  const out = ['connect', args.tenant, '--stdio'];
  if (args.outputsFile !== undefined) out.push('--outputs', path.resolve(cwd, args.outputsFile));
  const flags: [string, string | number | undefined][] = [
    ['--stack', args.stack],
    ['--issuer', args.issuer],
    ['--client-id', args.clientId],
    ['--admin-client-id', args.adminClientId],
    ['--audience', args.audience],
    ['--local-port', args.localPort],
    ['--hostname', args.hostname],
    ['--redirect-uri', args.redirectUri],
    ['--service-account', args.serviceAccount],
    ['--access-client-id', args.accessClientId],
    ['--key-id', args.keyId],
  ];
  for (const [flag, value] of flags) if (value !== undefined) out.push(flag, String(value));
  for (const scope of args.scopes ?? []) out.push('--scope', scope);
  if (args.admin) out.push('--admin');
  if (!args.tunnel) out.push('--no-tunnel');
  return out;
}

/** The snippets for Claude Desktop, VS Code and Cursor (stdio), and for a client of the local HTTP endpoint. */
export function clientConfigSnippets(args: ConnectArguments, cwd: string = process.cwd()): string {
  const name = args.serviceAccount
    ? `${args.tenant}-${args.serviceAccount}`
    : args.admin
      ? `${args.tenant}-admin`
      : args.tenant;
  const command = 'npx';
  const npxArgs = ['--yes', `--package=${packageSpec()}`, 'mcp-access', ...stdioArguments(args, cwd)];
  const block = (value: unknown) => JSON.stringify(value, null, 2);
  const sections = [
    `Claude Desktop (claude_desktop_config.json):\n${block({ mcpServers: { [name]: { command, args: npxArgs } } })}`,
    `VS Code (.vscode/mcp.json):\n${block({ servers: { [name]: { type: 'stdio', command, args: npxArgs } } })}`,
    `Cursor (~/.cursor/mcp.json or .cursor/mcp.json):\n${block({ mcpServers: { [name]: { command, args: npxArgs } } })}`,
  ];
  const port = args.listenPort ?? 7702;
  const listen = stdioArguments(args, cwd).map((a) => (a === '--stdio' ? `--listen 127.0.0.1:${port}` : a));
  sections.push(
    `A client of Streamable HTTP, while \`mcp-access ${listen.join(' ')}\` runs:\n${block({
      mcpServers: { [name]: { type: 'http', url: `http://127.0.0.1:${port}/mcp` } },
    })}`,
  );
  sections.push(
    args.serviceAccount
      ? `The client needs no OAuth settings: mcp-access connect signs in as service account ${args.serviceAccount} with the private key in the OS keychain (service cdktf-mcp-access, account ${args.tenant}/${args.serviceAccount}/private-key) and adds the token itself, in memory only.`
      : 'The client needs no OAuth settings: mcp-access connect signs in and adds the token itself, in memory only.',
  );
  return sections.join('\n\n');
}
