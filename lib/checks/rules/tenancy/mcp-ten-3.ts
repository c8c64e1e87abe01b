import type { ResourceEntry, SynthesizedStack } from '../../../model/stack';
import { ownerTenant } from '../../../model/tenancy';
import { compliant, type Evaluation, nonCompliant, type Rule, undecided } from '../../rule';
import { referencedOwners, tenantsInLiteral } from './mcp-ten-1';

/**
 * What a decommissioned tenant keeps: resources that hold its data or verify its past records, none
 * of which lets anyone in. Everything else of the tenant is a way in.
 */
export const DECOMMISSIONED_RETAINED_TYPES: ReadonlySet<string> = new Set([
  // Identity: the authorization server, inactive (its keys verify the tokens past records name).
  'okta_auth_server',
  // Secrets: the data and the key that decrypts it.
  'vault_mount',
  'vault_kv_secret_backend_v2',
  'vault_transit_secret_backend_key',
  // Audit: the locked bucket (R2, or S3 with Object Lock and its guards).
  'cloudflare_r2_bucket',
  'cloudflare_r2_bucket_lock',
  'aws_s3_bucket',
  'aws_s3_bucket_versioning',
  'aws_s3_bucket_object_lock_configuration',
  'aws_s3_bucket_public_access_block',
  'aws_s3_bucket_ownership_controls',
  'aws_s3_bucket_server_side_encryption_configuration',
  'aws_s3_bucket_policy',
]);

/** The only status a decommissioned tenant's authorization server may have. */
const INACTIVE = 'INACTIVE';

function where(stacks: readonly string[]): string {
  return `decommissioned in stack ${stacks.join(', ')}`;
}

/** Judges a resource the decommissioned tenant still owns. */
function judgeOwned(
  stack: SynthesizedStack,
  entry: ResourceEntry,
  tenant: string,
  stacks: readonly string[],
): Evaluation {
  if (!DECOMMISSIONED_RETAINED_TYPES.has(entry.type)) {
    return nonCompliant(
      entry.address,
      `tenant '${tenant}' is ${where(stacks)}, but this ${entry.mode === 'data' ? 'data source' : 'resource'} of type ${entry.type} is still declared for it: it is a way in, and only data-bearing resources may stay`,
    );
  }
  if (entry.type !== 'okta_auth_server') return compliant(entry.address);
  const status = stack.resolve(entry.body.status);
  if (status.kind !== 'literal') {
    return undecided(
      entry.address,
      `status of tenant '${tenant}''s authorization server cannot be read (${status.kind === 'unknown' ? status.why : 'it is computed'})`,
    );
  }
  return status.value === INACTIVE
    ? compliant(entry.address)
    : nonCompliant(
        entry.address,
        `tenant '${tenant}' is ${where(stacks)}, but its authorization server's status is ${JSON.stringify(status.value ?? null)}: it still issues tokens`,
      );
}

/** MCP-TEN-3: a decommissioned tenant has no way in left, anywhere in the app. */
export const MCP_TEN_3: Rule = {
  id: 'MCP-TEN-3',
  level: 'error',
  layer: 'tenancy',
  cause: 'a decommissioned tenant still has a way in',
  explanation:
    'Decommissioning a tenant (`decommissioned: true` on the tenant, or a `DecommissionedMcpCell`) removes every way in — Access application and policies, tunnel and DNS record, Okta scopes, claim, policies, rules, groups and their grants, the MCP workload and its namespace, Vault policies and auth roles, the audit writer — and keeps its data at the same addresses until retention ends: the locked audit bucket, the Vault mounts and transit key, and the authorization server, INACTIVE so that it issues nothing while its keys still verify the tokens past records name. The stack metadata records the tenant as decommissioned; this rule then refuses, in every stack of the app, any resource of that tenant other than those, an active authorization server, and any other resource that names the tenant or references one of its resources (a shared policy granting its Vault paths, an Access policy including its groups).',
  requires: [
    "a decommissioned tenant's resources are only: okta_auth_server with status INACTIVE; vault_mount, vault_kv_secret_backend_v2, vault_transit_secret_backend_key; cloudflare_r2_bucket and cloudflare_r2_bucket_lock; aws_s3_bucket and its versioning, object lock, public access block, ownership, encryption and policy",
    'no other resource of the app names the decommissioned tenant (group, scope, namespace, Vault path, role or policy, bucket, writer token) or references one of its resources',
  ],
  fix: "remove what is left of the tenant's access: use `decommissioned: true` on the tenant (SecureMcpAccess, fleet.json) or a DecommissionedMcpCell, and take the tenant out of shared policies; to serve the tenant again, remove `decommissioned` instead",
  evaluate(stack: SynthesizedStack): Evaluation[] {
    const decommissioned = stack.app.decommissionedTenants();
    if (decommissioned.size === 0) return [];
    const known = new Set(decommissioned.keys());
    const results: Evaluation[] = [];
    for (const entry of stack.all()) {
      const owner = ownerTenant(stack, entry);
      const stacks = owner === undefined ? undefined : decommissioned.get(owner);
      if (owner !== undefined && stacks !== undefined) {
        results.push(judgeOwned(stack, entry, owner, stacks));
        continue;
      }
      const problems: string[] = [];
      const { texts, keys, pathOf } = stack.strings(entry);
      for (let i = 0; i < texts.length; i++) {
        const text = texts[i];
        if (text.includes('${')) {
          for (const [what, target] of referencedOwners(stack, text)) {
            if (known.has(target))
              problems.push(`${pathOf(i)} references ${what} of decommissioned tenant '${target}'`);
          }
        } else {
          for (const t of tenantsInLiteral(text, keys[i], known)) {
            if (known.has(t)) problems.push(`${pathOf(i)} '${text}' names decommissioned tenant '${t}'`);
          }
        }
      }
      if (problems.length > 0) results.push(nonCompliant(entry.address, [...new Set(problems)].join('; ')));
    }
    return results;
  },
};
