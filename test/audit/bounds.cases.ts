/**
 * Every numeric bound of the audit layer's validation, table-driven: a value exactly at the limit is
 * accepted and one just past it is refused with the exact message. The numbers are literals, never
 * the code's constants (issue 19). Bounds whose at/past pair lives elsewhere are listed in
 * docs/testing.md.
 */
import {
  type AccessRequestsAuditLogProps,
  validateAccessRequestsAuditLogProps,
} from '../../lib/audit/access-requests-audit-log';
import {
  type AppendOnlyAuditBucketProps,
  validateAppendOnlyAuditBucketProps,
} from '../../lib/audit/append-only-audit-bucket';
import { DecommissionedTenantAudit } from '../../lib/audit/decommissioned-tenant-audit';
import { validateS3ObjectLockAuditBucketProps } from '../../lib/audit/s3-object-lock-audit-bucket';
import { type TenantAuditTrailProps, validateTenantAuditTrailProps } from '../../lib/audit/tenant-audit-trail';
import { newStack } from '../helpers';
import { validationProblems } from '../validation-problems';

const ACCOUNT = '0123456789abcdef0123456789abcdef';
const bucket = (overrides: Partial<AppendOnlyAuditBucketProps>) => () =>
  validateAppendOnlyAuditBucketProps({ accountId: ACCOUNT, bucketName: 'mcp-audit-x', ...overrides });
const accessLog = (overrides: Partial<AccessRequestsAuditLogProps>) => () =>
  validateAccessRequestsAuditLogProps({ accountId: ACCOUNT, ...overrides });
const trail = (overrides: Partial<TenantAuditTrailProps>) => () =>
  validateTenantAuditTrailProps({ tenantId: 'acme', accountId: ACCOUNT, ...overrides });
const s3Bucket = (retentionDays: number) => () =>
  validateS3ObjectLockAuditBucketProps({ bucketName: 'example-mcp-audit-x', retentionDays });
const decommissioned = (retentionDays: number) => () =>
  new DecommissionedTenantAudit(newStack(), 'Audit', { tenantId: 'acme', accountId: ACCOUNT, retentionDays });

const RETENTION_29 = ['retentionDays must be at least 30, but 29 was provided'];

describe('audit validation at its bounds', () => {
  test.each<[string, () => unknown, readonly string[]]>([
    // retentionDays: at least 30 (the audit lock minimum), on every construct that locks records.
    ['AppendOnlyAuditBucket retentionDays 30 (the floor)', bucket({ retentionDays: 30 }), []],
    ['AppendOnlyAuditBucket retentionDays 29', bucket({ retentionDays: 29 }), RETENTION_29],
    ['AccessRequestsAuditLog retentionDays 30 (the floor)', accessLog({ retentionDays: 30 }), []],
    ['AccessRequestsAuditLog retentionDays 29', accessLog({ retentionDays: 29 }), RETENTION_29],
    ['TenantAuditTrail retentionDays 30 (the floor)', trail({ retentionDays: 30 }), []],
    ['TenantAuditTrail retentionDays 29', trail({ retentionDays: 29 }), RETENTION_29],
    ['DecommissionedTenantAudit retentionDays 30 (the floor)', decommissioned(30), []],
    ['DecommissionedTenantAudit retentionDays 29', decommissioned(29), RETENTION_29],
    // S3ObjectLockAuditBucket: 29 is refused in s3-backend.test.ts.
    ['S3ObjectLockAuditBucket retentionDays 30 (the floor)', s3Bucket(30), []],
    // writerRotationDays: 1 to 90; writerExpiryMarginDays: 1 to 30 (91 and 31 are refused in access-requests-audit-log.test.ts).
    ['TenantAuditTrail writerRotationDays 90 (the limit)', trail({ writerRotationDays: 90 }), []],
    [
      'TenantAuditTrail writerRotationDays 91',
      trail({ writerRotationDays: 91 }),
      ['writerRotationDays must be between 1 and 90, but 91 was provided'],
    ],
    ['TenantAuditTrail writerRotationDays 1 (the floor)', trail({ writerRotationDays: 1 }), []],
    [
      'TenantAuditTrail writerRotationDays 0',
      trail({ writerRotationDays: 0 }),
      ['writerRotationDays must be between 1 and 90, but 0 was provided'],
    ],
    ['TenantAuditTrail writerExpiryMarginDays 30 (the limit)', trail({ writerExpiryMarginDays: 30 }), []],
    [
      'TenantAuditTrail writerExpiryMarginDays 31',
      trail({ writerExpiryMarginDays: 31 }),
      ['writerExpiryMarginDays must be between 1 and 30, but 31 was provided'],
    ],
    ['TenantAuditTrail writerExpiryMarginDays 1 (the floor)', trail({ writerExpiryMarginDays: 1 }), []],
    [
      'TenantAuditTrail writerExpiryMarginDays 0',
      trail({ writerExpiryMarginDays: 0 }),
      ['writerExpiryMarginDays must be between 1 and 30, but 0 was provided'],
    ],
    ['AccessRequestsAuditLog writerRotationDays 90 (the limit)', accessLog({ writerRotationDays: 90 }), []],
    ['AccessRequestsAuditLog writerExpiryMarginDays 30 (the limit)', accessLog({ writerExpiryMarginDays: 30 }), []],
    // secretRevision: at least 1 (0 is refused in tenant-audit-trail.test.ts).
    ['TenantAuditTrail secretRevision 1 (the floor)', trail({ secretRevision: 1 }), []],
  ])('%s', (_label, build, problems) => {
    expect(validationProblems(build)).toEqual(problems);
  });
});
