import { ADDONS_ANNOTATION, DECLARED_CONTAINER_NAMES, MCP_DEPLOYMENT_NAME } from '../../../core/ports-defaults';
import { block, blocks, isExpression } from '../../../model/json';
import type { SynthesizedStack } from '../../../model/stack';
import { mcpScope, resolvedBody, type WorkloadView } from '../../../model/pods';
import { Verdict } from '../../verdict';
import type { Evaluation, Rule } from '../../rule';
import { literal, shown, UNREADABLE, workloadVerdict } from './read';

const CONTAINER_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DEPLOYMENT_TYPES = new Set(['kubernetes_deployment', 'kubernetes_deployment_v1']);

/** The container names an addons annotation lists, or UNREADABLE (recorded). */
export function addonNames(stack: SynthesizedStack, verdict: Verdict, value: unknown): string[] | typeof UNREADABLE {
  const text = literal(stack, verdict, `annotation ${ADDONS_ANNOTATION}`, value);
  if (text === UNREADABLE) return UNREADABLE;
  if (text === undefined) return [];
  const names = String(text)
    .split(',')
    .map((n) => n.trim())
    .filter((n) => n !== '');
  for (const name of names) {
    if (!CONTAINER_NAME.test(name))
      verdict.fail(`annotation ${ADDONS_ANNOTATION} names ${shown(name)}, not a container name`);
  }
  return names;
}

/** The library's own workload of an MCP namespace: the Deployment named mcp-server. */
function isPrimary(workload: WorkloadView): boolean {
  return DEPLOYMENT_TYPES.has(workload.entry.type) && workload.name === MCP_DEPLOYMENT_NAME;
}

function judgeContainers(stack: SynthesizedStack, workload: WorkloadView): Verdict {
  const verdict = workloadVerdict(workload);
  const addons = addonNames(stack, verdict, workload.podAnnotations[ADDONS_ANNOTATION]);
  const seen = new Set<string>();
  for (const c of workload.containers) {
    if (isExpression(c.name)) {
      literal(stack, verdict, `the name of a ${c.kind === 'container' ? 'container' : 'init container'}`, c.name);
      continue;
    }
    if (seen.has(c.name)) verdict.fail(`${c.label} appears more than once`);
    seen.add(c.name);
    if (addons === UNREADABLE) continue;
    if (c.kind === 'init_container') {
      verdict.expect(addons.includes(c.name), `${c.label} is not named in annotation ${ADDONS_ANNOTATION}`);
    } else {
      verdict.expect(
        DECLARED_CONTAINER_NAMES.includes(c.name) || addons.includes(c.name),
        `${c.label} is not one the library declares (${DECLARED_CONTAINER_NAMES.join(', ')}) nor named in annotation ${ADDONS_ANNOTATION}${addons.length > 0 ? ` (${addons.join(', ')})` : ''}`,
      );
    }
  }
  for (const ephemeral of blocks(workload.pod.ephemeral_container)) {
    verdict.fail(`ephemeral container ${shown(ephemeral.name)} is declared`);
  }
  return verdict;
}

/** MCP-K8S-11: only the containers the library declares run in an MCP pod, and one workload per MCP namespace. */
export const MCP_K8S_11: Rule = {
  id: 'MCP-K8S-11',
  level: 'error',
  layer: 'ports',
  cause:
    'an MCP pod runs a container the library does not declare, or an MCP namespace runs another workload, or the pod template is patched from outside',
  explanation:
    "Every container of an MCP pod shares its loopback interface, where the MCP server listens without a network boundary, and its volumes. So only the containers the library declares may run there: the MCP server (`mcp-server`), `cloudflared`, the audit shipper (`audit-shipper`), and the containers of named addons. An addon's containers are allowed only when the pod template's annotation `mcp-access.io/addons` lists their names (comma-separated): `LoopbackMcpDeployment` writes it from the `addons` prop, so adding an addon changes that annotation as well as the pod, and a review shows both; an addon's containers must still pass every other pod rule. An init container is allowed only when the annotation names it, a container name may appear once, and no ephemeral container may be declared. An MCP namespace runs one workload, the Deployment `mcp-server`; any other workload there (typed or through `kubernetes_manifest`) is refused, as is a `kubernetes_annotations` that patches the pod template annotations of a workload in an MCP namespace (it could rewrite the addon list or the AppArmor profile outside the pod's declaration).",
  requires: [
    'containers of an MCP pod named mcp-server, cloudflared, audit-shipper, or listed in the pod template annotation mcp-access.io/addons',
    'init containers only when listed in mcp-access.io/addons; no ephemeral containers; each container name once',
    'one workload per MCP namespace: the Deployment mcp-server',
    'no kubernetes_annotations with template_annotations on a workload of an MCP namespace',
  ],
  fix: 'add containers only as addons (LoopbackMcpDeployment addons, which it names in the mcp-access.io/addons annotation); add no other workload to an MCP namespace and do not override the containers or the pod template annotations',
  evaluate(stack: SynthesizedStack): Evaluation[] {
    const { namespaces, mcpWorkloads, isMcpNamespace } = mcpScope(stack);
    const results: Evaluation[] = [];
    const byNamespace = new Map<string, WorkloadView[]>();
    for (const workload of mcpWorkloads) {
      const key = namespaces.keyOf(workload.namespace);
      byNamespace.set(key, [...(byNamespace.get(key) ?? []), workload]);
    }
    for (const [key, inNamespace] of byNamespace) {
      const primary = inNamespace.find(isPrimary) ?? (inNamespace.length === 1 ? inNamespace[0] : undefined);
      for (const workload of inNamespace) {
        const verdict = judgeContainers(stack, workload);
        if (workload !== primary && inNamespace.length > 1) {
          verdict.fail(
            `it is one of ${inNamespace.length} workloads in MCP namespace '${key}', where the library declares one (the Deployment ${MCP_DEPLOYMENT_NAME})`,
          );
        }
        results.push(verdict.result());
      }
    }
    for (const entry of stack.ofType('kubernetes_annotations')) {
      const body = resolvedBody(stack, entry);
      if (body.template_annotations === undefined) continue;
      const verdict = new Verdict(entry.address);
      const key = namespaces.keyOf(block(body.metadata).namespace);
      if (literal(stack, verdict, 'metadata.namespace', key) !== UNREADABLE && isMcpNamespace(key)) {
        verdict.fail(
          `it patches the pod template annotations of ${shown(body.kind)} ${shown(block(body.metadata).name)} in MCP namespace '${key}'`,
        );
      }
      results.push(verdict.result());
    }
    return results;
  },
};
