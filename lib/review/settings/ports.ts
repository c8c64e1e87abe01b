/** The review's ports settings (Kubernetes): every attribute the library writes is covered. */
import { isLoopbackAddress, parseImageReference } from '../../core/formats';
import { ADDONS_ANNOTATION, MCP_ENV, POD_SECURITY_LABEL_PREFIX, ZERO_QUOTA_KEYS } from '../../core/ports-defaults';
import { blocks, isExpression, isObject, nested, type JsonObject } from '../../model/json';
import type { ChangeClass, SettingValue } from '../model';
import { readBoolean, readEntries, readList, readText, showValue, splitEntry } from '../values';
import { becameTrue, combine, grew, lowerIsWeaker, members, perKey, safeLost, shrank } from './comparators';
import { one } from './define';
import type { SettingExtractor } from './extractor';
import { containersOf, defaultDenyDirections, perContainer, POD_SECURITY_RANK, showFlag } from './readers';

const DEPLOYMENT = ['kubernetes_deployment_v1', 'kubernetes_deployment'];
const NETWORK_POLICY = ['kubernetes_network_policy_v1', 'kubernetes_network_policy'];
const POD = 'spec.template.spec';
const CONTAINER = `${POD}.container`;
const unclassified = (): ChangeClass => 'unclassified';

/** `container: <text>` per container, compared key by key with `entry`. */
function perContainerSetting(
  id: string,
  label: string,
  attributes: readonly string[],
  read: (container: JsonObject) => string,
  entry: (before: string, after: string) => ChangeClass,
  options: { rule?: string; table?: boolean; missingIsWeaker?: boolean } = {},
): SettingExtractor {
  return {
    id: `ports.${id}`,
    layer: 'ports',
    label,
    types: DEPLOYMENT,
    attributes,
    rule: options.rule,
    table: options.table,
    read: (b) => perContainer(b, read),
    compare: perKey(entry, options.missingIsWeaker ?? false),
  };
}

/** An image moving within its repository (a new tag or digest) is a release; another repository, or a lost digest, is not. */
function compareImage(before: string, after: string): ChangeClass {
  // A container added is judged by the containers setting.
  if (before === '') return 'neutral';
  const [b, a] = [parseImageReference(before), parseImageReference(after)];
  if (!b || !a) return 'unclassified';
  if (b.repository !== a.repository) return 'unclassified';
  if (b.digest && !a.digest) return 'weakened';
  return 'neutral';
}

/**
 * Environment variables that bind the MCP server to its tenant and its trust anchors: a change
 * rebinds the server (another tenant's issuer, audience, Vault role, or a plain-http Vault), so it
 * is weaker until a person has read it.
 */
const BINDING_ENV: ReadonlySet<string> = new Set([
  MCP_ENV.tenantId,
  MCP_ENV.tenantClaim,
  MCP_ENV.issuer,
  MCP_ENV.audience,
  MCP_ENV.resourceUrl,
  MCP_ENV.vaultAddress,
  MCP_ENV.vaultRole,
  MCP_ENV.vaultAuthPath,
  MCP_ENV.vaultTokenPath,
]);

/** `<container> <NAME>: <value>` for every environment variable but the bind address (judged on its own). */
function environment(b: JsonObject): SettingValue {
  return containersOf(b)
    .flatMap((c) =>
      blocks(c.env)
        .filter((e) => e.name !== MCP_ENV.bindAddress)
        .map(
          (e) =>
            `${readText(c.name) ?? '?'} ${readText(e.name) ?? '?'}: ${e.value_from !== undefined ? `from ${JSON.stringify(e.value_from)}` : (readText(e.value) ?? '')}`,
        ),
    )
    .sort();
}

/** Allowed origins widened are weaker; a binding variable changed or dropped is weaker; the rest is for a person. */
function compareEnvironment(before: SettingValue, after: SettingValue): ChangeClass {
  const [b, a] = [members(before), members(after)];
  if (b === undefined || a === undefined) return 'unclassified';
  const [bm, am] = [new Map(b.map(splitEntry)), new Map(a.map(splitEntry))];
  const containerOf = (key: string) => key.split(' ')[0];
  const [had, has] = [new Set([...bm.keys()].map(containerOf)), new Set([...am.keys()].map(containerOf))];
  const verdicts: ChangeClass[] = [];
  for (const key of new Set([...bm.keys(), ...am.keys()])) {
    const [was, now] = [bm.get(key), am.get(key)];
    if (was === now) continue;
    // The environment of a container added or removed goes with it (judged by the containers setting).
    if (!had.has(containerOf(key)) || !has.has(containerOf(key))) {
      verdicts.push('neutral');
      continue;
    }
    const variable = key.split(' ').slice(1).join(' ');
    if (variable === MCP_ENV.allowedOrigins) {
      const list = (v: string | undefined) => (v === undefined ? [] : v.split(',').map((o) => o.trim()));
      verdicts.push(grew(list(was), list(now)));
    } else if (BINDING_ENV.has(variable)) {
      verdicts.push(was === undefined ? 'unclassified' : 'weakened');
    } else {
      verdicts.push('unclassified');
    }
  }
  return combine(verdicts);
}

/** Volumes of the pod: `name: <type> <details>`. */
function volumes(b: JsonObject): SettingValue {
  const pod = nested(b, 'spec', 'template', 'spec');
  return blocks(pod?.volume)
    .map((v) => {
      const kinds = Object.keys(v)
        .filter((k) => k !== 'name' && k !== '//')
        .sort();
      return `${readText(v.name) ?? '?'}: ${kinds.map((k) => `${k} ${JSON.stringify(v[k])}`).join(' + ')}`;
    })
    .sort();
}

/** A new volume, or a volume of another kind, is a new way in or out; other details are for a person. */
const compareVolumes = perKey((was, now) => {
  if (was === '') return 'weakened';
  const kind = (text: string) => text.split(' ')[0];
  return kind(was) !== kind(now) ? 'weakened' : 'unclassified';
}, false);

/** Rules of a network policy in one direction, as text, one per peer and port set. */
function policyRules(direction: 'ingress' | 'egress') {
  return (b: JsonObject): SettingValue => {
    const spec = nested(b, 'spec');
    if (isExpression(spec?.[direction])) return spec?.[direction] as string;
    return blocks(spec?.[direction])
      .map((rule) => {
        const peers = blocks(rule[direction === 'ingress' ? 'from' : 'to']).map((p) => JSON.stringify(p));
        const ports = blocks(rule.ports).map(
          (p) =>
            `${readText(p.protocol) ?? 'TCP'}/${readText(p.port) ?? '*'}${p.end_port !== undefined ? `-${readText(p.end_port)}` : ''}`,
        );
        return `${peers.length > 0 ? peers.join(' | ') : 'anywhere'} on ${ports.length > 0 ? ports.join(',') : 'every port'}`;
      })
      .sort();
  };
}

/** Quota keys that pin exposure to 0 (Services, load balancers, node ports, Ingresses). */
const EXPOSURE_QUOTA_KEYS: ReadonlySet<string> = new Set(ZERO_QUOTA_KEYS);

/** A quota of exposure raised or dropped is weaker; other quotas (pods, CPU, memory) size the namespace. */
const compareQuota = (before: SettingValue, after: SettingValue): ChangeClass => {
  const [b, a] = [members(before), members(after)];
  if (b === undefined || a === undefined) return 'unclassified';
  const [bm, am] = [new Map(b.map(splitEntry)), new Map(a.map(splitEntry))];
  const verdicts: ChangeClass[] = [];
  for (const key of new Set([...bm.keys(), ...am.keys()])) {
    const [was, now] = [bm.get(key), am.get(key)];
    if (was === now) continue;
    if (!EXPOSURE_QUOTA_KEYS.has(key)) verdicts.push('neutral');
    else if (now === undefined) verdicts.push('weakened');
    else if (was === undefined) verdicts.push(Number(now) === 0 ? 'strengthened' : 'weakened');
    else if (Number.isNaN(Number(now)) || Number.isNaN(Number(was))) verdicts.push('unclassified');
    else verdicts.push(Number(now) > Number(was) ? 'weakened' : 'strengthened');
  }
  return combine(verdicts);
};

const POD_SECURITY_CONTEXT_KEYS = [
  'run_as_group',
  'fs_group',
  'supplemental_groups',
  'sysctl',
  'fs_group_change_policy',
];

/** Settings of the ports layer, in report order. */
export const PORTS_SETTINGS: readonly SettingExtractor[] = [
  {
    id: 'ports.bind-address',
    layer: 'ports',
    label: `bind address (${MCP_ENV.bindAddress})`,
    types: DEPLOYMENT,
    attributes: [`${CONTAINER}.env`],
    rule: 'MCP-K8S-6',
    table: true,
    read: (b) =>
      containersOf(b)
        .flatMap((c) =>
          blocks(c.env)
            .filter((e) => e.name === MCP_ENV.bindAddress)
            .map((e) => `${readText(c.name) ?? '?'}: ${readText(e.value) ?? 'not set'}`),
        )
        .sort(),
    compare: perKey(
      (was, now) =>
        now === '' || (!isLoopbackAddress(now) && !isExpression(now))
          ? 'weakened'
          : isExpression(now)
            ? 'unclassified'
            : isLoopbackAddress(was)
              ? 'neutral'
              : 'strengthened',
      true,
    ),
  },
  {
    id: 'ports.environment',
    layer: 'ports',
    label: 'environment (other variables)',
    types: DEPLOYMENT,
    attributes: [`${CONTAINER}.env`],
    rule: 'MCP-TEN-1',
    read: environment,
    // Each tenant has its own local port by design.
    posture: (display) => display.replace(/(127\.0\.0\.1|localhost|\[::1\]):\d+/g, '$1:<port>'),
    compare: compareEnvironment,
  },
  {
    id: 'ports.containers',
    layer: 'ports',
    label: 'containers',
    types: DEPLOYMENT,
    attributes: [`${CONTAINER}.name`, `${POD}.init_container`, `${POD}.ephemeral_container`],
    rule: 'MCP-K8S-11',
    table: true,
    normalizes: true,
    read: (b) => {
      const pod = nested(b, 'spec', 'template', 'spec');
      return [
        ...blocks(pod?.container).map((c) => readText(c.name) ?? '?'),
        ...blocks(pod?.init_container).map((c) => `init ${readText(c.name) ?? '?'}`),
        ...blocks(pod?.ephemeral_container).map((c) => `ephemeral ${readText(c.name) ?? '?'}`),
      ].sort();
    },
    // A container added shares the MCP server's loopback and volumes; one removed takes nothing away
    // from security (the audit shipper's removal is judged by the audit layer).
    compare: (before, after) => {
      const verdict = grew(before, after);
      return verdict === 'strengthened' ? 'neutral' : verdict;
    },
  },
  {
    id: 'ports.addons',
    layer: 'ports',
    label: `addon containers allowed (${ADDONS_ANNOTATION})`,
    types: DEPLOYMENT,
    attributes: [`spec.template.metadata.annotations.${ADDONS_ANNOTATION}`],
    rule: 'MCP-K8S-11',
    normalizes: true,
    read: (b) => {
      const annotations = nested(b, 'spec', 'template', 'metadata')?.annotations;
      const value = isObject(annotations) ? readText(annotations[ADDONS_ANNOTATION]) : null;
      return value === null
        ? []
        : value
            .split(',')
            .map((s) => s.trim())
            .filter((s) => s !== '')
            .sort();
    },
    compare: (before, after) => {
      const verdict = grew(before, after);
      return verdict === 'strengthened' ? 'neutral' : verdict;
    },
  },
  perContainerSetting('images', 'images', [`${CONTAINER}.image`], (c) => readText(c.image) ?? 'not set', compareImage, {
    rule: 'MCP-K8S-9',
  }),
  perContainerSetting(
    'command',
    'command and args',
    [`${CONTAINER}.command`, `${CONTAINER}.args`, `${CONTAINER}.working_dir`],
    (c) =>
      `${JSON.stringify(readList(c.command))} ${JSON.stringify(readList(c.args))}${c.working_dir !== undefined ? ` in ${readText(c.working_dir)}` : ''}`,
    (was) => (was === '' ? 'neutral' : 'unclassified'),
    { rule: 'MCP-K8S-13' },
  ),
  {
    id: 'ports.declared-ports',
    layer: 'ports',
    label: 'declared container ports',
    types: DEPLOYMENT,
    attributes: [`${CONTAINER}.port`],
    rule: 'MCP-K8S-6',
    read: (b) =>
      containersOf(b)
        .flatMap((c) =>
          blocks(c.port).map(
            (p) =>
              `${readText(c.name) ?? '?'}: ${readText(p.container_port) ?? '?'}${p.host_port !== undefined ? ` host ${readText(p.host_port)}` : ''}${p.host_ip !== undefined ? ` on ${readText(p.host_ip)}` : ''}`,
          ),
        )
        .sort(),
    compare: grew,
  },
  one(
    'ports',
    'run-as-non-root',
    'pod run_as_non_root',
    DEPLOYMENT,
    `${POD}.security_context.run_as_non_root`,
    'flag',
    safeLost(true),
    { rule: 'MCP-K8S-4', table: true },
  ),
  one(
    'ports',
    'pod-run-as-user',
    'pod run_as_user',
    DEPLOYMENT,
    `${POD}.security_context.run_as_user`,
    'text',
    (b, a) => (a === '0' ? 'weakened' : b === '0' ? 'strengthened' : 'unclassified'),
    { rule: 'MCP-K8S-4' },
  ),
  {
    id: 'ports.pod-seccomp',
    layer: 'ports',
    label: 'pod seccomp profile',
    types: DEPLOYMENT,
    attributes: [`${POD}.security_context.seccomp_profile`],
    rule: 'MCP-K8S-4',
    read: (b) => {
      const profile = nested(b, 'spec', 'template', 'spec', 'security_context', 'seccomp_profile');
      return profile
        ? `${readText(profile.type) ?? '?'}${profile.localhost_profile !== undefined ? ` ${readText(profile.localhost_profile)}` : ''}`
        : null;
    },
    compare: (before, after) =>
      after === null || after === 'Unconfined'
        ? 'weakened'
        : before === null || before === 'Unconfined'
          ? 'strengthened'
          : 'unclassified',
  },
  {
    id: 'ports.pod-security-context',
    layer: 'ports',
    label: 'pod security context (groups)',
    types: DEPLOYMENT,
    attributes: POD_SECURITY_CONTEXT_KEYS.map((k) => `${POD}.security_context.${k}`),
    rule: 'MCP-K8S-4',
    read: (b) => {
      const context = nested(b, 'spec', 'template', 'spec', 'security_context') ?? {};
      return readEntries(
        Object.fromEntries(POD_SECURITY_CONTEXT_KEYS.filter((k) => k in context).map((k) => [k, context[k]])),
      );
    },
    compare: unclassified,
  },
  perContainerSetting(
    'read-only-root-filesystem',
    'read_only_root_filesystem',
    [`${CONTAINER}.security_context.read_only_root_filesystem`],
    (c) => showFlag(nested(c, 'security_context')?.read_only_root_filesystem),
    (was, now) => (now === 'true' ? (was === 'true' ? 'neutral' : 'strengthened') : 'weakened'),
    { rule: 'MCP-K8S-3', table: true },
  ),
  perContainerSetting(
    'allow-privilege-escalation',
    'allow_privilege_escalation',
    [`${CONTAINER}.security_context.allow_privilege_escalation`],
    (c) => showFlag(nested(c, 'security_context')?.allow_privilege_escalation),
    (was, now) => (now === 'false' ? (was === 'false' ? 'neutral' : 'strengthened') : 'weakened'),
    { rule: 'MCP-K8S-3', table: true },
  ),
  perContainerSetting(
    'privileged',
    'privileged',
    [`${CONTAINER}.security_context.privileged`],
    (c) => showFlag(nested(c, 'security_context')?.privileged),
    (was, now) => (now === 'true' ? 'weakened' : was === 'true' ? 'strengthened' : 'neutral'),
    { rule: 'MCP-K8S-2' },
  ),
  perContainerSetting(
    'capabilities-drop',
    'capabilities drop',
    [`${CONTAINER}.security_context.capabilities.drop`],
    (c) => {
      const drop = readList(nested(c, 'security_context', 'capabilities')?.drop);
      return Array.isArray(drop) ? (drop.length === 0 ? 'none' : [...drop].sort().join(' ')) : showValue(drop);
    },
    (was, now) =>
      now.split(' ').includes('ALL') ? (was.split(' ').includes('ALL') ? 'neutral' : 'strengthened') : 'weakened',
    { rule: 'MCP-K8S-3', table: true },
  ),
  perContainerSetting(
    'capabilities-add',
    'capabilities add',
    [`${CONTAINER}.security_context.capabilities.add`],
    (c) => {
      const add = readList(nested(c, 'security_context', 'capabilities')?.add);
      return Array.isArray(add) ? [...add].sort().join(' ') : showValue(add);
    },
    (was, now) =>
      grew(
        was === '' || was === 'not set' ? [] : was.split(' '),
        now === '' || now === 'not set' ? [] : now.split(' '),
      ),
    { rule: 'MCP-K8S-3' },
  ),
  perContainerSetting(
    'container-user',
    'container user and seccomp',
    [
      `${CONTAINER}.security_context.run_as_user`,
      `${CONTAINER}.security_context.run_as_group`,
      `${CONTAINER}.security_context.run_as_non_root`,
      `${CONTAINER}.security_context.seccomp_profile`,
      `${CONTAINER}.security_context.se_linux_options`,
      `${CONTAINER}.security_context.proc_mount`,
    ],
    (c) => {
      const sc = nested(c, 'security_context') ?? {};
      const extra = ['se_linux_options', 'proc_mount']
        .filter((k) => sc[k] !== undefined)
        .map((k) => ` ${k} ${JSON.stringify(sc[k])}`)
        .join('');
      return `user ${readText(sc.run_as_user) ?? '-'} group ${readText(sc.run_as_group) ?? '-'} non-root ${showFlag(sc.run_as_non_root)} seccomp ${readText(nested(sc, 'seccomp_profile')?.type) ?? '-'}${extra}`;
    },
    (was, now) => {
      const weak = /user 0 |non-root false|seccomp Unconfined|proc_mount "Unmasked"/;
      if (weak.test(now) && !weak.test(was)) return 'weakened';
      return was === '' ? 'neutral' : 'unclassified';
    },
    { rule: 'MCP-K8S-4' },
  ),
  perContainerSetting(
    'probes',
    'probes',
    [
      `${CONTAINER}.liveness_probe`,
      `${CONTAINER}.readiness_probe`,
      `${CONTAINER}.startup_probe`,
      `${CONTAINER}.lifecycle`,
    ],
    (c) =>
      ['liveness_probe', 'readiness_probe', 'startup_probe', 'lifecycle']
        .filter((p) => c[p] !== undefined)
        .map((p) => {
          const probe = nested(c, p) ?? {};
          const handler = ['exec', 'http_get', 'tcp_socket', 'grpc', 'post_start', 'pre_stop']
            .filter((h) => probe[h] !== undefined)
            .map((h) => `${h} ${JSON.stringify(probe[h])}`)
            .join('+');
          return `${p}:${handler}`;
        })
        .join(' '),
    // An HTTP, TCP or gRPC probe hits the pod IP, where nothing may listen; an exec probe's command is for a person.
    (was, now) => {
      const network = /http_get|tcp_socket|grpc/;
      if (network.test(now) && !network.test(was)) return 'weakened';
      return was === '' ? 'neutral' : 'unclassified';
    },
    { rule: 'MCP-K8S-8' },
  ),
  perContainerSetting(
    'resources',
    'requests and limits',
    [`${CONTAINER}.resources`],
    (c) => {
      const r = nested(c, 'resources') ?? {};
      return ['requests', 'limits'].map((k) => `${k} ${JSON.stringify(nested(r, k) ?? {})}`).join(' ');
    },
    // Values size the workload; a request or limit dropped lets one pod starve the node (MCP-K8S-9).
    (was, now) => {
      const keys = (t: string) => (t.match(/"(cpu|memory|ephemeral-storage)"/g) ?? []).length;
      return keys(now) < keys(was) ? 'weakened' : 'neutral';
    },
    { rule: 'MCP-K8S-9' },
  ),
  perContainerSetting(
    'volume-mounts',
    'volume mounts',
    [`${CONTAINER}.volume_mount`],
    (c) =>
      blocks(c.volume_mount)
        .map(
          (m) =>
            `${readText(m.name)}:${readText(m.mount_path)}${readBoolean(m.read_only) === true ? ':ro' : ''}${m.sub_path !== undefined ? ` sub ${readText(m.sub_path)}` : ''}${m.mount_propagation !== undefined ? ` propagation ${readText(m.mount_propagation)}` : ''}`,
        )
        .sort()
        .join(' '),
    (was, now) => {
      // A volume mounted into a container that did not have it shares its data; the rest is for a person.
      const names = (t: string) =>
        new Set(
          t
            .split(' ')
            .filter((x) => x !== '')
            .map((x) => x.split(':')[0]),
        );
      const [w, n] = [names(was), names(now)];
      return [...n].some((x) => !w.has(x)) ? 'weakened' : 'unclassified';
    },
  ),
  {
    id: 'ports.volumes',
    layer: 'ports',
    label: 'volumes',
    types: DEPLOYMENT,
    attributes: [`${POD}.volume`],
    rule: 'MCP-K8S-2',
    read: volumes,
    compare: compareVolumes,
  },
  one(
    'ports',
    'automount-token',
    'pod automounts the API token',
    DEPLOYMENT,
    `${POD}.automount_service_account_token`,
    'flag',
    safeLost(false),
    { rule: 'MCP-K8S-5' },
  ),
  ...(['host_network', 'host_pid', 'host_ipc', 'share_process_namespace'] as const).map((flag) =>
    one('ports', flag.replace(/_/g, '-'), flag, DEPLOYMENT, `${POD}.${flag}`, 'flag', becameTrue, {
      rule: 'MCP-K8S-2',
    }),
  ),
  one('ports', 'service-links', 'service links', DEPLOYMENT, `${POD}.enable_service_links`, 'flag', becameTrue),
  one('ports', 'service-account', 'service account', DEPLOYMENT, `${POD}.service_account_name`, 'text', unclassified, {
    rule: 'MCP-SEC-2',
  }),
  {
    id: 'ports.pod-placement',
    layer: 'ports',
    label: 'pod placement and runtime',
    types: DEPLOYMENT,
    attributes: [
      `${POD}.node_name`,
      `${POD}.node_selector`,
      `${POD}.affinity`,
      `${POD}.toleration`,
      `${POD}.runtime_class_name`,
      `${POD}.dns_policy`,
      `${POD}.dns_config`,
      `${POD}.host_aliases`,
      `${POD}.hostname`,
      `${POD}.subdomain`,
    ],
    read: (b) => {
      const pod = nested(b, 'spec', 'template', 'spec') ?? {};
      return readEntries(
        Object.fromEntries(
          [
            'node_name',
            'node_selector',
            'affinity',
            'toleration',
            'runtime_class_name',
            'dns_policy',
            'dns_config',
            'host_aliases',
            'hostname',
            'subdomain',
          ]
            .filter((k) => pod[k] !== undefined)
            .map((k) => [k, JSON.stringify(pod[k])]),
        ),
      );
    },
    compare: unclassified,
  },
  {
    id: 'ports.pod-security',
    layer: 'ports',
    label: 'Pod Security enforce',
    types: ['kubernetes_namespace_v1', 'kubernetes_namespace'],
    attributes: [`metadata.labels.${POD_SECURITY_LABEL_PREFIX}/enforce`],
    rule: 'MCP-K8S-1',
    table: true,
    read: (b) => {
      const labels = nested(b, 'metadata')?.labels;
      return isObject(labels) ? readText(labels[`${POD_SECURITY_LABEL_PREFIX}/enforce`]) : null;
    },
    // Without the label, Pod Security admission enforces `privileged` (nothing).
    compare: lowerIsWeaker((v) => (v === null ? 0 : typeof v === 'string' ? POD_SECURITY_RANK[v] : undefined)),
  },
  {
    id: 'ports.pod-security-modes',
    layer: 'ports',
    label: 'Pod Security audit, warn and versions',
    types: ['kubernetes_namespace_v1', 'kubernetes_namespace'],
    attributes: [
      `metadata.labels.${POD_SECURITY_LABEL_PREFIX}/audit`,
      `metadata.labels.${POD_SECURITY_LABEL_PREFIX}/warn`,
      `metadata.labels.${POD_SECURITY_LABEL_PREFIX}/enforce-version`,
      `metadata.labels.${POD_SECURITY_LABEL_PREFIX}/audit-version`,
      `metadata.labels.${POD_SECURITY_LABEL_PREFIX}/warn-version`,
    ],
    rule: 'MCP-K8S-1',
    read: (b) => {
      const labels = nested(b, 'metadata')?.labels;
      return isObject(labels)
        ? Object.keys(labels)
            .filter((k) => k.startsWith(POD_SECURITY_LABEL_PREFIX) && !k.endsWith('/enforce'))
            .sort()
            .map((k) => `${k.slice(POD_SECURITY_LABEL_PREFIX.length + 1)}: ${readText(labels[k])}`)
        : [];
    },
    compare: perKey((was, now) => {
      const [b, a] = [POD_SECURITY_RANK[was], POD_SECURITY_RANK[now]];
      return b !== undefined && a !== undefined
        ? a < b
          ? 'weakened'
          : a > b
            ? 'strengthened'
            : 'neutral'
        : 'unclassified';
    }, true),
  },
  {
    id: 'ports.default-deny',
    layer: 'ports',
    label: 'network policy: default deny',
    types: NETWORK_POLICY,
    attributes: ['spec.policy_types', 'spec.pod_selector'],
    rule: 'MCP-K8S-7',
    table: true,
    read: defaultDenyDirections,
    show: (v) => (Array.isArray(v) && v.length === 0 ? 'no (allow rules)' : showValue(v)),
    compare: shrank,
  },
  {
    id: 'ports.pod-selector',
    layer: 'ports',
    label: 'network policy pods',
    types: NETWORK_POLICY,
    attributes: ['spec.pod_selector'],
    rule: 'MCP-K8S-10',
    read: (b) => JSON.stringify(nested(b, 'spec', 'pod_selector') ?? {}),
    // Which pods an allow rule applies to: a person reads the selector.
    compare: unclassified,
  },
  {
    id: 'ports.ingress-rules',
    layer: 'ports',
    label: 'network policy ingress rules',
    types: NETWORK_POLICY,
    attributes: ['spec.ingress'],
    rule: 'MCP-K8S-10',
    read: policyRules('ingress'),
    compare: grew,
  },
  {
    id: 'ports.egress-rules',
    layer: 'ports',
    label: 'network policy egress rules',
    types: NETWORK_POLICY,
    attributes: ['spec.egress'],
    rule: 'MCP-K8S-10',
    read: policyRules('egress'),
    compare: grew,
  },
  {
    id: 'ports.services-quota',
    layer: 'ports',
    label: 'quota (Services and Ingresses pinned to 0)',
    types: ['kubernetes_resource_quota_v1', 'kubernetes_resource_quota'],
    attributes: ['spec.hard', 'spec.scopes', 'spec.scope_selector'],
    rule: 'MCP-K8S-6',
    table: true,
    read: (b) => {
      const spec = nested(b, 'spec');
      if (isExpression(spec?.hard)) return spec?.hard as string;
      const all = readEntries(spec?.hard);
      const scoped = spec?.scopes !== undefined || spec?.scope_selector !== undefined;
      if (!Array.isArray(all)) return all;
      return [
        ...all,
        ...(scoped ? [`scoped: ${JSON.stringify([spec?.scopes ?? null, spec?.scope_selector ?? null])}`] : []),
      ];
    },
    show: (v) =>
      Array.isArray(v)
        ? v.filter((e) => EXPOSURE_QUOTA_KEYS.has(splitEntry(e)[0]) || e.startsWith('scoped')).join(', ')
        : showValue(v),
    // A scope narrows what the quota counts: a person reads it.
    compare: (before, after) => {
      const scope = (v: SettingValue) => (members(v) ?? []).filter((e) => e.startsWith('scoped'));
      if (JSON.stringify(scope(before)) !== JSON.stringify(scope(after))) return 'unclassified';
      return compareQuota(before, after);
    },
  },
  one(
    'ports',
    'service-account-automount',
    'service account automounts the API token',
    ['kubernetes_service_account_v1', 'kubernetes_service_account'],
    'automount_service_account_token',
    'flag',
    safeLost(false),
    { rule: 'MCP-K8S-5' },
  ),
  {
    id: 'ports.secret-data',
    layer: 'ports',
    label: 'secret data (write-only, by reference)',
    types: ['kubernetes_secret_v1', 'kubernetes_secret'],
    attributes: ['data_wo', 'data', 'binary_data', 'type'],
    rule: 'MCP-SEC-5',
    read: (b) => {
      const entries = readEntries(b.data_wo ?? b.data);
      const kind = b.data !== undefined ? 'data (in state)' : 'write-only';
      return Array.isArray(entries)
        ? [...entries.map((e) => `${kind} ${e}`), ...(b.type !== undefined ? [`type ${readText(b.type)}`] : [])]
        : entries;
    },
    // Secret values in state (data instead of data_wo) are weaker; anything else is for a person.
    compare: (before, after) => {
      const inState = (v: SettingValue) => (members(v) ?? []).some((e) => e.startsWith('data (in state)'));
      if (inState(after) && !inState(before)) return 'weakened';
      return 'unclassified';
    },
  },
];
