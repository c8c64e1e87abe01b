/** How the MCP-SEC rules judge one attribute: read it through references, then hold it to an allow-list. */
import { asBoolean, asNumber, readFrom, readValue } from '../../../model/vault';
import type { SynthesizedStack } from '../../../model/stack';
import type { Verdict } from '../../verdict';

/**
 * A numeric attribute, followed through references: `missing` is the problem when it is not set
 * (null: not setting it is fine), an unreadable value is undecided, and `ok` judges the number.
 * Returns the number when it was read.
 */
export function judgeNumber(
  verdict: Verdict,
  stack: SynthesizedStack,
  name: string,
  raw: unknown,
  ok: (n: number) => boolean,
  bound: string,
  missing: string | null = `${name} is not set`,
): number | undefined {
  const read = readValue(stack, raw);
  if (!read.ok) {
    verdict.undecided(`${name} cannot be read: ${read.why}`);
    return undefined;
  }
  if (read.value === undefined || read.value === null) {
    if (missing !== null) verdict.fail(missing);
    return undefined;
  }
  const n = asNumber(read.value);
  if (n === undefined) verdict.fail(`${name} is ${JSON.stringify(read.value)}${readFrom(raw)} (a number: ${bound})`);
  else if (!ok(n)) verdict.fail(`${name} is ${n}${readFrom(raw)} (${bound})`);
  return n;
}

/**
 * A boolean attribute that must be `expected` or unset (when `unset` is that value's default):
 * followed through references; unreadable is undecided.
 */
export function judgeBoolean(
  verdict: Verdict,
  stack: SynthesizedStack,
  name: string,
  raw: unknown,
  expected: boolean,
  why: string,
  unsetIsExpected = true,
): void {
  const read = readValue(stack, raw);
  if (!read.ok) {
    verdict.undecided(`${name} cannot be read: ${read.why}`);
    return;
  }
  if (read.value === undefined || read.value === null) {
    if (!unsetIsExpected) verdict.fail(`${name} is not set (it must be ${expected}: ${why})`);
    return;
  }
  const b = asBoolean(read.value);
  const allowed = `${expected}${unsetIsExpected ? ' or unset' : ''}`;
  if (b !== expected)
    verdict.fail(`${name} is ${JSON.stringify(read.value)}${readFrom(raw)} (it must be ${allowed}: ${why})`);
}

/** A string attribute read through references: the literal, `undefined` when unset, or `null` when undecided. */
export function readString(
  verdict: Verdict,
  stack: SynthesizedStack,
  name: string,
  raw: unknown,
): string | undefined | null {
  const read = readValue(stack, raw);
  if (!read.ok) {
    verdict.undecided(`${name} cannot be read: ${read.why}`);
    return null;
  }
  if (read.value === undefined || read.value === null) return undefined;
  if (typeof read.value !== 'string') {
    verdict.fail(`${name} is ${JSON.stringify(read.value)}${readFrom(raw)} (a string)`);
    return null;
  }
  return read.value;
}

/**
 * A list of strings read through references (the list and each member): each member's literal, or
 * `null` for a member that cannot be read (recorded as undecided); `null` for the whole list when
 * it cannot be read. Unset is an empty list.
 */
export function readStringList(
  verdict: Verdict,
  stack: SynthesizedStack,
  name: string,
  raw: unknown,
): (string | null)[] | null {
  const read = readValue(stack, raw);
  if (!read.ok) {
    verdict.undecided(`${name} cannot be read: ${read.why}`);
    return null;
  }
  if (read.value === undefined || read.value === null) return [];
  const members = Array.isArray(read.value) ? read.value : [read.value];
  return members.map((member, i) => readString(verdict, stack, `${name}[${i}]`, member) ?? null);
}

/** The members of a list that could be read. */
export function known(list: readonly (string | null)[]): string[] {
  return list.filter((m): m is string => m !== null);
}
