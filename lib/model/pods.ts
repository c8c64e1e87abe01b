/**
 * Views of the Kubernetes workloads in any stack's JSON, shared by the MCP-K8S rules: where each
 * resource type keeps its pod spec, which namespace a resource lives in, and which pods are MCP
 * pods. Everything here is indexed once per rule run (linear in the stack's size).
 */
import {
  CLOUDFLARED_CONTAINER_NAME,
  MCP_CONTAINER_NAME,
  MCP_NAMESPACE_PATTERN,
  POD_SECURITY_LABEL_PREFIX,
} from '../core/ports-defaults';
import { block, blocks, isExpression } from './json';
import type { JsonObject, ResourceEntry, SynthesizedStack } from './stack';

/** Where each workload type keeps its pod spec and its pod labels. */
const POD_SPEC_PATHS: Readonly<Record<string, readonly string[]>> = {
  kubernetes_pod: ['spec'],
  kubernetes_pod_v1: ['spec'],
  kubernetes_deployment: ['spec', 'template', 'spec'],
  kubernetes_deployment_v1: ['spec', 'template', 'spec'],
  kubernetes_stateful_set: ['spec', 'template', 'spec'],
  kubernetes_stateful_set_v1: ['spec', 'template', 'spec'],
  kubernetes_daemonset: ['spec', 'template', 'spec'],
  kubernetes_daemon_set_v1: ['spec', 'template', 'spec'],
  kubernetes_replication_controller: ['spec', 'template', 'spec'],
  kubernetes_replication_controller_v1: ['spec', 'template', 'spec'],
  kubernetes_job: ['spec', 'template', 'spec'],
  kubernetes_job_v1: ['spec', 'template', 'spec'],
  kubernetes_cron_job: ['spec', 'job_template', 'spec', 'template', 'spec'],
  kubernetes_cron_job_v1: ['spec', 'job_template', 'spec', 'template', 'spec'],
};

export const NAMESPACE_TYPES: readonly string[] = ['kubernetes_namespace', 'kubernetes_namespace_v1'];
export const SERVICE_TYPES: readonly string[] = ['kubernetes_service', 'kubernetes_service_v1'];
export const INGRESS_TYPES: readonly string[] = ['kubernetes_ingress', 'kubernetes_ingress_v1'];
export const NETWORK_POLICY_TYPES: readonly string[] = ['kubernetes_network_policy', 'kubernetes_network_policy_v1'];
export const QUOTA_TYPES: readonly string[] = ['kubernetes_resource_quota', 'kubernetes_resource_quota_v1'];
export const SERVICE_ACCOUNT_TYPES: readonly string[] = [
  'kubernetes_service_account',
  'kubernetes_service_account_v1',
  'kubernetes_default_service_account',
  'kubernetes_default_service_account_v1',
];

/** One container (or init container) of a pod. */
export interface ContainerView {
  readonly kind: 'container' | 'init_container';
  readonly name: string;
  readonly body: JsonObject;
  /** How findings name it: `container 'mcp-server'`. */
  readonly label: string;
}

/** One resource that runs pods. */
export interface WorkloadView {
  readonly entry: ResourceEntry;
  /** The pod spec. */
  readonly pod: JsonObject;
  /** Labels of its pods. */
  readonly podLabels: JsonObject;
  /** Its `metadata.namespace`, as written. */
  readonly namespace: unknown;
  readonly containers: readonly ContainerView[];
}

/** Resources of several types, in order. */
export function ofTypes(stack: SynthesizedStack, types: readonly string[]): ResourceEntry[] {
  return types.flatMap((t) => stack.ofType(t));
}

/** The block at a path (each step may be written as an object or a one-element list). */
function at(body: JsonObject, path: readonly string[]): JsonObject {
  let node: JsonObject = body;
  for (const key of path) node = block(node[key]);
  return node;
}

/** The containers and init containers of a pod spec. */
export function containersOfPod(pod: JsonObject): ContainerView[] {
  const views: ContainerView[] = [];
  for (const kind of ['container', 'init_container'] as const) {
    blocks(pod[kind]).forEach((body, i) => {
      const name = typeof body.name === 'string' ? body.name : `#${i}`;
      views.push({ kind, name, body, label: `${kind === 'container' ? 'container' : 'init container'} '${name}'` });
    });
  }
  return views;
}

/**
 * Memoizes a view of a stack: the rules of one run share it, and a SynthesizedStack never changes
 * (weakly held, so it goes with the stack).
 */
function memoized<T>(compute: (stack: SynthesizedStack) => T): (stack: SynthesizedStack) => T {
  const cache = new WeakMap<SynthesizedStack, T>();
  return (stack) => {
    let value = cache.get(stack);
    if (value === undefined) {
      value = compute(stack);
      cache.set(stack, value);
    }
    return value;
  };
}

/** The pod spec of a pod-bearing resource's body, or undefined for another type. */
export function podSpecOf(type: string, body: JsonObject): JsonObject | undefined {
  const path = POD_SPEC_PATHS[type];
  return path ? at(body, path) : undefined;
}

/** Every resource of the stack that runs pods, with its pod spec and containers. */
export const workloads: (stack: SynthesizedStack) => readonly WorkloadView[] = memoized((stack) => {
  const views: WorkloadView[] = [];
  for (const [type, path] of Object.entries(POD_SPEC_PATHS)) {
    for (const entry of stack.ofType(type)) {
      const pod = at(entry.body, path);
      const templateMetadata =
        path.length > 1 ? at(entry.body, [...path.slice(0, -1), 'metadata']) : block(entry.body.metadata);
      views.push({
        entry,
        pod,
        podLabels: block(templateMetadata.labels),
        namespace: block(entry.body.metadata).namespace,
        containers: containersOfPod(pod),
      });
    }
  }
  return views;
});

/** True for `true` or `"true"`. */
export function isTrue(value: unknown): boolean {
  return value === true || value === 'true';
}

/** True for `false` or `"false"`. */
export function isFalse(value: unknown): boolean {
  return value === false || value === 'false';
}

/** The namespaces the stack declares, by the key other resources use to name them. */
export class NamespaceIndex {
  private readonly byKey = new Map<string, ResourceEntry>();
  private readonly keyByAddress = new Map<string, string>();

  constructor(stack: SynthesizedStack) {
    for (const entry of ofTypes(stack, NAMESPACE_TYPES)) {
      const name = block(entry.body.metadata).name;
      const key = typeof name === 'string' && !isExpression(name) ? name : entry.address;
      this.byKey.set(key, entry);
      this.keyByAddress.set(entry.address, key);
    }
  }

  /**
   * The key of a `metadata.namespace` value: the namespace name when it is a literal or a reference
   * to a declared namespace, `default` when unset, else the expression itself.
   */
  public keyOf(value: unknown): string {
    if (value === undefined || value === null || value === '') return 'default';
    if (typeof value !== 'string') return String(value);
    if (!isExpression(value)) return value;
    const ref =
      /^\$\{((?:kubernetes_namespace|kubernetes_namespace_v1)\.[A-Za-z0-9_-]+)\.(?:metadata\[0\]\.name|metadata\.0\.name|id)\}$/.exec(
        value,
      );
    return (ref && this.keyByAddress.get(ref[1])) ?? value;
  }

  /** The declared namespace resource of a key, if any. */
  public resourceOf(key: string): ResourceEntry | undefined {
    return this.byKey.get(key);
  }

  /** Every declared namespace, with its key. */
  public entries(): [string, ResourceEntry][] {
    return [...this.byKey.entries()];
  }

  /** True when the key could not be resolved to a name (an unresolved expression). */
  public static isUnresolvedKey(key: string): boolean {
    return isExpression(key);
  }
}

/** True for a cloudflared container (by name or image). */
export function isCloudflared(container: ContainerView): boolean {
  const image = container.body.image;
  return container.name === CLOUDFLARED_CONTAINER_NAME || (typeof image === 'string' && image.includes('cloudflared'));
}

/** True for the MCP server container: named `mcp-server`, or told where to listen through `MCP_*`. */
export function isMcpContainer(container: ContainerView): boolean {
  if (container.kind !== 'container') return false;
  if (container.name === MCP_CONTAINER_NAME) return true;
  return blocks(container.body.env).some((e) => e.name === 'MCP_PORT' || e.name === 'MCP_BIND_ADDRESS');
}

/**
 * An MCP pod: a loopback-only pod reached through a tunnel. Recognised by its contents (an MCP server
 * container or a cloudflared connector) or by its namespace (`mcp-<tenant>`), so that the rules work on
 * any stack and keep working when an override renames one of them.
 */
export function isMcpWorkload(workload: WorkloadView, namespaces: NamespaceIndex): boolean {
  if (MCP_NAMESPACE_PATTERN.test(namespaces.keyOf(workload.namespace))) return true;
  return workload.containers.some((c) => isMcpContainer(c) || isCloudflared(c));
}

/** The MCP pods of a stack and its MCP namespaces. */
export interface McpScope {
  readonly namespaces: NamespaceIndex;
  readonly mcpWorkloads: readonly WorkloadView[];
  /** Key of each MCP namespace (`mcp-<t>` ones and those holding MCP pods) -> address its findings go to. */
  readonly mcpNamespaceKeys: ReadonlyMap<string, string>;
}

/** The namespaces the stack declares (memoized per stack). */
export const namespaceIndex: (stack: SynthesizedStack) => NamespaceIndex = memoized(
  (stack) => new NamespaceIndex(stack),
);

/** The MCP workloads and namespaces of a stack (memoized per stack). */
export const mcpScope: (stack: SynthesizedStack) => McpScope = memoized((stack) => {
  const namespaces = namespaceIndex(stack);
  const mcpWorkloads = workloads(stack).filter((w) => isMcpWorkload(w, namespaces));
  const mcpNamespaceKeys = new Map<string, string>();
  for (const [key, entry] of namespaces.entries()) {
    if (MCP_NAMESPACE_PATTERN.test(key)) mcpNamespaceKeys.set(key, entry.address);
  }
  for (const w of mcpWorkloads) {
    const key = namespaces.keyOf(w.namespace);
    if (!mcpNamespaceKeys.has(key)) mcpNamespaceKeys.set(key, namespaces.resourceOf(key)?.address ?? w.entry.address);
  }
  return { namespaces, mcpWorkloads, mcpNamespaceKeys };
});

/** The Pod Security `enforce` label of a labels map. */
export const POD_SECURITY_ENFORCE_LABEL = `${POD_SECURITY_LABEL_PREFIX}/enforce`;

/** Resources of `types` grouped by namespace key. */
export function byNamespace(
  stack: SynthesizedStack,
  types: readonly string[],
  namespaces: NamespaceIndex,
): Map<string, ResourceEntry[]> {
  const grouped = new Map<string, ResourceEntry[]>();
  for (const entry of ofTypes(stack, types)) {
    const key = namespaces.keyOf(block(entry.body.metadata).namespace);
    const list = grouped.get(key);
    if (list) list.push(entry);
    else grouped.set(key, [entry]);
  }
  return grouped;
}
