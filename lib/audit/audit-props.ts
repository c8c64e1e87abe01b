import {
  ACCOUNT_ID_PATTERN,
  AUDIT_METADATA_KEY,
  R2_JURISDICTIONS,
  R2_LOCATIONS,
  type R2Jurisdiction,
  type R2Location,
  WRITER_EXPIRY_MARGIN_DAYS_MAX,
  WRITER_ROTATION_DAYS_MAX,
} from '../core/audit-defaults';
import { Annotations, type IConstruct, TerraformStack } from '../core/cdktf';
import { AUDIT_RETENTION_DAYS, AUDIT_RETENTION_DAYS_MIN } from '../core/defaults';
import { describeValue, isUnresolved, type PropsValidator } from '../core/validation';

/** How long an audit bucket keeps its records and where it keeps them. */
export interface AuditRetentionSettings {
  /**
   * Days every record stays locked (cannot be deleted or overwritten) after it is written. At least 30.
   * Must not be set together with `indefinite`.
   * @default 365
   */
  readonly retentionDays?: number;
  /**
   * Lock every record for ever (an `Indefinite` lock rule) instead of for `retentionDays`.
   * @default false
   */
  readonly indefinite?: boolean;
  /**
   * R2 jurisdiction the records are guaranteed to stay in: `default` (none), `eu` or `fedramp`. A literal:
   * it decides the S3 host and the scope of the write credential.
   * @default 'default'
   */
  readonly jurisdiction?: R2Jurisdiction;
  /**
   * R2 location hint: `apac`, `eeur`, `enam`, `weur`, `wnam` or `oc`.
   * @default - Cloudflare picks the location nearest the first request
   */
  readonly location?: R2Location;
}

/** The jurisdiction in effect. */
export function effectiveJurisdiction(jurisdiction: R2Jurisdiction | undefined): R2Jurisdiction {
  return jurisdiction ?? 'default';
}

function oneOf(values: readonly string[]): string {
  return `one of ${values.map((v) => `'${v}'`).join(', ')}`;
}

/** Records a problem when the Cloudflare account id is missing or not 32 lower-case hex characters. */
export function validateAccountId(v: PropsValidator, accountId: string | undefined): void {
  if (accountId === undefined || accountId === '') v.required('accountId', accountId);
  else v.matches('accountId', accountId, ACCOUNT_ID_PATTERN, '32 lower-case hex characters');
}

/** Records the problems of retention, jurisdiction and location settings. */
export function validateRetentionSettings(v: PropsValidator, settings: AuditRetentionSettings): void {
  v.integerAtLeast('retentionDays', settings.retentionDays, AUDIT_RETENTION_DAYS_MIN);
  if (settings.indefinite === true && settings.retentionDays !== undefined) {
    v.fail(
      `retentionDays must not be set when indefinite is true (an indefinite lock has no age), but ${describeValue(settings.retentionDays)} was provided`,
    );
  }
  if (isUnresolved(settings.jurisdiction)) {
    v.fail(
      'jurisdiction must be a literal (it decides the S3 host and the credential scope), but a token was provided',
    );
  } else {
    v.check(
      settings.jurisdiction,
      (j: string) => (R2_JURISDICTIONS as readonly string[]).includes(j),
      `jurisdiction must be ${oneOf(R2_JURISDICTIONS)}, but ${describeValue(settings.jurisdiction)} was provided`,
    );
  }
  v.check(
    settings.location,
    (l: string) => (R2_LOCATIONS as readonly string[]).includes(l),
    `location must be ${oneOf(R2_LOCATIONS)}, but ${describeValue(settings.location)} was provided`,
  );
}

/** Warns when a resolved retention is below the default: records become deletable sooner. */
export function warnOnShortRetention(scope: IConstruct, retentionDays: number | undefined): void {
  if (retentionDays === undefined || isUnresolved(retentionDays) || retentionDays >= AUDIT_RETENTION_DAYS) return;
  Annotations.of(scope).addWarning(
    `retentionDays is ${retentionDays}, below the default of ${AUDIT_RETENTION_DAYS}: audit records become deletable ${retentionDays} days after they are written`,
  );
}

/** Records the problems of a writer token's lifetime settings. */
export function validateWriterLifetime(
  v: PropsValidator,
  settings: { readonly writerRotationDays?: number; readonly writerExpiryMarginDays?: number },
): void {
  v.integerBetween('writerRotationDays', settings.writerRotationDays, 1, WRITER_ROTATION_DAYS_MAX);
  if (isUnresolved(settings.writerExpiryMarginDays)) {
    v.fail(
      'writerExpiryMarginDays must be a literal (it is written into the expiry expression the rules read), but a token was provided',
    );
  } else {
    v.integerBetween('writerExpiryMarginDays', settings.writerExpiryMarginDays, 1, WRITER_EXPIRY_MARGIN_DAYS_MAX);
  }
}

/**
 * Records, in the stack's Terraform comment block (`"//".mcp_access_audit.retention`), the retention
 * a lock was configured with, keyed by the lock's construct path. MCP-AUD-1 reads it as a hint that
 * may demand more than its 30-day floor, never less, so that shortening a lock below the configured
 * days is refused even when the result is still over 30 days. A token retention is not recorded.
 */
export function recordAuditRetention(lock: IConstruct, retention: number | 'indefinite'): void {
  if (isUnresolved(retention)) return;
  TerraformStack.of(lock).addOverride(`//.${AUDIT_METADATA_KEY}.retention.${lock.node.path}`, retention);
}
