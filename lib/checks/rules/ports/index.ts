import type { Rule } from '../../rule';
import { MCP_K8S_1 } from './mcp-k8s-1';
import { MCP_K8S_2 } from './mcp-k8s-2';
import { MCP_K8S_3 } from './mcp-k8s-3';
import { MCP_K8S_4 } from './mcp-k8s-4';
import { MCP_K8S_5 } from './mcp-k8s-5';
import { MCP_K8S_6 } from './mcp-k8s-6';
import { MCP_K8S_7 } from './mcp-k8s-7';
import { MCP_K8S_8 } from './mcp-k8s-8';
import { MCP_K8S_8W } from './mcp-k8s-8w';
import { MCP_K8S_9 } from './mcp-k8s-9';
import { MCP_K8S_9W } from './mcp-k8s-9w';
import { MCP_K8S_10 } from './mcp-k8s-10';
import { MCP_K8S_11 } from './mcp-k8s-11';
import { MCP_K8S_12 } from './mcp-k8s-12';
import { MCP_K8S_13 } from './mcp-k8s-13';

/** The ports rules of the pack. */
export const PORTS_RULES: readonly Rule[] = [
  MCP_K8S_1,
  MCP_K8S_2,
  MCP_K8S_3,
  MCP_K8S_4,
  MCP_K8S_5,
  MCP_K8S_6,
  MCP_K8S_7,
  MCP_K8S_8,
  MCP_K8S_8W,
  MCP_K8S_9,
  MCP_K8S_9W,
  MCP_K8S_10,
  MCP_K8S_11,
  MCP_K8S_12,
  MCP_K8S_13,
];
