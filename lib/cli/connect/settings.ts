/**
 * A tenant's connection settings: read from the stack's outputs (the file `cdktf output
 * --outputs-file` or `terraform output -json` writes), overridden by flags.
 */
import { loopbackRedirectProblem, loopbackRedirectUris, OFFLINE_ACCESS_SCOPE } from '../../core/identity-defaults';
import { SERVICE_ACCOUNT_OUTPUTS, serviceAccountOutputName, tenantAdminScope, tenantUseScope } from '../../core/naming';
import { type ConnectArguments, isSecureUrl } from './args';

/** A service account's part of the settings (`--service-account`). */
export interface ServiceAccountSettings {
  readonly name: string;
  /** The Access service token's client id (`TUNNEL_SERVICE_TOKEN_ID`); absent with --no-tunnel. */
  readonly accessClientId?: string;
  /** The `kid` header of the client assertions, when given with --key-id. */
  readonly keyId?: string;
}

/** Everything `connect` needs to reach one tenant. */
export interface ConnectionSettings {
  readonly tenant: string;
  readonly issuer: string;
  readonly clientId: string;
  /** The token audience, sent as the RFC 8707 `resource`. */
  readonly audience: string;
  /** Exactly the scopes the client's policy rule allows: more gets no token. */
  readonly scopes: readonly string[];
  /** A registered loopback redirect URI (exact match, port included). */
  readonly redirectUri: string;
  /** The laptop port of `cloudflared access tcp`. */
  readonly localPort: number;
  /** The tenant's hostname behind Cloudflare Access (for the tunnel). */
  readonly hostname?: string;
  /** `http://127.0.0.1:<localPort>/mcp`. */
  readonly mcpUrl: string;
  readonly admin: boolean;
  /** Present for a service account's session: client credentials, no browser, no redirect. */
  readonly serviceAccount?: ServiceAccountSettings;
}

/** The outputs of one tenant, by short name (`issuer`, `client_id`, ...). */
export type TenantOutputs = Readonly<Record<string, unknown>>;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A Terraform output as `terraform output -json` writes it: `{ value, type, sensitive }`. */
const unwrap = (v: unknown): unknown => (isObject(v) && 'value' in v ? v.value : v);

/**
 * The tenant's outputs in a parsed outputs file: `terraform output -json` (`{ name: { value } }`),
 * or `cdktf output --outputs-file` (`{ stack: { name: value } }`). `file` names the file in messages.
 */
export function tenantOutputs(json: unknown, tenant: string, file: string, stack?: string): TenantOutputs {
  const key = `${tenant}_issuer`;
  if (!isObject(json)) throw new Error(`${file} is not a JSON object of outputs`);
  let flat: Record<string, unknown>;
  if (key in json) {
    if (stack !== undefined) throw new Error(`${file} holds one stack's outputs: leave out --stack`);
    flat = json;
  } else {
    const stacks = Object.entries(json).filter(([, v]) => isObject(v) && key in v);
    const chosen = stack === undefined ? stacks : stacks.filter(([name]) => name === stack);
    if (chosen.length === 0) {
      throw new Error(
        stack === undefined
          ? `${file} has no outputs of tenant ${tenant} (no ${key})`
          : `stack ${stack} of ${file} has no outputs of tenant ${tenant} (no ${key})`,
      );
    }
    if (chosen.length > 1) {
      throw new Error(
        `tenant ${tenant} has outputs in several stacks of ${file} (${chosen.map(([n]) => n).join(', ')}): give --stack`,
      );
    }
    flat = chosen[0][1] as Record<string, unknown>;
  }
  const prefix = `${tenant}_`;
  const result: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(flat)) {
    if (name.startsWith(prefix)) result[name.slice(prefix.length)] = unwrap(value);
  }
  return result;
}

/** The settings from the outputs (if any) and the flags, which win. Throws one line naming what is missing. */
export function connectionSettings(args: ConnectArguments, outputs: TenantOutputs = {}): ConnectionSettings {
  const t = args.tenant;
  const output = (name: string): string | undefined => {
    const value = outputs[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') throw new Error(`output ${t}_${name} is not a string`);
    if (value.includes('${')) {
      throw new Error(
        `output ${t}_${name} is an unresolved expression: give the outputs of the deployed stack (cdktf output or terraform output -json)`,
      );
    }
    return value;
  };
  const required = (flag: string, value: string | undefined, name: string): string => {
    if (value === undefined)
      throw new Error(`the ${name} is unknown: give ${flag}, or outputs with ${t}_${name.replace(/ /g, '_')}`);
    return value;
  };

  const connect = parseConnectCommand(output('connect_command'));
  const clientConfig = parseClientConfig(output('mcp_client_config'), t);
  const localMcpUrl = output('local_mcp_url');
  const localPort =
    args.localPort ?? connect.localPort ?? (localMcpUrl !== undefined ? Number(new URL(localMcpUrl).port) : undefined);
  if (localPort === undefined || !Number.isInteger(localPort) || localPort < 1) {
    throw new Error(`the local port is unknown: give --local-port, or outputs with ${t}_connect_command`);
  }
  const issuer = required('--issuer', args.issuer ?? output('issuer'), 'issuer');
  const audience = required('--audience', args.audience ?? output('audience'), 'audience');
  if (args.serviceAccount !== undefined) {
    if (!isSecureUrl(issuer)) throw new Error(`the issuer ${issuer} is not https (http only on a loopback host)`);
    return serviceSettings(args, args.serviceAccount, output, {
      issuer,
      audience,
      localPort,
      hostname: args.hostname ?? connect.hostname,
    });
  }
  const clientId = args.admin
    ? required('--admin-client-id', args.adminClientId ?? output('admin_client_id'), 'admin client id')
    : required('--client-id', args.clientId ?? output('client_id'), 'client id');
  if (!isSecureUrl(issuer)) throw new Error(`the issuer ${issuer} is not https (http only on a loopback host)`);
  const redirectUri = args.redirectUri ?? clientConfig.redirectUri ?? loopbackRedirectUris()[0];
  const redirectProblem = loopbackRedirectProblem(redirectUri);
  if (redirectProblem) throw new Error(`the redirect URI ${redirectUri} ${redirectProblem}`);
  return {
    tenant: t,
    issuer,
    clientId,
    audience,
    scopes: args.admin ? [tenantAdminScope(t), tenantUseScope(t)] : [tenantUseScope(t), OFFLINE_ACCESS_SCOPE],
    redirectUri,
    localPort,
    hostname: args.hostname ?? connect.hostname,
    mcpUrl: `http://127.0.0.1:${localPort}/mcp`,
    admin: args.admin,
  };
}

/** The settings of a service account's session: its own client id, the scopes it asks for, its Access service token. */
function serviceSettings(
  args: ConnectArguments,
  name: string,
  output: (name: string) => string | undefined,
  common: { issuer: string; audience: string; localPort: number; hostname?: string },
): ConnectionSettings {
  const t = args.tenant;
  const outputName = (what: string) => serviceAccountOutputName(t, name, what);
  // Outputs are read by their short name (the tenant prefix is gone).
  const fromOutputs = (what: string) => output(outputName(what).slice(t.length + 1));
  const clientId = args.clientId ?? fromOutputs(SERVICE_ACCOUNT_OUTPUTS.clientId);
  if (clientId === undefined) {
    throw new Error(
      `the client id of service account ${name} is unknown: give --client-id, or outputs with ${outputName(SERVICE_ACCOUNT_OUTPUTS.clientId)}`,
    );
  }
  const accessClientId = args.accessClientId ?? fromOutputs(SERVICE_ACCOUNT_OUTPUTS.accessClientId);
  if (args.tunnel && accessClientId === undefined) {
    throw new Error(
      `the Access service token of service account ${name} is unknown: give --access-client-id, or outputs with ${outputName(SERVICE_ACCOUNT_OUTPUTS.accessClientId)}`,
    );
  }
  return {
    tenant: t,
    ...common,
    clientId,
    scopes: args.scopes ?? [tenantUseScope(t)],
    // Never used: a service account has no browser sign-in; kept so that every session has one shape.
    redirectUri: loopbackRedirectUris()[0],
    mcpUrl: `http://127.0.0.1:${common.localPort}/mcp`,
    admin: false,
    serviceAccount: {
      name,
      accessClientId: args.tunnel ? accessClientId : undefined,
      keyId: args.keyId,
    },
  };
}

/**
 * Names of the outputs in a parsed outputs file that carry a secret: `terraform output -json`
 * prints sensitive outputs (`"sensitive": true`) in clear, and the Access service token secret of a
 * service account (`<t>_service_<name>_access_client_secret`) is one. `cdktf output --outputs-file`
 * leaves them out unless asked.
 */
export function secretOutputNames(json: unknown): string[] {
  if (!isObject(json)) return [];
  const secretSuffix = `_${SERVICE_ACCOUNT_OUTPUTS.accessClientSecret}`;
  const found = new Set<string>();
  const look = (name: string, value: unknown) => {
    const present = (v: unknown) => v !== undefined && v !== null && v !== '';
    if (isObject(value) && 'value' in value) {
      if ((value.sensitive === true || name.endsWith(secretSuffix)) && present(value.value)) found.add(name);
    } else if (name.endsWith(secretSuffix) && present(value)) {
      found.add(name);
    }
  };
  for (const [name, value] of Object.entries(json)) {
    look(name, value);
    // `cdktf output` nests the outputs under each stack's name.
    if (isObject(value) && !('value' in value)) for (const [inner, v] of Object.entries(value)) look(inner, v);
  }
  return [...found].sort();
}

/** Hostname and local port of the `cloudflared access tcp --hostname <h> --url 127.0.0.1:<port>` output. */
export function parseConnectCommand(command: string | undefined): { hostname?: string; localPort?: number } {
  if (command === undefined) return {};
  const hostname = /--hostname[ =](\S+)/.exec(command)?.[1];
  const port = /--url[ =](?:127\.0\.0\.1|localhost):([0-9]{1,5})\b/.exec(command)?.[1];
  return { hostname, localPort: port === undefined ? undefined : Number(port) };
}

/** The redirect URI in the tenant's `mcp_client_config` output (a JSON string), when there is one. */
function parseClientConfig(text: string | undefined, tenant: string): { redirectUri?: string } {
  if (text === undefined) return {};
  try {
    const config = JSON.parse(text) as { mcpServers?: Record<string, { oauth?: { redirectUri?: unknown } }> };
    const uri = config.mcpServers?.[tenant]?.oauth?.redirectUri;
    return typeof uri === 'string' ? { redirectUri: uri } : {};
  } catch {
    throw new Error(`output ${tenant}_mcp_client_config is not JSON`);
  }
}
