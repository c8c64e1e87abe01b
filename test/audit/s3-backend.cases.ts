import { AccessRequestsAuditLog } from '../../lib/audit/access-requests-audit-log';
import { s3AuditBackend, type S3AuditBackendSettings } from '../../lib/audit/s3-audit-backend';
import { S3ObjectLockAuditBucket } from '../../lib/audit/s3-object-lock-audit-bucket';
import { TenantAuditTrail } from '../../lib/audit/tenant-audit-trail';
import { AUDIT_RULES } from '../../lib/checks/rules/audit';
import { Construct } from '../../lib/core/cdktf';
import { recordTenantScope } from '../../lib/core/stack-metadata';
import type { ValidationError } from '../../lib/core/validation';
import { SynthesizedStack, type JsonObject } from '../../lib/model/stack';
import { bodiesOf, newStack, rawJson, resourcesOf, withProviders } from '../helpers';
import { ACCOUNT, materializeAddon, pluginsOf, shipperConfigs, warningsOf } from './fixtures';

const IRSA: S3AuditBackendSettings = {
  region: 'eu-central-1',
  bucketNamePrefix: 'example-',
  identity: {
    irsa: {
      oidcProviderArn: 'arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-central-1.amazonaws.com/id/ABC',
      oidcIssuer: 'oidc.eks.eu-central-1.amazonaws.com/id/ABC',
    },
  },
};

/** A stack with the account's Access request log and acme's trail, both in S3. */
function s3Stack(settings: S3AuditBackendSettings = IRSA) {
  const stack = withProviders(newStack());
  const backend = s3AuditBackend(settings);
  const log = new AccessRequestsAuditLog(stack, 'Edge', { accountId: ACCOUNT, backend });
  const cell = new Construct(stack, 'acme');
  recordTenantScope(cell, 'acme');
  const trail = new TenantAuditTrail(cell, 'Audit', { tenantId: 'acme', accountId: ACCOUNT, backend });
  materializeAddon(cell, 'acme', trail.podAddon);
  return { stack, log, trail, json: rawJson(stack) };
}

const byName = (json: JsonObject, type: string, pick: (b: JsonObject) => boolean): [string, JsonObject] => {
  const found = Object.entries(resourcesOf(json, type)).filter(([, b]) => pick(b));
  expect(found).toHaveLength(1);
  return found[0];
};

describe('S3ObjectLockAuditBucket', () => {
  const stack = newStack();
  const bucket = new S3ObjectLockAuditBucket(stack, 'Audit', { bucketName: 'example-mcp-audit-x' });
  const json = rawJson(stack);
  const [name, body] = byName(json, 'aws_s3_bucket', () => true);
  const ref = (attr: string) => `\${aws_s3_bucket.${name}.${attr}}`;

  test('one bucket with Object Lock enabled, no force_destroy, prevent_destroy on bucket, versioning and lock', () => {
    expect(body).toMatchObject({
      bucket: 'example-mcp-audit-x',
      object_lock_enabled: true,
      force_destroy: false,
      lifecycle: { prevent_destroy: true },
    });
    expect(bodiesOf(json, 'aws_s3_bucket_versioning')).toEqual([
      expect.objectContaining({
        bucket: ref('id'),
        versioning_configuration: { status: 'Enabled' },
        lifecycle: { prevent_destroy: true },
      }),
    ]);
    expect(bodiesOf(json, 'aws_s3_bucket_object_lock_configuration')).toEqual([
      expect.objectContaining({
        bucket: ref('id'),
        object_lock_enabled: 'Enabled',
        rule: { default_retention: { mode: 'COMPLIANCE', days: 365 } },
        lifecycle: { prevent_destroy: true },
      }),
    ]);
    expect(bucket.retentionDays).toBe(365);
  });

  test('private, owner-enforced, encrypted with SSE-S3 by default', () => {
    expect(bodiesOf(json, 'aws_s3_bucket_public_access_block')).toEqual([
      expect.objectContaining({
        block_public_acls: true,
        block_public_policy: true,
        ignore_public_acls: true,
        restrict_public_buckets: true,
      }),
    ]);
    expect(bodiesOf(json, 'aws_s3_bucket_ownership_controls')[0].rule).toEqual({
      object_ownership: 'BucketOwnerEnforced',
    });
    expect(bodiesOf(json, 'aws_s3_bucket_server_side_encryption_configuration')[0].rule).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' }, bucket_key_enabled: false },
    ]);
  });

  test('the policy denies every principal deletes and lock changes, and plain HTTP', () => {
    const policy = JSON.parse(String(bodiesOf(json, 'aws_s3_bucket_policy')[0].policy)) as JsonObject;
    expect(policy.Statement).toEqual([
      {
        Sid: 'DenyDeletesAndLockChanges',
        Effect: 'Deny',
        Principal: '*',
        Action: [
          's3:DeleteObject',
          's3:DeleteObjectVersion',
          's3:DeleteBucket',
          's3:PutBucketObjectLockConfiguration',
          's3:PutObjectRetention',
          's3:PutObjectLegalHold',
          's3:BypassGovernanceRetention',
          's3:PutLifecycleConfiguration',
        ],
        Resource: [ref('arn'), `${ref('arn')}/*`],
      },
      {
        Sid: 'DenyInsecureTransport',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: [ref('arn'), `${ref('arn')}/*`],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
    ]);
  });

  test('records the configured retention of its lock configuration', () => {
    expect((json['//'] as JsonObject).mcp_access_audit).toEqual({ retention: { 'test/Audit/ObjectLock': 365 } });
  });

  const problemsOf = (props: { bucketName: string; retentionDays?: number }) => {
    try {
      new S3ObjectLockAuditBucket(newStack(), 'A', props);
    } catch (e) {
      return (e as ValidationError).problems;
    }
    return [];
  };

  test.each([
    [30, []],
    [29, ['retentionDays must be at least 30, but 29 was provided']],
  ] as const)('retentionDays %s', (days, problems) => {
    expect(problemsOf({ bucketName: 'example-mcp-audit-x', retentionDays: days })).toEqual(problems);
  });

  test('fails when bucketName breaks the S3 naming rules', () => {
    expect(problemsOf({ bucketName: 'Audit_Bucket' })).toEqual([
      "bucketName must be 3-63 lower-case letters, digits, hyphens or dots, starting and ending with a letter or digit, but 'Audit_Bucket' was provided",
    ]);
  });

  test('a retention below the default warns', () => {
    const s = newStack();
    new S3ObjectLockAuditBucket(s, 'A', { bucketName: 'example-mcp-audit-x', retentionDays: 90 });
    expect(warningsOf(s)).toEqual([
      'retentionDays is 90, below the default of 365: audit records become deletable 90 days after they are written',
    ]);
  });
});

describe('the S3 backend for a tenant trail (IRSA) and the Access request log', () => {
  const { trail, log, json } = s3Stack();
  const [acmeBucketName] = byName(json, 'aws_s3_bucket', (b) => b.bucket === 'example-mcp-audit-acme');

  test("acme's records go to its own S3 bucket in its region, with Content-MD5 (Object Lock requires it)", () => {
    const outputs = pluginsOf(shipperConfigs(json)[0], 'outputs');
    expect(outputs.audit_bucket).toMatchObject({
      bucket: `\${aws_s3_bucket.${acmeBucketName}.bucket}`,
      region: 'eu-central-1',
      send_content_md5: 'on',
      use_put_object: 'on',
    });
    expect(outputs.audit_bucket.endpoint).toBeUndefined();
    expect(trail.bucket).toBeUndefined();
    expect(trail.writer).toBeUndefined();
  });

  test("the writer role trusts only acme's service account through the OIDC provider, and may only put objects under tenant=acme/", () => {
    const [roleName, role] = byName(json, 'aws_iam_role', () => true);
    expect(role.name).toBe('example-mcp-audit-acme-writer');
    expect(JSON.parse(String(role.assume_role_policy))).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Federated: IRSA.identity && 'irsa' in IRSA.identity ? IRSA.identity.irsa.oidcProviderArn : '' },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: {
            StringEquals: {
              'oidc.eks.eu-central-1.amazonaws.com/id/ABC:sub': 'system:serviceaccount:mcp-acme:mcp-server',
              'oidc.eks.eu-central-1.amazonaws.com/id/ABC:aud': 'sts.amazonaws.com',
            },
          },
        },
      ],
    });
    const [, policy] = byName(json, 'aws_iam_role_policy', () => true);
    expect(policy.role).toBe(`\${aws_iam_role.${roleName}.id}`);
    expect(JSON.parse(String(policy.policy))).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: ['s3:PutObject'],
          Resource: `\${aws_s3_bucket.${acmeBucketName}.arn}/tenant=acme/*`,
        },
      ],
    });
    expect(resourcesOf(json, 'aws_iam_access_key')).toEqual({});
  });

  test('only the shipper gets the web identity: a projected token with the sts audience, mounted into it alone', () => {
    const c = trail.podAddon.containers[0];
    expect(c.env).toEqual([
      { name: 'AWS_ROLE_ARN', value: expect.stringContaining('${TfToken') },
      { name: 'AWS_WEB_IDENTITY_TOKEN_FILE', value: '/var/run/secrets/eks.amazonaws.com/serviceaccount/token' },
      { name: 'AWS_REGION', value: 'eu-central-1' },
    ]);
    expect(trail.podAddon.volumes).toContainEqual({
      name: 'audit-shipper-aws-token',
      projected: [
        {
          sources: [{ serviceAccountToken: { audience: 'sts.amazonaws.com', expirationSeconds: 3600, path: 'token' } }],
        },
      ],
    });
    expect(c.volumeMount).toContainEqual({
      name: 'audit-shipper-aws-token',
      mountPath: '/var/run/secrets/eks.amazonaws.com/serviceaccount',
      readOnly: true,
    });
    expect(trail.podAddon.secrets).toBeUndefined();
    expect(trail.podAddon.mcpVolumeMounts).toEqual([{ name: 'audit-log', mountPath: '/var/run/mcp-audit' }]);
  });

  test('Logpush writes the Access requests into the account S3 bucket, with the ownership challenge read back', () => {
    const [edgeName] = byName(json, 'aws_s3_bucket', (b) => b.bucket === 'example-mcp-audit-access-requests');
    const [, job] = byName(json, 'cloudflare_logpush_job', () => true);
    expect(job.destination_conf).toBe(
      `s3://\${aws_s3_bucket.${edgeName}.bucket}/access-requests/{DATE}?region=eu-central-1`,
    );
    const [challengeName, challenge] = byName(json, 'cloudflare_logpush_ownership_challenge', () => true);
    expect(challenge.account_id).toBe(ACCOUNT);
    const [objectName] = Object.keys((json.data as Record<string, JsonObject>).aws_s3_object);
    expect(job.ownership_challenge).toBe(`\${data.aws_s3_object.${objectName}.body}`);
    expect((json.data as Record<string, Record<string, JsonObject>>).aws_s3_object[objectName].key).toBe(
      `\${cloudflare_logpush_ownership_challenge.${challengeName}.filename}`,
    );
    const policy = JSON.parse(
      String(bodiesOf(json, 'aws_s3_bucket_policy').find((p) => String(p.bucket).includes(edgeName))!.policy),
    ) as { Statement: JsonObject[] };
    expect(policy.Statement[2]).toEqual({
      Sid: 'AllowCloudflareLogpush',
      Effect: 'Allow',
      Principal: { AWS: ['arn:aws:iam::391854517948:user/cloudflare-logpush'] },
      Action: ['s3:PutObject'],
      Resource: `\${aws_s3_bucket.${edgeName}.arn}/access-requests/*`,
    });
    expect(log.bucket).toBeUndefined();
    expect(resourcesOf(json, 'cloudflare_account_token')).toEqual({});
  });

  test('the audit rules judge the S3 backend: compliant everywhere (no pod here: MCP-AUD-5 and 6 do not apply)', () => {
    const stack = new SynthesizedStack(json);
    const results = AUDIT_RULES.filter((r) => r.level === 'error').flatMap((r) =>
      r.evaluate(stack).map((e) => ({ rule: r.id, ...e })),
    );
    expect(results.length).toBeGreaterThanOrEqual(10);
    expect(results.filter((r) => r.status !== 'compliant')).toEqual([]);
    expect(new Set(results.map((r) => r.rule))).toEqual(new Set(['MCP-AUD-1', 'MCP-AUD-2', 'MCP-AUD-7', 'MCP-AUD-8']));
  });
});

describe('the S3 backend with EKS Pod Identity', () => {
  const { trail, json } = s3Stack({ ...IRSA, identity: { podIdentity: { clusterName: 'prod' } } });

  test('the association gives the role to mcp-acme/mcp-server; the trust is bound to that namespace and account', () => {
    const [, association] = byName(json, 'aws_eks_pod_identity_association', () => true);
    expect(association).toMatchObject({ cluster_name: 'prod', namespace: 'mcp-acme', service_account: 'mcp-server' });
    const [, role] = byName(json, 'aws_iam_role', () => true);
    const trust = JSON.parse(String(role.assume_role_policy)) as { Statement: JsonObject[] };
    expect(trust.Statement[0]).toMatchObject({
      Principal: { Service: 'pods.eks.amazonaws.com' },
      Action: ['sts:AssumeRole', 'sts:TagSession'],
      Condition: {
        StringEquals: {
          'aws:RequestTag/kubernetes-namespace': 'mcp-acme',
          'aws:RequestTag/kubernetes-service-account': 'mcp-server',
        },
      },
    });
    expect(trail.podAddon.containers[0].env).toEqual([]);
  });
});

describe('s3AuditBackend validation', () => {
  test('fails when the region, the prefix or the identity is wrong, all at once', () => {
    expect(() =>
      s3AuditBackend({ region: 'Frankfurt', bucketNamePrefix: 'Example', identity: undefined as never }),
    ).toThrow(
      [
        's3AuditBackend has invalid props:',
        "  - region must be an AWS region such as eu-central-1, but 'Frankfurt' was provided",
        "  - bucketNamePrefix must be lower-case letters, digits and hyphens, ending with a hyphen (at most 32 characters), but 'Example' was provided",
        '  - identity is required, but undefined was provided',
      ].join('\n'),
    );
  });

  test('a tenant trail refuses indefinite with the S3 backend', () => {
    expect(
      () =>
        new TenantAuditTrail(newStack(), 'Audit', {
          tenantId: 'acme',
          accountId: ACCOUNT,
          indefinite: true,
          backend: s3AuditBackend(IRSA),
        }),
    ).toThrow(
      'indefinite must not be set with an S3 backend (Object Lock keeps records for a number of days), but true was provided',
    );
  });
});
