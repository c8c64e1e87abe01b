import { AccountToken } from '@cdktf/provider-cloudflare/lib/account-token';
import { R2_BUCKET_ITEM_WRITE_PERMISSION_GROUP_ID, r2BucketResourceKey } from '../core/audit-defaults';
import { type Construct, Fn } from '../core/cdktf';
import { AppendOnlyAuditBucket } from './append-only-audit-bucket';
import type { AuditRetentionSettings } from './audit-props';

/** An S3 credential for R2 that can write objects into one bucket and reach no other. */
export interface R2WriteCredential {
  /** The Cloudflare account token behind it. */
  readonly token: AccountToken;
  /** S3 access key id: the token's id (a reference). */
  readonly accessKeyId: string;
  /** S3 secret access key: the SHA-256 of the token's value (a reference; sensitive in Terraform). */
  readonly secretAccessKey: string;
}

/**
 * Creates an account-owned API token whose only policy allows R2 object writes on `bucket`, and
 * derives its S3 keys. Cloudflare documents the derivation (developers.cloudflare.com/r2/api/tokens/,
 * "Get S3 API credentials from an API token"): the access key id is the token id, the secret access
 * key the SHA-256 hash of the token value; Terraform's `sha256()` computes it on the reference, so
 * the value never appears in the synthesized JSON.
 */
export function createR2WriteCredential(
  scope: Construct,
  id: string,
  props: { readonly accountId: string; readonly bucket: AppendOnlyAuditBucket; readonly name: string },
): R2WriteCredential {
  const token = new AccountToken(scope, id, {
    accountId: props.accountId,
    name: props.name,
    policies: [
      {
        effect: 'allow',
        permissionGroups: [{ id: R2_BUCKET_ITEM_WRITE_PERMISSION_GROUP_ID }],
        resources: JSON.stringify({
          [r2BucketResourceKey(props.accountId, props.bucket.jurisdiction, props.bucket.bucketName)]: '*',
        }),
      },
    ],
  });
  return { token, accessKeyId: token.id, secretAccessKey: Fn.sha256(token.value) };
}

/**
 * A locked audit bucket (construct id `Bucket`) and a credential that can write into it alone
 * (construct id `Writer`), in `scope`: what every audit destination needs.
 */
export function createWritableAuditBucket(
  scope: Construct,
  props: AuditRetentionSettings & {
    readonly accountId: string;
    readonly bucketName: string;
    readonly writerName: string;
  },
): { readonly bucket: AppendOnlyAuditBucket; readonly writer: R2WriteCredential } {
  const bucket = new AppendOnlyAuditBucket(scope, 'Bucket', {
    accountId: props.accountId,
    bucketName: props.bucketName,
    retentionDays: props.retentionDays,
    indefinite: props.indefinite,
    jurisdiction: props.jurisdiction,
    location: props.location,
  });
  const writer = createR2WriteCredential(scope, 'Writer', {
    accountId: props.accountId,
    bucket,
    name: props.writerName,
  });
  return { bucket, writer };
}
