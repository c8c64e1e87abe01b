import { block, blocks } from '../../../model/json';
import type { JsonObject, SynthesizedStack } from '../../../model/stack';
import type { Evaluation, Rule } from '../../rule';
import { isCloudflared, mcpScope } from '../../../model/pods';
import { workloadVerdict } from './read';

const PROBES = ['liveness_probe', 'readiness_probe', 'startup_probe'] as const;
const NETWORK_HANDLERS = ['http_get', 'tcp_socket', 'grpc'] as const;

/** True when a probe block runs a non-empty exec command. */
export function hasExecProbe(probe: unknown): boolean {
  const command = block(block(probe).exec).command;
  return Array.isArray(command) ? command.length > 0 : typeof command === 'string';
}

/** The network handlers (HTTP, TCP, gRPC) a probe or lifecycle hook uses. */
function networkHandlers(handler: JsonObject): string[] {
  return NETWORK_HANDLERS.filter((h) => blocks(handler[h]).length > 0);
}

/** MCP-K8S-8: probes of MCP pods run inside the container (exec); cloudflared has both. */
export const MCP_K8S_8: Rule = {
  id: 'MCP-K8S-8',
  level: 'error',
  layer: 'ports',
  cause:
    'an MCP pod has an HTTP, TCP or gRPC probe, or its cloudflared container lacks exec liveness and readiness probes',
  explanation:
    "The kubelet sends HTTP, TCP and gRPC probes (and lifecycle hooks) to the pod IP, where nothing listens in a loopback-only pod: such a probe either fails forever or tempts someone to bind 0.0.0.0. Use `exec` probes, which run inside the container and reach 127.0.0.1. The cloudflared connector must have exec liveness and readiness probes (`cloudflared tunnel --metrics 127.0.0.1:20241 ready`), so that a pod without a live tunnel connection is restarted and taken out of rotation. MCP pods are recognised as in MCP-K8S-6. A container without any exec probe is MCP-K8S-8W's concern (a warning).",
  requires: [
    'no liveness, readiness or startup probe and no lifecycle hook of a container of an MCP pod uses http_get, tcp_socket or grpc',
    'the cloudflared container has exec liveness and readiness probes',
  ],
  fix: 'set workload.healthCommand for exec probes of the MCP server; do not override probes or lifecycle hooks with http_get, tcp_socket or grpc, and keep the exec probes LoopbackMcpDeployment gives cloudflared',
  evaluate(stack: SynthesizedStack): Evaluation[] {
    return mcpScope(stack).mcpWorkloads.map((workload) => {
      const verdict = workloadVerdict(workload);
      for (const c of workload.containers) {
        for (const probe of PROBES) {
          for (const h of networkHandlers(block(c.body[probe]))) verdict.fail(`${c.label} ${probe} uses ${h}`);
        }
        const lifecycle = block(c.body.lifecycle);
        for (const hook of ['post_start', 'pre_stop'] as const) {
          for (const h of networkHandlers(block(lifecycle[hook])))
            verdict.fail(`${c.label} lifecycle ${hook} uses ${h}`);
        }
        if (c.kind === 'container' && isCloudflared(c)) {
          verdict.expect(hasExecProbe(c.body.liveness_probe), `${c.label} has no exec liveness probe`);
          verdict.expect(hasExecProbe(c.body.readiness_probe), `${c.label} has no exec readiness probe`);
        }
      }
      return verdict.result();
    });
  },
};
