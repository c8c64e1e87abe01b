import { SynthesizedStack, type JsonObject } from '../../../../lib/model/stack';
import { IDENTITY_RULES } from '../../../../lib/checks/rules/identity';
import { identityJson } from './tamper';

/** A 1000-tenant identity layer, made by copying one synthesized tenant (synthesizing 1000 takes seconds). */
function fleet(tenants: number): JsonObject {
  const one = identityJson(['acme']);
  const text = JSON.stringify(one);
  const json = JSON.parse(text) as JsonObject;
  const resources = json.resource as Record<string, Record<string, JsonObject>>;
  const meta = (json['//'] as { mcp_access: { tenants: Record<string, string[]> } }).mcp_access;
  for (const byName of Object.values(resources)) {
    const own = Object.entries(byName).filter(([name]) => name.startsWith('acme_'));
    for (let i = 1; i < tenants; i++) {
      const t = `t${i}`;
      for (const [name, body] of own) {
        byName[name.replace(/^acme_/, `${t}_`)] = JSON.parse(
          JSON.stringify(body)
            .replace(/acme_Identity/g, `${t}_Identity`)
            .replace(/acme/g, t),
        ) as JsonObject;
      }
    }
  }
  for (let i = 1; i < tenants; i++) meta.tenants[`t${i}`] = [`test/t${i}/Identity`];
  // The provider declares its API token (MCP-ID-9W), as a real stack would.
  json.variable = { okta_api_token: { type: 'string', sensitive: true } };
  json.provider = { okta: [{ api_token: '${var.okta_api_token}' }] };
  return json;
}

// How long this takes is measured by `npm run bench` (checks % of synth), not asserted here.
describe('identity rules at fleet scale', () => {
  test('judge 1000 tenants, each policy rule and auth server once per rule, all compliant', () => {
    const stack = new SynthesizedStack(fleet(1000));
    expect(stack.ofType('okta_auth_server')).toHaveLength(1000);
    expect(stack.ofType('okta_auth_server_policy_rule')).toHaveLength(2000);
    const evaluations = IDENTITY_RULES.flatMap((rule) => rule.evaluate(stack));
    expect(evaluations.filter((e) => e.status !== 'compliant')).toEqual([]);
    const perRule = Object.fromEntries(IDENTITY_RULES.map((rule) => [rule.id, rule.evaluate(stack).length]));
    expect(perRule).toEqual({
      'MCP-ID-1': 3,
      'MCP-ID-2': 3,
      'MCP-ID-3': 1 + 2000,
      'MCP-ID-4': 1000,
      'MCP-ID-5': 2000,
      'MCP-ID-6': 1000 + 3,
      'MCP-ID-7': 2000 + 6,
      'MCP-ID-8': 1000,
      'MCP-ID-9': 1,
      'MCP-ID-9W': 1,
      'MCP-ID-10': 0,
      'MCP-ID-11': 0,
      'MCP-ID-12': 0,
      'MCP-ID-13': 0,
    });
    expect(evaluations).toHaveLength(9018);
  });
});
