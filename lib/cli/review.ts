import { SynthesizedApp, type SynthesizedStack } from '../model/stack';
import { buildReview } from '../review/build';
import { renderJson } from '../review/json';
import { renderMarkdown } from '../review/markdown';
import { findStacks, readStack } from './check';

/** Usage of `mcp-access review` (part of the command line's usage). */
export const REVIEW_USAGE = `  mcp-access review <cdktf.out | stack dir | cdk.tf.json> [--base <cdktf.out | stack dir | cdk.tf.json>] [--format markdown|json]
      A five-layer security report for a pull request (Markdown on stdout): per tenant the settings of
      each layer and the rule findings; with --base, every change classified (weakened, strengthened,
      neutral, or unclassified), weakened and unclassified changes and destroyed data-bearing
      resources first. Exit codes: 0 clean; 1 blocking (error findings, or a data-bearing resource
      removed, renamed without a moved block, or replaced); 3 needs a security reviewer (a weakened
      or unclassified change, a shortened retention included); 2 usage errors.`;

/** The parsed arguments of `mcp-access review`. */
export interface ReviewArguments {
  readonly head: string;
  readonly base?: string;
  readonly format: 'markdown' | 'json';
}

const FORMATS = ['markdown', 'json'] as const;

/** Parses `review` arguments; a string is the usage problem. */
export function parseReviewArguments(args: readonly string[]): ReviewArguments | string {
  const positional: string[] = [];
  let base: string | undefined;
  let format: string = 'markdown';
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const [flag, inline] =
      arg.startsWith('--') && arg.includes('=')
        ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
        : [arg, undefined];
    if (flag === '--base' || flag === '--format') {
      const value = inline ?? args[++i];
      if (value === undefined || value === '' || (inline === undefined && value.startsWith('--'))) {
        return `${flag} needs a value`;
      }
      if (flag === '--base') base = value;
      else format = value;
    } else if (arg.startsWith('-')) {
      return `unknown option ${arg}`;
    } else {
      positional.push(arg);
    }
  }
  if (positional.length !== 1) return `give exactly one stack to review, but ${positional.length} were given`;
  if (!(FORMATS as readonly string[]).includes(format)) {
    return `--format must be one of ${FORMATS.join(', ')}, but ${format} was provided`;
  }
  return { head: positional[0], base, format: format as ReviewArguments['format'] };
}

/** The stacks at `target`, as one app: references between them are followed. */
function loadStacks(target: string): readonly SynthesizedStack[] {
  return new SynthesizedApp(findStacks(target).map((s) => ({ name: s.name, json: readStack(s.file) }))).stacks;
}

/**
 * `mcp-access review <target> [--base <target>] [--format markdown|json]`: prints the review; returns
 * the exit code (0 clean, 1 blocking, 2 usage errors, 3 needs a security reviewer).
 */
export function runReviewCommand(
  args: readonly string[],
  out: (text: string) => void,
  err: (text: string) => void,
): number {
  const parsed = parseReviewArguments(args);
  if (typeof parsed === 'string') {
    err(`mcp-access review: ${parsed}`);
    err(`usage:\n${REVIEW_USAGE}`);
    return 2;
  }
  let head: readonly SynthesizedStack[];
  let base: readonly SynthesizedStack[] | undefined;
  try {
    head = loadStacks(parsed.head);
    base = parsed.base === undefined ? undefined : loadStacks(parsed.base);
  } catch (e) {
    err(`mcp-access: ${(e as Error).message}`);
    return 2;
  }
  const review = buildReview(head, base);
  // The printer adds the final newline.
  out((parsed.format === 'json' ? renderJson(review) : renderMarkdown(review)).replace(/\n$/, ''));
  return review.exitCode;
}
