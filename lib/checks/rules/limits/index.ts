import type { Rule } from '../../rule';
import { MCP_LIM_1 } from './mcp-lim-1';

/** The limits rules of the pack. */
export const LIMITS_RULES: readonly Rule[] = [MCP_LIM_1];
