/**
 * Vault with the server's own identity: Kubernetes auth login with the projected service-account
 * token (re-read at every login: the kubelet rotates it), the client token cached until shortly
 * before its lease ends, and KV v2 reads. A caller's bearer token never reaches Vault.
 */
import * as fs from 'node:fs/promises';
import type { VaultSettings } from './config';

type Fetch = (url: string | URL, init?: RequestInit) => Promise<Response>;

/** Seconds before the lease ends at which a cached Vault token is no longer used (at most a quarter of it). */
const RENEW_MARGIN_SECONDS = 60;
const HTTP_TIMEOUT_MS = 5_000;

/** What `describe_secret` reports: never the values. */
export interface SecretDescription {
  readonly version: number | undefined;
  readonly createdTime: string | undefined;
  readonly keys: readonly string[];
}

/** A Vault answer other than success, with the status for the caller's message. */
export class VaultError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** A Vault client bound to one tenant's role and KV mount. */
export class VaultClient {
  private cached: { token: string; usableUntil: number } | undefined;
  private pendingLogin: Promise<string> | undefined;

  constructor(
    private readonly settings: VaultSettings,
    private readonly fetchImpl: Fetch = fetch,
    private readonly now: () => number = Date.now,
  ) {}

  /** When the cached token stops being used (ms since the epoch), or undefined before the first login. */
  get tokenUsableUntil(): number | undefined {
    return this.cached?.usableUntil;
  }

  /** Reads the secret `name` of the tenant's KV v2 mount and describes it. */
  async describeSecret(name: string): Promise<SecretDescription> {
    const url = `${this.settings.address}/v1/${this.settings.kvMount}/data/${name.split('/').map(encodeURIComponent).join('/')}`;
    let response = await this.get(url, await this.token());
    if (response.status === 403) {
      // The token may have been revoked early: log in again once.
      this.cached = undefined;
      response = await this.get(url, await this.token());
    }
    if (response.status === 404) throw new VaultError(`secret ${name} does not exist`, 404);
    if (!response.ok) throw new VaultError(`Vault answered ${response.status} to the read`, response.status);
    const body = (await response.json()) as {
      data?: { data?: Record<string, unknown>; metadata?: { version?: number; created_time?: string } };
    };
    return {
      version: body.data?.metadata?.version,
      createdTime: body.data?.metadata?.created_time,
      keys: Object.keys(body.data?.data ?? {}).sort(),
    };
  }

  private async token(): Promise<string> {
    if (this.cached && this.now() < this.cached.usableUntil) return this.cached.token;
    this.pendingLogin ??= this.login().finally(() => {
      this.pendingLogin = undefined;
    });
    return this.pendingLogin;
  }

  private async login(): Promise<string> {
    let jwt: string;
    try {
      jwt = (await fs.readFile(this.settings.tokenPath, 'utf8')).trim();
    } catch (e) {
      throw new VaultError(`the service account token cannot be read (${(e as NodeJS.ErrnoException).code})`);
    }
    const started = this.now();
    const response = await this.fetchImpl(`${this.settings.address}/v1/auth/${this.settings.authPath}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-vault-request': 'true' },
      body: JSON.stringify({ role: this.settings.role, jwt }),
      signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
    });
    if (!response.ok) throw new VaultError(`Vault refused the Kubernetes login (${response.status})`, response.status);
    const body = (await response.json()) as { auth?: { client_token?: string; lease_duration?: number } };
    const token = body.auth?.client_token;
    const lease = body.auth?.lease_duration ?? 0;
    if (typeof token !== 'string' || token === '') throw new VaultError('Vault returned no client token');
    const margin = Math.min(RENEW_MARGIN_SECONDS, lease / 4);
    this.cached = { token, usableUntil: started + (lease - margin) * 1000 };
    return token;
  }

  private get(url: string, token: string): Promise<Response> {
    return this.fetchImpl(url, {
      headers: { 'x-vault-token': token, 'x-vault-request': 'true' },
      signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
    });
  }
}
