/** examples/aws-audit: the five layers with the audit trail on S3 Object Lock (issue 18), offline. */
import { McpAccessChecks } from '../../lib/checks/pack';
import { Testing } from '../../lib/core/cdktf';
import type { JsonObject } from '../../lib/model/stack';
import { AwsAuditStack } from '../../examples/aws-audit/main';
import { rawJson, resourcesOf } from '../helpers';

describe('examples/aws-audit', () => {
  let json: JsonObject;
  beforeAll(() => {
    json = rawJson(new AwsAuditStack(Testing.app(), 'aws-audit'));
  });

  test('passes the whole rule pack: no error, no warning', () => {
    const report = McpAccessChecks.check(json);
    expect(report.applied.length).toBeGreaterThan(25);
    expect(report.findings.map((f) => `${f.ruleId} ${f.address}: ${f.detail}`)).toEqual([]);
  });

  test('keeps every record in S3 buckets locked in compliance mode for 365 days, none in R2', () => {
    expect(Object.keys(resourcesOf(json, 'cloudflare_r2_bucket'))).toEqual([]);
    const buckets = Object.values(resourcesOf(json, 'aws_s3_bucket')).map((b) => [b.bucket, b.object_lock_enabled]);
    expect(buckets.sort()).toEqual([
      ['example-mcp-audit-access-requests', true],
      ['example-mcp-audit-acme', true],
      ['example-mcp-audit-globex', true],
    ]);
    const locks = Object.values(resourcesOf(json, 'aws_s3_bucket_object_lock_configuration'));
    expect(locks).toHaveLength(3);
    for (const lock of locks) {
      expect(lock.rule).toEqual({ default_retention: { days: 365, mode: 'COMPLIANCE' } });
      expect(lock.lifecycle).toEqual({ prevent_destroy: true });
    }
  });

  test("gives each tenant's shipper a writer role through IRSA, bound to that tenant's service account", () => {
    const roles = Object.values(resourcesOf(json, 'aws_iam_role'));
    expect(roles).toHaveLength(2);
    const subjects = roles.map((role) => {
      const trust = JSON.parse(String(role.assume_role_policy)) as {
        Statement: { Condition: { StringEquals: Record<string, string> } }[];
      };
      return trust.Statement[0].Condition.StringEquals[
        'oidc.eks.eu-central-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub'
      ];
    });
    expect(subjects.sort()).toEqual([
      'system:serviceaccount:mcp-acme:mcp-server',
      'system:serviceaccount:mcp-globex:mcp-server',
    ]);
    expect(Object.keys(resourcesOf(json, 'aws_iam_access_key'))).toEqual([]);
  });
});
