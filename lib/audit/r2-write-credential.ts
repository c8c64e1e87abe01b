import { AccountToken } from '@cdktf/provider-cloudflare/lib/account-token';
import { Rotating } from '@cdktf/provider-time/lib/rotating';
import {
  HOURS_PER_DAY,
  R2_ACCESS_KEY_ID_ENV,
  R2_BUCKET_ITEM_WRITE_PERMISSION_GROUP_ID,
  R2_SECRET_ACCESS_KEY_ENV,
  r2BucketResourceKey,
  r2S3Endpoint,
  r2S3Host,
  WRITER_EXPIRY_MARGIN_DAYS,
  WRITER_ROTATION_DAYS,
} from '../core/audit-defaults';
import { type Construct, Fn } from '../core/cdktf';
import { AppendOnlyAuditBucket } from './append-only-audit-bucket';
import type { AuditStore } from './audit-backend';
import type { AuditRetentionSettings } from './audit-props';

/** How long a writer token lives: rotated every `rotationDays`, valid `expiryMarginDays` past that. */
export interface WriterTokenLifetime {
  /**
   * Days between rotations of the writer token (a `time_rotating` resource replaces it at the first
   * apply after this many days). Between 1 and 90.
   * @default 30
   */
  readonly writerRotationDays?: number;
  /**
   * Days the token stays valid after its rotation is due, so that an apply that comes late still finds
   * a valid token. A leaked token works at most `writerRotationDays + writerExpiryMarginDays` days.
   * Between 1 and 30.
   * @default 15
   */
  readonly writerExpiryMarginDays?: number;
}

/** An S3 credential for R2 that can write objects into one bucket and reach no other, bounded in time. */
export interface R2WriteCredential {
  /** The Cloudflare account token behind it. */
  readonly token: AccountToken;
  /** The `time_rotating` resource that replaces the token (and sets its expiry). */
  readonly rotation: Rotating;
  /** S3 access key id: the token's id (a reference). */
  readonly accessKeyId: string;
  /** S3 secret access key: the SHA-256 of the token's value (a reference; sensitive in Terraform). */
  readonly secretAccessKey: string;
  /**
   * A number that changes whenever the token is replaced: the rotation's unix time (a token), for the
   * write-only secret's `data_wo_revision`, which must change for Terraform to send new data.
   */
  readonly revision: number;
}

/**
 * Creates an account-owned API token whose only policy allows R2 object writes on `bucket`, and
 * derives its S3 keys. Cloudflare documents the derivation (developers.cloudflare.com/r2/api/tokens/,
 * "Get S3 API credentials from an API token"): the access key id is the token id, the secret access
 * key the SHA-256 hash of the token value; Terraform's `sha256()` computes it on the reference, so the
 * value never appears in the synthesized JSON.
 *
 * Cloudflare has no write-only R2 permission group (Bucket Item Write also reads and lists that one
 * bucket), so the token is bounded in time: a `time_rotating` resource (hashicorp/time,
 * registry.terraform.io/providers/hashicorp/time/latest/docs/resources/rotating: it "proposes resource
 * recreation when the locally sourced current time is beyond the rotation time", which happens only
 * when Terraform runs) replaces the token through `replace_triggered_by`, and the token expires a
 * margin after the rotation time (`expires_on = timeadd(rotation_rfc3339, margin)`), so a leaked token
 * can read that one bucket's records until then at most. The new token is created before the old one
 * is destroyed, and every dependent (the shipper's secret, the Logpush destination) is updated by the
 * same apply.
 */
export function createR2WriteCredential(
  scope: Construct,
  id: string,
  props: WriterTokenLifetime & {
    readonly accountId: string;
    readonly bucket: AppendOnlyAuditBucket;
    readonly name: string;
  },
): R2WriteCredential {
  const rotation = new Rotating(scope, `${id}Rotation`, {
    rotationDays: props.writerRotationDays ?? WRITER_ROTATION_DAYS,
  });
  // A literal (validation refuses a token): the margin is part of the expiry expression the rules read.
  const marginHours = (props.writerExpiryMarginDays ?? WRITER_EXPIRY_MARGIN_DAYS) * HOURS_PER_DAY;
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
    expiresOn: Fn.timeadd(rotation.rotationRfc3339, `${marginHours}h`),
    lifecycle: { replaceTriggeredBy: [rotation], createBeforeDestroy: true },
  });
  return {
    token,
    rotation,
    accessKeyId: token.id,
    secretAccessKey: Fn.sha256(token.value),
    revision: rotation.unix,
  };
}

/**
 * A locked audit bucket (construct id `Bucket`) and a credential that can write into it alone
 * (construct ids `Writer`, `WriterRotation`), in `scope`: what every R2 audit destination needs.
 */
export function createWritableAuditBucket(
  scope: Construct,
  props: AuditRetentionSettings &
    WriterTokenLifetime & {
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
    writerRotationDays: props.writerRotationDays,
    writerExpiryMarginDays: props.writerExpiryMarginDays,
  });
  return { bucket, writer };
}

/** The R2 store of a writable bucket, as the shipper and Logpush reach it. */
export function r2Store(accountId: string, bucket: AppendOnlyAuditBucket, writer: R2WriteCredential): AuditStore {
  return {
    kind: 'r2',
    bucketName: bucket.bucketName,
    shipperBucket: {
      bucket: bucket.bucketName,
      // R2 takes `auto` (and aliases us-east-1 to it); path-style requests to the account's S3 host.
      region: 'auto',
      endpoint: r2S3Endpoint(accountId, bucket.jurisdiction),
    },
    shipperCredentials: {
      secretEnv: { [R2_ACCESS_KEY_ID_ENV]: writer.accessKeyId, [R2_SECRET_ACCESS_KEY_ENV]: writer.secretAccessKey },
    },
    credentialRevision: writer.revision,
    logpushDestination: (path: string) => {
      const keys = `access-key-id=${writer.accessKeyId}&secret-access-key=${writer.secretAccessKey}`;
      if (bucket.jurisdiction === 'default') {
        return `r2://${bucket.bucketName}/${path}?account-id=${accountId}&${keys}`;
      }
      // A jurisdiction bucket has its own S3 host, which Logpush reaches through its S3-compatible destination.
      return `s3://${bucket.bucketName}/${path}?region=auto&${keys}&endpoint=${r2S3Host(accountId, bucket.jurisdiction)}`;
    },
  };
}
