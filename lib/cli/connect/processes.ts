/**
 * The helper programs `connect` runs: `cloudflared access tcp` (the tunnel to the tenant) and
 * `kubectl logs -f` (the audit stream). Found on PATH, never downloaded; stopped on exit.
 */
import { type ChildProcess, spawn as nodeSpawn, type SpawnOptions } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';

/** How to install cloudflared from Cloudflare's own packages (docs/transport.md, "The developer's side"). */
export const CLOUDFLARED_INSTALL_HINT =
  'install it from Cloudflare: `brew install cloudflared` (macOS), the apt or yum repository at https://pkg.cloudflare.com (Linux), `winget install --id Cloudflare.cloudflared` (Windows), or a signed release from https://github.com/cloudflare/cloudflared/releases; or run the tunnel yourself and pass --no-tunnel';

/** How to get kubectl. */
export const KUBECTL_INSTALL_HINT =
  'install it (https://kubernetes.io/docs/tasks/tools/) and point it at the cluster of the tenant';

export type Spawn = (command: string, args: readonly string[], options: SpawnOptions) => ChildProcess;

/** The full path of an executable on PATH (with PATHEXT on Windows), or undefined. */
export function findExecutable(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const dirs = (env.PATH ?? env.Path ?? '').split(path.delimiter).filter((d) => d !== '');
  const extensions = process.platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';') : [''];
  for (const dir of dirs) {
    for (const ext of extensions) {
      const candidate = path.join(dir, name + ext);
      try {
        fs.accessSync(candidate, fs.constants.X_OK);
        if (fs.statSync(candidate).isFile()) return candidate;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

/** The arguments of the tunnel: exactly the stack's connect command. */
export function cloudflaredArguments(hostname: string, localPort: number): string[] {
  return ['access', 'tcp', '--hostname', hostname, '--url', `127.0.0.1:${localPort}`];
}

/** A helper program that runs until stopped. */
export interface RunningProcess {
  /** Resolves with the exit code (or the signal's name) when the program ends. */
  readonly exited: Promise<number | string>;
  /** Stops the program (SIGTERM, then SIGKILL after 3 s) and waits for it. */
  stop(): Promise<void>;
}

/**
 * Starts a program whose output goes, line by line, to `onLine` with the stream it came from
 * (never straight to this process's stdout: that may be MCP's channel).
 */
export function startProcess(
  file: string,
  args: readonly string[],
  onLine: (line: string, from: 'stdout' | 'stderr') => void,
  spawnImpl: Spawn = nodeSpawn,
  env?: NodeJS.ProcessEnv,
): RunningProcess {
  // `env` hands a program its secrets (readable by the same user only), never its arguments (`ps` shows those to all).
  const child = spawnImpl(file, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    windowsHide: true,
    ...(env ? { env } : {}),
  });
  for (const [from, stream] of [
    ['stdout', child.stdout],
    ['stderr', child.stderr],
  ] as const) {
    let rest = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) onLine(line.replace(/\r$/, ''), from);
    });
    stream?.on('end', () => {
      if (rest !== '') onLine(rest, from);
      rest = '';
    });
  }
  const exited = new Promise<number | string>((resolve) => {
    child.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
    child.once('close', (code, signal) => resolve(code ?? signal ?? 'unknown'));
  });
  return {
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Resolves once something accepts connections on 127.0.0.1:`port`; rejects after `timeoutMs`. */
export async function waitForPort(port: number, timeoutMs: number, gaveUp: () => boolean = () => false): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ host: '127.0.0.1', port });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (gaveUp() || Date.now() > deadline) throw new Error(`nothing listens on 127.0.0.1:${port}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
