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

  /** acme's lock with max_age_seconds set to `age` (a number or a numeric string) and no retention hint. */
  function withSeconds(age: number | string): { json: JsonObject; lock: string } {
    const json = withAge(30);
    const lock = lockOf(json, 'mcp-audit-acme');
    (ruleOf(lock).condition as JsonObject).max_age_seconds = age;
    return { json, lock: resource(json, 'cloudflare_r2_bucket_lock', (l) => l === lock)[0] };
  }

  test.each<[string, number | string, string | undefined]>([
    ['2592000 s (30 days, the floor)', 2592000, undefined],
    ['"2592000" (the floor, as a numeric string)', '2592000', undefined],
    ['2591999 s (one second short)', 2591999, 'locks records for 2591999 s (30 days), less than 30 days (2592000 s)'],
    [
      '"2591999" (one second short, as a numeric string)',
      '2591999',
      'locks records for 2591999 s (30 days), less than 30 days (2592000 s)',
    ],
    ['2505600 s (29 days)', 2505600, 'locks records for 2505600 s (29 days), less than 30 days (2592000 s)'],
  ])('an R2 Age rule of %s, exact finding', (_name, age, problem) => {
    const { json, lock } = withSeconds(age);
    const results = run(MCP_AUD_1, json).filter((r) => r.address === acmeBucket(json));
    expect(results).toEqual([
      problem === undefined
        ? { address: acmeBucket(json), status: 'compliant' }
        : {
            address: acmeBucket(json),
            status: 'non-compliant',
            detail: `no enabled whole-bucket lock rule keeps records: cloudflare_r2_bucket_lock.${lock}.rules[0] ${problem}`,
          },
    ]);
  });

  test('the configured 365 days: 31536000 s kept, 31535999 s refused with the exact finding', () => {
    const at = withAge(365, 365);
    expect(notCompliant(run(MCP_AUD_1, at))).toEqual([]);
    const json = withAge(365, 365);
    const lock = lockOf(json, 'mcp-audit-acme');
    (ruleOf(lock).condition as JsonObject).max_age_seconds = 31535999;
    const name = resource(json, 'cloudflare_r2_bucket_lock', (l) => l === lock)[0];
    expect(notCompliant(run(MCP_AUD_1, json))).toEqual([
      {
        address: acmeBucket(json),
        status: 'non-compliant',
        detail: `no enabled whole-bucket lock rule keeps records: cloudflare_r2_bucket_lock.${name}.rules[0] locks records for 31535999 s (365 days), less than the configured 365 days (31536000 s)`,
      },
    ]);
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

  /** The S3 JSON with the lock's retention set by `edit`, and its retention hint set to `hint` (undefined: removed). */
  const judgeS3Retention = (edit: (retention: JsonObject) => void, hint?: number) =>
    judgeS3((json) => {
      const retention = ((json['//'] as JsonObject).mcp_access_audit as JsonObject).retention as JsonObject;
      const keys = Object.keys(retention);
      expect(keys).toHaveLength(1);
      if (hint === undefined) delete retention[keys[0]];
      else retention[keys[0]] = hint;
      const r = retentionOf(json);
      delete r.days;
      delete r.years;
      edit(r);
    });
  const s3Lock = () => only(s3Json(), 'aws_s3_bucket_object_lock_configuration')[0];

  test.each<[string, (r: JsonObject) => void, number | undefined, string | undefined]>([
    ['days 30 against the 30-day floor', (r) => (r.days = 30), undefined, undefined],
    ['days "30" (a numeric string) against the floor', (r) => (r.days = '30'), undefined, undefined],
    [
      'days 29 against the 30-day floor',
      (r) => (r.days = 29),
      undefined,
      'keeps records for 29 days, less than 30 days',
    ],
    [
      'days "29" (a numeric string) against the floor',
      (r) => (r.days = '29'),
      undefined,
      'keeps records for 29 days, less than 30 days',
    ],
    ['days 365 against the configured 365', (r) => (r.days = 365), 365, undefined],
    [
      'days 364 against the configured 365',
      (r) => (r.days = 364),
      365,
      'keeps records for 364 days, less than the configured 365 days',
    ],
    ['years 1 (365 days) against the configured 365', (r) => (r.years = 1), 365, undefined],
    [
      'years 1 (365 days) against the configured 366',
      (r) => (r.years = 1),
      366,
      'keeps records for 365 days, less than the configured 366 days',
    ],
    ['years 1 against the 30-day floor', (r) => (r.years = 1), undefined, undefined],
    [
      'years 0 against the 30-day floor',
      (r) => (r.years = 0),
      undefined,
      'keeps records for 0 days, less than 30 days',
    ],
  ])('S3 default retention: %s, exact finding', (_name, edit, hint, problem) => {
    const r = judgeS3Retention(edit, hint);
    expect(r).toEqual(
      problem === undefined
        ? { address: expect.stringMatching(/^aws_s3_bucket\./), status: 'compliant' }
        : {
            address: expect.stringMatching(/^aws_s3_bucket\./),
            status: 'non-compliant',
            detail: `aws_s3_bucket_object_lock_configuration.${s3Lock()} ${problem}`,
          },
    );
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
