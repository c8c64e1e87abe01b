/** MCP-K8S-10: no ingress into an MCP namespace; egress only to DNS, the Cloudflare edge and Vault. */
import type { JsonObject } from '../../../../lib/model/stack';
import { MCP_K8S_10, vaultTarget } from '../../../../lib/checks/rules/ports/mcp-k8s-10';
import type { LoopbackMcpDeploymentProps } from '../../../../lib/ports';
import { workloadStack } from '../../../ports/fixtures';
import { addResource, addVariable, clone, containerIn, evaluate, failures, ownJson, problems } from './fixture';

const PUBLIC = {
  cidr: '0.0.0.0/0',
  except: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '169.254.0.0/16', '100.64.0.0/10'],
};

/** The egress allow-list policy of the tenant in JSON. */
function egressOf(json: JsonObject): JsonObject {
  const policies = (json.resource as Record<string, Record<string, JsonObject>>).kubernetes_network_policy_v1;
  const found = Object.values(policies).find((p) => (p.metadata as JsonObject).name === 'mcp-server-egress');
  if (!found) throw new Error('no egress policy');
  return found.spec as JsonObject;
}

/** Adds an egress rule to the allow-list. */
function addEgress(json: JsonObject, rule: JsonObject): void {
  (egressOf(json).egress as JsonObject[]).push(rule);
}

const cache = new Map<string, JsonObject>();
/** One tenant's JSON with other props (synthesized once per set of props). */
function jsonWith(props: Partial<LoopbackMcpDeploymentProps>): JsonObject {
  const key = JSON.stringify(props);
  if (!cache.has(key)) cache.set(key, workloadStack(['acme'], props).json);
  return clone(cache.get(key)!);
}

const EGRESS_ADDRESS = /^kubernetes_network_policy_v1\.acme_EgressAllowList_[0-9A-F]{8}$/;

describe('MCP-K8S-10', () => {
  test.each([
    ['a public name', { vault: { address: 'https://vault.example.com:8200' } }],
    ['an in-cluster service', { vault: { address: 'https://vault.vault.svc:8200' } }],
    ['a private IP literal', { vault: { address: 'https://10.20.30.40:8200' } }],
    ['a public IP literal', { vault: { address: 'https://203.0.113.7' } }],
    ['an IPv6 literal', { vault: { address: 'https://[fd12::7]:8200' } }],
    [
      'declared CIDRs and namespace labels',
      {
        vault: { address: 'https://vault.internal:8200' },
        vaultEgress: {
          cidrs: ['10.1.0.0/24', '10.2.0.0/17'],
          namespaceLabels: { team: 'vault' },
          podLabels: { app: 'vault' },
        },
      },
    ],
  ] as [string, Partial<LoopbackMcpDeploymentProps>][])(
    "compliant: the library's allow-list for Vault at %s",
    (_what, props) => {
      const json = jsonWith(props);
      const evaluations = evaluate(MCP_K8S_10, json);
      expect(evaluations).toHaveLength(2);
      expect(evaluations.every((e) => e.status === 'compliant')).toBe(true);
      expect(evaluations.map((e) => e.address)).toContainEqual(expect.stringMatching(EGRESS_ADDRESS));
    },
  );

  test('non-compliant: an ingress rule, from anywhere or from one namespace', () => {
    const json = ownJson();
    addResource(json, 'kubernetes_network_policy_v1', 'in', {
      metadata: { name: 'in', namespace: 'mcp-acme' },
      spec: {
        pod_selector: {},
        policy_types: ['Ingress'],
        ingress: [{}, { from: [{ namespace_selector: { match_labels: { team: 'ops' } } }] }],
      },
    });
    expect(failures(MCP_K8S_10, json)).toEqual([
      {
        address: 'kubernetes_network_policy_v1.in',
        status: 'non-compliant',
        detail:
          'ingress rule 0 lets traffic in from everywhere (nothing needs to come in: cloudflared dials out); ingress rule 1 lets traffic in from [{"namespace_selector":{"match_labels":{"team":"ops"}}}] (nothing needs to come in: cloudflared dials out)',
      },
    ]);
  });

  test.each([
    [
      '169.254.169.254/32 on TCP 80',
      { to: [{ ip_block: { cidr: '169.254.169.254/32' } }], ports: [{ port: '80', protocol: 'TCP' }] },
      'egress rule 3 allows 169.254.169.254/32, which reaches link-local or cloud metadata addresses (169.254.0.0/16)',
    ],
    [
      'fd00:ec2::254/128 on TCP 80',
      { to: [{ ip_block: { cidr: 'fd00:ec2::254/128' } }], ports: [{ port: '80' }] },
      'egress rule 3 allows fd00:ec2::254/128, which reaches link-local or cloud metadata addresses (fd00:ec2::254/128)',
    ],
    [
      'every IPv4 address without excepts on TCP 443',
      { to: [{ ip_block: { cidr: '0.0.0.0/0' } }], ports: [{ port: '443' }] },
      'egress rule 3 allows 0.0.0.0/0, which reaches link-local or cloud metadata addresses (169.254.0.0/16)',
    ],
    [
      'public addresses with link-local not excepted',
      {
        to: [{ ip_block: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'] } }],
        ports: [{ port: '443' }],
      },
      'egress rule 3 allows 0.0.0.0/0 except 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, which reaches link-local or cloud metadata addresses (169.254.0.0/16)',
    ],
    [
      '::/0 without excepts',
      { to: [{ ip_block: { cidr: '::/0' } }], ports: [{ port: '443' }] },
      'egress rule 3 allows ::/0, which reaches link-local or cloud metadata addresses (fe80::/10)',
    ],
    ['public addresses on every port', { to: [{ ip_block: PUBLIC }] }, 'egress rule 3 allows every port'],
    ['every destination on TCP 443', { ports: [{ port: '443' }] }, 'egress rule 3 allows every destination'],
    [
      'every namespace (an empty selector)',
      { to: [{ namespace_selector: {} }], ports: [{ port: '8200' }] },
      'egress rule 3 allows every namespace (an empty namespace selector)',
    ],
    [
      'namespaces chosen by expressions only',
      {
        to: [{ namespace_selector: { match_expressions: [{ key: 'x', operator: 'Exists' }] } }],
        ports: [{ port: '8200' }],
      },
      'egress rule 3 allows namespaces chosen by expressions only (match_labels is empty)',
    ],
    [
      'pods of its own namespace',
      { to: [{ pod_selector: { match_labels: { app: 'db' } } }], ports: [{ port: '5432' }] },
      "egress rule 3 allows pods of the policy's own namespace",
    ],
    [
      'another MCP namespace',
      {
        to: [{ namespace_selector: { match_labels: { 'kubernetes.io/metadata.name': 'mcp-globex' } } }],
        ports: [{ port: '8200' }],
      },
      "egress rule 3 allows MCP namespace 'mcp-globex'",
    ],
    [
      'a private /8 on the Vault port',
      { to: [{ ip_block: { cidr: '10.0.0.0/8' } }], ports: [{ port: '8200' }] },
      "egress rule 3 allows 10.0.0.0/8, which reaches private addresses (10.0.0.0/8) and is broader than a Vault CIDR may be (narrower than /16, or the /32 of Vault's IP literal)",
    ],
    [
      'a private /16 on the Vault port (the limit: narrower than /16)',
      { to: [{ ip_block: { cidr: '10.20.0.0/16' } }], ports: [{ port: '8200' }] },
      "egress rule 3 allows 10.20.0.0/16, which reaches private addresses (10.0.0.0/8) and is broader than a Vault CIDR may be (narrower than /16, or the /32 of Vault's IP literal)",
    ],
    [
      'a private /17 on HTTPS (not the Vault port)',
      { to: [{ ip_block: { cidr: '10.20.0.0/17' } }], ports: [{ port: '443' }] },
      'egress rule 3 allows TCP 443 to 10.20.0.0/17 (private addresses: Vault only), which is not DNS (kube-dns, 53), the Cloudflare edge (public addresses, TCP/UDP 7844, TCP 443) or Vault (https://vault.example.com:8200: TCP 8200)',
    ],
    [
      'public addresses on SSH',
      { to: [{ ip_block: PUBLIC }], ports: [{ port: '22' }] },
      'egress rule 3 allows TCP 22 to 0.0.0.0/0 except 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 169.254.0.0/16, 100.64.0.0/10, which is not DNS (kube-dns, 53), the Cloudflare edge (public addresses, TCP/UDP 7844, TCP 443) or Vault (https://vault.example.com:8200: TCP 8200)',
    ],
    [
      'kube-dns on HTTPS',
      {
        to: [
          {
            namespace_selector: { match_labels: { 'kubernetes.io/metadata.name': 'kube-system' } },
            pod_selector: { match_labels: { 'k8s-app': 'kube-dns' } },
          },
        ],
        ports: [{ port: '443' }],
      },
      'egress rule 3 allows TCP 443 to namespaces {"kubernetes.io/metadata.name":"kube-system"} pods {"k8s-app":"kube-dns"}, which is not DNS (kube-dns, 53), the Cloudflare edge (public addresses, TCP/UDP 7844, TCP 443) or Vault (https://vault.example.com:8200: TCP 8200)',
    ],
    [
      'a port range',
      { to: [{ ip_block: PUBLIC }], ports: [{ port: '443', end_port: 8443 }] },
      'egress rule 3 allows TCP ports 443 to 8443',
    ],
    [
      'a named port',
      { to: [{ ip_block: PUBLIC }], ports: [{ port: 'https' }] },
      "egress rule 3 names port 'https' by name, not number",
    ],
  ])('non-compliant: egress to %s', (_what, rule, detail) => {
    const json = ownJson();
    addEgress(json, rule);
    expect(problems(MCP_K8S_10, json)).toEqual([['non-compliant', detail]]);
  });

  test('compliant: the limits just inside: a private /17 on the Vault port, ::/0 with the IPv6 excepts on 443', () => {
    const json = ownJson();
    addEgress(json, { to: [{ ip_block: { cidr: '10.20.0.0/17' } }], ports: [{ port: '8200', protocol: 'TCP' }] });
    addEgress(json, {
      to: [{ ip_block: { cidr: '::/0', except: ['fc00::/7', 'fe80::/10', '::ffff:0:0/96', '64:ff9b::/96'] } }],
      ports: [{ port: 443 }, { port: '7844', protocol: 'UDP' }],
    });
    expect(problems(MCP_K8S_10, json)).toEqual([]);
  });

  test('non-compliant: the Vault peer on another port than VAULT_ADDR names', () => {
    const json = jsonWith({ vault: { address: 'https://vault.vault.svc:8200' } });
    (egressOf(json).egress as JsonObject[])[2].ports = [{ port: '8201', protocol: 'TCP' }];
    expect(problems(MCP_K8S_10, json)).toEqual([
      [
        'non-compliant',
        'egress rule 2 allows TCP 8201 to namespaces {"kubernetes.io/metadata.name":"vault"}, which is not DNS (kube-dns, 53), the Cloudflare edge (public addresses, TCP/UDP 7844, TCP 443) or Vault (https://vault.vault.svc:8200: TCP 8200)',
      ],
    ]);
  });

  test('non-compliant: a policy of kind NetworkPolicy through kubernetes_manifest, judged the same', () => {
    const json = ownJson();
    addResource(json, 'kubernetes_manifest', 'open', {
      manifest: {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'open', namespace: 'mcp-acme' },
        spec: {
          podSelector: {},
          policyTypes: ['Egress'],
          egress: [{ to: [{ ipBlock: { cidr: '169.254.169.254/32' } }], ports: [{ port: 80 }] }],
        },
      },
    });
    expect(failures(MCP_K8S_10, json)).toEqual([
      {
        address: 'kubernetes_manifest.open',
        status: 'non-compliant',
        detail:
          'egress rule 0 allows 169.254.169.254/32, which reaches link-local or cloud metadata addresses (169.254.0.0/16)',
      },
    ]);
  });

  test("non-compliant: another engine's policies in, or over, an MCP namespace", () => {
    const json = ownJson();
    addResource(json, 'kubernetes_manifest', 'cilium', {
      manifest: {
        apiVersion: 'cilium.io/v2',
        kind: 'CiliumNetworkPolicy',
        metadata: { name: 'allow', namespace: 'mcp-acme' },
        spec: {},
      },
    });
    addResource(json, 'kubernetes_manifest', 'global', {
      manifest: {
        apiVersion: 'crd.projectcalico.org/v1',
        kind: 'GlobalNetworkPolicy',
        metadata: { name: 'g' },
        spec: {},
      },
    });
    addResource(json, 'kubernetes_manifest', 'calico', {
      manifest: {
        apiVersion: 'projectcalico.org/v3',
        kind: 'NetworkPolicy',
        metadata: { name: 'c', namespace: 'mcp-acme' },
        spec: {},
      },
    });
    expect(failures(MCP_K8S_10, json).map((e) => [e.address, e.detail])).toEqual([
      [
        'kubernetes_manifest.cilium',
        "a CiliumNetworkPolicy of cilium.io/v2 in MCP namespace 'mcp-acme' adds rules this pack cannot weigh",
      ],
      [
        'kubernetes_manifest.global',
        'a GlobalNetworkPolicy of crd.projectcalico.org/v1 is cluster-wide: it may allow traffic of the MCP namespaces',
      ],
      [
        'kubernetes_manifest.calico',
        "a NetworkPolicy of projectcalico.org/v3 in MCP namespace 'mcp-acme' adds rules this pack cannot weigh",
      ],
    ]);
  });

  test('undecided: a CIDR that is a variable without default; judged by the default when it has one', () => {
    const json = ownJson();
    addEgress(json, { to: [{ ip_block: { cidr: addVariable(json, 'cidr') } }], ports: [{ port: '443' }] });
    expect(problems(MCP_K8S_10, json)).toEqual([
      ['undecided', "ip_block.cidr cannot be read (variable 'cidr' has no default: its value comes at plan time)"],
    ]);
    addVariable(json, 'cidr', '169.254.169.254/32');
    expect(problems(MCP_K8S_10, json)).toEqual([
      [
        'non-compliant',
        'egress rule 3 allows 169.254.169.254/32, which reaches link-local or cloud metadata addresses (169.254.0.0/16)',
      ],
    ]);
  });

  test('undecided: egress to a private /24 on 8200 while VAULT_ADDR cannot be read', () => {
    const json = ownJson();
    const vault = (containerIn(json, 'mcp-server').env as JsonObject[]).find((e) => e.name === 'VAULT_ADDR')!;
    vault.value = addVariable(json, 'vault_addr');
    addEgress(json, { to: [{ ip_block: { cidr: '10.1.2.0/24' } }], ports: [{ port: '8200' }] });
    const why = "VAULT_ADDR cannot be read (variable 'vault_addr' has no default: its value comes at plan time)";
    expect(problems(MCP_K8S_10, json)).toEqual([
      [
        'undecided',
        `egress rule 2 allows TCP 8200 to ${PUBLIC.cidr} except ${PUBLIC.except.join(', ')}, which may be Vault, but ${why}; ` +
          `egress rule 3 allows TCP 8200 to 10.1.2.0/24 (private addresses: Vault only), which may be Vault, but ${why}`,
      ],
    ]);
    addVariable(json, 'vault_addr', 'https://10.1.2.3:8200');
    expect(problems(MCP_K8S_10, json)).toEqual([
      [
        'non-compliant',
        'egress rule 2 allows TCP 8200 to 0.0.0.0/0 except 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 169.254.0.0/16, 100.64.0.0/10, which is not DNS (kube-dns, 53), the Cloudflare edge (public addresses, TCP/UDP 7844, TCP 443) or Vault (https://10.1.2.3:8200: TCP 8200)',
      ],
    ]);
  });

  test('not applicable: network policies outside MCP namespaces', () => {
    const json = {
      resource: {
        kubernetes_network_policy_v1: {
          web: {
            metadata: { name: 'web', namespace: 'shop' },
            spec: { pod_selector: {}, ingress: [{}], policy_types: ['Ingress'] },
          },
        },
      },
    };
    expect(evaluate(MCP_K8S_10, json)).toEqual([]);
  });

  test.each([
    ['https://vault.vault.svc:8200', { port: 8200, serviceNamespace: 'vault' }],
    ['https://vault.vault.svc.cluster.local', { port: 443, serviceNamespace: 'vault' }],
    ['https://vault.example.com', { port: 443, name: 'vault.example.com' }],
    ['https://10.0.0.5:8200', { port: 8200, publicIp: false }],
    ['https://203.0.113.9:8200', { port: 8200, publicIp: true }],
    ['http://vault:8200', { port: 8200, name: 'vault' }],
  ])("reads VAULT_ADDR %s as Vault's destination", (address, expected) => {
    expect(vaultTarget(address)).toMatchObject({ address, ...expected });
  });

  test('reads an address that is not a URL as no destination', () => {
    expect(vaultTarget('vault:8200:x')).toBe("VAULT_ADDR 'vault:8200:x' is not an http(s) URL");
    expect(vaultTarget('not a url')).toBe("VAULT_ADDR 'not a url' is not a URL");
  });
});
