/**
 * A hand-over point between the explicit fast-synth opt-in and the rule pack, which may not import
 * each other: when an opted-in app writes a stack, the opt-in remembers the JSON object cdktf wrote,
 * so that the pack reads that object instead of reading the file back and parsing it again. Without
 * the opt-in nothing is remembered and the pack reads the file.
 */
import type { IConstruct } from './cdktf';

const remembered = new WeakMap<IConstruct, Record<string, unknown>>();

/** Remembers the JSON object just computed for `stack` (replacing an earlier one). */
export function rememberSynthesizedJson(stack: IConstruct, json: Record<string, unknown>): void {
  remembered.set(stack, json);
}

/** Takes (and forgets) the JSON object remembered for `stack`, if any. */
export function takeSynthesizedJson(stack: IConstruct): Record<string, unknown> | undefined {
  const json = remembered.get(stack);
  remembered.delete(stack);
  return json;
}
