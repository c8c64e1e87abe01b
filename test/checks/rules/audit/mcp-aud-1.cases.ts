import { MCP_AUD_1 } from '../../../../lib/checks/rules/audit/mcp-aud-1';
import type { JsonObject } from '../../../../lib/model/stack';
import { addResource, auditJson, lockOf, notCompliant, removeResources, resource, run } from './tamper';
import { only, s3Json } from './s3-fixture';

const acmeBucket = (json: JsonObject) =>
  `cloudflare_r2_bucket.${resource(json, 'cloudflare_r2_bucket', (b) => b.name === 'mcp-audit-acme')[0]}`;
const ruleOf = (lock: JsonObject) => (lock.rules as JsonObject[])[0];

describe('MCP-AUD-1', () => {
  test('compliant: the account bucket and every tenant bucket are locked for 365 days over the whole bucket', () => {
    const results = run(MCP_AUD_1, auditJson(['acme', 'globex']));
    expect(results).toHaveLength(3);
    expect(results.every((r) => r.status === 'compliant')).toBe(true);
  });

  test('compliant: an Indefinite rule, and a lock that names its bucket literally', () => {
    const json = auditJson();
    const lock = lockOf(json, 'mcp-audit-acme');
    ruleOf(lock).condition = { type: 'Indefinite' };
    lock.bucket_name = 'mcp-audit-acme';
    expect(notCompliant(run(MCP_AUD_1, json))).toEqual([]);
  });

  test('not applicable: a stack without R2 buckets, or with a bucket nothing writes audit records into', () => {
    expect(run(MCP_AUD_1, {})).toEqual([]);
    const json: JsonObject = {};
    addResource(json, 'cloudflare_r2_bucket', 'assets', { account_id: 'a', name: 'static-assets' });
    expect(run(MCP_AUD_1, json)).toEqual([]);
  });

  test('non-compliant: the lock removed', () => {
    const json = auditJson();
    const [address] = resource(json, 'cloudflare_r2_bucket', (b) => b.name === 'mcp-audit-acme');
    removeResources(json, 'cloudflare_r2_bucket_lock', (l) => String(l.bucket_name).includes(address));
    expect(notCompliant(run(MCP_AUD_1, json))).toEqual([
      {
        address: acmeBucket(json),
        status: 'non-compliant',
        detail: 'no cloudflare_r2_bucket_lock targets this bucket',
      },
    ]);
  });

  test('non-compliant: a retention of 1 day, below the configured 365 days', () => {
    const json = auditJson();
    const lock = lockOf(json, 'mcp-audit-acme');
    (ruleOf(lock).condition as JsonObject).max_age_seconds = 86400;
    const [bad] = notCompliant(run(MCP_AUD_1, json));
    expect(bad.status).toBe('non-compliant');
    expect(bad.address).toBe(acmeBucket(json));
    expect(bad.detail).toMatch(
      /rules\[0\] locks records for 86400 s \(1 days\), less than the configured 365 days \(31536000 s\)$/,
    );
  });

  /** The JSON with acme's lock at `days` days, and its retention hint removed or set to `hint`. */
  function withAge(days: number, hint?: number | 'indefinite'): JsonObject {
    const json = auditJson();
    (ruleOf(lockOf(json, 'mcp-audit-acme')).condition as JsonObject).max_age_seconds = days * 86400;
    const retention = ((json['//'] as JsonObject).mcp_access_audit as JsonObject).retention as JsonObject;
    const key = Object.keys(retention).find((k) => k.includes('/acme/'))!;
    if (hint === undefined) delete retention[key];
    else retention[key] = hint;
    return json;
  }

  test.each([
    [30, undefined, 'compliant'],
    [29, undefined, 'non-compliant'],
    [365, 365, 'compliant'],
    [364, 365, 'non-compliant'],
    [366, 365, 'compliant'],
    [30, 10, 'compliant'],
    [29, 10, 'non-compliant'],
  ] as const)('a lock of %s days with the hint %s is %s (the hint demands more, never less)', (days, hint, status) => {
    const results = run(MCP_AUD_1, withAge(days, hint)).filter((r) => r.address.includes('acme'));
    expect(results).toHaveLength(1);
    expect(results[0].status).toBe(status);
  });

  test('exact messages at the limits: 29 days against the 30-day floor, 364 against the configured 365', () => {
    expect(notCompliant(run(MCP_AUD_1, withAge(29)))[0].detail).toMatch(
      /locks records for 2505600 s \(29 days\), less than 30 days \(2592000 s\)$/,
    );
    expect(notCompliant(run(MCP_AUD_1, withAge(364, 365)))[0].detail).toMatch(
      /locks records for 31449600 s \(364 days\), less than the configured 365 days \(31536000 s\)$/,
    );
  });

  test('a lock configured indefinite must stay Indefinite: any Age rule is refused', () => {
    const [bad] = notCompliant(run(MCP_AUD_1, withAge(3650, 'indefinite')));
    expect(bad.detail).toMatch(/is an Age rule, but the lock was configured to keep records for ever$/);
  });

  test('non-compliant: a disabled rule, a prefix rule, a Date rule', () => {
    const cases: [(r: JsonObject) => void, RegExp][] = [
      [(r) => (r.enabled = false), /is not enabled$/],
      [(r) => (r.prefix = 'logs/'), /covers only prefix 'logs\/', not the whole bucket$/],
      [
        (r) => (r.condition = { type: 'Date', date: '2030-01-01T00:00:00Z' }),
        /has condition type "Date", not Age or Indefinite$/,
      ],
    ];
    for (const [tamper, detail] of cases) {
      const json = auditJson();
      tamper(ruleOf(lockOf(json, 'mcp-audit-acme')));
      const bad = notCompliant(run(MCP_AUD_1, json));
      expect(bad).toHaveLength(1);
      expect(bad[0].detail).toMatch(detail);
    }
  });

  test('non-compliant: the lock is in another jurisdiction than the bucket', () => {
    const json = auditJson();
    lockOf(json, 'mcp-audit-acme').jurisdiction = 'eu';
    const [bad] = notCompliant(run(MCP_AUD_1, json));
    expect(bad.detail).toMatch(/is in jurisdiction 'eu', the bucket in 'default'$/);
  });

  test('non-compliant even when renamed: a bucket the shipper writes into counts as an audit bucket', () => {
    const json = auditJson();
    const [address, bucket] = resource(json, 'cloudflare_r2_bucket', (b) => b.name === 'mcp-audit-acme');
    bucket.name = 'records';
    removeResources(json, 'cloudflare_r2_bucket_lock', (l) => String(l.bucket_name).includes(address));
    expect(notCompliant(run(MCP_AUD_1, json)).map((e) => e.address)).toEqual([`cloudflare_r2_bucket.${address}`]);
  });

  test('non-compliant: a Logpush destination names an unlocked bucket literally', () => {
    const json: JsonObject = {};
    addResource(json, 'cloudflare_r2_bucket', 'edge', { account_id: 'a', name: 'edge-logs' });
    addResource(json, 'cloudflare_logpush_job', 'job', {
      account_id: 'a',
      dataset: 'access_requests',
      destination_conf: 'r2://edge-logs/x/{DATE}?account-id=a',
    });
    expect(run(MCP_AUD_1, json)).toEqual([
      {
        address: 'cloudflare_r2_bucket.edge',
        status: 'non-compliant',
        detail: 'no cloudflare_r2_bucket_lock targets this bucket',
      },
    ]);
  });

  test('undecided: the lock age is an unresolved expression', () => {
    const json = auditJson();
    (ruleOf(lockOf(json, 'mcp-audit-acme')).condition as JsonObject).max_age_seconds = '${var.days * 86400}';
    const [undecided] = notCompliant(run(MCP_AUD_1, json));
    expect(undecided.status).toBe('undecided');
    expect(undecided.detail).toMatch(/rules\[0\]\.condition\.max_age_seconds is an unresolved expression$/);
  });
});

describe('MCP-AUD-1 on the S3 backend', () => {
  const lockOfS3 = (json: JsonObject) => only(json, 'aws_s3_bucket_object_lock_configuration')[1];
  const retentionOf = (json: JsonObject) => (lockOfS3(json).rule as JsonObject).default_retention as JsonObject;
  const judgeS3 = (edit: (json: JsonObject) => void) => {
    const json = s3Json();
    edit(json);
    const results = run(MCP_AUD_1, json);
    expect(results).toHaveLength(1);
    return results[0];
  };

  test('compliant: COMPLIANCE for the configured 365 days, Object Lock and versioning on', () => {
    expect(judgeS3(() => undefined).status).toBe('compliant');
  });

  test.each([
    [365, 'compliant'],
    [364, 'non-compliant'],
  ] as const)('a default retention of %s days against the configured 365 is %s', (days, status) => {
    expect(judgeS3((json) => (retentionOf(json).days = days)).status).toBe(status);
  });

  test('non-compliant: GOVERNANCE mode (an admin may shorten it), versioning suspended, Object Lock off', () => {
    const r = judgeS3((json) => {
      retentionOf(json).mode = 'GOVERNANCE';
      (only(json, 'aws_s3_bucket_versioning')[1].versioning_configuration as JsonObject).status = 'Suspended';
      only(json, 'aws_s3_bucket')[1].object_lock_enabled = false;
    });
    expect(r.detail).toMatch(
      /^object_lock_enabled is false; no aws_s3_bucket_versioning with status Enabled targets this bucket; aws_s3_bucket_object_lock_configuration\.\S+ has mode "GOVERNANCE", not COMPLIANCE$/,
    );
  });

  test('undecided: the retention days are a variable without a default', () => {
    const r = judgeS3((json) => (retentionOf(json).days = '${var.days}'));
    expect(r.status).toBe('undecided');
  });
});
