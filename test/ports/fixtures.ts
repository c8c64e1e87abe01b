import { type TerraformStack, TerraformVariable } from '../../lib/core/cdktf';
import type { Finding } from '../../lib/checks/engine';
import type { JsonObject } from '../../lib/model/stack';
import { McpAccessChecks } from '../../lib/checks/pack';
import { LoopbackMcpDeployment, type LoopbackMcpDeploymentProps } from '../../lib/ports';
import { bodiesOf, DIGEST, newStack, rawJson, resourcesOf } from '../helpers';

export const MCP_IMAGE = `ghcr.io/acme/mcp@${DIGEST}`;
export const HEALTH_COMMAND = ['/mcp-server', 'healthcheck'];

/** The tunnel token of a tenant, as the transport layer hands it over: a sensitive reference. */
export function tunnelTokenOf(stack: TerraformStack, tenantId: string): string {
  const id = `tunnel_token_${tenantId.replace(/-/g, '_')}`;
  const existing = stack.node.tryFindChild(id) as TerraformVariable | undefined;
  return (existing ?? new TerraformVariable(stack, id, { type: 'string', sensitive: true })).stringValue;
}

/** Valid props for one tenant. */
export function workloadProps(
  stack: TerraformStack,
  tenantId = 'acme',
  overrides: Partial<LoopbackMcpDeploymentProps> = {},
): LoopbackMcpDeploymentProps {
  return {
    tenantId,
    image: MCP_IMAGE,
    port: 8080,
    healthCommand: HEALTH_COMMAND,
    tunnelToken: tunnelTokenOf(stack, tenantId),
    identity: {
      issuer: `https://example.okta.com/oauth2/aus${tenantId}`,
      audience: `https://${tenantId}.mcp.example.com/mcp`,
    },
    vault: { address: 'https://vault.example.com:8200' },
    ...overrides,
  };
}

/**
 * Each tenant's own laptop port, from its id (tenants may not share one: MCP-TEN-1); acme keeps the
 * default 7700.
 */
export function localPortOf(tenantId: string): number {
  const known: Record<string, number> = { acme: 7700, globex: 7701, initech: 7702 };
  return known[tenantId] ?? 7800 + ([...tenantId].reduce((sum, c) => sum + c.charCodeAt(0), 0) % 1000);
}

/** A stack holding one LoopbackMcpDeployment per tenant (construct id = tenant id). */
export function workloadStack(
  tenants: readonly string[] = ['acme'],
  overrides: Partial<LoopbackMcpDeploymentProps> = {},
): { stack: TerraformStack; workloads: LoopbackMcpDeployment[]; json: JsonObject } {
  const stack = newStack();
  const workloads = tenants.map(
    (t) => new LoopbackMcpDeployment(stack, t, workloadProps(stack, t, { localPort: localPortOf(t), ...overrides })),
  );
  return { stack, workloads, json: rawJson(stack) };
}

/** The single resource of a type in JSON (fails the test when there is not exactly one). */
export function only(json: JsonObject, type: string): JsonObject {
  const bodies = bodiesOf(json, type);
  if (bodies.length !== 1) throw new Error(`expected one ${type}, found ${bodies.length}`);
  return bodies[0];
}

/** The resource of a type whose construct path ends with `suffix`. */
export function byPath(json: JsonObject, type: string, suffix: string): JsonObject {
  const found = Object.values(resourcesOf(json, type)).filter((b) => {
    const path = ((b['//'] as JsonObject | undefined)?.metadata as JsonObject | undefined)?.path;
    return typeof path === 'string' && path.endsWith(suffix);
  });
  if (found.length !== 1) throw new Error(`expected one ${type} at */${suffix}, found ${found.length}`);
  return found[0];
}

/** The pod spec of a deployment body. */
export function podSpecOf(deployment: JsonObject): JsonObject {
  return ((deployment.spec as JsonObject).template as JsonObject).spec as JsonObject;
}

/** A container of a deployment body, by name. */
export function containerOf(deployment: JsonObject, name: string): JsonObject {
  const container = (podSpecOf(deployment).container as JsonObject[]).find((c) => c.name === name);
  if (!container) throw new Error(`no container '${name}'`);
  return container;
}

/** The environment of a container as a name -> value map. */
export function envOf(container: JsonObject): Record<string, unknown> {
  return Object.fromEntries((container.env as JsonObject[]).map((e) => [e.name, e.value ?? e.value_from]));
}

/** Messages of the annotations of one level on a construct. */
export function annotationsOf(scope: LoopbackMcpDeployment, level: 'warn' | 'info'): string[] {
  return scope.node.metadata.filter((m) => m.type === `@cdktf/${level}`).map((m) => String(m.data));
}

/**
 * What the pack finds in JSON that concerns this layer: the workload rules' findings (errors and
 * warnings) and the tenancy rules' errors. Other layers' rules judge what a workload-only stack lacks
 * (an audit shipper, a Vault role): that is theirs, not this construct's.
 */
export function packFindings(json: JsonObject): [ruleId: string, level: string][] {
  const relevant = (f: Finding) =>
    f.ruleId.startsWith('MCP-K8S-') || (f.ruleId.startsWith('MCP-TEN-') && f.level === 'error');
  return McpAccessChecks.check(json)
    .findings.filter(relevant)
    .map((f) => [f.ruleId, f.level]);
}
