/** The workload rules (MCP-K8S-1 .. 9, 8W, 9W), judged on the synthesized output of LoopbackMcpDeployment. */
import type { DeploymentV1 } from '@cdktf/provider-kubernetes/lib/deployment-v1';
import { ServiceV1 } from '@cdktf/provider-kubernetes/lib/service-v1';
import { McpAccessChecks } from '../../../../lib/checks/pack';
import { PORTS_RULES } from '../../../../lib/checks/rules/ports';
import { MCP_K8S_1 } from '../../../../lib/checks/rules/ports/mcp-k8s-1';
import { MCP_K8S_2 } from '../../../../lib/checks/rules/ports/mcp-k8s-2';
import { MCP_K8S_3 } from '../../../../lib/checks/rules/ports/mcp-k8s-3';
import { MCP_K8S_4 } from '../../../../lib/checks/rules/ports/mcp-k8s-4';
import { MCP_K8S_5 } from '../../../../lib/checks/rules/ports/mcp-k8s-5';
import { MCP_K8S_6, wildcardAddressIn } from '../../../../lib/checks/rules/ports/mcp-k8s-6';
import { MCP_K8S_7 } from '../../../../lib/checks/rules/ports/mcp-k8s-7';
import { MCP_K8S_8 } from '../../../../lib/checks/rules/ports/mcp-k8s-8';
import { MCP_K8S_8W } from '../../../../lib/checks/rules/ports/mcp-k8s-8w';
import { MCP_K8S_9 } from '../../../../lib/checks/rules/ports/mcp-k8s-9';
import { MCP_K8S_9W } from '../../../../lib/checks/rules/ports/mcp-k8s-9w';
import { rawJson, synthApp, withProviders } from '../../../helpers';
import { workloadStack } from '../../../ports/fixtures';
import {
  addResource,
  addressOf,
  addVariable,
  containerIn,
  evaluate,
  failures,
  ownJson,
  podOf,
  problems,
  removeType,
  resourceOf,
} from './fixture';

test('the pack lists every workload rule, in order', () => {
  expect(PORTS_RULES.map((r) => [r.id, r.level])).toEqual([
    ['MCP-K8S-1', 'error'],
    ['MCP-K8S-2', 'error'],
    ['MCP-K8S-3', 'error'],
    ['MCP-K8S-4', 'error'],
    ['MCP-K8S-5', 'error'],
    ['MCP-K8S-6', 'error'],
    ['MCP-K8S-7', 'error'],
    ['MCP-K8S-8', 'error'],
    ['MCP-K8S-8W', 'warning'],
    ['MCP-K8S-9', 'error'],
    ['MCP-K8S-9W', 'warning'],
    ['MCP-K8S-10', 'error'],
    ['MCP-K8S-11', 'error'],
    ['MCP-K8S-12', 'error'],
    ['MCP-K8S-13', 'error'],
  ]);
});

test('every workload rule says what it requires and what fixes it', () => {
  expect(PORTS_RULES).toHaveLength(15);
  for (const rule of PORTS_RULES) {
    expect(rule.requires?.length).toBeGreaterThan(0);
    expect(rule.fix?.length).toBeGreaterThan(20);
  }
});

const deploymentIn = (namespace?: string) => ({
  metadata: { name: 'app', ...(namespace === undefined ? {} : { namespace }) },
  spec: { template: { metadata: {}, spec: { container: [{ name: 'app', image: 'nginx:1.27' }] } } },
});

describe('MCP-K8S-1', () => {
  test('compliant: the tenant namespace enforces restricted and holds the deployment', () => {
    const evaluations = evaluate(MCP_K8S_1, ownJson());
    expect(evaluations).toHaveLength(2);
    expect(evaluations.every((e) => e.status === 'compliant')).toBe(true);
  });

  test('non-compliant: the namespace enforces baseline, or has no enforce label', () => {
    const json = ownJson();
    const labels = (resourceOf(json, 'kubernetes_namespace_v1').metadata as { labels: Record<string, string> }).labels;
    labels['pod-security.kubernetes.io/enforce'] = 'baseline';
    expect(failures(MCP_K8S_1, json)).toEqual([
      {
        address: addressOf(json, 'kubernetes_namespace_v1'),
        status: 'non-compliant',
        detail: "the namespace enforces Pod Security 'baseline', not 'restricted'",
      },
    ]);
    delete labels['pod-security.kubernetes.io/enforce'];
    expect(failures(MCP_K8S_1, json)[0].detail).toBe('the namespace has no pod-security.kubernetes.io/enforce label');
  });

  test('non-compliant: a workload without a namespace runs in default', () => {
    const json = ownJson();
    addResource(json, 'kubernetes_pod_v1', 'stray', {
      metadata: { name: 'stray' },
      spec: { container: [{ name: 'c' }] },
    });
    expect(failures(MCP_K8S_1, json)).toEqual([
      { address: 'kubernetes_pod_v1.stray', status: 'non-compliant', detail: "it runs in the 'default' namespace" },
    ]);
  });

  test('undecided: a workload in a namespace the stack neither declares nor labels', () => {
    const json = { resource: { kubernetes_deployment_v1: { app: deploymentIn('team-a') } } };
    expect(evaluate(MCP_K8S_1, json)).toEqual([
      {
        address: 'kubernetes_deployment_v1.app',
        status: 'undecided',
        detail:
          "namespace 'team-a' is not declared in the app or labelled in this stack: its Pod Security level is unknown",
      },
    ]);
  });

  test('judges a namespace declared elsewhere by the kubernetes_labels resource that labels it', () => {
    const labelled = (level: string) => ({
      resource: {
        kubernetes_deployment_v1: { app: deploymentIn('team-a') },
        kubernetes_labels: {
          team_a: {
            api_version: 'v1',
            kind: 'Namespace',
            metadata: { name: 'team-a' },
            labels: { 'pod-security.kubernetes.io/enforce': level },
          },
        },
      },
    });
    expect(evaluate(MCP_K8S_1, labelled('restricted'))).toEqual([
      { address: 'kubernetes_labels.team_a', status: 'compliant' },
      { address: 'kubernetes_deployment_v1.app', status: 'compliant' },
    ]);
    expect(failures(MCP_K8S_1, labelled('privileged'))).toEqual([
      {
        address: 'kubernetes_labels.team_a',
        status: 'non-compliant',
        detail: "namespace 'team-a' enforces Pod Security 'privileged', not 'restricted'",
      },
    ]);
  });

  test('undecided: the enforce label is a variable without default; judged by the default when it has one', () => {
    const json = ownJson();
    const labels = (resourceOf(json, 'kubernetes_namespace_v1').metadata as { labels: Record<string, string> }).labels;
    labels['pod-security.kubernetes.io/enforce'] = addVariable(json, 'level');
    expect(problems(MCP_K8S_1, json)).toEqual([
      [
        'undecided',
        "the namespace label pod-security.kubernetes.io/enforce cannot be read (variable 'level' has no default: its value comes at plan time)",
      ],
    ]);
    addVariable(json, 'level', 'restricted');
    expect(problems(MCP_K8S_1, json)).toEqual([]);
    addVariable(json, 'level', 'baseline');
    expect(problems(MCP_K8S_1, json)).toEqual([
      ['non-compliant', "the namespace enforces Pod Security 'baseline', not 'restricted'"],
    ]);
  });

  test('not applicable: a stack without namespaces or workloads', () => {
    expect(evaluate(MCP_K8S_1, {})).toEqual([]);
  });
});

describe('MCP-K8S-2', () => {
  test('compliant: no host namespaces, host ports or privileged containers, and only emptyDir and projected volumes', () => {
    expect(evaluate(MCP_K8S_2, ownJson())).toEqual([
      { address: expect.stringMatching(/^kubernetes_deployment_v1\./), status: 'compliant' },
    ]);
  });

  test('non-compliant: host network, a privileged container, a host port and a hostPath volume', () => {
    const json = ownJson();
    const pod = podOf(json);
    pod.host_network = true;
    pod.host_pid = 'true';
    (containerIn(json, 'cloudflared').security_context as Record<string, unknown>).privileged = true;
    containerIn(json, 'mcp-server').port = [{ container_port: 8080, host_port: 8080 }];
    (pod.volume as unknown[]).push({ name: 'host', host_path: { path: '/var/run' } });
    expect(failures(MCP_K8S_2, json)).toEqual([
      {
        address: addressOf(json, 'kubernetes_deployment_v1'),
        status: 'non-compliant',
        detail:
          "host_network is true; host_pid is true; container 'mcp-server' binds host port 8080; container 'cloudflared' is privileged; volume 'host' is of type host_path, outside the restricted list",
      },
    ]);
  });

  test('undecided: host_ipc is a variable without default; judged by the default when it has one', () => {
    const json = ownJson();
    podOf(json).host_ipc = addVariable(json, 'host_ipc');
    expect(problems(MCP_K8S_2, json)).toEqual([
      ['undecided', "host_ipc cannot be read (variable 'host_ipc' has no default: its value comes at plan time)"],
    ]);
    addVariable(json, 'host_ipc', true);
    expect(problems(MCP_K8S_2, json)).toEqual([['non-compliant', 'host_ipc is true']]);
    addVariable(json, 'host_ipc', false);
    expect(problems(MCP_K8S_2, json)).toEqual([]);
  });

  test('judges pods of any stack, init containers included', () => {
    const json = {
      resource: {
        kubernetes_pod_v1: {
          p: {
            metadata: { namespace: 'x' },
            spec: { init_container: [{ name: 'init', security_context: { privileged: true } }] },
          },
        },
      },
    };
    expect(failures(MCP_K8S_2, json)[0].detail).toBe("init container 'init' is privileged");
  });

  test('not applicable: a stack without workloads', () => {
    expect(evaluate(MCP_K8S_2, {})).toEqual([]);
  });
});

describe('MCP-K8S-3', () => {
  test('compliant: every container states the restricted container security context', () => {
    expect(evaluate(MCP_K8S_3, ownJson()).map((e) => e.status)).toEqual(['compliant']);
  });

  test('non-compliant: escalation allowed, writable root filesystem, capabilities kept and added', () => {
    const json = ownJson();
    const sc = containerIn(json, 'mcp-server').security_context as Record<string, unknown>;
    delete sc.allow_privilege_escalation;
    sc.read_only_root_filesystem = false;
    sc.capabilities = { drop: ['NET_RAW'], add: ['NET_ADMIN'] };
    expect(failures(MCP_K8S_3, json)).toEqual([
      {
        address: addressOf(json, 'kubernetes_deployment_v1'),
        status: 'non-compliant',
        detail:
          "container 'mcp-server': allow_privilege_escalation is not false; container 'mcp-server': read_only_root_filesystem is not true; container 'mcp-server': capabilities.drop does not include ALL; container 'mcp-server': capabilities.add is [\"NET_ADMIN\"]",
      },
    ]);
  });

  test('non-compliant: a container without any security context', () => {
    const json = ownJson();
    delete containerIn(json, 'cloudflared').security_context;
    expect(failures(MCP_K8S_3, json)[0].detail).toBe(
      "container 'cloudflared': allow_privilege_escalation is not false; container 'cloudflared': read_only_root_filesystem is not true; container 'cloudflared': capabilities.drop does not include ALL",
    );
  });

  test('undecided: read_only_root_filesystem is an expression the rules cannot evaluate', () => {
    const json = ownJson();
    (containerIn(json, 'cloudflared').security_context as Record<string, unknown>).read_only_root_filesystem =
      '${!var.writable}';
    expect(problems(MCP_K8S_3, json)).toEqual([
      [
        'undecided',
        "container 'cloudflared' read_only_root_filesystem cannot be read ('${!var.writable}' is an expression the rules cannot evaluate)",
      ],
    ]);
  });

  test('undecided: a capability in the drop list is a variable without default', () => {
    const json = ownJson();
    const sc = containerIn(json, 'mcp-server').security_context as { capabilities: { drop: string[] } };
    sc.capabilities.drop = [addVariable(json, 'drop')];
    expect(problems(MCP_K8S_3, json)).toEqual([
      [
        'undecided',
        "container 'mcp-server' capabilities.drop[0] cannot be read (variable 'drop' has no default: its value comes at plan time)",
      ],
    ]);
  });

  test('not applicable: a stack without workloads', () => {
    expect(evaluate(MCP_K8S_3, {})).toEqual([]);
  });
});

describe('MCP-K8S-4', () => {
  test('compliant: the pod runs as UID 65532, non-root, under RuntimeDefault seccomp', () => {
    expect(evaluate(MCP_K8S_4, ownJson()).map((e) => e.status)).toEqual(['compliant']);
  });

  test('non-compliant: root UID, run_as_non_root false and an Unconfined container', () => {
    const json = ownJson();
    (podOf(json).security_context as Record<string, unknown>).run_as_user = '0';
    const sc = containerIn(json, 'cloudflared').security_context as Record<string, unknown>;
    sc.run_as_non_root = false;
    sc.seccomp_profile = { type: 'Unconfined' };
    expect(failures(MCP_K8S_4, json)).toEqual([
      {
        address: addressOf(json, 'kubernetes_deployment_v1'),
        status: 'non-compliant',
        detail:
          "container 'cloudflared': run_as_non_root is false; container 'cloudflared': seccomp profile is Unconfined; the pod runs as UID 0",
      },
    ]);
  });

  test('non-compliant: neither the pod nor a container sets run_as_non_root or a seccomp profile', () => {
    const json = {
      resource: { kubernetes_pod_v1: { p: { metadata: { namespace: 'x' }, spec: { container: [{ name: 'c' }] } } } },
    };
    expect(failures(MCP_K8S_4, json)[0].detail).toBe(
      "container 'c': run_as_non_root is not true on it or on the pod; container 'c': no seccomp profile on it or on the pod",
    );
  });

  test('compliant: settings on every container instead of the pod', () => {
    const container = (name: string) => ({
      name,
      security_context: {
        run_as_non_root: true,
        run_as_user: '1000',
        seccomp_profile: { type: 'Localhost', localhost_profile: 'p.json' },
      },
    });
    const json = { resource: { kubernetes_pod_v1: { p: { spec: { container: [container('a'), container('b')] } } } } };
    expect(evaluate(MCP_K8S_4, json)).toEqual([{ address: 'kubernetes_pod_v1.p', status: 'compliant' }]);
  });

  test('undecided: run_as_user is a variable without default; judged by the default when it has one', () => {
    const json = ownJson();
    (podOf(json).security_context as Record<string, unknown>).run_as_user = addVariable(json, 'uid');
    expect(problems(MCP_K8S_4, json)).toEqual([
      ['undecided', "the pod run_as_user cannot be read (variable 'uid' has no default: its value comes at plan time)"],
    ]);
    addVariable(json, 'uid', '0');
    expect(problems(MCP_K8S_4, json)).toEqual([['non-compliant', 'the pod runs as UID 0']]);
    addVariable(json, 'uid', '1');
    expect(problems(MCP_K8S_4, json)).toEqual([]);
  });

  test('not applicable: a stack without workloads', () => {
    expect(evaluate(MCP_K8S_4, {})).toEqual([]);
  });
});

describe('MCP-K8S-5', () => {
  test('compliant: neither the pod nor the service account mounts an API token', () => {
    const evaluations = evaluate(MCP_K8S_5, ownJson());
    expect(evaluations.map((e) => e.status)).toEqual(['compliant', 'compliant']);
  });

  test('non-compliant: the pod leaves automount unset and the service account turns it on', () => {
    const json = ownJson();
    delete podOf(json).automount_service_account_token;
    resourceOf(json, 'kubernetes_service_account_v1').automount_service_account_token = true;
    expect(failures(MCP_K8S_5, json)).toEqual([
      {
        address: addressOf(json, 'kubernetes_deployment_v1'),
        status: 'non-compliant',
        detail: 'the pod does not set automount_service_account_token = false',
      },
      {
        address: addressOf(json, 'kubernetes_service_account_v1'),
        status: 'non-compliant',
        detail: 'the service account does not set automount_service_account_token = false',
      },
    ]);
  });

  test('undecided: automount is a variable without default; judged by the default when it has one', () => {
    const json = ownJson();
    podOf(json).automount_service_account_token = addVariable(json, 'automount');
    expect(problems(MCP_K8S_5, json)).toEqual([
      [
        'undecided',
        "automount_service_account_token cannot be read (variable 'automount' has no default: its value comes at plan time)",
      ],
    ]);
    addVariable(json, 'automount', true);
    expect(problems(MCP_K8S_5, json)).toEqual([
      ['non-compliant', 'the pod does not set automount_service_account_token = false'],
    ]);
  });

  test('finds the pod spec of every workload type: cron jobs, stateful sets, daemon sets, jobs', () => {
    const pod = { automount_service_account_token: true, container: [{ name: 'c' }] };
    const json = {
      resource: {
        kubernetes_cron_job_v1: { nightly: { spec: { job_template: { spec: { template: { spec: pod } } } } } },
        kubernetes_stateful_set_v1: { db: { spec: [{ template: [{ spec: [pod] }] }] } },
        kubernetes_daemon_set_v1: { agent: { spec: { template: { spec: pod } } } },
        kubernetes_job: { once: { spec: { template: { spec: pod } } } },
      },
    };
    expect(failures(MCP_K8S_5, json).map((e) => [e.address, e.status])).toEqual([
      ['kubernetes_stateful_set_v1.db', 'non-compliant'],
      ['kubernetes_daemon_set_v1.agent', 'non-compliant'],
      ['kubernetes_job.once', 'non-compliant'],
      ['kubernetes_cron_job_v1.nightly', 'non-compliant'],
    ]);
  });

  test('not applicable: a stack without workloads or service accounts', () => {
    expect(evaluate(MCP_K8S_5, {})).toEqual([]);
  });
});

describe('MCP-K8S-6', () => {
  test('compliant: the MCP server binds 127.0.0.1, no port is declared, nothing exposes the pod, the quota pins services to 0', () => {
    const json = ownJson();
    expect(evaluate(MCP_K8S_6, json)).toEqual([
      { address: addressOf(json, 'kubernetes_deployment_v1'), status: 'compliant' },
      { address: addressOf(json, 'kubernetes_namespace_v1'), status: 'compliant' },
    ]);
  });

  test("non-compliant: 0.0.0.0 put into the MCP container's args by an escape-hatch override fails synth", () => {
    const { stack, workloads } = workloadStack(['acme']);
    const deployment = workloads[0].node.findChild('Deployment') as DeploymentV1;
    deployment.addOverride('spec.template.spec.container.0.args', ['--host', '0.0.0.0']);
    const json = rawJson(stack);
    expect(failures(MCP_K8S_6, json)).toEqual([
      {
        address: addressOf(json, 'kubernetes_deployment_v1'),
        status: 'non-compliant',
        detail: "container 'mcp-server' args names a wildcard address ('0.0.0.0')",
      },
    ]);
    McpAccessChecks.of(withProviders(stack));
    expect(() => synthApp(stack)).toThrow(/MCP-K8S-6 error kubernetes_deployment_v1\.acme_Deployment_[0-9A-F]{8}/);
  });

  test('non-compliant: wildcard addresses in command and env, cloudflared metrics on 0.0.0.0, and a declared port', () => {
    const json = ownJson();
    const mcp = containerIn(json, 'mcp-server');
    mcp.command = ['/mcp-server', '--listen=[::]:8080'];
    (mcp.env as Record<string, unknown>[]).push({ name: 'HOST', value: '::' });
    mcp.port = [{ container_port: 8080 }];
    (containerIn(json, 'cloudflared').args as string[])[3] = '0.0.0.0:20241';
    expect(failures(MCP_K8S_6, json)[0].detail).toBe(
      [
        "container 'mcp-server' command names a wildcard address ('--listen=[::]:8080')",
        "container 'mcp-server' env HOST names a wildcard address ('::')",
        "container 'mcp-server' declares a container port",
        "container 'cloudflared' args names a wildcard address ('0.0.0.0:20241')",
      ].join('; '),
    );
  });

  test('non-compliant: MCP_BIND_ADDRESS set to the pod IP, or to another address, or removed', () => {
    const json = ownJson();
    const bind = (containerIn(json, 'mcp-server').env as Record<string, unknown>[])[0];
    expect(bind.name).toBe('MCP_BIND_ADDRESS');
    delete bind.value;
    bind.value_from = { field_ref: { field_path: 'status.podIP' } };
    expect(failures(MCP_K8S_6, json)[0].detail).toBe(
      "container 'mcp-server' takes MCP_BIND_ADDRESS from value_from, not a loopback literal",
    );
    delete bind.value_from;
    bind.value = '10.0.0.7';
    expect(failures(MCP_K8S_6, json)[0].detail).toBe(
      "container 'mcp-server' binds MCP_BIND_ADDRESS=10.0.0.7, not loopback",
    );
    bind.name = 'UNUSED';
    expect(failures(MCP_K8S_6, json)[0].detail).toBe(
      "container 'mcp-server' does not set MCP_BIND_ADDRESS (where it listens is unknown)",
    );
  });

  test('non-compliant: a Service (added as a construct) and an Ingress in the MCP namespace', () => {
    const { stack, workloads } = workloadStack(['acme']);
    new ServiceV1(stack, 'expose', {
      metadata: { name: 'mcp', namespace: workloads[0].namespace },
      spec: {
        type: 'LoadBalancer',
        selector: { 'app.kubernetes.io/name': 'mcp-server' },
        port: [{ port: 80, targetPort: '8080' }],
      },
    });
    const json = rawJson(stack);
    addResource(json, 'kubernetes_ingress_v1', 'web', { metadata: { name: 'web', namespace: 'mcp-acme' }, spec: {} });
    addResource(json, 'kubernetes_manifest', 'svc', {
      manifest: {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'np', namespace: 'mcp-acme' },
        spec: { type: 'NodePort' },
      },
    });
    expect(failures(MCP_K8S_6, json)).toEqual([
      {
        address: 'kubernetes_service_v1.expose',
        status: 'non-compliant',
        detail: "this Service is in MCP namespace 'mcp-acme', where it can expose the loopback-only pod",
      },
      {
        address: 'kubernetes_manifest.svc',
        status: 'non-compliant',
        detail: "this Service is in MCP namespace 'mcp-acme', where it can expose the loopback-only pod",
      },
      {
        address: 'kubernetes_ingress_v1.web',
        status: 'non-compliant',
        detail: "this Ingress is in MCP namespace 'mcp-acme', where it can expose the loopback-only pod",
      },
    ]);
  });

  test('compliant: a Service in an unrelated namespace', () => {
    const json = ownJson();
    addResource(json, 'kubernetes_service_v1', 'other', { metadata: { name: 'web', namespace: 'shop' }, spec: {} });
    expect(evaluate(MCP_K8S_6, json).find((e) => e.address === 'kubernetes_service_v1.other')?.status).toBe(
      'compliant',
    );
  });

  test('non-compliant: the quota allows a Service, or there is no quota', () => {
    const json = ownJson();
    const hard = ((resourceOf(json, 'kubernetes_resource_quota_v1').spec as Record<string, unknown>).hard ??
      {}) as Record<string, string>;
    hard.services = '1';
    expect(failures(MCP_K8S_6, json)).toEqual([
      {
        address: addressOf(json, 'kubernetes_namespace_v1'),
        status: 'non-compliant',
        detail: "no resource quota in namespace 'mcp-acme' pins services to 0",
      },
    ]);
    delete (json.resource as Record<string, unknown>).kubernetes_resource_quota_v1;
    expect(failures(MCP_K8S_6, json)[0].detail).toBe(
      "no resource quota in namespace 'mcp-acme' pins services to 0; no resource quota in namespace 'mcp-acme' pins services.loadbalancers to 0; no resource quota in namespace 'mcp-acme' pins services.nodeports to 0",
    );
  });

  test('undecided: a quota value or a Service namespace is a variable without default', () => {
    const json = ownJson();
    const hard = (resourceOf(json, 'kubernetes_resource_quota_v1').spec as Record<string, Record<string, string>>).hard;
    hard['services.nodeports'] = addVariable(json, 'node_ports');
    addResource(json, 'kubernetes_service_v1', 'somewhere', {
      metadata: { namespace: addVariable(json, 'ns') },
      spec: {},
    });
    expect(failures(MCP_K8S_6, json).map((e) => [e.address, e.status, e.detail])).toEqual([
      [
        'kubernetes_service_v1.somewhere',
        'undecided',
        "the namespace of this Service cannot be read (variable 'ns' has no default: its value comes at plan time)",
      ],
      [
        addressOf(json, 'kubernetes_namespace_v1'),
        'undecided',
        "quota services.nodeports cannot be read (variable 'node_ports' has no default: its value comes at plan time)",
      ],
    ]);
    // With defaults: the Service lands in the MCP namespace, and the quota allows node ports.
    addVariable(json, 'node_ports', '3');
    addVariable(json, 'ns', 'mcp-acme');
    expect(failures(MCP_K8S_6, json).map((e) => [e.address, e.status, e.detail])).toEqual([
      [
        'kubernetes_service_v1.somewhere',
        'non-compliant',
        "this Service is in MCP namespace 'mcp-acme', where it can expose the loopback-only pod",
      ],
      [
        addressOf(json, 'kubernetes_namespace_v1'),
        'non-compliant',
        "no resource quota in namespace 'mcp-acme' pins services.nodeports to 0",
      ],
    ]);
  });

  test('recognises a wildcard address as a word, not inside other addresses or CIDRs', () => {
    expect(['0.0.0.0', 'http://0.0.0.0:80', '--bind=::', ':::8080', '[::]:8080'].every(wildcardAddressIn)).toBe(true);
    expect(['10.0.0.0', '0.0.0.0/0', '::1', 'fe80::1', '127.0.0.1:8080'].some(wildcardAddressIn)).toBe(false);
  });

  test('not applicable: a stack without MCP pods or namespaces', () => {
    expect(evaluate(MCP_K8S_6, {})).toEqual([]);
    const plain = {
      resource: {
        kubernetes_deployment_v1: {
          web: { metadata: { namespace: 'shop' }, spec: { template: { spec: { container: [{ name: 'web' }] } } } },
        },
      },
    };
    expect(evaluate(MCP_K8S_6, plain)).toEqual([]);
  });
});

/** The default-deny policy (the one with an empty pod selector) of the JSON. */
function defaultDeny(json: Record<string, unknown>): Record<string, unknown> {
  const policies = (json.resource as Record<string, Record<string, Record<string, unknown>>>)
    .kubernetes_network_policy_v1;
  const found = Object.values(policies).find((p) => (p.metadata as Record<string, unknown>).name === 'default-deny');
  if (!found) throw new Error('no default-deny policy');
  return found.spec as Record<string, unknown>;
}

describe('MCP-K8S-7', () => {
  test('compliant: the MCP namespace denies all ingress and egress by default', () => {
    const json = ownJson();
    expect(evaluate(MCP_K8S_7, json)).toEqual([
      { address: addressOf(json, 'kubernetes_namespace_v1'), status: 'compliant' },
    ]);
  });

  test('compliant: a default deny declared through kubernetes_manifest counts', () => {
    const json = ownJson();
    removeType(json, 'kubernetes_network_policy_v1');
    addResource(json, 'kubernetes_manifest', 'deny', {
      manifest: {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'deny', namespace: 'mcp-acme' },
        spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
      },
    });
    expect(problems(MCP_K8S_7, json)).toEqual([]);
  });

  test('non-compliant: the default deny covers ingress only', () => {
    const json = ownJson();
    defaultDeny(json).policy_types = ['Ingress'];
    expect(failures(MCP_K8S_7, json)).toEqual([
      {
        address: addressOf(json, 'kubernetes_namespace_v1'),
        status: 'non-compliant',
        detail: "namespace 'mcp-acme' has no default-deny egress policy",
      },
    ]);
  });

  test('non-compliant: the deny policy selects only some pods, or there is no policy at all', () => {
    const json = ownJson();
    defaultDeny(json).pod_selector = { match_labels: { app: 'x' } };
    expect(failures(MCP_K8S_7, json)[0].detail).toBe(
      "namespace 'mcp-acme' has no default-deny ingress policy; namespace 'mcp-acme' has no default-deny egress policy",
    );
    removeType(json, 'kubernetes_network_policy_v1');
    expect(failures(MCP_K8S_7, json)).toHaveLength(1);
  });

  test("compliant for MCP-K8S-7: a policy with rules does not undo the default deny's presence (MCP-K8S-10 judges it)", () => {
    const json = ownJson();
    addResource(json, 'kubernetes_network_policy_v1', 'open', {
      metadata: { name: 'open', namespace: 'mcp-acme' },
      spec: { pod_selector: {}, policy_types: ['Ingress', 'Egress'], ingress: [{}] },
    });
    expect(problems(MCP_K8S_7, json)).toEqual([]);
  });

  test('undecided: the policy types of the deny policy are an expression', () => {
    const json = ownJson();
    defaultDeny(json).policy_types = '${var.types}';
    expect(failures(MCP_K8S_7, json).map((e) => [e.status, e.detail])).toEqual([
      [
        'undecided',
        "in namespace 'mcp-acme': policy_types cannot be read ('${var.types}' names a variable this stack does not declare)",
      ],
    ]);
  });

  test('judges a namespace of any stack that holds a cloudflared pod', () => {
    const json = {
      resource: {
        kubernetes_deployment_v1: {
          tunnel: {
            metadata: { namespace: 'edge' },
            spec: {
              template: { spec: { container: [{ name: 'connector', image: 'cloudflare/cloudflared:2026.9.3' }] } },
            },
          },
        },
      },
    };
    expect(evaluate(MCP_K8S_7, json)).toEqual([
      {
        address: 'kubernetes_deployment_v1.tunnel',
        status: 'non-compliant',
        detail:
          "namespace 'edge' has no default-deny ingress policy; namespace 'edge' has no default-deny egress policy",
      },
    ]);
  });

  test('not applicable: a stack without MCP pods or namespaces', () => {
    expect(evaluate(MCP_K8S_7, {})).toEqual([]);
  });
});

describe('MCP-K8S-8', () => {
  test('compliant: exec probes only, and cloudflared has exec liveness and readiness probes', () => {
    expect(evaluate(MCP_K8S_8, ownJson()).map((e) => e.status)).toEqual(['compliant']);
  });

  test('non-compliant: HTTP, TCP and gRPC probes and an HTTP lifecycle hook', () => {
    const json = ownJson();
    const mcp = containerIn(json, 'mcp-server');
    mcp.liveness_probe = { http_get: { path: '/healthz', port: '8080' } };
    mcp.readiness_probe = { tcp_socket: [{ port: '8080' }] };
    mcp.startup_probe = { grpc: [{ port: 8080 }] };
    mcp.lifecycle = { pre_stop: { http_get: { path: '/drain', port: '8080' } } };
    expect(failures(MCP_K8S_8, json)).toEqual([
      {
        address: addressOf(json, 'kubernetes_deployment_v1'),
        status: 'non-compliant',
        detail:
          "container 'mcp-server' liveness_probe uses http_get; container 'mcp-server' readiness_probe uses tcp_socket; container 'mcp-server' startup_probe uses grpc; container 'mcp-server' lifecycle pre_stop uses http_get",
      },
    ]);
  });

  test("non-compliant: cloudflared's probes removed, or its readiness probe turned into HTTP", () => {
    const json = ownJson();
    const cloudflared = containerIn(json, 'cloudflared');
    delete cloudflared.liveness_probe;
    cloudflared.readiness_probe = { http_get: { path: '/ready', port: '20241' } };
    expect(failures(MCP_K8S_8, json)[0].detail).toBe(
      "container 'cloudflared' readiness_probe uses http_get; container 'cloudflared' has no exec liveness probe; container 'cloudflared' has no exec readiness probe",
    );
  });

  test('not applicable: a stack without MCP pods', () => {
    expect(evaluate(MCP_K8S_8, {})).toEqual([]);
  });
});

describe('MCP-K8S-8W', () => {
  test('compliant: the MCP container runs its health command as exec probes', () => {
    expect(evaluate(MCP_K8S_8W, ownJson()).map((e) => e.status)).toEqual(['compliant']);
  });

  test('non-compliant: the MCP container has no probes (no health command)', () => {
    const json = ownJson();
    const mcp = containerIn(json, 'mcp-server');
    delete mcp.liveness_probe;
    delete mcp.readiness_probe;
    expect(failures(MCP_K8S_8W, json)).toEqual([
      {
        address: addressOf(json, 'kubernetes_deployment_v1'),
        status: 'non-compliant',
        detail: "container 'mcp-server' has no exec liveness probe; container 'mcp-server' has no exec readiness probe",
      },
    ]);
  });

  test('can be suppressed with a reason', () => {
    const { stack } = workloadStack(['acme'], { healthCommand: undefined });
    McpAccessChecks.suppress(stack, 'MCP-K8S-8W', 'the vendor image offers no health command');
    const report = McpAccessChecks.check(rawJson(stack));
    expect(report.findings.filter((f) => f.ruleId.startsWith('MCP-K8S-'))).toEqual([]);
    expect(report.suppressed.map((s) => [s.ruleId, s.reason])).toEqual([
      ['MCP-K8S-8W', 'the vendor image offers no health command'],
    ]);
  });

  test('not applicable: a stack without MCP pods', () => {
    expect(evaluate(MCP_K8S_8W, {})).toEqual([]);
  });
});

describe('MCP-K8S-9', () => {
  test('compliant: every container has requests, a memory limit and a pinned image', () => {
    expect(evaluate(MCP_K8S_9, ownJson()).map((e) => e.status)).toEqual(['compliant']);
  });

  test('non-compliant: a missing memory limit, a latest image and an untagged image', () => {
    const json = ownJson();
    const mcp = containerIn(json, 'mcp-server');
    mcp.resources = { requests: { cpu: '100m', memory: '128Mi' } };
    mcp.image = 'ghcr.io/acme/mcp:latest';
    containerIn(json, 'cloudflared').image = 'cloudflare/cloudflared';
    expect(failures(MCP_K8S_9, json)).toEqual([
      {
        address: addressOf(json, 'kubernetes_deployment_v1'),
        status: 'non-compliant',
        detail:
          "container 'mcp-server' has no limits.memory; container 'mcp-server' image 'ghcr.io/acme/mcp:latest' uses the tag latest; container 'cloudflared' image 'cloudflare/cloudflared' is untagged",
      },
    ]);
  });

  test('non-compliant: a container without resources or image', () => {
    const json = { resource: { kubernetes_pod_v1: { p: { spec: { init_container: [{ name: 'init' }] } } } } };
    expect(failures(MCP_K8S_9, json)[0].detail).toBe(
      "init container 'init' has no requests.cpu; init container 'init' has no requests.memory; init container 'init' has no limits.memory; init container 'init' has no image",
    );
  });

  test('undecided: the image is an expression', () => {
    const json = ownJson();
    containerIn(json, 'mcp-server').image = '${var.image}';
    expect(failures(MCP_K8S_9, json).map((e) => [e.status, e.detail])).toEqual([
      [
        'undecided',
        "container 'mcp-server' image cannot be read ('${var.image}' names a variable this stack does not declare)",
      ],
    ]);
  });

  test('not applicable: a stack without workloads', () => {
    expect(evaluate(MCP_K8S_9, {})).toEqual([]);
  });
});

describe('MCP-K8S-9W', () => {
  test('compliant: both images are pinned by digest', () => {
    expect(evaluate(MCP_K8S_9W, ownJson()).map((e) => e.status)).toEqual(['compliant']);
  });

  test('non-compliant: an image pinned by tag only', () => {
    const json = ownJson();
    containerIn(json, 'cloudflared').image = 'cloudflare/cloudflared:2026.9.3';
    expect(failures(MCP_K8S_9W, json)).toEqual([
      {
        address: addressOf(json, 'kubernetes_deployment_v1'),
        status: 'non-compliant',
        detail: "container 'cloudflared' image 'cloudflare/cloudflared:2026.9.3' has no digest",
      },
    ]);
  });

  test('leaves latest and untagged images to MCP-K8S-9', () => {
    const json = ownJson();
    containerIn(json, 'cloudflared').image = 'cloudflare/cloudflared:latest';
    containerIn(json, 'mcp-server').image = 'ghcr.io/acme/mcp';
    expect(failures(MCP_K8S_9W, json)).toEqual([]);
  });

  test('not applicable: a stack without workloads', () => {
    expect(evaluate(MCP_K8S_9W, {})).toEqual([]);
  });
});
