import { AppendOnlyAuditBucket, type AppendOnlyAuditBucketProps } from '../../lib/audit/append-only-audit-bucket';
import { TerraformVariable } from '../../lib/core/cdktf';
import { type ValidationError } from '../../lib/core/validation';
import { bodiesOf, newStack, rawJson } from '../helpers';
import { ACCOUNT, warningsOf } from './fixtures';

function synthBucket(props: Partial<AppendOnlyAuditBucketProps> = {}) {
  const stack = newStack();
  const bucket = new AppendOnlyAuditBucket(stack, 'Audit', { accountId: ACCOUNT, bucketName: 'mcp-audit-x', ...props });
  const json = rawJson(stack);
  return {
    stack,
    bucket,
    buckets: bodiesOf(json, 'cloudflare_r2_bucket'),
    locks: bodiesOf(json, 'cloudflare_r2_bucket_lock'),
  };
}

function problemsOf(props: Partial<AppendOnlyAuditBucketProps>): readonly string[] {
  try {
    new AppendOnlyAuditBucket(newStack(), 'Audit', { accountId: ACCOUNT, bucketName: 'mcp-audit-x', ...props });
  } catch (e) {
    return (e as ValidationError).problems;
  }
  return [];
}

describe('AppendOnlyAuditBucket defaults', () => {
  const { bucket, buckets, locks } = synthBucket();

  test('provisions one bucket and one lock, both with prevent_destroy', () => {
    expect(buckets).toHaveLength(1);
    expect(locks).toHaveLength(1);
    expect(buckets[0]).toMatchObject({
      account_id: ACCOUNT,
      name: 'mcp-audit-x',
      jurisdiction: 'default',
      lifecycle: { prevent_destroy: true },
    });
    expect(locks[0].lifecycle).toEqual({ prevent_destroy: true });
  });

  test('locks the whole bucket with one enabled Age rule of 365 days', () => {
    expect(locks[0].rules).toEqual([
      {
        id: 'audit-retention',
        enabled: true,
        prefix: '',
        condition: { type: 'Age', max_age_seconds: 365 * 86400 },
      },
    ]);
  });

  test('the lock targets the bucket by reference, in the same jurisdiction', () => {
    expect(locks[0].bucket_name).toMatch(/^\$\{cloudflare_r2_bucket\.Audit_Bucket_[0-9A-F]{8}\.name\}$/);
    expect(locks[0].jurisdiction).toBe('default');
    expect(locks[0].account_id).toBe(ACCOUNT);
  });

  test('exposes the bucket name and id as references, and the retention in effect', () => {
    expect(bucket.bucketName).toContain('${TfToken');
    expect(bucket.bucketId).toContain('${TfToken');
    expect(bucket.retentionDays).toBe(365);
    expect(bucket.indefinite).toBe(false);
    expect(bucket.jurisdiction).toBe('default');
  });
});

describe('AppendOnlyAuditBucket props', () => {
  test('retentionDays sets the lock age in seconds', () => {
    expect(synthBucket({ retentionDays: 400 }).locks[0].rules).toEqual([
      expect.objectContaining({ condition: { type: 'Age', max_age_seconds: 400 * 86400 } }),
    ]);
  });

  test('indefinite locks every record for ever', () => {
    const { bucket, locks } = synthBucket({ indefinite: true });
    expect(locks[0].rules).toEqual([
      { id: 'audit-retention', enabled: true, prefix: '', condition: { type: 'Indefinite' } },
    ]);
    expect(bucket.retentionDays).toBeUndefined();
  });

  test('jurisdiction and location are set on the bucket, jurisdiction on the lock too', () => {
    const { buckets, locks } = synthBucket({ jurisdiction: 'eu', location: 'weur' });
    expect(buckets[0]).toMatchObject({ jurisdiction: 'eu', location: 'weur' });
    expect(locks[0].jurisdiction).toBe('eu');
  });

  test('a retention below the default draws a warning naming the default and the value', () => {
    expect(warningsOf(synthBucket({ retentionDays: 90 }).stack)).toEqual([
      'retentionDays is 90, below the default of 365: audit records become deletable 90 days after they are written',
    ]);
  });

  test('the default retention and an indefinite lock draw no warning', () => {
    expect(warningsOf(synthBucket().stack)).toEqual([]);
    expect(warningsOf(synthBucket({ indefinite: true }).stack)).toEqual([]);
  });
});

describe('AppendOnlyAuditBucket validation', () => {
  test('fails when accountId is not 32 hex characters', () => {
    expect(problemsOf({ accountId: 'acct' })).toEqual([
      "accountId must be 32 lower-case hex characters, but 'acct' was provided",
    ]);
  });

  test('fails when accountId is missing', () => {
    expect(problemsOf({ accountId: '' })).toEqual(["accountId is required, but '' was provided"]);
  });

  test('fails when bucketName is missing', () => {
    expect(problemsOf({ bucketName: '' })).toEqual(["bucketName is required, but '' was provided"]);
  });

  test('fails when bucketName breaks the R2 naming rules', () => {
    expect(problemsOf({ bucketName: 'Audit_Bucket' })).toEqual([
      "bucketName must be 3-63 lower-case letters, digits or hyphens, starting and ending with a letter or digit, but 'Audit_Bucket' was provided",
    ]);
    expect(problemsOf({ bucketName: 'ab' })).toHaveLength(1);
    expect(problemsOf({ bucketName: 'a'.repeat(64) })).toHaveLength(1);
    expect(problemsOf({ bucketName: '-audit' })).toHaveLength(1);
  });

  test('fails when retentionDays is below 30', () => {
    expect(
      () =>
        new AppendOnlyAuditBucket(newStack(), 'A', { accountId: ACCOUNT, bucketName: 'mcp-audit-x', retentionDays: 1 }),
    ).toThrow('retentionDays must be at least 30, but 1 was provided');
  });

  test('fails when retentionDays is a fraction', () => {
    expect(problemsOf({ retentionDays: 45.5 })).toEqual([
      'retentionDays must be a whole number at least 30, but 45.5 was provided',
    ]);
  });

  test('fails when retentionDays is set with indefinite', () => {
    expect(problemsOf({ retentionDays: 90, indefinite: true })).toEqual([
      'retentionDays must not be set when indefinite is true (an indefinite lock has no age), but 90 was provided',
    ]);
  });

  test('fails when jurisdiction or location is unknown', () => {
    expect(problemsOf({ jurisdiction: 'us' as never, location: 'mars' as never })).toEqual([
      "jurisdiction must be one of 'default', 'eu', 'fedramp', but 'us' was provided",
      "location must be one of 'apac', 'eeur', 'enam', 'weur', 'wnam', 'oc', but 'mars' was provided",
    ]);
  });

  test('fails when jurisdiction is a token', () => {
    const stack = newStack();
    const j = new TerraformVariable(stack, 'jurisdiction', { type: 'string' });
    expect(
      () =>
        new AppendOnlyAuditBucket(stack, 'A', {
          accountId: ACCOUNT,
          bucketName: 'mcp-audit-x',
          jurisdiction: j.stringValue as never,
        }),
    ).toThrow(
      'jurisdiction must be a literal (it decides the S3 host and the credential scope), but a token was provided',
    );
  });

  test('collects every problem and throws once', () => {
    expect(problemsOf({ accountId: 'x', bucketName: 'X', retentionDays: 2 })).toHaveLength(3);
  });

  test('accepts Terraform tokens for accountId, bucketName and retentionDays', () => {
    const stack = newStack();
    const account = new TerraformVariable(stack, 'account_id', { type: 'string' });
    const name = new TerraformVariable(stack, 'bucket', { type: 'string' });
    const days = new TerraformVariable(stack, 'days', { type: 'number' });
    new AppendOnlyAuditBucket(stack, 'A', {
      accountId: account.stringValue,
      bucketName: name.stringValue,
      retentionDays: days.numberValue,
    });
    const json = rawJson(stack);
    expect(bodiesOf(json, 'cloudflare_r2_bucket')[0]).toMatchObject({
      account_id: '${var.account_id}',
      name: '${var.bucket}',
    });
    expect(bodiesOf(json, 'cloudflare_r2_bucket_lock')[0].rules).toEqual([
      expect.objectContaining({ condition: { type: 'Age', max_age_seconds: '${(var.days * 86400)}' } }),
    ]);
  });
});
