/** Readers of Vault resources in synthesized JSON, shared by the MCP-SEC rules. */
import { isExpression } from './json';

export { booleanValue } from './json';
import type { SynthesizedStack } from './stack';

/** `${type.name.attr...}` or `${data.type.name.attr...}`, a whole value that is one reference. */
const SINGLE_REFERENCE =
  /^\$\{((?:data\.)?[a-z][a-z0-9_]*\.[A-Za-z_][A-Za-z0-9_-]*)((?:\.[A-Za-z_][A-Za-z0-9_]*|\[\d+\])+)\}$/;
const STEP = /\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]/g;

/** Follows an attribute path through a body; a block written as an object answers `[0]` itself. */
function walk(value: unknown, steps: string): unknown {
  let current = value;
  for (const m of steps.matchAll(STEP)) {
    if (m[1] !== undefined) {
      if (Array.isArray(current)) current = current[0];
      current =
        typeof current === 'object' && current !== null ? (current as Record<string, unknown>)[m[1]] : undefined;
    } else if (Array.isArray(current)) {
      current = current[Number(m[2])];
    } else if (Number(m[2]) !== 0) {
      current = undefined;
    }
  }
  return current;
}

/**
 * A string value as a literal: literals as they are, and a reference to an attribute that a
 * resource of the same stack sets to a literal (e.g. a namespace's `metadata[0].name`) resolved.
 * `expression` when it depends on anything known only at plan time; undefined when not a string.
 */
export function resolvedString(stack: SynthesizedStack, value: unknown, depth = 3): string | 'expression' | undefined {
  if (typeof value !== 'string') return undefined;
  if (!isExpression(value)) return value;
  const m = SINGLE_REFERENCE.exec(value);
  const target = m ? stack.find(m[1]) : undefined;
  if (!m || !target || depth === 0) return 'expression';
  const found = walk(target.body, m[2]);
  return typeof found === 'string' ? resolvedString(stack, found, depth - 1) : 'expression';
}

/** The address a value references when it is exactly one reference (`${type.name.attr}`). */
export function referencedAddress(value: unknown): string | undefined {
  return typeof value === 'string' ? SINGLE_REFERENCE.exec(value)?.[1] : undefined;
}
