import type { SynthesizedStack } from '../../../model/stack';
import type { Evaluation, Rule } from '../../rule';
import { hasExecProbe } from './mcp-k8s-8';
import { isCloudflared, mcpScope } from '../../../model/pods';
import { Verdict } from '../../verdict';

/** MCP-K8S-8W: every container of an MCP pod has exec liveness and readiness probes (warning). */
export const MCP_K8S_8W: Rule = {
  id: 'MCP-K8S-8W',
  level: 'warning',
  layer: 'ports',
  cause: 'a container of an MCP pod has no exec liveness or readiness probe',
  explanation:
    "Without probes Kubernetes cannot tell a hung MCP server from a healthy one: it keeps a broken pod in rotation and never restarts it. Give the container a health command its image offers (`LoopbackMcpDeployment`'s `healthCommand`), run as exec liveness and readiness probes. This is the warning half of MCP-K8S-8, split into its own id because a rule has one level: images without a health command exist, so it can be suppressed with `McpAccessChecks.suppress(scope, 'MCP-K8S-8W', reason)` and a reason of 10 or more characters.",
  requires: [
    'every container of an MCP pod but cloudflared (judged by MCP-K8S-8) has exec liveness and readiness probes',
  ],
  fix: 'set workload.healthCommand to a command the image offers, or suppress MCP-K8S-8W with the reason when the image has none',
  evaluate(stack: SynthesizedStack): Evaluation[] {
    return mcpScope(stack).mcpWorkloads.map((workload) => {
      const verdict = new Verdict(workload.entry.address);
      for (const c of workload.containers) {
        if (c.kind !== 'container' || isCloudflared(c)) continue;
        verdict.expect(hasExecProbe(c.body.liveness_probe), `${c.label} has no exec liveness probe`);
        verdict.expect(hasExecProbe(c.body.readiness_probe), `${c.label} has no exec readiness probe`);
      }
      return verdict.result();
    });
  },
};
