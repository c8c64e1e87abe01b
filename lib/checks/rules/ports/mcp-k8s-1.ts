import {
  POD_SECURITY_LABEL_PREFIX,
  POD_SECURITY_LEVEL,
  POD_SECURITY_MODES,
  POD_SECURITY_VERSION,
} from '../../../core/ports-defaults';
import { block, isExpression, isObject } from '../../../model/json';
import type { JsonObject, SynthesizedStack } from '../../../model/stack';
import {
  manifests,
  mcpScope,
  namespaceDeclaredInApp,
  NamespaceIndex,
  resolvedBody,
  workloads,
} from '../../../model/pods';
import { Verdict } from '../../verdict';
import { type Evaluation, type Rule, undecided } from '../../rule';
import { literal, shown, UNREADABLE } from './read';

const VERBS: Readonly<Record<string, string>> = { enforce: 'enforces', audit: 'audits', warn: 'warns on' };
const VERSION = /^v1\.(\d+)$/;
const PINNED_MINOR = Number(VERSION.exec(POD_SECURITY_VERSION)?.[1]);
const KNOWN_LABELS = new Set(POD_SECURITY_MODES.flatMap((m) => [m, `${m}-version`]));

/** Why a Pod Security version label lowers the level, or undefined when it does not. */
export function versionProblem(version: string): string | undefined {
  if (version === 'latest') return undefined;
  const m = VERSION.exec(version);
  if (!m) return `is '${version}', not a Kubernetes version (v1.<minor>) or latest`;
  if (Number(m[1]) < PINNED_MINOR) {
    return `is '${version}', older than the pinned ${POD_SECURITY_VERSION} (an older restricted profile lacks checks added since)`;
  }
  return undefined;
}

/**
 * Judges the Pod Security labels of a labels map. `complete` for a namespace's own labels (a missing
 * enforce label is a problem, and for an MCP namespace a missing audit or warn label too); a resource
 * that only adds labels (`kubernetes_labels`) is judged on the labels it sets.
 */
function judgeLabels(
  stack: SynthesizedStack,
  verdict: Verdict,
  labelsValue: unknown,
  what: string,
  mcp: boolean,
  complete: boolean,
): void {
  const labels = literal(stack, verdict, `${what} labels`, labelsValue);
  if (labels === UNREADABLE) return;
  const map: JsonObject = isObject(labels) ? labels : {};
  for (const mode of POD_SECURITY_MODES) {
    const key = `${POD_SECURITY_LABEL_PREFIX}/${mode}`;
    const level = literal(stack, verdict, `${what} label ${key}`, map[key]);
    if (level === UNREADABLE) continue;
    if (level === undefined) {
      if (complete && (mode === 'enforce' || mcp)) verdict.fail(`${what} has no ${key} label`);
    } else if (level !== POD_SECURITY_LEVEL) {
      verdict.fail(`${what} ${VERBS[mode]} Pod Security ${shown(level)}, not '${POD_SECURITY_LEVEL}'`);
    }
    const versionKey = `${key}-version`;
    const version = literal(stack, verdict, `${what} label ${versionKey}`, map[versionKey]);
    if (version === UNREADABLE || version === undefined) continue;
    const problem = versionProblem(String(version));
    if (problem) verdict.fail(`${what} label ${versionKey} ${problem}`);
  }
  for (const key of Object.keys(map)) {
    if (!key.startsWith(`${POD_SECURITY_LABEL_PREFIX}/`)) continue;
    const name = key.slice(POD_SECURITY_LABEL_PREFIX.length + 1);
    if (!KNOWN_LABELS.has(name)) verdict.fail(`${what} sets ${key}, which is not a Pod Security admission label`);
  }
}

/** A workload's namespace: not `default`; declared in the app, or labelled by this stack. */
function judgeWorkloadNamespace(
  stack: SynthesizedStack,
  address: string,
  key: string,
  labelled: ReadonlyMap<string, JsonObject>,
): Evaluation {
  const verdict = new Verdict(address);
  if (key === 'default') {
    verdict.fail("it runs in the 'default' namespace");
  } else if (NamespaceIndex.isUnresolvedKey(key)) {
    literal(stack, verdict, 'metadata.namespace', key);
  } else if (namespaceDeclaredInApp(stack, key)) {
    // A declared namespace is judged on its own address (in the stack that declares it).
  } else if (labelled.has(key)) {
    const labels = labelled.get(key)!;
    const enforce = labels[`${POD_SECURITY_LABEL_PREFIX}/enforce`];
    // What the labels say is judged on the kubernetes_labels resource; here only that enforce is set.
    if (enforce === undefined) verdict.fail(`namespace '${key}' has no ${POD_SECURITY_LABEL_PREFIX}/enforce label`);
  } else {
    return undecided(
      address,
      `namespace '${key}' is not declared in the app or labelled in this stack: its Pod Security level is unknown`,
    );
  }
  return verdict.result();
}

/** MCP-K8S-1: workloads run in a namespace of their own that enforces Pod Security `restricted`. */
export const MCP_K8S_1: Rule = {
  id: 'MCP-K8S-1',
  level: 'error',
  layer: 'ports',
  cause:
    'a namespace does not enforce Pod Security restricted, a resource weakens its Pod Security labels, or a workload runs in the default namespace',
  explanation:
    "Pod Security admission is the cluster's own check that a pod keeps to the restricted profile, whatever its manifest says later. Every namespace the app declares (`kubernetes_namespace`, or a `kubernetes_manifest` of kind Namespace) must carry `pod-security.kubernetes.io/enforce: restricted`; an MCP namespace (`mcp-<tenant>`, or one holding an MCP pod) also `audit` and `warn` restricted. No resource may set these labels to anything else: a `kubernetes_labels` of kind Namespace, or a manifest of the namespace, is judged on every Pod Security label it sets. A version label (`<mode>-version`) may be absent, `latest`, or the pinned v1.33 or a later version: an older version applies an older restricted profile, which lacks checks added since (the check that no container runs as UID 0 came in v1.23), so it lowers the level; a later one only adds checks. Annotations play no part in Pod Security admission, so `kubernetes_annotations` cannot weaken it. No workload may run in `default`, which is shared and not labelled; a workload in a namespace that no stack of the app declares and this stack does not label is undecided. A `kubernetes_manifest` whose manifest or kind cannot be read may declare a namespace or a workload, so it is undecided too.",
  requires: [
    'every namespace the app declares carries pod-security.kubernetes.io/enforce: restricted',
    'an MCP namespace also carries pod-security.kubernetes.io/audit: restricted and pod-security.kubernetes.io/warn: restricted',
    'a version label (enforce-version, audit-version, warn-version) is absent, latest, or v1.33 or later',
    'a kubernetes_labels or kubernetes_manifest that labels a namespace sets each Pod Security label to one of these values, and no other pod-security.kubernetes.io label',
    "every workload runs in a namespace other than 'default' that a stack of the app declares or this stack labels",
    'every kubernetes_manifest has a literal manifest and kind',
  ],
  fix: 'keep the namespace LoopbackMcpDeployment creates (Pod Security restricted enforced, audited and warned at v1.33) and do not override or relabel its pod-security.kubernetes.io labels (kubernetes_labels, kubernetes_manifest); run every workload in a namespace of its own that enforces restricted',
  evaluate(stack: SynthesizedStack): Evaluation[] {
    const results: Evaluation[] = [];
    const { namespaces, isMcpNamespace } = mcpScope(stack);
    for (const [key, object] of namespaces.objects()) {
      const verdict = new Verdict(object.entry.address);
      if (key === object.entry.address) literal(stack, verdict, 'metadata.name', object.metadata.name);
      verdict.expect(key !== 'default', "the namespace is 'default'");
      judgeLabels(stack, verdict, object.metadata.labels, 'the namespace', isMcpNamespace(key), true);
      results.push(verdict.result());
    }
    // Labels added to a namespace (declared here or elsewhere) by kubernetes_labels.
    const labelled = new Map<string, JsonObject>();
    for (const entry of stack.ofType('kubernetes_labels')) {
      const body = resolvedBody(stack, entry);
      const verdict = new Verdict(entry.address);
      const labels = block(body.labels);
      const setsPodSecurity =
        isExpression(body.labels) || Object.keys(labels).some((k) => k.startsWith(`${POD_SECURITY_LABEL_PREFIX}/`));
      const kind = literal(stack, setsPodSecurity ? verdict : new Verdict(entry.address), 'kind', body.kind);
      if (kind === 'Namespace' || (kind === UNREADABLE && setsPodSecurity)) {
        const name = literal(stack, verdict, 'metadata.name', block(body.metadata).name);
        const what = name === UNREADABLE ? 'the namespace it labels' : `namespace ${shown(name)}`;
        judgeLabels(stack, verdict, body.labels, what, typeof name === 'string' && isMcpNamespace(name), false);
        if (typeof name === 'string' && name !== '' && !isExpression(name)) labelled.set(name, labels);
      }
      results.push(verdict.result());
    }
    for (const workload of workloads(stack)) {
      const key = namespaces.keyOf(workload.namespace);
      results.push(judgeWorkloadNamespace(stack, workload.entry.address, key, labelled));
    }
    for (const m of manifests(stack)) {
      if (m.unreadable)
        results.push(undecided(m.entry.address, `${m.unreadable}: it may declare a namespace or a workload`));
    }
    return results;
  },
};
