import {
  type Cidr,
  cidrContains,
  cidrReaches,
  DNS_PORT,
  FORBIDDEN_EGRESS_RANGES,
  HTTPS_PORT,
  KUBE_DNS_NAMESPACE,
  KUBE_DNS_POD_LABELS,
  MCP_ENV,
  MCP_NAMESPACE_PATTERN,
  NAMESPACE_NAME_LABEL,
  NON_PUBLIC_IPV4_RANGES,
  NON_PUBLIC_IPV6_RANGES,
  parseCidr,
  parseIpAddress,
  TUNNEL_EDGE_PORT,
  VAULT_CIDR_BROADEST_PREFIX,
} from '../../../core/ports-defaults';
import { block, blocks, isExpression, numberValue } from '../../../model/json';
import type { JsonObject, SynthesizedStack } from '../../../model/stack';
import {
  isMcpContainer,
  type KubeObject,
  manifests,
  mcpScope,
  networkPolicies,
  type WorkloadView,
} from '../../../model/pods';
import { Verdict } from '../../verdict';
import type { Evaluation, Rule } from '../../rule';
import { literal, literalList, shown, UNREADABLE } from './read';

/** One allowed (protocol, port) pair, e.g. `TCP 443`. */
type PortKey = string;
const portKey = (protocol: string, port: number): PortKey => `${protocol} ${port}`;

const DNS_PORTS: readonly PortKey[] = [portKey('UDP', DNS_PORT), portKey('TCP', DNS_PORT)];
const EDGE_PORTS: readonly PortKey[] = [
  portKey('TCP', TUNNEL_EDGE_PORT),
  portKey('UDP', TUNNEL_EDGE_PORT),
  portKey('TCP', HTTPS_PORT),
];
const IN_CLUSTER_SERVICE = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?\.([a-z0-9]([a-z0-9-]*[a-z0-9])?)\.svc(?:\.cluster\.local)?$/;
interface NamedRange {
  readonly text: string;
  readonly cidr: Cidr;
}
const parsedRanges = (ranges: readonly string[]): NamedRange[] =>
  ranges.map((text) => ({ text, cidr: parseCidr(text)! }));
const FORBIDDEN = parsedRanges(FORBIDDEN_EGRESS_RANGES);
const NON_PUBLIC = { 32: parsedRanges(NON_PUBLIC_IPV4_RANGES), 128: parsedRanges(NON_PUBLIC_IPV6_RANGES) } as const;

/** Where the MCP server of a namespace reaches Vault, from its `VAULT_ADDR`. */
interface VaultTarget {
  readonly address: string;
  readonly port: number;
  /** The address as a /32 or /128, when it is an IP literal. */
  readonly ip?: Cidr;
  /** True when the IP literal is in no non-public range. */
  readonly publicIp?: boolean;
  /** The namespace of an in-cluster service name `<svc>.<ns>.svc[.cluster.local]`. */
  readonly serviceNamespace?: string;
  /** Any other host name (resolved through DNS, so to any address). */
  readonly name?: string;
}

/** What the MCP containers of a namespace say about Vault. */
interface VaultPlan {
  readonly targets: readonly VaultTarget[];
  /** Why an address could not be read, when one could not. */
  readonly unknown: readonly string[];
}

/** Vault's address as the MCP server sees it, or why it cannot be used. */
export function vaultTarget(address: string): VaultTarget | string {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    return `VAULT_ADDR ${shown(address)} is not a URL`;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return `VAULT_ADDR ${shown(address)} is not an http(s) URL`;
  const port = Number(url.port || (url.protocol === 'http:' ? 80 : HTTPS_PORT));
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const ip = parseIpAddress(host);
  if (ip) {
    const cidr: Cidr = { bits: ip.bits, address: ip.address, prefix: ip.bits };
    return { address, port, ip: cidr, publicIp: !NON_PUBLIC[ip.bits].some((r) => cidrContains(r.cidr, cidr)) };
  }
  const service = IN_CLUSTER_SERVICE.exec(host);
  if (service) return { address, port, serviceNamespace: service[2] };
  return { address, port, name: host };
}

function vaultPlan(stack: SynthesizedStack, workloads: readonly WorkloadView[]): VaultPlan {
  const targets: VaultTarget[] = [];
  const unknown: string[] = [];
  for (const workload of workloads) {
    for (const c of workload.containers) {
      if (!isMcpContainer(c)) continue;
      for (const env of blocks(c.body.env)) {
        if (env.name !== MCP_ENV.vaultAddress) continue;
        const probe = new Verdict('');
        const value =
          env.value_from !== undefined ? UNREADABLE : literal(stack, probe, MCP_ENV.vaultAddress, env.value);
        if (value === UNREADABLE) {
          unknown.push(probe.result().detail ?? `${MCP_ENV.vaultAddress} is read from value_from`);
        } else {
          const target = vaultTarget(String(value));
          if (typeof target === 'string') unknown.push(target);
          else targets.push(target);
        }
      }
    }
  }
  return { targets, unknown };
}

/** The ports a peer may be reached on, and how findings name it; or why the peer is refused. */
type PeerJudgement =
  | { readonly allowed: readonly PortKey[]; readonly what: string; readonly mayBeVault: boolean }
  | { readonly problem: string }
  | typeof UNREADABLE;

function hasLabels(selector: JsonObject, required: Readonly<Record<string, string>>): boolean {
  const labels = block(selector.match_labels);
  return Object.entries(required).every(([k, v]) => labels[k] === v);
}

function vaultPorts(targets: readonly VaultTarget[], which: (t: VaultTarget) => boolean): PortKey[] {
  return targets.filter(which).map((t) => portKey('TCP', t.port));
}

/** What an ip_block reaches: its CIDR and the non-public ranges it still reaches after its excepts. */
type IpBlockShape =
  | { readonly cidr: Cidr; readonly what: string; readonly privateRanges: readonly string[] }
  | { readonly problem: string };

/** Shapes by text: every tenant's policy repeats the same few blocks, so each is worked out once per process. */
const shapes = new Map<string, IpBlockShape>();

function ipBlockShape(text: string, exceptTexts: readonly string[]): IpBlockShape {
  const key = `${text}|${exceptTexts.join(',')}`;
  let shape = shapes.get(key);
  if (!shape) {
    shape = computeIpBlockShape(text, exceptTexts);
    if (shapes.size < 10_000) shapes.set(key, shape);
  }
  return shape;
}

function computeIpBlockShape(text: string, exceptTexts: readonly string[]): IpBlockShape {
  const cidr = parseCidr(text);
  if (!cidr) return { problem: `${shown(text)} is not a CIDR` };
  const except: Cidr[] = [];
  for (const e of exceptTexts) {
    const parsed = parseCidr(e);
    if (!parsed) return { problem: `except ${shown(e)} is not a CIDR` };
    except.push(parsed);
  }
  const what = except.length > 0 ? `${text} except ${exceptTexts.join(', ')}` : text;
  const forbidden = FORBIDDEN.find((r) => cidrReaches(cidr, except, r.cidr));
  if (forbidden)
    return { problem: `${what}, which reaches link-local or cloud metadata addresses (${forbidden.text})` };
  const privateRanges = NON_PUBLIC[cidr.bits].filter((r) => cidrReaches(cidr, except, r.cidr)).map((r) => r.text);
  return { cidr, what, privateRanges };
}

function judgeIpBlock(stack: SynthesizedStack, verdict: Verdict, ipBlock: JsonObject, plan: VaultPlan): PeerJudgement {
  const text = literal(stack, verdict, 'ip_block.cidr', ipBlock.cidr);
  const exceptTexts = literalList(stack, verdict, 'ip_block.except', ipBlock.except);
  if (text === UNREADABLE || exceptTexts === UNREADABLE) return UNREADABLE;
  const shape = ipBlockShape(String(text), exceptTexts);
  if ('problem' in shape) return shape;
  const { cidr, what, privateRanges } = shape;
  if (privateRanges.length === 0) {
    const vault = vaultPorts(plan.targets, (t) => t.name !== undefined || t.publicIp === true);
    return { allowed: [...EDGE_PORTS, ...vault], what, mayBeVault: true };
  }
  // Private addresses: only Vault's, as its IP literal's /32 or a CIDR narrow enough to be declared for it.
  const broadest = cidr.bits === 32 ? VAULT_CIDR_BROADEST_PREFIX.ipv4 : VAULT_CIDR_BROADEST_PREFIX.ipv6;
  const exact = plan.targets.filter((t) => t.ip !== undefined && cidrContains(t.ip, cidr));
  const narrow = cidr.prefix > broadest;
  const allowed = vaultPorts(exact.length > 0 ? exact : narrow ? plan.targets : [], () => true);
  if (allowed.length === 0 && plan.unknown.length === 0) {
    return {
      problem: narrow
        ? `${what}, which reaches private addresses (${privateRanges.join(', ')}), while the namespace's MCP server names no Vault address`
        : `${what}, which reaches private addresses (${privateRanges.join(', ')}) and is broader than a Vault CIDR may be (narrower than /${broadest}, or the /${cidr.bits} of Vault's IP literal)`,
    };
  }
  return { allowed, what: `${what} (private addresses: Vault only)`, mayBeVault: true };
}

function judgePeer(stack: SynthesizedStack, verdict: Verdict, peer: JsonObject, plan: VaultPlan): PeerJudgement {
  const keys = Object.keys(peer);
  const unknownKeys = keys.filter((k) => !['ip_block', 'namespace_selector', 'pod_selector'].includes(k));
  if (unknownKeys.length > 0) return { problem: `a peer with ${unknownKeys.join(', ')}` };
  for (const key of keys) if (literal(stack, verdict, key, peer[key]) === UNREADABLE) return UNREADABLE;
  if (peer.ip_block !== undefined) {
    if (keys.length > 1) return { problem: 'a peer that mixes ip_block with selectors' };
    return judgeIpBlock(stack, verdict, block(peer.ip_block), plan);
  }
  if (peer.namespace_selector === undefined) {
    return { problem: peer.pod_selector === undefined ? 'an empty peer' : "pods of the policy's own namespace" };
  }
  const namespaces = block(peer.namespace_selector);
  const labels = block(namespaces.match_labels);
  if (Object.keys(labels).length === 0) {
    return {
      problem:
        blocks(namespaces.match_expressions).length === 0
          ? 'every namespace (an empty namespace selector)'
          : 'namespaces chosen by expressions only (match_labels is empty)',
    };
  }
  for (const value of Object.values(labels))
    if (literal(stack, verdict, 'match_labels', value) === UNREADABLE) return UNREADABLE;
  const what = `namespaces ${JSON.stringify(labels)}${peer.pod_selector !== undefined ? ` pods ${JSON.stringify(block(block(peer.pod_selector).match_labels))}` : ''}`;
  const named = labels[NAMESPACE_NAME_LABEL];
  if (typeof named === 'string' && MCP_NAMESPACE_PATTERN.test(named)) return { problem: `MCP namespace '${named}'` };
  const dns =
    named === KUBE_DNS_NAMESPACE &&
    peer.pod_selector !== undefined &&
    hasLabels(block(peer.pod_selector), KUBE_DNS_POD_LABELS);
  if (dns) return { allowed: DNS_PORTS, what, mayBeVault: false };
  return { allowed: vaultPorts(plan.targets, () => true), what, mayBeVault: true };
}

/** The (protocol, port) pairs of a rule's ports, or problems with them. */
function readPorts(
  stack: SynthesizedStack,
  verdict: Verdict,
  ports: JsonObject[],
  where: string,
): PortKey[] | typeof UNREADABLE {
  const keys: PortKey[] = [];
  let readable = true;
  for (const p of ports) {
    const protocol = literal(stack, verdict, `${where} protocol`, p.protocol);
    const port = literal(stack, verdict, `${where} port`, p.port);
    const endPort = literal(stack, verdict, `${where} end_port`, p.end_port);
    if (protocol === UNREADABLE || port === UNREADABLE || endPort === UNREADABLE) {
      readable = false;
      continue;
    }
    const proto = protocol === undefined ? 'TCP' : String(protocol);
    const n = numberValue(port);
    if (port === undefined) verdict.fail(`${where} allows every ${proto} port`);
    else if (typeof n !== 'number' || !Number.isInteger(n))
      verdict.fail(`${where} names port ${shown(port)} by name, not number`);
    else if (endPort !== undefined && numberValue(endPort) !== n)
      verdict.fail(`${where} allows ${proto} ports ${n} to ${String(endPort)}`);
    else keys.push(portKey(proto, n));
  }
  return readable ? keys : UNREADABLE;
}

/** One network policy of an MCP namespace: no ingress rule; egress only to declared destinations. */
function judgePolicy(stack: SynthesizedStack, policy: KubeObject, plan: VaultPlan): Evaluation {
  const verdict = new Verdict(policy.entry.address);
  const spec = block(policy.body.spec);
  if (literal(stack, verdict, 'spec', policy.body.spec) === UNREADABLE) return verdict.result();
  if (literal(stack, verdict, 'ingress', spec.ingress) !== UNREADABLE) {
    blocks(spec.ingress).forEach((rule, i) => {
      const from = blocks(rule.from);
      verdict.fail(
        `ingress rule ${i} lets traffic in from ${from.length === 0 ? 'everywhere' : JSON.stringify(from)} (nothing needs to come in: cloudflared dials out)`,
      );
    });
  }
  if (literal(stack, verdict, 'egress', spec.egress) === UNREADABLE) return verdict.result();
  blocks(spec.egress).forEach((rule, i) => {
    const where = `egress rule ${i}`;
    const to = blocks(rule.to);
    const ports = blocks(rule.ports);
    if (to.length === 0) verdict.fail(`${where} allows every destination`);
    if (ports.length === 0) verdict.fail(`${where} allows every port`);
    const keys = readPorts(stack, verdict, ports, where);
    for (const peer of to) {
      const judged = judgePeer(stack, verdict, peer, plan);
      if (judged === UNREADABLE) continue;
      if ('problem' in judged) {
        verdict.fail(`${where} allows ${judged.problem}`);
        continue;
      }
      if (keys === UNREADABLE) continue;
      const refused = keys.filter((k) => !judged.allowed.includes(k));
      if (refused.length === 0) continue;
      if (judged.mayBeVault && plan.unknown.length > 0) {
        verdict.undecided(
          `${where} allows ${refused.join(', ')} to ${judged.what}, which may be Vault, but ${plan.unknown.join('; ')}`,
        );
      } else {
        verdict.fail(
          `${where} allows ${refused.join(', ')} to ${judged.what}, which is not DNS (kube-dns, 53), the Cloudflare edge (public addresses, TCP/UDP 7844, TCP 443) or Vault (${plan.targets.map((t) => `${t.address}: TCP ${t.port}`).join(', ') || 'no Vault address in the namespace'})`,
        );
      }
    }
  });
  return verdict.result();
}

/** Network policy kinds of other engines (Cilium, Calico, the AdminNetworkPolicy API): their rules add to or override the Kubernetes ones. */
const OTHER_POLICY_KINDS = new Set([
  'CiliumNetworkPolicy',
  'CiliumClusterwideNetworkPolicy',
  'GlobalNetworkPolicy',
  'AdminNetworkPolicy',
  'BaselineAdminNetworkPolicy',
  'ClusterNetworkPolicy',
]);
const CLUSTER_WIDE_POLICY_KINDS = new Set([
  'CiliumClusterwideNetworkPolicy',
  'GlobalNetworkPolicy',
  'AdminNetworkPolicy',
  'BaselineAdminNetworkPolicy',
  'ClusterNetworkPolicy',
]);

/** MCP-K8S-10: in an MCP namespace, nothing comes in and the pod reaches only DNS, the Cloudflare edge and Vault. */
export const MCP_K8S_10: Rule = {
  id: 'MCP-K8S-10',
  level: 'error',
  layer: 'ports',
  cause:
    'a network policy of an MCP namespace allows ingress, or egress beyond DNS, the Cloudflare edge and Vault (link-local and metadata addresses, undeclared private ranges, every port or every namespace)',
  explanation:
    "cloudflared dials out to Cloudflare's edge and the MCP server to Vault: nothing needs to come into an MCP pod, so no network policy of an MCP namespace may have an ingress rule. Egress rules may reach only what the library declares. DNS: kube-dns pods (`k8s-app: kube-dns`) in `kube-system`, on UDP and TCP 53. The Cloudflare edge: public addresses only (an ip_block whose excepts leave out 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 169.254.0.0/16 and 100.64.0.0/10, or for IPv6 fc00::/7, fe80::/10, ::ffff:0:0/96 and 64:ff9b::/96), on TCP and UDP 7844 and TCP 443. Vault, on TCP at the port of the MCP container's `VAULT_ADDR` only: for an in-cluster service `<svc>.<ns>.svc` a namespace selector (the library writes `kubernetes.io/metadata.name: <ns>`; any selector with labels is accepted there, as `vault.egress.namespaceLabels` may set), for an IP literal its /32 (or /128), for a public name public addresses, and a CIDR the user declares (`vault.egress.cidrs`) if narrower than /16 (IPv6 /112). Never, on any port: link-local or cloud metadata addresses (169.254.0.0/16, fe80::/10, fd00:ec2::254), other private addresses, all ports (a rule without ports, or a port range), every destination (a rule without `to`), every namespace (an empty namespace selector), pods of the MCP namespace itself, or another MCP namespace. A CIDR is judged by the addresses it still reaches after its excepts. Network policies of other engines (Cilium, Calico, AdminNetworkPolicy) add rules that this pack cannot weigh against these, so none may apply to an MCP namespace.",
  requires: [
    'no ingress rule in any network policy of an MCP namespace',
    'egress to kube-dns pods (k8s-app: kube-dns) in namespace kube-system on UDP 53 and TCP 53',
    'egress to public addresses only (private, CGNAT and link-local ranges excepted) on TCP 7844, UDP 7844 and TCP 443',
    "egress to Vault on TCP at VAULT_ADDR's port: a namespace selector with labels, the /32 (/128) of an IP literal, public addresses for a public name, or a declared CIDR narrower than /16 (IPv6 /112)",
    'every egress rule names its destinations and numbered ports (no port ranges)',
    'never link-local or metadata addresses (169.254.0.0/16, fe80::/10, fd00:ec2::254), undeclared private ranges, an empty namespace selector, or another MCP namespace',
    'no Cilium, Calico or AdminNetworkPolicy policies in or over an MCP namespace',
  ],
  fix: 'set vault.address (and, for a Vault on a private address, vault.egress with cidrs narrower than /16 or namespaceLabels); add no network policy to an MCP namespace and do not override the egress allow-list LoopbackMcpDeployment creates',
  evaluate(stack: SynthesizedStack): Evaluation[] {
    const { namespaces, mcpWorkloads, mcpNamespaceKeys, isMcpNamespace } = mcpScope(stack);
    const results: Evaluation[] = [];
    const plans = new Map<string, VaultPlan>();
    // The MCP workloads of each namespace, grouped once (a filter per namespace was quadratic in tenants).
    let workloadsByKey: Map<string, WorkloadView[]> | undefined;
    const planOf = (key: string): VaultPlan => {
      let plan = plans.get(key);
      if (!plan) {
        if (!workloadsByKey) {
          workloadsByKey = new Map();
          for (const w of mcpWorkloads) {
            const k = namespaces.keyOf(w.namespace);
            const group = workloadsByKey.get(k);
            if (group) group.push(w);
            else workloadsByKey.set(k, [w]);
          }
        }
        plan = vaultPlan(stack, workloadsByKey.get(key) ?? []);
        plans.set(key, plan);
      }
      return plan;
    };
    for (const policy of networkPolicies(stack)) {
      const key = namespaces.keyOf(policy.metadata.namespace);
      if (isExpression(key)) {
        const verdict = new Verdict(policy.entry.address);
        literal(stack, verdict, 'metadata.namespace', key);
        results.push(verdict.result());
      } else if (isMcpNamespace(key)) {
        results.push(judgePolicy(stack, policy, planOf(key)));
      }
    }
    for (const m of manifests(stack)) {
      if (m.kind === undefined) continue;
      const foreignNetworkPolicy = m.kind === 'NetworkPolicy' && !(m.apiVersion ?? '').startsWith('networking.k8s.io/');
      if (!OTHER_POLICY_KINDS.has(m.kind) && !foreignNetworkPolicy) continue;
      const verdict = new Verdict(m.entry.address);
      const what = `a ${m.kind} of ${m.apiVersion ?? 'an unknown API'}`;
      if (CLUSTER_WIDE_POLICY_KINDS.has(m.kind)) {
        if (mcpNamespaceKeys.size > 0)
          verdict.fail(`${what} is cluster-wide: it may allow traffic of the MCP namespaces`);
      } else {
        const key = namespaces.keyOf(m.metadata.namespace);
        if (literal(stack, verdict, 'metadata.namespace', key) !== UNREADABLE && isMcpNamespace(key)) {
          verdict.fail(`${what} in MCP namespace '${key}' adds rules this pack cannot weigh`);
        }
      }
      results.push(verdict.result());
    }
    return results;
  },
};
