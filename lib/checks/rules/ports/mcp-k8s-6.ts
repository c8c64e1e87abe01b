import { isLoopbackAddress } from '../../../core/formats';
import { MCP_ENV, REQUIRED_ZERO_QUOTA_KEYS } from '../../../core/ports-defaults';
import { block, blocks, eachString, isExpression, numberValue } from '../../../model/json';
import { Verdict } from '../../verdict';
import type { JsonObject, ResourceEntry, SynthesizedStack } from '../../../model/stack';
import type { Evaluation, Rule } from '../../rule';
import {
  byNamespace,
  INGRESS_TYPES,
  isMcpContainer,
  mcpScope,
  NamespaceIndex,
  ofTypes,
  QUOTA_TYPES,
  SERVICE_TYPES,
  type ContainerView,
  type WorkloadView,
} from '../../../model/pods';

/** Wildcard listen addresses: `0.0.0.0` (not as a CIDR), `[::]`, and a bare `::` (also as `:::8080`). */
const WILDCARD_ADDRESSES: readonly RegExp[] = [
  /(^|[^0-9.])0\.0\.0\.0(?![0-9.]|\/\d)/,
  /\[::\]/,
  /(^|[\s=,])::(?=$|[\s,]|:\d)/,
];

/** True when a text names a wildcard listen address. */
export function wildcardAddressIn(text: string): boolean {
  return WILDCARD_ADDRESSES.some((pattern) => pattern.test(text));
}

/** The MCP container is told to listen on loopback, by a literal. */
function judgeBindAddress(verdict: Verdict, c: ContainerView): void {
  const bind = blocks(c.body.env).find((e) => e.name === MCP_ENV.bindAddress);
  if (!bind) {
    verdict.fail(`${c.label} does not set ${MCP_ENV.bindAddress} (where it listens is unknown)`);
  } else if (bind.value_from !== undefined) {
    verdict.fail(`${c.label} takes ${MCP_ENV.bindAddress} from value_from, not a loopback literal`);
  } else if (isExpression(bind.value)) {
    verdict.unknown(`${c.label} ${MCP_ENV.bindAddress}`);
  } else {
    const address = String(bind.value);
    verdict.expect(isLoopbackAddress(address), `${c.label} binds ${MCP_ENV.bindAddress}=${address}, not loopback`);
  }
}

/** The listener of an MCP pod: loopback only, no declared port. */
function judgeWorkload(workload: WorkloadView): Evaluation {
  const verdict = new Verdict(workload.entry.address);
  for (const c of workload.containers) {
    for (const key of ['command', 'args'] as const) {
      eachString(c.body[key], (text) => {
        verdict.expect(!wildcardAddressIn(text), `${c.label} ${key} names a wildcard address ('${text}')`);
      });
    }
    for (const env of blocks(c.body.env)) {
      if (typeof env.value === 'string') {
        verdict.expect(
          !wildcardAddressIn(env.value),
          `${c.label} env ${String(env.name)} names a wildcard address ('${env.value}')`,
        );
      }
    }
    verdict.expect(blocks(c.body.port).length === 0, `${c.label} declares a container port`);
    if (isMcpContainer(c)) judgeBindAddress(verdict, c);
  }
  return verdict.result();
}

/** A Service, Ingress or manifest of one: anything in an MCP namespace exposes it. */
function judgeExposure(
  entry: ResourceEntry,
  namespace: unknown,
  kind: string,
  namespaces: NamespaceIndex,
  mcp: ReadonlyMap<string, string>,
): Evaluation {
  const verdict = new Verdict(entry.address);
  const key = namespaces.keyOf(namespace);
  if (mcp.has(key))
    verdict.fail(`this ${kind} is in MCP namespace '${key}', where it can expose the loopback-only pod`);
  else if (NamespaceIndex.isUnresolvedKey(key)) verdict.unknown(`the namespace of this ${kind}`);
  return verdict.result();
}

/** The quota of an MCP namespace must pin services, load balancers and node ports to 0. */
function judgeQuota(address: string, key: string, quotas: readonly ResourceEntry[]): Evaluation {
  const verdict = new Verdict(address);
  for (const required of REQUIRED_ZERO_QUOTA_KEYS) {
    const values = quotas.map((q) => block(q.body.spec).hard).map((hard) => block(hard)[required]);
    const numbers = values.map(numberValue);
    if (numbers.some((n) => n === 0)) continue;
    if (numbers.includes('expression')) verdict.unknown(`quota ${required}`);
    else verdict.fail(`no resource quota in namespace '${key}' pins ${required} to 0`);
  }
  return verdict.result();
}

/** MCP-K8S-6: the MCP listener is on loopback and nothing exposes the pod. */
export const MCP_K8S_6: Rule = {
  id: 'MCP-K8S-6',
  level: 'error',
  layer: 'ports',
  cause:
    'an MCP pod listens beyond 127.0.0.1 or can be exposed (container port, Service, Ingress, or a quota that allows Services)',
  explanation:
    "The MCP server is reached only through its tunnel, whose connector shares the pod's loopback interface. A wildcard address (`0.0.0.0`, `::`, `[::]`) in any container's command, args or environment, an `MCP_BIND_ADDRESS` other than 127.0.0.1/localhost/::1, a declared container port, or any Service or Ingress in an MCP namespace opens a path around Cloudflare Access and Okta. MCP pods are recognised by an `mcp-server` container (or `MCP_PORT` / `MCP_BIND_ADDRESS` in the environment), a cloudflared container, or a namespace named `mcp-<tenant>`; MCP namespaces are those named so and those holding an MCP pod. Each MCP namespace needs a resource quota with `services`, `services.loadbalancers` and `services.nodeports` set to 0, so that no one can add a Service later.",
  evaluate(stack: SynthesizedStack): Evaluation[] {
    const { namespaces, mcpWorkloads, mcpNamespaceKeys } = mcpScope(stack);
    if (mcpNamespaceKeys.size === 0) return [];
    const results: Evaluation[] = mcpWorkloads.map(judgeWorkload);
    for (const [types, kind] of [
      [SERVICE_TYPES, 'Service'],
      [INGRESS_TYPES, 'Ingress'],
    ] as const) {
      for (const entry of ofTypes(stack, types)) {
        results.push(judgeExposure(entry, block(entry.body.metadata).namespace, kind, namespaces, mcpNamespaceKeys));
      }
    }
    for (const entry of stack.ofType('kubernetes_manifest')) {
      const manifest: JsonObject = block(entry.body.manifest);
      if (manifest.kind === 'Service' || manifest.kind === 'Ingress') {
        results.push(
          judgeExposure(entry, block(manifest.metadata).namespace, String(manifest.kind), namespaces, mcpNamespaceKeys),
        );
      }
    }
    const quotas = byNamespace(stack, QUOTA_TYPES, namespaces);
    for (const [key, address] of mcpNamespaceKeys) results.push(judgeQuota(address, key, quotas.get(key) ?? []));
    return results;
  },
};
