/**
 * `synthesize(app)`: what an app's `main.ts` calls instead of `app.synth()` to print the rule pack's
 * errors once, plainly, and exit 1, rather than a stack trace that ends in cdktf's advice to skip
 * validations (never do: the rule pack is a validation).
 */
import { type App, TerraformStack } from '../core/cdktf';
import { ValidationError } from '../core/validation';

/** Where the messages go (stderr), and how the process ends; a seam for tests. */
export interface SynthesizeIo {
  readonly error: (line: string) => void;
  readonly exit: (code: number) => void;
  /** Where the one success line goes (stdout). */
  readonly log?: (line: string) => void;
}

const processIo: SynthesizeIo = {
  log: (line) => process.stdout.write(`${line}\n`),
  error: (line) => process.stderr.write(`${line}\n`),
  exit: (code) => {
    process.exitCode = code;
  },
};

/** The finding lines of cdktf's validation error (`[path] MCP-... error ...`), without its advice. */
export function validationLines(message: string): string[] {
  return message
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('['));
}

/**
 * Builds (when given a function) and synthesizes an app; on failure prints what failed (a construct's
 * invalid props, or the rule pack's errors), once and without a stack trace, and sets exit code 1.
 * A function that synthesizes by itself (such as a fleet's `synthesizeFleet`) returns nothing.
 * Returns whether synth succeeded.
 */
export function synthesize(app: App | (() => App | void), io: SynthesizeIo = processIo): boolean {
  try {
    const built = typeof app === 'function' ? app() : app;
    if (built) {
      built.synth();
      const stacks = built.node.children.filter((c) => TerraformStack.isStack(c)).map((c) => c.node.id);
      io.log?.(`Synthesized ${stacks.join(', ')} into ${built.outdir}`);
    }
    return true;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const findings = validationLines(message);
    if (e instanceof ValidationError) {
      io.error(`mcp-access: ${message}`);
    } else if (findings.length > 0) {
      io.error(
        `mcp-access: synth refused: ${findings.length} error${findings.length === 1 ? '' : 's'} (each names its fix; RULES.md explains the rule):`,
      );
      for (const line of findings) io.error(`  ${line}`);
    } else {
      io.error(`mcp-access: synth failed: ${message}`);
    }
    io.exit(1);
    return false;
  }
}
