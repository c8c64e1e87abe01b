/**
 * How the MCP-K8S rules read values: references are already followed by the model (lib/model/pods);
 * what is still an expression is recorded on the verdict as undecided (an error for an error rule)
 * with the reason, never passed.
 */
import { block, isExpression, type JsonObject } from '../../../model/json';
import type { SynthesizedStack } from '../../../model/stack';
import { whyUnreadable, type WorkloadView } from '../../../model/pods';
import { Verdict } from '../../verdict';

/** Marks a value the rule could not read (already recorded on the verdict). */
export const UNREADABLE: unique symbol = Symbol('unreadable');
export type Unreadable = typeof UNREADABLE;

/**
 * The value, or UNREADABLE when it is an expression the model could not follow (recorded as
 * undecided: `<what> cannot be read (<why>)`).
 */
export function literal(stack: SynthesizedStack, verdict: Verdict, what: string, value: unknown): unknown {
  if (!isExpression(value)) return value;
  verdict.undecided(`${what} cannot be read (${whyUnreadable(stack, value)})`);
  return UNREADABLE;
}

/**
 * A verdict on a workload that starts with what of it the rules cannot read (a `dynamic` block, a
 * block written as an expression): every pod rule is undecided on those.
 */
export function workloadVerdict(workload: WorkloadView): Verdict {
  const verdict = new Verdict(workload.entry.address);
  for (const why of workload.unreadable) verdict.undecided(why);
  return verdict;
}

/** A value for a message: strings quoted, anything else as JSON. */
export function shown(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : JSON.stringify(value);
}

/**
 * A list of strings (a single string counts as a list of one; absent is empty), or UNREADABLE when
 * the list or one of its members is an expression the model could not follow (recorded).
 */
export function literalList(
  stack: SynthesizedStack,
  verdict: Verdict,
  what: string,
  value: unknown,
): string[] | Unreadable {
  const list = literal(stack, verdict, what, value);
  if (list === UNREADABLE) return UNREADABLE;
  const items = Array.isArray(list) ? list : list === undefined || list === null ? [] : [list];
  let readable = true;
  const out: string[] = [];
  items.forEach((item, i) => {
    const v = literal(stack, verdict, `${what}[${i}]`, item);
    if (v === UNREADABLE) readable = false;
    else out.push(String(v));
  });
  return readable ? out : UNREADABLE;
}

/**
 * A nested block, or UNREADABLE when it is an expression (the workload's verdict already records it
 * as undecided: see {@link workloadVerdict}), so that its attributes are not judged as missing.
 */
export function blockOf(value: unknown): JsonObject | Unreadable {
  return isExpression(value) ? UNREADABLE : block(value);
}
