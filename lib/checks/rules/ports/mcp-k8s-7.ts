import { block, blocks, isExpression } from '../../../model/json';
import type { JsonObject, SynthesizedStack } from '../../../model/stack';
import { groupByNamespace, mcpScope, networkPolicies } from '../../../model/pods';
import { Verdict } from '../../verdict';
import type { Evaluation, Rule } from '../../rule';
import { literal, literalList, UNREADABLE } from './read';

/** A selector that selects every pod: no labels and no expressions. */
function selectsAll(selector: unknown): boolean {
  const s = block(selector);
  return Object.keys(block(s.match_labels)).length === 0 && blocks(s.match_expressions).length === 0;
}

/** Which directions a policy denies for every pod of its namespace (UNREADABLE when it cannot tell; recorded). */
function denies(
  stack: SynthesizedStack,
  verdict: Verdict,
  spec: JsonObject,
): { ingress: boolean; egress: boolean } | typeof UNREADABLE {
  if (isExpression(spec.pod_selector))
    return literal(stack, verdict, 'pod_selector', spec.pod_selector) as typeof UNREADABLE;
  if (!selectsAll(spec.pod_selector)) return { ingress: false, egress: false };
  const written =
    spec.policy_types === undefined ? undefined : literalList(stack, verdict, 'policy_types', spec.policy_types);
  if (written === UNREADABLE) return UNREADABLE;
  // Kubernetes infers the types when unset: Ingress always, Egress when there are egress rules.
  const types = written ?? (blocks(spec.egress).length > 0 ? ['Ingress', 'Egress'] : ['Ingress']);
  return {
    ingress: types.includes('Ingress') && blocks(spec.ingress).length === 0 && !isExpression(spec.ingress),
    egress: types.includes('Egress') && blocks(spec.egress).length === 0 && !isExpression(spec.egress),
  };
}

/** MCP-K8S-7: every MCP namespace denies all traffic by default. */
export const MCP_K8S_7: Rule = {
  id: 'MCP-K8S-7',
  level: 'error',
  layer: 'ports',
  cause: 'an MCP namespace lacks a default-deny network policy for ingress and egress',
  explanation:
    "Network policies are allow-lists only once a policy selects a pod. Each MCP namespace (named `mcp-<tenant>`, or holding an MCP pod) needs a policy that selects every pod (empty pod selector) with policy types Ingress and Egress and no rules, so that nothing reaches the pod and the pod reaches only what a further egress policy allows. Policies declared through `kubernetes_manifest` (kind NetworkPolicy of networking.k8s.io) count too. What the other policies of the namespace may allow is MCP-K8S-10's concern.",
  requires: [
    'in each MCP namespace a network policy with an empty pod selector, policy types Ingress and Egress, and no ingress or egress rules (or one such policy per direction)',
  ],
  fix: 'keep the default-deny network policy LoopbackMcpDeployment creates in each tenant namespace (empty pod selector, policy types Ingress and Egress, no rules)',
  evaluate(stack: SynthesizedStack): Evaluation[] {
    const { namespaces, mcpNamespaceKeys } = mcpScope(stack);
    if (mcpNamespaceKeys.size === 0) return [];
    const policies = groupByNamespace(networkPolicies(stack), namespaces);
    const results: Evaluation[] = [];
    for (const [key, address] of mcpNamespaceKeys) {
      const verdict = new Verdict(address);
      const unknowns = new Verdict(address);
      let ingress = false;
      let egress = false;
      for (const policy of policies.get(key) ?? []) {
        const d = denies(stack, unknowns, block(policy.body.spec));
        if (d === UNREADABLE) continue;
        ingress ||= d.ingress;
        egress ||= d.egress;
      }
      const missing = [...(ingress ? [] : ['ingress']), ...(egress ? [] : ['egress'])];
      const undecidedWhy = unknowns.result().detail;
      if (missing.length > 0 && undecidedWhy !== undefined) verdict.undecided(`in namespace '${key}': ${undecidedWhy}`);
      else for (const direction of missing) verdict.fail(`namespace '${key}' has no default-deny ${direction} policy`);
      results.push(verdict.result());
    }
    return results;
  },
};
