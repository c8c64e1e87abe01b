import type { AccountToken } from '@cdktf/provider-cloudflare/lib/account-token';
import {
  ALERT_WEBHOOK_SECRET_KEY,
  r2S3Endpoint,
  tenantAuditBucketName,
  tenantAuditWriterName,
  VECTOR_IMAGE,
} from '../core/audit-defaults';
import { Annotations, Construct } from '../core/cdktf';
import { isDigestPinnedImage, isHttpsUrl, isPinnedImage } from '../core/formats';
import type { PodAddon } from '../core/refs';
import { recordTenantScope } from '../core/stack-metadata';
import { isUnresolved, PropsValidator } from '../core/validation';
import { type AppendOnlyAuditBucket } from './append-only-audit-bucket';
import { type AuditRetentionSettings, validateAccountId, validateRetentionSettings } from './audit-props';
import { auditShipperAddon } from './audit-shipper';
import { createWritableAuditBucket } from './r2-write-credential';
import { type AlertDestination, buildShipperConfig, renderShipperConfig, type VectorConfig } from './vector-config';

/** Props of {@link TenantAuditTrail}. */
export interface TenantAuditTrailProps extends AuditRetentionSettings {
  /** The tenant id (a literal: it names the bucket and construct ids). */
  readonly tenantId: string;
  /** Cloudflare account id (32 lower-case hex characters, or a Terraform variable). */
  readonly accountId: string;
  /**
   * Webhook that receives every cross-tenant denial (and every record claiming another tenant) as one
   * JSON POST. https. Pass a sensitive TerraformVariable's value: it then travels only by reference,
   * into the shipper's Kubernetes secret. A literal is written in clear into the config map (warning).
   * @default - no alerts; rule MCP-AUD-4 warns
   */
  readonly alertWebhookUrl?: string;
  /**
   * The shipper image: Vector (distroless-static), pinned by digest (a tag other than `latest` is
   * accepted with a warning).
   * @default 'timberio/vector:0.57.0-distroless-static@sha256:d96454c4...'
   */
  readonly shipperImage?: string;
  /**
   * Also print every record on the shipper's stdout, so that an operator can follow a session with
   * `kubectl logs -c audit-shipper -f`. The records then also reach the cluster's log pipeline.
   * @default true
   */
  readonly tailToStdout?: boolean;
  /**
   * Revision of the shipper secret's write-only data: Terraform cannot see a change in write-only
   * values, so bump it in the apply that replaces the writer token or changes the webhook. At least 1.
   * @default 1
   */
  readonly secretRevision?: number;
}

/** Validates {@link TenantAuditTrailProps}, throwing one error that names every problem. */
export function validateTenantAuditTrailProps(props: TenantAuditTrailProps): void {
  const v = new PropsValidator('TenantAuditTrail');
  v.tenantId('tenantId', props.tenantId, 'the bucket and construct ids');
  validateAccountId(v, props.accountId);
  validateRetentionSettings(v, props);
  v.integerAtLeast('secretRevision', props.secretRevision, 1);
  v.check(
    props.alertWebhookUrl,
    isHttpsUrl,
    `alertWebhookUrl must be an https URL without user info, but '${props.alertWebhookUrl}' was provided`,
  );
  v.check(
    props.shipperImage,
    isPinnedImage,
    `shipperImage must be pinned by digest (@sha256:<64 hex>) or by a tag other than 'latest', but '${props.shipperImage}' was provided`,
  );
  v.throwIfInvalid();
}

/** Where alerts go: none, a literal URL in the config, or the secret backend for a reference. */
export function alertDestination(alertWebhookUrl: string | undefined): AlertDestination | undefined {
  if (alertWebhookUrl === undefined) return undefined;
  return isUnresolved(alertWebhookUrl) ? { secretKey: ALERT_WEBHOOK_SECRET_KEY } : { literalUrl: alertWebhookUrl };
}

/**
 * One tenant's per-call audit trail: its own append-only bucket (R2 credentials cannot be scoped to a
 * prefix, so in a shared bucket one tenant's credential could write under every other tenant's
 * prefix), a credential that can write into that bucket only, and the audit shipper sidecar as a
 * {@link PodAddon} for the ports layer: a Vector container that tails the JSON lines the MCP server
 * writes to a shared in-memory volume, checks that each record belongs to this tenant, writes every
 * record to the bucket and sends cross-tenant denials to the alert webhook.
 *
 * Construct ids: `Bucket` (an {@link AppendOnlyAuditBucket}), `Writer`.
 */
export class TenantAuditTrail extends Construct {
  public readonly tenantId: string;
  /** The tenant's audit bucket. */
  public readonly bucket: AppendOnlyAuditBucket;
  /** Its name, as a reference. */
  public readonly bucketName: string;
  /** Id of the bucket-scoped write token (the shipper's S3 access key id). */
  public readonly writerTokenId: string;
  /** The bucket-scoped write token (its id and hashed value are the S3 keys). */
  public readonly writer: AccountToken;
  /** The shipper's configuration (also in the addon's config map as `vector.json`). */
  public readonly shipperConfig: VectorConfig;
  /** The shipper image in use. */
  public readonly shipperImage: string;
  /** True when cross-tenant denials are sent to a webhook. */
  public readonly alertsConfigured: boolean;
  /** What the ports layer adds to the tenant's MCP pod. */
  public readonly podAddon: PodAddon;

  constructor(scope: Construct, id: string, props: TenantAuditTrailProps) {
    super(scope, id);
    validateTenantAuditTrailProps(props);
    recordTenantScope(this, props.tenantId);
    this.tenantId = props.tenantId;
    this.shipperImage = props.shipperImage ?? VECTOR_IMAGE;
    if (!isUnresolved(this.shipperImage) && !isDigestPinnedImage(this.shipperImage)) {
      Annotations.of(this).addWarning(
        `shipperImage '${this.shipperImage}' is pinned by tag only; the default pins by digest ('${VECTOR_IMAGE}')`,
      );
    }
    const alert = alertDestination(props.alertWebhookUrl);
    if (alert && 'literalUrl' in alert) {
      Annotations.of(this).addWarning(
        'alertWebhookUrl is a literal: it is written in clear into the synthesized JSON and the shipper config map; the default is no literal (pass a sensitive TerraformVariable value if the URL carries a credential)',
      );
    }
    this.alertsConfigured = alert !== undefined;

    const { bucket, writer } = createWritableAuditBucket(this, {
      ...props,
      bucketName: tenantAuditBucketName(props.tenantId),
      writerName: tenantAuditWriterName(props.tenantId),
    });
    this.bucket = bucket;
    this.bucketName = bucket.bucketName;
    this.writerTokenId = writer.accessKeyId;
    this.writer = writer.token;

    this.shipperConfig = buildShipperConfig({
      tenantId: props.tenantId,
      bucketName: this.bucket.bucketName,
      endpoint: r2S3Endpoint(props.accountId, this.bucket.jurisdiction),
      alert,
      tailToStdout: props.tailToStdout ?? true,
    });
    this.podAddon = auditShipperAddon({
      image: this.shipperImage,
      configJson: renderShipperConfig(this.shipperConfig),
      accessKeyId: writer.accessKeyId,
      secretAccessKey: writer.secretAccessKey,
      alertWebhookUrlReference: alert && 'secretKey' in alert ? props.alertWebhookUrl : undefined,
      secretRevision: props.secretRevision ?? 1,
    });
  }
}
