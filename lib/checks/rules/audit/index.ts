import type { Rule } from '../../rule';
import { MCP_AUD_1 } from './mcp-aud-1';
import { MCP_AUD_2 } from './mcp-aud-2';
import { MCP_AUD_3 } from './mcp-aud-3';
import { MCP_AUD_4 } from './mcp-aud-4';

/** The audit rules of the pack. */
export const AUDIT_RULES: readonly Rule[] = [MCP_AUD_1, MCP_AUD_2, MCP_AUD_3, MCP_AUD_4];
