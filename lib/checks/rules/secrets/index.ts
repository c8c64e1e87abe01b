import type { Rule } from '../../rule';
import { MCP_SEC_5 } from './mcp-sec-5';

/** The secrets rules of the pack. */
export const SECRETS_RULES: readonly Rule[] = [MCP_SEC_5];
