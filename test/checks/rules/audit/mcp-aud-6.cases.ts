import { MCP_AUD_6 } from '../../../../lib/checks/rules/audit/mcp-aud-6';
import { blocks } from '../../../../lib/model/json';
import { SynthesizedStack, type JsonObject } from '../../../../lib/model/stack';
import { editableStacks, editShipperConfig, plugin, podSpec, section } from './shipper-fixture';

function judge(edit: (json: JsonObject) => void = () => undefined) {
  const json = editableStacks('quickstart').quickstart;
  edit(json);
  const results = MCP_AUD_6.evaluate(new SynthesizedStack(json, 'quickstart'));
  expect(results).toHaveLength(1);
  return results[0];
}

const editing = (edit: (config: JsonObject) => void) => judge((json) => editShipperConfig(json, edit));
const bucket = (c: JsonObject) => plugin(c, 'outputs', 'audit_bucket');

describe('MCP-AUD-6', () => {
  test('declares what it requires and its fix', () => {
    expect(MCP_AUD_6.requires?.length).toBeGreaterThanOrEqual(4);
    expect(MCP_AUD_6.fix).toContain('audit.alertWebhookUrl');
  });

  test("compliant: acme's shipper buffers on its 1Gi volume, never gives up, checks health and watches delivery", () => {
    expect(judge()).toEqual({
      address: expect.stringMatching(/^kubernetes_config_map_v1\.Mcp_acme_/),
      status: 'compliant',
    });
  });

  test.each([
    ['1000000', 'compliant'],
    ['999999', 'non-compliant'],
    ['2147483647', 'compliant'],
    ['no_limits', 'non-compliant'],
    ['false', 'non-compliant'],
  ])('the s3 retry_limit %s is %s (no_limits means 5 attempts for the s3 output)', (limit, status) => {
    expect(editing((c) => (bucket(c).retry_limit = limit)).status).toBe(status);
  });

  const FLOOR = '(at least 1000000; no_limits means 5 for s3)';
  test.each<[string, unknown, string | undefined]>([
    ['retry_limit', '1000000', undefined],
    ['retry_limit', 1000000, undefined],
    ['retry_limit', '999999', `output s3 'audit_bucket' retry_limit is "999999" ${FLOOR}`],
    ['retry_limit', 999999, `output s3 'audit_bucket' retry_limit is 999999 ${FLOOR}`],
    ['retry_limit', 'no_limits', `output s3 'audit_bucket' retry_limit is "no_limits" ${FLOOR}`],
    ['file_delivery_attempt_limit', '1000000', undefined],
    [
      'file_delivery_attempt_limit',
      '999999',
      `output s3 'audit_bucket' file_delivery_attempt_limit is "999999" ${FLOOR}`,
    ],
    ['part_delivery_attempt_limit', '1000000', undefined],
    [
      'part_delivery_attempt_limit',
      '999999',
      `output s3 'audit_bucket' part_delivery_attempt_limit is "999999" ${FLOOR}`,
    ],
  ])(
    'the s3 output %s %p: at the floor of 1000000 compliant, one below refused (exact finding)',
    (key, value, detail) => {
      const r = editing((c) => (bucket(c)[key] = value));
      expect(r).toEqual(
        detail === undefined
          ? { address: expect.stringMatching(/^kubernetes_config_map_v1\.Mcp_acme_/), status: 'compliant' }
          : { address: expect.stringMatching(/^kubernetes_config_map_v1\.Mcp_acme_/), status: 'non-compliant', detail },
      );
    },
  );

  test.each<[unknown, string | undefined]>([
    ['no_limits', undefined],
    ['1000000', undefined],
    [1000000, undefined],
    ['999999', `output http 'delivery_alert' retry_limit is "999999", not no_limits`],
    [999999, `output http 'delivery_alert' retry_limit is 999999, not no_limits`],
  ])('the alert output retry_limit %p: unlimited or at the floor compliant, one below refused', (value, detail) => {
    const r = editing((c) => (plugin(c, 'outputs', 'delivery_alert').retry_limit = value));
    expect(r.status).toBe(detail === undefined ? 'compliant' : 'non-compliant');
    expect(r.detail).toBe(detail);
  });

  test('non-compliant: the delivery attempt limits are left at their default of 1', () => {
    const r = editing((c) => {
      delete bucket(c).file_delivery_attempt_limit;
      delete bucket(c).part_delivery_attempt_limit;
    });
    expect(r.detail).toBe(
      "output s3 'audit_bucket' file_delivery_attempt_limit is null (at least 1000000; no_limits means 5 for s3); output s3 'audit_bucket' part_delivery_attempt_limit is null (at least 1000000; no_limits means 5 for s3)",
    );
  });

  test('non-compliant: an alert output with a retry limit', () => {
    const json = editableStacks('quickstart').quickstart;
    const hasAlert = JSON.stringify(json).includes('delivery_alert\\"');
    expect(hasAlert).toBe(true);
    const r = judge((j) => editShipperConfig(j, (c) => (plugin(c, 'outputs', 'delivery_alert').retry_limit = '3')));
    expect(r.detail).toBe(`output http 'delivery_alert' retry_limit is "3", not no_limits`);
  });

  test('non-compliant: no store_dir_limit_size, no storage.total_limit_size, store_dir off the volume', () => {
    const r = editing((c) => {
      delete bucket(c).store_dir_limit_size;
      delete bucket(c)['storage.total_limit_size'];
      bucket(c).store_dir = '/tmp/fluent-bit/s3';
    });
    expect(r.detail).toBe(
      "output s3 'audit_bucket' store_dir \"/tmp/fluent-bit/s3\" is not on the buffer volume; output s3 'audit_bucket' has no store_dir_limit_size; output s3 'audit_bucket' has no storage.total_limit_size",
    );
  });

  test('non-compliant: the buffers add up to the volume size (1Gi): one byte below passes, equal fails', () => {
    // 1Gi = 1073741824 bytes; the other outputs hold 256M + 32M + 32M = 320 MiB.
    const others = (256 + 32 + 32) * 1024 * 1024;
    const fits = editing((c) => (bucket(c).store_dir_limit_size = String(1073741824 - others - 1)));
    expect(fits.status).toBe('compliant');
    const full = editing((c) => (bucket(c).store_dir_limit_size = String(1073741824 - others)));
    expect(full.detail).toBe(
      "the outputs' buffer limits add up to 1073741824 bytes, not below the volume's sizeLimit of 1073741824 bytes",
    );
  });

  /** The shipper with the buffer volume's sizeLimit and the s3 output's store_dir_limit_size replaced. */
  const withSizes = (sizeLimit: string, storeDirLimit: string) =>
    judge((json) => {
      const volume = blocks(podSpec(json).volume).find((v) => v.name === 'audit-shipper-data')!;
      (volume.empty_dir as JsonObject).size_limit = sizeLimit;
      editShipperConfig(json, (c) => (bucket(c).store_dir_limit_size = storeDirLimit));
    });

  // The other outputs hold 256M + 32M + 32M = 320 MiB (Fluent Bit's M is 1024 * 1024 bytes), so a
  // store of 704M fills 1024 MiB = 1073741824 bytes exactly: equal to the volume is refused.
  test.each<[string, string, string | undefined]>([
    ['1Gi', '703M', undefined],
    ['1Gi', '704M', "add up to 1073741824 bytes, not below the volume's sizeLimit of 1073741824 bytes"],
    ['1024Mi', '704M', "add up to 1073741824 bytes, not below the volume's sizeLimit of 1073741824 bytes"],
    ['1048576Ki', '720896K', "add up to 1073741824 bytes, not below the volume's sizeLimit of 1073741824 bytes"],
    ['1073741824', '704M', "add up to 1073741824 bytes, not below the volume's sizeLimit of 1073741824 bytes"],
    ['1073741825', '704M', undefined],
    ['1073741825', '704MB', undefined],
    ['1074M', '704M', undefined],
    ['1073M', '704M', "add up to 1073741824 bytes, not below the volume's sizeLimit of 1073000000 bytes"],
    ['1344Mi', '1G', "add up to 1409286144 bytes, not below the volume's sizeLimit of 1409286144 bytes"],
    ['1345Mi', '1G', undefined],
  ])('buffer volume sizeLimit %s with store_dir_limit_size %s', (sizeLimit, store, problem) => {
    const r = withSizes(sizeLimit, store);
    if (problem === undefined) expect(r.status).toBe('compliant');
    else expect(r.detail).toBe(`the outputs' buffer limits ${problem}`);
  });

  test.each<[string, unknown, string | undefined]>([
    ['hc_errors_count', '1', undefined],
    ['hc_errors_count', '0', 'service hc_errors_count is "0"'],
    ['hc_retry_failure_count', '1', undefined],
    ['hc_retry_failure_count', '0', 'service hc_retry_failure_count is "0"'],
    ['hc_period', '1', undefined],
    ['hc_period', '0', 'service hc_period is "0"'],
    ['hc_period', 60, 'service hc_period is 60'],
  ])('service %s %p: a positive integer (as Fluent Bit text) at least 1', (key, value, detail) => {
    const r = editing((c) => ((c.service as JsonObject)[key] = value));
    expect(r.status).toBe(detail === undefined ? 'compliant' : 'non-compliant');
    expect(r.detail).toBe(detail);
  });

  test("non-compliant: a watchdog that waits 301 s instead of the library's 300 s", () => {
    const r = editing((c) => {
      const watchdog = plugin(c, 'filters', 'delivery_watchdog');
      expect(String(watchdog.code)).toContain('local FAIL_AFTER = 300\n');
      watchdog.code = String(watchdog.code).replace('local FAIL_AFTER = 300\n', 'local FAIL_AFTER = 301\n');
    });
    expect(r.detail).toBe("filter mcp_delivery_watchdog is not the library's watchdog for tenant acme");
  });

  test('non-compliant: the buffer volume has no sizeLimit', () => {
    const r = judge((json) => {
      const volume = blocks(podSpec(json).volume).find((v) => v.name === 'audit-shipper-data')!;
      (volume.empty_dir as JsonObject).size_limit = undefined;
      delete (volume.empty_dir as JsonObject).size_limit;
    });
    expect(r.detail).toBe('the buffer volume audit-shipper-data has no sizeLimit');
  });

  test('non-compliant: the tail input buffers in memory and stops at a long line', () => {
    const r = editing((c) => {
      const tail = plugin(c, 'inputs', 'audit_log');
      tail['storage.type'] = 'memory';
      tail.skip_long_lines = 'off';
    });
    expect(r.detail).toBe(
      "input tail 'audit_log' storage.type is \"memory\", not filesystem; input tail 'audit_log' does not skip_long_lines (a long line would stop it following the file)",
    );
  });

  test('non-compliant: the health check off, its thresholds removed', () => {
    const r = editing((c) => {
      const service = c.service as JsonObject;
      service.health_check = 'off';
      delete service.hc_period;
    });
    expect(r.detail).toBe('service health_check is not on; service hc_period is null');
  });

  test("non-compliant: the watchdog is someone else's, and no input reads Fluent Bit's logs", () => {
    const r = editing((c) => {
      const inputs = section(c, 'inputs');
      inputs.splice(
        inputs.findIndex((i) => i.name === 'fluentbit_logs'),
        1,
      );
      plugin(c, 'filters', 'delivery_watchdog').code =
        'function mcp_delivery_watchdog(tag, ts, r) return -1, ts, r end';
    });
    expect(r.detail).toBe(
      "no fluentbit_logs input feeds the delivery watchdog; filter mcp_delivery_watchdog is not the library's watchdog for tenant acme; filter mcp_delivery_watchdog does not read Fluent Bit's logs; no output receives the delivery alerts",
    );
  });

  test('undecided: the retry limit and the volume size are variables without a default', () => {
    const r = judge((json) => {
      editShipperConfig(json, (c) => (bucket(c).retry_limit = '${var.retries}'));
      const volume = blocks(podSpec(json).volume).find((v) => v.name === 'audit-shipper-data')!;
      (volume.empty_dir as JsonObject).size_limit = '${var.buffer_size}';
    });
    expect(r).toMatchObject({
      status: 'undecided',
      detail:
        "the sizeLimit of the buffer volume audit-shipper-data is an unresolved expression; output s3 'audit_bucket' retry_limit is an unresolved expression",
    });
  });

  test('not applicable: a pod without a readable shipper (MCP-AUD-5 reports it)', () => {
    const json = editableStacks('quickstart').quickstart;
    const maps = (json.resource as Record<string, Record<string, JsonObject>>).kubernetes_config_map_v1;
    for (const name of Object.keys(maps)) maps[name].data = { 'fluent-bit.yaml': '${file("x")}' };
    expect(MCP_AUD_6.evaluate(new SynthesizedStack(json, 'quickstart'))).toEqual([]);
  });
});
