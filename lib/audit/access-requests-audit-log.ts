import type { AccountToken } from '@cdktf/provider-cloudflare/lib/account-token';
import { LogpushJob } from '@cdktf/provider-cloudflare/lib/logpush-job';
import {
  ACCESS_REQUESTS_BUCKET_NAME,
  ACCESS_REQUESTS_DATASET,
  ACCESS_REQUESTS_FIELDS,
  ACCESS_REQUESTS_JOB_NAME,
  ACCESS_REQUESTS_PATH,
  ACCESS_REQUESTS_WRITER_NAME,
  R2_BUCKET_NAME_PATTERN,
  R2_BUCKET_NAME_RULE,
  type R2Jurisdiction,
  r2S3Host,
} from '../core/audit-defaults';
import { Construct } from '../core/cdktf';
import { PropsValidator } from '../core/validation';
import { type AppendOnlyAuditBucket } from './append-only-audit-bucket';
import { type AuditRetentionSettings, validateAccountId, validateRetentionSettings } from './audit-props';
import { createWritableAuditBucket } from './r2-write-credential';

/** Props of {@link AccessRequestsAuditLog}. */
export interface AccessRequestsAuditLogProps extends AuditRetentionSettings {
  /** Cloudflare account id (32 lower-case hex characters, or a Terraform variable). */
  readonly accountId: string;
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
  v.throwIfInvalid();
}

/**
 * Logpush destination of the job. A bucket without jurisdiction takes Logpush's native `r2://`
 * destination; a jurisdiction bucket lives on its own S3 host, which Logpush reaches through its
 * S3-compatible destination (as Cloudflare documents for FedRAMP). Every credential is a reference.
 */
export function accessRequestsDestination(d: {
  readonly accountId: string;
  readonly jurisdiction: R2Jurisdiction;
  readonly bucketName: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}): string {
  const keys = `access-key-id=${d.accessKeyId}&secret-access-key=${d.secretAccessKey}`;
  if (d.jurisdiction === 'default') {
    return `r2://${d.bucketName}/${ACCESS_REQUESTS_PATH}?account-id=${d.accountId}&${keys}`;
  }
  return `s3://${d.bucketName}/${ACCESS_REQUESTS_PATH}?region=auto&${keys}&endpoint=${r2S3Host(d.accountId, d.jurisdiction)}`;
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
  /** The account audit bucket. */
  public readonly bucket: AppendOnlyAuditBucket;
  /** Its name, as a reference. */
  public readonly bucketName: string;
  /** The Logpush job. */
  public readonly logpushJob: LogpushJob;
  /** Id of the token Logpush writes with (its S3 access key id). */
  public readonly writerTokenId: string;
  /** The bucket-scoped write token (its id and hashed value are the S3 keys). */
  public readonly writer: AccountToken;

  constructor(scope: Construct, id: string, props: AccessRequestsAuditLogProps) {
    super(scope, id);
    validateAccessRequestsAuditLogProps(props);
    const { bucket, writer } = createWritableAuditBucket(this, {
      ...props,
      bucketName: props.bucketName ?? ACCESS_REQUESTS_BUCKET_NAME,
      writerName: ACCESS_REQUESTS_WRITER_NAME,
    });
    this.bucket = bucket;
    this.bucketName = bucket.bucketName;
    this.writerTokenId = writer.accessKeyId;
    this.writer = writer.token;
    this.logpushJob = new LogpushJob(this, 'Job', {
      accountId: props.accountId,
      dataset: ACCESS_REQUESTS_DATASET,
      name: ACCESS_REQUESTS_JOB_NAME,
      enabled: true,
      destinationConf: accessRequestsDestination({
        accountId: props.accountId,
        jurisdiction: this.bucket.jurisdiction,
        bucketName: this.bucket.bucketName,
        accessKeyId: writer.accessKeyId,
        secretAccessKey: writer.secretAccessKey,
      }),
      outputOptions: {
        outputType: 'ndjson',
        fieldNames: [...ACCESS_REQUESTS_FIELDS],
        timestampFormat: 'rfc3339',
      },
    });
  }
}
