/**
 * The local authorization server's configuration (built from the synthesized Okta resources) and
 * the test-side handle that runs it in a child process (see authorization-server.ts).
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import type { JsonWebKey } from 'node:crypto';
import * as path from 'node:path';
import * as readline from 'node:readline';

/** One client app (Okta `okta_app_oauth`, or a service client). */
export interface ClientSpec {
  readonly clientId: string;
  readonly redirectUris: readonly string[];
  readonly grantTypes: readonly string[];
  readonly tokenEndpointAuthMethod: 'none' | 'private_key_jwt';
  /** Public keys of a private_key_jwt client. */
  readonly publicKeys?: readonly JsonWebKey[];
  readonly rotateRefreshToken: boolean;
  /** Authorization requests without a PKCE challenge are refused. */
  readonly pkceRequired: boolean;
}

/** What one client may get from one tenant's server (an auth server policy and its rule). */
export interface PolicySpec {
  readonly clientId: string;
  readonly scopes: readonly string[];
  readonly accessTokenTtlSeconds: number;
}

/** One tenant's custom authorization server. */
export interface TenantServerSpec {
  /** Path segment of the issuer, `/oauth2/<id>`. */
  readonly id: string;
  readonly tenant: string;
  readonly audience: string;
  /** Resource claims always included (`tid`). */
  readonly claims: Readonly<Record<string, string>>;
  /** The server's private signing key (RS256, with a kid). */
  readonly signingKey: JsonWebKey;
  readonly policies: readonly PolicySpec[];
}

export interface AuthorizationServerSpec {
  readonly servers: readonly TenantServerSpec[];
  readonly clients: readonly ClientSpec[];
  /** The user every interactive sign-in signs in: the token's `sub` (on Okta, the user's login). */
  readonly accountId: string;
  /** The user's Okta user id, the token's `uid` (default: `accountId`). */
  readonly userId?: string;
}

/** One request the server answered, for assertions. */
export interface IssuedEvent {
  readonly server: string;
  readonly route: string;
  readonly status: number;
  readonly clientId?: string;
  readonly grantType?: string;
  readonly scope?: string;
  readonly resource?: string;
  readonly redirectUri?: string;
  readonly codeChallengeMethod?: string;
  readonly error?: string;
  readonly accessToken?: string;
  readonly refreshToken?: string;
  readonly presentedRefreshToken?: string;
}

/** A running local authorization server. */
export interface LocalAuthorizationServer {
  readonly port: number;
  /** Issuer per tenant. */
  readonly issuers: Readonly<Record<string, string>>;
  events(): Promise<IssuedEvent[]>;
  /** What the child wrote on stderr (shown when a test fails). */
  stderr(): string;
  stop(): Promise<void>;
}

const ROOT = path.join(__dirname, '..', '..');

/** Starts the server in a child process and waits for its ready line. */
export async function startAuthorizationServer(spec: AuthorizationServerSpec): Promise<LocalAuthorizationServer> {
  return launchAuthorizationServer().configure(spec);
}

/**
 * Starts the child now (loading oidc-provider takes a while) and configures it later, so that a
 * test can build the configuration meanwhile.
 */
export function launchAuthorizationServer(): {
  configure(spec: AuthorizationServerSpec): Promise<LocalAuthorizationServer>;
  stop(): Promise<void>;
} {
  const child: ChildProcessWithoutNullStreams = spawn(
    process.execPath,
    ['-r', path.join(ROOT, 'scripts', 'ts-register.js'), path.join(__dirname, 'authorization-server.ts')],
    { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d: string) => (stderr += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    child.stdin.end();
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };
  return {
    stop,
    async configure(spec) {
      child.stdin.write(`${JSON.stringify(spec)}\n`);
      const lines = readline.createInterface({ input: child.stdout });
      const ready = await new Promise<{ port: number; issuers: Record<string, string> }>((resolve, reject) => {
        lines.once('line', (line) => resolve(JSON.parse(line)));
        void exited.then(() => reject(new Error(`the authorization server exited: ${stderr}`)));
      });
      lines.close();
      return {
        ...ready,
        async events() {
          const res = await fetch(`http://127.0.0.1:${ready.port}/__test/events`);
          return (await res.json()) as IssuedEvent[];
        },
        stderr: () => stderr,
        stop,
      };
    },
  };
}
