import {
  AUDIT_RETENTION_SECONDS_MIN,
  R2_LOCK_AGE,
  R2_LOCK_INDEFINITE,
  S3_OBJECT_LOCK_MODE,
  SECONDS_PER_DAY,
} from '../../../core/audit-defaults';
import { AUDIT_RETENTION_DAYS_MIN } from '../../../core/defaults';
import { block, blocks, booleanValue, isExpression, numberValue } from '../../../model/json';
import type { JsonObject, ResourceEntry, SynthesizedStack } from '../../../model/stack';
import { compliant, type Evaluation, nonCompliant, type Rule, undecided } from '../../rule';
import { Verdict } from '../../verdict';
import { auditView, bucketCompanions, jurisdictionOf, retentionHint, S3_VERSIONING_TYPE } from '../../../model/audit';

type RuleJudgement = { ok: true } | { ok: false; problem: string } | { ok: 'unknown'; what: string };

/** What a lock must keep: at least this many seconds, or for ever. */
export type RequiredRetention = { readonly seconds: number; readonly why: string } | 'indefinite';

const days = (seconds: number): number => Math.round((seconds / SECONDS_PER_DAY) * 100) / 100;

/**
 * The retention a lock must keep: at least 30 days, more when the stack's audit hint records that
 * the lock was configured with more (the hint may demand more, never less), for ever when it was
 * configured indefinite.
 */
export function requiredRetention(stack: SynthesizedStack, lock: ResourceEntry): RequiredRetention {
  const hint = retentionHint(stack, lock);
  if (hint === 'indefinite') return 'indefinite';
  if (typeof hint === 'number' && hint * SECONDS_PER_DAY > AUDIT_RETENTION_SECONDS_MIN) {
    return { seconds: hint * SECONDS_PER_DAY, why: `the configured ${hint} days` };
  }
  return { seconds: AUDIT_RETENTION_SECONDS_MIN, why: `${AUDIT_RETENTION_DAYS_MIN} days` };
}

/** Judges one R2 lock rule: enabled, over the whole bucket, and Indefinite or Age >= the required retention. */
export function judgeLockRule(
  rule: JsonObject,
  where: string,
  required: RequiredRetention = { seconds: AUDIT_RETENTION_SECONDS_MIN, why: `${AUDIT_RETENTION_DAYS_MIN} days` },
): RuleJudgement {
  const unknowns: string[] = [];
  if (isExpression(rule.enabled)) unknowns.push(`${where}.enabled`);
  else if (rule.enabled !== true) return { ok: false, problem: `${where} is not enabled` };

  const prefix = rule.prefix;
  if (isExpression(prefix)) unknowns.push(`${where}.prefix`);
  else if (prefix !== undefined && prefix !== null && prefix !== '') {
    return { ok: false, problem: `${where} covers only prefix '${String(prefix)}', not the whole bucket` };
  }

  const condition = block(rule.condition);
  const type = condition.type;
  if (isExpression(type)) {
    unknowns.push(`${where}.condition.type`);
  } else if (type === R2_LOCK_AGE) {
    const age = numberValue(condition.max_age_seconds);
    if (required === 'indefinite') {
      return { ok: false, problem: `${where} is an Age rule, but the lock was configured to keep records for ever` };
    }
    if (age === 'expression') unknowns.push(`${where}.condition.max_age_seconds`);
    else if (age === undefined) return { ok: false, problem: `${where} is an Age rule without max_age_seconds` };
    else if (age < required.seconds) {
      return {
        ok: false,
        problem: `${where} locks records for ${age} s (${days(age)} days), less than ${required.why} (${required.seconds} s)`,
      };
    }
  } else if (type !== R2_LOCK_INDEFINITE) {
    return {
      ok: false,
      problem: `${where} has condition type ${JSON.stringify(type ?? null)}, not ${R2_LOCK_AGE} or ${R2_LOCK_INDEFINITE}`,
    };
  }
  return unknowns.length > 0 ? { ok: 'unknown', what: unknowns.join(', ') } : { ok: true };
}

/** Judges one R2 audit bucket against the locks that target it. */
function judgeR2Bucket(stack: SynthesizedStack, bucket: ResourceEntry, locks: readonly ResourceEntry[]): Evaluation {
  if (locks.length === 0) return nonCompliant(bucket.address, 'no cloudflare_r2_bucket_lock targets this bucket');
  const problems: string[] = [];
  const unknowns: string[] = [];
  const bucketJurisdiction = jurisdictionOf(bucket.body);
  for (const lock of locks) {
    const lockJurisdiction = jurisdictionOf(lock.body);
    const jurisdictionUnknown = isExpression(lockJurisdiction) || isExpression(bucketJurisdiction);
    if (!jurisdictionUnknown && lockJurisdiction !== bucketJurisdiction) {
      problems.push(`${lock.address} is in jurisdiction '${lockJurisdiction}', the bucket in '${bucketJurisdiction}'`);
      continue;
    }
    if (isExpression(lock.body.rules)) {
      unknowns.push(`${lock.address}.rules`);
      continue;
    }
    const rules = blocks(lock.body.rules);
    if (rules.length === 0) problems.push(`${lock.address} has no rules`);
    const required = requiredRetention(stack, lock);
    for (const [i, rule] of rules.entries()) {
      const judgement = judgeLockRule(rule, `${lock.address}.rules[${i}]`, required);
      // Any one sound rule keeps the records (the strictest rule wins).
      if (judgement.ok === true && !jurisdictionUnknown) return compliant(bucket.address);
      if (judgement.ok === true) unknowns.push(`${lock.address}.jurisdiction`);
      else if (judgement.ok === 'unknown') unknowns.push(judgement.what);
      else problems.push(judgement.problem);
    }
  }
  if (unknowns.length > 0) return undecided(bucket.address, `${unknowns.join(', ')} is an unresolved expression`);
  return nonCompliant(bucket.address, `no enabled whole-bucket lock rule keeps records: ${problems.join('; ')}`);
}

/** Judges one S3 audit bucket: Object Lock enabled, versioning on, default retention COMPLIANCE >= required. */
function judgeS3Bucket(stack: SynthesizedStack, bucket: ResourceEntry, locks: readonly ResourceEntry[]): Evaluation {
  const v = new Verdict(bucket.address);
  const enabled = booleanValue(bucket.body.object_lock_enabled);
  if (enabled === 'expression') v.unknown('object_lock_enabled');
  else v.expect(enabled === true, `object_lock_enabled is ${JSON.stringify(bucket.body.object_lock_enabled ?? null)}`);

  const versioning = bucketCompanions(stack, bucket, S3_VERSIONING_TYPE);
  const status = versioning.map((e) => block(e.body.versioning_configuration).status);
  if (status.some(isExpression)) v.unknown('versioning_configuration.status');
  else v.expect(status.includes('Enabled'), 'no aws_s3_bucket_versioning with status Enabled targets this bucket');

  if (locks.length === 0) return v.fail('no aws_s3_bucket_object_lock_configuration targets this bucket').result();
  const problems: string[] = [];
  for (const lock of locks) {
    const retention = block(block(lock.body.rule).default_retention);
    const required = requiredRetention(stack, lock);
    const mode = retention.mode;
    const d = numberValue(retention.days);
    const y = numberValue(retention.years);
    if (isExpression(mode) || d === 'expression' || y === 'expression') {
      v.unknown(`${lock.address}.rule.default_retention`);
      continue;
    }
    const seconds = d !== undefined ? d * SECONDS_PER_DAY : y !== undefined ? y * 365 * SECONDS_PER_DAY : undefined;
    if (mode !== S3_OBJECT_LOCK_MODE)
      problems.push(`${lock.address} has mode ${JSON.stringify(mode ?? null)}, not ${S3_OBJECT_LOCK_MODE}`);
    else if (required === 'indefinite')
      problems.push(
        `${lock.address} keeps records for a number of days, but the lock was configured to keep them for ever`,
      );
    else if (seconds === undefined) problems.push(`${lock.address} sets no default retention`);
    else if (seconds < required.seconds) {
      problems.push(`${lock.address} keeps records for ${days(seconds)} days, less than ${required.why}`);
    } else return v.result();
  }
  if (problems.length > 0) v.fail(problems.join('; '));
  return v.result();
}

/** MCP-AUD-1: every audit bucket is locked over the whole bucket for the configured days (at least 30), or for ever. */
export const MCP_AUD_1: Rule = {
  id: 'MCP-AUD-1',
  level: 'error',
  layer: 'audit',
  cause:
    'an audit bucket lacks a lock that keeps every record for at least the configured retention (never under 30 days)',
  explanation: `Audit records must survive the people and credentials they record. An R2 bucket or an S3 bucket counts as an audit bucket when a Logpush job or a Fluent Bit audit shipper writes into it, when its name contains "audit", or (S3) when it has Object Lock enabled; a lock alone does not make one, so removing the lock cannot hide a bucket from this rule. The retention a lock must keep is at least ${AUDIT_RETENTION_DAYS_MIN} days, and at least the days the audit layer recorded for it in the stack's comment block ("//".mcp_access_audit.retention, keyed by the lock's construct path): that hint can demand more than ${AUDIT_RETENTION_DAYS_MIN} days, never less, so shortening a 365-day lock to 364 days is refused. R2 locks can be removed by anyone who may edit the bucket, which is why MCP-AUD-2 also requires prevent_destroy; an S3 bucket with Object Lock in COMPLIANCE mode cannot be shortened by anyone, root included.`,
  requires: [
    `R2: a cloudflare_r2_bucket_lock in the bucket's jurisdiction with a rule that is enabled, has prefix "" and the condition Indefinite, or Age with max_age_seconds of at least the configured retention (at least ${AUDIT_RETENTION_SECONDS_MIN} s)`,
    'R2: Indefinite when the lock was configured indefinite',
    'S3: object_lock_enabled = true on the aws_s3_bucket and an aws_s3_bucket_versioning with status Enabled',
    `S3: an aws_s3_bucket_object_lock_configuration whose default_retention has mode ${S3_OBJECT_LOCK_MODE} and days (or years) of at least the configured retention`,
  ],
  fix: 'keep the lock the audit layer writes (AppendOnlyAuditBucket, S3ObjectLockAuditBucket); to keep records longer set audit.retentionDays (SecureMcpAccess) or retentionDays (TenantAuditTrail, AccessRequestsAuditLog)',
  evaluate(stack: SynthesizedStack): Evaluation[] {
    const view = auditView(stack);
    const results: Evaluation[] = [];
    for (const { entry, store } of view.auditBuckets.values()) {
      const locks = view.locksByBucket.get(entry.address) ?? [];
      results.push(store === 'r2' ? judgeR2Bucket(stack, entry, locks) : judgeS3Bucket(stack, entry, locks));
    }
    return results;
  },
};
