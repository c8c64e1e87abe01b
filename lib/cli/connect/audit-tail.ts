/**
 * `mcp-access audit tail <tenant>`: follows a tenant's audit stream the way docs/audit.md
 * describes, `kubectl -n mcp-<t> logs deploy/mcp-server -c audit-shipper -f`, optionally as text.
 */
import { parseArgs } from 'node:util';
import { AUDIT_SHIPPER_CONTAINER_NAME } from '../../core/audit-defaults';
import { TENANT_ID_PATTERN } from '../../core/formats';
import { tenantNamespaceName } from '../../core/naming';
import { MCP_DEPLOYMENT_NAME } from '../../core/ports-defaults';
import { findExecutable, KUBECTL_INSTALL_HINT, type RunningProcess, type Spawn, startProcess } from './processes';

export const AUDIT_USAGE = `  mcp-access audit tail <tenant> [--format json|text] [--context <kubectl context>]
      Follows the tenant's audit records live from its shipper (kubectl logs -f): JSON lines as
      written, or one readable line per record with --format text. Needs kubectl and read access
      to the namespace mcp-<tenant>.`;

/** The kubectl arguments that follow a tenant's audit stream. */
export function auditTailArguments(tenant: string, context?: string): string[] {
  return [
    ...(context === undefined ? [] : ['--context', context]),
    '-n',
    tenantNamespaceName(tenant),
    'logs',
    `deploy/${MCP_DEPLOYMENT_NAME}`,
    '-c',
    AUDIT_SHIPPER_CONTAINER_NAME,
    '-f',
  ];
}

/** One line of the stream as shown: unchanged for `json`, a readable line per record for `text`. */
export function formatAuditLine(line: string, format: 'json' | 'text'): string {
  if (format === 'json') return line;
  let record: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(line);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return line;
    record = parsed as Record<string, unknown>;
  } catch {
    return line;
  }
  const field = (name: string) => (record[name] === undefined ? '-' : String(record[name]));
  const flag = record.cross_tenant === true || record.outcome === 'cross_tenant_denied' ? '!! ' : '';
  const actorType = record.actor_type === undefined ? '' : ` (${field('actor_type')})`;
  const claimed = record.claimed_tenant_id === undefined ? '' : ` claimed=${field('claimed_tenant_id')}`;
  return (
    `${flag}${field('time')} ${field('tenant_id')}${claimed} ${field('outcome')} ` +
    `${field('actor_id')}${actorType} ${field('tool')} -> ${field('downstream')}: ${field('reason')}`
  );
}

/** Options of a follow. */
export interface FollowOptions {
  readonly context?: string;
  readonly format: 'json' | 'text';
  readonly env?: NodeJS.ProcessEnv;
  readonly spawn?: Spawn;
}

/**
 * Starts following: the records go to `write`, kubectl's own messages to `warn`. Throws a one-line
 * error when kubectl is not on PATH.
 */
export function followAudit(
  tenant: string,
  write: (line: string) => void,
  warn: (line: string) => void,
  options: FollowOptions,
): RunningProcess {
  const kubectl = findExecutable('kubectl', options.env);
  if (kubectl === undefined) throw new Error(`kubectl was not found on PATH: ${KUBECTL_INSTALL_HINT}`);
  return startProcess(
    kubectl,
    auditTailArguments(tenant, options.context),
    (line, from) => (from === 'stdout' ? write(formatAuditLine(line, options.format)) : warn(`kubectl: ${line}`)),
    options.spawn,
  );
}

/** What `audit` needs from its caller. */
export interface AuditCommandIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  readonly env?: NodeJS.ProcessEnv;
  readonly spawn?: Spawn;
  /** Stops the follow (the command line wires SIGINT and SIGTERM to it). */
  readonly signal?: AbortSignal;
}

/** `mcp-access audit tail <tenant> ...`; resolves with the exit code. */
export async function runAuditCommand(argv: readonly string[], io: AuditCommandIo): Promise<number> {
  const usageError = (problem: string) => {
    io.err(`mcp-access audit: ${problem}`);
    io.err(`usage:\n${AUDIT_USAGE}`);
    return 2;
  };
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: { format: { type: 'string' }, context: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (e) {
    return usageError((e as Error).message.split('. ')[0]);
  }
  if (parsed.values.help) {
    io.out(`usage:\n${AUDIT_USAGE}`);
    return 0;
  }
  const [sub, tenant, ...extra] = parsed.positionals;
  if (sub !== 'tail') return usageError(sub === undefined ? 'give the subcommand tail' : `unknown subcommand ${sub}`);
  if (tenant === undefined) return usageError('a tenant id is required');
  if (extra.length > 0) return usageError(`one tenant id is expected, but ${extra.length + 1} were given`);
  if (!TENANT_ID_PATTERN.test(tenant)) {
    return usageError(`the tenant id must match ^[a-z][a-z0-9-]{1,30}$, but '${tenant}' was provided`);
  }
  const format = parsed.values.format ?? 'json';
  if (format !== 'json' && format !== 'text') {
    return usageError(`--format must be json or text, but '${format}' was provided`);
  }
  let follow: RunningProcess;
  try {
    follow = followAudit(tenant, io.out, io.err, {
      context: parsed.values.context,
      format,
      env: io.env,
      spawn: io.spawn,
    });
  } catch (e) {
    io.err(`mcp-access audit tail: ${(e as Error).message}`);
    return 1;
  }
  const stop = () => void follow.stop();
  io.signal?.addEventListener('abort', stop, { once: true });
  const code = await follow.exited;
  io.signal?.removeEventListener('abort', stop);
  if (io.signal?.aborted) return 0;
  if (code !== 0) io.err(`mcp-access audit tail: kubectl ended with ${code}`);
  return code === 0 ? 0 : 1;
}
