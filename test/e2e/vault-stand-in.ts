/**
 * A stand-in for exactly the two Vault endpoints the reference server uses (no Vault can run
 * here): Kubernetes auth login (`POST /v1/auth/<path>/login`, checking the role and the service
 * account JWT) and KV v2 reads (`GET /v1/<mount>/data/<name>`, checking the token and that the path
 * is the role's own tenant's). Every request is recorded, so a test can show that no caller's
 * bearer token ever reaches Vault.
 */
import { randomUUID } from 'node:crypto';
import * as http from 'node:http';

/** One role of the Kubernetes auth backend: its service account JWT and the only KV mount its policy reads. */
export interface StandInRole {
  readonly jwt: string;
  readonly kvMount: string;
}

export interface RecordedVaultRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
  readonly status: number;
}

export interface VaultStandIn {
  readonly url: string;
  readonly requests: RecordedVaultRequest[];
  close(): Promise<void>;
}

export async function startVaultStandIn(options: {
  authPath: string;
  roles: Record<string, StandInRole>;
  /** Secrets by full KV v2 data path (`tenants/acme/kv/data/downstream-api`). */
  secrets: Record<string, { data: Record<string, string>; version: number }>;
  leaseSeconds?: number;
}): Promise<VaultStandIn> {
  const tokens = new Map<string, string>();
  const requests: RecordedVaultRequest[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      const reply = (status: number, payload: unknown) => {
        requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body, status });
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(payload));
      };
      const path = (req.url ?? '').split('?')[0];
      if (req.method === 'POST' && path === `/v1/auth/${options.authPath}/login`) {
        let login: { role?: string; jwt?: string };
        try {
          login = JSON.parse(body) as { role?: string; jwt?: string };
        } catch {
          return reply(400, { errors: ['failed to parse JSON input'] });
        }
        const role = login.role === undefined ? undefined : options.roles[login.role];
        if (role === undefined) return reply(400, { errors: [`invalid role name "${login.role}"`] });
        if (login.jwt !== role.jwt) return reply(403, { errors: ['permission denied'] });
        const token = `hvs.${randomUUID()}`;
        tokens.set(token, login.role as string);
        return reply(200, {
          auth: {
            client_token: token,
            lease_duration: options.leaseSeconds ?? 900,
            renewable: true,
            policies: [`${login.role}-server`],
          },
        });
      }
      const read = /^\/v1\/(.+)\/data\/(.+)$/.exec(path);
      if (req.method === 'GET' && read) {
        const role = tokens.get(String(req.headers['x-vault-token']));
        if (role === undefined) return reply(403, { errors: ['permission denied'] });
        if (read[1] !== options.roles[role].kvMount)
          return reply(403, { errors: ['1 error occurred:\n\t* permission denied\n\n'] });
        const secret = options.secrets[`${read[1]}/data/${decodeURIComponent(read[2])}`];
        if (secret === undefined) return reply(404, { errors: [] });
        return reply(200, {
          data: {
            data: secret.data,
            metadata: { version: secret.version, created_time: '2026-11-02T09:00:00.000000Z' },
          },
        });
      }
      return reply(404, { errors: [] });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
