import { SUPPRESSION_REASON_MIN_LENGTH, type SuppressionRecord } from '../core/stack-metadata';
import type { ResourceEntry, SynthesizedStack } from '../model/stack';
import type { Rule, RuleLevel } from './rule';

/** One problem found by a rule. */
export interface Finding {
  readonly ruleId: string;
  /** The rule's level: an undecided evaluation of an error-level rule is an error too. */
  readonly level: RuleLevel;
  readonly address: string;
  readonly cause: string;
  readonly detail?: string;
  /** The rule could not decide because a value is an expression it cannot follow. */
  readonly undecided: boolean;
  /** What fixes it: the rule's fix, or how to make an undecided value decidable. */
  readonly fix: string;
  /** Construct path of the resource, when known. */
  readonly path?: string;
  /** Tenant of the resource, when known. */
  readonly tenant?: string;
}

/** A warning that a reasoned suppression silenced. */
export interface SuppressedFinding extends Finding {
  readonly reason: string;
}

/** What running the rules on one stack found. */
export interface CheckReport {
  readonly stack: string;
  readonly findings: readonly Finding[];
  readonly suppressed: readonly SuppressedFinding[];
  /** Suppressions in the JSON that were not honoured (error-level rule, short reason, unknown id). */
  readonly refusedSuppressions: readonly (SuppressionRecord & { why: string })[];
  /** Rule ids that applied to at least one resource. */
  readonly applied: readonly string[];
}

/** How to make an undecided value decidable (the fix of every undecided finding). */
export const DECIDABLE_FIX =
  'make the value decidable: a literal, a variable with a literal default, or a reference to a resource or output of a stack of this app';

/** `MCP-ID-5 error okta_auth_server_policy_rule.x: <cause> (<detail>). Fix: <fix>` */
export function formatFinding(f: Finding): string {
  const prefix = f.undecided ? 'could not decide: ' : '';
  return `${f.ruleId} ${f.level} ${f.address}: ${prefix}${f.cause}${f.detail ? ` (${f.detail})` : ''}. Fix: ${f.fix}`;
}

/** Why a suppression cannot be honoured, or undefined when it can. */
export function suppressionProblem(
  rules: readonly Rule[],
  ruleId: string,
  reason: string | undefined,
  undecidedOnly = false,
): string | undefined {
  const rule = rules.find((r) => r.id === ruleId);
  if (!rule) return `${ruleId} is not a rule of the pack`;
  if (rule.level === 'error') {
    return undecidedOnly
      ? `${ruleId} is an error-level rule: what it cannot decide is an error, and cannot be accepted`
      : `${ruleId} is an error-level rule and cannot be suppressed`;
  }
  if (typeof reason !== 'string' || reason.trim().length < SUPPRESSION_REASON_MIN_LENGTH) {
    return `a suppression of ${ruleId} needs a reason of at least ${SUPPRESSION_REASON_MIN_LENGTH} characters, but ${JSON.stringify(reason ?? '')} was provided`;
  }
  return undefined;
}

function covers(s: SuppressionRecord, finding: Finding): boolean {
  if (s.undecidedOnly === true && !finding.undecided) return false;
  const path = finding.path;
  if (s.path === undefined) return true;
  return path !== undefined && (path === s.path || path.startsWith(`${s.path}/`));
}

/** Runs `rules` on one synthesized stack. */
export function runChecks(stack: SynthesizedStack, rules: readonly Rule[]): CheckReport {
  const refusedSuppressions: (SuppressionRecord & { why: string })[] = [];
  const honoured: SuppressionRecord[] = [];
  for (const s of stack.suppressions) {
    const why = suppressionProblem(rules, s.ruleId, s.reason, s.undecidedOnly === true);
    if (why) refusedSuppressions.push({ ...s, why });
    else honoured.push(s);
  }

  const findings: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  const applied: string[] = [];
  for (const rule of rules) {
    const evaluations = rule.evaluate(stack);
    if (evaluations.length > 0) applied.push(rule.id);
    for (const e of evaluations) {
      if (e.status === 'compliant') continue;
      const entry: ResourceEntry | undefined = stack.find(e.address);
      const finding: Finding = {
        ruleId: rule.id,
        level: rule.level,
        address: e.address,
        cause: rule.cause,
        detail: e.detail,
        undecided: e.status === 'undecided',
        fix: e.status === 'undecided' ? DECIDABLE_FIX : rule.fix,
        path: entry?.path,
        tenant: entry?.tenant,
      };
      const suppression =
        finding.level === 'warning' ? honoured.find((s) => s.ruleId === rule.id && covers(s, finding)) : undefined;
      if (suppression) suppressed.push({ ...finding, reason: suppression.reason });
      else findings.push(finding);
    }
  }
  return { stack: stack.name, findings, suppressed, refusedSuppressions, applied };
}

/** True when the report has an error-level finding. */
export function hasErrors(report: CheckReport): boolean {
  return report.findings.some((f) => f.level === 'error');
}
