/**
 * The ports layer's tamper rows: hand edits of the examples' synthesized JSON, as a reviewer would
 * make them in `cdk.tf.json`, each refused by a named MCP-K8S rule; and the unedited examples pass.
 */
import { formatFinding } from '../../../lib/checks/engine';
import { PORTS_RULES } from '../../../lib/checks/rules/ports';
import type { JsonObject } from '../../../lib/model/json';
import { SynthesizedApp } from '../../../lib/model/stack';
import { check, editableStacks, type ExampleName, first, resources, type Tamper } from './harness';

/** A tamper row that also names a fragment of the finding's detail (the value found). */
interface PortsTamper extends Tamper {
  readonly detail: string;
}

const PORTS_IDS = new Set(PORTS_RULES.map((r) => r.id));

const deployment = (json: JsonObject, prefix = ''): JsonObject => first(json, 'kubernetes_deployment_v1', prefix);
const template = (json: JsonObject, prefix = ''): JsonObject =>
  (deployment(json, prefix).spec as JsonObject).template as JsonObject;
const pod = (json: JsonObject, prefix = ''): JsonObject => template(json, prefix).spec as JsonObject;
const containers = (json: JsonObject, prefix = ''): JsonObject[] => pod(json, prefix).container as JsonObject[];
const container = (json: JsonObject, name: string, prefix = ''): JsonObject =>
  containers(json, prefix).find((c) => c.name === name)!;
const envOf = (json: JsonObject, prefix = ''): JsonObject[] =>
  container(json, 'mcp-server', prefix).env as JsonObject[];
const egressPolicy = (json: JsonObject, prefix = ''): JsonObject =>
  Object.entries(resources(json, 'kubernetes_network_policy_v1')).find(
    ([name, body]) => name.startsWith(prefix) && (body.metadata as JsonObject).name === 'mcp-server-egress',
  )![1].spec as JsonObject;

/** Adds a resource to a stack's JSON. */
function add(json: JsonObject, type: string, name: string, body: JsonObject): void {
  const block = json.resource as Record<string, Record<string, JsonObject>>;
  (block[type] ??= {})[name] = body;
}

/** The first cell stack of the fleet that runs an MCP deployment. */
function fleetCell(stacks: Record<string, JsonObject>): JsonObject {
  const found = Object.entries(stacks).find(
    ([name, json]) => name.startsWith('cells') && Object.keys(resources(json, 'kubernetes_deployment_v1')).length > 0,
  );
  if (!found) throw new Error('no cell stack with a deployment');
  return found[1];
}

/**
 * The foundation stack a cell reads through `terraform_remote_state`, and how the cell refers to one of
 * its outputs (found as the pack finds it: by the backend the data source names).
 */
function foundationOf(
  stacks: Record<string, JsonObject>,
  cell: JsonObject,
): { json: JsonObject; ref: (output: string) => string } {
  const app = new SynthesizedApp(Object.entries(stacks).map(([name, json]) => ({ name, json })));
  const cellStack = app.stacks.find((st) => st.json === cell)!;
  for (const entry of cellStack.ofType('data.terraform_remote_state')) {
    const producer = app.producerOf(entry);
    if (producer && producer.name.startsWith('foundation')) {
      return {
        json: producer.json,
        ref: (output) => `\${data.terraform_remote_state.${entry.name}.outputs.${output}}`,
      };
    }
  }
  throw new Error('the cell reads no foundation stack');
}

const ROWS: readonly PortsTamper[] = [
  {
    what: 'add a sidecar container to the MCP pod',
    example: 'multi-tenant',
    edit: (s) =>
      containers(s['multi-tenant'], 'Mcp_acme').push({
        ...container(s['multi-tenant'], 'cloudflared', 'Mcp_acme'),
        name: 'debug',
      }),
    refusedBy: 'MCP-K8S-11',
    detail: "container 'debug' is not one the library declares",
  },
  {
    what: 'run the pod as root (UID 0)',
    example: 'quickstart',
    edit: (s) => ((pod(s.quickstart).security_context as JsonObject).run_as_user = '0'),
    refusedBy: 'MCP-K8S-4',
    detail: 'the pod runs as UID 0',
  },
  {
    what: 'turn privileged from false to true on cloudflared',
    example: 'quickstart',
    edit: (s) => ((container(s.quickstart, 'cloudflared').security_context as JsonObject).privileged = true),
    refusedBy: 'MCP-K8S-2',
    detail: "container 'cloudflared' is privileged",
  },
  {
    what: 'add a hostPath volume',
    example: 'multi-tenant',
    edit: (s) =>
      (pod(s['multi-tenant'], 'Mcp_globex').volume as JsonObject[]).push({
        name: 'docker',
        host_path: { path: '/var/run/docker.sock' },
      }),
    refusedBy: 'MCP-K8S-2',
    detail: "volume 'docker' is of type host_path, outside the restricted list",
  },
  {
    what: 'add a network policy that lets traffic into the MCP namespace',
    example: 'quickstart',
    edit: (s) =>
      add(s.quickstart, 'kubernetes_network_policy_v1', 'allow_in', {
        metadata: { name: 'allow-in', namespace: 'mcp-acme' },
        spec: { pod_selector: {}, policy_types: ['Ingress'], ingress: [{}] },
      }),
    refusedBy: 'MCP-K8S-10',
    detail: 'ingress rule 0 lets traffic in from everywhere',
  },
  {
    what: 'allow egress to the cloud metadata address 169.254.169.254/32',
    example: 'multi-tenant',
    edit: (s) =>
      (egressPolicy(s['multi-tenant'], 'Mcp_initech').egress as JsonObject[]).push({
        to: [{ ip_block: { cidr: '169.254.169.254/32' } }],
        ports: [{ port: '80', protocol: 'TCP' }],
      }),
    refusedBy: 'MCP-K8S-10',
    detail: '169.254.169.254/32, which reaches link-local or cloud metadata addresses',
  },
  {
    what: 'drop the ports of the Cloudflare edge rule (egress on every port)',
    example: 'quickstart',
    edit: (s) => delete (egressPolicy(s.quickstart).egress as JsonObject[])[1].ports,
    refusedBy: 'MCP-K8S-10',
    detail: 'egress rule 1 allows every port',
  },
  {
    what: 'bind the MCP server to 0.0.0.0 through args --host 0.0.0.0',
    example: 'quickstart',
    edit: (s) => (container(s.quickstart, 'mcp-server').args = ['--host', '0.0.0.0']),
    refusedBy: 'MCP-K8S-13',
    detail: "args names a listen address or port ('--host')",
  },
  {
    what: 'the same bind, judged as a wildcard address',
    example: 'quickstart',
    edit: (s) => (container(s.quickstart, 'mcp-server').args = ['--host', '0.0.0.0']),
    refusedBy: 'MCP-K8S-6',
    detail: "args names a wildcard address ('0.0.0.0')",
  },
  {
    what: 'add a Service in the MCP namespace',
    example: 'multi-tenant',
    edit: (s) =>
      add(s['multi-tenant'], 'kubernetes_service_v1', 'expose', {
        metadata: { name: 'mcp', namespace: 'mcp-acme' },
        spec: { type: 'LoadBalancer', port: [{ port: 80, target_port: '8080' }] },
      }),
    refusedBy: 'MCP-K8S-6',
    detail: "this Service is in MCP namespace 'mcp-acme'",
  },
  {
    what: 'lower the Pod Security level of the tenant namespace through kubernetes_labels',
    example: 'quickstart',
    edit: (s) =>
      add(s.quickstart, 'kubernetes_labels', 'relax', {
        api_version: 'v1',
        kind: 'Namespace',
        metadata: { name: 'mcp-acme' },
        labels: { 'pod-security.kubernetes.io/enforce': 'privileged' },
        force: true,
      }),
    refusedBy: 'MCP-K8S-1',
    detail: "namespace 'mcp-acme' enforces Pod Security 'privileged'",
  },
  {
    what: 'pin the Pod Security version of the tenant namespace to an old release',
    example: 'multi-tenant',
    edit: (s) => {
      const ns = first(s['multi-tenant'], 'kubernetes_namespace_v1', 'Mcp_acme');
      ((ns.metadata as JsonObject).labels as JsonObject)['pod-security.kubernetes.io/enforce-version'] = 'v1.22';
    },
    refusedBy: 'MCP-K8S-1',
    detail: "enforce-version is 'v1.22', older than the pinned v1.33",
  },
  {
    what: 'bind the built-in edit role in the MCP namespace',
    example: 'quickstart',
    edit: (s) =>
      add(s.quickstart, 'kubernetes_role_binding_v1', 'edit', {
        metadata: { name: 'edit', namespace: 'mcp-acme' },
        role_ref: { api_group: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' },
        subject: [{ kind: 'User', name: 'mallory', api_group: 'rbac.authorization.k8s.io' }],
      }),
    refusedBy: 'MCP-K8S-12',
    detail: "binds ClusterRole 'edit', which no stack of the app declares",
  },
  {
    what: 'add a Deployment through kubernetes_manifest in the MCP namespace, running as UID 0',
    example: 'quickstart',
    edit: (s) =>
      add(s.quickstart, 'kubernetes_manifest', 'helper', {
        manifest: {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'helper', namespace: 'mcp-acme' },
          spec: {
            selector: { matchLabels: { app: 'helper' } },
            template: {
              metadata: { labels: { app: 'helper' } },
              spec: { containers: [{ name: 'helper', image: 'busybox:1.36', securityContext: { runAsUser: 0 } }] },
            },
          },
        },
      }),
    refusedBy: 'MCP-K8S-4',
    detail: "container 'helper' runs as UID 0",
  },
  {
    what: 'patch the MCP container environment with kubernetes_env',
    example: 'multi-tenant',
    edit: (s) =>
      add(s['multi-tenant'], 'kubernetes_env', 'bind', {
        api_version: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'mcp-server', namespace: 'mcp-globex' },
        container: 'mcp-server',
        env: [{ name: 'MCP_BIND_ADDRESS', value: '0.0.0.0' }],
      }),
    refusedBy: 'MCP-K8S-13',
    detail: "it patches the environment of 'Deployment' 'mcp-server' in MCP namespace 'mcp-globex'",
  },
  {
    what: 'mount the Kubernetes API token into the MCP pod',
    example: 'fleet',
    edit: (s) => (pod(fleetCell(s)).automount_service_account_token = true),
    refusedBy: 'MCP-K8S-5',
    detail: 'the pod does not set automount_service_account_token = false',
  },
  {
    what: 'read the bind address from a foundation output that says 0.0.0.0 (only visible in the foundation)',
    example: 'fleet',
    edit: (s) => {
      const cell = fleetCell(s);
      const foundation = foundationOf(s, cell);
      (foundation.json.output as Record<string, JsonObject>).listen_address = { value: '0.0.0.0' };
      envOf(cell).find((e) => e.name === 'MCP_BIND_ADDRESS')!.value = foundation.ref('listen_address');
    },
    refusedBy: 'MCP-K8S-6',
    detail: "container 'mcp-server' binds MCP_BIND_ADDRESS=0.0.0.0, not loopback",
  },
  {
    what: 'open Vault egress to a foundation output that holds the whole 10.0.0.0/8 (only visible in the foundation)',
    example: 'fleet',
    edit: (s) => {
      const cell = fleetCell(s);
      const foundation = foundationOf(s, cell);
      (foundation.json.output as Record<string, JsonObject>).vault_cidr = { value: '10.0.0.0/8' };
      (egressPolicy(cell).egress as JsonObject[])[2].to = [{ ip_block: { cidr: foundation.ref('vault_cidr') } }];
    },
    refusedBy: 'MCP-K8S-10',
    detail: '10.0.0.0/8, which reaches private addresses (10.0.0.0/8)',
  },
];

/** Error lines of the ports rules. */
function portsErrors(stacks: Record<string, JsonObject>): string[] {
  return check(stacks).flatMap((r) =>
    r.findings
      .filter((f) => f.level === 'error' && PORTS_IDS.has(f.ruleId))
      .map((f) => `[${r.stack}] ${formatFinding(f)}`),
  );
}

describe('tamper: the ports layer', () => {
  test('has rows for at least 8 edits, one of them in the fleet behind a foundation reference', () => {
    expect(ROWS.length).toBeGreaterThanOrEqual(8);
    expect(ROWS.filter((r) => r.example === 'fleet' && r.what.includes('foundation'))).not.toHaveLength(0);
  });

  test.each(['quickstart', 'multi-tenant', 'fleet'] as ExampleName[])(
    'the unedited %s example: no error from the ports rules, and they apply',
    (example) => {
      const stacks = editableStacks(example);
      const reports = check(stacks);
      expect(reports.length).toBeGreaterThan(0);
      expect(portsErrors(stacks)).toEqual([]);
      const applied = new Set(reports.flatMap((r) => r.applied));
      for (const id of ['MCP-K8S-1', 'MCP-K8S-6', 'MCP-K8S-7', 'MCP-K8S-10', 'MCP-K8S-11', 'MCP-K8S-13']) {
        expect([id, applied.has(id)]).toEqual([id, true]);
      }
    },
  );

  test('follows a reference into the foundation: a loopback bind address read from there is accepted, not undecided', () => {
    const stacks = editableStacks('fleet');
    const cell = fleetCell(stacks);
    const foundation = foundationOf(stacks, cell);
    (foundation.json.output as Record<string, JsonObject>).listen_address = { value: '127.0.0.1' };
    envOf(cell).find((e) => e.name === 'MCP_BIND_ADDRESS')!.value = foundation.ref('listen_address');
    expect(portsErrors(stacks)).toEqual([]);
  });

  test.each(ROWS.map((r) => [r.what, r] as const))('refuses: %s', (_what, row) => {
    const stacks = editableStacks(row.example);
    row.edit(stacks);
    const refused = portsErrors(stacks).filter((line) => line.includes(`${row.refusedBy} error`));
    expect(refused).not.toEqual([]);
    expect(refused.join('\n')).toContain(row.detail);
  });
});
