import { MCP_AUD_4 } from '../../../../lib/checks/rules/audit/mcp-aud-4';
import type { JsonObject } from '../../../../lib/model/stack';
import { TerraformVariable } from '../../../../lib/core/cdktf';
import { newStack, rawJson, withProviders } from '../../../helpers';
import { addTenant } from '../../../audit/fixtures';
import { addResource, auditJson, resource, run } from './tamper';

const CONFIG_MAP = 'kubernetes_config_map_v1';

function withWebhook(): JsonObject {
  const stack = withProviders(newStack());
  const url = new TerraformVariable(stack, 'alert_webhook_url', { type: 'string', sensitive: true });
  addTenant(stack, 'acme', { alertWebhookUrl: url.stringValue });
  return rawJson(stack);
}

/** Rewrites the shipper config of the one config map. */
function editConfig(json: JsonObject, edit: (config: JsonObject) => void): string {
  const [name, body] = resource(json, CONFIG_MAP);
  const data = body.data as Record<string, string>;
  const config = JSON.parse(data['vector.json']) as JsonObject;
  edit(config);
  data['vector.json'] = JSON.stringify(config);
  return `${CONFIG_MAP}.${name}`;
}

describe('MCP-AUD-4', () => {
  test('compliant: the shipper sends cross-tenant denials to the webhook through the secret backend', () => {
    const json = withWebhook();
    expect(run(MCP_AUD_4, json)).toEqual([
      { address: `${CONFIG_MAP}.${resource(json, CONFIG_MAP)[0]}`, status: 'compliant' },
    ]);
  });

  test('non-compliant: a shipper without an alert webhook (one evaluation per tenant shipper)', () => {
    const results = run(MCP_AUD_4, auditJson(['acme', 'globex']));
    expect(results).toHaveLength(2);
    for (const r of results) {
      expect(r).toMatchObject({
        status: 'non-compliant',
        detail: 'the audit shipper has no http sink for cross-tenant alerts',
      });
    }
  });

  test('non-compliant: the alert sink posts over plain http', () => {
    const json = withWebhook();
    const address = editConfig(json, (c) => {
      ((c.sinks as JsonObject).cross_tenant_alert as JsonObject).uri = 'http://alerts.example.com/mcp';
    });
    expect(run(MCP_AUD_4, json)).toEqual([
      {
        address,
        status: 'non-compliant',
        detail: "sink cross_tenant_alert sends to 'http://alerts.example.com/mcp', which is not https",
      },
    ]);
  });

  test('not applicable: no config maps, or config maps that are not audit shippers', () => {
    expect(run(MCP_AUD_4, {})).toEqual([]);
    const json: JsonObject = {};
    addResource(json, CONFIG_MAP, 'app', { metadata: { name: 'app' }, data: { 'settings.json': '{"a":1}' } });
    addResource(json, CONFIG_MAP, 'logs', {
      metadata: { name: 'logs' },
      data: {
        'vector.json': JSON.stringify({
          sources: { a: { type: 'file' } },
          sinks: { b: { type: 'console', inputs: ['a'] } },
        }),
      },
    });
    expect(run(MCP_AUD_4, json)).toEqual([]);
  });

  test('undecided: the shipper config is an unresolved expression', () => {
    const json: JsonObject = {};
    addResource(json, CONFIG_MAP, 'shipper', {
      metadata: { name: 'audit-shipper' },
      data: { 'vector.json': '${file("vector.json")}' },
    });
    expect(run(MCP_AUD_4, json)).toEqual([
      { address: `${CONFIG_MAP}.shipper`, status: 'undecided', detail: 'data.vector.json is an unresolved expression' },
    ]);
  });
});
