/**
 * What the review knows about data-bearing resources (docs/architecture.md, "Stable addresses, nothing lost"): which types they
 * are, and which attribute changes destroy them (or move their data) when applied.
 */

/**
 * Data-bearing resource types: audit buckets and locks (R2, and S3 with its Object Lock
 * configuration and versioning), Vault mounts, Okta auth servers.
 */
export const DATA_BEARING_TYPES: readonly string[] = [
  'okta_auth_server',
  'vault_mount',
  'cloudflare_r2_bucket',
  'cloudflare_r2_bucket_lock',
  'aws_s3_bucket',
  'aws_s3_bucket_object_lock_configuration',
  'aws_s3_bucket_versioning',
];

/**
 * Attributes whose change makes the provider destroy and recreate the resource, as the providers'
 * schemas declare them (RequiresReplace / ForceNew). `okta_auth_server` has none: its name and
 * audiences are updated in place.
 */
export const REPLACING_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  // name and account_id: RequiresReplace; jurisdiction: part of a bucket's identity in the R2 API.
  cloudflare_r2_bucket: ['name', 'account_id', 'jurisdiction'],
  cloudflare_r2_bucket_lock: ['bucket_name', 'account_id', 'jurisdiction'],
  vault_mount: ['type', 'local', 'seal_wrap', 'external_entropy_access', 'namespace'],
  okta_auth_server: [],
  // hashicorp/aws: bucket, bucket_prefix and object_lock_enabled are ForceNew.
  aws_s3_bucket: ['bucket', 'bucket_prefix', 'object_lock_enabled'],
  aws_s3_bucket_object_lock_configuration: ['bucket', 'expected_bucket_owner'],
  aws_s3_bucket_versioning: ['bucket', 'expected_bucket_owner'],
};

/** Attributes the provider changes in place by moving the data: a Vault mount's new path is a remount. */
export const MOVING_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  vault_mount: ['path'],
};

/** True for a data-bearing resource type. */
export function isDataBearing(type: string): boolean {
  return DATA_BEARING_TYPES.includes(type);
}
