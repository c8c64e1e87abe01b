import { tenantAuditBucketName } from '../core/audit-defaults';
import { Construct } from '../core/cdktf';
import { recordDecommissioned } from '../core/stack-metadata';
import { PropsValidator } from '../core/validation';
import { AppendOnlyAuditBucket } from './append-only-audit-bucket';
import type { AuditBackend } from './audit-backend';
import { type AuditRetentionSettings, validateAccountId, validateRetentionSettings } from './audit-props';

/** Props of {@link DecommissionedTenantAudit}: the store settings the tenant's {@link TenantAuditTrail} had. */
export interface DecommissionedTenantAuditProps extends AuditRetentionSettings {
  /** The tenant id (a literal). */
  readonly tenantId: string;
  /** Cloudflare account id (32 lower-case hex characters, or a Terraform variable). */
  readonly accountId: string;
  /** The backend the tenant's records were kept in. @default - R2 */
  readonly backend?: AuditBackend;
}

/**
 * What stays of a decommissioned tenant's audit trail: its locked bucket (and lock), at the address it
 * had (`<cell>/Audit/Bucket`), with `prevent_destroy`, until the records' retention ends. Gone: the
 * writer credential and its rotation, and the shipper (the tenant has no pod any more).
 *
 * Construct id: give it the id the tenant's {@link TenantAuditTrail} had (`Audit` in a cell).
 */
export class DecommissionedTenantAudit extends Construct {
  public readonly tenantId: string;
  /** The bucket's name, as a reference. */
  public readonly bucketName: string;
  /** The R2 bucket and its lock (undefined with another backend). */
  public readonly bucket?: AppendOnlyAuditBucket;

  constructor(scope: Construct, id: string, props: DecommissionedTenantAuditProps) {
    super(scope, id);
    const v = new PropsValidator('DecommissionedTenantAudit');
    v.tenantId('tenantId', props.tenantId, 'the bucket and construct ids');
    validateAccountId(v, props.accountId);
    validateRetentionSettings(v, props);
    v.throwIfInvalid();
    recordDecommissioned(this, props.tenantId);
    this.tenantId = props.tenantId;
    const bucketName = tenantAuditBucketName(props.tenantId);
    if (props.backend) {
      this.bucketName = props.backend.retainBucket(this, { bucketName, retention: props });
    } else {
      this.bucket = new AppendOnlyAuditBucket(this, 'Bucket', {
        accountId: props.accountId,
        bucketName,
        retentionDays: props.retentionDays,
        indefinite: props.indefinite,
        jurisdiction: props.jurisdiction,
        location: props.location,
      });
      this.bucketName = this.bucket.bucketName;
    }
  }
}
