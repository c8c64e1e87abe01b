import { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1';
import type { JsonObject } from '../../lib/model/stack';
import { TerraformVariable } from '../../lib/core/cdktf';
import type { PodAddon } from '../../lib/core/refs';
import { CLOUDFLARED_IMAGE } from '../../lib/core/ports-defaults';
import { LoopbackMcpDeployment, type LoopbackMcpDeploymentProps } from '../../lib/ports';
import { formatCpu, formatMemory, isPositiveQuantity, parseQuantity } from '../../lib/ports/quantity';
import { planVaultEgress, quotaHard } from '../../lib/ports/loopback-pod';
import { DIGEST, newStack, rawJson, resourcesOf } from '../helpers';
import {
  annotationsOf,
  byPath,
  containerOf,
  envOf,
  only,
  packFindings,
  podSpecOf,
  workloadProps,
  workloadStack,
} from './fixtures';

/** Synthesizes one tenant with `overrides`; returns the JSON, its deployment and the construct. */
function synth(overrides: Partial<LoopbackMcpDeploymentProps>) {
  const { json, workloads } = workloadStack(['acme'], overrides);
  return { json, workload: workloads[0], deployment: only(json, 'kubernetes_deployment_v1') };
}

function vaultEgressOf(json: JsonObject): JsonObject {
  const egress = (byPath(json, 'kubernetes_network_policy_v1', 'EgressAllowList').spec as JsonObject)
    .egress as JsonObject[];
  return egress[2];
}

describe('healthCommand', () => {
  test('without it the MCP container has no probes, cloudflared keeps its own, and the pack warns (MCP-K8S-8W) without failing', () => {
    const { json, deployment } = synth({ healthCommand: undefined });
    const mcp = containerOf(deployment, 'mcp-server');
    expect(mcp.liveness_probe).toBeUndefined();
    expect(mcp.readiness_probe).toBeUndefined();
    expect(containerOf(deployment, 'cloudflared').liveness_probe).toBeDefined();
    expect(packFindings(json)).toEqual([['MCP-K8S-8W', 'warning']]);
  });
});

describe('replicas', () => {
  test('sets the replica count and sizes the quota for one full rolling update', () => {
    const { json, deployment, workload } = synth({ replicas: 3 });
    expect((deployment.spec as JsonObject).replicas).toBe('3');
    expect((only(json, 'kubernetes_resource_quota_v1').spec as JsonObject).hard).toMatchObject({
      pods: '6',
      'requests.cpu': '900m',
      'requests.memory': '1152Mi',
      'limits.memory': '2304Mi',
    });
    expect(annotationsOf(workload, 'warn')).toEqual([]);
  });

  test('warns when one replica weakens the default of two', () => {
    const { workload } = synth({ replicas: 1 });
    expect(annotationsOf(workload, 'warn')).toEqual([
      'replicas is 1 (default 2): a single pod makes the tenant unreachable whenever its node drains',
    ]);
  });
});

describe('resources', () => {
  test('replaces only the quantities given and keeps the other defaults', () => {
    const { json, deployment } = synth({
      resources: {
        mcp: { requests: { cpu: '250m' }, limits: { memory: '1Gi', cpu: '1' } },
        cloudflared: { limits: { memory: '96Mi' } },
      },
    });
    expect(containerOf(deployment, 'mcp-server').resources).toEqual({
      requests: { cpu: '250m', memory: '128Mi' },
      limits: { cpu: '1', memory: '1Gi' },
    });
    expect(containerOf(deployment, 'cloudflared').resources).toEqual({
      requests: { cpu: '50m', memory: '64Mi' },
      limits: { memory: '96Mi' },
    });
    expect((only(json, 'kubernetes_resource_quota_v1').spec as JsonObject).hard).toMatchObject({
      'requests.cpu': '1200m',
      'limits.memory': '4480Mi',
    });
  });
});

describe('cloudflaredImage', () => {
  test('uses a digest-pinned image without a warning', () => {
    const image = `cloudflare/cloudflared:2026.9.3@${DIGEST}`;
    const { deployment, workload } = synth({ cloudflaredImage: image });
    expect(containerOf(deployment, 'cloudflared').image).toBe(image);
    expect(annotationsOf(workload, 'warn')).toEqual([]);
  });

  test('warns, naming the default, when the image is pinned by tag only', () => {
    const { deployment, workload, json } = synth({ cloudflaredImage: 'cloudflare/cloudflared:2026.9.3' });
    expect(containerOf(deployment, 'cloudflared').image).toBe('cloudflare/cloudflared:2026.9.3');
    expect(annotationsOf(workload, 'warn')).toEqual([
      `cloudflaredImage 'cloudflare/cloudflared:2026.9.3' is pinned by tag only (default '${CLOUDFLARED_IMAGE}' is pinned by digest): a re-pushed tag changes what runs`,
    ]);
    expect(packFindings(json)).toEqual([['MCP-K8S-9W', 'warning']]);
  });
});

describe('localPort, vault.authPath and tunnelTokenRevision', () => {
  test('set the advertised resource URL and allowed origins, the Vault auth path and the token revision', () => {
    const { json, deployment, workload } = synth({
      localPort: 7801,
      vault: { address: 'https://vault.example.com', authPath: 'k8s/prod' },
      tunnelTokenRevision: 3,
    });
    expect(envOf(containerOf(deployment, 'mcp-server'))).toMatchObject({
      MCP_RESOURCE_URL: 'http://127.0.0.1:7801/mcp',
      MCP_ALLOWED_ORIGINS: 'http://127.0.0.1:7801,http://localhost:7801',
      VAULT_ADDR: 'https://vault.example.com',
      VAULT_AUTH_PATH: 'k8s/prod',
    });
    expect(workload.resourceUrl).toBe('http://127.0.0.1:7801/mcp');
    expect(only(json, 'kubernetes_secret_v1').data_wo_revision).toBe(3);
    // https without a port: Vault egress on 443.
    expect(vaultEgressOf(json).ports).toEqual([{ protocol: 'TCP', port: '443' }]);
  });
});

describe('Vault egress', () => {
  test('an IP literal address allows that address only', () => {
    const { json } = synth({ vault: { address: 'https://10.20.30.40:8200' } });
    expect(vaultEgressOf(json)).toEqual({
      to: [{ ip_block: { cidr: '10.20.30.40/32' } }],
      ports: [{ protocol: 'TCP', port: '8200' }],
    });
  });

  test('an in-cluster service address allows its namespace only', () => {
    const { json } = synth({ vault: { address: 'https://vault.vault-system.svc.cluster.local:8200' } });
    expect(vaultEgressOf(json).to).toEqual([
      { namespace_selector: { match_labels: { 'kubernetes.io/metadata.name': 'vault-system' } } },
    ]);
  });

  test("explicit CIDRs and namespace labels replace the derived destination; the port is the address's", () => {
    const { json } = synth({
      vault: { address: 'https://vault.example.com:8201' },
      vaultEgress: {
        cidrs: ['10.1.0.0/24'],
        namespaceLabels: { team: 'vault' },
        podLabels: { app: 'vault' },
        port: 8201,
      },
    });
    expect(vaultEgressOf(json)).toEqual({
      to: [
        { ip_block: { cidr: '10.1.0.0/24' } },
        { namespace_selector: { match_labels: { team: 'vault' } }, pod_selector: { match_labels: { app: 'vault' } } },
      ],
      ports: [{ protocol: 'TCP', port: '8201' }],
    });
  });

  test('an address that is a token allows TCP 8200 to public addresses and says so', () => {
    const stack = newStack();
    const address = new TerraformVariable(stack, 'vault_address', { type: 'string' }).stringValue;
    const workload = new LoopbackMcpDeployment(stack, 'acme', workloadProps(stack, 'acme', { vault: { address } }));
    const json = rawJson(stack);
    expect(vaultEgressOf(json)).toEqual({
      to: [{ ip_block: { cidr: '0.0.0.0/0', except: expect.arrayContaining(['10.0.0.0/8']) } }],
      ports: [{ protocol: 'TCP', port: '8200' }],
    });
    expect(annotationsOf(workload, 'info')).toEqual([
      'vault.address is a Terraform token: Vault egress is allowed on TCP 8200 to public addresses only; set vaultEgress to name Vault exactly',
    ]);
  });

  test('refuses a plain http Vault address, and warns about nothing', () => {
    const stack = newStack();
    expect(
      () =>
        new LoopbackMcpDeployment(
          stack,
          'acme',
          workloadProps(stack, 'acme', { vault: { address: 'http://vault.vault.svc:8200' } }),
        ),
    ).toThrow(
      "vault.address must be an https URL (Vault tokens and secrets cross the network), but 'http://vault.vault.svc:8200' was provided",
    );
  });
});

describe('addons', () => {
  const shipper = (stack: ReturnType<typeof newStack>): PodAddon => ({
    name: 'audit',
    containers: [
      {
        name: 'audit-shipper',
        image: `timberio/vector:0.57.0-distroless-static@${DIGEST}`,
        args: ['--config', '/etc/vector/vector.json'],
        resources: { requests: { cpu: '20m', memory: '32Mi' }, limits: { memory: '64Mi' } },
        securityContext: {
          runAsNonRoot: true,
          runAsUser: '65532',
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ['ALL'] },
          seccompProfile: { type: 'RuntimeDefault' },
        },
        livenessProbe: { exec: { command: ['vector', 'validate', '--no-environment'] } },
        readinessProbe: { exec: { command: ['vector', 'validate', '--no-environment'] } },
        volumeMount: [{ name: 'audit-log', mountPath: '/var/log/mcp', readOnly: true }],
      },
    ],
    volumes: [
      { name: 'audit-log', emptyDir: { medium: 'Memory', sizeLimit: '32Mi' } },
      { name: 'vector-config', configMap: { name: 'audit-shipper-config' } },
    ],
    configMaps: { 'audit-shipper-config': { 'vector.json': '{"sources":{}}' } },
    secrets: {
      'audit-shipper-r2': {
        AWS_ACCESS_KEY_ID: new TerraformVariable(stack, 'r2_key_id', { type: 'string', sensitive: true }).stringValue,
        AWS_SECRET_ACCESS_KEY: new TerraformVariable(stack, 'r2_secret', { type: 'string', sensitive: true })
          .stringValue,
      },
    },
    secretRevision: 2,
    mcpEnv: { MCP_AUDIT_LOG_PATH: '/var/log/mcp/audit.jsonl' },
    mcpVolumeMounts: [{ name: 'audit-log', mountPath: '/var/log/mcp' }],
  });

  let json: JsonObject;
  let deployment: JsonObject;
  let workload: LoopbackMcpDeployment;

  beforeAll(() => {
    const stack = newStack();
    workload = new LoopbackMcpDeployment(stack, 'acme', workloadProps(stack, 'acme', { addons: [shipper(stack)] }));
    json = rawJson(stack);
    deployment = only(json, 'kubernetes_deployment_v1');
  });

  test("creates the addon's config maps and write-only secrets in the tenant namespace", () => {
    const configMap = byPath(json, 'kubernetes_config_map_v1', 'Addon-audit-ConfigMap-audit-shipper-config');
    expect((configMap.metadata as JsonObject).name).toBe('audit-shipper-config');
    expect((configMap.metadata as JsonObject).namespace).toMatch(/^\$\{kubernetes_namespace_v1\.acme_Namespace_/);
    expect(configMap.data).toEqual({ 'vector.json': '{"sources":{}}' });
    const secret = byPath(json, 'kubernetes_secret_v1', 'Addon-audit-Secret-audit-shipper-r2');
    expect(secret.data_wo).toEqual({
      AWS_ACCESS_KEY_ID: '${var.r2_key_id}',
      AWS_SECRET_ACCESS_KEY: '${var.r2_secret}',
    });
    expect(secret.data_wo_revision).toBe(2);
    expect(secret.data).toBeUndefined();
  });

  test('adds its containers and volumes to the pod, its env and mounts to the MCP container', () => {
    const pod = podSpecOf(deployment);
    expect((pod.container as JsonObject[]).map((c) => c.name)).toEqual(['mcp-server', 'cloudflared', 'audit-shipper']);
    expect((pod.volume as JsonObject[]).map((v) => v.name)).toEqual([
      'tmp',
      'vault-token',
      'audit-log',
      'vector-config',
    ]);
    const mcp = containerOf(deployment, 'mcp-server');
    expect(envOf(mcp).MCP_AUDIT_LOG_PATH).toBe('/var/log/mcp/audit.jsonl');
    expect(mcp.volume_mount).toContainEqual({ name: 'audit-log', mount_path: '/var/log/mcp' });
  });

  test('names the addon containers in the pod template annotation mcp-access.io/addons (none without addons)', () => {
    const template = (deployment.spec as JsonObject).template as JsonObject;
    expect((template.metadata as JsonObject).annotations).toEqual({
      'kubectl.kubernetes.io/default-container': 'mcp-server',
      'mcp-access.io/addons': 'audit-shipper',
      'mcp-access.io/secrets-revision': 'tunnel=1,audit=2',
    });
    const plain = synth({}).json;
    const plainTemplate = (only(plain, 'kubernetes_deployment_v1').spec as JsonObject).template as JsonObject;
    expect((plainTemplate.metadata as JsonObject).annotations).toEqual({
      'kubectl.kubernetes.io/default-container': 'mcp-server',
      'mcp-access.io/secrets-revision': 'tunnel=1',
    });
  });

  test('a new secret revision (a rotated token) changes the pod template, so the pods restart onto it', () => {
    const annotationsOf = (json: JsonObject) =>
      (((only(json, 'kubernetes_deployment_v1').spec as JsonObject).template as JsonObject).metadata as JsonObject)
        .annotations as JsonObject;
    expect(annotationsOf(synth({ tunnelTokenRevision: 3 }).json)['mcp-access.io/secrets-revision']).toBe('tunnel=3');
  });

  test('names every container of several addons, in pod order', () => {
    const stack = newStack();
    const base = shipper(stack).containers[0];
    const two: PodAddon = {
      name: 'extra',
      containers: [
        { ...base, name: 'policy-agent', volumeMount: [] },
        { ...base, name: 'metrics-relay', volumeMount: [] },
      ],
    };
    const pair = new LoopbackMcpDeployment(stack, 'acme', workloadProps(stack, 'acme', { addons: [two] }));
    const template = (only(rawJson(stack), 'kubernetes_deployment_v1').spec as JsonObject).template as JsonObject;
    expect(pair.deployment).toBeDefined();
    expect(((template.metadata as JsonObject).annotations as JsonObject)['mcp-access.io/addons']).toBe(
      'policy-agent,metrics-relay',
    );
  });

  test('creates the config maps and secrets before the deployment that mounts them', () => {
    const dependsOn = deployment.depends_on as string[];
    expect(dependsOn).toHaveLength(2);
    expect(dependsOn.some((d) => d.startsWith('kubernetes_config_map_v1.'))).toBe(true);
    expect(dependsOn.some((d) => d.startsWith('kubernetes_secret_v1.'))).toBe(true);
    expect(workload.node.findAll().filter((c) => c instanceof ConfigMapV1)).toHaveLength(1);
  });

  test('counts the addon in the quota and passes the rule pack', () => {
    expect((only(json, 'kubernetes_resource_quota_v1').spec as JsonObject).hard).toMatchObject({
      'requests.cpu': '680m', // (100m + 50m + 20m) x 4 pods
      'requests.memory': '896Mi', // (128Mi + 64Mi + 32Mi) x 4
      'limits.memory': '1792Mi', // (256Mi + 128Mi + 64Mi) x 4
    });
    expect(packFindings(json)).toEqual([]);
  });
});

describe('Terraform tokens', () => {
  test('every prop may be a Terraform variable; values flow into the resources by reference', () => {
    const stack = newStack();
    const str = (id: string) => new TerraformVariable(stack, id, { type: 'string' }).stringValue;
    const num = (id: string) => new TerraformVariable(stack, id, { type: 'number' }).numberValue;
    new LoopbackMcpDeployment(stack, 'acme', {
      ...workloadProps(stack, 'acme'),
      image: str('image'),
      port: num('port'),
      localPort: num('local_port'),
      replicas: num('replicas'),
      tunnelTokenRevision: num('revision'),
      identity: { issuer: str('issuer'), audience: str('audience') },
      vault: { address: str('vault_address'), authPath: str('auth_path') },
      vaultEgress: { cidrs: [str('vault_cidr')], port: num('vault_port') },
      resources: { mcp: { requests: { cpu: str('cpu') }, limits: { memory: str('memory') } } },
      cloudflaredImage: str('cloudflared_image'),
      healthCommand: [str('health')],
    });
    const json = rawJson(stack);
    const deployment = only(json, 'kubernetes_deployment_v1');
    expect((deployment.spec as JsonObject).replicas).toBe('${var.replicas}');
    const mcp = containerOf(deployment, 'mcp-server');
    expect(mcp.image).toBe('${var.image}');
    expect(envOf(mcp)).toMatchObject({
      MCP_PORT: '${var.port}',
      MCP_RESOURCE_URL: 'http://127.0.0.1:${var.local_port}/mcp',
      MCP_OAUTH_ISSUER: '${var.issuer}',
      VAULT_ADDR: '${var.vault_address}',
    });
    expect(vaultEgressOf(json)).toEqual({
      to: [{ ip_block: { cidr: '${var.vault_cidr}' } }],
      ports: [{ protocol: 'TCP', port: '${var.vault_port}' }],
    });
    // The quota cannot be sized from unresolved values: it keeps only the exposure bans.
    expect((only(json, 'kubernetes_resource_quota_v1').spec as JsonObject).hard).toEqual({
      services: '0',
      'services.loadbalancers': '0',
      'services.nodeports': '0',
      'count/ingresses.networking.k8s.io': '0',
    });
    expect(Object.keys(resourcesOf(json, 'kubernetes_secret_v1'))).toHaveLength(1);
  });
});

describe('Kubernetes quantities', () => {
  test.each([
    ['100m', 0.1],
    ['1.5', 1.5],
    ['2', 2],
    ['128Mi', 128 * 2 ** 20],
    ['1Gi', 2 ** 30],
    ['1G', 1e9],
    ['1e3', 1000],
    ['+500k', 500000],
  ])('parses %s', (text, value) => {
    expect(parseQuantity(text)).toBeCloseTo(value);
  });

  test.each(['', '1 core', '-1', '1.2.3', 'Mi', '10MB'])('refuses %p', (text) => {
    expect(parseQuantity(text)).toBeUndefined();
  });

  test('a positive quantity is above zero', () => {
    expect(isPositiveQuantity('0')).toBe(false);
    expect(isPositiveQuantity('1m')).toBe(true);
  });

  test('formats CPU in millicores rounded up, memory in Mi when whole', () => {
    expect(formatCpu(0.6)).toBe('600m');
    expect(formatCpu(0.0001)).toBe('1m');
    expect(formatMemory(768 * 2 ** 20)).toBe('768Mi');
    expect(formatMemory(1e9)).toBe('1000000000');
  });
});

describe('pod decisions', () => {
  test('Vault egress from an http address without a port goes to port 80', () => {
    expect(planVaultEgress('http://10.0.0.5', undefined)).toEqual({
      port: 80,
      to: [{ ipBlock: { cidr: '10.0.0.5/32' } }],
      basis: 'ip-literal',
    });
  });

  test('Vault egress from an IPv6 literal allows that one address', () => {
    expect(planVaultEgress('https://[fd00::5]:8200', undefined).to).toEqual([{ ipBlock: { cidr: 'fd00::5/128' } }]);
  });

  test('Vault egress from a public name allows public addresses only', () => {
    const plan = planVaultEgress('https://vault.example.com', undefined);
    expect(plan.basis).toBe('public-addresses');
    expect(plan.to).toEqual([
      { ipBlock: { cidr: '0.0.0.0/0', except: expect.arrayContaining(['10.0.0.0/8', '169.254.0.0/16']) } },
    ]);
  });

  test('the quota omits sizes it cannot compute and always bans exposure', () => {
    expect(quotaHard(2, [{ resources: { requests: { cpu: '100m' } } }])).toEqual({
      services: '0',
      'services.loadbalancers': '0',
      'services.nodeports': '0',
      'count/ingresses.networking.k8s.io': '0',
      pods: '4',
      'requests.cpu': '400m',
    });
  });
});
