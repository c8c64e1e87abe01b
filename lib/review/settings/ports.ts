/** The review's ports settings (Kubernetes): every attribute the library writes is covered. */
import { MCP_ENV, POD_SECURITY_LABEL_PREFIX, REQUIRED_ZERO_QUOTA_KEYS } from '../../core/ports-defaults';
import { isLoopbackAddress } from '../../core/formats';
import { parseImageReference } from '../../core/formats';
import { blocks, isExpression, isObject, nested, type JsonObject } from '../../model/json';
import type { ChangeClass, SettingValue } from '../model';
import { readBoolean, readEntries, readList, readText, showValue, splitEntry } from '../values';
import { becameTrue, grew, lowerIsWeaker, perKey, safeLost, shrank } from './comparators';
import { one } from './define';
import type { SettingExtractor } from './extractor';
import { containersOf, defaultDenyDirections, perContainer, POD_SECURITY_RANK, showFlag } from './readers';

const DEPLOYMENT = ['kubernetes_deployment_v1', 'kubernetes_deployment'];
const POD = 'spec.template.spec';
const CONTAINER = `${POD}.container`;
const unclassified = () => 'unclassified' as const;

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
  if (before === '') return 'unclassified';
  const [b, a] = [parseImageReference(before), parseImageReference(after)];
  if (!b || !a) return 'unclassified';
  if (b.repository !== a.repository) return 'unclassified';
  if (b.digest && !a.digest) return 'weakened';
  return 'neutral';
}

/** An environment entry other than the bind address (judged on its own). */
function environment(c: JsonObject): string {
  return blocks(c.env)
    .filter((e) => e.name !== MCP_ENV.bindAddress)
    .map(
      (e) =>
        `${readText(e.name) ?? '?'}=${e.value_from !== undefined ? `(from ${JSON.stringify(e.value_from)})` : (readText(e.value) ?? '')}`,
    )
    .sort()
    .join('; ');
}

/** Volume types of the pod (`name: type`). */
function volumeTypes(b: JsonObject): SettingValue {
  const pod = nested(b, 'spec', 'template', 'spec');
  return blocks(pod?.volume)
    .map(
      (v) =>
        `${readText(v.name) ?? '?'}: ${Object.keys(v)
          .filter((k) => k !== 'name' && k !== '//')
          .sort()
          .join('+')}`,
    )
    .sort();
}

/** Rules of a network policy in one direction, as text, one per peer and port set. */
function policyRules(direction: 'ingress' | 'egress') {
  return (b: JsonObject): SettingValue => {
    const spec = nested(b, 'spec');
    if (isExpression(spec?.[direction])) return spec?.[direction] as string;
    return blocks(spec?.[direction]).map((rule) => {
      const peers = blocks(rule[direction === 'ingress' ? 'from' : 'to']).map((p) => JSON.stringify(p));
      const ports = blocks(rule.ports).map((p) => `${readText(p.protocol) ?? 'TCP'}/${readText(p.port) ?? '*'}`);
      return `${peers.length > 0 ? peers.join(' | ') : 'anywhere'} on ${ports.length > 0 ? ports.join(',') : 'every port'}`;
    });
  };
}

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
          : isLoopbackAddress(was)
            ? 'neutral'
            : 'strengthened',
      true,
    ),
  },
  perContainerSetting(
    'environment',
    'environment (other variables)',
    [`${CONTAINER}.env`],
    environment,
    () => 'unclassified',
  ),
  {
    id: 'ports.containers',
    layer: 'ports',
    label: 'containers',
    types: DEPLOYMENT,
    attributes: [`${CONTAINER}.name`, `${POD}.init_container`],
    rule: 'MCP-K8S-6',
    table: true,
    read: (b) => {
      const pod = nested(b, 'spec', 'template', 'spec');
      return [
        ...blocks(pod?.container).map((c) => readText(c.name) ?? '?'),
        ...blocks(pod?.init_container).map((c) => `init ${readText(c.name) ?? '?'}`),
      ].sort();
    },
    compare: grew,
  },
  perContainerSetting('images', 'images', [`${CONTAINER}.image`], (c) => readText(c.image) ?? 'not set', compareImage, {
    rule: 'MCP-K8S-9',
  }),
  perContainerSetting(
    'command',
    'command and args',
    [`${CONTAINER}.command`, `${CONTAINER}.args`, `${CONTAINER}.working_dir`],
    (c) => `${JSON.stringify(readList(c.command))} ${JSON.stringify(readList(c.args))}`,
    () => 'unclassified',
    { rule: 'MCP-K8S-6' },
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
              `${readText(c.name) ?? '?'}: ${readText(p.container_port) ?? '?'}${p.host_port !== undefined ? ` host ${readText(p.host_port)}` : ''}`,
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
  one(
    'ports',
    'pod-seccomp',
    'pod seccomp profile',
    DEPLOYMENT,
    `${POD}.security_context.seccomp_profile`,
    'text',
    unclassified,
    { rule: 'MCP-K8S-4' },
  ),
  {
    id: 'ports.pod-security-context',
    layer: 'ports',
    label: 'pod security context (groups)',
    types: DEPLOYMENT,
    attributes: [
      `${POD}.security_context.run_as_group`,
      `${POD}.security_context.fs_group`,
      `${POD}.security_context.supplemental_groups`,
      `${POD}.security_context.sysctl`,
    ],
    rule: 'MCP-K8S-4',
    read: (b) => readEntries(nested(b, 'spec', 'template', 'spec', 'security_context')),
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
      return Array.isArray(drop) ? (drop.length === 0 ? 'none' : drop.join(' ')) : showValue(drop);
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
      return Array.isArray(add) ? add.join(' ') : showValue(add);
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
    ],
    (c) => {
      const sc = nested(c, 'security_context') ?? {};
      return `user ${readText(sc.run_as_user) ?? '-'} group ${readText(sc.run_as_group) ?? '-'} non-root ${showFlag(sc.run_as_non_root)} seccomp ${readText(nested(sc, 'seccomp_profile')?.type) ?? '-'}`;
    },
    (was, now) =>
      /user 0 |non-root false|seccomp Unconfined/.test(now) && !/user 0 |non-root false|seccomp Unconfined/.test(was)
        ? 'weakened'
        : 'unclassified',
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
            .join('+');
          return `${p}:${handler}${probe.exec !== undefined ? ` ${JSON.stringify(readList(nested(probe, 'exec')?.command))}` : ''}`;
        })
        .join(' '),
    (was, now) =>
      /http_get|tcp_socket|grpc/.test(now) && !/http_get|tcp_socket|grpc/.test(was)
        ? 'weakened'
        : was.replace(/ \[.*?\]/g, '') === now.replace(/ \[.*?\]/g, '')
          ? 'neutral'
          : 'unclassified',
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
    (was, now) => {
      const keys = (t: string) => (t.match(/"(cpu|memory)"/g) ?? []).length;
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
        .map((m) => `${readText(m.name)}:${readText(m.mount_path)}${readBoolean(m.read_only) === true ? ':ro' : ''}`)
        .sort()
        .join(' '),
    () => 'unclassified',
  ),
  {
    id: 'ports.volumes',
    layer: 'ports',
    label: 'volume types',
    types: DEPLOYMENT,
    attributes: [`${POD}.volume`],
    rule: 'MCP-K8S-2',
    read: volumeTypes,
    // A new volume (or a new kind of one) is a new way in or out; details of an existing one are for a reviewer.
    compare: (before, after) => {
      const verdict = grew(before, after);
      return verdict === 'neutral' ? 'unclassified' : verdict;
    },
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
  ...(['host_network', 'host_pid', 'host_ipc'] as const).map((flag) =>
    one('ports', flag.replace('_', '-'), flag, DEPLOYMENT, `${POD}.${flag}`, 'flag', becameTrue, { rule: 'MCP-K8S-2' }),
  ),
  one('ports', 'service-links', 'service links', DEPLOYMENT, `${POD}.enable_service_links`, 'flag', becameTrue),
  one('ports', 'service-account', 'service account', DEPLOYMENT, `${POD}.service_account_name`, 'text', unclassified, {
    rule: 'MCP-SEC-2',
  }),
  one('ports', 'pod-placement', 'pod placement', DEPLOYMENT, `${POD}.node_name`, 'text', unclassified),
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
    types: ['kubernetes_network_policy_v1', 'kubernetes_network_policy'],
    attributes: ['spec.policy_types', 'spec.pod_selector'],
    rule: 'MCP-K8S-7',
    table: true,
    read: defaultDenyDirections,
    show: (v) => (Array.isArray(v) && v.length === 0 ? 'no (allow rules)' : showValue(v)),
    compare: shrank,
  },
  {
    id: 'ports.ingress-rules',
    layer: 'ports',
    label: 'network policy ingress rules',
    types: ['kubernetes_network_policy_v1', 'kubernetes_network_policy'],
    attributes: ['spec.ingress'],
    rule: 'MCP-K8S-7',
    read: policyRules('ingress'),
    compare: grew,
  },
  {
    id: 'ports.egress-rules',
    layer: 'ports',
    label: 'network policy egress rules',
    types: ['kubernetes_network_policy_v1', 'kubernetes_network_policy'],
    attributes: ['spec.egress'],
    rule: 'MCP-K8S-7',
    read: policyRules('egress'),
    compare: grew,
  },
  {
    id: 'ports.services-quota',
    layer: 'ports',
    label: 'services quota',
    types: ['kubernetes_resource_quota_v1', 'kubernetes_resource_quota'],
    attributes: ['spec.hard', 'spec.scopes', 'spec.scope_selector'],
    rule: 'MCP-K8S-6',
    table: true,
    read: (b) => {
      const hard = nested(b, 'spec')?.hard;
      if (isExpression(hard)) return hard;
      const all = readEntries(hard);
      return Array.isArray(all) ? all.filter((e) => REQUIRED_ZERO_QUOTA_KEYS.includes(splitEntry(e)[0])) : all;
    },
    compare: perKey(
      (was, now) => (Number(now) > Number(was) ? 'weakened' : Number(now) < Number(was) ? 'strengthened' : 'neutral'),
      true,
    ),
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
    read: (b) => readEntries(b.data_wo ?? b.data),
    compare: () => 'unclassified',
  },
];
