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
  const config = JSON.parse(data['fluent-bit.yaml']) as JsonObject;
  edit(config);
  data['fluent-bit.yaml'] = JSON.stringify(config);
  return `${CONFIG_MAP}.${name}`;
}

const alertOutput = (c: JsonObject) =>
  ((c.pipeline as JsonObject).outputs as JsonObject[]).find((o) => o.alias === 'cross_tenant_alert')!;

describe('MCP-AUD-4', () => {
  test('declares what it requires and names audit.alertWebhookUrl in its fix', () => {
    expect(MCP_AUD_4.requires?.length).toBeGreaterThan(0);
    expect(MCP_AUD_4.fix).toContain('audit.alertWebhookUrl');
  });

  test('compliant: the shipper posts cross-tenant records to the webhook from its secret', () => {
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
        detail: 'the audit shipper has no http output for cross-tenant alerts',
      });
    }
  });

  test('non-compliant: the alert output posts without TLS', () => {
    const json = withWebhook();
    const address = editConfig(json, (c) => (alertOutput(c).tls = 'off'));
    expect(run(MCP_AUD_4, json)).toEqual([
      { address, status: 'non-compliant', detail: 'output cross_tenant_alert does not use TLS' },
    ]);
  });

  test('non-compliant: the alert output lost its cross-tenant processor', () => {
    const json = withWebhook();
    const address = editConfig(json, (c) => delete alertOutput(c).processors);
    expect(run(MCP_AUD_4, json)).toEqual([
      { address, status: 'non-compliant', detail: 'output cross_tenant_alert lacks the cross-tenant processor' },
    ]);
  });

  test('not applicable: no config maps, or config maps that are not audit shippers', () => {
    expect(run(MCP_AUD_4, {})).toEqual([]);
    const json: JsonObject = {};
    addResource(json, CONFIG_MAP, 'app', { metadata: { name: 'app' }, data: { 'settings.json': '{"a":1}' } });
    addResource(json, CONFIG_MAP, 'logs', {
      metadata: { name: 'logs' },
      data: { 'fluent-bit.yaml': JSON.stringify({ pipeline: { inputs: [], outputs: [{ name: 'stdout' }] } }) },
    });
    expect(run(MCP_AUD_4, json)).toEqual([]);
  });

  test('undecided: the shipper config is an unresolved expression, or block-style YAML the rules cannot read', () => {
    const json: JsonObject = {};
    addResource(json, CONFIG_MAP, 'shipper', {
      metadata: { name: 'audit-shipper-config' },
      data: { 'fluent-bit.yaml': '${file("fluent-bit.yaml")}' },
    });
    addResource(json, CONFIG_MAP, 'yaml', {
      metadata: { name: 'audit-shipper-config' },
      data: { 'fluent-bit.yaml': 'pipeline:\n  outputs: []\n' },
    });
    expect(run(MCP_AUD_4, json)).toEqual([
      {
        address: `${CONFIG_MAP}.shipper`,
        status: 'undecided',
        detail: 'data.fluent-bit.yaml is an unresolved expression',
      },
      {
        address: `${CONFIG_MAP}.yaml`,
        status: 'undecided',
        detail: 'data.fluent-bit.yaml is not written as JSON (the YAML form the rules read)',
      },
    ]);
  });
});
