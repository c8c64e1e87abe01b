/**
 * Views of the Kubernetes objects in any stack's JSON, shared by the MCP-K8S rules: where each
 * resource type keeps its pod spec, which namespace a resource lives in, which pods are MCP pods,
 * and the objects declared through `kubernetes_manifest`, converted to the typed provider's shape so
 * that one set of rules judges both. Values are read with every reference the model can follow
 * already followed (variables with a literal default, locals, attributes other resources set, outputs
 * of other stacks of the app). Everything here is computed once per stack (linear in its size).
 */
import {
  CLOUDFLARED_CONTAINER_NAME,
  MCP_CONTAINER_NAME,
  MCP_ENV,
  MCP_NAMESPACE_PATTERN,
  POD_SECURITY_LABEL_PREFIX,
} from '../core/ports-defaults';
import { block, blocks, isExpression, isObject, joinPath } from './json';
import type { JsonObject, ResourceEntry, SynthesizedStack } from './stack';

/** Where each typed workload type keeps its pod spec. */
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

/**
 * Where each workload kind declared through `kubernetes_manifest` keeps its pod spec, once converted
 * (`jobTemplate` is `job_template`). Other kinds (custom resources such as Argo Rollouts) are searched
 * for any object whose `containers` is a list.
 */
const MANIFEST_POD_SPEC_PATHS: Readonly<Record<string, readonly string[]>> = {
  Pod: ['spec'],
  Deployment: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicationController: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'job_template', 'spec', 'template', 'spec'],
};

/** Kinds of built-in objects that never hold a pod template (not searched for one). */
const KINDS_WITHOUT_PODS = new Set([
  'Namespace',
  'Service',
  'ServiceAccount',
  'ConfigMap',
  'Secret',
  'NetworkPolicy',
  'ResourceQuota',
  'LimitRange',
  'Role',
  'ClusterRole',
  'RoleBinding',
  'ClusterRoleBinding',
  'Ingress',
  'PodDisruptionBudget',
]);

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
export const ROLE_TYPES: readonly string[] = ['kubernetes_role', 'kubernetes_role_v1'];
export const CLUSTER_ROLE_TYPES: readonly string[] = ['kubernetes_cluster_role', 'kubernetes_cluster_role_v1'];
export const ROLE_BINDING_TYPES: readonly string[] = ['kubernetes_role_binding', 'kubernetes_role_binding_v1'];
export const CLUSTER_ROLE_BINDING_TYPES: readonly string[] = [
  'kubernetes_cluster_role_binding',
  'kubernetes_cluster_role_binding_v1',
];

/** Resources of several types, in order. */
export function ofTypes(stack: SynthesizedStack, types: readonly string[]): ResourceEntry[] {
  return types.flatMap((t) => stack.ofType(t));
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

// ---------------------------------------------------------------------------------------------
// References followed

/** How deep values that resolve to objects holding further references are followed. */
const RESOLVE_NESTING = 4;
const INTERPOLATION = /\$\{[^{}]*\}/g;

/**
 * A string with its references followed: a whole traversal by what it resolves to (a literal of any
 * type), a template by substituting each interpolation that resolves to a literal scalar. What cannot
 * be followed (a computed attribute, a function call) is left as written.
 */
function resolveString(stack: SynthesizedStack, text: string): unknown {
  const whole = stack.resolve(text);
  if (whole.kind === 'literal') return whole.value;
  if (whole.kind === 'reference') return text;
  return text.replace(INTERPOLATION, (part) => {
    const r = stack.resolve(part);
    const v = r.kind === 'literal' ? r.value : undefined;
    return (typeof v === 'string' && !isExpression(v)) || typeof v === 'number' || typeof v === 'boolean'
      ? String(v)
      : part;
  });
}

/** A string still holding an expression once references were followed, and where. */
interface Leftover {
  /** Dotted path in the body, e.g. `spec.template.spec.container[0].security_context`. */
  readonly path: string;
  /** The attribute that holds it (for a list member, the list's attribute). */
  readonly key: string;
  readonly text: string;
}

/** A body with references followed, and what could not be followed. */
interface Resolution {
  readonly body: JsonObject;
  readonly leftovers: Leftover[];
  /** Paths of `dynamic` blocks (Terraform expands them at plan; the rules cannot). */
  readonly dynamicBlocks: string[];
}

function resolveInto(
  stack: SynthesizedStack,
  value: unknown,
  key: string,
  segments: (string | number)[],
  found: Resolution,
  nesting: number,
): unknown {
  if (typeof value === 'string') {
    if (!value.includes('${')) return value;
    const resolved = resolveString(stack, value);
    if (typeof resolved === 'object' && resolved !== null && nesting < RESOLVE_NESTING) {
      return resolveInto(stack, resolved, key, segments, found, nesting + 1);
    }
    if (isExpression(resolved)) found.leftovers.push({ path: joinPath(segments), key, text: resolved });
    return resolved;
  }
  // Parts without expressions are shared with the JSON, not copied (most of a body has none).
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      segments.push(i);
      const v = resolveInto(stack, value[i], key, segments, found, nesting);
      segments.pop();
      if (v !== value[i] && !out) out = value.slice(0, i);
      if (out) out.push(v);
    }
    return out ?? value;
  }
  if (isObject(value)) {
    let out: JsonObject | undefined;
    const keys = Object.keys(value);
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i];
      segments.push(k);
      if (k === 'dynamic') found.dynamicBlocks.push(joinPath(segments));
      const v = k === '//' ? value[k] : resolveInto(stack, value[k], k, segments, found, nesting);
      segments.pop();
      if (v !== value[k] && !out) {
        out = {};
        for (let j = 0; j < i; j++) out[keys[j]] = value[keys[j]];
      }
      if (out) out[k] = v;
    }
    return out ?? value;
  }
  return value;
}

/** A JSON value with every reference the model can follow replaced by its literal (the JSON itself is not changed). */
export function resolveDeep(stack: SynthesizedStack, value: unknown): unknown {
  return resolveInto(stack, value, '', [], { body: {}, leftovers: [], dynamicBlocks: [] }, 0);
}

const resolutions = new WeakMap<ResourceEntry, Resolution>();

function resolution(stack: SynthesizedStack, entry: ResourceEntry): Resolution {
  let found = resolutions.get(entry);
  if (!found) {
    const partial: Resolution = { body: {}, leftovers: [], dynamicBlocks: [] };
    const body = resolveInto(stack, entry.body, '', [], partial, 0);
    found = { ...partial, body: isObject(body) ? body : {} };
    resolutions.set(entry, found);
  }
  return found;
}

/** A resource's body with every reference the model can follow replaced by its literal (memoized). */
export function resolvedBody(stack: SynthesizedStack, entry: ResourceEntry): JsonObject {
  return resolution(stack, entry).body;
}

/**
 * Why a value left unresolved cannot be read, in words: `'${var.x}': variable 'x' has no default ...`
 * or `'${okta_auth_server.a.issuer}' is computed at apply`.
 */
export function whyUnreadable(stack: SynthesizedStack, value: string): string {
  const r = stack.resolve(value);
  if (r.kind === 'unknown') return r.why;
  if (r.kind === 'reference') return `'${value}' is computed at apply (${r.entry.address}.${r.attribute || 'id'})`;
  return `'${value}' is an expression the rules cannot evaluate`;
}

// ---------------------------------------------------------------------------------------------
// Kubernetes API objects (kubernetes_manifest) in the typed provider's shape

/**
 * Kubernetes API field names whose provider attribute is not their snake_case form: plural lists
 * the provider names by their singular block, and names snake_case cannot spell. Checked against the
 * attribute names of `@cdktf/provider-kubernetes` 12.1.1 (test/ports/manifest-conversion.cases.ts).
 */
const RENAMED_FIELDS: Readonly<Record<string, string>> = {
  containers: 'container',
  initContainers: 'init_container',
  ephemeralContainers: 'ephemeral_container',
  volumes: 'volume',
  volumeMounts: 'volume_mount',
  volumeDevices: 'volume_device',
  tolerations: 'toleration',
  topologySpreadConstraints: 'topology_spread_constraint',
  readinessGates: 'readiness_gate',
  nodeSelectorTerms: 'node_selector_term',
  httpHeaders: 'http_header',
  sysctls: 'sysctl',
  volumeClaimTemplates: 'volume_claim_template',
  cephfs: 'ceph_fs',
  subjects: 'subject',
  rules: 'rule',
  nonResourceURLs: 'non_resource_urls',
};

/** Maps whose keys are data (label names, quantities' resource names), kept as written. */
const OPAQUE_MAPS = new Set([
  'labels',
  'annotations',
  'matchLabels',
  'nodeSelector',
  'requests',
  'limits',
  'hard',
  'data',
  'binaryData',
  'stringData',
  'volumeAttributes',
  'parameters',
  'overhead',
]);

/** camelCase to snake_case, acronyms as one word: `hostPID` -> `host_pid`, `downwardAPI` -> `downward_api`. */
export function snakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}

/** The provider's name of an API field, in the context of its object's kind and its parent attribute. */
function providerFieldName(key: string, kind: string | undefined, parent: string): string {
  // Container and Service ports are `port` blocks; a network policy rule's are `ports`.
  if (key === 'ports') return kind === 'NetworkPolicy' ? 'ports' : 'port';
  if (key === 'options' && parent === 'dns_config') return 'option';
  return RENAMED_FIELDS[key] ?? snakeCase(key);
}

function isOpaqueMap(key: string, kind: string | undefined, parent: string): boolean {
  return (
    OPAQUE_MAPS.has(key) ||
    // A Service's selector is a label map; a workload's is a LabelSelector.
    (key === 'selector' && kind === 'Service' && parent === 'spec') ||
    (key === 'options' && parent === 'flex_volume')
  );
}

function convertValue(value: unknown, kind: string | undefined, parent: string): unknown {
  if (Array.isArray(value)) return value.map((v) => convertValue(v, kind, parent));
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const key of Object.keys(value)) {
    const name = providerFieldName(key, kind, parent);
    out[name] = isOpaqueMap(key, kind, parent) ? value[key] : convertValue(value[key], kind, name);
  }
  return out;
}

/**
 * A Kubernetes API object (camelCase, plural lists: `containers`, `initContainers`, `volumes`,
 * `ports`, `volumeMounts`, `env`) in the shape the typed provider resources synthesize to
 * (`container`, `init_container`, `volume`, `port`, `volume_mount`, `security_context`,
 * `run_as_non_root`, `host_network`, `liveness_probe.http_get`, `empty_dir`, `host_path`, ...), so
 * that one set of rules reads both. Values are kept as written (numbers stay numbers); label,
 * annotation, selector and quantity maps keep their keys.
 */
export function kubernetesToProvider(value: unknown, kind?: string): unknown {
  return convertValue(value, kind, '');
}

/** One `kubernetes_manifest`, converted. */
export interface ManifestView {
  readonly entry: ResourceEntry;
  /** `kind` of the object; undefined when it cannot be read. */
  readonly kind?: string;
  readonly apiVersion?: string;
  /** The object in the provider's shape, references followed. */
  readonly object: JsonObject;
  readonly metadata: JsonObject;
  /** Why the manifest or its kind cannot be read (it may declare anything). */
  readonly unreadable?: string;
}

/** Every `kubernetes_manifest` of the stack, converted (memoized per stack). */
export const manifests: (stack: SynthesizedStack) => readonly ManifestView[] = memoized((stack) =>
  stack.ofType('kubernetes_manifest').map((entry): ManifestView => {
    const raw = resolvedBody(stack, entry).manifest;
    if (!isObject(raw)) {
      const why =
        typeof raw === 'string' && isExpression(raw)
          ? whyUnreadable(stack, raw)
          : `manifest is ${raw === undefined ? 'missing' : JSON.stringify(raw)}`;
      return { entry, object: {}, metadata: {}, unreadable: `its manifest cannot be read (${why})` };
    }
    const kind = raw.kind;
    const apiVersion = typeof raw.apiVersion === 'string' ? raw.apiVersion : undefined;
    if (typeof kind !== 'string' || isExpression(kind)) {
      const why = typeof kind === 'string' ? whyUnreadable(stack, kind) : `kind is ${JSON.stringify(kind ?? null)}`;
      return {
        entry,
        object: {},
        metadata: {},
        apiVersion,
        unreadable: `the kind of its manifest cannot be read (${why})`,
      };
    }
    const object = kubernetesToProvider(raw, kind) as JsonObject;
    return { entry, kind, apiVersion, object, metadata: block(object.metadata) };
  }),
);

/** A Kubernetes object of the stack, typed or from a manifest, in the provider's shape. */
export interface KubeObject {
  readonly entry: ResourceEntry;
  /** How findings name what it is: the Terraform type, or `kubernetes_manifest of kind <Kind>`. */
  readonly what: string;
  /** The object: a typed resource's body, or the converted manifest (references followed). */
  readonly body: JsonObject;
  readonly metadata: JsonObject;
  /** `kind` for manifests; undefined for typed resources. */
  readonly kind?: string;
}

const kubeObjectsByStack = new WeakMap<SynthesizedStack, Map<string, readonly KubeObject[]>>();

/**
 * The typed resources of `types` and the manifests of `kinds`, in the provider's shape (memoized per
 * stack for each list of types and kinds when no API group filter is given). The list is shared:
 * callers must not change it.
 */
export function kubeObjects(
  stack: SynthesizedStack,
  types: readonly string[],
  kinds: readonly string[],
  apiGroup?: (apiVersion: string | undefined) => boolean,
): readonly KubeObject[] {
  if (apiGroup) return collectKubeObjects(stack, types, kinds, apiGroup);
  let byKey = kubeObjectsByStack.get(stack);
  if (!byKey) kubeObjectsByStack.set(stack, (byKey = new Map()));
  const key = `${types.join(',')}|${kinds.join(',')}`;
  let found = byKey.get(key);
  if (!found) byKey.set(key, (found = collectKubeObjects(stack, types, kinds)));
  return found;
}

function collectKubeObjects(
  stack: SynthesizedStack,
  types: readonly string[],
  kinds: readonly string[],
  apiGroup?: (apiVersion: string | undefined) => boolean,
): KubeObject[] {
  const found: KubeObject[] = ofTypes(stack, types).map((entry) => {
    const body = resolvedBody(stack, entry);
    return { entry, what: entry.type, body, metadata: block(body.metadata) };
  });
  for (const m of manifests(stack)) {
    if (m.kind === undefined || !kinds.includes(m.kind)) continue;
    if (apiGroup && !apiGroup(m.apiVersion)) continue;
    found.push({
      entry: m.entry,
      what: `kubernetes_manifest of kind ${m.kind}`,
      body: m.object,
      metadata: m.metadata,
      kind: m.kind,
    });
  }
  return found;
}

// ---------------------------------------------------------------------------------------------
// Workloads

/** One container (or init container) of a pod. */
export interface ContainerView {
  readonly kind: 'container' | 'init_container';
  readonly name: string;
  readonly body: JsonObject;
  /** How findings name it: `container 'mcp-server'`. */
  readonly label: string;
}

/** One resource that runs pods (one per pod template it declares). */
export interface WorkloadView {
  readonly entry: ResourceEntry;
  /** The pod spec, references followed. */
  readonly pod: JsonObject;
  /** Labels and annotations of its pods. */
  readonly podLabels: JsonObject;
  readonly podAnnotations: JsonObject;
  /** Its `metadata.name` and `metadata.namespace`, references followed. */
  readonly name: unknown;
  readonly namespace: unknown;
  readonly containers: readonly ContainerView[];
  /**
   * What of it the rules cannot read, in words: a `dynamic` block, a block written as an expression
   * the model cannot follow. Every pod rule reports these as undecided.
   */
  readonly unreadable: readonly string[];
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

/** The pod spec of a pod-bearing resource's body, or undefined for another type. */
export function podSpecOf(type: string, body: JsonObject): JsonObject | undefined {
  const path = POD_SPEC_PATHS[type];
  return path ? at(body, path) : undefined;
}

/** Attributes the rules read as blocks: written as an expression they cannot follow, they hide what they hold. */
const BLOCK_ATTRIBUTES = new Set([
  'spec',
  'template',
  'job_template',
  'metadata',
  'annotations',
  'container',
  'init_container',
  'ephemeral_container',
  'volume',
  'security_context',
  'capabilities',
  'seccomp_profile',
  'se_linux_options',
  'windows_options',
  'sysctl',
  'env',
  'env_from',
  'port',
  'resources',
  'requests',
  'limits',
  'liveness_probe',
  'readiness_probe',
  'startup_probe',
  'lifecycle',
  'post_start',
  'pre_stop',
  'exec',
  'http_get',
  'tcp_socket',
  'grpc',
  'volume_mount',
]);

/**
 * Where a resource hides something from the rules: `dynamic` blocks, and block attributes left as
 * expressions (`rename` maps a manifest's API field names to the provider's).
 */
function unreadableParts(
  stack: SynthesizedStack,
  entry: ResourceEntry,
  rename: (key: string) => string = (key) => key,
): string[] {
  const { leftovers, dynamicBlocks } = resolution(stack, entry);
  return [
    ...dynamicBlocks.map((path) => `${path} is a dynamic block, which the rules cannot expand`),
    ...leftovers
      .filter((l) => BLOCK_ATTRIBUTES.has(rename(l.key)))
      .map((l) => `${l.path} cannot be read (${whyUnreadable(stack, l.text)})`),
  ];
}

/** Finds pod specs anywhere in an object: every object whose `container` is a list. */
function podSpecsIn(object: JsonObject): { pod: JsonObject; metadata: JsonObject }[] {
  const found: { pod: JsonObject; metadata: JsonObject }[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    if (!isObject(node)) return;
    for (const key of Object.keys(node)) {
      const child = node[key];
      if (isObject(child) && Array.isArray(child.container)) found.push({ pod: child, metadata: block(node.metadata) });
      else visit(child);
    }
  };
  visit(object);
  return found;
}

function workloadView(
  entry: ResourceEntry,
  object: JsonObject,
  pod: JsonObject,
  templateMetadata: JsonObject,
  unreadable: string[],
): WorkloadView {
  const metadata = block(object.metadata);
  return {
    entry,
    pod,
    podLabels: block(templateMetadata.labels),
    podAnnotations: block(templateMetadata.annotations),
    name: metadata.name,
    namespace: metadata.namespace,
    containers: containersOfPod(pod),
    unreadable,
  };
}

/** Every resource of the stack that runs pods, typed or through `kubernetes_manifest` (memoized per stack). */
export const workloads: (stack: SynthesizedStack) => readonly WorkloadView[] = memoized((stack) => {
  const views: WorkloadView[] = [];
  for (const [type, path] of Object.entries(POD_SPEC_PATHS)) {
    for (const entry of stack.ofType(type)) {
      const body = resolvedBody(stack, entry);
      const templateMetadata = path.length > 1 ? at(body, [...path.slice(0, -1), 'metadata']) : block(body.metadata);
      views.push(workloadView(entry, body, at(body, path), templateMetadata, unreadableParts(stack, entry)));
    }
  }
  for (const m of manifests(stack)) {
    if (m.kind === undefined) continue;
    const path = MANIFEST_POD_SPEC_PATHS[m.kind];
    const unreadable = unreadableParts(stack, m.entry, (key) => providerFieldName(key, m.kind, ''));
    if (path) {
      const templateMetadata = path.length > 1 ? at(m.object, [...path.slice(0, -1), 'metadata']) : m.metadata;
      views.push(workloadView(m.entry, m.object, at(m.object, path), templateMetadata, unreadable));
    } else if (!KINDS_WITHOUT_PODS.has(m.kind)) {
      for (const found of podSpecsIn(m.object)) {
        views.push(workloadView(m.entry, m.object, found.pod, found.metadata, unreadable));
      }
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

// ---------------------------------------------------------------------------------------------
// Namespaces

/** The namespaces the stack declares (typed, or manifests of kind Namespace), by their names. */
export class NamespaceIndex {
  private readonly byKey = new Map<string, KubeObject>();
  private readonly keyByAddress = new Map<string, string>();
  private readonly all: [string, KubeObject][] = [];

  constructor(private readonly stack: SynthesizedStack) {
    for (const object of kubeObjects(stack, NAMESPACE_TYPES, ['Namespace'])) {
      const name = object.metadata.name;
      const key = typeof name === 'string' && !isExpression(name) ? name : object.entry.address;
      if (!this.byKey.has(key)) this.byKey.set(key, object);
      this.keyByAddress.set(object.entry.address, key);
      this.all.push([key, object]);
    }
  }

  /**
   * The key of a `metadata.namespace` value (references already followed): the namespace name when
   * it is a literal or a reference to a declared namespace, `default` when unset, else the
   * expression itself.
   */
  public keyOf(value: unknown): string {
    if (value === undefined || value === null || value === '') return 'default';
    if (typeof value !== 'string') return String(value);
    if (!isExpression(value)) return value;
    const r = this.stack.resolve(value);
    if (r.kind === 'reference' && r.stack === this.stack) return this.keyByAddress.get(r.entry.address) ?? value;
    return value;
  }

  /** The declared namespace resource of a key (the first, when several declare it), if any. */
  public resourceOf(key: string): ResourceEntry | undefined {
    return this.byKey.get(key)?.entry;
  }

  /** Every declared namespace (the first of each name), with its key. */
  public entries(): [string, ResourceEntry][] {
    return [...this.byKey.entries()].map(([key, object]) => [key, object.entry]);
  }

  /** Every namespace object (typed and manifests, several per name when several declare it), with its key. */
  public objects(): readonly [string, KubeObject][] {
    return this.all;
  }

  /** True when the key could not be resolved to a name (an unresolved expression). */
  public static isUnresolvedKey(key: string): boolean {
    return isExpression(key);
  }
}

/** The namespaces the stack declares (memoized per stack). */
export const namespaceIndex: (stack: SynthesizedStack) => NamespaceIndex = memoized(
  (stack) => new NamespaceIndex(stack),
);

/** The stack of the app (this one first) that declares a namespace of that name, if any. */
export function namespaceDeclaredInApp(stack: SynthesizedStack, key: string): SynthesizedStack | undefined {
  if (namespaceIndex(stack).resourceOf(key)) return stack;
  return stack.app.stacks.find((other) => other !== stack && namespaceIndex(other).resourceOf(key) !== undefined);
}

// ---------------------------------------------------------------------------------------------
// MCP pods and namespaces

/** True for a cloudflared container (by name or image). */
export function isCloudflared(container: ContainerView): boolean {
  const image = container.body.image;
  return container.name === CLOUDFLARED_CONTAINER_NAME || (typeof image === 'string' && image.includes('cloudflared'));
}

/** True for the MCP server container: named `mcp-server`, or told where to listen through `MCP_*`. */
export function isMcpContainer(container: ContainerView): boolean {
  if (container.kind !== 'container') return false;
  if (container.name === MCP_CONTAINER_NAME) return true;
  return blocks(container.body.env).some((e) => e.name === MCP_ENV.port || e.name === MCP_ENV.bindAddress);
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
  /** True for an MCP namespace: named `mcp-<t>` (declared here or not) or holding an MCP pod. */
  isMcpNamespace(key: string): boolean;
}

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
  return {
    namespaces,
    mcpWorkloads,
    mcpNamespaceKeys,
    isMcpNamespace: (key: string) => mcpNamespaceKeys.has(key) || MCP_NAMESPACE_PATTERN.test(key),
  };
});

/** The Pod Security `enforce` label of a labels map. */
export const POD_SECURITY_ENFORCE_LABEL = `${POD_SECURITY_LABEL_PREFIX}/enforce`;

/** Objects grouped by namespace key. */
export function groupByNamespace(
  objects: readonly KubeObject[],
  namespaces: NamespaceIndex,
): Map<string, KubeObject[]> {
  const grouped = new Map<string, KubeObject[]>();
  for (const object of objects) {
    const key = namespaces.keyOf(object.metadata.namespace);
    const list = grouped.get(key);
    if (list) list.push(object);
    else grouped.set(key, [object]);
  }
  return grouped;
}

/** Resources of `types` grouped by namespace key. */
export function byNamespace(
  stack: SynthesizedStack,
  types: readonly string[],
  namespaces: NamespaceIndex,
): Map<string, ResourceEntry[]> {
  const grouped = new Map<string, ResourceEntry[]>();
  for (const [key, objects] of groupByNamespace(kubeObjects(stack, types, []), namespaces)) {
    grouped.set(
      key,
      objects.map((o) => o.entry),
    );
  }
  return grouped;
}

/** Kubernetes network policies (typed, or manifests of kind NetworkPolicy in networking.k8s.io), memoized per stack. */
export const networkPolicies: (stack: SynthesizedStack) => readonly KubeObject[] = memoized((stack) =>
  kubeObjects(
    stack,
    NETWORK_POLICY_TYPES,
    ['NetworkPolicy'],
    (v) => v === undefined || v.startsWith('networking.k8s.io/'),
  ),
);
