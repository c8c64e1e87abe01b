/**
 * The converter from Kubernetes API objects (what a `kubernetes_manifest` holds) to the shape of the
 * typed provider resources, checked three ways: against the same pod written with the typed
 * DeploymentV1 and synthesized by cdktf, against the attribute names of @cdktf/provider-kubernetes
 * 12.1.1, and on the API objects the official schemas (kubernetes-models) accept.
 */
import * as fs from 'fs';
import * as path from 'path';
import { DeploymentV1 } from '@cdktf/provider-kubernetes/lib/deployment-v1';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { ClusterRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole';
import { RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import { isObject, type JsonObject } from '../../lib/model/json';
import { kubernetesToProvider, snakeCase } from '../../lib/model/pods';
import { DIGEST, newStack, rawJson, resourcesOf } from '../helpers';

const IMAGE = `ghcr.io/acme/mcp@${DIGEST}`;

/** The pod of a Deployment in Kubernetes API JSON: every field family the rules read, and more. */
const API_POD = {
  serviceAccountName: 'mcp-server',
  automountServiceAccountToken: false,
  enableServiceLinks: false,
  hostNetwork: false,
  hostPID: false,
  hostIPC: false,
  securityContext: {
    runAsNonRoot: true,
    runAsUser: 65532,
    runAsGroup: 65532,
    fsGroup: 65532,
    seccompProfile: { type: 'RuntimeDefault' },
    seLinuxOptions: { type: 'container_t' },
    sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }],
  },
  nodeSelector: { 'kubernetes.io/os': 'linux' },
  tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'mcp', effect: 'NoSchedule' }],
  topologySpreadConstraints: [
    {
      maxSkew: 1,
      topologyKey: 'kubernetes.io/hostname',
      whenUnsatisfiable: 'ScheduleAnyway',
      labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'mcp-server' } },
    },
  ],
  dnsConfig: { nameservers: ['10.0.0.10'], options: [{ name: 'ndots', value: '2' }], searches: ['svc.cluster.local'] },
  imagePullSecrets: [{ name: 'registry' }],
  hostAliases: [{ ip: '127.0.0.1', hostnames: ['mcp.local'] }],
  readinessGates: [{ conditionType: 'example.com/ready' }],
  initContainers: [
    {
      name: 'init',
      image: IMAGE,
      command: ['/bin/true'],
      resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { memory: '16Mi' } },
      securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
    },
  ],
  containers: [
    {
      name: 'mcp-server',
      image: IMAGE,
      imagePullPolicy: 'IfNotPresent',
      args: ['serve'],
      workingDir: '/srv',
      env: [
        { name: 'MCP_BIND_ADDRESS', value: '127.0.0.1' },
        { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'secret', key: 'token' } } },
        { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      ],
      envFrom: [{ configMapRef: { name: 'settings' } }],
      ports: [{ containerPort: 8080, name: 'http', protocol: 'TCP', hostPort: 8080 }],
      resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi', 'nvidia.com/gpu': '1' } },
      securityContext: {
        allowPrivilegeEscalation: false,
        privileged: false,
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
        runAsUser: 65532,
        capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] },
        seccompProfile: { type: 'Localhost', localhostProfile: 'profiles/mcp.json' },
      },
      volumeMounts: [{ name: 'tmp', mountPath: '/tmp', subPath: 'scratch' }],
      livenessProbe: { exec: { command: ['/mcp-server', 'healthcheck'] }, periodSeconds: 10, failureThreshold: 3 },
      readinessProbe: {
        httpGet: { path: '/healthz', port: 8080, scheme: 'HTTP', httpHeaders: [{ name: 'X-Probe', value: '1' }] },
      },
      startupProbe: { tcpSocket: { port: 8080 } },
      lifecycle: {
        preStop: { exec: { command: ['sleep', '5'] } },
        postStart: { httpGet: { path: '/started', port: 8080 } },
      },
    },
  ],
  volumes: [
    { name: 'tmp', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } },
    { name: 'host', hostPath: { path: '/var/run', type: 'Directory' } },
    { name: 'settings', configMap: { name: 'settings', items: [{ key: 'a', path: 'a.json' }] } },
    { name: 'secret', secret: { secretName: 'secret', optional: true } },
    { name: 'labels', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] } },
    { name: 'data', persistentVolumeClaim: { claimName: 'data', readOnly: true } },
    {
      name: 'vault-token',
      projected: { sources: [{ serviceAccountToken: { audience: 'vault', expirationSeconds: 600, path: 'token' } }] },
    },
    { name: 'ceph', cephfs: { monitors: ['10.0.0.5:6789'], path: '/' } },
  ],
};

/** The same pod, written with the typed DeploymentV1 (cdktf's camelCase, the provider's singular blocks). */
function typedDeploymentJson(): JsonObject {
  const stack = newStack();
  new DeploymentV1(stack, 'typed', {
    metadata: { name: 'mcp-server', namespace: 'mcp-acme' },
    spec: {
      selector: { matchLabels: { 'app.kubernetes.io/name': 'mcp-server' } },
      template: {
        metadata: { labels: { 'app.kubernetes.io/name': 'mcp-server' } },
        spec: {
          serviceAccountName: 'mcp-server',
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          hostNetwork: false,
          hostPid: false,
          hostIpc: false,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: '65532',
            runAsGroup: '65532',
            fsGroup: '65532',
            seccompProfile: { type: 'RuntimeDefault' },
            seLinuxOptions: { type: 'container_t' },
            sysctl: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }],
          },
          nodeSelector: { 'kubernetes.io/os': 'linux' },
          toleration: [{ key: 'dedicated', operator: 'Equal', value: 'mcp', effect: 'NoSchedule' }],
          topologySpreadConstraint: [
            {
              maxSkew: 1,
              topologyKey: 'kubernetes.io/hostname',
              whenUnsatisfiable: 'ScheduleAnyway',
              labelSelector: [{ matchLabels: { 'app.kubernetes.io/name': 'mcp-server' } }],
            },
          ],
          dnsConfig: {
            nameservers: ['10.0.0.10'],
            option: [{ name: 'ndots', value: '2' }],
            searches: ['svc.cluster.local'],
          },
          imagePullSecrets: [{ name: 'registry' }],
          hostAliases: [{ ip: '127.0.0.1', hostnames: ['mcp.local'] }],
          readinessGate: [{ conditionType: 'example.com/ready' }],
          initContainer: [
            {
              name: 'init',
              image: IMAGE,
              command: ['/bin/true'],
              resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { memory: '16Mi' } },
              securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
            },
          ],
          container: [
            {
              name: 'mcp-server',
              image: IMAGE,
              imagePullPolicy: 'IfNotPresent',
              args: ['serve'],
              workingDir: '/srv',
              env: [
                { name: 'MCP_BIND_ADDRESS', value: '127.0.0.1' },
                { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'secret', key: 'token' } } },
                { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
              ],
              envFrom: [{ configMapRef: { name: 'settings' } }],
              port: [{ containerPort: 8080, name: 'http', protocol: 'TCP', hostPort: 8080 }],
              resources: {
                requests: { cpu: '100m', memory: '128Mi' },
                limits: { memory: '256Mi', 'nvidia.com/gpu': '1' },
              },
              securityContext: {
                allowPrivilegeEscalation: false,
                privileged: false,
                readOnlyRootFilesystem: true,
                runAsNonRoot: true,
                runAsUser: '65532',
                capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] },
                seccompProfile: { type: 'Localhost', localhostProfile: 'profiles/mcp.json' },
              },
              volumeMount: [{ name: 'tmp', mountPath: '/tmp', subPath: 'scratch' }],
              livenessProbe: {
                exec: { command: ['/mcp-server', 'healthcheck'] },
                periodSeconds: 10,
                failureThreshold: 3,
              },
              readinessProbe: {
                httpGet: {
                  path: '/healthz',
                  port: '8080',
                  scheme: 'HTTP',
                  httpHeader: [{ name: 'X-Probe', value: '1' }],
                },
              },
              startupProbe: { tcpSocket: [{ port: '8080' }] },
              lifecycle: {
                preStop: [{ exec: { command: ['sleep', '5'] } }],
                postStart: [{ httpGet: { path: '/started', port: '8080' } }],
              },
            },
          ],
          volume: [
            { name: 'tmp', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } },
            { name: 'host', hostPath: { path: '/var/run', type: 'Directory' } },
            { name: 'settings', configMap: { name: 'settings', items: [{ key: 'a', path: 'a.json' }] } },
            { name: 'secret', secret: { secretName: 'secret', optional: true } },
            {
              name: 'labels',
              downwardApi: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] },
            },
            { name: 'data', persistentVolumeClaim: { claimName: 'data', readOnly: true } },
            {
              name: 'vault-token',
              projected: [
                { sources: [{ serviceAccountToken: { audience: 'vault', expirationSeconds: 600, path: 'token' } }] },
              ],
            },
            { name: 'ceph', cephFs: { monitors: ['10.0.0.5:6789'], path: '/' } },
          ],
        },
      },
    },
  });
  return Object.values(resourcesOf(rawJson(stack), 'kubernetes_deployment_v1'))[0];
}

/**
 * Compares shapes, not spellings of values: the provider writes some numbers as strings and some
 * single blocks as one-element lists, which the rules read the same (`block()`, `numberValue()`).
 */
function normalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalize);
  if (isObject(value)) {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === '//') continue;
      const n = normalize(v);
      out[k] = isObject(n) ? [n] : n;
    }
    return out;
  }
  return value === undefined ? value : String(value);
}

const apiDeployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'mcp-server', namespace: 'mcp-acme' },
  spec: {
    selector: { matchLabels: { 'app.kubernetes.io/name': 'mcp-server' } },
    template: { metadata: { labels: { 'app.kubernetes.io/name': 'mcp-server' } }, spec: API_POD },
  },
};

/** Every attribute name a resource's typed structs synthesize to (read from the provider package). */
function providerAttributes(resourceDir: string): Set<string> {
  const dir = path.join(path.dirname(require.resolve('@cdktf/provider-kubernetes/package.json')), 'lib', resourceDir);
  const files = [path.join(dir, 'index.js')];
  const structs = path.join(dir, 'index-structs');
  if (fs.existsSync(structs)) {
    for (const f of fs.readdirSync(structs)) if (f.endsWith('.js')) files.push(path.join(structs, f));
  }
  const names = new Set<string>();
  for (const file of files) {
    for (const m of fs
      .readFileSync(file, 'utf8')
      .matchAll(/^\s+([a-z][a-z0-9_]*): (?:cdktf\.|\(0, [A-Za-z0-9_.]+\)\(|[A-Za-z0-9]+ToTerraform\()/gm)) {
      names.add(m[1] ?? m[2]);
    }
  }
  return names;
}

/** Every attribute name of a converted object, outside the maps whose keys are data. */
function attributeNames(value: unknown, into = new Set<string>()): Set<string> {
  const data = new Set(['labels', 'annotations', 'match_labels', 'node_selector', 'requests', 'limits']);
  if (Array.isArray(value)) for (const v of value) attributeNames(v, into);
  else if (isObject(value)) {
    for (const [k, v] of Object.entries(value)) {
      into.add(k);
      if (!data.has(k)) attributeNames(v, into);
    }
  }
  return into;
}

describe('kubernetesToProvider', () => {
  test('the API objects used here are valid Kubernetes objects (official schemas)', () => {
    expect(() => new Deployment(apiDeployment as never).validate()).not.toThrow();
  });

  test('a Deployment manifest converts to the same pod spec as the typed DeploymentV1 synthesizes', () => {
    const converted = kubernetesToProvider(apiDeployment, 'Deployment') as JsonObject;
    const typed = typedDeploymentJson();
    const podOf = (d: JsonObject) => ((d.spec as JsonObject).template as JsonObject).spec;
    expect(normalize(podOf(converted))).toEqual(normalize(podOf(typed)));
    expect(normalize((converted.spec as JsonObject).selector)).toEqual(normalize((typed.spec as JsonObject).selector));
    expect(normalize(converted.metadata)).toEqual(normalize(typed.metadata));
  });

  test('every attribute of the converted Deployment is an attribute of the provider', () => {
    const converted = kubernetesToProvider(apiDeployment, 'Deployment') as JsonObject;
    const known = providerAttributes('deployment-v1');
    expect(known.size).toBeGreaterThan(200);
    const names = [...attributeNames(converted.spec)];
    expect(names.length).toBeGreaterThan(100);
    expect(names.filter((n) => !known.has(n))).toEqual([]);
  });

  test('maps the fields the rules read to the provider attributes', () => {
    const pod = (
      ((kubernetesToProvider(apiDeployment, 'Deployment') as JsonObject).spec as JsonObject).template as JsonObject
    ).spec as JsonObject;
    const container = (pod.container as JsonObject[])[0];
    expect(Object.keys(pod).sort()).toEqual(
      [
        'automount_service_account_token',
        'container',
        'dns_config',
        'enable_service_links',
        'host_aliases',
        'host_ipc',
        'host_network',
        'host_pid',
        'image_pull_secrets',
        'init_container',
        'node_selector',
        'readiness_gate',
        'security_context',
        'service_account_name',
        'toleration',
        'topology_spread_constraint',
        'volume',
      ].sort(),
    );
    expect(Object.keys(container).sort()).toEqual(
      [
        'args',
        'env',
        'env_from',
        'image',
        'image_pull_policy',
        'lifecycle',
        'liveness_probe',
        'name',
        'port',
        'readiness_probe',
        'resources',
        'security_context',
        'startup_probe',
        'volume_mount',
        'working_dir',
      ].sort(),
    );
    expect(container.port).toEqual([{ container_port: 8080, name: 'http', protocol: 'TCP', host_port: 8080 }]);
    expect((container.readiness_probe as JsonObject).http_get).toEqual({
      path: '/healthz',
      port: 8080,
      scheme: 'HTTP',
      http_header: [{ name: 'X-Probe', value: '1' }],
    });
    expect((container.startup_probe as JsonObject).tcp_socket).toEqual({ port: 8080 });
    expect(container.resources).toEqual({
      requests: { cpu: '100m', memory: '128Mi' },
      limits: { memory: '256Mi', 'nvidia.com/gpu': '1' },
    });
    expect((pod.volume as JsonObject[]).map((v) => Object.keys(v).filter((k) => k !== 'name')[0])).toEqual([
      'empty_dir',
      'host_path',
      'config_map',
      'secret',
      'downward_api',
      'persistent_volume_claim',
      'projected',
      'ceph_fs',
    ]);
    expect((pod.security_context as JsonObject).sysctl).toEqual([
      { name: 'net.ipv4.ip_unprivileged_port_start', value: '0' },
    ]);
  });

  test("keeps a network policy's ports as `ports` (a container's are `port`), and converts peers", () => {
    const policy = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'egress', namespace: 'mcp-acme' },
      spec: {
        podSelector: { matchLabels: { app: 'mcp' } },
        policyTypes: ['Egress'],
        egress: [
          {
            to: [
              { ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } },
              { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'vault' } }, podSelector: {} },
            ],
            ports: [{ protocol: 'TCP', port: 443, endPort: 443 }],
          },
        ],
      },
    };
    expect(() => new NetworkPolicy(policy as never).validate()).not.toThrow();
    const converted = kubernetesToProvider(policy, 'NetworkPolicy') as JsonObject;
    expect(converted.spec).toEqual({
      pod_selector: { match_labels: { app: 'mcp' } },
      policy_types: ['Egress'],
      egress: [
        {
          to: [
            { ip_block: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } },
            { namespace_selector: { match_labels: { 'kubernetes.io/metadata.name': 'vault' } }, pod_selector: {} },
          ],
          ports: [{ protocol: 'TCP', port: 443, end_port: 443 }],
        },
      ],
    });
    const known = providerAttributes('network-policy-v1');
    expect([...attributeNames(converted.spec)].filter((n) => !known.has(n))).toEqual([]);
  });

  test('converts roles and bindings to the provider’s rule, role_ref and subject blocks', () => {
    const role = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'reader' },
      rules: [
        { apiGroups: [''], resources: ['pods'], verbs: ['get'] },
        { nonResourceURLs: ['/metrics'], verbs: ['get'] },
      ],
    };
    const binding = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'read', namespace: 'mcp-acme' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'reader' },
      subjects: [{ kind: 'ServiceAccount', name: 'mcp-server', namespace: 'mcp-acme' }],
    };
    expect(() => new ClusterRole(role as never).validate()).not.toThrow();
    expect(() => new RoleBinding(binding as never).validate()).not.toThrow();
    expect((kubernetesToProvider(role, 'ClusterRole') as JsonObject).rule).toEqual([
      { api_groups: [''], resources: ['pods'], verbs: ['get'] },
      { non_resource_urls: ['/metrics'], verbs: ['get'] },
    ]);
    const convertedBinding = kubernetesToProvider(binding, 'RoleBinding') as JsonObject;
    expect(convertedBinding.role_ref).toEqual({
      api_group: 'rbac.authorization.k8s.io',
      kind: 'ClusterRole',
      name: 'reader',
    });
    expect(convertedBinding.subject).toEqual([{ kind: 'ServiceAccount', name: 'mcp-server', namespace: 'mcp-acme' }]);
    const known = new Set([...providerAttributes('cluster-role-v1'), ...providerAttributes('role-binding-v1')]);
    const names = [...attributeNames(kubernetesToProvider(role)), ...attributeNames(convertedBinding)];
    expect(names.filter((n) => !known.has(n) && n !== 'api_version' && n !== 'kind')).toEqual([]);
  });

  test("keeps a Service's selector map as written (a workload's selector is a label selector)", () => {
    const service = {
      kind: 'Service',
      spec: { selector: { 'app.kubernetes.io/name': 'mcp-server' }, ports: [{ port: 80 }] },
    };
    expect((kubernetesToProvider(service, 'Service') as JsonObject).spec).toEqual({
      selector: { 'app.kubernetes.io/name': 'mcp-server' },
      port: [{ port: 80 }],
    });
  });

  test.each([
    ['hostPID', 'host_pid'],
    ['hostIPC', 'host_ipc'],
    ['downwardAPI', 'downward_api'],
    ['runAsNonRoot', 'run_as_non_root'],
    ['readOnlyRootFilesystem', 'read_only_root_filesystem'],
    ['httpGet', 'http_get'],
    ['tcpSocket', 'tcp_socket'],
    ['emptyDir', 'empty_dir'],
    ['hostPath', 'host_path'],
    ['hostIP', 'host_ip'],
    ['fsGroup', 'fs_group'],
    ['apiVersion', 'api_version'],
    ['name', 'name'],
  ])('snake_case of %s is %s', (name, expected) => {
    expect(snakeCase(name)).toBe(expected);
  });
});
