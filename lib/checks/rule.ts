import type { SynthesizedStack } from '../model/stack';

/** Error findings fail synth and cannot be suppressed; warnings can, with a reason. */
export type RuleLevel = 'error' | 'warning';

/** The layer a rule guards (its id prefix says the same). */
export type RuleLayer = 'identity' | 'transport' | 'ports' | 'secrets' | 'audit' | 'tenancy' | 'limits';

/**
 * One resource judged by a rule. `undecided` means the rule could not tell because a value is an
 * expression it cannot follow: it is reported at the rule's own level (an error-level rule that cannot
 * decide is an error: the pack fails closed), never passed silently.
 */
export interface Evaluation {
  /** Terraform address of the resource, variable (`var.x`) or output (`output.x`) judged. */
  readonly address: string;
  readonly status: 'compliant' | 'non-compliant' | 'undecided';
  /** What exactly is wrong or undecided, e.g. `access_token_lifetime_minutes is 60`. */
  readonly detail?: string;
}

/** An invariant of the rule pack: a pure function of a synthesized stack. */
export interface Rule {
  /** Stable id, e.g. `MCP-ID-5`. */
  readonly id: string;
  readonly level: RuleLevel;
  readonly layer: RuleLayer;
  /** One line: what is wrong when the rule fails. */
  readonly cause: string;
  /** Why it matters and how to comply. */
  readonly explanation: string;
  /**
   * What the rule requires: the allow-list of safe shapes, one item each (RULES.md lists them). A
   * rule passes only when it can show one of them.
   */
  readonly requires: readonly string[];
  /** The prop or setting that fixes a finding, in the user's words (e.g. `audit.alertWebhookUrl`). */
  readonly fix: string;
  /** Judges every resource the rule applies to; an empty list means not applicable. */
  evaluate(stack: SynthesizedStack): Evaluation[];
}

export const compliant = (address: string): Evaluation => ({ address, status: 'compliant' });
export const nonCompliant = (address: string, detail: string): Evaluation => ({
  address,
  status: 'non-compliant',
  detail,
});
export const undecided = (address: string, detail: string): Evaluation => ({
  address,
  status: 'undecided',
  detail,
});
