import { isLoopbackAddress } from '../../../core/formats';
import { MCP_ENV, REQUIRED_ZERO_QUOTA_KEYS } from '../../../core/ports-defaults';
import { block, blocks, eachString, isExpression, numberValue } from '../../../model/json';
import type { SynthesizedStack } from '../../../model/stack';
import {
  groupByNamespace,
  INGRESS_TYPES,
  isMcpContainer,
  kubeObjects,
  type KubeObject,
  mcpScope,
  QUOTA_TYPES,
  SERVICE_TYPES,
  type ContainerView,
  type WorkloadView,
} from '../../../model/pods';
import { Verdict } from '../../verdict';
import type { Evaluation, Rule } from '../../rule';
import { literal, UNREADABLE, workloadVerdict } from './read';

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

/**
 * A string of a container's command, args or environment: judged as a literal, skipped as a
 * reference to a computed attribute (an id, an issuer: not an address anyone chose), undecided as
 * anything else.
 */
function scan(stack: SynthesizedStack, verdict: Verdict, what: string, text: string, judge: (t: string) => void): void {
  if (!isExpression(text)) {
    judge(text);
    return;
  }
  if (stack.resolve(text).kind !== 'reference') literal(stack, verdict, what, text);
}

/** The MCP container is told to listen on loopback, by a literal (every entry of the name: the last wins). */
function judgeBindAddress(stack: SynthesizedStack, verdict: Verdict, c: ContainerView): void {
  const binds = blocks(c.body.env).filter((e) => e.name === MCP_ENV.bindAddress);
  if (binds.length === 0) {
    verdict.fail(`${c.label} does not set ${MCP_ENV.bindAddress} (where it listens is unknown)`);
  }
  for (const bind of binds) {
    if (bind.value_from !== undefined) {
      verdict.fail(`${c.label} takes ${MCP_ENV.bindAddress} from value_from, not a loopback literal`);
      continue;
    }
    const address = literal(stack, verdict, `${c.label} ${MCP_ENV.bindAddress}`, bind.value);
    if (address === UNREADABLE) continue;
    verdict.expect(
      typeof address === 'string' && isLoopbackAddress(address),
      `${c.label} binds ${MCP_ENV.bindAddress}=${String(address)}, not loopback`,
    );
  }
}

/** The listener of an MCP pod: loopback only, no declared port. */
function judgeWorkload(stack: SynthesizedStack, workload: WorkloadView): Evaluation {
  const verdict = workloadVerdict(workload);
  for (const c of workload.containers) {
    for (const key of ['command', 'args'] as const) {
      eachString(c.body[key], (text) =>
        scan(stack, verdict, `${c.label} ${key}`, text, (t) =>
          verdict.expect(!wildcardAddressIn(t), `${c.label} ${key} names a wildcard address ('${t}')`),
        ),
      );
    }
    for (const env of blocks(c.body.env)) {
      if (typeof env.value !== 'string') continue;
      scan(stack, verdict, `${c.label} env ${String(env.name)}`, env.value, (t) =>
        verdict.expect(!wildcardAddressIn(t), `${c.label} env ${String(env.name)} names a wildcard address ('${t}')`),
      );
    }
    verdict.expect(blocks(c.body.port).length === 0, `${c.label} declares a container port`);
    if (isMcpContainer(c)) judgeBindAddress(stack, verdict, c);
  }
  return verdict.result();
}

/** A Service or Ingress (typed or a manifest of one): anything in an MCP namespace exposes it. */
function judgeExposure(
  stack: SynthesizedStack,
  object: KubeObject,
  kind: string,
  scope: ReturnType<typeof mcpScope>,
): Evaluation {
  const verdict = new Verdict(object.entry.address);
  const key = scope.namespaces.keyOf(object.metadata.namespace);
  if (literal(stack, verdict, `the namespace of this ${kind}`, key) === UNREADABLE) return verdict.result();
  if (scope.isMcpNamespace(key)) {
    verdict.fail(`this ${kind} is in MCP namespace '${key}', where it can expose the loopback-only pod`);
  }
  return verdict.result();
}

/** The quota of an MCP namespace must pin services, load balancers and node ports to 0. */
function judgeQuota(stack: SynthesizedStack, address: string, key: string, quotas: readonly KubeObject[]): Evaluation {
  const verdict = new Verdict(address);
  for (const required of REQUIRED_ZERO_QUOTA_KEYS) {
    // Any one quota pinning it to 0 is enough (quotas add up); what cannot be read counts only when none does.
    const values = quotas.map((quota) => {
      const hard = block(quota.body.spec).hard;
      return isExpression(hard) ? hard : block(hard)[required];
    });
    if (values.some((v) => !isExpression(v) && numberValue(v) === 0)) continue;
    const unreadable = values.filter(isExpression);
    if (unreadable.length > 0) for (const v of unreadable) literal(stack, verdict, `quota ${required}`, v);
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
    "The MCP server is reached only through its tunnel, whose connector shares the pod's loopback interface. A wildcard address (`0.0.0.0`, `::`, `[::]`) in any container's command, args or environment, an `MCP_BIND_ADDRESS` other than 127.0.0.1/localhost/::1 (every entry of that name: Kubernetes uses the last), a declared container port, or any Service or Ingress in an MCP namespace (typed, or declared through `kubernetes_manifest`) opens a path around Cloudflare Access and Okta. MCP pods are recognised by an `mcp-server` container (or `MCP_PORT` / `MCP_BIND_ADDRESS` in the environment), a cloudflared container, or a namespace named `mcp-<tenant>`; MCP namespaces are those named so and those holding an MCP pod. Each MCP namespace needs a resource quota with `services`, `services.loadbalancers` and `services.nodeports` set to 0, so that no one can add a Service later. References are followed (a bind address read from another stack's output is judged by that output's value).",
  requires: [
    'the MCP container sets MCP_BIND_ADDRESS, every entry of it a literal 127.0.0.1, localhost or ::1',
    'no container of an MCP pod names 0.0.0.0, :: or [::] in its command, args or environment',
    'no container of an MCP pod declares a port',
    'no Service or Ingress in an MCP namespace',
    'a resource quota in each MCP namespace with services, services.loadbalancers and services.nodeports = 0',
  ],
  fix: 'do not override MCP_BIND_ADDRESS, args, command or ports of the containers (set workload.port for the MCP port); add no Service or Ingress to an MCP namespace and keep the quota LoopbackMcpDeployment creates (services, services.loadbalancers, services.nodeports = 0)',
  evaluate(stack: SynthesizedStack): Evaluation[] {
    const scope = mcpScope(stack);
    if (scope.mcpNamespaceKeys.size === 0) return [];
    const results: Evaluation[] = scope.mcpWorkloads.map((w) => judgeWorkload(stack, w));
    for (const [types, kind] of [
      [SERVICE_TYPES, 'Service'],
      [INGRESS_TYPES, 'Ingress'],
    ] as const) {
      for (const object of kubeObjects(stack, types, [kind])) results.push(judgeExposure(stack, object, kind, scope));
    }
    const quotas = groupByNamespace(kubeObjects(stack, QUOTA_TYPES, ['ResourceQuota']), scope.namespaces);
    for (const [key, address] of scope.mcpNamespaceKeys) {
      results.push(judgeQuota(stack, address, key, quotas.get(key) ?? []));
    }
    return results;
  },
};
