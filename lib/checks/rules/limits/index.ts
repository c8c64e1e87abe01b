import type { Rule } from '../../rule';

/** The limits rules of the pack. */
export const LIMITS_RULES: readonly Rule[] = [];
