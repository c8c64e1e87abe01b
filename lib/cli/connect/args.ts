/** The command line of `mcp-access connect`: flags, their checks and the usage text. */
import { parseArgs } from 'node:util';
import { TENANT_ID_PATTERN } from '../../core/formats';
import { isLoopbackHost, loopbackRedirectProblem } from '../../core/identity-defaults';

export const CONNECT_USAGE = `  mcp-access connect <tenant> (--stdio | --listen 127.0.0.1:<port> | --print-config) [options]
      The developer's side of a tenant: starts \`cloudflared access tcp\` to the tenant's hostname,
      signs in to the tenant's issuer (OAuth 2.1 authorization code + PKCE, browser on a loopback
      redirect), and serves MCP clients with the token added, kept in memory only.
      --stdio                   serve one MCP client on stdin/stdout (Claude Desktop, VS Code, Cursor)
      --listen 127.0.0.1:<port> serve MCP clients at http://127.0.0.1:<port>/mcp (Streamable HTTP)
      --print-config            print the MCP client configuration snippets, then exit
      --outputs <file>          the stack outputs: \`cdktf output --outputs-file <file>\` or
                                \`terraform output -json > <file>\`
      --stack <name>            the stack of --outputs that holds the tenant (when several do)
      --issuer <url> --client-id <id> --audience <uri> --local-port <port> --hostname <host>
                                the connection settings one by one (they override --outputs)
      --admin-client-id <id>    the admin client (with --admin, instead of the outputs')
      --redirect-uri <uri>      the registered loopback redirect URI (default: the outputs',
                                else http://127.0.0.1:7701/callback); it must match exactly
      --admin                   sign in through the admin client (hardware key) for the admin scope
      --no-tunnel               do not start cloudflared (it runs elsewhere)
      --no-browser              print the sign-in URL instead of opening a browser
      --audit                   also follow the tenant's audit stream on stderr (kubectl)
      --context <name>          the kubectl context for --audit`;

/** The parsed command line. */
export interface ConnectArguments {
  readonly tenant: string;
  readonly mode: 'stdio' | 'listen' | 'print-config';
  /** Port of `--listen` (always on 127.0.0.1). */
  readonly listenPort?: number;
  readonly outputsFile?: string;
  readonly stack?: string;
  readonly issuer?: string;
  readonly clientId?: string;
  readonly adminClientId?: string;
  readonly audience?: string;
  readonly localPort?: number;
  readonly hostname?: string;
  readonly redirectUri?: string;
  readonly admin: boolean;
  readonly tunnel: boolean;
  readonly browser: boolean;
  readonly audit: boolean;
  readonly kubeContext?: string;
}

const OPTIONS = {
  stdio: { type: 'boolean' },
  listen: { type: 'string' },
  'print-config': { type: 'boolean' },
  outputs: { type: 'string' },
  stack: { type: 'string' },
  issuer: { type: 'string' },
  'client-id': { type: 'string' },
  'admin-client-id': { type: 'string' },
  audience: { type: 'string' },
  'local-port': { type: 'string' },
  hostname: { type: 'string' },
  'redirect-uri': { type: 'string' },
  admin: { type: 'boolean' },
  'no-tunnel': { type: 'boolean' },
  'no-browser': { type: 'boolean' },
  audit: { type: 'boolean' },
  context: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The arguments, `'help'`, or the first problem as one line (the caller prints the usage after it). */
export function parseConnectArguments(argv: readonly string[]): ConnectArguments | 'help' | { problem: string } {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true; strict: true }>>;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    return { problem: parseErrorProblem(e as Error & { code?: string }) };
  }
  const v = parsed.values;
  if (v.help) return 'help';
  const [tenant, ...extra] = parsed.positionals;
  if (tenant === undefined) return { problem: 'a tenant id is required' };
  if (extra.length > 0) {
    return {
      problem: `one tenant id is expected, but ${parsed.positionals.length} were given: ${parsed.positionals.join(', ')}`,
    };
  }
  if (!TENANT_ID_PATTERN.test(tenant)) {
    return { problem: `the tenant id must match ^[a-z][a-z0-9-]{1,30}$, but '${tenant}' was provided` };
  }
  const modes = [
    v.stdio && '--stdio',
    v.listen !== undefined && '--listen',
    v['print-config'] && '--print-config',
  ].filter((m): m is string => typeof m === 'string');
  if (modes.length === 0) {
    return { problem: 'give --stdio (an MCP client starts this command), --listen 127.0.0.1:<port> or --print-config' };
  }
  if (modes.length > 1)
    return { problem: `give one of --stdio, --listen and --print-config, not ${modes.join(' and ')}` };

  let listenPort: number | undefined;
  if (v.listen !== undefined) {
    const match = /^(?:127\.0\.0\.1:)?([0-9]{1,5})$/.exec(v.listen);
    listenPort = match ? port(match[1], 1024) : undefined;
    if (listenPort === undefined) {
      return {
        problem: `--listen must be 127.0.0.1:<port> with a port from 1024 to 65535, but '${v.listen}' was provided`,
      };
    }
  }
  let localPort: number | undefined;
  if (v['local-port'] !== undefined) {
    localPort = port(v['local-port'], 1024);
    if (localPort === undefined) {
      return {
        problem: `--local-port must be an integer from 1024 to 65535, but '${v['local-port']}' was provided`,
      };
    }
  }
  if (v.issuer !== undefined && !isSecureUrl(v.issuer)) {
    return { problem: `--issuer must be an https URL (http only on a loopback host), but '${v.issuer}' was provided` };
  }
  if (v['redirect-uri'] !== undefined) {
    const problem = loopbackRedirectProblem(v['redirect-uri']);
    if (problem) {
      return {
        problem: `--redirect-uri must be a loopback http URI with a port, but '${v['redirect-uri']}' ${problem}`,
      };
    }
  }
  if (v.hostname !== undefined && !/^[a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?$/i.test(v.hostname)) {
    return { problem: `--hostname must be a DNS name, but '${v.hostname}' was provided` };
  }
  if (v.context !== undefined && !v.audit) return { problem: '--context is for --audit: give --audit too' };
  if (v.audit && v['print-config']) return { problem: '--audit follows a session: it does not go with --print-config' };
  if (v.outputs === undefined) {
    const missing = [
      ['--issuer', v.issuer],
      [v.admin ? '--admin-client-id' : '--client-id', v.admin ? v['admin-client-id'] : v['client-id']],
      ['--audience', v.audience],
      ['--local-port', v['local-port']],
    ]
      .filter(([, value]) => value === undefined)
      .map(([flag]) => flag);
    if (missing.length > 0) return { problem: `without --outputs <file>, give ${missing.join(', ')}` };
  }
  return {
    tenant,
    mode: v.stdio ? 'stdio' : v.listen !== undefined ? 'listen' : 'print-config',
    listenPort,
    outputsFile: v.outputs,
    stack: v.stack,
    issuer: v.issuer,
    clientId: v['client-id'],
    adminClientId: v['admin-client-id'],
    audience: v.audience,
    localPort,
    hostname: v.hostname,
    redirectUri: v['redirect-uri'],
    admin: v.admin ?? false,
    tunnel: !v['no-tunnel'],
    browser: !v['no-browser'],
    audit: v.audit ?? false,
    kubeContext: v.context,
  };
}

function port(text: string, min: number): number | undefined {
  if (!/^[0-9]{1,5}$/.test(text)) return undefined;
  const n = Number(text);
  return n >= min && n <= 65535 ? n : undefined;
}

/** https, or http on a loopback host (a local authorization server). */
export function isSecureUrl(value: string): boolean {
  try {
    const url = new URL(value);
    if (url.username || url.password || url.hash || url.search) return false;
    return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
  } catch {
    return false;
  }
}

function parseErrorProblem(e: Error & { code?: string }): string {
  const option = /'(-[-a-z]+)/i.exec(e.message)?.[1] ?? 'an option';
  if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown option ${option}`;
  if (e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    return /does not take an argument/.test(e.message) ? `${option} takes no value` : `${option} needs a value`;
  }
  return e.message;
}
