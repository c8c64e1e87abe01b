import type { Rule } from '../../rule';

/** The identity rules of the pack. */
export const IDENTITY_RULES: readonly Rule[] = [];
