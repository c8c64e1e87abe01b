/**
 * The server's tools and the decision on each call: which scope a tool needs, whether the call's
 * tenant envelope (arguments naming a tenant or a path) stays inside the caller's tenant, and
 * whether its arguments are valid. The decision is audited before a tool runs.
 */
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv-provider.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { AuditOutcome } from '../../../lib/core/audit-record';
import { TENANT_ID_PATTERN } from '../../../lib/core/formats';
import type { Caller } from './claims';
import type { ServerConfig } from './config';
import type { VaultClient } from './vault';

/** Arguments of a tool call. */
export type ToolArguments = Record<string, unknown>;

/** What a tool may use while it runs. */
export interface ToolContext {
  readonly config: ServerConfig;
  readonly caller: Caller;
  readonly vault: VaultClient;
  /** Operational facts for admins (no secrets). */
  readonly status: () => Record<string, unknown>;
}

/** A JSON Schema of a tool's arguments, as MCP lists it. */
export interface ToolInputSchema {
  readonly type: 'object';
  readonly properties: Record<string, object>;
  readonly required?: readonly string[];
  readonly additionalProperties: false;
}

/** One tool of the server. */
export interface ToolDefinition {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  /** `use`: the tenant's everyday scope; `admin`: the admin scope (hardware-key sign-in). */
  readonly scope: 'use' | 'admin';
  /** The system the tool reaches, as audited. */
  readonly downstream: 'none' | 'vault';
  readonly inputSchema: ToolInputSchema;
  /** Why valid arguments are still refused (outside the schema's reach), or undefined. */
  readonly argumentProblem?: (args: ToolArguments, config: ServerConfig) => string | undefined;
  run(args: ToolArguments, context: ToolContext): Promise<CallToolResult>;
}

/** A secret name inside the tenant's KV mount: path segments, no `.` or `..`. */
const SECRET_NAME = /^[A-Za-z0-9_-][A-Za-z0-9_.-]*(?:\/[A-Za-z0-9_-][A-Za-z0-9_.-]*)*$/;

/**
 * The secret name a `path` argument names in the tenant's KV mount: a bare name (`downstream-api`),
 * or the full path (`tenants/<t>/kv/downstream-api`, `tenants/<t>/kv/data/downstream-api`).
 */
export function secretNameOf(path: string, kvMount: string): { name: string } | { problem: string } {
  let name = path.replace(/^\/+/, '');
  if (name === kvMount || name.startsWith(`${kvMount}/`)) {
    name = name.slice(kvMount.length + 1).replace(/^data\//, '');
  } else if (name.startsWith('tenants/')) {
    return { problem: `argument path is outside the mount ${kvMount}` };
  }
  if (!SECRET_NAME.test(name) || name.split('/').some((s) => s === '.' || s === '..')) {
    return { problem: 'argument path is not a secret name' };
  }
  return { name };
}

const text = (value: unknown): CallToolResult => ({
  content: [{ type: 'text', text: JSON.stringify(value, null, 2) }],
});

/** The tools, in the order they are listed. */
export const TOOLS: readonly ToolDefinition[] = [
  {
    name: 'whoami',
    title: 'Who am I',
    description: 'Returns the tenant and the verified caller of this session (no arguments).',
    scope: 'use',
    downstream: 'none',
    inputSchema: { type: 'object', properties: {}, additionalProperties: false },
    run: async (_args, { caller }) =>
      text({
        tenant: caller.tenantId,
        actor_id: caller.actorId,
        actor_type: caller.actorType,
        client_id: caller.clientId ?? null,
        scopes: caller.scopes,
        token_expires_at: new Date(caller.expiresAt * 1000).toISOString(),
      }),
  },
  {
    name: 'describe_secret',
    title: 'Describe a secret',
    description:
      "Reads one secret of this tenant from Vault with the server's own identity and returns its version and key names, never the values. `path` is a name in the tenant's KV store (e.g. `downstream-api`) or its full path `tenants/<tenant>/kv/<name>`.",
    scope: 'use',
    downstream: 'vault',
    inputSchema: {
      type: 'object',
      properties: { path: { type: 'string', minLength: 1, maxLength: 256, description: 'the secret to describe' } },
      required: ['path'],
      additionalProperties: false,
    },
    argumentProblem: (args, config) => {
      const result = secretNameOf(String(args.path), config.vault.kvMount);
      return 'problem' in result ? result.problem : undefined;
    },
    run: async (args, { config, vault }) => {
      const result = secretNameOf(String(args.path), config.vault.kvMount);
      if ('problem' in result) throw new Error(result.problem);
      const described = await vault.describeSecret(result.name);
      return text({
        path: `${config.vault.kvMount}/${result.name}`,
        version: described.version ?? null,
        created_time: described.createdTime ?? null,
        keys: described.keys,
      });
    },
  },
  {
    name: 'server_status',
    title: 'Server status (admin)',
    description:
      "Admin only (the tenant's admin scope): the server's settings in effect, its Vault login and audit file.",
    scope: 'admin',
    downstream: 'none',
    inputSchema: { type: 'object', properties: {}, additionalProperties: false },
    run: async (_args, { status }) => text(status()),
  },
];

const BY_NAME = new Map(TOOLS.map((t) => [t.name, t]));

/** Argument names whose value is the tenant itself. */
const TENANT_KEY = /^tenant(?:[_-]?id)?$/i;
/** Argument names whose value is a path, key or location that may name a tenant. */
const PATH_KEY = /path|secret|key|prefix|uri|url|namespace|mount/i;
/** The ways a string names a tenant: a Vault path, a bucket key prefix, a namespace. */
const TENANT_REFERENCES: readonly RegExp[] = [
  /(?:^|\/)tenants\/([a-z][a-z0-9-]{1,30})(?=\/|$)/g,
  /(?:^|\/)tenant=([a-z][a-z0-9-]{1,30})(?=\/|$)/g,
  /^mcp-([a-z][a-z0-9-]{1,30})$/g,
];

/**
 * Why a call's arguments reach outside the caller's tenant (a `cross_tenant_denied` reason), or
 * undefined. Walks nested objects and lists, so the envelope cannot be hidden one level down.
 */
export function tenantEnvelopeProblem(args: unknown, tenantId: string): string | undefined {
  const visit = (value: unknown, key: string, depth: number): string | undefined => {
    if (depth > 8) return undefined;
    if (typeof value === 'string') {
      if (TENANT_KEY.test(key) && value !== tenantId) {
        return TENANT_ID_PATTERN.test(value)
          ? `argument ${key} names tenant ${value}`
          : `argument ${key} is not the caller's tenant`;
      }
      if (PATH_KEY.test(key)) {
        for (const pattern of TENANT_REFERENCES) {
          for (const match of value.matchAll(pattern)) {
            if (match[1] !== tenantId) return `argument ${key} names tenant ${match[1]}`;
          }
        }
      }
      return undefined;
    }
    if (Array.isArray(value)) {
      for (const item of value) {
        const problem = visit(item, key, depth + 1);
        if (problem) return problem;
      }
      return undefined;
    }
    if (typeof value === 'object' && value !== null) {
      for (const [k, v] of Object.entries(value)) {
        const problem = visit(v, k, depth + 1);
        if (problem) return problem;
      }
    }
    return undefined;
  };
  return visit(args, '', 0);
}

let validator: AjvJsonSchemaValidator | undefined;
const compiled = new Map<string, (input: unknown) => { valid: boolean; errorMessage?: string }>();

function argumentSchemaProblem(tool: ToolDefinition, args: ToolArguments): string | undefined {
  validator ??= new AjvJsonSchemaValidator();
  let check = compiled.get(tool.name);
  if (check === undefined) {
    check = validator.getValidator(tool.inputSchema as Parameters<AjvJsonSchemaValidator['getValidator']>[0]);
    compiled.set(tool.name, check);
  }
  const result = check(args);
  return result.valid ? undefined : `invalid arguments: ${result.errorMessage ?? 'schema mismatch'}`;
}

/** The decision on one call, audited before the tool runs. */
export interface CallDecision {
  readonly outcome: AuditOutcome;
  readonly reason: string;
  readonly downstream: string;
  readonly tool?: ToolDefinition;
}

/**
 * Decides a call. Order matters: a call that reaches into another tenant is `cross_tenant_denied`
 * whatever else is wrong with it, then scope, then argument validity.
 */
export function decideToolCall(name: string, args: ToolArguments, caller: Caller, config: ServerConfig): CallDecision {
  const tool = BY_NAME.get(name);
  const downstream = tool?.downstream ?? 'none';
  const envelope = tenantEnvelopeProblem(args, caller.tenantId);
  if (envelope) return { outcome: 'cross_tenant_denied', reason: envelope, downstream };
  if (!tool) return { outcome: 'denied', reason: `no tool named ${name}`, downstream };
  const scope = tool.scope === 'admin' ? config.adminScope : config.useScope;
  if (!caller.scopes.includes(scope)) {
    return { outcome: 'denied', reason: `tool ${name} needs scope ${scope}`, downstream };
  }
  const problem = argumentSchemaProblem(tool, args) ?? tool.argumentProblem?.(args, config);
  if (problem) return { outcome: 'denied', reason: problem, downstream };
  return { outcome: 'allowed', reason: `scope ${scope}`, downstream, tool };
}
