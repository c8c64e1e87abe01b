import { CLOUDFLARED_METRICS_PORT, MCP_ENV } from '../../../core/ports-defaults';
import { block, blocks, eachString, isExpression, numberValue } from '../../../model/json';
import type { SynthesizedStack } from '../../../model/stack';
import { isMcpContainer, mcpScope, resolvedBody, type ContainerView } from '../../../model/pods';
import { Verdict } from '../../verdict';
import type { Evaluation, Rule } from '../../rule';
import { literal, shown, UNREADABLE, workloadVerdict } from './read';

const CONTRACT = new Set<string>(Object.values(MCP_ENV));

/** Words of a flag's name that make it set where a server listens (`--host`, `--http-port`, `--listen-addr`, `--bind`). */
const LISTEN_WORDS = new Set(['host', 'hostname', 'port', 'listen', 'bind', 'addr', 'address', 'socket', 'interface']);
/** Short flags that usually set a port, bind or listen address (`-p 9000`, `-p9000`, `-b`, `-l`). */
const SHORT_LISTEN_FLAG = /^-[pbl](?:=?\S*)?$/;
const FLAG = /^--?([A-Za-z][A-Za-z0-9._-]*)(?:=.*)?$/;

/** True when an argument is a flag that sets a listen address or port. */
function isListenFlag(arg: string): boolean {
  if (SHORT_LISTEN_FLAG.test(arg)) return true;
  const m = FLAG.exec(arg);
  if (!m) return false;
  const words = m[1]
    .replace(/([a-z])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .split(/[-_.]/);
  return words.some((w) => LISTEN_WORDS.has(w));
}
/** Environment variable names that set where a server listens (PORT, HOST, LISTEN_ADDR, UVICORN_PORT, ...). */
const LISTEN_ENV = /(?:^|_)(?:HOST|HOSTNAME|PORT|LISTEN|LISTENER|BIND|ADDR|ADDRESS|SOCKET)(?:_|$)/i;
/** A `host:port` pair anywhere in a text: `127.0.0.1:9000`, `:9000`, `[::1]:8080`, `localhost:8080`, `http://x:80`. */
const HOST_PORT =
  /(?:^|[^A-Za-z0-9_])(?:\[[0-9A-Fa-f:.]*\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?)?:\d{1,5}(?![\d.])/;

/** True when an argument names a listen address or port. */
export function namesListenSetting(arg: string): boolean {
  return isListenFlag(arg) || HOST_PORT.test(arg);
}

/** True when an environment variable's name sets a listen address or port outside the contract. */
export function isListenVariable(name: string): boolean {
  return !CONTRACT.has(name) && LISTEN_ENV.test(name);
}

function judgeMcpContainer(stack: SynthesizedStack, verdict: Verdict, c: ContainerView): void {
  for (const key of ['command', 'args'] as const) {
    eachString(c.body[key], (raw) => {
      const text = literal(stack, verdict, `${c.label} ${key}`, raw);
      if (text === UNREADABLE) return;
      verdict.expect(
        !namesListenSetting(String(text)),
        `${c.label} ${key} names a listen address or port (${shown(text)})`,
      );
    });
  }
  if (c.body.env_from !== undefined) {
    verdict.fail(`${c.label} takes environment from env_from, whose keys may set a listen address or port`);
  }
  const counts = new Map<string, number>();
  for (const env of blocks(c.body.env)) {
    const name = literal(stack, verdict, `${c.label} env name`, env.name);
    if (name === UNREADABLE) continue;
    const n = String(name);
    counts.set(n, (counts.get(n) ?? 0) + 1);
    if (isListenVariable(n)) {
      verdict.fail(
        `${c.label} env ${n} sets a listen address or port outside the contract (${MCP_ENV.bindAddress}, ${MCP_ENV.port})`,
      );
    } else if (
      !CONTRACT.has(n) &&
      typeof env.value === 'string' &&
      !isExpression(env.value) &&
      HOST_PORT.test(env.value)
    ) {
      verdict.fail(`${c.label} env ${n} names a host and port (${shown(env.value)})`);
    }
  }
  for (const [name, count] of counts) {
    if (count > 1 && CONTRACT.has(name))
      verdict.fail(`${c.label} sets ${name} ${count} times (Kubernetes uses the last)`);
  }
  const ports = blocks(c.body.env).filter((e) => e.name === MCP_ENV.port);
  if (ports.length === 0) verdict.fail(`${c.label} does not set ${MCP_ENV.port}`);
  for (const entry of ports) {
    if (entry.value_from !== undefined) {
      verdict.fail(`${c.label} takes ${MCP_ENV.port} from value_from, not a literal port`);
      continue;
    }
    const value = literal(stack, verdict, `${c.label} ${MCP_ENV.port}`, entry.value);
    if (value === UNREADABLE) continue;
    const port = numberValue(value);
    verdict.expect(
      typeof port === 'number' &&
        Number.isInteger(port) &&
        port >= 1 &&
        port <= 65535 &&
        port !== CLOUDFLARED_METRICS_PORT,
      `${c.label} sets ${MCP_ENV.port}=${String(value)}, not a port from 1 to 65535 other than ${CLOUDFLARED_METRICS_PORT}`,
    );
  }
}

/** MCP-K8S-13: the MCP server learns where to listen only from the environment contract. */
export const MCP_K8S_13: Rule = {
  id: 'MCP-K8S-13',
  level: 'error',
  layer: 'ports',
  cause: "the MCP container's args or environment name a listen address or port outside the environment contract",
  explanation:
    "The MCP server listens where `MCP_BIND_ADDRESS` and `MCP_PORT` say (the environment contract, docs/mcp-server.md): the tunnel's ingress, the egress policy and the review all read those two. A flag in the container's command or args that sets a host, port, listen or bind address (`--host`, `--port 9000`, `--listen=...`, `-p`), a `host:port` pair in them, an environment variable that frameworks read for the same (`PORT`, `HOST`, `HOSTNAME`, `LISTEN_ADDR`, `UVICORN_PORT`, ...), a `host:port` value in a variable outside the contract, `env_from` (whose keys cannot be seen), or a contract variable set twice (Kubernetes uses the last) would make the server listen somewhere the rest of the stack does not know of. `MCP_PORT` must be a literal port other than cloudflared's metrics port 20241. A `kubernetes_env` that patches the environment of a workload in an MCP namespace is refused for the same reason.",
  requires: [
    'the MCP container sets MCP_PORT once, a literal port from 1 to 65535 other than 20241',
    'no contract variable (MCP_*, VAULT_*) set twice, and no env_from on the MCP container',
    'no command or args flag or host:port pair that names a listen address or port',
    'no environment variable outside the contract named for a listen setting (HOST, PORT, LISTEN, BIND, ADDR, ADDRESS, SOCKET) and no host:port value in one',
    'no kubernetes_env on a workload of an MCP namespace',
  ],
  fix: 'set workload.port (MCP_PORT) and leave MCP_BIND_ADDRESS to the library; do not override the command, args or env of the MCP container, and patch no workload of an MCP namespace with kubernetes_env',
  evaluate(stack: SynthesizedStack): Evaluation[] {
    const { namespaces, mcpWorkloads, isMcpNamespace } = mcpScope(stack);
    const results: Evaluation[] = [];
    for (const workload of mcpWorkloads) {
      const verdict = workloadVerdict(workload);
      for (const c of workload.containers) if (isMcpContainer(c)) judgeMcpContainer(stack, verdict, c);
      results.push(verdict.result());
    }
    for (const entry of stack.ofType('kubernetes_env')) {
      const body = resolvedBody(stack, entry);
      const verdict = new Verdict(entry.address);
      const key = namespaces.keyOf(block(body.metadata).namespace);
      if (literal(stack, verdict, 'metadata.namespace', key) !== UNREADABLE && isMcpNamespace(key)) {
        verdict.fail(
          `it patches the environment of ${shown(body.kind)} ${shown(block(body.metadata).name)} in MCP namespace '${key}'`,
        );
      }
      results.push(verdict.result());
    }
    return results;
  },
};
