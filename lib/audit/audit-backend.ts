/**
 * Where audit records are kept: R2 (the default, built in) or a backend the caller passes, such as
 * AWS S3 with Object Lock in compliance mode (`s3AuditBackend`, lib/audit/s3-audit-backend.ts). This
 * module holds types only, so that choosing R2 never loads a provider the caller did not install.
 */
import type { Construct } from '../core/cdktf';
import type { AuditRetentionSettings } from './audit-props';
import type { ShipperCredentials } from './audit-shipper';
import type { BucketAddress } from './fluent-bit-config';

/** Who writes into a store. */
export type AuditWriter =
  /** A tenant's audit shipper, in the MCP pod of namespace `mcp-<tenant>` (service account `mcp-server`). */
  | { readonly kind: 'shipper'; readonly tenantId: string }
  /** Cloudflare Logpush, pushing the account's Access request logs. */
  | { readonly kind: 'logpush'; readonly accountId: string };

/** What a backend is asked to create. */
export interface AuditStoreRequest {
  /** The bucket's name as the library derives it (`mcp-audit-<t>`, `mcp-audit-access-requests`). */
  readonly bucketName: string;
  readonly retention: Pick<AuditRetentionSettings, 'retentionDays' | 'indefinite'>;
  readonly writer: AuditWriter;
}

/** A store created for one writer: how the shipper or Logpush reaches it. */
export interface AuditStore {
  readonly kind: 'r2' | 's3';
  /** The bucket's name, as a reference. */
  readonly bucketName: string;
  /** The s3 output's properties that address the bucket. */
  readonly shipperBucket: BucketAddress;
  /** How the shipper authenticates (shipper writers). */
  readonly shipperCredentials: ShipperCredentials;
  /** Revision of the shipper secret's write-only data, when the backend rotates a credential (a token). */
  readonly credentialRevision?: number;
  /** The Logpush `destination_conf` for objects under `path` (Logpush writers). */
  logpushDestination(path: string): string;
  /** The Logpush ownership challenge token, when the destination requires one (S3). */
  readonly logpushOwnershipChallenge?: string;
}

/** A backend other than the built-in R2 one. */
export interface AuditBackend {
  readonly kind: 's3';
  /** Creates the store in `scope` (construct ids `Bucket`, `Writer`, ...). */
  createStore(scope: Construct, request: AuditStoreRequest): AuditStore;
  /**
   * Creates only the locked bucket of a store `createStore` made for the same request (construct id
   * `Bucket`, same configuration), with no writer: what stays of a decommissioned tenant's store.
   * Returns the bucket's name, as a reference.
   */
  retainBucket(scope: Construct, request: Omit<AuditStoreRequest, 'writer'>): string;
}
