/**
 * The server's settings, read only from the environment contract that `LoopbackMcpDeployment` sets
 * (README, "Environment contract"). Every problem is collected, so one start names them all.
 */
import * as net from 'node:net';
import * as path from 'node:path';
import { MCP_AUDIT_LOG_PATH_ENV } from '../../../lib/core/audit-defaults';
import { TENANT_ID_PATTERN } from '../../../lib/core/formats';
import { tenantAdminScope, tenantKvPath, tenantUseScope } from '../../../lib/core/naming';
import { MCP_ENV } from '../../../lib/core/ports-defaults';

/** The health endpoint on the listener; the `healthcheck` command (the exec probe) calls it. */
export const HEALTH_PATH = '/healthz';

/** Optional setting of this server (not part of the contract): the tenant's KV v2 mount. */
export const VAULT_KV_MOUNT_ENV = 'VAULT_KV_MOUNT';

/** The variables the server requires, in the order the README lists them. */
export const REQUIRED_ENV: readonly string[] = [
  MCP_ENV.bindAddress,
  MCP_ENV.port,
  MCP_ENV.tenantId,
  MCP_ENV.tenantClaim,
  MCP_ENV.issuer,
  MCP_ENV.audience,
  MCP_ENV.resourceUrl,
  MCP_ENV.allowedOrigins,
  MCP_ENV.vaultAddress,
  MCP_ENV.vaultRole,
  MCP_ENV.vaultAuthPath,
  MCP_ENV.vaultTokenPath,
  MCP_AUDIT_LOG_PATH_ENV,
];

/** Vault settings: the server logs in with its own Kubernetes identity, never with a caller's token. */
export interface VaultSettings {
  readonly address: string;
  readonly role: string;
  readonly authPath: string;
  readonly tokenPath: string;
  readonly kvMount: string;
}

/** Everything the server needs to run. */
export interface ServerConfig {
  readonly bindAddress: string;
  readonly port: number;
  readonly tenantId: string;
  readonly tenantClaim: string;
  readonly issuer: string;
  readonly audience: string;
  readonly resourceUrl: string;
  readonly allowedOrigins: readonly string[];
  readonly vault: VaultSettings;
  readonly auditLogPath: string;
  /** `mcp:<tenant>:use`: everyday tools. */
  readonly useScope: string;
  /** `mcp:<tenant>:admin`: admin tools. */
  readonly adminScope: string;
}

/** The configuration, or every problem that keeps the server from starting. */
export type ConfigResult = { readonly config: ServerConfig; readonly problems: [] } | { readonly problems: string[] };

/** Reads and checks the environment. */
export function parseServerConfig(env: NodeJS.ProcessEnv): ConfigResult {
  const problems: string[] = [];
  const read = (name: string): string | undefined => {
    const value = env[name];
    if (value === undefined || value.trim() === '') {
      problems.push(`${name} is required`);
      return undefined;
    }
    return value.trim();
  };
  const check = <T>(name: string, value: string | undefined, parse: (v: string) => T | undefined, rule: string) => {
    if (value === undefined) return undefined;
    const parsed = parse(value);
    if (parsed === undefined) problems.push(`${name} must be ${rule}, but ${quoted(value)} was provided`);
    return parsed;
  };

  const bindAddress = check(
    MCP_ENV.bindAddress,
    read(MCP_ENV.bindAddress),
    (v) => (isLoopbackIp(v) ? v : undefined),
    'a loopback IP address (127.0.0.1 or ::1)',
  );
  const port = check(MCP_ENV.port, read(MCP_ENV.port), parsePort, 'an integer between 1 and 65535');
  const tenantId = check(
    MCP_ENV.tenantId,
    read(MCP_ENV.tenantId),
    (v) => (TENANT_ID_PATTERN.test(v) ? v : undefined),
    'a tenant id matching ^[a-z][a-z0-9-]{1,30}$',
  );
  const tenantClaim = check(
    MCP_ENV.tenantClaim,
    read(MCP_ENV.tenantClaim),
    (v) => (/^[A-Za-z_][A-Za-z0-9_.:-]{0,63}$/.test(v) ? v : undefined),
    'a claim name (letters, digits, _ . : -)',
  );
  const issuer = check(
    MCP_ENV.issuer,
    read(MCP_ENV.issuer),
    (v) => secureUrl(v, false),
    'an https URL without query or fragment (http only on a loopback host)',
  );
  const audience = check(
    MCP_ENV.audience,
    read(MCP_ENV.audience),
    (v) => (/^\S+$/.test(v) ? v : undefined),
    'one audience without spaces',
  );
  const resourceUrl = check(
    MCP_ENV.resourceUrl,
    read(MCP_ENV.resourceUrl),
    (v) => secureUrl(v, false),
    'an https URL without query or fragment (http only on a loopback host)',
  );
  const allowedOrigins = check(
    MCP_ENV.allowedOrigins,
    read(MCP_ENV.allowedOrigins),
    parseOrigins,
    'a comma-separated list of origins (scheme://host[:port])',
  );
  const vaultAddress = check(
    MCP_ENV.vaultAddress,
    read(MCP_ENV.vaultAddress),
    (v) => secureUrl(v, true),
    'an https URL (http only on a loopback host)',
  );
  const vaultRole = check(
    MCP_ENV.vaultRole,
    read(MCP_ENV.vaultRole),
    (v) => (/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(v) ? v : undefined),
    'a Vault role name',
  );
  const vaultAuthPath = check(
    MCP_ENV.vaultAuthPath,
    read(MCP_ENV.vaultAuthPath),
    vaultPath,
    'a Vault path (segments of letters, digits, _ . -)',
  );
  const vaultTokenPath = check(
    MCP_ENV.vaultTokenPath,
    read(MCP_ENV.vaultTokenPath),
    (v) => (path.isAbsolute(v) ? v : undefined),
    'an absolute path',
  );
  const auditLogPath = check(
    MCP_AUDIT_LOG_PATH_ENV,
    read(MCP_AUDIT_LOG_PATH_ENV),
    (v) => (path.isAbsolute(v) && !v.endsWith('/') ? v : undefined),
    'an absolute file path',
  );
  const kvMountValue = env[VAULT_KV_MOUNT_ENV]?.trim() || (tenantId ? tenantKvPath(tenantId) : undefined);
  const kvMount =
    tenantId === undefined
      ? undefined
      : check(
          VAULT_KV_MOUNT_ENV,
          kvMountValue,
          (v) => (vaultPath(v) && v.startsWith(`tenants/${tenantId}/`) ? v : undefined),
          `a Vault path under tenants/${tenantId}/`,
        );

  if (problems.length > 0) return { problems };
  return {
    problems: [],
    config: {
      bindAddress: bindAddress!,
      port: port!,
      tenantId: tenantId!,
      tenantClaim: tenantClaim!,
      issuer: issuer!,
      audience: audience!,
      resourceUrl: resourceUrl!,
      allowedOrigins: allowedOrigins!,
      vault: {
        address: vaultAddress!.replace(/\/+$/, ''),
        role: vaultRole!,
        authPath: vaultAuthPath!,
        tokenPath: vaultTokenPath!,
        kvMount: kvMount!,
      },
      auditLogPath: auditLogPath!,
      useScope: tenantUseScope(tenantId!),
      adminScope: tenantAdminScope(tenantId!),
    },
  };
}

/** 127.0.0.0/8 or ::1, as an IP literal: a name could resolve anywhere. */
export function isLoopbackIp(value: string): boolean {
  if (net.isIPv4(value)) return value.startsWith('127.');
  return net.isIPv6(value) && new URL(`http://[${value}]/`).hostname === '[::1]';
}

/** A URL host that is loopback: 127.0.0.0/8, localhost or [::1]. */
export function isLoopbackHostname(hostname: string): boolean {
  const h = hostname.toLowerCase();
  return h === 'localhost' || h === '[::1]' || (net.isIPv4(h) && h.startsWith('127.'));
}

function parsePort(value: string): number | undefined {
  if (!/^[0-9]{1,5}$/.test(value)) return undefined;
  const port = Number(value);
  return port >= 1 && port <= 65535 ? port : undefined;
}

/** The URL as given, when it is https, or http on a loopback host; no credentials, query or fragment. */
function secureUrl(value: string, allowTrailingSlash: boolean): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.username || url.password || url.search || url.hash || value.includes('#') || value.includes('?')) {
    return undefined;
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHostname(url.hostname))) return undefined;
  if (!allowTrailingSlash && value.endsWith('/') && url.pathname !== '/') return undefined;
  return value;
}

function parseOrigins(value: string): string[] | undefined {
  const entries = value
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');
  for (const entry of entries) {
    let url: URL;
    try {
      url = new URL(entry);
    } catch {
      return undefined;
    }
    if (url.origin === 'null' || url.origin !== entry.toLowerCase()) return undefined;
  }
  return entries.map((e) => e.toLowerCase());
}

function vaultPath(value: string): string | undefined {
  const segments = value.split('/');
  return segments.every((s) => /^[A-Za-z0-9_.-]+$/.test(s) && s !== '.' && s !== '..') ? value : undefined;
}

function quoted(value: string): string {
  const shown = value.length > 200 ? `${value.slice(0, 200)}...` : value;
  return `'${shown}'`;
}
