import type { JsonObject } from '../../../../lib/model/stack';
import { SynthesizedStack } from '../../../../lib/model/stack';
import type { Evaluation, Rule } from '../../../../lib/checks/rule';
import { clone, rawJson, resourcesOf } from '../../../helpers';
import { auditStack } from '../../../audit/fixtures';

/** Raw JSON of the account Access log plus the given tenants' audit trails (computed once per list). */
const cache = new Map<string, JsonObject>();
export function auditJson(tenants: string[] = ['acme']): JsonObject {
  const key = tenants.join(',');
  if (!cache.has(key)) cache.set(key, rawJson(auditStack(tenants).stack));
  return clone(cache.get(key)!);
}

/** The one resource of a type whose body matches `pick` (name and body, live in `json`). */
export function resource(
  json: JsonObject,
  type: string,
  pick: (b: JsonObject) => boolean = () => true,
): [string, JsonObject] {
  const found = Object.entries(resourcesOf(json, type)).filter(([, b]) => pick(b));
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0];
}

/** Adds a resource to raw JSON. */
export function addResource(json: JsonObject, type: string, name: string, body: JsonObject): void {
  const resources = (json.resource ?? (json.resource = {})) as Record<string, Record<string, JsonObject>>;
  (resources[type] ?? (resources[type] = {}))[name] = body;
}

/** Removes every resource of a type whose body matches `pick`. */
export function removeResources(json: JsonObject, type: string, pick: (b: JsonObject) => boolean): void {
  const resources = resourcesOf(json, type);
  for (const [name, body] of Object.entries(resources)) if (pick(body)) delete resources[name];
}

/** Runs a rule on raw JSON. */
export function run(rule: Rule, json: JsonObject): Evaluation[] {
  return rule.evaluate(new SynthesizedStack(json));
}

/** The evaluations that are not compliant. */
export function notCompliant(results: Evaluation[]): Evaluation[] {
  return results.filter((r) => r.status !== 'compliant');
}

/** The name of the lock rule list of the bucket named `name` (tenant buckets: `mcp-audit-<t>`). */
export function lockOf(json: JsonObject, bucketName: string): JsonObject {
  const [address] = resource(json, 'cloudflare_r2_bucket', (b) => b.name === bucketName);
  return resource(json, 'cloudflare_r2_bucket_lock', (l) => String(l.bucket_name).includes(`.${address}.`))[1];
}
