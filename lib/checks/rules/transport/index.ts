import type { Rule } from '../../rule';

/** The transport rules of the pack. */
export const TRANSPORT_RULES: readonly Rule[] = [];
