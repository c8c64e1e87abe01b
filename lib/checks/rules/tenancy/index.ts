import type { Rule } from '../../rule';
import { MCP_TEN_1 } from './mcp-ten-1';

/** The tenancy rules of the pack. */
export const TENANCY_RULES: readonly Rule[] = [MCP_TEN_1];
