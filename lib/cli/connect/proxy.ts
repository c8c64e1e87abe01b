/**
 * The local side of a session: MCP clients reach the tenant's server through `connect`, which adds
 * the current bearer token to every upstream request (renewing it once on a 401). Over stdio the
 * pipe is at the transport level (every JSON-RPC message passes: tools, prompts, resources,
 * notifications); over local HTTP it is a loopback-only reverse proxy of the MCP endpoint.
 */
import * as http from 'node:http';
import { Readable, type Writable } from 'node:stream';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

type Fetch = (url: string | URL, init?: RequestInit) => Promise<Response>;

/** Where the current token comes from. */
export interface BearerSource {
  accessToken(): Promise<string>;
  renew(): Promise<string>;
}

/** Largest request body the local endpoint forwards, in bytes (the server's own limit is 1 MiB). */
export const LOCAL_MAX_BODY_BYTES = 1024 * 1024;

/** The session could get no token (the sign-in, or a service account's token request, failed). */
export class NoTokenError extends Error {
  constructor(cause: unknown) {
    super((cause as Error).message ?? String(cause));
    this.name = 'NoTokenError';
  }
}

/** A fetch that sends the session's bearer token, and on a 401 renews it and tries once more. */
export function authorizedFetch(session: BearerSource, fetchFn: Fetch = fetch): Fetch {
  const token = async (get: () => Promise<string>) => {
    try {
      return await get();
    } catch (e) {
      throw new NoTokenError(e);
    }
  };
  return async (url, init = {}) => {
    const send = (bearer: string) => {
      const headers = new Headers(init.headers);
      headers.set('authorization', `Bearer ${bearer}`);
      return fetchFn(url, { ...init, headers });
    };
    const first = await send(await token(() => session.accessToken()));
    if (first.status !== 401) return first;
    await first.body?.cancel();
    return send(await token(() => session.renew()));
  };
}

/** The JSON-RPC error a stdio client gets when the upstream request fails. */
export function upstreamError(id: string | number, error: Error): JSONRPCMessage {
  if (error instanceof NoTokenError || error.name === 'NoTokenError') {
    return {
      jsonrpc: '2.0',
      id,
      error: { code: -32001, message: `mcp-access connect: no token for the tenant's server: ${error.message}` },
    };
  }
  const status = (error as { code?: unknown }).code;
  return {
    jsonrpc: '2.0',
    id,
    error: {
      code: -32001,
      message: `mcp-access connect: the tenant's server refused the request${typeof status === 'number' ? ` (HTTP ${status})` : ''}: ${error.message}`,
      data: typeof status === 'number' ? { httpStatus: status } : undefined,
    },
  };
}

/**
 * Serves one MCP client on stdio until its stdin closes (or `signal` aborts). Diagnostics go to
 * `log` (stderr): stdout carries the protocol only.
 */
export async function serveStdio(
  upstreamUrl: string,
  fetchFn: Fetch,
  log: (line: string) => void,
  streams: { stdin?: Readable; stdout?: Writable } = {},
  signal?: AbortSignal,
): Promise<void> {
  const upstream = new StreamableHTTPClientTransport(new URL(upstreamUrl), { fetch: fetchFn });
  const downstream = new StdioServerTransport(streams.stdin, streams.stdout);
  const initializing = new Set<string | number>();
  let finish: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (finish = resolve));

  downstream.onmessage = (message) => {
    const m = message as { id?: string | number; method?: string };
    if (m.method === 'initialize' && m.id !== undefined) initializing.add(m.id);
    upstream.send(message).catch((e: Error) => {
      log(`upstream request failed: ${e.message}`);
      if (m.id !== undefined && m.method !== undefined) {
        downstream.send(upstreamError(m.id, e)).catch(() => undefined);
      }
    });
  };
  upstream.onmessage = (message) => {
    const m = message as { id?: string | number; result?: { protocolVersion?: string } };
    // The raw transport does not learn the negotiated version by itself (a Client would set it).
    if (m.id !== undefined && initializing.delete(m.id) && m.result?.protocolVersion) {
      upstream.setProtocolVersion(m.result.protocolVersion);
    }
    downstream.send(message).catch((e: Error) => log(`could not write to the MCP client: ${e.message}`));
  };
  upstream.onerror = (e) => log(`upstream: ${e.message}`);
  downstream.onerror = (e) => log(`stdio: ${e.message}`);
  downstream.onclose = () => finish();
  const stdin = streams.stdin ?? process.stdin;
  stdin.on('end', () => finish());
  stdin.on('close', () => finish());
  if (signal?.aborted) finish();
  signal?.addEventListener('abort', () => finish(), { once: true });

  await upstream.start();
  await downstream.start();
  await done;
  await upstream.close().catch(() => undefined);
  await downstream.close().catch(() => undefined);
}

/** A running local endpoint. */
export interface LocalEndpoint {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Serves MCP clients at http://127.0.0.1:`port`/mcp: loopback only, `Host` and `Origin` checked
 * (against DNS rebinding), and every request forwarded with the bearer token added.
 */
export async function serveLocalHttp(
  port: number,
  upstreamUrl: string,
  fetchFn: Fetch,
  log: (line: string) => void,
): Promise<LocalEndpoint> {
  const hosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const origins = new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);
  const json = (res: http.ServerResponse, status: number, message: string) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32001, message }, id: null }));
  };
  const server = http.createServer((req, res) => {
    forward(req, res).catch((e: Error) => {
      log(`local endpoint: ${e.message}`);
      if (!res.headersSent) json(res, 502, `mcp-access connect: ${e.message}`);
      else res.destroy();
    });
  });

  async function forward(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (!hosts.has((req.headers.host ?? '').toLowerCase()))
      return json(res, 403, 'the Host header is not this endpoint');
    const origin = req.headers.origin;
    if (origin !== undefined && !origins.has(origin.toLowerCase())) return json(res, 403, 'the Origin is not allowed');
    if ((req.url ?? '').split('?')[0] !== '/mcp') return json(res, 404, 'the MCP endpoint is /mcp');
    const body = req.method === 'POST' ? await readLimited(req, LOCAL_MAX_BODY_BYTES) : undefined;
    if (body === 'too large') return json(res, 413, `request body larger than ${LOCAL_MAX_BODY_BYTES} bytes`);
    const headers = new Headers();
    for (const name of ['content-type', 'accept', 'mcp-session-id', 'mcp-protocol-version', 'last-event-id']) {
      const value = req.headers[name];
      if (typeof value === 'string') headers.set(name, value);
    }
    const abort = new AbortController();
    res.on('close', () => abort.abort());
    const upstream = await fetchFn(upstreamUrl, {
      method: req.method,
      headers,
      body: body === undefined ? undefined : body.toString('utf8'),
      signal: abort.signal,
    });
    if (upstream.status === 401) {
      // The session could not get a token the server accepts; the client cannot fix that itself.
      await upstream.body?.cancel();
      return json(res, 502, 'mcp-access connect: the tenant refused the session token; see the connect terminal');
    }
    const out: http.OutgoingHttpHeaders = {};
    for (const name of ['content-type', 'mcp-session-id', 'mcp-protocol-version', 'cache-control']) {
      const value = upstream.headers.get(name);
      if (value !== null) out[name] = value;
    }
    res.writeHead(upstream.status, out);
    if (upstream.body === null) {
      res.end();
      return;
    }
    Readable.fromWeb(upstream.body as import('node:stream/web').ReadableStream).pipe(res);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(new Error(`cannot listen on 127.0.0.1:${port} (${e.code})`)),
    );
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function readLimited(req: http.IncomingMessage, limit: number): Promise<Buffer | 'too large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      req.off('data', onData);
      req.resume();
      resolve('too large');
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
