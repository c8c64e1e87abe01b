/** The review's ports settings. */
import { MCP_ENV, POD_SECURITY_LABEL_PREFIX, REQUIRED_ZERO_QUOTA_KEYS } from '../../core/ports-defaults';
import { blocks, isExpression, isObject, nested } from '../../model/json';
import { readBoolean, readEntries, readList, readText, showValue, splitEntry } from '../values';
import { isLoopbackAddress } from '../../core/formats';
import { lowerIsWeaker, safeLost, grew, shrank, perKey } from './comparators';
import type { SettingExtractor } from './extractor';
import { containersOf, perContainer, showFlag, defaultDenyDirections, POD_SECURITY_RANK } from './readers';

/** Settings of the ports layer, in report order. */
export const PORTS_SETTINGS: readonly SettingExtractor[] = [
  {
    id: 'ports.bind-address',
    layer: 'ports',
    label: `bind address (${MCP_ENV.bindAddress})`,
    types: ['kubernetes_deployment_v1', 'kubernetes_deployment'],
    read: (b) =>
      containersOf(b)
        .flatMap((c) =>
          blocks(c.env)
            .filter((e) => e.name === MCP_ENV.bindAddress)
            .map((e) => `${readText(c.name) ?? '?'}: ${readText(e.value) ?? 'not set'}`),
        )
        .sort(),
    weaker: perKey((was, now) => isLoopbackAddress(was) && !isLoopbackAddress(now) && !isExpression(now), true),
  },
  {
    id: 'ports.declared-ports',
    layer: 'ports',
    label: 'declared container ports',
    types: ['kubernetes_deployment_v1', 'kubernetes_deployment'],
    read: (b) =>
      containersOf(b)
        .flatMap((c) => blocks(c.port).map((p) => `${readText(c.name) ?? '?'}: ${readText(p.container_port) ?? '?'}`))
        .sort(),
    weaker: grew,
  },
  {
    id: 'ports.run-as-non-root',
    layer: 'ports',
    label: 'pod run_as_non_root',
    types: ['kubernetes_deployment_v1', 'kubernetes_deployment'],
    read: (b) => readBoolean(nested(b, 'spec', 'template', 'spec', 'security_context')?.run_as_non_root),
    weaker: safeLost(true),
  },
  {
    id: 'ports.read-only-root-filesystem',
    layer: 'ports',
    label: 'read_only_root_filesystem',
    types: ['kubernetes_deployment_v1', 'kubernetes_deployment'],
    read: (b) => perContainer(b, (c) => showFlag(nested(c, 'security_context')?.read_only_root_filesystem)),
    weaker: perKey((was, now) => was === 'true' && now !== 'true', false),
  },
  {
    id: 'ports.allow-privilege-escalation',
    layer: 'ports',
    label: 'allow_privilege_escalation',
    types: ['kubernetes_deployment_v1', 'kubernetes_deployment'],
    read: (b) => perContainer(b, (c) => showFlag(nested(c, 'security_context')?.allow_privilege_escalation)),
    weaker: perKey((was, now) => was === 'false' && now !== 'false', false),
  },
  {
    id: 'ports.capabilities-drop',
    layer: 'ports',
    label: 'capabilities drop',
    types: ['kubernetes_deployment_v1', 'kubernetes_deployment'],
    read: (b) =>
      perContainer(b, (c) => {
        const drop = readList(nested(c, 'security_context', 'capabilities')?.drop);
        return Array.isArray(drop) ? (drop.length === 0 ? 'none' : drop.join(' ')) : showValue(drop);
      }),
    weaker: perKey((was, now) => was.split(' ').includes('ALL') && !now.split(' ').includes('ALL'), false),
  },
  {
    id: 'ports.pod-security',
    layer: 'ports',
    label: 'Pod Security enforce',
    types: ['kubernetes_namespace_v1', 'kubernetes_namespace'],
    read: (b) => {
      const labels = nested(b, 'metadata')?.labels;
      return isObject(labels) ? readText(labels[`${POD_SECURITY_LABEL_PREFIX}/enforce`]) : null;
    },
    // Without the label, Pod Security admission enforces `privileged` (nothing).
    weaker: lowerIsWeaker((v) => (v === null ? 0 : typeof v === 'string' ? POD_SECURITY_RANK[v] : undefined)),
  },
  {
    id: 'ports.default-deny',
    layer: 'ports',
    label: 'network policy: default deny',
    types: ['kubernetes_network_policy_v1', 'kubernetes_network_policy'],
    read: defaultDenyDirections,
    show: (v) => (Array.isArray(v) && v.length === 0 ? 'no (allow rules)' : showValue(v)),
    weaker: shrank,
  },
  {
    id: 'ports.services-quota',
    layer: 'ports',
    label: 'services quota',
    types: ['kubernetes_resource_quota_v1', 'kubernetes_resource_quota'],
    read: (b) => {
      const hard = nested(b, 'spec')?.hard;
      if (isExpression(hard)) return hard;
      const all = readEntries(hard);
      return Array.isArray(all) ? all.filter((e) => REQUIRED_ZERO_QUOTA_KEYS.includes(splitEntry(e)[0])) : all;
    },
    weaker: perKey((was, now) => Number(now) > Number(was), true),
  },
];
