import type { Evaluation, Rule } from '../../../../lib/checks/rule';
import { type JsonObject, SynthesizedApp, SynthesizedStack } from '../../../../lib/model/stack';

/** Runs one rule on raw JSON (an app of one stack). */
export function evaluate(rule: Rule, json: JsonObject): Evaluation[] {
  return rule.evaluate(new SynthesizedStack(json));
}

/** Runs one rule on the stack `name` of an app of several stacks (references between them followed). */
export function evaluateIn(rule: Rule, stacks: Record<string, JsonObject>, name: string): Evaluation[] {
  const app = new SynthesizedApp(Object.entries(stacks).map(([n, json]) => ({ name: n, json })));
  const stack = app.stack(name);
  if (!stack) throw new Error(`no stack ${name}`);
  return rule.evaluate(stack);
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
  const names = Object.keys(all ?? {}).filter((n) => n.startsWith(prefix));
  if (names.length !== 1) throw new Error(`expected one ${type} named ${prefix}*, found ${names.length}`);
  return all[names[0]];
}

/** Adds (or replaces) a resource in raw JSON. */
export function addResource(json: JsonObject, type: string, name: string, body: JsonObject): void {
  const resource = (json.resource ??= {}) as Record<string, Record<string, JsonObject>>;
  (resource[type] ??= {})[name] = body;
}

/** The MCP audience of a tenant, as the identity layer makes it. */
export function mcpAudience(tenant: string): string {
  return `https://${tenant}.mcp.example.com/mcp`;
}

/** Adds a tenant's Okta authorization server (`mcp-<t>`, one MCP audience) to raw JSON. */
export function addMcpAuthServer(json: JsonObject, tenant: string): void {
  addResource(json, 'okta_auth_server', `mcp_${tenant}`, { name: `mcp-${tenant}`, audiences: [mcpAudience(tenant)] });
}

/** Adds an MCP Deployment in `mcp-<t>` whose MCP container has `env` (name -> value, or a raw env entry). */
export function addMcpDeployment(json: JsonObject, tenant: string, env: Record<string, unknown>): void {
  addResource(json, 'kubernetes_deployment_v1', `mcp_${tenant}`, {
    metadata: [{ name: 'mcp', namespace: `mcp-${tenant}` }],
    spec: [
      {
        template: [
          {
            metadata: [{ labels: { app: 'mcp' } }],
            spec: [
              {
                container: [
                  {
                    name: 'mcp-server',
                    image: 'ghcr.io/example/mcp@sha256:' + 'ab12'.repeat(16),
                    env: Object.entries(env).map(([name, value]) =>
                      typeof value === 'object' && value !== null ? { name, ...value } : { name, value },
                    ),
                  },
                ],
              },
            ],
          },
        ],
      },
    ],
  });
}
