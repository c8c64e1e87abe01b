/** The command line of `mcp-access connect`: flags, their checks and the usage text. */
import { parseArgs } from 'node:util';
import { TENANT_ID_PATTERN } from '../../core/formats';
import { isLoopbackHost, loopbackRedirectProblem, SERVICE_ACCOUNT_NAME_PATTERN } from '../../core/identity-defaults';
import { tenantAdminScope, tenantUseScope } from '../../core/naming';

export const CONNECT_USAGE = `  mcp-access connect <tenant> (--stdio | --listen 127.0.0.1:<port> | --print-config) [options]
      The developer's side of a tenant: starts \`cloudflared access tcp\` to the tenant's hostname,
      signs in to the tenant's issuer (OAuth 2.1 authorization code + PKCE, browser on a loopback
      redirect), and serves MCP clients with the token added, kept in memory only.
      With --service-account <name>, an agent's side instead, headless: client credentials signed
      with the service account's private key (private_key_jwt), and the tunnel admitted by the
      service account's Access service token.
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
      --context <name>          the kubectl context for --audit
    A service account (docs/service-identities.md):
      --service-account <name>  sign in as the tenant's service account <name> (no browser); the
                                private key and the Access service token secret come from the OS
                                keychain (service cdktf-mcp-access, accounts
                                <tenant>/<name>/private-key and <tenant>/<name>/access-client-secret)
      --key-fd <n>              read the private key (PEM PKCS#8 or JWK) from file descriptor n
                                instead (CI: \`--key-fd 3 3< <(printenv SERVICE_KEY)\`); never a path
      --access-secret-fd <n>    read the Access service token secret from file descriptor n instead
      --client-id <id>          the service account's Okta client id (default: the outputs'
                                <tenant>_service_<name>_client_id)
      --access-client-id <id>   the Access service token's client id (default: the outputs'
                                <tenant>_service_<name>_access_client_id)
      --key-id <kid>            the key id of the assertion (default: the JWK's kid, else the
                                key's RFC 7638 thumbprint)
      --scope <scope>           ask for this scope of the tenant (repeatable; default mcp:<tenant>:use);
                                Okta grants only what the service account's policy rule lists`;

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
  /** `--service-account`: sign in as this service account of the tenant (headless). */
  readonly serviceAccount?: string;
  /** `--key-fd`: the private key comes from this file descriptor, not the keychain. */
  readonly keyFd?: number;
  /** `--access-secret-fd`: the Access service token secret comes from this file descriptor. */
  readonly accessSecretFd?: number;
  readonly accessClientId?: string;
  readonly keyId?: string;
  /** `--scope`, in the order given, without repeats. */
  readonly scopes?: readonly string[];
}

/** Flags that belong to a service account's session only. */
const SERVICE_ONLY_FLAGS = ['--key-fd', '--access-secret-fd', '--access-client-id', '--key-id', '--scope'] as const;
/** Flags of a person's browser sign-in, which a service account never does. */
const PERSON_ONLY_FLAGS = ['--admin-client-id', '--redirect-uri', '--no-browser'] as const;

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
  'service-account': { type: 'string' },
  'key-fd': { type: 'string' },
  'access-secret-fd': { type: 'string' },
  'access-client-id': { type: 'string' },
  'key-id': { type: 'string' },
  scope: { type: 'string', multiple: true },
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
  const service = serviceAccountArguments(tenant, v);
  if ('problem' in service) return service;
  if (v.outputs === undefined) {
    const missing = [
      ['--issuer', v.issuer],
      [v.admin ? '--admin-client-id' : '--client-id', v.admin ? v['admin-client-id'] : v['client-id']],
      ['--audience', v.audience],
      ['--local-port', v['local-port']],
      ...(v['service-account'] !== undefined && !v['no-tunnel'] ? [['--access-client-id', v['access-client-id']]] : []),
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
    ...service,
  };
}

type ParsedValues = ReturnType<
  typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true; strict: true }>
>['values'];

/** The service account's part of the arguments, or the first problem with it. */
function serviceAccountArguments(
  tenant: string,
  v: ParsedValues,
):
  | Pick<ConnectArguments, 'serviceAccount' | 'keyFd' | 'accessSecretFd' | 'accessClientId' | 'keyId' | 'scopes'>
  | {
      problem: string;
    } {
  const given = (flag: string): boolean => {
    const value = (v as Record<string, unknown>)[flag.slice(2)];
    return value !== undefined && value !== false;
  };
  const name = v['service-account'];
  if (name === undefined) {
    const stray = SERVICE_ONLY_FLAGS.filter(given);
    if (stray.length > 0) {
      return {
        problem: `${stray.join(', ')} ${stray.length === 1 ? 'is' : 'are'} for a service account: give --service-account <name> too`,
      };
    }
    return {};
  }
  if (!SERVICE_ACCOUNT_NAME_PATTERN.test(name)) {
    return {
      problem: `--service-account must be a DNS label (lower-case letters, digits and '-', at most 63 characters), but '${name}' was provided`,
    };
  }
  if (v.admin) {
    return {
      problem: `--admin does not go with --service-account: a service account gets the scopes its Okta policy rule grants (declare admin: true in the stack, then ask with --scope ${tenantAdminScope(tenant)})`,
    };
  }
  const personal = PERSON_ONLY_FLAGS.filter(given);
  if (personal.length > 0) {
    return {
      problem: `${personal.join(', ')} ${personal.length === 1 ? 'is' : 'are'} for a person's browser sign-in: a service account signs in headless, so leave ${personal.length === 1 ? 'it' : 'them'} out`,
    };
  }
  const fd = (flag: '--key-fd' | '--access-secret-fd'): number | { problem: string } | undefined => {
    const text = v[flag === '--key-fd' ? 'key-fd' : 'access-secret-fd'];
    if (text === undefined) return undefined;
    const n = /^[0-9]{1,9}$/.test(text) ? Number(text) : NaN;
    if (!(n >= 3)) {
      return {
        problem: `${flag} must be a file descriptor number of at least 3 (0, 1 and 2 are stdin, stdout and stderr), but '${text}' was provided`,
      };
    }
    return n;
  };
  const keyFd = fd('--key-fd');
  if (typeof keyFd === 'object') return keyFd;
  const accessSecretFd = fd('--access-secret-fd');
  if (typeof accessSecretFd === 'object') return accessSecretFd;
  if (keyFd !== undefined && keyFd === accessSecretFd) {
    return { problem: `--key-fd and --access-secret-fd must be different file descriptors, but both are ${keyFd}` };
  }
  if (accessSecretFd !== undefined && v['no-tunnel']) {
    return {
      problem: '--access-secret-fd is for the tunnel (the Access service token): it does not go with --no-tunnel',
    };
  }
  if (v['print-config'] && (keyFd !== undefined || accessSecretFd !== undefined)) {
    return {
      problem:
        '--print-config writes a configuration an MCP client starts, and a client cannot hand over file descriptors: leave out --key-fd and --access-secret-fd (the configuration reads the OS keychain)',
    };
  }
  const keyId = v['key-id'];
  if (keyId !== undefined && !/^[\x21-\x7e]{1,256}$/.test(keyId)) {
    return { problem: `--key-id must be 1 to 256 printable characters without spaces, but '${keyId}' was provided` };
  }
  const allowed = [tenantUseScope(tenant), tenantAdminScope(tenant)];
  for (const scope of v.scope ?? []) {
    if (!allowed.includes(scope)) {
      return {
        problem: `--scope must be ${allowed.join(' or ')} (a scope of tenant ${tenant}), but '${scope}' was provided`,
      };
    }
  }
  return {
    serviceAccount: name,
    keyFd,
    accessSecretFd,
    accessClientId: v['access-client-id'],
    keyId,
    scopes: v.scope === undefined ? undefined : [...new Set(v.scope)],
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
