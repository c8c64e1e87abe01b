import type { Evaluation, Rule } from '../../../../lib/checks/rule';
import { type JsonObject, SynthesizedStack } from '../../../../lib/model/stack';

/** Runs one rule on raw JSON. */
export function evaluate(rule: Rule, json: JsonObject): Evaluation[] {
  return rule.evaluate(new SynthesizedStack(json));
}

/** Only the evaluations that are not compliant, as `[status, detail]`. */
export function problems(results: readonly Evaluation[]): [string, string | undefined][] {
  return results.filter((r) => r.status !== 'compliant').map((r) => [r.status, r.detail]);
}

/** A stack's JSON holding just these resources (`type -> name -> body`), with no library metadata. */
export function plainStack(resources: Record<string, Record<string, JsonObject>>): JsonObject {
  return { resource: resources };
}

/** The body of the resource of `type` whose name starts with `prefix`, inside raw JSON (for tampering). */
export function bodyOf(json: JsonObject, type: string, prefix: string): JsonObject {
  const all = (json.resource as Record<string, Record<string, JsonObject>>)[type];
  const names = Object.keys(all).filter((n) => n.startsWith(prefix));
  if (names.length !== 1) throw new Error(`expected one ${type} named ${prefix}*, found ${names.length}`);
  return all[names[0]];
}
