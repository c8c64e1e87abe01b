/**
 * `mcp-access connect <tenant>`: the developer's side of a tenant (docs/transport.md, "The
 * developer's side, step by step", steps 3 to 5) in one command: the tunnel, the sign-in, and a local MCP endpoint
 * that adds the token. With `--service-account <name>`, an agent's side: the same, headless, with
 * the service account's own key and Access service token (docs/service-identities.md). Tokens,
 * keys and secrets live in this process's memory only; nothing is written to disk.
 */
import { spawn as nodeSpawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { followAudit } from './audit-tail';
import { CONNECT_USAGE, type ConnectArguments, parseConnectArguments } from './args';
import { clientConfigSnippets } from './client-config';
import { type OpenUrl, signInInteractively, TokenSession } from './oauth';
import {
  CLOUDFLARED_INSTALL_HINT,
  cloudflaredArguments,
  findExecutable,
  type RunningProcess,
  type Spawn,
  startProcess,
  waitForPort,
} from './processes';
import { authorizedFetch, type LocalEndpoint, serveLocalHttp, serveStdio } from './proxy';
import {
  type AssertionSigner,
  clientCredentialsSignIn,
  type KeyringLoader,
  loadServiceCredentials,
  type ServiceCredentials,
  serviceTokenEnvironment,
} from './service-account';
import { type ConnectionSettings, connectionSettings, secretOutputNames, tenantOutputs } from './settings';

export { CONNECT_USAGE } from './args';

type Fetch = (url: string | URL, init?: RequestInit) => Promise<Response>;

/** How long cloudflared may take to open the local port. */
const TUNNEL_START_TIMEOUT_MS = 15_000;

/** What `connect` needs from its caller; the command line gives the process's own, tests their own. */
export interface ConnectIo {
  readonly out: (line: string) => void;
  /** Diagnostics (stderr): in `--stdio` mode stdout carries the protocol only. */
  readonly err: (line: string) => void;
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  readonly stdin?: Readable;
  readonly stdout?: Writable;
  /** Ends the session (the command line wires SIGINT and SIGTERM to it). */
  readonly signal?: AbortSignal;
  /** Shows the sign-in URL; default: open the browser (or print it with --no-browser). */
  readonly openUrl?: OpenUrl;
  readonly spawn?: Spawn;
  readonly fetch?: Fetch;
  /** Called once the local HTTP endpoint listens (`--listen`). */
  readonly onListening?: (url: string) => void;
  /** Loads the OS keychain binding (`--service-account`); default @napi-rs/keyring. */
  readonly keyring?: KeyringLoader;
  /** Signs client assertions (`--service-account`); default jose. */
  readonly signAssertion?: AssertionSigner;
}

/** Runs `mcp-access connect`; resolves with the exit code when the session ends. */
export async function runConnectCommand(argv: readonly string[], io: ConnectIo): Promise<number> {
  const parsed = parseConnectArguments(argv);
  if (parsed === 'help') {
    io.out(`usage:\n${CONNECT_USAGE}`);
    return 0;
  }
  if ('problem' in parsed) {
    io.err(`mcp-access connect: ${parsed.problem}`);
    io.err(`usage:\n${CONNECT_USAGE}`);
    return 2;
  }
  let settings: ConnectionSettings;
  try {
    settings = resolveSettings(parsed, io.cwd ?? process.cwd());
  } catch (e) {
    io.err(`mcp-access connect: ${(e as Error).message}`);
    return 2;
  }
  if (parsed.mode === 'print-config') {
    io.out(clientConfigSnippets(parsed, io.cwd));
    return 0;
  }
  let credentials: ServiceCredentials | undefined;
  if (settings.serviceAccount !== undefined) {
    try {
      credentials = await loadServiceCredentials(settings, parsed, io.keyring);
    } catch (e) {
      io.err(`mcp-access connect: ${(e as Error).message}`);
      return 1;
    }
  }
  return new Session(parsed, settings, io, credentials).run();
}

/** The settings of `args`, reading the outputs file when one is given. */
export function resolveSettings(args: ConnectArguments, cwd: string): ConnectionSettings {
  if (args.outputsFile === undefined) return connectionSettings(args);
  const file = path.resolve(cwd, args.outputsFile);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`cannot read ${args.outputsFile} (${(e as NodeJS.ErrnoException).code})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`${args.outputsFile} is not JSON`);
  }
  const secrets = secretOutputNames(json);
  if (secrets.length > 0) {
    throw new Error(
      `${args.outputsFile} holds secret values (${secrets.join(', ')}): delete it, move each secret into the OS keychain of the host that uses it (docs/service-identities.md), and write the outputs without secrets (\`cdktf output <stack> --outputs-file <file>\` leaves them out; \`terraform output -json\` prints them)`,
    );
  }
  return connectionSettings(args, tenantOutputs(json, args.tenant, args.outputsFile, args.stack));
}

/** One running session: its helper programs, its tokens and its local endpoint. */
class Session {
  private tunnel: RunningProcess | undefined;
  private audit: RunningProcess | undefined;
  private endpoint: LocalEndpoint | undefined;
  private readonly session: TokenSession;
  private readonly fetchFn: Fetch;
  /** Aborts a sign-in still waiting for the browser when the session ends. */
  private readonly stopping = new AbortController();

  constructor(
    private readonly args: ConnectArguments,
    private readonly settings: ConnectionSettings,
    private readonly io: ConnectIo,
    private credentials?: ServiceCredentials,
  ) {
    this.fetchFn = io.fetch ?? fetch;
    const openUrl =
      io.openUrl ??
      (args.browser
        ? (url: string) => openBrowser(url, settings.tenant, io)
        : (url: string) => printUrl(url, settings.tenant, io));
    const signIn = credentials
      ? clientCredentialsSignIn(settings, credentials.key, { signer: io.signAssertion, fetchFn: this.fetchFn })
      : (metadata: Parameters<typeof signInInteractively>[1]) =>
          signInInteractively(settings, metadata, openUrl, this.fetchFn, this.stopping.signal);
    this.session = new TokenSession(
      settings,
      signIn,
      (message) => io.err(`mcp-access connect: ${message}`),
      this.fetchFn,
    );
  }

  async run(): Promise<number> {
    const { io, settings, args } = this;
    const log = (line: string) => io.err(`mcp-access connect: ${line}`);
    try {
      if (args.audit) {
        this.audit = followAudit(settings.tenant, io.err, io.err, {
          context: args.kubeContext,
          format: 'text',
          env: io.env,
          spawn: io.spawn,
        });
      }
      if (args.tunnel) await this.startTunnel();
      // Sign in now, so the browser opens at once; the MCP client's first request waits for it.
      const failed = new Promise<string>((resolve) => {
        this.session.accessToken().catch((e: Error) => resolve(`sign-in failed: ${e.message}`));
        void this.tunnel?.exited.then((code) => resolve(`cloudflared ended (${code})`));
      });
      const ended = args.mode === 'stdio' ? this.serveStdio() : this.serveHttp();
      const reason = await Promise.race([ended.then(() => undefined), failed]);
      if (reason !== undefined) {
        log(reason);
        return 1;
      }
      return 0;
    } catch (e) {
      log((e as Error).message);
      return 1;
    } finally {
      await this.shutdown();
    }
  }

  private async startTunnel(): Promise<void> {
    const { settings, io } = this;
    if (settings.hostname === undefined) {
      throw new Error(
        `the tunnel needs the tenant's hostname: give --hostname, or outputs with ${settings.tenant}_connect_command`,
      );
    }
    const alreadyOpen = await waitForPort(settings.localPort, 0).then(
      () => true,
      () => false,
    );
    if (alreadyOpen) {
      throw new Error(
        `127.0.0.1:${settings.localPort} is already in use: if cloudflared already runs for tenant ${settings.tenant}, add --no-tunnel`,
      );
    }
    const cloudflared = findExecutable('cloudflared', io.env);
    if (cloudflared === undefined) throw new Error(`cloudflared was not found on PATH: ${CLOUDFLARED_INSTALL_HINT}`);
    const service = settings.serviceAccount;
    const accessSecret = this.credentials?.accessSecret;
    // A service account's tunnel is admitted by its Access service token, handed over in the environment.
    const env =
      service?.accessClientId !== undefined && accessSecret !== undefined
        ? { ...(io.env ?? process.env), ...serviceTokenEnvironment(service.accessClientId, accessSecret) }
        : undefined;
    if (this.credentials) this.credentials = { key: this.credentials.key };
    const tunnel = startProcess(
      cloudflared,
      cloudflaredArguments(settings.hostname, settings.localPort),
      (line) => io.err(`cloudflared: ${line}`),
      io.spawn,
      env,
    );
    this.tunnel = tunnel;
    let exited = false;
    void tunnel.exited.then(() => (exited = true));
    await waitForPort(settings.localPort, TUNNEL_START_TIMEOUT_MS, () => exited);
    io.err(`mcp-access connect: tunnel to ${settings.hostname} on 127.0.0.1:${settings.localPort}`);
  }

  private async serveStdio(): Promise<void> {
    const { io, settings } = this;
    await serveStdio(
      settings.mcpUrl,
      authorizedFetch(this.session, this.fetchFn),
      (line) => io.err(`mcp-access connect: ${line}`),
      { stdin: io.stdin, stdout: io.stdout },
      io.signal,
    );
  }

  private async serveHttp(): Promise<void> {
    const { io, settings, args } = this;
    this.endpoint = await serveLocalHttp(
      args.listenPort!,
      settings.mcpUrl,
      authorizedFetch(this.session, this.fetchFn),
      (line) => io.err(`mcp-access connect: ${line}`),
    );
    io.err(`mcp-access connect: MCP clients connect to ${this.endpoint.url}`);
    io.onListening?.(this.endpoint.url);
    await abortPromise(io.signal);
  }

  private async shutdown(): Promise<void> {
    this.stopping.abort();
    await this.endpoint?.close();
    await this.session.close();
    await this.audit?.stop();
    await this.tunnel?.stop();
  }
}

/** Resolves when `signal` aborts (never without one). */
function abortPromise(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) resolve();
    signal?.addEventListener('abort', () => resolve(), { once: true });
  });
}

function printUrl(url: string, tenant: string, io: ConnectIo): void {
  io.err(`mcp-access connect: sign in to tenant ${tenant} in your browser: ${url}`);
}

/** Opens the system browser; the URL is printed too, for when no browser opens. */
function openBrowser(url: string, tenant: string, io: ConnectIo): void {
  printUrl(url, tenant, io);
  const [command, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['rundll32', ['url.dll,FileProtocolHandler', url]]
        : ['xdg-open', [url]];
  try {
    const child = (io.spawn ?? nodeSpawn)(command as string, args as string[], { stdio: 'ignore', detached: true });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // The printed URL is enough.
  }
}
