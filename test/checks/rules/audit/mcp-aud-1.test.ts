import { MCP_AUD_1 } from '../../../../lib/checks/rules/audit/mcp-aud-1';
import type { JsonObject } from '../../../../lib/model/stack';
import { addResource, auditJson, lockOf, notCompliant, removeResources, resource, run } from './tamper';

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

  test('non-compliant: a retention of 1 day', () => {
    const json = auditJson();
    const lock = lockOf(json, 'mcp-audit-acme');
    (ruleOf(lock).condition as JsonObject).max_age_seconds = 86400;
    const [bad] = notCompliant(run(MCP_AUD_1, json));
    expect(bad.status).toBe('non-compliant');
    expect(bad.address).toBe(acmeBucket(json));
    expect(bad.detail).toMatch(/rules\[0\] locks records for 86400 s \(1 days\), less than 30 days \(2592000 s\)$/);
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
