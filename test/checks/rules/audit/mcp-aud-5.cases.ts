import { isTenantBucketName, MCP_AUD_5 } from '../../../../lib/checks/rules/audit/mcp-aud-5';
import { SynthesizedStack, type JsonObject } from '../../../../lib/model/stack';
import { editableStacks, editShipperConfig, plugin, podContainers, section } from './shipper-fixture';

/** Runs the rule on the quickstart stack after `edit`. */
function judge(edit: (json: JsonObject) => void = () => undefined) {
  const json = editableStacks('quickstart').quickstart;
  edit(json);
  return MCP_AUD_5.evaluate(new SynthesizedStack(json, 'quickstart'));
}

const single = (edit: (json: JsonObject) => void) => {
  const results = judge(edit);
  expect(results).toHaveLength(1);
  return results[0];
};

describe('MCP-AUD-5', () => {
  test('declares what it requires and its fix', () => {
    expect(MCP_AUD_5.requires?.length).toBeGreaterThanOrEqual(4);
    expect(MCP_AUD_5.fix).toContain('TenantAuditTrail');
  });

  test("compliant: acme's pod ships every record to mcp-audit-acme", () => {
    const results = judge();
    expect(results).toHaveLength(1);
    expect(results[0]).toEqual({
      address: expect.stringMatching(/^kubernetes_deployment_v1\.Mcp_acme_/),
      status: 'compliant',
    });
  });

  test('non-compliant: no shipper container', () => {
    const r = single((json) => {
      const list = podContainers(json);
      list.splice(
        list.findIndex((c) => c.name === 'audit-shipper'),
        1,
      );
    });
    expect(r).toMatchObject({ status: 'non-compliant', detail: "the pod has no 'audit-shipper' container" });
  });

  test('non-compliant: the shipper runs something else', () => {
    const r = single((json) => (podContainers(json).find((c) => c.name === 'audit-shipper')!.command = ['/bin/true']));
    expect(r.detail).toBe('the shipper does not run /fluent-bit/bin/fluent-bit (it runs ["/bin/true"])');
  });

  test('non-compliant: the MCP server writes its records elsewhere', () => {
    const r = single((json) => {
      const env = podContainers(json).find((c) => c.name === 'mcp-server')!.env as JsonObject[];
      env.find((e) => e.name === 'MCP_AUDIT_LOG_PATH')!.value = '/tmp/audit.jsonl';
    });
    expect(r.detail).toContain(
      'the MCP container\'s MCP_AUDIT_LOG_PATH is "/tmp/audit.jsonl", not /var/run/mcp-audit/audit.jsonl',
    );
  });

  test('non-compliant: the tail input reads another path', () => {
    const r = single((json) => editShipperConfig(json, (c) => (plugin(c, 'inputs', 'audit_log').path = '/tmp/*.log')));
    expect(r.detail).toBe('no tail input reads /var/run/mcp-audit/audit.jsonl*');
  });

  test('non-compliant: the record script is changed (it could drop records)', () => {
    const r = single((json) =>
      editShipperConfig(json, (c) => {
        const f = plugin(c, 'filters', 'audit_records');
        f.code = `${String(f.code)}\n-- edited`;
      }),
    );
    expect(r.detail).toContain("filter lua 'audit_records' sees the audit records and could drop or change them");
    expect(r.detail).toContain('no mcp_audit_record filter stamps the tenant on the records');
  });

  test('non-compliant: an http output ships every record to another destination', () => {
    const r = single((json) =>
      editShipperConfig(json, (c) =>
        section(c, 'outputs').push({ name: 'http', alias: 'copy', match: 'audit.*', host: 'collector.example.com' }),
      ),
    );
    expect(r.detail).toBe("output http 'copy' sends audit records somewhere other than the tenant's bucket");
  });

  test('non-compliant: keys outside the tenant prefix, and log_key', () => {
    const r = single((json) =>
      editShipperConfig(json, (c) => {
        const o = plugin(c, 'outputs', 'audit_bucket');
        o.s3_key_format = '/records/$UUID.gz';
        o.log_key = 'reason';
      }),
    );
    expect(r.detail).toContain("output s3 'audit_bucket' sets log_key, which keeps one field and drops the rest");
    expect(r.detail).toContain('writes keys "/records/$UUID.gz", not under the tenant\'s own prefix /tenant=acme/');
  });

  test('undecided: the bucket is a variable without a default', () => {
    const r = single((json) =>
      editShipperConfig(json, (c) => (plugin(c, 'outputs', 'audit_bucket').bucket = '${var.audit_bucket}')),
    );
    expect(r.status).toBe('undecided');
    expect(r.detail).toBe('output s3 \'audit_bucket\'.bucket ("${var.audit_bucket}") cannot be read as a bucket name');
  });

  test('undecided: the config map data is an expression', () => {
    const r = single((json) => {
      const maps = (json.resource as Record<string, Record<string, JsonObject>>).kubernetes_config_map_v1;
      const [name] = Object.keys(maps).filter((n) => n.startsWith('Mcp_acme_'));
      maps[name].data = { 'fluent-bit.yaml': '${file("fluent-bit.yaml")}' };
    });
    expect(r).toMatchObject({ status: 'undecided', detail: 'data.fluent-bit.yaml is an unresolved expression' });
  });

  test.each([
    ['mcp-audit-acme', 'acme', 'r2', true],
    ['mcp-audit-acmex', 'acme', 'r2', false],
    ['org-mcp-audit-acme', 'acme', 'r2', false],
    ['org-mcp-audit-acme', 'acme', 's3', true],
    ['org-mcp-audit-globex', 'acme', 's3', false],
  ] as const)("bucket %s is %s's own (%s): %s", (name, tenant, store, own) => {
    expect(isTenantBucketName(name, tenant, store)).toBe(own);
  });
});
