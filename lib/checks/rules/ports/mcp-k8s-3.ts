import { block, isExpression, stringList } from '../../../model/json';
import { Verdict } from '../../verdict';
import type { SynthesizedStack } from '../../../model/stack';
import type { Evaluation, Rule } from '../../rule';
import { isFalse, isTrue, workloads } from '../../../model/pods';

/** MCP-K8S-3: every container states the restricted container security context. */
export const MCP_K8S_3: Rule = {
  id: 'MCP-K8S-3',
  level: 'error',
  layer: 'ports',
  cause: 'a container may escalate privileges, write its root filesystem or keep Linux capabilities',
  explanation:
    'A compromised process should find nothing to climb: set on every container (init containers and sidecars included) `allow_privilege_escalation = false`, `read_only_root_filesystem = true` (mount an emptyDir where it must write), and `capabilities { drop = ["ALL"] }` with nothing added. Kubernetes defaults are the opposite for the first two, so each must be stated.',
  evaluate(stack: SynthesizedStack): Evaluation[] {
    return workloads(stack).map(({ entry, containers }) => {
      const verdict = new Verdict(entry.address);
      for (const c of containers) {
        const sc = block(c.body.security_context);
        const escalation = sc.allow_privilege_escalation;
        if (isExpression(escalation)) verdict.unknown(`${c.label} allow_privilege_escalation`);
        else verdict.expect(isFalse(escalation), `${c.label}: allow_privilege_escalation is not false`);
        const readOnly = sc.read_only_root_filesystem;
        if (isExpression(readOnly)) verdict.unknown(`${c.label} read_only_root_filesystem`);
        else verdict.expect(isTrue(readOnly), `${c.label}: read_only_root_filesystem is not true`);
        const capabilities = block(sc.capabilities);
        const drop = stringList(capabilities.drop);
        if (drop === 'expression') verdict.unknown(`${c.label} capabilities.drop`);
        else verdict.expect(drop.includes('ALL'), `${c.label}: capabilities.drop does not include ALL`);
        const add = stringList(capabilities.add);
        if (add === 'expression') verdict.unknown(`${c.label} capabilities.add`);
        else verdict.expect(add.length === 0, `${c.label}: capabilities.add is ${JSON.stringify(add)}`);
      }
      return verdict.result();
    });
  },
};
