import type { Rule } from '../../rule';
import { MCP_ID_1 } from './mcp-id-1';
import { MCP_ID_2 } from './mcp-id-2';
import { MCP_ID_3 } from './mcp-id-3';
import { MCP_ID_4 } from './mcp-id-4';
import { MCP_ID_5 } from './mcp-id-5';
import { MCP_ID_6 } from './mcp-id-6';

/** The identity rules of the pack. */
export const IDENTITY_RULES: readonly Rule[] = [MCP_ID_1, MCP_ID_2, MCP_ID_3, MCP_ID_4, MCP_ID_5, MCP_ID_6];
