import {
  AUDIT_RETENTION_SECONDS_MIN,
  R2_LOCK_AGE,
  R2_LOCK_INDEFINITE,
  SECONDS_PER_DAY,
} from '../../../core/audit-defaults';
import { AUDIT_RETENTION_DAYS_MIN } from '../../../core/defaults';
import { block, blocks, isExpression, numberValue } from '../../../model/json';
import type { JsonObject, ResourceEntry, SynthesizedStack } from '../../../model/stack';
import { compliant, type Evaluation, nonCompliant, type Rule, undecided } from '../../rule';
import { auditView, jurisdictionOf } from '../../../model/audit';

type RuleJudgement = { ok: true } | { ok: false; problem: string } | { ok: 'unknown'; what: string };

/** Judges one lock rule: enabled, over the whole bucket, and Indefinite or Age >= 30 days. */
export function judgeLockRule(rule: JsonObject, where: string): RuleJudgement {
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
    if (age === 'expression') unknowns.push(`${where}.condition.max_age_seconds`);
    else if (age === undefined) return { ok: false, problem: `${where} is an Age rule without max_age_seconds` };
    else if (age < AUDIT_RETENTION_SECONDS_MIN) {
      const days = Math.round((age / SECONDS_PER_DAY) * 100) / 100;
      return {
        ok: false,
        problem: `${where} locks records for ${age} s (${days} days), less than ${AUDIT_RETENTION_DAYS_MIN} days (${AUDIT_RETENTION_SECONDS_MIN} s)`,
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

/** Judges one audit bucket against the locks that target it. */
function judgeBucket(bucket: ResourceEntry, locks: readonly ResourceEntry[]): Evaluation {
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
    for (const [i, rule] of rules.entries()) {
      const judgement = judgeLockRule(rule, `${lock.address}.rules[${i}]`);
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

/** MCP-AUD-1: every audit bucket is locked over the whole bucket for at least 30 days, or for ever. */
export const MCP_AUD_1: Rule = {
  id: 'MCP-AUD-1',
  level: 'error',
  layer: 'audit',
  cause: 'an audit bucket lacks an enabled lock rule over the whole bucket with Indefinite or Age of at least 30 days',
  explanation: `Audit records must survive the people and credentials they record: an R2 bucket lock keeps every object from being deleted or overwritten until it is old enough. An R2 bucket counts as an audit bucket when a Logpush job or a Vector audit shipper (a config map holding a JSON Vector config with an aws_s3 sink on an R2 endpoint) writes into it, or when its name contains "audit"; a lock alone does not make one, so removing the lock cannot hide a bucket from this rule. Comply with a cloudflare_r2_bucket_lock in the bucket's jurisdiction whose rule is enabled, has prefix "" (the whole bucket) and the condition Indefinite or Age with max_age_seconds of at least ${AUDIT_RETENTION_SECONDS_MIN} (${AUDIT_RETENTION_DAYS_MIN} days): AppendOnlyAuditBucket does this.`,
  evaluate(stack: SynthesizedStack): Evaluation[] {
    const view = auditView(stack);
    const results: Evaluation[] = [];
    for (const { entry } of view.auditBuckets.values()) {
      results.push(judgeBucket(entry, view.locksByBucket.get(entry.address) ?? []));
    }
    return results;
  },
};
