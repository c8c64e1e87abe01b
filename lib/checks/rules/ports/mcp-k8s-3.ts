import type { SynthesizedStack } from '../../../model/stack';
import { isFalse, isTrue, workloads } from '../../../model/pods';
import type { Evaluation, Rule } from '../../rule';
import { blockOf, literal, literalList, UNREADABLE, workloadVerdict } from './read';

/** MCP-K8S-3: every container states the restricted container security context. */
export const MCP_K8S_3: Rule = {
  id: 'MCP-K8S-3',
  level: 'error',
  layer: 'ports',
  cause: 'a container may escalate privileges, write its root filesystem or keep Linux capabilities',
  explanation:
    'A compromised process should find nothing to climb: set on every container (init containers and sidecars included) `allow_privilege_escalation = false`, `read_only_root_filesystem = true` (mount an emptyDir where it must write), and `capabilities { drop = ["ALL"] }` with nothing added. Kubernetes defaults are the opposite for the first two, so each must be stated. Containers declared through `kubernetes_manifest` are judged the same way.',
  requires: [
    'every container and init container sets allow_privilege_escalation = false',
    'every container and init container sets read_only_root_filesystem = true',
    'every container and init container drops ALL capabilities and adds none',
  ],
  fix: "do not override the containers' security_context (LoopbackMcpDeployment sets allow_privilege_escalation false, read_only_root_filesystem true, capabilities drop ALL); give addon containers (PodAddon.containers) the same",
  evaluate(stack: SynthesizedStack): Evaluation[] {
    return workloads(stack).map((workload) => {
      const verdict = workloadVerdict(workload);
      for (const c of workload.containers) {
        const sc = blockOf(c.body.security_context);
        if (sc === UNREADABLE) continue;
        const escalation = literal(
          stack,
          verdict,
          `${c.label} allow_privilege_escalation`,
          sc.allow_privilege_escalation,
        );
        if (escalation !== UNREADABLE) {
          verdict.expect(isFalse(escalation), `${c.label}: allow_privilege_escalation is not false`);
        }
        const readOnly = literal(stack, verdict, `${c.label} read_only_root_filesystem`, sc.read_only_root_filesystem);
        if (readOnly !== UNREADABLE)
          verdict.expect(isTrue(readOnly), `${c.label}: read_only_root_filesystem is not true`);
        const capabilities = blockOf(sc.capabilities);
        if (capabilities === UNREADABLE) continue;
        const drop = literalList(stack, verdict, `${c.label} capabilities.drop`, capabilities.drop);
        if (drop !== UNREADABLE)
          verdict.expect(drop.includes('ALL'), `${c.label}: capabilities.drop does not include ALL`);
        const add = literalList(stack, verdict, `${c.label} capabilities.add`, capabilities.add);
        if (add !== UNREADABLE)
          verdict.expect(add.length === 0, `${c.label}: capabilities.add is ${JSON.stringify(add)}`);
      }
      return verdict.result();
    });
  },
};
