import type { AccountToken } from '@cdktf/provider-cloudflare/lib/account-token';
import type { Rotating } from '@cdktf/provider-time/lib/rotating';
import {
  ALERT_WEBHOOK_ENV,
  FLUENT_BIT_IMAGE,
  tenantAuditBucketName,
  tenantAuditWriterName,
} from '../core/audit-defaults';
import { Annotations, Construct, Fn, Op, Token } from '../core/cdktf';
import { isDigestPinnedImage, isHttpsUrl, isPinnedImage } from '../core/formats';
import type { PodAddon } from '../core/refs';
import { recordTenantScope } from '../core/stack-metadata';
import { isUnresolved, PropsValidator } from '../core/validation';
import { type AppendOnlyAuditBucket } from './append-only-audit-bucket';
import type { AuditBackend, AuditStore } from './audit-backend';
import {
  type AuditRetentionSettings,
  validateAccountId,
  validateRetentionSettings,
  validateWriterLifetime,
} from './audit-props';
import { auditShipperAddon, type ShipperCredentials } from './audit-shipper';
import {
  type AlertDestination,
  buildShipperConfig,
  type FluentBitConfig,
  renderShipperConfig,
  splitWebhookUrl,
} from './fluent-bit-config';
import { createWritableAuditBucket, r2Store, type WriterTokenLifetime } from './r2-write-credential';

/** Props of {@link TenantAuditTrail}. */
export interface TenantAuditTrailProps extends AuditRetentionSettings, WriterTokenLifetime {
  /** The tenant id (a literal: it names the bucket and construct ids). */
  readonly tenantId: string;
  /** Cloudflare account id (32 lower-case hex characters, or a Terraform variable). */
  readonly accountId: string;
  /**
   * Where the records are kept: R2 (the default), or a backend such as
   * `s3AuditBackend({...})` (AWS S3 with Object Lock in compliance mode, lib/audit/s3-audit-backend).
   * `jurisdiction`, `location` and the writer token settings apply to R2 only.
   * @default - an R2 bucket `mcp-audit-<tenant>` with a bucket lock
   */
  readonly backend?: AuditBackend;
  /**
   * Webhook that receives every cross-tenant denial (and every record claiming another tenant), and
   * the shipper's delivery alerts, as JSON lines. https. Pass a sensitive TerraformVariable's value:
   * it then travels only by reference, into the shipper's Kubernetes secret. A literal is written in
   * clear into the config map (warning).
   * @default - no webhook: alerts only on the shipper's stdout; rule MCP-AUD-4 warns
   */
  readonly alertWebhookUrl?: string;
  /**
   * The shipper image: Fluent Bit (5.0 or later: the delivery watchdog reads its `fluentbit_logs`
   * input), pinned by digest (a tag other than `latest` is accepted with a warning).
   * @default FLUENT_BIT_IMAGE ('cr.fluentbit.io/fluent/fluent-bit:5.0.9@sha256:...')
   */
  readonly shipperImage?: string;
  /**
   * Also print every record on the shipper's stdout, so that an operator can follow a session with
   * `kubectl logs -c audit-shipper -f`. The records then also reach the cluster's log pipeline.
   * @default true
   */
  readonly tailToStdout?: boolean;
  /**
   * Revision of the shipper secret's write-only data: bump it in the apply that changes the webhook
   * (Terraform cannot see a change in write-only values). Token rotations change the revision by
   * themselves. At least 1.
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
  validateWriterLifetime(v, props);
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
  if (props.backend !== undefined && props.indefinite === true) {
    v.fail(
      'indefinite must not be set with an S3 backend (Object Lock keeps records for a number of days), but true was provided',
    );
  }
  v.throwIfInvalid();
}

/** Where alerts go: none, a literal URL in the config, or the environment for a reference. */
export function alertDestination(alertWebhookUrl: string | undefined): AlertDestination | undefined {
  if (alertWebhookUrl === undefined) return undefined;
  return isUnresolved(alertWebhookUrl) ? { fromEnvironment: true } : { literal: splitWebhookUrl(alertWebhookUrl) };
}

/**
 * The webhook's host, port and URI, computed by Terraform from a URL that is a reference, for the
 * shipper's secret (the http output takes them apart; the URL never enters the config map).
 */
export function webhookEnvironment(url: string): Record<string, string> {
  const authority = Fn.regex('^https://([^/?#]+)', url);
  const host = Fn.element(Fn.split(':', Fn.element(authority, 0)), 0);
  const port = Fn.try([Fn.element(Fn.regex('^https://[^/?#:]+:([0-9]+)', url), 0), '443']);
  const uri = Fn.replace(Fn.try([Fn.element(Fn.regex('^https://[^/?#]+([/?][^#]*)', url), 0), '/']), '/^[?]/', '/?');
  return { [ALERT_WEBHOOK_ENV.host]: host, [ALERT_WEBHOOK_ENV.port]: port, [ALERT_WEBHOOK_ENV.uri]: uri };
}

/**
 * One tenant's per-call audit trail: its own append-only bucket (R2 credentials cannot be scoped to a
 * prefix, so in a shared bucket one tenant's credential could write under every other tenant's
 * prefix), a credential that can write into that bucket only, and the audit shipper sidecar as a
 * {@link PodAddon} for the ports layer: a Fluent Bit container that tails the JSON lines the MCP
 * server writes to a shared in-memory volume, checks that each record belongs to this tenant, writes
 * every record to the bucket (buffered on a bounded volume, never given up), sends cross-tenant
 * records and delivery failures to the alert webhook, and prints both on stdout.
 *
 * Construct ids: `Bucket` (an {@link AppendOnlyAuditBucket}, or the backend's bucket), `Writer`,
 * `WriterRotation` (R2), `WriterPolicy` / `WriterIdentity` (S3).
 */
export class TenantAuditTrail extends Construct {
  public readonly tenantId: string;
  /** The tenant's R2 audit bucket (undefined with another backend: see `store`). */
  public readonly bucket?: AppendOnlyAuditBucket;
  /** Its name, as a reference. */
  public readonly bucketName: string;
  /** Id of the bucket-scoped R2 write token (the shipper's S3 access key id), R2 only. */
  public readonly writerTokenId?: string;
  /** The bucket-scoped R2 write token (its id and hashed value are the S3 keys), R2 only. */
  public readonly writer?: AccountToken;
  /** The `time_rotating` resource that replaces the R2 write token, R2 only. */
  public readonly writerRotation?: Rotating;
  /** The store: the bucket and how the shipper reaches it (with every resource a backend created). */
  public readonly store: AuditStore;
  /** The shipper's configuration (also in the addon's config map as `fluent-bit.yaml`). */
  public readonly shipperConfig: FluentBitConfig;
  /** The shipper image in use. */
  public readonly shipperImage: string;
  /** True when cross-tenant records and delivery failures are sent to a webhook. */
  public readonly alertsConfigured: boolean;
  /** What the ports layer adds to the tenant's MCP pod. */
  public readonly podAddon: PodAddon;

  constructor(scope: Construct, id: string, props: TenantAuditTrailProps) {
    super(scope, id);
    validateTenantAuditTrailProps(props);
    recordTenantScope(this, props.tenantId);
    this.tenantId = props.tenantId;
    this.shipperImage = props.shipperImage ?? FLUENT_BIT_IMAGE;
    if (!isUnresolved(this.shipperImage) && !isDigestPinnedImage(this.shipperImage)) {
      Annotations.of(this).addWarning(
        `shipperImage '${this.shipperImage}' is pinned by tag only; the default pins by digest ('${FLUENT_BIT_IMAGE}')`,
      );
    }
    const alert = alertDestination(props.alertWebhookUrl);
    if (alert && 'literal' in alert) {
      Annotations.of(this).addWarning(
        'alertWebhookUrl is a literal: it is written in clear into the synthesized JSON and the shipper config map; the default is no literal (pass a sensitive TerraformVariable value if the URL carries a credential)',
      );
    }
    this.alertsConfigured = alert !== undefined;

    if (props.backend) {
      this.store = props.backend.createStore(this, {
        bucketName: tenantAuditBucketName(props.tenantId),
        retention: props,
        writer: { kind: 'shipper', tenantId: props.tenantId },
      });
    } else {
      const { bucket, writer } = createWritableAuditBucket(this, {
        ...props,
        bucketName: tenantAuditBucketName(props.tenantId),
        writerName: tenantAuditWriterName(props.tenantId),
      });
      this.bucket = bucket;
      this.writerTokenId = writer.accessKeyId;
      this.writer = writer.token;
      this.writerRotation = writer.rotation;
      this.store = r2Store(props.accountId, bucket, writer);
    }
    this.bucketName = this.store.bucketName;

    this.shipperConfig = buildShipperConfig({
      tenantId: props.tenantId,
      bucket: this.store.shipperBucket,
      alert,
      tailToStdout: props.tailToStdout ?? true,
    });
    const credentials: ShipperCredentials = {
      ...this.store.shipperCredentials,
      secretEnv: {
        ...this.store.shipperCredentials.secretEnv,
        ...(alert && 'fromEnvironment' in alert ? webhookEnvironment(props.alertWebhookUrl as string) : {}),
      },
    };
    this.podAddon = auditShipperAddon({
      image: this.shipperImage,
      configText: renderShipperConfig(this.shipperConfig),
      credentials,
      secretRevision: secretRevisionOf(this.store.credentialRevision, props.secretRevision ?? 1),
    });
  }
}

/**
 * The secret's `data_wo_revision`: the user's revision alone, or, when the credential rotates,
 * `rotation unix time * 1000 + revision`, which changes at every rotation and at every bump.
 */
export function secretRevisionOf(credentialRevision: number | undefined, secretRevision: number): number {
  if (credentialRevision === undefined) return secretRevision;
  return Token.asNumber(Op.add(Op.mul(credentialRevision, 1000), secretRevision));
}
