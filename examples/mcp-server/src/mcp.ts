/**
 * The MCP side of one request: a new low-level `Server` per request (the SDK's stateless pattern),
 * listing the tools and deciding, auditing and running each call. Exactly one audit record per
 * tool call: written when the call is decided, before the tool runs; a call that cannot be audited
 * is refused.
 */
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { type CallToolResult, CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { type AuditSink, auditRecord } from './audit-log';
import type { Caller } from './claims';
import type { ServerConfig } from './config';
import type { Logger } from './log';
import { decideToolCall, TOOLS, type ToolArguments } from './tools';
import type { VaultClient } from './vault';

/** Name and version the server reports in `initialize`. */
export const SERVER_VERSION = '0.1.0';

/** Longest a tool may run before its call fails (the HTTP request itself times out later). */
export const TOOL_TIMEOUT_MS = 20_000;

/** What every request's MCP server shares. */
export interface McpDeps {
  readonly config: ServerConfig;
  readonly audit: AuditSink;
  readonly vault: VaultClient;
  readonly log: Logger;
  readonly status: () => Record<string, unknown>;
}

/** One request: its verified caller, its id, and whether its tool call has been audited. */
export interface RequestContext {
  readonly requestId: string;
  readonly caller: Caller;
  audited: boolean;
}

/** The MCP server of one request. */
export function buildMcpServer(deps: McpDeps, request: RequestContext): Server {
  const server = new Server(
    { name: `mcp-${deps.config.tenantId}`, version: SERVER_VERSION },
    {
      capabilities: { tools: {} },
      instructions: `Tools of tenant ${deps.config.tenantId}. Every call is authorized per tool and audited.`,
    },
  );
  server.setRequestHandler(ListToolsRequestSchema, async () => ({
    tools: TOOLS.map((t) => ({
      name: t.name,
      title: t.title,
      description: t.description,
      inputSchema: t.inputSchema as { type: 'object'; properties?: Record<string, object> },
      annotations: { readOnlyHint: true, openWorldHint: false },
    })),
  }));
  server.setRequestHandler(CallToolRequestSchema, async (call) =>
    callTool(call.params.name, call.params.arguments ?? {}, deps, request),
  );
  return server;
}

/** Decides, audits and runs one call. */
export async function callTool(
  name: string,
  args: ToolArguments,
  deps: McpDeps,
  request: RequestContext,
): Promise<CallToolResult> {
  const { config, log } = deps;
  const decision = decideToolCall(name, args, request.caller, config);
  try {
    deps.audit.write(
      auditRecord({
        requestId: request.requestId,
        tenantId: config.tenantId,
        actorId: request.caller.actorId,
        actorType: request.caller.actorType,
        tool: name,
        downstream: decision.downstream,
        outcome: decision.outcome,
        reason: decision.reason,
      }),
    );
    request.audited = true;
  } catch (e) {
    log('error', 'audit write failed; call refused', { request_id: request.requestId, error: errorCode(e) });
    return failure('the call could not be audited, so it was refused');
  }
  log('info', 'tool call', { request_id: request.requestId, tool: name, outcome: decision.outcome });
  if (decision.outcome === 'cross_tenant_denied') return failure(`cross-tenant call denied: ${decision.reason}`);
  if (decision.outcome !== 'allowed' || !decision.tool) return failure(`denied: ${decision.reason}`);
  const tool = decision.tool;
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`${name} took longer than ${TOOL_TIMEOUT_MS / 1000} s`)),
        TOOL_TIMEOUT_MS,
      );
    });
    return await Promise.race([
      tool.run(args, { config, caller: request.caller, vault: deps.vault, status: deps.status }),
      timeout,
    ]);
  } catch (e) {
    const message = ((e as Error).message ?? 'failed').replace(/\s+/g, ' ').slice(0, 300);
    log('warn', 'tool failed', { request_id: request.requestId, tool: name, error: message });
    return failure(`${name} failed: ${message}`);
  } finally {
    clearTimeout(timer);
  }
}

function failure(text: string): CallToolResult {
  return { isError: true, content: [{ type: 'text', text }] };
}

function errorCode(e: unknown): string {
  return (e as NodeJS.ErrnoException).code ?? (e as Error).message ?? 'unknown';
}
