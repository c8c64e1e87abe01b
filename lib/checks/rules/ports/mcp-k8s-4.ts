import { block, isExpression } from '../../../model/json';
import { Verdict } from '../../verdict';
import type { SynthesizedStack } from '../../../model/stack';
import type { Evaluation, Rule } from '../../rule';
import { isFalse, isTrue, workloads } from '../../../model/pods';

const SECCOMP_TYPES = new Set(['RuntimeDefault', 'Localhost']);

/** run_as_non_root in effect for a container: its own setting, else the pod's. */
function judgeNonRoot(verdict: Verdict, label: string, own: unknown, pod: unknown): void {
  const effective = own ?? pod;
  if (isExpression(effective)) verdict.unknown(`${label} run_as_non_root`);
  else if (isFalse(own)) verdict.fail(`${label}: run_as_non_root is false`);
  else verdict.expect(isTrue(effective), `${label}: run_as_non_root is not true on it or on the pod`);
}

/** The seccomp profile type in effect for a container. */
function judgeSeccomp(verdict: Verdict, label: string, type: unknown): void {
  if (isExpression(type)) verdict.unknown(`${label} seccomp_profile.type`);
  else if (type === undefined) verdict.fail(`${label}: no seccomp profile on it or on the pod`);
  else verdict.expect(SECCOMP_TYPES.has(String(type)), `${label}: seccomp profile is ${String(type)}`);
}

/** MCP-K8S-4: pods run as a non-root user under a seccomp profile. */
export const MCP_K8S_4: Rule = {
  id: 'MCP-K8S-4',
  level: 'error',
  layer: 'ports',
  cause: 'a pod may run as root or without a seccomp profile',
  explanation:
    'Root in a container is one kernel bug away from root on the node. Set `run_as_non_root = true` and a non-zero `run_as_user` in the pod security context (or on every container), never UID 0, and `seccomp_profile { type = "RuntimeDefault" }` (or `Localhost`) on the pod or every container; no container may switch to `Unconfined`. As in Pod Security admission, a container setting overrides the pod setting.',
  evaluate(stack: SynthesizedStack): Evaluation[] {
    return workloads(stack).map(({ entry, pod, containers }) => {
      const verdict = new Verdict(entry.address);
      const podSc = block(pod.security_context);
      const podSeccomp = block(podSc.seccomp_profile).type;
      const userChecks: [unknown, string][] = [[podSc.run_as_user, 'the pod']];
      for (const c of containers) {
        const sc = block(c.body.security_context);
        userChecks.push([sc.run_as_user, c.label]);
        judgeNonRoot(verdict, c.label, sc.run_as_non_root, podSc.run_as_non_root);
        judgeSeccomp(verdict, c.label, block(sc.seccomp_profile).type ?? podSeccomp);
      }
      for (const [user, who] of userChecks) {
        if (isExpression(user)) verdict.unknown(`${who} run_as_user`);
        else verdict.expect(user === undefined || Number(user) !== 0, `${who} runs as UID 0`);
      }
      return verdict.result();
    });
  },
};
