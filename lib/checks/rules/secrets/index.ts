import type { Rule } from '../../rule';
import { MCP_SEC_1 } from './mcp-sec-1';
import { MCP_SEC_2 } from './mcp-sec-2';
import { MCP_SEC_3 } from './mcp-sec-3';
import { MCP_SEC_4 } from './mcp-sec-4';
import { MCP_SEC_5 } from './mcp-sec-5';
import { MCP_SEC_6 } from './mcp-sec-6';
import { MCP_SEC_7 } from './mcp-sec-7';
import { MCP_SEC_8 } from './mcp-sec-8';
import { MCP_SEC_9 } from './mcp-sec-9';

/** The secrets rules of the pack. */
export const SECRETS_RULES: readonly Rule[] = [
  MCP_SEC_1,
  MCP_SEC_2,
  MCP_SEC_3,
  MCP_SEC_4,
  MCP_SEC_5,
  MCP_SEC_6,
  MCP_SEC_7,
  MCP_SEC_8,
  MCP_SEC_9,
];
