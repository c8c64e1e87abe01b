import { SynthesizedStack, type JsonObject } from '../../../../lib/model/stack';
import { TRANSPORT_RULES } from '../../../../lib/checks/rules/transport';
import { workloads } from '../../../../lib/model/pods';
import { transportJsonWithWorkloads } from '../../../transport/transport-stack';

const TENANTS = 1000;
/** Resources of other layers per tenant, so each tenant carries about 40 resources as in a full cell. */
const PADDING_PER_TENANT = 34;

/** A stack of 1000 tenant cells: acme's transport resources and MCP deployment copied per tenant, one shared IdP, padding. */
function fleetJson(): JsonObject {
  const one = transportJsonWithWorkloads(['acme']);
  const text = JSON.stringify({ resource: one.resource, data: one.data });
  const resource: Record<string, Record<string, unknown>> = {};
  const data: Record<string, Record<string, unknown>> = {};
  const merge = (into: Record<string, Record<string, unknown>>, block: unknown, keep: (type: string) => boolean) => {
    for (const [type, instances] of Object.entries((block ?? {}) as Record<string, Record<string, unknown>>)) {
      if (keep(type)) Object.assign((into[type] ??= {}), instances);
    }
  };
  const isIdp = (type: string) => type === 'cloudflare_zero_trust_access_identity_provider';
  merge(resource, one.resource, isIdp);
  for (let i = 0; i < TENANTS; i++) {
    const tenant = JSON.parse(text.replace(/acme/g, `t${i}`)) as JsonObject;
    merge(resource, tenant.resource, (type) => !isIdp(type));
    merge(data, tenant.data, () => true);
    const padding = (resource.test_padding ??= {});
    for (let p = 0; p < PADDING_PER_TENANT; p++) padding[`t${i}_${p}`] = { name: `t${i}-${p}` };
  }
  return { resource, data };
}

// How long this takes is measured by `npm run bench` (checks % of synth), not asserted here.
describe('transport rules at fleet scale', () => {
  test('judge 1000 tenants of about 40 resources each, each tenant once per rule, all compliant', () => {
    const stack = new SynthesizedStack(fleetJson());
    expect(stack.ofType('cloudflare_zero_trust_access_application')).toHaveLength(TENANTS);
    expect(stack.ofType('test_padding')).toHaveLength(TENANTS * PADDING_PER_TENANT);
    // The pods view is shared with the ports rules (memoized per stack): the pack computes it once.
    expect(workloads(stack)).toHaveLength(TENANTS);
    const results = TRANSPORT_RULES.flatMap((rule) => rule.evaluate(stack));
    expect(results.filter((e) => e.status !== 'compliant')).toEqual([]);
    // Per tenant: config, tunnel and DNS record (NET-1); config, DNS record and app (NET-2); app (NET-3, NET-4).
    expect(results).toHaveLength(TENANTS * 8);
    const perRule = Object.fromEntries(TRANSPORT_RULES.map((rule) => [rule.id, rule.evaluate(stack).length]));
    expect(perRule).toEqual({
      'MCP-NET-1': TENANTS * 3,
      'MCP-NET-2': TENANTS * 3,
      'MCP-NET-3': TENANTS,
      'MCP-NET-4': TENANTS,
      'MCP-NET-5': 0,
    });
  });
});
