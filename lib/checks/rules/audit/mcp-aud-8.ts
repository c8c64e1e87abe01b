import { S3_DENIED_ACTIONS } from '../../../core/audit-defaults';
import { block, blocks, booleanValue, isObject, stringList } from '../../../model/json';
import {
  auditView,
  bucketCompanions,
  S3_ENCRYPTION_TYPE,
  S3_OWNERSHIP_TYPE,
  S3_POLICY_TYPE,
  S3_PUBLIC_ACCESS_BLOCK_TYPE,
} from '../../../model/audit';
import type { JsonObject, ResourceEntry, SynthesizedStack } from '../../../model/stack';
import { type Evaluation, type Rule } from '../../rule';
import { Verdict } from '../../verdict';

const PUBLIC_ACCESS_FLAGS = [
  'block_public_acls',
  'block_public_policy',
  'ignore_public_acls',
  'restrict_public_buckets',
];

/** True when an IAM action pattern (`s3:Delete*`, `s3:*`, `*`) covers an action. */
function covers(pattern: string, action: string): boolean {
  const re = new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
    'i',
  );
  return re.test(action);
}

/** The actions a policy denies to every principal on the bucket's objects (statements without conditions). */
function deniedToEveryone(policy: ResourceEntry): string[] | undefined {
  if (typeof policy.body.policy !== 'string') return undefined;
  let doc: unknown;
  try {
    doc = JSON.parse(policy.body.policy);
  } catch {
    return undefined;
  }
  if (!isObject(doc)) return undefined;
  const patterns: string[] = [];
  for (const s of blocks(doc.Statement)) {
    const everyone = s.Principal === '*' || (isObject(s.Principal) && s.Principal.AWS === '*');
    if (s.Effect !== 'Deny' || !everyone || s.Condition !== undefined) continue;
    const actions = typeof s.Action === 'string' ? [s.Action] : stringList(s.Action);
    const resources = typeof s.Resource === 'string' ? [s.Resource] : stringList(s.Resource);
    if (actions === 'expression' || resources === 'expression') continue;
    if (!resources.some((r) => r.endsWith('/*') || r === '*')) continue;
    patterns.push(...actions);
  }
  return S3_DENIED_ACTIONS.filter((a) => patterns.some((p) => covers(p, a)));
}

/** Judges one S3 audit bucket's hardening. */
function judgeBucket(stack: SynthesizedStack, bucket: ResourceEntry): Evaluation {
  const v = new Verdict(bucket.address);
  const force = booleanValue(bucket.body.force_destroy);
  if (force === 'expression') v.unknown('force_destroy');
  else v.expect(force !== true, 'force_destroy is true');

  const blocksOf = bucketCompanions(stack, bucket, S3_PUBLIC_ACCESS_BLOCK_TYPE);
  v.expect(
    blocksOf.some((b) => PUBLIC_ACCESS_FLAGS.every((f) => b.body[f] === true)),
    `no aws_s3_bucket_public_access_block sets ${PUBLIC_ACCESS_FLAGS.join(', ')} for this bucket`,
  );
  const ownership = bucketCompanions(stack, bucket, S3_OWNERSHIP_TYPE);
  v.expect(
    ownership.some((o) => block(o.body.rule).object_ownership === 'BucketOwnerEnforced'),
    'no aws_s3_bucket_ownership_controls sets BucketOwnerEnforced (ACLs off) for this bucket',
  );
  const encryption = bucketCompanions(stack, bucket, S3_ENCRYPTION_TYPE);
  v.expect(
    encryption.some((e) =>
      blocks(e.body.rule).some((r: JsonObject) =>
        ['AES256', 'aws:kms', 'aws:kms:dsse'].includes(
          String(block(r.apply_server_side_encryption_by_default).sse_algorithm),
        ),
      ),
    ),
    'no aws_s3_bucket_server_side_encryption_configuration encrypts this bucket',
  );
  const policies = bucketCompanions(stack, bucket, S3_POLICY_TYPE);
  if (policies.length === 0) v.fail('no aws_s3_bucket_policy denies deletes and lock changes on this bucket');
  else {
    const denied = new Set(policies.flatMap((p) => deniedToEveryone(p) ?? []));
    const missing = S3_DENIED_ACTIONS.filter((a) => !denied.has(a));
    v.expect(missing.length === 0, `the bucket policy does not deny ${missing.join(', ')} to every principal`);
  }
  return v.result();
}

/** MCP-AUD-8: an S3 audit bucket is private, encrypted, and its policy denies deletes and lock changes. */
export const MCP_AUD_8: Rule = {
  id: 'MCP-AUD-8',
  level: 'error',
  layer: 'audit',
  cause:
    'an S3 audit bucket is not private and encrypted, or its policy does not deny deletes and lock changes to everyone',
  explanation:
    'Object Lock keeps each locked object version, but the bucket around it must hold too: a public access block and BucketOwnerEnforced ownership keep the records private, default encryption keeps them encrypted at rest, and a bucket policy that denies every principal deleting objects or versions, changing the lock configuration, retention or legal holds, bypassing governance and adding lifecycle rules is a second wall besides compliance mode (it also stops a later, shorter default retention). force_destroy must not be set.',
  requires: [
    'an aws_s3_bucket_public_access_block with block_public_acls, block_public_policy, ignore_public_acls and restrict_public_buckets true',
    'aws_s3_bucket_ownership_controls with object_ownership BucketOwnerEnforced',
    'an aws_s3_bucket_server_side_encryption_configuration (AES256 or aws:kms)',
    `an aws_s3_bucket_policy with unconditional Deny statements for Principal "*" on the bucket's objects covering ${S3_DENIED_ACTIONS.join(', ')}`,
    'force_destroy not true',
  ],
  fix: 'keep the S3ObjectLockAuditBucket the S3 backend creates (s3AuditBackend); do not override its policy, public access block, ownership or encryption',
  evaluate(stack: SynthesizedStack): Evaluation[] {
    return [...auditView(stack).auditBuckets.values()]
      .filter((b) => b.store === 's3')
      .map((b) => judgeBucket(stack, b.entry));
  },
};
