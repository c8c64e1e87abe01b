/**
 * Workloads declared through `kubernetes_manifest` are judged by the same pod rules as typed ones,
 * and what the rules cannot read (a manifest that is an expression, a `dynamic` block) is undecided.
 */
import type { JsonObject } from '../../../../lib/model/stack';
import type { Rule } from '../../../../lib/checks/rule';
import { MCP_K8S_1 } from '../../../../lib/checks/rules/ports/mcp-k8s-1';
import { MCP_K8S_2 } from '../../../../lib/checks/rules/ports/mcp-k8s-2';
import { MCP_K8S_3 } from '../../../../lib/checks/rules/ports/mcp-k8s-3';
import { MCP_K8S_4 } from '../../../../lib/checks/rules/ports/mcp-k8s-4';
import { MCP_K8S_5 } from '../../../../lib/checks/rules/ports/mcp-k8s-5';
import { MCP_K8S_8 } from '../../../../lib/checks/rules/ports/mcp-k8s-8';
import { MCP_K8S_9 } from '../../../../lib/checks/rules/ports/mcp-k8s-9';
import { MCP_K8S_11 } from '../../../../lib/checks/rules/ports/mcp-k8s-11';
import { DIGEST } from '../../../helpers';
import { addResource, addVariable, evaluate, failures, ownJson, podOf, problems } from './fixture';

const POD_RULES: readonly Rule[] = [MCP_K8S_1, MCP_K8S_2, MCP_K8S_3, MCP_K8S_4, MCP_K8S_5, MCP_K8S_9];

/** A container in Kubernetes API JSON that keeps to the restricted profile. */
function restrictedContainer(name: string, change: JsonObject = {}): JsonObject {
  return {
    name,
    image: `ghcr.io/acme/app@${DIGEST}`,
    resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { memory: '32Mi' } },
    securityContext: {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      runAsUser: 1000,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    },
    ...change,
  };
}

function restrictedPod(container: JsonObject = restrictedContainer('app')): JsonObject {
  return {
    automountServiceAccountToken: false,
    securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [container],
  };
}

/** Each workload kind, wrapping a pod spec as the Kubernetes API does. */
const KINDS: readonly [kind: string, apiVersion: string, wrap: (pod: JsonObject) => JsonObject][] = [
  ['Pod', 'v1', (pod) => ({ spec: pod })],
  ['Deployment', 'apps/v1', (pod) => ({ spec: { template: { spec: pod } } })],
  ['ReplicaSet', 'apps/v1', (pod) => ({ spec: { template: { spec: pod } } })],
  ['StatefulSet', 'apps/v1', (pod) => ({ spec: { serviceName: 'db', template: { spec: pod } } })],
  ['DaemonSet', 'apps/v1', (pod) => ({ spec: { template: { spec: pod } } })],
  ['Job', 'batch/v1', (pod) => ({ spec: { template: { spec: pod } } })],
  [
    'CronJob',
    'batch/v1',
    (pod) => ({ spec: { schedule: '@daily', jobTemplate: { spec: { template: { spec: pod } } } } }),
  ],
  ['Rollout', 'argoproj.io/v1alpha1', (pod) => ({ spec: { template: { spec: pod } } })],
];

/** A stack with a restricted namespace `team-a` and one manifest of a kind. */
function stackWith(kind: string, apiVersion: string, body: JsonObject, namespace = 'team-a'): JsonObject {
  return {
    resource: {
      kubernetes_namespace_v1: {
        team: {
          metadata: { name: 'team-a', labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } },
        },
      },
      kubernetes_manifest: {
        app: { manifest: { apiVersion, kind, metadata: { name: 'app', namespace }, ...body } },
      },
    },
  };
}

describe('workloads declared through kubernetes_manifest', () => {
  test.each(KINDS)('a restricted %s passes every pod rule', (kind, apiVersion, wrap) => {
    const json = stackWith(kind, apiVersion, wrap(restrictedPod()));
    for (const rule of POD_RULES) {
      const onManifest = evaluate(rule, json).filter((e) => e.address === 'kubernetes_manifest.app');
      expect([rule.id, onManifest]).toEqual([rule.id, [{ address: 'kubernetes_manifest.app', status: 'compliant' }]]);
    }
  });

  test.each(KINDS)('a privileged %s running as root is refused', (kind, apiVersion, wrap) => {
    const container = restrictedContainer('app', {
      securityContext: { privileged: true, runAsUser: 0, allowPrivilegeEscalation: true },
    });
    const json = stackWith(kind, apiVersion, wrap(restrictedPod(container)));
    expect(problems(MCP_K8S_2, json)).toEqual([['non-compliant', "container 'app' is privileged"]]);
    expect(problems(MCP_K8S_4, json)).toEqual([['non-compliant', "container 'app' runs as UID 0"]]);
    expect(problems(MCP_K8S_3, json)).toEqual([
      [
        'non-compliant',
        "container 'app': allow_privilege_escalation is not false; container 'app': read_only_root_filesystem is not true; container 'app': capabilities.drop does not include ALL",
      ],
    ]);
  });

  test('reads camelCase fields by their provider names: hostNetwork, hostPath, ports, initContainers', () => {
    const pod = {
      ...restrictedPod(restrictedContainer('app', { ports: [{ containerPort: 80, hostPort: 80 }] })),
      hostNetwork: true,
      hostPID: true,
      initContainers: [restrictedContainer('init', { securityContext: { privileged: true } })],
      volumes: [{ name: 'root', hostPath: { path: '/' } }],
    };
    const json = stackWith('Pod', 'v1', { spec: pod });
    expect(problems(MCP_K8S_2, json)).toEqual([
      [
        'non-compliant',
        "host_network is true; host_pid is true; container 'app' binds host port 80; init container 'init' is privileged; volume 'root' is of type host_path, outside the restricted list",
      ],
    ]);
  });

  test('a Deployment in the MCP namespace is an MCP workload: its probes, and its being a second workload, are refused', () => {
    const json = ownJson();
    const container = restrictedContainer('helper', {
      livenessProbe: { httpGet: { path: '/', port: 8080 } },
      securityContext: { ...(restrictedContainer('x').securityContext as JsonObject), runAsUser: 0 },
    });
    addResource(json, 'kubernetes_manifest', 'extra', {
      manifest: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'helper', namespace: 'mcp-acme' },
        spec: { template: { spec: restrictedPod(container) } },
      },
    });
    expect(failures(MCP_K8S_4, json)).toEqual([
      { address: 'kubernetes_manifest.extra', status: 'non-compliant', detail: "container 'helper' runs as UID 0" },
    ]);
    expect(failures(MCP_K8S_8, json)).toEqual([
      {
        address: 'kubernetes_manifest.extra',
        status: 'non-compliant',
        detail: "container 'helper' liveness_probe uses http_get",
      },
    ]);
    expect(problems(MCP_K8S_11, json)).toEqual([
      [
        'non-compliant',
        "container 'helper' is not one the library declares (mcp-server, cloudflared, audit-shipper) nor named in annotation mcp-access.io/addons; it is one of 2 workloads in MCP namespace 'mcp-acme', where the library declares one (the Deployment mcp-server)",
      ],
    ]);
  });

  test('undecided: a manifest that is an expression, or whose kind is one', () => {
    const json = ownJson();
    addResource(json, 'kubernetes_manifest', 'file', { manifest: '${yamldecode(file("app.yaml"))}' });
    addResource(json, 'kubernetes_manifest', 'kind', {
      manifest: { apiVersion: 'apps/v1', kind: addVariable(json, 'kind'), metadata: { name: 'x' } },
    });
    expect(failures(MCP_K8S_1, json)).toEqual([
      {
        address: 'kubernetes_manifest.file',
        status: 'undecided',
        detail:
          'its manifest cannot be read (\'${yamldecode(file("app.yaml"))}\' is an expression the rules cannot evaluate): it may declare a namespace or a workload',
      },
      {
        address: 'kubernetes_manifest.kind',
        status: 'undecided',
        detail:
          "the kind of its manifest cannot be read (variable 'kind' has no default: its value comes at plan time): it may declare a namespace or a workload",
      },
    ]);
  });

  test('a manifest held by a variable with a default, or a local, is judged by that value', () => {
    const json = stackWith('Pod', 'v1', {});
    const manifest = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'team-a' },
      spec: restrictedPod(restrictedContainer('app', { securityContext: { privileged: true } })),
    };
    ((json.resource as JsonObject).kubernetes_manifest as JsonObject).app = {
      manifest: addVariable(json, 'pod', manifest),
    };
    expect(problems(MCP_K8S_2, json)).toEqual([['non-compliant', "container 'app' is privileged"]]);
    json.locals = { pod: manifest };
    ((json.resource as JsonObject).kubernetes_manifest as JsonObject).app = { manifest: '${local.pod}' };
    expect(problems(MCP_K8S_2, json)).toEqual([['non-compliant', "container 'app' is privileged"]]);
  });

  test('undecided: a security context of a manifest container that is an expression', () => {
    const json = stackWith('Deployment', 'apps/v1', {
      spec: { template: { spec: restrictedPod(restrictedContainer('app', { securityContext: '${var.sc}' })) } },
    });
    addVariable(json, 'sc');
    expect(problems(MCP_K8S_3, json)).toEqual([
      [
        'undecided',
        "manifest.spec.template.spec.containers[0].securityContext cannot be read (variable 'sc' has no default: its value comes at plan time)",
      ],
    ]);
    addVariable(json, 'sc', { allowPrivilegeEscalation: true });
    expect(problems(MCP_K8S_3, json)[0]).toEqual([
      'non-compliant',
      "container 'app': allow_privilege_escalation is not false; container 'app': read_only_root_filesystem is not true; container 'app': capabilities.drop does not include ALL",
    ]);
  });

  test('undecided: a dynamic block in a typed workload (the rules cannot expand it)', () => {
    const json = ownJson();
    podOf(json).dynamic = { container: { for_each: '${var.sidecars}', content: { name: '${container.value}' } } };
    const [status, detail] = problems(MCP_K8S_2, json)[0];
    expect(status).toBe('undecided');
    expect(detail).toBe('spec.template.spec.dynamic is a dynamic block, which the rules cannot expand');
    for (const rule of [MCP_K8S_3, MCP_K8S_4, MCP_K8S_5, MCP_K8S_9, MCP_K8S_11]) {
      expect([rule.id, problems(rule, json).map(([s]) => s)]).toEqual([rule.id, ['undecided']]);
    }
  });

  test('not applicable: manifests of kinds without pods', () => {
    const json = {
      resource: {
        kubernetes_manifest: {
          cm: { manifest: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'x' }, data: {} } },
        },
      },
    };
    for (const rule of [MCP_K8S_2, MCP_K8S_3, MCP_K8S_4, MCP_K8S_9]) expect(evaluate(rule, json)).toEqual([]);
  });
});
