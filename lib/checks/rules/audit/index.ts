import type { Rule } from '../../rule';
import { MCP_AUD_1 } from './mcp-aud-1';
import { MCP_AUD_2 } from './mcp-aud-2';
import { MCP_AUD_3 } from './mcp-aud-3';
import { MCP_AUD_4 } from './mcp-aud-4';
import { MCP_AUD_5 } from './mcp-aud-5';
import { MCP_AUD_6 } from './mcp-aud-6';
import { MCP_AUD_7 } from './mcp-aud-7';
import { MCP_AUD_8 } from './mcp-aud-8';

/** The audit rules of the pack. */
export const AUDIT_RULES: readonly Rule[] = [
  MCP_AUD_1,
  MCP_AUD_2,
  MCP_AUD_3,
  MCP_AUD_4,
  MCP_AUD_5,
  MCP_AUD_6,
  MCP_AUD_7,
  MCP_AUD_8,
];
