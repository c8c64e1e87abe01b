import type { Rule } from '../../rule';
import { MCP_NET_1 } from './mcp-net-1';
import { MCP_NET_2 } from './mcp-net-2';
import { MCP_NET_3 } from './mcp-net-3';
import { MCP_NET_4 } from './mcp-net-4';
import { MCP_NET_5 } from './mcp-net-5';

/** The transport rules of the pack. */
export const TRANSPORT_RULES: readonly Rule[] = [MCP_NET_1, MCP_NET_2, MCP_NET_3, MCP_NET_4, MCP_NET_5];
