/**
 * The HTTP side: the only listener of the pod, on `MCP_BIND_ADDRESS:MCP_PORT`. In order, each
 * request passes the Host and Origin checks (DNS rebinding), the body limit, the bearer token
 * (token.ts) and the tenant's use scope; then a stateless MCP server answers it (mcp.ts).
 * Refusals that can name a caller are audited; those that cannot (no token, not a JWT, a foreign
 * Origin) are logged.
 */
import { randomUUID } from 'node:crypto';
import * as http from 'node:http';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { AuditOutcome } from '../../../lib/core/audit-record';
import { OFFLINE_ACCESS_SCOPE } from '../../../lib/core/identity-defaults';
import { auditRecord } from './audit-log';
import { HEALTH_PATH, type ServerConfig } from './config';
import { buildMcpServer, type McpDeps, type RequestContext } from './mcp';
import type { TokenVerifier } from './token';

/** Largest request body, in bytes. */
export const MAX_BODY_BYTES = 1024 * 1024;
/** The metadata path of RFC 9728 (the resource's path is appended for a path-aware lookup). */
export const METADATA_PATH = '/.well-known/oauth-protected-resource';

export interface HttpDeps extends McpDeps {
  readonly verifier: TokenVerifier;
}

/** The RFC 9728 metadata: the local resource URL, the tenant's issuer, and exactly the scopes its policy grants. */
export function protectedResourceMetadata(config: ServerConfig): Record<string, unknown> {
  return {
    resource: config.resourceUrl,
    authorization_servers: [config.issuer],
    scopes_supported: [config.useScope, OFFLINE_ACCESS_SCOPE],
    bearer_methods_supported: ['header'],
    resource_name: `MCP server of tenant ${config.tenantId}`,
  };
}

/** The URL clients read the metadata from: RFC 9728's path-aware form for the resource URL. */
export function metadataUrl(config: ServerConfig): string {
  const resource = new URL(config.resourceUrl);
  const suffix = resource.pathname === '/' ? '' : resource.pathname;
  return `${resource.origin}${METADATA_PATH}${suffix}`;
}

/** True when a present `Origin` is allowed (exact match of scheme, host and port). */
export function originAllowed(origin: string, allowed: readonly string[]): boolean {
  return allowed.includes(origin.toLowerCase());
}

/** The `Host` values the server answers: the local URL's, the allowed origins', and its own listener's. */
export function allowedHosts(config: ServerConfig): Set<string> {
  const hosts = new Set<string>();
  for (const url of [config.resourceUrl, ...config.allowedOrigins]) hosts.add(new URL(url).host.toLowerCase());
  const bind = config.bindAddress.includes(':') ? `[${config.bindAddress}]` : config.bindAddress;
  hosts.add(`${bind}:${config.port}`);
  return hosts;
}

/** The server. It does not listen yet. */
export function createMcpHttpServer(config: ServerConfig, deps: HttpDeps): http.Server {
  const hosts = allowedHosts(config);
  const mcpPath = new URL(config.resourceUrl).pathname;
  const metadataPaths = new Set([METADATA_PATH, `${METADATA_PATH}${mcpPath === '/' ? '' : mcpPath}`]);
  const metadata = JSON.stringify(protectedResourceMetadata(config));
  const resourceMetadata = metadataUrl(config);
  const { log } = deps;

  const sendJson = (
    res: http.ServerResponse,
    status: number,
    body: unknown,
    headers: http.OutgoingHttpHeaders = {},
  ) => {
    if (res.headersSent) return;
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
    res.end(JSON.stringify(body));
  };
  const challenge = (
    res: http.ServerResponse,
    status: number,
    error?: string,
    description?: string,
    scope?: string,
    extraHeaders: http.OutgoingHttpHeaders = {},
  ) => {
    const parts: string[] = [];
    if (error) parts.push(`error="${error}"`);
    if (description) parts.push(`error_description="${headerSafe(description)}"`);
    if (scope) parts.push(`scope="${scope}"`);
    parts.push(`resource_metadata="${resourceMetadata}"`);
    sendJson(
      res,
      status,
      { error: error ?? 'unauthorized', error_description: description ?? 'a bearer token is required' },
      { 'www-authenticate': `Bearer ${parts.join(', ')}`, ...extraHeaders },
    );
  };
  const audit = (
    requestId: string,
    actor: { actorId: string; actorType: 'human' | 'service' },
    tool: string,
    outcome: AuditOutcome,
    reason: string,
  ): boolean => {
    try {
      deps.audit.write(
        auditRecord({ requestId, tenantId: config.tenantId, ...actor, tool, downstream: 'none', outcome, reason }),
      );
      return true;
    } catch (e) {
      log('error', 'audit write failed', { request_id: requestId, error: (e as NodeJS.ErrnoException).code });
      return false;
    }
  };

  async function handleMcp(req: http.IncomingMessage, res: http.ServerResponse, requestId: string): Promise<string> {
    if (req.method !== 'POST') {
      sendJson(res, 405, rpcError(-32000, 'Method not allowed: this stateless server takes POST only.'), {
        allow: 'POST',
      });
      return 'method not allowed';
    }
    const body = await readBody(req, MAX_BODY_BYTES);
    if (body === 'too large') {
      sendJson(res, 413, rpcError(-32600, `Request body larger than ${MAX_BODY_BYTES} bytes.`), {
        connection: 'close',
      });
      return 'body too large';
    }
    let message: unknown;
    try {
      message = JSON.parse(body.toString('utf8'));
    } catch {
      sendJson(res, 400, rpcError(-32700, 'Parse error: the body is not JSON.'));
      return 'parse error';
    }
    if (Array.isArray(message)) {
      sendJson(res, 400, rpcError(-32600, 'JSON-RPC batches are not supported.'));
      return 'batch refused';
    }
    const { label, isToolCall } = describeMessage(message);

    const token = bearerToken(req.headers.authorization);
    if (token === undefined) {
      challenge(res, 401);
      return 'no bearer token';
    }
    const check = await deps.verifier.verify(token);
    if (check.kind === 'refused') {
      if (check.actor && !audit(requestId, check.actor, label, check.outcome, check.reason)) {
        sendJson(res, 503, rpcError(-32000, 'The request could not be audited.'));
        return 'audit failed';
      }
      if (check.status === 503) {
        challenge(res, 503, check.error, 'the token cannot be checked now; retry', undefined, { 'retry-after': '5' });
      } else {
        challenge(res, check.status, check.error, check.reason);
      }
      return `${check.outcome}: ${check.reason}`;
    }
    const caller = check.caller;
    if (!caller.scopes.includes(config.useScope)) {
      const reason = `token lacks scope ${config.useScope}`;
      if (!audit(requestId, caller, label, 'denied', reason)) {
        sendJson(res, 503, rpcError(-32000, 'The request could not be audited.'));
        return 'audit failed';
      }
      challenge(res, 403, 'insufficient_scope', reason, config.useScope);
      return `denied: ${reason}`;
    }

    const context: RequestContext = { requestId, caller, audited: false };
    const server = buildMcpServer(deps, context);
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    res.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res, message);
    if (isToolCall && !context.audited) {
      // The SDK refused the call before it reached the tool (a malformed request): still one record.
      audit(requestId, caller, label, 'denied', 'the tool call request was malformed');
    }
    return isToolCall ? 'tool call' : label;
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const requestId = randomUUID();
    const started = Date.now();
    const path = (req.url ?? '/').split('?')[0];
    let note = '';
    res.on('finish', () =>
      log('info', 'request', {
        request_id: requestId,
        method: req.method,
        path,
        status: res.statusCode,
        note,
        ms: Date.now() - started,
      }),
    );
    const host = req.headers.host?.toLowerCase();
    if (host === undefined || !hosts.has(host)) {
      note = 'host not allowed';
      sendJson(res, 403, { error: 'forbidden', error_description: 'the Host header is not this server' });
      return;
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !originAllowed(origin, config.allowedOrigins)) {
      note = 'origin not allowed';
      sendJson(res, 403, { error: 'forbidden', error_description: 'the Origin is not allowed' });
      return;
    }
    if (path === HEALTH_PATH && req.method === 'GET') {
      sendJson(res, 200, { status: 'ok' });
      return;
    }
    if (metadataPaths.has(path) && req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'max-age=300' });
      res.end(metadata);
      return;
    }
    if (path === mcpPath) {
      note = await handleMcp(req, res, requestId);
      return;
    }
    note = 'not found';
    sendJson(res, 404, { error: 'not_found' });
  }

  const server = http.createServer(
    { requestTimeout: 30_000, headersTimeout: 10_000, maxHeaderSize: 16_384 },
    (req, res) => {
      handle(req, res).catch((e: unknown) => {
        log('error', 'request failed', { error: ((e as Error).message ?? String(e)).slice(0, 300) });
        if (!res.headersSent) sendJson(res, 500, rpcError(-32603, 'Internal server error'));
        else res.destroy();
      });
    },
  );
  server.keepAliveTimeout = 5_000;
  return server;
}

/** The bearer token of an Authorization header, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i.exec(header?.trim() ?? '');
  return match?.[1];
}

/** What a JSON-RPC message is, for logs and audit records: a tool call names its tool. */
function describeMessage(message: unknown): { label: string; isToolCall: boolean } {
  if (typeof message !== 'object' || message === null) return { label: '-', isToolCall: false };
  const m = message as { method?: unknown; params?: { name?: unknown } };
  if (m.method === 'tools/call') {
    return { label: typeof m.params?.name === 'string' ? m.params.name.slice(0, 128) : 'tools/call', isToolCall: true };
  }
  return { label: typeof m.method === 'string' ? m.method.slice(0, 128) : '-', isToolCall: false };
}

function rpcError(code: number, message: string): unknown {
  return { jsonrpc: '2.0', error: { code, message }, id: null };
}

function headerSafe(text: string): string {
  return text
    .replace(/["\\\r\n]/g, "'")
    .replace(/[^\x20-\x7e]/g, '?')
    .slice(0, 300);
}

/** The body, or 'too large' once it passes `limit` bytes (the rest is discarded). */
function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer | 'too large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      // Answer now; the rest of the body drains into nothing until the connection closes.
      req.off('data', onData);
      req.resume();
      resolve('too large');
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
