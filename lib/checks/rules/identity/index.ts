import type { Rule } from '../../rule';
import { MCP_ID_1 } from './mcp-id-1';
import { MCP_ID_10 } from './mcp-id-10';
import { MCP_ID_11 } from './mcp-id-11';
import { MCP_ID_12 } from './mcp-id-12';
import { MCP_ID_13 } from './mcp-id-13';
import { MCP_ID_2 } from './mcp-id-2';
import { MCP_ID_3 } from './mcp-id-3';
import { MCP_ID_4 } from './mcp-id-4';
import { MCP_ID_5 } from './mcp-id-5';
import { MCP_ID_6 } from './mcp-id-6';
import { MCP_ID_7 } from './mcp-id-7';
import { MCP_ID_8 } from './mcp-id-8';
import { MCP_ID_9 } from './mcp-id-9';
import { MCP_ID_9W } from './mcp-id-9w';

/** The identity rules of the pack. */
export const IDENTITY_RULES: readonly Rule[] = [
  MCP_ID_1,
  MCP_ID_2,
  MCP_ID_3,
  MCP_ID_4,
  MCP_ID_5,
  MCP_ID_6,
  MCP_ID_7,
  MCP_ID_8,
  MCP_ID_9,
  MCP_ID_9W,
  MCP_ID_10,
  MCP_ID_11,
  MCP_ID_12,
  MCP_ID_13,
];
