import { ANY_IPV4 } from '../../../core/ports-defaults';
import { block, blocks, isExpression, stringList } from '../../../model/json';
import { Verdict } from '../../verdict';
import type { JsonObject, ResourceEntry, SynthesizedStack } from '../../../model/stack';
import type { Evaluation, Rule } from '../../rule';
import { byNamespace, mcpScope, NETWORK_POLICY_TYPES } from '../../../model/pods';

/** A selector that selects every pod: no labels and no expressions. */
function selectsAll(selector: unknown): boolean {
  const s = block(selector);
  return Object.keys(block(s.match_labels)).length === 0 && blocks(s.match_expressions).length === 0;
}

/** The policy types, as Kubernetes infers them when unset. */
function policyTypes(spec: JsonObject): string[] | 'expression' {
  if (spec.policy_types === undefined) return blocks(spec.egress).length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
  return stringList(spec.policy_types);
}

/** Which directions a policy denies for every pod of its namespace. */
function denies(spec: JsonObject): { ingress: boolean; egress: boolean } | 'expression' {
  const types = policyTypes(spec);
  if (types === 'expression') return 'expression';
  if (!selectsAll(spec.pod_selector)) return { ingress: false, egress: false };
  return {
    ingress: types.includes('Ingress') && blocks(spec.ingress).length === 0,
    egress: types.includes('Egress') && blocks(spec.egress).length === 0,
  };
}

const ANY_ADDRESS = new Set([ANY_IPV4, '::/0']);

/** Rules that allow everything undo a default deny: an ingress or egress rule to or from anywhere. */
function allowAllProblems(spec: JsonObject): string[] {
  const problems: string[] = [];
  const open = (peers: JsonObject[]): boolean =>
    peers.length === 0 ||
    peers.some((p) => {
      const ip = block(p.ip_block);
      return ANY_ADDRESS.has(String(ip.cidr)) && stringList(ip.except).length === 0;
    });
  blocks(spec.ingress).forEach((rule, i) => {
    if (open(blocks(rule.from))) problems.push(`ingress rule ${i} allows every source`);
  });
  blocks(spec.egress).forEach((rule, i) => {
    if (open(blocks(rule.to)) && blocks(rule.ports).length === 0)
      problems.push(`egress rule ${i} allows every destination and port`);
  });
  return problems;
}

/** MCP-K8S-7: every MCP namespace denies all traffic by default. */
export const MCP_K8S_7: Rule = {
  id: 'MCP-K8S-7',
  level: 'error',
  layer: 'ports',
  cause: 'an MCP namespace lacks a default-deny network policy for ingress and egress, or a policy allows everything',
  explanation:
    "Network policies are allow-lists only once a policy selects a pod. Each MCP namespace (named `mcp-<tenant>`, or holding an MCP pod) needs a policy that selects every pod (empty pod selector) with policy types Ingress and Egress and no rules, so that nothing reaches the pod and the pod reaches only what a further egress policy allows (DNS, Cloudflare's tunnel ports and HTTPS on public addresses, Vault). A policy in that namespace with an ingress rule from anywhere, or an egress rule to anywhere on every port, undoes the default deny and is refused too.",
  evaluate(stack: SynthesizedStack): Evaluation[] {
    const { namespaces, mcpNamespaceKeys } = mcpScope(stack);
    if (mcpNamespaceKeys.size === 0) return [];
    const policies = byNamespace(stack, NETWORK_POLICY_TYPES, namespaces);
    const results: Evaluation[] = [];
    for (const [key, address] of mcpNamespaceKeys) {
      const verdict = new Verdict(address);
      const inNamespace: ResourceEntry[] = policies.get(key) ?? [];
      let ingress = false;
      let egress = false;
      let unknown = false;
      for (const policy of inNamespace) {
        const d = denies(block(policy.body.spec));
        if (d === 'expression') unknown = true;
        else {
          ingress ||= d.ingress;
          egress ||= d.egress;
        }
      }
      const missing = [...(ingress ? [] : ['ingress']), ...(egress ? [] : ['egress'])];
      if (missing.length > 0 && unknown) verdict.unknown(`policy_types of a network policy in namespace '${key}'`);
      else for (const direction of missing) verdict.fail(`namespace '${key}' has no default-deny ${direction} policy`);
      results.push(verdict.result());
      for (const policy of inNamespace) {
        const p = new Verdict(policy.address);
        for (const problem of allowAllProblems(block(policy.body.spec))) p.fail(problem);
        if (isExpression(policy.body.spec)) p.unknown('spec');
        results.push(p.result());
      }
    }
    return results;
  },
};
