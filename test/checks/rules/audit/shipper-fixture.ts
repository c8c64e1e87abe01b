import { type JsonObject, nested } from '../../../../lib/model/json';
import { first } from '../../tamper/harness';

export { editableStacks } from '../../tamper/harness';

/** The quickstart stack's MCP pod spec (tenant acme). */
export function podSpec(json: JsonObject): JsonObject {
  const spec = nested(first(json, 'kubernetes_deployment_v1', 'Mcp_acme_'), 'spec', 'template', 'spec');
  if (!spec) throw new Error('no pod spec');
  return spec;
}

/** The containers of the pod. */
export function podContainers(json: JsonObject): JsonObject[] {
  const list = podSpec(json).container;
  if (!Array.isArray(list)) throw new Error('the containers are not a list');
  return list as JsonObject[];
}

/** Edits acme's shipper config in place. */
export function editShipperConfig(json: JsonObject, edit: (config: JsonObject) => void): void {
  const data = first(json, 'kubernetes_config_map_v1', 'Mcp_acme_').data as Record<string, string>;
  const config = JSON.parse(data['fluent-bit.yaml']) as JsonObject;
  edit(config);
  data['fluent-bit.yaml'] = JSON.stringify(config);
}

/** The plugins of a section of a shipper config. */
export const section = (config: JsonObject, name: 'inputs' | 'filters' | 'outputs') =>
  (config.pipeline as JsonObject)[name] as JsonObject[];

/** A plugin by alias. */
export const plugin = (config: JsonObject, name: 'inputs' | 'filters' | 'outputs', alias: string): JsonObject =>
  section(config, name).find((p) => p.alias === alias)!;
