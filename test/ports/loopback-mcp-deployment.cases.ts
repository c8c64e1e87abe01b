import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { ResourceQuota } from 'kubernetes-models/v1/ResourceQuota';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { McpAccessChecks } from '../../lib/checks/pack';
import type { JsonObject } from '../../lib/model/stack';
import { Testing, Token } from '../../lib/core/cdktf';
import { STACK_METADATA_KEY } from '../../lib/core/stack-metadata';
import { CLOUDFLARED_IMAGE } from '../../lib/core/ports-defaults';
import { bodiesOf, resourcesOf } from '../helpers';
import {
  annotationsOf,
  byPath,
  containerOf,
  envOf,
  HEALTH_COMMAND,
  MCP_IMAGE,
  only,
  packFindings,
  podSpecOf,
  workloadStack,
} from './fixtures';
import { kubernetesObject } from './kubernetes-object';

const NS_REF = /^\$\{kubernetes_namespace_v1\.acme_Namespace_[0-9A-F]{8}\.metadata\[0\]\.name\}$/;
const CONTAINERS = ['mcp-server', 'cloudflared'];
const PRIVATE_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '169.254.0.0/16', '100.64.0.0/10'];

describe('LoopbackMcpDeployment with defaults, one tenant', () => {
  let fixture: ReturnType<typeof workloadStack>;
  let json: JsonObject;
  let deployment: JsonObject;
  let pod: JsonObject;

  beforeAll(() => {
    fixture = workloadStack(['acme']);
    json = fixture.json;
    deployment = only(json, 'kubernetes_deployment_v1');
    pod = podSpecOf(deployment);
  });

  test('creates a namespace mcp-<tenant> that enforces, audits and warns on Pod Security restricted at a pinned version', () => {
    const metadata = only(json, 'kubernetes_namespace_v1').metadata as JsonObject;
    expect(metadata.name).toBe('mcp-acme');
    expect(metadata.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/enforce-version': 'v1.33',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/audit-version': 'v1.33',
      'pod-security.kubernetes.io/warn': 'restricted',
      'pod-security.kubernetes.io/warn-version': 'v1.33',
    });
  });

  test('creates the service account mcp-server in the namespace, without token automount', () => {
    const sa = only(json, 'kubernetes_service_account_v1');
    expect(sa.automount_service_account_token).toBe(false);
    expect((sa.metadata as JsonObject).name).toBe('mcp-server');
    expect((sa.metadata as JsonObject).namespace).toMatch(NS_REF);
  });

  test('writes the tunnel token by reference into the write-only data_wo of a secret, never into data', () => {
    const secret = only(json, 'kubernetes_secret_v1');
    expect(secret.data_wo).toEqual({ token: '${var.tunnel_token_acme}' });
    expect(secret.data_wo_revision).toBe(1);
    expect(secret.data).toBeUndefined();
    expect((secret.metadata as JsonObject).name).toBe('cloudflared-tunnel-token');
  });

  test('runs two replicas spread across nodes, rolling one pod at a time', () => {
    const spec = deployment.spec as JsonObject;
    expect((deployment.metadata as JsonObject).name).toBe('mcp-server');
    expect(spec.replicas).toBe('2');
    expect(spec.strategy).toEqual({ type: 'RollingUpdate', rolling_update: { max_surge: '1', max_unavailable: '0' } });
    const selector = { 'app.kubernetes.io/name': 'mcp-server', 'app.kubernetes.io/instance': 'mcp-acme' };
    expect(spec.selector).toEqual({ match_labels: selector });
    expect(pod.topology_spread_constraint).toEqual([
      {
        max_skew: 1,
        topology_key: 'kubernetes.io/hostname',
        when_unsatisfiable: 'ScheduleAnyway',
        label_selector: [{ match_labels: selector }],
      },
    ]);
  });

  test('runs the pod without host namespaces, service links or an API token, as a non-root user under seccomp', () => {
    expect(pod).toMatchObject({
      automount_service_account_token: false,
      enable_service_links: false,
      host_network: false,
      host_pid: false,
      host_ipc: false,
      security_context: {
        run_as_non_root: true,
        run_as_user: '65532',
        run_as_group: '65532',
        fs_group: '65532',
        seccomp_profile: { type: 'RuntimeDefault' },
      },
    });
    expect(pod.service_account_name).toMatch(
      /^\$\{kubernetes_service_account_v1\.acme_ServiceAccount_[0-9A-F]{8}\.metadata\[0\]\.name\}$/,
    );
  });

  test.each(CONTAINERS)('container %s carries the full restricted security context', (name) => {
    expect(containerOf(deployment, name).security_context).toEqual({
      allow_privilege_escalation: false,
      privileged: false,
      read_only_root_filesystem: true,
      run_as_non_root: true,
      run_as_user: '65532',
      run_as_group: '65532',
      capabilities: { drop: ['ALL'] },
      seccomp_profile: { type: 'RuntimeDefault' },
    });
  });

  test.each(CONTAINERS)('container %s declares no port and probes only by exec', (name) => {
    const container = containerOf(deployment, name);
    expect(container.port).toBeUndefined();
    for (const probe of ['liveness_probe', 'readiness_probe']) {
      expect(Object.keys(container[probe] as JsonObject).sort()).toEqual([
        'exec',
        'failure_threshold',
        'period_seconds',
        'timeout_seconds',
      ]);
    }
    expect(container.startup_probe).toBeUndefined();
  });

  test('tells the MCP server through its environment where to listen, whose tokens to accept and how to reach Vault', () => {
    const mcp = containerOf(deployment, 'mcp-server');
    expect(mcp.image).toBe(MCP_IMAGE);
    expect(envOf(mcp)).toEqual({
      MCP_BIND_ADDRESS: '127.0.0.1',
      MCP_PORT: '8080',
      MCP_TENANT_ID: 'acme',
      MCP_TENANT_CLAIM: 'tid',
      MCP_OAUTH_ISSUER: 'https://example.okta.com/oauth2/ausacme',
      MCP_OAUTH_AUDIENCE: 'https://acme.mcp.example.com/mcp',
      MCP_RESOURCE_URL: 'http://127.0.0.1:7700/mcp',
      MCP_ALLOWED_ORIGINS: 'http://127.0.0.1:7700,http://localhost:7700',
      VAULT_ADDR: 'https://vault.example.com:8200',
      VAULT_ROLE: 'mcp-acme',
      VAULT_AUTH_PATH: 'kubernetes',
      VAULT_TOKEN_PATH: '/var/run/secrets/vault/token',
    });
    expect((mcp.liveness_probe as JsonObject).exec).toEqual({ command: HEALTH_COMMAND });
    expect((mcp.readiness_probe as JsonObject).exec).toEqual({ command: HEALTH_COMMAND });
  });

  test('gives the MCP server a writable /tmp and a projected Vault token (audience vault, 10 minutes), nothing else', () => {
    expect(containerOf(deployment, 'mcp-server').volume_mount).toEqual([
      { name: 'tmp', mount_path: '/tmp' },
      { name: 'vault-token', mount_path: '/var/run/secrets/vault', read_only: true },
    ]);
    expect(pod.volume).toEqual([
      { name: 'tmp', empty_dir: { size_limit: '64Mi' } },
      {
        name: 'vault-token',
        projected: [
          { sources: [{ service_account_token: { audience: 'vault', expiration_seconds: 600, path: 'token' } }] },
        ],
      },
    ]);
    expect(containerOf(deployment, 'cloudflared').volume_mount).toBeUndefined();
  });

  test('runs cloudflared pinned by digest, metrics on loopback, token from the secret, exec-probed with `tunnel ready`', () => {
    const cloudflared = containerOf(deployment, 'cloudflared');
    expect(cloudflared.image).toBe(CLOUDFLARED_IMAGE);
    expect(CLOUDFLARED_IMAGE).toMatch(/^cloudflare\/cloudflared:\d{4}\.\d+\.\d+@sha256:[a-f0-9]{64}$/);
    expect(cloudflared.args).toEqual(['tunnel', '--no-autoupdate', '--metrics', '127.0.0.1:20241', 'run']);
    expect(cloudflared.env).toEqual([
      {
        name: 'TUNNEL_TOKEN',
        value_from: {
          secret_key_ref: {
            key: 'token',
            name: expect.stringMatching(
              /^\$\{kubernetes_secret_v1\.acme_TunnelToken_[0-9A-F]{8}\.metadata\[0\]\.name\}$/,
            ),
          },
        },
      },
    ]);
    const ready = { command: ['cloudflared', 'tunnel', '--metrics', '127.0.0.1:20241', 'ready'] };
    expect((cloudflared.liveness_probe as JsonObject).exec).toEqual(ready);
    expect((cloudflared.readiness_probe as JsonObject).exec).toEqual(ready);
  });

  test('gives every container requests and a memory limit', () => {
    expect(containerOf(deployment, 'mcp-server').resources).toEqual({
      requests: { cpu: '100m', memory: '128Mi' },
      limits: { memory: '256Mi' },
    });
    expect(containerOf(deployment, 'cloudflared').resources).toEqual({
      requests: { cpu: '50m', memory: '64Mi' },
      limits: { memory: '128Mi' },
    });
  });

  test('denies all ingress and egress in the namespace, then allows DNS, the tunnel, HTTPS and Vault only', () => {
    const deny = byPath(json, 'kubernetes_network_policy_v1', 'DefaultDeny');
    expect(deny.spec).toEqual({ pod_selector: {}, policy_types: ['Ingress', 'Egress'] });
    const allow = byPath(json, 'kubernetes_network_policy_v1', 'EgressAllowList').spec as JsonObject;
    expect(allow.policy_types).toEqual(['Egress']);
    expect(allow.ingress).toBeUndefined();
    const publicAddresses = [{ ip_block: { cidr: '0.0.0.0/0', except: PRIVATE_RANGES } }];
    expect(allow.egress).toEqual([
      {
        to: [
          {
            namespace_selector: { match_labels: { 'kubernetes.io/metadata.name': 'kube-system' } },
            pod_selector: { match_labels: { 'k8s-app': 'kube-dns' } },
          },
        ],
        ports: [
          { protocol: 'UDP', port: '53' },
          { protocol: 'TCP', port: '53' },
        ],
      },
      {
        to: publicAddresses,
        ports: [
          { protocol: 'TCP', port: '7844' },
          { protocol: 'UDP', port: '7844' },
          { protocol: 'TCP', port: '443' },
        ],
      },
      { to: publicAddresses, ports: [{ protocol: 'TCP', port: '8200' }] },
    ]);
  });

  test('keeps one pod through voluntary disruptions and forbids Services, load balancers, node ports and Ingresses by quota', () => {
    expect(only(json, 'kubernetes_pod_disruption_budget_v1').spec).toEqual({
      max_unavailable: '1',
      selector: { match_labels: { 'app.kubernetes.io/name': 'mcp-server', 'app.kubernetes.io/instance': 'mcp-acme' } },
    });
    expect((only(json, 'kubernetes_resource_quota_v1').spec as JsonObject).hard).toEqual({
      services: '0',
      'services.loadbalancers': '0',
      'services.nodeports': '0',
      'count/ingresses.networking.k8s.io': '0',
      pods: '4',
      'requests.cpu': '600m',
      'requests.memory': '768Mi',
      'limits.memory': '1536Mi',
    });
  });

  test('creates exactly the listed resources: no Service, no Ingress, nothing else', () => {
    const counts = Object.fromEntries(
      Object.entries(json.resource as JsonObject).map(([type, byName]) => [
        type,
        Object.keys(byName as JsonObject).length,
      ]),
    );
    expect(counts).toEqual({
      kubernetes_namespace_v1: 1,
      kubernetes_service_account_v1: 1,
      kubernetes_secret_v1: 1,
      kubernetes_deployment_v1: 1,
      kubernetes_network_policy_v1: 2,
      kubernetes_pod_disruption_budget_v1: 1,
      kubernetes_resource_quota_v1: 1,
    });
  });

  test('puts every namespaced resource into the namespace by reference', () => {
    const namespaced = Object.entries(json.resource as JsonObject)
      .filter(([type]) => type !== 'kubernetes_namespace_v1')
      .flatMap(([type, byName]) =>
        Object.values(byName as Record<string, JsonObject>).map((body) => [type, body] as const),
      );
    // Service account, secret, deployment, two network policies, disruption budget, quota.
    expect(namespaced).toHaveLength(7);
    for (const [type, body] of namespaced) {
      expect([type, (body.metadata as JsonObject).namespace]).toEqual([type, expect.stringMatching(NS_REF)]);
    }
  });

  test('exposes the namespace, service account and deployment as references, and the resource URL', () => {
    const [workload] = fixture.workloads;
    expect(workload.tenantId).toBe('acme');
    expect(Token.isUnresolved(workload.namespace)).toBe(true);
    expect(Token.isUnresolved(workload.serviceAccountName)).toBe(true);
    expect(Token.isUnresolved(workload.deploymentName)).toBe(true);
    expect(workload.resourceUrl).toBe('http://127.0.0.1:7700/mcp');
    expect(workload.port).toBe(8080);
    expect(workload.localPort).toBe(7700);
  });

  test('records its construct scope as the tenant cell of acme', () => {
    const meta = (json['//'] as JsonObject)[STACK_METADATA_KEY] as { tenants: Record<string, string[]> };
    expect(meta.tenants).toEqual({ acme: ['test/acme'] });
  });

  test('describes objects the official Kubernetes schemas accept', () => {
    const ns = 'mcp-acme';
    const objects = [
      new Namespace(kubernetesObject('v1', 'Namespace', only(json, 'kubernetes_namespace_v1'), ns) as never),
      new ServiceAccount(
        kubernetesObject('v1', 'ServiceAccount', only(json, 'kubernetes_service_account_v1'), ns) as never,
      ),
      new Deployment(kubernetesObject('apps/v1', 'Deployment', deployment, ns) as never),
      new PodDisruptionBudget(
        kubernetesObject(
          'policy/v1',
          'PodDisruptionBudget',
          only(json, 'kubernetes_pod_disruption_budget_v1'),
          ns,
        ) as never,
      ),
      new ResourceQuota(
        kubernetesObject('v1', 'ResourceQuota', only(json, 'kubernetes_resource_quota_v1'), ns) as never,
      ),
      ...bodiesOf(json, 'kubernetes_network_policy_v1').map(
        (b) => new NetworkPolicy(kubernetesObject('networking.k8s.io/v1', 'NetworkPolicy', b, ns) as never),
      ),
    ];
    for (const object of objects) expect(() => object.validate()).not.toThrow();
    const converted = kubernetesObject('apps/v1', 'Deployment', deployment, ns) as { spec: { replicas: number } };
    expect(converted.spec.replicas).toBe(2);
  });

  test('passes the rule pack: no error, no workload warning', () => {
    expect(packFindings(json)).toEqual([]);
    const report = McpAccessChecks.check(json);
    expect(report.applied).toEqual(
      expect.arrayContaining(['MCP-K8S-1', 'MCP-K8S-6', 'MCP-K8S-9W', 'MCP-SEC-5', 'MCP-TEN-1']),
    );
  });

  test('adds no warning when every default is kept', () => {
    expect(annotationsOf(fixture.workloads[0], 'warn')).toEqual([]);
  });

  test('synthesizes one tenant the same as before (snapshot)', () => {
    expect(Testing.synth(fixture.stack)).toMatchSnapshot();
  });
});

describe('LoopbackMcpDeployment for three tenants', () => {
  const tenants = ['acme', 'globex', 'initech'];
  let json: JsonObject;

  beforeAll(() => {
    json = workloadStack(tenants).json;
  });

  test('creates one cell per tenant: namespace, service account, secret, deployment, budget, quota and two policies', () => {
    const count = (type: string) => Object.keys(resourcesOf(json, type)).length;
    expect(count('kubernetes_namespace_v1')).toBe(3);
    expect(count('kubernetes_service_account_v1')).toBe(3);
    expect(count('kubernetes_secret_v1')).toBe(3);
    expect(count('kubernetes_deployment_v1')).toBe(3);
    expect(count('kubernetes_network_policy_v1')).toBe(6);
    expect(count('kubernetes_pod_disruption_budget_v1')).toBe(3);
    expect(count('kubernetes_resource_quota_v1')).toBe(3);
    expect(count('kubernetes_service_v1')).toBe(0);
    expect(count('kubernetes_ingress_v1')).toBe(0);
  });

  test.each(tenants)('gives tenant %s its own namespace, tunnel token, identity and Vault role', (tenant) => {
    expect((byPath(json, 'kubernetes_namespace_v1', `${tenant}/Namespace`).metadata as JsonObject).name).toBe(
      `mcp-${tenant}`,
    );
    expect(byPath(json, 'kubernetes_secret_v1', `${tenant}/TunnelToken`).data_wo).toEqual({
      token: `\${var.tunnel_token_${tenant}}`,
    });
    const deployment = byPath(json, 'kubernetes_deployment_v1', `${tenant}/Deployment`);
    expect(envOf(containerOf(deployment, 'mcp-server'))).toMatchObject({
      MCP_TENANT_ID: tenant,
      MCP_OAUTH_AUDIENCE: `https://${tenant}.mcp.example.com/mcp`,
      VAULT_ROLE: `mcp-${tenant}`,
    });
    for (const name of CONTAINERS) {
      const container = containerOf(deployment, name);
      expect(container.port).toBeUndefined();
      expect(container.security_context).toMatchObject({
        allow_privilege_escalation: false,
        read_only_root_filesystem: true,
        run_as_non_root: true,
        capabilities: { drop: ['ALL'] },
        seccomp_profile: { type: 'RuntimeDefault' },
      });
    }
    expect((byPath(json, 'kubernetes_resource_quota_v1', `${tenant}/Quota`).spec as JsonObject).hard).toMatchObject({
      services: '0',
      'services.loadbalancers': '0',
      'services.nodeports': '0',
    });
    expect(byPath(json, 'kubernetes_network_policy_v1', `${tenant}/DefaultDeny`).spec).toEqual({
      pod_selector: {},
      policy_types: ['Ingress', 'Egress'],
    });
  });

  test('leaves every resource of a tenant unchanged when other tenants are added (stable addresses and bodies)', () => {
    const alone = workloadStack(['globex']).json;
    const resources = Object.entries(alone.resource as JsonObject).flatMap(([type, byName]) =>
      Object.entries(byName as JsonObject).map(([name, body]) => [type, name, body] as const),
    );
    // The eight resources of one tenant (see 'creates exactly the listed resources').
    expect(resources).toHaveLength(8);
    for (const [type, name, body] of resources) expect(resourcesOf(json, type)[name]).toEqual(body);
  });

  test('passes the rule pack: no error, no workload warning', () => {
    expect(packFindings(json)).toEqual([]);
  });
});
