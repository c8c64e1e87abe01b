/**
 * `mcp-access fleet plan-matrix <head cdktf.out> [--base <base cdktf.out>]`: the stacks a change
 * touches, as JSON a CI matrix consumes, in the order they must be planned and applied (the Okta and
 * shared stacks, then the edges' foundations, then the cell stacks). A stack is touched when its
 * synthesized JSON differs between base and head, or it exists on one side only.
 */
import * as fs from 'fs';
import * as path from 'path';

/** Usage of `mcp-access fleet` (part of the command line's usage). */
export const FLEET_USAGE = `  mcp-access fleet plan-matrix <head cdktf.out> [--base <base cdktf.out>]
      Prints, as JSON for a CI matrix, the stacks a change touches (their cdk.tf.json differs, or
      they were added or removed), in waves: Okta and shared stacks, then foundations, then cells.
      Without --base every stack is touched.`;

/** A touched stack. */
export interface TouchedStack {
  readonly stack: string;
  readonly change: 'added' | 'changed' | 'removed';
}

/** The matrix: one `include` list per wave, plus all waves in order. */
export interface PlanMatrix {
  readonly shared: { readonly include: readonly TouchedStack[] };
  readonly foundations: { readonly include: readonly TouchedStack[] };
  readonly cells: { readonly include: readonly TouchedStack[] };
  /** True when nothing is touched (a workflow skips its plan jobs). */
  readonly empty: boolean;
}

/** The stacks of a cdktf.out folder: name -> the text of its cdk.tf.json. */
function stacksIn(outdir: string): Map<string, string> {
  const dir = path.join(outdir, 'stacks');
  if (!fs.existsSync(dir)) throw new Error(`${outdir} holds no stacks folder (synthesize first)`);
  const stacks = new Map<string, string>();
  for (const name of fs.readdirSync(dir).sort()) {
    const file = path.join(dir, name, 'cdk.tf.json');
    if (fs.existsSync(file)) stacks.set(name, fs.readFileSync(file, 'utf8'));
  }
  return stacks;
}

/** Which wave a stack belongs to, by the fleet's naming. */
export function waveOf(stack: string): keyof Omit<PlanMatrix, 'empty'> {
  if (stack.startsWith('foundation-')) return 'foundations';
  if (stack.startsWith('cells-')) return 'cells';
  return 'shared';
}

/** The plan matrix between two synthesized fleets (or of one, when `base` is undefined). */
export function planMatrix(head: string, base?: string): PlanMatrix {
  const after = stacksIn(head);
  const before = base === undefined ? new Map<string, string>() : stacksIn(base);
  const touched: TouchedStack[] = [];
  for (const [stack, text] of after) {
    const was = before.get(stack);
    if (was === undefined) touched.push({ stack, change: 'added' });
    else if (was !== text) touched.push({ stack, change: 'changed' });
  }
  for (const stack of before.keys()) if (!after.has(stack)) touched.push({ stack, change: 'removed' });
  touched.sort((a, b) => (a.stack < b.stack ? -1 : a.stack > b.stack ? 1 : 0));
  const wave = (w: keyof Omit<PlanMatrix, 'empty'>) => ({ include: touched.filter((t) => waveOf(t.stack) === w) });
  return {
    shared: wave('shared'),
    foundations: wave('foundations'),
    cells: wave('cells'),
    empty: touched.length === 0,
  };
}

/** Runs `mcp-access fleet ...`; returns the exit code (2 on usage errors). */
export function runFleetCommand(
  args: readonly string[],
  out: (text: string) => void,
  err: (text: string) => void,
): number {
  const [sub, ...rest] = args;
  if (sub !== 'plan-matrix') {
    err(`mcp-access fleet: unknown subcommand ${sub === undefined ? '(none)' : `'${sub}'`}\nusage:\n${FLEET_USAGE}`);
    return 2;
  }
  const positional: string[] = [];
  let base: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (arg === '--base' || arg.startsWith('--base=')) {
      base = arg.includes('=') ? arg.slice('--base='.length) : rest[++i];
      if (base === undefined || base === '') {
        err(`mcp-access fleet plan-matrix: --base needs a value\nusage:\n${FLEET_USAGE}`);
        return 2;
      }
    } else if (arg.startsWith('-')) {
      err(`mcp-access fleet plan-matrix: unknown option ${arg}\nusage:\n${FLEET_USAGE}`);
      return 2;
    } else positional.push(arg);
  }
  if (positional.length !== 1) {
    err(
      `mcp-access fleet plan-matrix: give exactly one head cdktf.out, but ${positional.length} were given\nusage:\n${FLEET_USAGE}`,
    );
    return 2;
  }
  try {
    out(JSON.stringify(planMatrix(positional[0], base)));
  } catch (e) {
    err(`mcp-access: ${(e as Error).message}`);
    return 2;
  }
  return 0;
}
