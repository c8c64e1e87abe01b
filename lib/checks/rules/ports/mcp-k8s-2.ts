import { RESTRICTED_VOLUME_TYPES } from '../../../core/ports-defaults';
import { block, blocks, isExpression } from '../../../model/json';
import { Verdict } from '../../verdict';
import type { SynthesizedStack } from '../../../model/stack';
import type { Evaluation, Rule } from '../../rule';
import { isTrue, workloads } from '../../../model/pods';

const HOST_NAMESPACES = ['host_network', 'host_pid', 'host_ipc'] as const;
const ALLOWED_VOLUME_KEYS = new Set(['name', ...RESTRICTED_VOLUME_TYPES]);

/** MCP-K8S-2: pods share nothing with their node. */
export const MCP_K8S_2: Rule = {
  id: 'MCP-K8S-2',
  level: 'error',
  layer: 'ports',
  cause: 'a pod uses host namespaces, a host port, a privileged container or a volume outside the restricted list',
  explanation:
    "A pod on the host's network, PID or IPC namespace, with a host port, a privileged container or a hostPath-like volume can reach the node and through it every other tenant's pods. Leave `host_network`, `host_pid` and `host_ipc` false, declare no `host_port`, never set `privileged`, and use only the volume types the restricted Pod Security Standard allows: configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected and secret.",
  evaluate(stack: SynthesizedStack): Evaluation[] {
    return workloads(stack).map(({ entry, pod, containers }) => {
      const verdict = new Verdict(entry.address);
      for (const key of HOST_NAMESPACES) {
        if (isExpression(pod[key])) verdict.unknown(key);
        else verdict.expect(!isTrue(pod[key]), `${key} is true`);
      }
      for (const c of containers) {
        const privileged = block(c.body.security_context).privileged;
        if (isExpression(privileged)) verdict.unknown(`${c.label} security_context.privileged`);
        else verdict.expect(!isTrue(privileged), `${c.label} is privileged`);
        for (const port of blocks(c.body.port)) {
          const hostPort = port.host_port;
          if (isExpression(hostPort)) verdict.unknown(`${c.label} host_port`);
          else
            verdict.expect(
              hostPort === undefined || Number(hostPort) === 0,
              `${c.label} binds host port ${String(hostPort)}`,
            );
        }
      }
      blocks(pod.volume).forEach((volume, i) => {
        const name = typeof volume.name === 'string' ? volume.name : `#${i}`;
        for (const key of Object.keys(volume)) {
          verdict.expect(
            ALLOWED_VOLUME_KEYS.has(key),
            `volume '${name}' is of type ${key}, outside the restricted list`,
          );
        }
      });
      return verdict.result();
    });
  },
};
