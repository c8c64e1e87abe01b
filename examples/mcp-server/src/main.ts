/**
 * The reference MCP server of the environment contract.
 *
 *   mcp-server [serve]      listen on MCP_BIND_ADDRESS:MCP_PORT until SIGTERM
 *   mcp-server healthcheck  exit 0 when the listener answers within 5 s (the exec probe)
 *
 * From the repository root: `npm run server` (the environment gives every setting).
 */
import * as http from 'node:http';
import { HEALTH_PATH, isLoopbackIp, parseServerConfig } from './config';

// `healthcheck` runs every few seconds as the exec probe: it loads only this file and the config.
// `serve` loads the MCP SDK, jose and the rest when it starts.

export const USAGE = `usage: mcp-server [serve | healthcheck]
  serve        listen on MCP_BIND_ADDRESS:MCP_PORT (the default); stops cleanly on SIGTERM
  healthcheck  exit 0 when the server answers on MCP_BIND_ADDRESS:MCP_PORT within 5 s, else 1
Every setting comes from the environment contract of LoopbackMcpDeployment (see README.md).`;

/** Exit code of a refused start: the configuration is wrong (sysexits EX_CONFIG). */
export const EXIT_CONFIG = 78;
/** How long in-flight requests may finish after SIGTERM before their connections are closed. */
const SHUTDOWN_GRACE_MS = 10_000;
/** The health check gives up after this long (the probe's own timeout is 5 s). */
const HEALTH_TIMEOUT_MS = 4_000;

/** Runs a command; resolves with the exit code. */
export async function run(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const [command = 'serve', ...rest] = argv;
  if (command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (rest.length > 0 || (command !== 'serve' && command !== 'healthcheck')) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  return command === 'healthcheck' ? healthcheck(env) : serve(env);
}

async function serve(env: NodeJS.ProcessEnv): Promise<number> {
  const parsed = parseServerConfig(env);
  if (!('config' in parsed)) {
    process.stderr.write(`mcp-server: refusing to start: ${parsed.problems.join('; ')}\n`);
    return EXIT_CONFIG;
  }
  const [
    { AuditLog },
    { createMcpHttpServer },
    { createLogger },
    { SERVER_VERSION },
    { createJwtVerifier },
    { VaultClient },
  ] = await Promise.all([
    import('./audit-log'),
    import('./http'),
    import('./log'),
    import('./mcp'),
    import('./token'),
    import('./vault'),
  ]);
  const log = createLogger();
  const { config } = parsed;
  const audit = new AuditLog(config.auditLogPath);
  try {
    audit.open();
  } catch (e) {
    process.stderr.write(
      `mcp-server: refusing to start: MCP_AUDIT_LOG_PATH ${config.auditLogPath} cannot be opened for appending (${(e as NodeJS.ErrnoException).code})\n`,
    );
    return EXIT_CONFIG;
  }
  const verifier = createJwtVerifier(config);
  const vault = new VaultClient(config.vault);
  const startedAt = new Date();
  const status = () => ({
    tenant: config.tenantId,
    version: SERVER_VERSION,
    issuer: config.issuer,
    audience: config.audience,
    resource: config.resourceUrl,
    started_at: startedAt.toISOString(),
    uptime_seconds: Math.round((Date.now() - startedAt.getTime()) / 1000),
    vault: {
      address: config.vault.address,
      role: config.vault.role,
      auth_path: config.vault.authPath,
      kv_mount: config.vault.kvMount,
      token_usable_until: vault.tokenUsableUntil === undefined ? null : new Date(vault.tokenUsableUntil).toISOString(),
    },
    audit: { path: config.auditLogPath, bytes: audit.bytes },
  });
  const server = createMcpHttpServer(config, { config, audit, vault, log, verifier, status });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.bindAddress, () => resolve());
    });
  } catch (e) {
    process.stderr.write(
      `mcp-server: cannot listen on ${config.bindAddress}:${config.port} (${(e as NodeJS.ErrnoException).code})\n`,
    );
    audit.close();
    return 1;
  }
  log('info', 'listening', {
    address: config.bindAddress,
    port: config.port,
    tenant: config.tenantId,
    version: SERVER_VERSION,
  });
  verifier.warmUp().then(
    () => log('info', "found the issuer's keys", { issuer: config.issuer }),
    (e: unknown) => log('warn', 'issuer discovery failed; the next request retries', { error: (e as Error).message }),
  );

  return new Promise<number>((resolve) => {
    const shutdown = (signal: string) => {
      log('info', 'shutting down', { signal });
      server.close(() => {
        audit.close();
        resolve(0);
      });
      server.closeIdleConnections();
      setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS).unref();
    };
    process.once('SIGTERM', () => shutdown('SIGTERM'));
    process.once('SIGINT', () => shutdown('SIGINT'));
  });
}

/** Asks the server's own listener for its health; exit 0 only on a 200 within the timeout. */
async function healthcheck(env: NodeJS.ProcessEnv): Promise<number> {
  const address = env.MCP_BIND_ADDRESS ?? '';
  const port = Number(env.MCP_PORT);
  if (!isLoopbackIp(address) || !Number.isInteger(port) || port < 1 || port > 65535) {
    process.stderr.write('mcp-server healthcheck: MCP_BIND_ADDRESS and MCP_PORT must name the loopback listener\n');
    return 1;
  }
  const host = address.includes(':') ? `[${address}]` : address;
  const status = await new Promise<number | string>((resolve) => {
    const req = http.get({ host: address, port, path: HEALTH_PATH, headers: { host: `${host}:${port}` } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.setTimeout(HEALTH_TIMEOUT_MS, () => req.destroy(new Error('timed out')));
    req.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
  });
  if (status === 200) return 0;
  process.stderr.write(`mcp-server healthcheck: ${host}:${port} answered ${status}\n`);
  return 1;
}

/** Runs the process: the command's exit code ends it (the image's /mcp-server launcher calls this). */
export function start(argv: readonly string[] = process.argv.slice(2)): void {
  process.on('unhandledRejection', (e) => {
    process.stderr.write(`mcp-server: unhandled rejection: ${(e as Error)?.message ?? String(e)}\n`);
    process.exit(1);
  });
  run(argv).then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`mcp-server: ${(e as Error).message}\n`);
      process.exit(1);
    },
  );
}

if (require.main === module) start();
