import * as fs from 'fs';
import * as path from 'path';
import { isObject, type JsonObject } from '../model/json';
import { SynthesizedApp, type SynthesizedStack } from '../model/stack';
import { buildReview } from '../review/build';
import { renderJson } from '../review/json';
import { renderMarkdown } from '../review/markdown';
import { REVIEW_EXIT, type UnchangedStack } from '../review/model';
import { findStacks, type StackFile } from './check';

/** Usage of `mcp-access review` (part of the command line's usage). */
export const REVIEW_USAGE = `  mcp-access review <cdktf.out | stack dir | cdk.tf.json> [--base <cdktf.out | stack dir | cdk.tf.json>] [--format markdown|json] [--full]
      A five-layer security report for a pull request (Markdown on stdout): per tenant the settings of
      each layer and the rule findings, tenants that hold the default posture summarized in one line
      per stack. With --base, every change is classified (weakened, strengthened, neutral, or
      unclassified when the review has no comparator for it), one line per change that needs a
      security reviewer. Stacks of a cdktf.out identical to the base, as are the stacks they read,
      are summarized in one line and not read again; --full reads and checks every stack.
      Exit codes:
        0  clean: no error finding, nothing destroyed, nothing weakened or unclassified
        1  blocking: an error finding, or a data-bearing resource removed, renamed without a moved
           block, or replaced (the change must not merge)
        2  usage error, or a target that does not exist or holds no cdk.tf.json
        3  needs a security reviewer: a weakened or unclassified change (a shortened retention, a
           new tenant that deviates from the default posture included); 1 wins over 3`;

/** The parsed arguments of `mcp-access review`. */
export interface ReviewArguments {
  readonly head: string;
  readonly base?: string;
  readonly format: 'markdown' | 'json';
  /** Read and check every stack, even those identical to the base. */
  readonly full: boolean;
}

const FORMATS = ['markdown', 'json'] as const;

/** Parses `review` arguments; a string is the usage problem. */
export function parseReviewArguments(args: readonly string[]): ReviewArguments | string {
  const positional: string[] = [];
  let base: string | undefined;
  let format: string = 'markdown';
  let full = false;
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
    } else if (flag === '--full' && inline === undefined) {
      full = true;
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
  return { head: positional[0], base, format: format as ReviewArguments['format'], full };
}

/** A synthesized output on disk: its stacks' files and, for a cdktf.out, each stack's dependencies. */
interface Side {
  readonly stacks: readonly StackFile[];
  readonly files: ReadonlyMap<string, string>;
  /** Stacks each stack reads (cdktf's manifest); undefined without a manifest. */
  readonly dependencies?: ReadonlyMap<string, readonly string[]>;
}

function readSide(target: string): Side {
  const stacks = findStacks(target);
  const files = new Map(stacks.map((s) => [s.name, s.file]));
  const manifestFile = path.join(target, 'manifest.json');
  let dependencies: Map<string, readonly string[]> | undefined;
  if (fs.statSync(target).isDirectory() && fs.existsSync(manifestFile)) {
    try {
      const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as JsonObject;
      const entries = isObject(manifest.stacks) ? Object.entries(manifest.stacks) : [];
      dependencies = new Map(
        entries.map(([name, entry]) => [
          name,
          isObject(entry) && Array.isArray(entry.dependencies) ? entry.dependencies.map(String) : [],
        ]),
      );
      // A manifest that does not list every stack cannot tell what a stack reads.
      if (stacks.some((s) => !dependencies?.has(s.name))) dependencies = undefined;
    } catch {
      dependencies = undefined;
    }
  }
  return { stacks, files, dependencies };
}

function parse(side: Side, name: string): JsonObject {
  const file = side.files.get(name) as string;
  const text = fs.readFileSync(file, 'utf8');
  try {
    return JSON.parse(text) as JsonObject;
  } catch (e) {
    throw new Error(`${file} is not valid JSON: ${(e as Error).message}`);
  }
}

/** True when two files hold the same bytes (sizes first, so most changed files are never read). */
function sameFile(a: string, b: string): { same: boolean; bytes?: Buffer } {
  if (fs.statSync(a).size !== fs.statSync(b).size) return { same: false };
  const bytes = fs.readFileSync(a);
  return { same: bytes.equals(fs.readFileSync(b)), bytes };
}

/** The stack's tenants from the `"//"` block cdktf writes first, without parsing the whole stack. */
export function leadingTenantCount(bytes: Buffer): number | null {
  // The block holds a line per tenant and construct path: a few kB for a cell stack of 50 tenants.
  for (let size = 64 * 1024; ; size *= 4) {
    const found = leadingComment(bytes.toString('utf8', 0, Math.min(bytes.length, size)));
    if (found !== undefined) return found;
    if (size >= bytes.length || size >= 16 * 1024 * 1024) return null;
  }
}

/** The tenant count of a `"//"` block at the start of `text`; undefined when the block does not end in it; null when unreadable. */
function leadingComment(text: string): number | null | undefined {
  const start = /^\s*\{\s*"\/\/"\s*:\s*\{/.exec(text);
  if (!start) return null;
  let depth = 0;
  let inString = false;
  const open = start[0].length - 1;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) {
      try {
        const comment = JSON.parse(text.slice(open, i + 1)) as JsonObject;
        const access = isObject(comment.mcp_access) ? comment.mcp_access : {};
        return isObject(access.tenants) ? Object.keys(access.tenants).length : 0;
      } catch {
        return null;
      }
    }
  }
  return undefined;
}

/** `names` and every stack they read, transitively. */
function withDependencies(names: Iterable<string>, dependencies: ReadonlyMap<string, readonly string[]>): Set<string> {
  const all = new Set<string>();
  const visit = (n: string): void => {
    if (all.has(n)) return;
    all.add(n);
    for (const d of dependencies.get(n) ?? []) visit(d);
  };
  for (const n of names) visit(n);
  return all;
}

/** What to read of each side: every stack, or (a cdktf.out against its base) only what changed and what that reads. */
interface Plan {
  readonly head: readonly string[];
  readonly base: readonly string[];
  readonly only?: ReadonlySet<string>;
  readonly unchanged: readonly UnchangedStack[];
}

function plan(head: Side, base: Side | undefined, full: boolean): Plan {
  const all = { head: head.stacks.map((s) => s.name), base: base?.stacks.map((s) => s.name) ?? [], unchanged: [] };
  if (!base || full || !head.dependencies || head.stacks.length < 2) return all;
  const deps = head.dependencies;
  // One pass over the files, two at a time: a 10,000-tenant fleet is never held in memory whole.
  const identical = new Set<string>();
  const counts = new Map<string, number | null>();
  for (const { name, file } of head.stacks) {
    const other = base.files.get(name);
    if (other === undefined) continue;
    const { same, bytes } = sameFile(file, other);
    if (!same) continue;
    identical.add(name);
    counts.set(name, leadingTenantCount(bytes as Buffer));
  }
  const names = head.stacks.map((s) => s.name);
  const unchangedNames = names.filter((name) => [...withDependencies([name], deps)].every((n) => identical.has(n)));
  const unchangedSet = new Set(unchangedNames);
  const review = names.filter((n) => !unchangedSet.has(n));
  const readHead = withDependencies(review, deps);
  // One unchanged stack with tenants, preferably one that reads the same stacks as a reviewed one:
  // the tenants a change adds are judged against the posture of tenants already deployed.
  const inputs = (n: string) => JSON.stringify([...(deps.get(n) ?? [])].sort());
  const reviewedInputs = new Set(review.map(inputs));
  const withTenants = unchangedNames.filter((n) => (counts.get(n) ?? 0) > 0);
  const reference = withTenants.find((n) => reviewedInputs.has(inputs(n))) ?? withTenants[0];
  if (reference !== undefined && review.length > 0) {
    for (const n of withDependencies([reference], deps)) readHead.add(n);
  }
  const readBase = withDependencies(
    review.filter((n) => base.files.has(n)),
    base.dependencies ?? deps,
  );
  return {
    head: names.filter((n) => readHead.has(n)),
    // Stacks only the base has are read to be named as removed.
    base: base.stacks.map((s) => s.name).filter((n) => readBase.has(n) || !head.files.has(n)),
    only: new Set(review),
    unchanged: unchangedNames.map((stack) => ({ stack, tenants: counts.get(stack) ?? null })),
  };
}

function load(side: Side, names: readonly string[]): readonly SynthesizedStack[] {
  return new SynthesizedApp(names.map((name) => ({ name, json: parse(side, name) }))).stacks;
}

/**
 * `mcp-access review <target> [--base <target>] [--format markdown|json] [--full]`: prints the
 * review; returns the exit code (0 clean, 1 blocking, 2 usage errors, 3 needs a security reviewer).
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
    return REVIEW_EXIT.usage;
  }
  let head: readonly SynthesizedStack[];
  let base: readonly SynthesizedStack[] | undefined;
  let chosen: Plan;
  try {
    const headSide = readSide(parsed.head);
    const baseSide = parsed.base === undefined ? undefined : readSide(parsed.base);
    chosen = plan(headSide, baseSide, parsed.full);
    head = load(headSide, chosen.head);
    base = baseSide ? load(baseSide, chosen.base) : undefined;
  } catch (e) {
    err(`mcp-access: ${(e as Error).message}`);
    return REVIEW_EXIT.usage;
  }
  const review = buildReview(head, base, { only: chosen.only, unchanged: chosen.unchanged });
  // The printer adds the final newline.
  out((parsed.format === 'json' ? renderJson(review) : renderMarkdown(review)).replace(/\n$/, ''));
  return review.exitCode;
}
