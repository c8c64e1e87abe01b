import { MCP_AUD_8 } from '../../../../lib/checks/rules/audit/mcp-aud-8';
import type { JsonObject } from '../../../../lib/model/stack';
import { run } from './tamper';
import { only, s3Json } from './s3-fixture';

function judged(edit: (json: JsonObject) => void) {
  const json = s3Json();
  edit(json);
  const results = run(MCP_AUD_8, json);
  expect(results).toHaveLength(1);
  return results[0];
}

const policyOf = (json: JsonObject) => only(json, 'aws_s3_bucket_policy')[1];
const statementsOf = (json: JsonObject) => JSON.parse(String(policyOf(json).policy)) as { Statement: JsonObject[] };

describe('MCP-AUD-8', () => {
  test('declares what it requires and its fix', () => {
    expect(MCP_AUD_8.requires?.length).toBeGreaterThanOrEqual(4);
    expect(MCP_AUD_8.fix).toContain('s3AuditBackend');
  });

  test('compliant: the bucket the S3 backend writes', () => {
    expect(judged(() => undefined).status).toBe('compliant');
  });

  test('not applicable: R2 only, or no buckets', () => {
    expect(run(MCP_AUD_8, {})).toEqual([]);
  });

  test('non-compliant: public access allowed, ACLs on, no encryption, force_destroy', () => {
    const r = judged((json) => {
      only(json, 'aws_s3_bucket_public_access_block')[1].restrict_public_buckets = false;
      (only(json, 'aws_s3_bucket_ownership_controls')[1].rule as JsonObject).object_ownership = 'ObjectWriter';
      delete (json.resource as Record<string, unknown>).aws_s3_bucket_server_side_encryption_configuration;
      only(json, 'aws_s3_bucket')[1].force_destroy = true;
    });
    expect(r.detail).toBe(
      [
        'force_destroy is true',
        'no aws_s3_bucket_public_access_block sets block_public_acls, block_public_policy, ignore_public_acls, restrict_public_buckets for this bucket',
        'no aws_s3_bucket_ownership_controls sets BucketOwnerEnforced (ACLs off) for this bucket',
        'no aws_s3_bucket_server_side_encryption_configuration encrypts this bucket',
      ].join('; '),
    );
  });

  test('non-compliant: the policy no longer denies version deletes and lock changes', () => {
    const r = judged((json) => {
      const doc = statementsOf(json);
      (doc.Statement[0].Action as string[]).splice(1, 3);
      policyOf(json).policy = JSON.stringify(doc);
    });
    expect(r.detail).toBe(
      'the bucket policy does not deny s3:DeleteObjectVersion, s3:DeleteBucket, s3:PutBucketObjectLockConfiguration to every principal',
    );
  });

  test('compliant: a wildcard deny (s3:Delete*, s3:Put*) covers the actions', () => {
    const r = judged((json) => {
      const doc = statementsOf(json);
      doc.Statement[0].Action = ['s3:Delete*', 's3:Put*', 's3:BypassGovernanceRetention'];
      policyOf(json).policy = JSON.stringify(doc);
    });
    expect(r.status).toBe('compliant');
  });

  test('non-compliant: a conditional deny does not count', () => {
    const r = judged((json) => {
      const doc = statementsOf(json);
      doc.Statement[0].Condition = { StringNotEquals: { 'aws:PrincipalAccount': '1' } };
      policyOf(json).policy = JSON.stringify(doc);
    });
    expect(r.detail).toMatch(/^the bucket policy does not deny s3:DeleteObject, /);
  });

  test('undecided: force_destroy is an expression', () => {
    const r = judged((json) => (only(json, 'aws_s3_bucket')[1].force_destroy = '${var.force}'));
    expect(r).toEqual({
      address: expect.any(String),
      status: 'undecided',
      detail: 'force_destroy is an unresolved expression',
    });
  });
});
