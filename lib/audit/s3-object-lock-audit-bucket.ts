/**
 * An append-only AWS S3 bucket: Object Lock in COMPLIANCE mode, stronger than an R2 bucket lock (an
 * R2 lock is a configuration anyone who may edit the bucket can remove; a compliance-mode retention
 * "can't be shortened" and a protected version "can't be overwritten or deleted by any user, including
 * the root user": docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html).
 *
 * Requires @cdktf/provider-aws (an optional peer dependency): import it from this module only when
 * you choose the S3 backend.
 */
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketObjectLockConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-object-lock-configuration';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import {
  CLOUDFLARE_LOGPUSH_AWS_PRINCIPAL,
  S3_BUCKET_NAME_PATTERN,
  S3_DENIED_ACTIONS,
  S3_OBJECT_LOCK_MODE,
  S3_WRITER_ACTION,
} from '../core/audit-defaults';
import { Construct } from '../core/cdktf';
import { AUDIT_RETENTION_DAYS, AUDIT_RETENTION_DAYS_MIN } from '../core/defaults';
import { PropsValidator } from '../core/validation';
import { recordAuditRetention, warnOnShortRetention } from './audit-props';

/** Props of {@link S3ObjectLockAuditBucket}. */
export interface S3ObjectLockAuditBucketProps {
  /** Globally unique bucket name: 3-63 lower-case letters, digits, hyphens or dots. */
  readonly bucketName: string;
  /**
   * Days every object version is locked in compliance mode (nobody, root included, can shorten it).
   * At least 30.
   * @default 365
   */
  readonly retentionDays?: number;
  /**
   * A KMS key for server-side encryption (then the writer also needs kms:GenerateDataKey on it, which
   * you grant on the key).
   * @default - SSE-S3 (AES256), which needs no grant
   */
  readonly kmsKeyArn?: string;
  /**
   * Let Cloudflare Logpush put objects under this path (the Access request logs), as Cloudflare
   * documents for S3 destinations.
   * @default - no Logpush writer
   */
  readonly logpushPath?: string;
}

/** Validates {@link S3ObjectLockAuditBucketProps}, throwing one error that names every problem. */
export function validateS3ObjectLockAuditBucketProps(props: S3ObjectLockAuditBucketProps): void {
  const v = new PropsValidator('S3ObjectLockAuditBucket');
  if (props.bucketName === undefined || props.bucketName === '') v.required('bucketName', props.bucketName);
  else
    v.matches(
      'bucketName',
      props.bucketName,
      S3_BUCKET_NAME_PATTERN,
      '3-63 lower-case letters, digits, hyphens or dots, starting and ending with a letter or digit',
    );
  v.integerAtLeast('retentionDays', props.retentionDays, AUDIT_RETENTION_DAYS_MIN);
  v.throwIfInvalid();
}

/**
 * One append-only S3 bucket for audit records. Construct ids: `Bucket` (object lock enabled at
 * creation, no force_destroy), `Versioning` (Enabled), `ObjectLock` (default retention COMPLIANCE for
 * `retentionDays`), `PublicAccessBlock` (all four on), `Ownership` (BucketOwnerEnforced: ACLs off),
 * `Encryption` (SSE by default), `Policy` (denies every principal deletes and lock changes, and any
 * request without TLS). `prevent_destroy` on the bucket, its versioning and its lock configuration.
 * The policy also denies changing the lock configuration to the stack's own identity: lengthening the
 * retention is a deliberate two-step change (remove the statement, then change the days).
 */
export class S3ObjectLockAuditBucket extends Construct {
  /** The bucket name, as a reference (so dependents wait for the bucket). */
  public readonly bucketName: string;
  /** The bucket's ARN, as a reference. */
  public readonly bucketArn: string;
  /** Days object versions stay locked. */
  public readonly retentionDays: number;
  public readonly bucket: S3Bucket;
  public readonly versioning: S3BucketVersioningA;
  public readonly objectLock: S3BucketObjectLockConfigurationA;
  public readonly publicAccessBlock: S3BucketPublicAccessBlock;
  public readonly ownership: S3BucketOwnershipControls;
  public readonly encryption: S3BucketServerSideEncryptionConfigurationA;
  public readonly policy: S3BucketPolicy;

  constructor(scope: Construct, id: string, props: S3ObjectLockAuditBucketProps) {
    super(scope, id);
    validateS3ObjectLockAuditBucketProps(props);
    this.retentionDays = props.retentionDays ?? AUDIT_RETENTION_DAYS;
    warnOnShortRetention(this, this.retentionDays);

    this.bucket = new S3Bucket(this, 'Bucket', {
      bucket: props.bucketName,
      objectLockEnabled: true,
      forceDestroy: false,
      lifecycle: { preventDestroy: true },
    });
    const bucket = this.bucket.id;
    this.versioning = new S3BucketVersioningA(this, 'Versioning', {
      bucket,
      versioningConfiguration: { status: 'Enabled' },
      lifecycle: { preventDestroy: true },
    });
    this.objectLock = new S3BucketObjectLockConfigurationA(this, 'ObjectLock', {
      bucket,
      objectLockEnabled: 'Enabled',
      rule: { defaultRetention: { mode: S3_OBJECT_LOCK_MODE, days: this.retentionDays } },
      lifecycle: { preventDestroy: true },
      dependsOn: [this.versioning],
    });
    recordAuditRetention(this.objectLock, this.retentionDays);
    this.publicAccessBlock = new S3BucketPublicAccessBlock(this, 'PublicAccessBlock', {
      bucket,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    this.ownership = new S3BucketOwnershipControls(this, 'Ownership', {
      bucket,
      rule: { objectOwnership: 'BucketOwnerEnforced' },
    });
    this.encryption = new S3BucketServerSideEncryptionConfigurationA(this, 'Encryption', {
      bucket,
      rule: [
        {
          applyServerSideEncryptionByDefault:
            props.kmsKeyArn === undefined
              ? { sseAlgorithm: 'AES256' }
              : { sseAlgorithm: 'aws:kms', kmsMasterKeyId: props.kmsKeyArn },
          bucketKeyEnabled: props.kmsKeyArn !== undefined,
        },
      ],
    });
    this.bucketArn = this.bucket.arn;
    this.policy = new S3BucketPolicy(this, 'Policy', {
      bucket,
      policy: s3AuditBucketPolicy(this.bucketArn, props.logpushPath),
      // After the lock configuration: the policy denies changing it.
      dependsOn: [this.objectLock, this.publicAccessBlock],
    });
    this.bucketName = this.bucket.bucket;
  }
}

/** The bucket policy: deny deletes and lock changes to everyone, deny plain HTTP, allow Logpush when asked. */
export function s3AuditBucketPolicy(bucketArn: string, logpushPath?: string): string {
  const resources = [bucketArn, `${bucketArn}/*`];
  const statements: Record<string, unknown>[] = [
    {
      Sid: 'DenyDeletesAndLockChanges',
      Effect: 'Deny',
      Principal: '*',
      Action: [...S3_DENIED_ACTIONS],
      Resource: resources,
    },
    {
      Sid: 'DenyInsecureTransport',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: resources,
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    },
  ];
  if (logpushPath !== undefined) {
    statements.push({
      Sid: 'AllowCloudflareLogpush',
      Effect: 'Allow',
      Principal: { AWS: [CLOUDFLARE_LOGPUSH_AWS_PRINCIPAL] },
      Action: [S3_WRITER_ACTION],
      Resource: `${bucketArn}/${logpushPath}/*`,
    });
  }
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}
