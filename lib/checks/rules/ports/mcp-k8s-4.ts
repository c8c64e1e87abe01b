import { block } from '../../../model/json';
import type { SynthesizedStack } from '../../../model/stack';
import { isFalse, isTrue, workloads } from '../../../model/pods';
import type { Verdict } from '../../verdict';
import type { Evaluation, Rule } from '../../rule';
import { blockOf, literal, UNREADABLE, workloadVerdict } from './read';

const SECCOMP_TYPES = new Set(['RuntimeDefault', 'Localhost']);

/** run_as_non_root in effect for a container: its own setting, else the pod's. */
function judgeNonRoot(verdict: Verdict, label: string, own: unknown, pod: unknown): void {
  if (own === UNREADABLE || (own === undefined && pod === UNREADABLE)) return;
  if (isFalse(own)) verdict.fail(`${label}: run_as_non_root is false`);
  else verdict.expect(isTrue(own ?? pod), `${label}: run_as_non_root is not true on it or on the pod`);
}

/** The seccomp profile type in effect for a container. */
function judgeSeccomp(verdict: Verdict, label: string, own: unknown, pod: unknown): void {
  if (own === UNREADABLE || (own === undefined && pod === UNREADABLE)) return;
  const type = own ?? pod;
  if (type === undefined) verdict.fail(`${label}: no seccomp profile on it or on the pod`);
  else verdict.expect(SECCOMP_TYPES.has(String(type)), `${label}: seccomp profile is ${String(type)}`);
}

/** MCP-K8S-4: pods run as a non-root user under a seccomp profile. */
export const MCP_K8S_4: Rule = {
  id: 'MCP-K8S-4',
  level: 'error',
  layer: 'ports',
  cause: 'a pod may run as root or without a seccomp profile',
  explanation:
    'Root in a container is one kernel bug away from root on the node. Set `run_as_non_root = true` and a non-zero `run_as_user` in the pod security context (or on every container), never UID 0, and `seccomp_profile { type = "RuntimeDefault" }` (or `Localhost`) on the pod or every container; no container may switch to `Unconfined`. As in Pod Security admission, a container setting overrides the pod setting. Pods declared through `kubernetes_manifest` (`runAsUser`, `runAsNonRoot`, `seccompProfile`) are judged the same way.',
  requires: [
    'run_as_non_root = true on the pod, or on every container and init container (none sets it false)',
    'run_as_user never 0, on the pod or any container',
    'seccomp_profile type RuntimeDefault or Localhost on the pod or on every container (none Unconfined)',
  ],
  fix: 'do not override run_as_non_root, run_as_user or seccomp_profile of the pod or its containers (LoopbackMcpDeployment runs every container as UID 65532 under RuntimeDefault); give addon containers the same',
  evaluate(stack: SynthesizedStack): Evaluation[] {
    return workloads(stack).map((workload) => {
      const verdict = workloadVerdict(workload);
      const podBlock = blockOf(workload.pod.security_context);
      const podSc = podBlock === UNREADABLE ? {} : podBlock;
      const podNonRoot =
        podBlock === UNREADABLE
          ? UNREADABLE
          : literal(stack, verdict, 'the pod run_as_non_root', podSc.run_as_non_root);
      const podSeccomp =
        podBlock === UNREADABLE
          ? UNREADABLE
          : literal(stack, verdict, 'the pod seccomp_profile.type', block(podSc.seccomp_profile).type);
      const users: [unknown, string][] = [[podSc.run_as_user, 'the pod']];
      for (const c of workload.containers) {
        const sc = blockOf(c.body.security_context);
        if (sc === UNREADABLE) continue;
        users.push([sc.run_as_user, c.label]);
        judgeNonRoot(
          verdict,
          c.label,
          literal(stack, verdict, `${c.label} run_as_non_root`, sc.run_as_non_root),
          podNonRoot,
        );
        const seccomp = literal(stack, verdict, `${c.label} seccomp_profile.type`, block(sc.seccomp_profile).type);
        judgeSeccomp(verdict, c.label, seccomp, podSeccomp);
      }
      for (const [value, who] of users) {
        const user = literal(stack, verdict, `${who} run_as_user`, value);
        if (user !== UNREADABLE) {
          verdict.expect(
            user === undefined || user === null || Number(user) !== 0,
            `${who} runs as UID ${String(user)}`,
          );
        }
      }
      return verdict.result();
    });
  },
};
