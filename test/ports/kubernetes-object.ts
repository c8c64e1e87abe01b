/**
 * Turns the body of a typed `kubernetes_*_v1` resource (Terraform's snake_case, blocks as lists) into
 * the Kubernetes object it describes, so that the official schemas (kubernetes-models) can judge it.
 */
import type { JsonObject } from '../../lib/model/stack';

/** Terraform block names whose Kubernetes field has another name. */
const RENAMED: Readonly<Record<string, string>> = {
  container: 'containers',
  init_container: 'initContainers',
  volume: 'volumes',
  volume_mount: 'volumeMounts',
  toleration: 'tolerations',
  topology_spread_constraint: 'topologySpreadConstraints',
  host_pid: 'hostPID',
  host_ipc: 'hostIPC',
  downward_api: 'downwardAPI',
  image_pull_secrets: 'imagePullSecrets',
};
/** Blocks Terraform writes as one-element lists that are single objects in Kubernetes. */
const SINGLE_BLOCKS = new Set(['label_selector', 'projected', 'tcp_socket', 'grpc']);
/** Fields Terraform writes as strings that are integers (or int-or-string) in Kubernetes. */
const NUMERIC_STRINGS = new Set([
  'replicas',
  'run_as_user',
  'run_as_group',
  'fs_group',
  'default_mode',
  'max_surge',
  'max_unavailable',
  'min_available',
]);

function camel(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function numeric(value: unknown): unknown {
  return typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
}

function convert(value: unknown, key?: string): unknown {
  if (Array.isArray(value)) {
    if (key !== undefined && SINGLE_BLOCKS.has(key) && value.length === 1) return convert(value[0]);
    return value.map((v) => convert(v));
  }
  if (typeof value !== 'object' || value === null) return value;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === '//' || k === 'depends_on' || k === 'lifecycle') continue;
    // Labels, annotations, selectors and quota keys are data: keep their keys as written.
    if (['labels', 'annotations', 'match_labels', 'hard', 'limits', 'requests', 'node_selector', 'data'].includes(k)) {
      out[camel(k)] = v;
      continue;
    }
    // A container's `port` blocks are `ports`; a network policy port's `port` is a scalar.
    const name = k === 'port' && Array.isArray(v) ? 'ports' : (RENAMED[k] ?? camel(k));
    let converted = convert(v, k);
    if (NUMERIC_STRINGS.has(k) || (k === 'port' && !Array.isArray(v))) converted = numeric(converted);
    out[name] = converted;
  }
  return out;
}

/** The Kubernetes object of a resource body, with every reference replaced by `placeholder` (a valid name). */
export function kubernetesObject(apiVersion: string, kind: string, body: JsonObject, placeholder: string): JsonObject {
  const resolved = JSON.parse(JSON.stringify(body).replace(/\$\{[^}]*\}/g, placeholder)) as JsonObject;
  return { apiVersion, kind, ...(convert(resolved) as JsonObject) };
}
