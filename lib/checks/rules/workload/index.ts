import type { Rule } from '../../rule';

/** The workload rules of the pack. */
export const WORKLOAD_RULES: readonly Rule[] = [];
