import { R2Bucket } from '@cdktf/provider-cloudflare/lib/r2-bucket';
import { R2BucketLock, type R2BucketLockRulesCondition } from '@cdktf/provider-cloudflare/lib/r2-bucket-lock';
import {
  AUDIT_LOCK_RULE_ID,
  R2_BUCKET_NAME_PATTERN,
  R2_BUCKET_NAME_RULE,
  R2_LOCK_AGE,
  R2_LOCK_INDEFINITE,
  type R2Jurisdiction,
  SECONDS_PER_DAY,
} from '../core/audit-defaults';
import { Construct, Op, Token } from '../core/cdktf';
import { AUDIT_RETENTION_DAYS } from '../core/defaults';
import { PropsValidator } from '../core/validation';
import {
  type AuditRetentionSettings,
  effectiveJurisdiction,
  recordAuditRetention,
  validateAccountId,
  validateRetentionSettings,
  warnOnShortRetention,
} from './audit-props';

/** Props of {@link AppendOnlyAuditBucket}. */
export interface AppendOnlyAuditBucketProps extends AuditRetentionSettings {
  /** Cloudflare account id (32 lower-case hex characters, or a Terraform variable). */
  readonly accountId: string;
  /** Bucket name: 3-63 lower-case letters, digits or hyphens, starting and ending with a letter or digit. */
  readonly bucketName: string;
}

/** Validates {@link AppendOnlyAuditBucketProps}, throwing one error that names every problem. */
export function validateAppendOnlyAuditBucketProps(props: AppendOnlyAuditBucketProps): void {
  const v = new PropsValidator('AppendOnlyAuditBucket');
  validateAccountId(v, props.accountId);
  if (props.bucketName === undefined || props.bucketName === '') v.required('bucketName', props.bucketName);
  else v.matches('bucketName', props.bucketName, R2_BUCKET_NAME_PATTERN, R2_BUCKET_NAME_RULE);
  validateRetentionSettings(v, props);
  v.throwIfInvalid();
}

/** The lock condition: for ever, or `retentionDays` in seconds (a token multiplies in Terraform). */
export function lockCondition(retentionDays: number, indefinite: boolean): R2BucketLockRulesCondition {
  if (indefinite) return { type: R2_LOCK_INDEFINITE };
  const maxAgeSeconds = Token.isUnresolved(retentionDays)
    ? Op.mul(retentionDays, SECONDS_PER_DAY)
    : retentionDays * SECONDS_PER_DAY;
  return { type: R2_LOCK_AGE, maxAgeSeconds };
}

/**
 * One append-only R2 bucket: a bucket plus a bucket lock with a single enabled rule over the whole
 * bucket (prefix ""), so that no object can be deleted or overwritten until it is `retentionDays`
 * old (or ever, with `indefinite`). Both carry `prevent_destroy`: the lock is a configuration that a
 * bucket admin could rewrite, and removing the bucket from code must not delete the records.
 *
 * Construct ids: `Bucket`, `Lock`.
 */
export class AppendOnlyAuditBucket extends Construct {
  /** The bucket name, as a reference to the bucket (so dependents wait for it). */
  public readonly bucketName: string;
  /** The bucket's Terraform id. */
  public readonly bucketId: string;
  /** Cloudflare account id. */
  public readonly accountId: string;
  /** The jurisdiction in effect. */
  public readonly jurisdiction: R2Jurisdiction;
  /** Days records stay locked; undefined when the lock is indefinite. */
  public readonly retentionDays?: number;
  /** True when records are locked for ever. */
  public readonly indefinite: boolean;
  public readonly bucket: R2Bucket;
  public readonly lock: R2BucketLock;

  constructor(scope: Construct, id: string, props: AppendOnlyAuditBucketProps) {
    super(scope, id);
    validateAppendOnlyAuditBucketProps(props);
    this.indefinite = props.indefinite === true;
    this.retentionDays = this.indefinite ? undefined : (props.retentionDays ?? AUDIT_RETENTION_DAYS);
    this.jurisdiction = effectiveJurisdiction(props.jurisdiction);
    this.accountId = props.accountId;
    warnOnShortRetention(this, this.retentionDays);

    this.bucket = new R2Bucket(this, 'Bucket', {
      accountId: props.accountId,
      name: props.bucketName,
      jurisdiction: this.jurisdiction,
      location: props.location,
      lifecycle: { preventDestroy: true },
    });
    this.lock = new R2BucketLock(this, 'Lock', {
      accountId: props.accountId,
      bucketName: this.bucket.name,
      jurisdiction: this.jurisdiction,
      rules: [
        {
          id: AUDIT_LOCK_RULE_ID,
          enabled: true,
          prefix: '',
          condition: lockCondition(this.retentionDays ?? AUDIT_RETENTION_DAYS, this.indefinite),
        },
      ],
      lifecycle: { preventDestroy: true },
    });
    recordAuditRetention(this.lock, this.indefinite ? 'indefinite' : (this.retentionDays ?? AUDIT_RETENTION_DAYS));
    this.bucketName = this.bucket.name;
    this.bucketId = this.bucket.id;
  }
}
