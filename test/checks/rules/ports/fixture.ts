import type { JsonObject } from '../../../../lib/model/stack';
import { SynthesizedStack } from '../../../../lib/model/stack';
import type { Evaluation, Rule } from '../../../../lib/checks/rule';
import { clone } from '../../../helpers';
import { workloadStack } from '../../../ports/fixtures';

export { clone };

let cached: JsonObject | undefined;

/** JSON of one tenant's LoopbackMcpDeployment with defaults (synthesized once per test file). */
export function ownJson(): JsonObject {
  cached ??= workloadStack(['acme']).json;
  return clone(cached);
}

/** Runs one rule on JSON. */
export function evaluate(rule: Rule, json: JsonObject): Evaluation[] {
  return rule.evaluate(new SynthesizedStack(json));
}

/** The evaluations that are not compliant. */
export function failures(rule: Rule, json: JsonObject): Evaluation[] {
  return evaluate(rule, json).filter((e) => e.status !== 'compliant');
}

/** The single resource body of a type in JSON (to tamper with). */
export function resourceOf(json: JsonObject, type: string, index = 0): JsonObject {
  const byName = ((json.resource as JsonObject)[type] ?? {}) as Record<string, JsonObject>;
  return Object.values(byName)[index];
}

/** The address of the single resource of a type. */
export function addressOf(json: JsonObject, type: string, index = 0): string {
  const byName = ((json.resource as JsonObject)[type] ?? {}) as Record<string, JsonObject>;
  return `${type}.${Object.keys(byName)[index]}`;
}

/** The pod spec of the deployment in JSON. */
export function podOf(json: JsonObject): JsonObject {
  const deployment = resourceOf(json, 'kubernetes_deployment_v1');
  return ((deployment.spec as JsonObject).template as JsonObject).spec as JsonObject;
}

/** A container of the deployment in JSON, by name. */
export function containerIn(json: JsonObject, name: string): JsonObject {
  const found = (podOf(json).container as JsonObject[]).find((c) => c.name === name);
  if (!found) throw new Error(`no container ${name}`);
  return found;
}

/** Adds a resource to JSON. */
export function addResource(json: JsonObject, type: string, name: string, body: JsonObject): void {
  const resource = (json.resource ??= {}) as JsonObject;
  const byName = (resource[type] ??= {}) as JsonObject;
  byName[name] = body;
}

/** Removes every resource of a type from JSON. */
export function removeType(json: JsonObject, type: string): void {
  delete (json.resource as JsonObject)[type];
}

/** Declares a variable in JSON, with a default when one is given. */
export function addVariable(json: JsonObject, name: string, defaultValue?: unknown): string {
  const variables = (json.variable ??= {}) as JsonObject;
  variables[name] = { type: 'any', ...(defaultValue === undefined ? {} : { default: defaultValue }) };
  return `\${var.${name}}`;
}

/** The details of the evaluations that are not compliant, as [status, detail]. */
export function problems(rule: Rule, json: JsonObject): [string, string | undefined][] {
  return failures(rule, json).map((e) => [e.status, e.detail]);
}
