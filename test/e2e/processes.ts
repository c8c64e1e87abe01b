/** Child processes of the end-to-end tests: the reference MCP server, and free loopback ports. */
import { type ChildProcess, spawn } from 'node:child_process';
import * as net from 'node:net';
import * as path from 'node:path';

export const ROOT = path.join(__dirname, '..', '..');
export const TS_REGISTER = path.join(ROOT, 'scripts', 'ts-register.js');
export const SERVER_MAIN = path.join(ROOT, 'examples', 'mcp-server', 'src', 'main.ts');
export const CLI_MAIN = path.join(ROOT, 'lib', 'cli', 'main.ts');

/** A port nothing listens on right now (the kernel's choice). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A running reference server. */
export interface ServerProcess {
  readonly child: ChildProcess;
  stderr(): string;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

/**
 * Starts the reference server (as `npm run server` does) with exactly `env` as its environment
 * (plus PATH), and waits for its `listening` log line.
 */
export async function startServer(env: Record<string, string>): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['-r', TS_REGISTER, SERVER_MAIN], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d: string) => {
      stderr += d;
      if (stderr.includes('"msg":"listening"')) resolve();
    });
    void exited.then((code) => reject(new Error(`the server exited (${code}): ${stderr}`)));
  });
  return {
    child,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/** Runs the server until it exits by itself (a refused start): its exit code and stderr. */
export async function runServerToExit(
  env: Record<string, string>,
  args: string[] = [],
): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, ['-r', TS_REGISTER, SERVER_MAIN, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d: string) => (stderr += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  clearTimeout(timer);
  return { code, stderr };
}
