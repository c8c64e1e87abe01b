import { POD_SECURITY_LEVEL } from '../../../core/ports-defaults';
import { block, isExpression } from '../../../model/json';
import { Verdict } from '../../verdict';
import type { JsonObject, SynthesizedStack } from '../../../model/stack';
import { type Evaluation, type Rule, undecided } from '../../rule';
import { NamespaceIndex, namespaceIndex, POD_SECURITY_ENFORCE_LABEL, workloads } from '../../../model/pods';

/** Judges a labels map's Pod Security enforce level. */
function judgeEnforce(verdict: Verdict, labels: JsonObject, what: string): void {
  const enforce = labels[POD_SECURITY_ENFORCE_LABEL];
  if (isExpression(enforce)) verdict.unknown(`${what} label ${POD_SECURITY_ENFORCE_LABEL}`);
  else if (enforce === undefined) verdict.fail(`${what} has no ${POD_SECURITY_ENFORCE_LABEL} label`);
  else
    verdict.expect(
      enforce === POD_SECURITY_LEVEL,
      `${what} enforces Pod Security '${String(enforce)}', not '${POD_SECURITY_LEVEL}'`,
    );
}

/** A workload's namespace: not `default`; judged as a declared namespace, or by the labels the stack gives it. */
function judgeWorkloadNamespace(
  address: string,
  key: string,
  namespaces: NamespaceIndex,
  labelled: ReadonlyMap<string, JsonObject>,
): Evaluation {
  const verdict = new Verdict(address);
  const labels = labelled.get(key);
  if (key === 'default') {
    verdict.fail("it runs in the 'default' namespace");
  } else if (namespaces.resourceOf(key)) {
    // A declared namespace is judged on its own address.
  } else if (NamespaceIndex.isUnresolvedKey(key)) {
    verdict.unknown('metadata.namespace');
  } else if (labels) {
    judgeEnforce(verdict, labels, `namespace '${key}'`);
  } else {
    return undecided(
      address,
      `namespace '${key}' is not declared or labelled in this stack: its Pod Security level is unknown`,
    );
  }
  return verdict.result();
}

/** MCP-K8S-1: workloads run in a namespace of their own that enforces Pod Security `restricted`. */
export const MCP_K8S_1: Rule = {
  id: 'MCP-K8S-1',
  level: 'error',
  layer: 'ports',
  cause: 'a namespace does not enforce Pod Security restricted, or a workload runs in the default namespace',
  explanation:
    "Pod Security admission is the cluster's own check that a pod keeps to the restricted profile, whatever its manifest says later. Every namespace the stack declares must carry the label `pod-security.kubernetes.io/enforce: restricted` (pin its version with `enforce-version`, and add `audit` and `warn`), and no workload may run in `default`, which is shared and not labelled. A workload in a namespace the stack does not declare is undecided unless a `kubernetes_labels` resource in the stack labels that namespace. Give each tenant its namespace `mcp-<tenant>` with the labels, as `LoopbackMcpDeployment` does.",
  evaluate(stack: SynthesizedStack): Evaluation[] {
    const results: Evaluation[] = [];
    const namespaces = namespaceIndex(stack);
    for (const [key, entry] of namespaces.entries()) {
      const verdict = new Verdict(entry.address);
      verdict.expect(key !== 'default', "the namespace is 'default'");
      judgeEnforce(verdict, block(block(entry.body.metadata).labels), 'the namespace');
      results.push(verdict.result());
    }
    // Namespaces declared elsewhere but labelled by this stack.
    const labelled = new Map<string, JsonObject>();
    for (const entry of stack.ofType('kubernetes_labels')) {
      if (entry.body.kind === 'Namespace') {
        const name = block(entry.body.metadata).name;
        if (typeof name === 'string') labelled.set(name, block(entry.body.labels));
      }
    }
    for (const workload of workloads(stack)) {
      const key = namespaces.keyOf(workload.namespace);
      results.push(judgeWorkloadNamespace(workload.entry.address, key, namespaces, labelled));
    }
    return results;
  },
};
