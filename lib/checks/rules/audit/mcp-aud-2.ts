import type { ResourceEntry, SynthesizedStack } from '../../../model/stack';
import { compliant, type Evaluation, nonCompliant, type Rule } from '../../rule';
import {
  auditView,
  bucketCompanions,
  lifecycleOf,
  R2_BUCKET_LOCK_TYPE,
  S3_OBJECT_LOCK_TYPE,
  S3_VERSIONING_TYPE,
} from '../../../model/audit';

/** Data-bearing resource types that always need `prevent_destroy` (audit buckets are found by `auditView`). */
export const ALWAYS_PRESERVED_TYPES: readonly string[] = [
  R2_BUCKET_LOCK_TYPE,
  S3_OBJECT_LOCK_TYPE,
  'vault_mount',
  'okta_auth_server',
];

function judge(entry: ResourceEntry, what: string): Evaluation {
  const preventDestroy = lifecycleOf(entry.body).prevent_destroy;
  return preventDestroy === true
    ? compliant(entry.address)
    : nonCompliant(entry.address, `${what} has lifecycle.prevent_destroy ${JSON.stringify(preventDestroy ?? null)}`);
}

/** MCP-AUD-2: nothing that holds records, keys or identities can be destroyed by a plan. */
export const MCP_AUD_2: Rule = {
  id: 'MCP-AUD-2',
  level: 'error',
  layer: 'audit',
  cause:
    'an audit bucket, its lock or versioning, a Vault mount or an Okta auth server lacks lifecycle.prevent_destroy',
  explanation:
    "Removing a tenant from code, renaming a construct or a careless override would make Terraform plan to destroy what cannot be recreated: the audit records (bucket), the lock that keeps them (an R2 bucket admin could otherwise drop it with one apply), an S3 bucket's versioning and Object Lock configuration, a tenant's secrets and keys (Vault mounts) and the issuer its tokens trust (Okta auth server). Decommissioning is then a deliberate change of that line, visible in review.",
  requires: [
    'lifecycle { prevent_destroy = true } on every audit bucket (cloudflare_r2_bucket or aws_s3_bucket, see MCP-AUD-1)',
    'the same on every cloudflare_r2_bucket_lock and aws_s3_bucket_object_lock_configuration',
    'the same on the aws_s3_bucket_versioning of every S3 audit bucket',
    'the same on every vault_mount and okta_auth_server',
  ],
  fix: 'keep the lifecycle the constructs write (AppendOnlyAuditBucket, S3ObjectLockAuditBucket, TenantVaultSecrets, OktaMcpIdentity); remove an override that sets prevent_destroy to false',
  evaluate(stack: SynthesizedStack): Evaluation[] {
    const results: Evaluation[] = [];
    for (const { entry, store } of auditView(stack).auditBuckets.values()) {
      results.push(judge(entry, 'the audit bucket'));
      if (store === 's3') {
        for (const v of bucketCompanions(stack, entry, S3_VERSIONING_TYPE)) {
          results.push(judge(v, 'the versioning of an audit bucket'));
        }
      }
    }
    for (const type of ALWAYS_PRESERVED_TYPES) {
      for (const entry of stack.ofType(type)) results.push(judge(entry, type));
    }
    return results;
  },
};
