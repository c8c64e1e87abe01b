// `cdktf-mcp-access/aws`: the audit backend on AWS S3 with Object Lock. A separate entry point so
// that the package root never loads @cdktf/provider-aws (an optional peer dependency).
export {
  s3AuditBackend,
  type S3AuditBackendSettings,
  type S3AuditStore,
  type S3WriterIdentity,
} from './audit/s3-audit-backend';
export {
  S3ObjectLockAuditBucket,
  type S3ObjectLockAuditBucketProps,
  s3AuditBucketPolicy,
} from './audit/s3-object-lock-audit-bucket';
