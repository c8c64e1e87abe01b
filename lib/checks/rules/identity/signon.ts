/** Readers of sign-on (authentication) policy rules shared by MCP-ID-6, MCP-ID-7 and MCP-ID-10. */
import { isObject } from '../../../model/json';
import { readBoolean, readList, readString } from '../../../model/okta';
import type { ResourceEntry, SynthesizedStack } from '../../../model/stack';
import type { Verdict } from '../../verdict';

/**
 * Whether a sign-on rule admits anyone: rules that are INACTIVE or DENY admit nobody and need no
 * factor. `undefined` with the verdict told when status or access cannot be read.
 */
export function admits(stack: SynthesizedStack, rule: ResourceEntry, verdict: Verdict): boolean | undefined {
  const status = readString(stack, rule.body.status);
  const access = readString(stack, rule.body.access);
  if (status.kind === 'string' && status.value === 'INACTIVE') return false;
  if (access.kind === 'string' && access.value === 'DENY') return false;
  let known = true;
  if (status.kind === 'unknown' || status.kind === 'other') {
    verdict.undecided(`status: ${status.kind === 'unknown' ? status.why : 'not a string'}`);
    known = false;
  }
  if (access.kind === 'unknown' || access.kind === 'other') {
    verdict.undecided(`access: ${access.kind === 'unknown' ? access.why : 'not a string'}`);
    known = false;
  }
  return known ? true : undefined;
}

/** One constraint object of a sign-on rule, parsed: its JSON, or why it cannot be read. */
export type ParsedConstraint =
  | { readonly at: string; readonly json: Record<string, unknown> }
  | { readonly at: string; readonly unknown: string }
  | { readonly at: string; readonly invalid: string };

/**
 * The constraint objects of a sign-on rule (`constraints` is a list of JSON strings; Okta admits a
 * user who satisfies any one of them), or `undefined` when the list itself cannot be read.
 */
export function constraintsOf(
  stack: SynthesizedStack,
  rule: ResourceEntry,
): { readonly absent: boolean; readonly objects: readonly ParsedConstraint[]; readonly unknown?: string } {
  // A list written out keeps its positions, so that a message names the right index.
  let members: readonly unknown[];
  if (Array.isArray(rule.body.constraints)) members = rule.body.constraints;
  else {
    const list = readList(stack, rule.body.constraints);
    if (list.unknowns.length > 0)
      return { absent: false, objects: [], unknown: `constraints: ${list.unknowns.join('; ')}` };
    members = list.values;
  }
  const objects: ParsedConstraint[] = [];
  members.forEach((member, i) => {
    const at = `constraints[${i}]`;
    const text = readString(stack, member);
    if (text.kind === 'unknown') objects.push({ at, unknown: `${at}: ${text.why}` });
    else if (text.kind !== 'string') objects.push({ at, unknown: `${at} is not a JSON string` });
    else {
      try {
        const json: unknown = JSON.parse(text.value);
        if (isObject(json)) objects.push({ at, json });
        else objects.push({ at, invalid: `${at} is not a JSON object` });
      } catch {
        objects.push({ at, invalid: `${at} is not JSON` });
      }
    }
  });
  return { absent: objects.length === 0, objects };
}

/** Records that a sign-on policy's catch-all rule must deny (`catch_all = false`; the provider defaults to true). */
export function judgeCatchAll(stack: SynthesizedStack, policy: ResourceEntry, verdict: Verdict): void {
  const catchAll = readBoolean(stack, policy.body.catch_all);
  if (catchAll.kind === 'unknown') {
    verdict.undecided(`catch_all: ${catchAll.why}`);
    return;
  }
  const shown =
    catchAll.kind === 'boolean'
      ? String(catchAll.value)
      : catchAll.kind === 'absent'
        ? 'not set (defaults to true)'
        : catchAll.text;
  verdict.expect(
    catchAll.kind === 'boolean' && !catchAll.value,
    `catch_all is ${shown}: the catch-all rule admits whoever no rule matches`,
  );
}
