import { ALLOWED_RBAC_VERBS, REFUSED_RBAC_RESOURCES } from '../../../core/ports-defaults';
import { block, blocks } from '../../../model/json';
import type { SynthesizedStack } from '../../../model/stack';
import {
  CLUSTER_ROLE_BINDING_TYPES,
  CLUSTER_ROLE_TYPES,
  kubeObjects,
  type KubeObject,
  mcpScope,
  namespaceIndex,
  ROLE_BINDING_TYPES,
  ROLE_TYPES,
} from '../../../model/pods';
import { Verdict } from '../../verdict';
import type { Evaluation, Rule } from '../../rule';
import { literal, literalList, shown, UNREADABLE } from './read';

const RBAC_GROUP = 'rbac.authorization.k8s.io';
/** Groups that hold every service account of a namespace, or of the cluster. */
const SERVICE_ACCOUNT_GROUP_PREFIX = 'system:serviceaccounts:';
const CLUSTER_GROUPS_WITH_SERVICE_ACCOUNTS = new Set(['system:serviceaccounts', 'system:authenticated']);

/** Why a binding concerns an MCP namespace (its own namespace or a subject there), or undefined. */
function mcpReason(
  stack: SynthesizedStack,
  verdict: Verdict,
  binding: KubeObject,
  clusterWide: boolean,
  isMcpNamespace: (key: string) => boolean,
): string | undefined | typeof UNREADABLE {
  const namespaces = namespaceIndex(stack);
  if (!clusterWide) {
    const key = namespaces.keyOf(binding.metadata.namespace);
    if (literal(stack, verdict, 'metadata.namespace', key) === UNREADABLE) return UNREADABLE;
    if (isMcpNamespace(key)) return `it is in MCP namespace '${key}'`;
  }
  for (const subject of blocks(binding.body.subject)) {
    const kind = literal(stack, verdict, 'subject kind', subject.kind);
    const name = literal(stack, verdict, 'subject name', subject.name);
    if (kind === UNREADABLE || name === UNREADABLE) return UNREADABLE;
    if (kind === 'ServiceAccount') {
      const key = namespaces.keyOf(subject.namespace ?? binding.metadata.namespace);
      if (literal(stack, verdict, 'subject namespace', key) === UNREADABLE) return UNREADABLE;
      if (isMcpNamespace(key)) return `its subject is service account ${shown(name)} of MCP namespace '${key}'`;
    } else if (kind === 'Group' && typeof name === 'string') {
      if (CLUSTER_GROUPS_WITH_SERVICE_ACCOUNTS.has(name))
        return `its subject group ${shown(name)} holds the MCP service accounts`;
      if (
        name.startsWith(SERVICE_ACCOUNT_GROUP_PREFIX) &&
        isMcpNamespace(name.slice(SERVICE_ACCOUNT_GROUP_PREFIX.length))
      ) {
        return `its subject group ${shown(name)} holds the service accounts of an MCP namespace`;
      }
    }
  }
  return undefined;
}

/** The roles of the app a role_ref names: Roles in the binding's namespace, or ClusterRoles. */
function rolesNamed(stack: SynthesizedStack, kind: string, name: string, namespace: string | undefined): KubeObject[] {
  const found: KubeObject[] = [];
  for (const member of [stack, ...stack.app.stacks.filter((s) => s !== stack)]) {
    const index = namespaceIndex(member);
    const candidates =
      kind === 'Role'
        ? kubeObjects(member, ROLE_TYPES, ['Role'])
        : kubeObjects(member, CLUSTER_ROLE_TYPES, ['ClusterRole']);
    for (const role of candidates) {
      if (role.metadata.name !== name) continue;
      if (kind === 'Role' && index.keyOf(role.metadata.namespace) !== namespace) continue;
      found.push(role);
    }
  }
  return found;
}

/** What a role grants: refused verbs, resources, groups and URLs, or aggregation. */
function judgeRole(stack: SynthesizedStack, verdict: Verdict, role: KubeObject, what: string): void {
  if (role.body.aggregation_rule !== undefined) {
    verdict.fail(`${what} aggregates other cluster roles, so what it grants cannot be shown`);
  }
  blocks(role.body.rule).forEach((rule, i) => {
    const at = `${what} rule ${i}`;
    const verbs = literalList(stack, verdict, `${at} verbs`, rule.verbs);
    const resources = literalList(stack, verdict, `${at} resources`, rule.resources);
    const groups = literalList(stack, verdict, `${at} api_groups`, rule.api_groups);
    const urls = literalList(stack, verdict, `${at} non_resource_urls`, rule.non_resource_urls);
    if (verbs !== UNREADABLE) {
      const refused = verbs.filter((v) => !ALLOWED_RBAC_VERBS.includes(v));
      if (refused.length > 0) verdict.fail(`${at} grants verbs ${JSON.stringify(refused)}`);
    }
    if (resources !== UNREADABLE) {
      const refused = resources.filter((r) => r.includes('*') || REFUSED_RBAC_RESOURCES.includes(r.toLowerCase()));
      if (refused.length > 0) verdict.fail(`${at} grants resources ${JSON.stringify(refused)}`);
    }
    if (groups !== UNREADABLE && groups.includes('*')) verdict.fail(`${at} grants every API group ('*')`);
    if (urls !== UNREADABLE && urls.some((u) => u.includes('*')))
      verdict.fail(`${at} grants non-resource URLs ${JSON.stringify(urls)}`);
  });
}

/** MCP-K8S-12: no binding that concerns an MCP namespace grants a way into its pods, its secrets, or anything unbounded. */
export const MCP_K8S_12: Rule = {
  id: 'MCP-K8S-12',
  level: 'error',
  layer: 'ports',
  cause:
    'a role binding in an MCP namespace (or for its service accounts) grants exec, attach, port-forward, secrets or a wildcard, or binds a role the app does not declare',
  explanation:
    "A role that lets someone exec into, attach to or port-forward to an MCP pod reaches the MCP server's loopback listener without Cloudflare Access or Okta; one that reads secrets reads the tunnel token and the audit writer's keys; one that mints tokens for the MCP service account logs in to Vault as the tenant. The library binds no role. A binding concerns an MCP namespace when it sits in one (`kubernetes_role_binding`, or a manifest of kind RoleBinding) or when one of its subjects is a service account of one (or the group of all service accounts: `system:serviceaccounts`, `system:serviceaccounts:mcp-<t>`, `system:authenticated`) — cluster role bindings included. Its role_ref is followed to the Role or ClusterRole the app declares (typed or manifest, in any stack of the app) and every rule is judged: verbs only from get, list, watch, create, update, patch, delete and deletecollection (never `*`, escalate, bind or impersonate), resources and API groups named without wildcards, and none of secrets, pods/exec, pods/attach, pods/portforward, pods/proxy, pods/ephemeralcontainers, services/proxy, nodes/proxy or serviceaccounts/token. A role the app does not declare (`admin`, `edit`, `cluster-admin`, ...) cannot be shown safe and is refused, as is an aggregated cluster role.",
  requires: [
    'a binding in an MCP namespace, or for a subject of one, names a Role or ClusterRole (rbac.authorization.k8s.io) that a stack of the app declares',
    'every rule of that role grants only get, list, watch, create, update, patch, delete or deletecollection',
    'no rule grants *, secrets, pods/exec, pods/attach, pods/portforward, pods/proxy, pods/ephemeralcontainers, services/proxy, nodes/proxy or serviceaccounts/token, or every API group',
    'no aggregated cluster role',
  ],
  fix: 'bind no role in an MCP namespace (the library binds none); if one is needed, bind a role declared in the app whose rules name explicit verbs and resources, none of secrets, pods/exec, pods/attach or pods/portforward',
  evaluate(stack: SynthesizedStack): Evaluation[] {
    const { isMcpNamespace } = mcpScope(stack);
    const namespaces = namespaceIndex(stack);
    const results: Evaluation[] = [];
    const bindings: [KubeObject, boolean][] = [
      ...kubeObjects(stack, ROLE_BINDING_TYPES, ['RoleBinding']).map((b): [KubeObject, boolean] => [b, false]),
      ...kubeObjects(stack, CLUSTER_ROLE_BINDING_TYPES, ['ClusterRoleBinding']).map((b): [KubeObject, boolean] => [
        b,
        true,
      ]),
    ];
    for (const [binding, clusterWide] of bindings) {
      const verdict = new Verdict(binding.entry.address);
      const reason = mcpReason(stack, verdict, binding, clusterWide, isMcpNamespace);
      if (reason === undefined) continue;
      if (reason !== UNREADABLE) {
        const ref = block(binding.body.role_ref);
        const kind = literal(stack, verdict, 'role_ref.kind', ref.kind);
        const name = literal(stack, verdict, 'role_ref.name', ref.name);
        const group = literal(stack, verdict, 'role_ref.api_group', ref.api_group);
        if (kind !== UNREADABLE && name !== UNREADABLE && group !== UNREADABLE) {
          const what = `${String(kind)} ${shown(name)}`;
          if ((kind !== 'Role' && kind !== 'ClusterRole') || (group !== undefined && group !== RBAC_GROUP)) {
            verdict.fail(`${reason}, and it binds ${what} of ${shown(group)}, not an RBAC role`);
          } else {
            const namespace = clusterWide ? undefined : namespaces.keyOf(binding.metadata.namespace);
            const roles = rolesNamed(stack, kind, String(name), namespace);
            if (roles.length === 0) {
              verdict.fail(
                `${reason}, and it binds ${what}, which no stack of the app declares: what it grants cannot be shown`,
              );
            }
            for (const role of roles) judgeRole(stack, verdict, role, `${reason}; ${what}`);
          }
        }
      }
      results.push(verdict.result());
    }
    return results;
  },
};
