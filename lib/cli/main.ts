#!/usr/bin/env node
import { runCheckCommand } from './check';
import { REVIEW_USAGE, runReviewCommand } from './review';

const USAGE = `usage:
  mcp-access check <cdktf.out | stack dir | cdk.tf.json>
      Runs the invariant rule pack on synthesized Terraform JSON; one line per finding.
      Exit 1 on any error finding.
${REVIEW_USAGE}`;

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

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
