import type { ResourceEntry, SynthesizedStack } from '../../../model/stack';
import { compliant, type Evaluation, nonCompliant, type Rule } from '../../rule';
import { auditView, lifecycleOf, R2_BUCKET_LOCK_TYPE } from '../../../model/audit';

/** Data-bearing resource types that always need `prevent_destroy` (audit buckets are found by `auditView`). */
export const ALWAYS_PRESERVED_TYPES: readonly string[] = [R2_BUCKET_LOCK_TYPE, 'vault_mount', 'okta_auth_server'];

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
  cause: 'an audit bucket, bucket lock, Vault mount or Okta auth server lacks lifecycle.prevent_destroy',
  explanation:
    "Removing a tenant from code, renaming a construct or a careless override would make Terraform plan to destroy what cannot be recreated: the audit records (bucket), the lock that keeps them (a bucket admin could otherwise drop it with one apply), a tenant's secrets and keys (Vault mounts) and the issuer its tokens trust (Okta auth server). Every cloudflare_r2_bucket that is an audit bucket (see MCP-AUD-1), every cloudflare_r2_bucket_lock (a lock exists only to keep objects), every vault_mount and every okta_auth_server needs lifecycle { prevent_destroy = true }; decommissioning is then a deliberate change of that line, visible in review.",
  evaluate(stack: SynthesizedStack): Evaluation[] {
    const results: Evaluation[] = [];
    for (const { entry } of auditView(stack).auditBuckets.values()) results.push(judge(entry, 'the audit bucket'));
    for (const type of ALWAYS_PRESERVED_TYPES) {
      for (const entry of stack.ofType(type)) results.push(judge(entry, type));
    }
    return results;
  },
};
