/**
 * The audit shipper of each MCP pod, as MCP-AUD-5 and MCP-AUD-6 read it: the `audit-shipper`
 * container, the config file it runs (followed through its mount to the config map of the pod's
 * namespace) and the volumes it buffers on.
 */
import { AUDIT_SHIPPER_CONTAINER_NAME, FLUENT_BIT_BINARY } from '../../../core/audit-defaults';
import { block, blocks, isExpression, stringList } from '../../../model/json';
import { CONFIG_MAP_TYPES, type ShipperConfigEntry, shipperConfigs, unreadable } from '../../../model/audit';
import { type ContainerView, kubeObjects, mcpScope, type WorkloadView } from '../../../model/pods';
import type { JsonObject, ResourceEntry, SynthesizedStack } from '../../../model/stack';
import { tenantInName } from '../../../model/tenancy';

/** One MCP pod and its shipper, as far as it could be followed. */
export interface WorkloadShipper {
  readonly workload: WorkloadView;
  /** The tenant its namespace names (`mcp-<t>`), if any. */
  readonly tenant?: string;
  readonly namespaceKey: string;
  readonly container?: ContainerView;
  /** The shipper's configuration, when it was found. */
  readonly config?: ShipperConfigEntry;
  /** Why it was not found: a problem (`missing`) or something the rule cannot read (`unknown`). */
  readonly problem?: { readonly kind: 'missing' | 'unknown'; readonly detail: string };
}

/** The container's volume mounts: mount path -> volume name. */
export function mountsOf(container: JsonObject): { path: string; volume: string; readOnly: boolean }[] {
  return blocks(container.volume_mount).flatMap((m) =>
    typeof m.mount_path === 'string' && typeof m.name === 'string'
      ? [{ path: m.mount_path, volume: m.name, readOnly: m.read_only === true }]
      : [],
  );
}

/** The pod volume of a name. */
export function podVolume(pod: JsonObject, name: string): JsonObject | undefined {
  return blocks(pod.volume).find((v) => v.name === name);
}

/** The mount (and volume) that holds a path in the container. */
export function mountOfPath(
  pod: JsonObject,
  container: JsonObject,
  path: string,
): { path: string; volume: string; readOnly: boolean; body?: JsonObject } | undefined {
  const candidates = mountsOf(container)
    .filter((m) => path === m.path || path.startsWith(`${m.path.replace(/\/$/, '')}/`))
    .sort((a, b) => b.path.length - a.path.length);
  const mount = candidates[0];
  return mount ? { ...mount, body: podVolume(pod, mount.volume) } : undefined;
}

/** The config path of a Fluent Bit command line (`-c <path>`, `--config <path>`, `--config=<path>`). */
export function configPathOf(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if ((a === '-c' || a === '--config') && i + 1 < argv.length) return argv[i + 1];
    if (a.startsWith('--config=')) return a.slice('--config='.length);
  }
  return undefined;
}

const memo = new WeakMap<SynthesizedStack, WorkloadShipper[]>();

/** Every MCP pod of the stack with its shipper. */
export function workloadShippers(stack: SynthesizedStack): WorkloadShipper[] {
  const cached = memo.get(stack);
  if (cached) return cached;
  const { namespaces, mcpWorkloads } = mcpScope(stack);
  // Indexed once: config maps by namespace and name, Fluent Bit configs by their config map.
  const mapsByKey = new Map<string, ResourceEntry[]>();
  for (const o of kubeObjects(stack, CONFIG_MAP_TYPES, [])) {
    const key = `${namespaces.keyOf(o.metadata.namespace)}\u0000${String(o.metadata.name)}`;
    mapsByKey.set(key, [...(mapsByKey.get(key) ?? []), o.entry]);
  }
  const configsByMap = new Map<ResourceEntry, ShipperConfigEntry[]>();
  for (const c of shipperConfigs(stack)) configsByMap.set(c.entry, [...(configsByMap.get(c.entry) ?? []), c]);
  const result = mcpWorkloads.map((workload): WorkloadShipper => {
    const namespaceKey = namespaces.keyOf(workload.namespace);
    const tenant = tenantInName('namespace', namespaceKey);
    const base = { workload, tenant, namespaceKey };
    const container = workload.containers.find(
      (c) => c.kind === 'container' && c.name === AUDIT_SHIPPER_CONTAINER_NAME,
    );
    if (!container)
      return {
        ...base,
        problem: { kind: 'missing', detail: `the pod has no '${AUDIT_SHIPPER_CONTAINER_NAME}' container` },
      };
    const command = stringList(container.body.command);
    const args = stringList(container.body.args);
    if (command === 'expression' || args === 'expression') {
      return {
        ...base,
        container,
        problem: { kind: 'unknown', detail: 'the shipper command is an unresolved expression' },
      };
    }
    const argv = [...command, ...args];
    if (argv[0] !== FLUENT_BIT_BINARY) {
      return {
        ...base,
        container,
        problem: {
          kind: 'missing',
          detail: `the shipper does not run ${FLUENT_BIT_BINARY} (it runs ${JSON.stringify(argv)})`,
        },
      };
    }
    const path = configPathOf(argv);
    if (path === undefined)
      return { ...base, container, problem: { kind: 'missing', detail: 'the shipper runs without -c <config file>' } };
    const mount = mountOfPath(workload.pod, container.body, path);
    const configMapName = mount?.body ? block(mount.body.config_map).name : undefined;
    if (typeof configMapName !== 'string' || isExpression(configMapName)) {
      return {
        ...base,
        container,
        problem: {
          kind: 'missing',
          detail: `the shipper's config ${path} is not in a config map volume with a literal name`,
        },
      };
    }
    const file: string = path.slice(mount!.path.replace(/\/$/, '').length + 1);
    const mapName: string = configMapName;
    const maps = mapsByKey.get(`${namespaceKey}\u0000${mapName}`) ?? [];
    if (maps.length === 0) {
      return {
        ...base,
        container,
        problem: { kind: 'missing', detail: `no config map ${mapName} in ${namespaceKey} holds the shipper's config` },
      };
    }
    const config = maps.flatMap((m) => configsByMap.get(m) ?? []).find((c) => c.key === file || c.key === 'data');
    if (!config) {
      return {
        ...base,
        container,
        problem: { kind: 'missing', detail: `config map ${configMapName} has no Fluent Bit config under ${file}` },
      };
    }
    const why = unreadable(config);
    if (why !== undefined) return { ...base, container, config, problem: { kind: 'unknown', detail: why } };
    return { ...base, container, config };
  });
  memo.set(stack, result);
  return result;
}
