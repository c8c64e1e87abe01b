import type { AccountToken } from '@cdktf/provider-cloudflare/lib/account-token';
import { LogpushJob } from '@cdktf/provider-cloudflare/lib/logpush-job';
import type { Rotating } from '@cdktf/provider-time/lib/rotating';
import {
  ACCESS_REQUESTS_BUCKET_NAME,
  ACCESS_REQUESTS_DATASET,
  ACCESS_REQUESTS_FIELDS,
  ACCESS_REQUESTS_JOB_NAME,
  ACCESS_REQUESTS_PATH,
  ACCESS_REQUESTS_WRITER_NAME,
  R2_BUCKET_NAME_PATTERN,
  R2_BUCKET_NAME_RULE,
} from '../core/audit-defaults';
import { Construct } from '../core/cdktf';
import { PropsValidator } from '../core/validation';
import { type AppendOnlyAuditBucket } from './append-only-audit-bucket';
import type { AuditBackend, AuditStore } from './audit-backend';
import {
  type AuditRetentionSettings,
  validateAccountId,
  validateRetentionSettings,
  validateWriterLifetime,
} from './audit-props';
import { createWritableAuditBucket, r2Store, type WriterTokenLifetime } from './r2-write-credential';

/** Props of {@link AccessRequestsAuditLog}. */
export interface AccessRequestsAuditLogProps extends AuditRetentionSettings, WriterTokenLifetime {
  /** Cloudflare account id (32 lower-case hex characters, or a Terraform variable). */
  readonly accountId: string;
  /**
   * Where the Access request logs are kept: R2 (the default) or a backend such as
   * `s3AuditBackend({...})` (Logpush supports S3 destinations: developers.cloudflare.com/logs/logpush/
   * logpush-job/enable-destinations/aws-s3/; the bucket policy lets Cloudflare's Logpush principal put
   * objects, and the ownership challenge is read back in the same apply).
   * @default - an R2 bucket with a bucket lock
   */
  readonly backend?: AuditBackend;
  /**
   * Name of the account audit bucket: 3-63 lower-case letters, digits or hyphens.
   * @default 'mcp-audit-access-requests'
   */
  readonly bucketName?: string;
}

/** Validates {@link AccessRequestsAuditLogProps}, throwing one error that names every problem. */
export function validateAccessRequestsAuditLogProps(props: AccessRequestsAuditLogProps): void {
  const v = new PropsValidator('AccessRequestsAuditLog');
  validateAccountId(v, props.accountId);
  v.matches('bucketName', props.bucketName, R2_BUCKET_NAME_PATTERN, R2_BUCKET_NAME_RULE);
  validateRetentionSettings(v, props);
  validateWriterLifetime(v, props);
  v.throwIfInvalid();
}

/**
 * The account's edge audit trail, shared by every tenant: one append-only bucket and ONE account-level
 * Logpush job of Cloudflare Access requests (who, when, which application, allowed or not) into it,
 * as NDJSON, written with a credential that can write into that bucket only.
 *
 * One job is enough and is all there should be: the `access_requests` dataset is account-wide (it
 * carries every Access application's events, each with its `AppDomain` and `AppUUID`), and an account
 * may have at most 5 Access Logpush jobs, so a job per tenant would stop at the fifth tenant.
 *
 * Construct ids: `Bucket` (an {@link AppendOnlyAuditBucket}), `Writer`, `Job`.
 */
export class AccessRequestsAuditLog extends Construct {
  /** The account audit bucket in R2 (undefined with another backend: see `store`). */
  public readonly bucket?: AppendOnlyAuditBucket;
  /** Its name, as a reference. */
  public readonly bucketName: string;
  /** The Logpush job. */
  public readonly logpushJob: LogpushJob;
  /** Id of the token Logpush writes with (its S3 access key id), R2 only. */
  public readonly writerTokenId?: string;
  /** The bucket-scoped write token (its id and hashed value are the S3 keys), R2 only. */
  public readonly writer?: AccountToken;
  /** The `time_rotating` resource that replaces the write token, R2 only. */
  public readonly writerRotation?: Rotating;
  /** The store: the bucket and how Logpush reaches it (with every resource a backend created). */
  public readonly store: AuditStore;

  constructor(scope: Construct, id: string, props: AccessRequestsAuditLogProps) {
    super(scope, id);
    validateAccessRequestsAuditLogProps(props);
    const bucketName = props.bucketName ?? ACCESS_REQUESTS_BUCKET_NAME;
    if (props.backend) {
      this.store = props.backend.createStore(this, {
        bucketName,
        retention: props,
        writer: { kind: 'logpush', accountId: props.accountId },
      });
    } else {
      const { bucket, writer } = createWritableAuditBucket(this, {
        ...props,
        bucketName,
        writerName: ACCESS_REQUESTS_WRITER_NAME,
      });
      this.bucket = bucket;
      this.writerTokenId = writer.accessKeyId;
      this.writer = writer.token;
      this.writerRotation = writer.rotation;
      this.store = r2Store(props.accountId, bucket, writer);
    }
    this.bucketName = this.store.bucketName;
    this.logpushJob = new LogpushJob(this, 'Job', {
      accountId: props.accountId,
      dataset: ACCESS_REQUESTS_DATASET,
      name: ACCESS_REQUESTS_JOB_NAME,
      enabled: true,
      destinationConf: this.store.logpushDestination(ACCESS_REQUESTS_PATH),
      ...(this.store.logpushOwnershipChallenge === undefined
        ? {}
        : { ownershipChallenge: this.store.logpushOwnershipChallenge }),
      outputOptions: {
        outputType: 'ndjson',
        fieldNames: [...ACCESS_REQUESTS_FIELDS],
        timestampFormat: 'rfc3339',
      },
    });
  }
}
