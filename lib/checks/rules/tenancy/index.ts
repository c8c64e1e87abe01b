import type { Rule } from '../../rule';
import { MCP_TEN_1 } from './mcp-ten-1';
import { MCP_TEN_2 } from './mcp-ten-2';
import { MCP_TEN_3 } from './mcp-ten-3';

/** The tenancy rules of the pack. */
export const TENANCY_RULES: readonly Rule[] = [MCP_TEN_1, MCP_TEN_2, MCP_TEN_3];
