import { AccessRequestsAuditLog, type AccessRequestsAuditLogProps } from '../../lib/audit/access-requests-audit-log';
import { TerraformVariable } from '../../lib/core/cdktf';
import type { ValidationError } from '../../lib/core/validation';
import type { JsonObject } from '../../lib/model/stack';
import { bodiesOf, newStack, rawJson, resourcesOf } from '../helpers';
import { ACCOUNT } from './fixtures';

function synthLog(props: Partial<AccessRequestsAuditLogProps> = {}) {
  const stack = newStack();
  const log = new AccessRequestsAuditLog(stack, 'Edge', { accountId: ACCOUNT, ...props });
  const json = rawJson(stack);
  return { stack, log, json };
}

const only = (json: JsonObject, type: string): [string, JsonObject] => {
  const entries = Object.entries(resourcesOf(json, type));
  expect(entries).toHaveLength(1);
  return entries[0];
};

describe('AccessRequestsAuditLog defaults', () => {
  const { log, json } = synthLog();
  const [bucketName] = only(json, 'cloudflare_r2_bucket');
  const [tokenName, token] = only(json, 'cloudflare_account_token');
  const [, job] = only(json, 'cloudflare_logpush_job');

  test('provisions one locked account bucket with prevent_destroy on bucket and lock', () => {
    expect(resourcesOf(json, 'cloudflare_r2_bucket')[bucketName]).toMatchObject({
      name: 'mcp-audit-access-requests',
      lifecycle: { prevent_destroy: true },
    });
    const [, lock] = only(json, 'cloudflare_r2_bucket_lock');
    expect(lock).toMatchObject({
      bucket_name: `\${cloudflare_r2_bucket.${bucketName}.name}`,
      lifecycle: { prevent_destroy: true },
      rules: [{ enabled: true, prefix: '', condition: { type: 'Age', max_age_seconds: 365 * 86400 } }],
    });
  });

  test('pushes the account-level access_requests dataset, enabled, as NDJSON with who/when/which app/allowed', () => {
    expect(job).toMatchObject({ account_id: ACCOUNT, dataset: 'access_requests', enabled: true });
    expect(job.zone_id).toBeUndefined();
    expect(job.output_options).toEqual({
      output_type: 'ndjson',
      timestamp_format: 'rfc3339',
      field_names: [
        'CreatedAt',
        'Email',
        'UserUID',
        'AppUUID',
        'AppDomain',
        'Allowed',
        'Action',
        'Connection',
        'Country',
        'IPAddress',
        'RayID',
      ],
    });
  });

  test('writes into the bucket with the token id and the SHA-256 of its value, by reference only', () => {
    expect(job.destination_conf).toBe(
      `r2://\${cloudflare_r2_bucket.${bucketName}.name}/access-requests/{DATE}?account-id=${ACCOUNT}` +
        `&access-key-id=\${cloudflare_account_token.${tokenName}.id}` +
        `&secret-access-key=\${sha256(cloudflare_account_token.${tokenName}.value)}`,
    );
  });

  test('the write token allows only R2 object writes, on that one bucket', () => {
    expect(token).toMatchObject({ account_id: ACCOUNT, name: 'mcp-audit-access-requests-writer' });
    expect(token.policies).toEqual([
      {
        effect: 'allow',
        permission_groups: [{ id: '2efd5506f9c8494dacb1fa10a3e7d5b6' }],
        resources: JSON.stringify({
          [`com.cloudflare.edge.r2.bucket.${ACCOUNT}_default_\${cloudflare_r2_bucket.${bucketName}.name}`]: '*',
        }),
      },
    ]);
  });

  test('exposes the bucket, its name and the job', () => {
    expect(log.bucket!.retentionDays).toBe(365);
    expect(log.bucketName).toBe(log.bucket!.bucketName);
    expect(log.logpushJob.datasetInput).toBe('access_requests');
    expect(log.writerTokenId).toContain('${TfToken');
  });
});

describe('AccessRequestsAuditLog props', () => {
  test('bucketName and retentionDays shape the bucket and its lock', () => {
    const { json } = synthLog({ bucketName: 'edge-audit', retentionDays: 730 });
    expect(bodiesOf(json, 'cloudflare_r2_bucket')[0].name).toBe('edge-audit');
    expect(bodiesOf(json, 'cloudflare_r2_bucket_lock')[0].rules).toEqual([
      expect.objectContaining({ condition: { type: 'Age', max_age_seconds: 730 * 86400 } }),
    ]);
  });

  test('indefinite locks the account bucket for ever', () => {
    const { json } = synthLog({ indefinite: true });
    expect(bodiesOf(json, 'cloudflare_r2_bucket_lock')[0].rules).toEqual([
      expect.objectContaining({ condition: { type: 'Indefinite' } }),
    ]);
  });

  test('an eu bucket is reached through the S3-compatible destination on its jurisdiction host', () => {
    const { json } = synthLog({ jurisdiction: 'eu' });
    const [bucketName] = only(json, 'cloudflare_r2_bucket');
    const [tokenName, token] = only(json, 'cloudflare_account_token');
    expect(bodiesOf(json, 'cloudflare_logpush_job')[0].destination_conf).toBe(
      `s3://\${cloudflare_r2_bucket.${bucketName}.name}/access-requests/{DATE}?region=auto` +
        `&access-key-id=\${cloudflare_account_token.${tokenName}.id}` +
        `&secret-access-key=\${sha256(cloudflare_account_token.${tokenName}.value)}` +
        `&endpoint=${ACCOUNT}.eu.r2.cloudflarestorage.com`,
    );
    expect(String((token.policies as JsonObject[])[0].resources)).toContain(`${ACCOUNT}_eu_`);
  });
});

describe('AccessRequestsAuditLog validation', () => {
  const problemsOf = (props: Partial<AccessRequestsAuditLogProps>): readonly string[] => {
    try {
      new AccessRequestsAuditLog(newStack(), 'Edge', { accountId: ACCOUNT, ...props });
    } catch (e) {
      return (e as ValidationError).problems;
    }
    return [];
  };

  test('fails when bucketName breaks the R2 naming rules', () => {
    expect(problemsOf({ bucketName: 'Edge Audit' })).toEqual([
      "bucketName must be 3-63 lower-case letters, digits or hyphens, starting and ending with a letter or digit, but 'Edge Audit' was provided",
    ]);
  });

  test('fails when accountId or retentionDays is invalid', () => {
    expect(problemsOf({ accountId: 'nope', retentionDays: 7 })).toEqual([
      "accountId must be 32 lower-case hex characters, but 'nope' was provided",
      'retentionDays must be at least 30, but 7 was provided',
    ]);
  });

  test('accepts a Terraform token for the account id, which flows into the destination', () => {
    const stack = newStack();
    const account = new TerraformVariable(stack, 'cloudflare_account_id', { type: 'string' });
    new AccessRequestsAuditLog(stack, 'Edge', { accountId: account.stringValue });
    const job = bodiesOf(rawJson(stack), 'cloudflare_logpush_job')[0];
    expect(job.account_id).toBe('${var.cloudflare_account_id}');
    expect(job.destination_conf).toContain('account-id=${var.cloudflare_account_id}&');
  });
});

describe('AccessRequestsAuditLog writer lifetime', () => {
  test('the Logpush writer token rotates and expires like a tenant writer; the job names it by reference', () => {
    const { log, json } = synthLog({ writerRotationDays: 60, writerExpiryMarginDays: 10 });
    const [rotation, body] = only(json, 'time_rotating');
    expect(body.rotation_days).toBe(60);
    const [tokenName, token] = only(json, 'cloudflare_account_token');
    expect(token.expires_on).toBe(`\${timeadd(time_rotating.${rotation}.rotation_rfc3339, "240h")}`);
    expect(token.lifecycle).toEqual({
      create_before_destroy: true,
      replace_triggered_by: [`\${time_rotating.${rotation}}`],
    });
    expect(bodiesOf(json, 'cloudflare_logpush_job')[0].destination_conf).toContain(
      `access-key-id=\${cloudflare_account_token.${tokenName}.id}`,
    );
    expect(log.writerRotation).toBeDefined();
  });

  test('fails when the writer lifetime is out of bounds', () => {
    expect(() => synthLog({ writerRotationDays: 91, writerExpiryMarginDays: 31 })).toThrow(
      [
        'AccessRequestsAuditLog has invalid props:',
        '  - writerRotationDays must be between 1 and 90, but 91 was provided',
        '  - writerExpiryMarginDays must be between 1 and 30, but 31 was provided',
      ].join('\n'),
    );
  });
});
