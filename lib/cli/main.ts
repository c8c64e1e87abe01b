#!/usr/bin/env node
import { runCheckCommand } from './check';
import { CONNECT_USAGE } from './connect/args';
import { AUDIT_USAGE, runAuditCommand } from './connect/audit-tail';
import { FLEET_USAGE, runFleetCommand } from './fleet';
import { REVIEW_USAGE, runReviewCommand } from './review';

const USAGE = `usage:
  mcp-access check <cdktf.out | stack dir | cdk.tf.json>
      Runs the invariant rule pack on synthesized Terraform JSON; one line per finding.
      Exit 1 on any error finding.
${REVIEW_USAGE}
${FLEET_USAGE}
${CONNECT_USAGE}
${AUDIT_USAGE}`;

/** Runs the command line; returns the exit code. */
export function main(
  argv: readonly string[],
  out = (l: string) => console.log(l),
  err = (l: string) => console.error(l),
): number {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'check':
        if (rest.length !== 1) break;
        return runCheckCommand(rest[0], out);
      case 'review':
        return runReviewCommand(rest, out, err);
      case 'fleet':
        return runFleetCommand(rest, out, err);
      case '--help':
      case '-h':
      case 'help':
        out(USAGE);
        return 0;
      default:
        break;
    }
  } catch (e) {
    err(`mcp-access: ${(e as Error).message}`);
    return 2;
  }
  err(USAGE);
  return 2;
}

/** The commands that run until stopped: `connect` (a session) and `audit tail` (a follow). */
const LONG_RUNNING = ['connect', 'audit'];

/**
 * Runs every command, the long-running ones too; resolves with the exit code. SIGINT and SIGTERM
 * end a long-running command cleanly (its tunnel stopped, its tokens revoked and dropped).
 */
export async function run(
  argv: readonly string[],
  out = (l: string) => console.log(l),
  err = (l: string) => console.error(l),
): Promise<number> {
  const [command, ...rest] = argv;
  if (!LONG_RUNNING.includes(command)) return main(argv, out, err);
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    if (command === 'audit') return await runAuditCommand(rest, { out, err, signal: stop.signal });
    // Loaded on use: the MCP SDK is not needed by check and review.
    const { runConnectCommand } = await import('./connect');
    return await runConnectCommand(rest, { out, err, signal: stop.signal });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

if (require.main === module) {
  const [command] = process.argv.slice(2);
  if (LONG_RUNNING.includes(command)) {
    void run(process.argv.slice(2)).then((code) => {
      process.exitCode = code;
      // Idle keep-alive sockets must not hold a finished session open.
      setTimeout(() => process.exit(code), 1_000).unref();
    });
  } else {
    process.exitCode = main(process.argv.slice(2));
  }
}
