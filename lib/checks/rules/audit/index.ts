import type { Rule } from '../../rule';

/** The audit rules of the pack. */
export const AUDIT_RULES: readonly Rule[] = [];
