import { AUDIT_SHIPPER_CONTAINER_NAME } from './audit-defaults';
import { TENANT_ID_SOURCE } from './formats';

/**
 * The ports layer's secure defaults, names and bounds, in one place: `LoopbackMcpDeployment` builds
 * resources from them and the MCP-K8S rules judge synthesized JSON by them.
 */

/** Name of the Deployment, and of the MCP server container in it. */
export const MCP_DEPLOYMENT_NAME = 'mcp-server';
/** Name of the MCP server container. */
export const MCP_CONTAINER_NAME = 'mcp-server';
/** Name of the tunnel connector container. */
export const CLOUDFLARED_CONTAINER_NAME = 'cloudflared';
/** The containers the library itself puts into an MCP pod: the MCP server, cloudflared, the audit shipper. */
export const DECLARED_CONTAINER_NAMES: readonly string[] = [
  MCP_CONTAINER_NAME,
  CLOUDFLARED_CONTAINER_NAME,
  AUDIT_SHIPPER_CONTAINER_NAME,
];
/**
 * Pod template annotation listing, comma-separated, the containers the pod's addons add. The rules
 * allow a container beyond {@link DECLARED_CONTAINER_NAMES} only when it is named here, so adding an
 * addon changes this annotation too, and a review sees it.
 */
export const ADDONS_ANNOTATION = 'mcp-access.io/addons';

/**
 * Pod template annotation carrying the revision of every secret the pod reads through environment
 * variables (`tunnel=<n>,<addon>=<n>`): containers read such variables once, at start, so when a
 * secret's data changes (a rotated audit writer token, a new tunnel token) the template changes with
 * it and Kubernetes rolls the pods onto the new value before the old one expires.
 */
export const SECRETS_REVISION_ANNOTATION = 'mcp-access.io/secrets-revision';

/**
 * Default cloudflared image: release 2026.9.3, pinned to the digest of its multi-architecture index
 * (as published on Docker Hub and pinned in many public manifests).
 */
export const CLOUDFLARED_IMAGE =
  'cloudflare/cloudflared:2026.9.3@sha256:072c067d25ccbe61d46e18f0d0723255f2bb5304f7317caa95b27031520ff92c';
/** cloudflared's metrics and readiness listener, on loopback only (never the pod IP). */
export const CLOUDFLARED_METRICS_ADDRESS = '127.0.0.1:20241';
/** Port of {@link CLOUDFLARED_METRICS_ADDRESS}: the MCP server must not take it. */
export const CLOUDFLARED_METRICS_PORT = 20241;
/** cloudflared's arguments (the image's entrypoint is `cloudflared --no-autoupdate`). */
export const CLOUDFLARED_ARGS: readonly string[] = [
  'tunnel',
  '--no-autoupdate',
  '--metrics',
  CLOUDFLARED_METRICS_ADDRESS,
  'run',
];
/** Exec probe of cloudflared: exits 0 once the connector holds a connection to Cloudflare's edge. */
export const CLOUDFLARED_READY_COMMAND: readonly string[] = [
  'cloudflared',
  'tunnel',
  '--metrics',
  CLOUDFLARED_METRICS_ADDRESS,
  'ready',
];
/** Environment variable cloudflared reads its tunnel token from. */
export const TUNNEL_TOKEN_ENV = 'TUNNEL_TOKEN';
/** Name of the Kubernetes secret holding the tunnel token, and its key. */
export const TUNNEL_TOKEN_SECRET_NAME = 'cloudflared-tunnel-token';
export const TUNNEL_TOKEN_SECRET_KEY = 'token';

/** Replicas of the Deployment (default). */
export const MCP_REPLICAS = 2;
/** Most replicas: Cloudflare allows 25 connectors (replicas) per tunnel, and each pod runs one. */
export const MCP_REPLICAS_MAX = 25;

/** UID and GID every container runs as (the distroless `nonroot` user). */
export const RUN_AS_USER = 65532;

/** Pod Security Standard every MCP namespace enforces, audits and warns on. */
export const POD_SECURITY_LEVEL = 'restricted';
/** Pinned Pod Security version, so that a cluster upgrade does not change the policy unseen. */
export const POD_SECURITY_VERSION = 'v1.33';
/** Pod Security admission label prefix. */
export const POD_SECURITY_LABEL_PREFIX = 'pod-security.kubernetes.io';
/** Pod Security admission modes: each is a label `<prefix>/<mode>` with a level and `<prefix>/<mode>-version`. */
export const POD_SECURITY_MODES: readonly string[] = ['enforce', 'audit', 'warn'];

/** Volume types the `restricted` Pod Security Standard allows (Terraform attribute names). */
export const RESTRICTED_VOLUME_TYPES: readonly string[] = [
  'config_map',
  'csi',
  'downward_api',
  'empty_dir',
  'ephemeral',
  'persistent_volume_claim',
  'projected',
  'secret',
];

/** The MCP server's environment contract (docs/mcp-server.md). */
export const MCP_ENV = {
  bindAddress: 'MCP_BIND_ADDRESS',
  port: 'MCP_PORT',
  tenantId: 'MCP_TENANT_ID',
  tenantClaim: 'MCP_TENANT_CLAIM',
  issuer: 'MCP_OAUTH_ISSUER',
  audience: 'MCP_OAUTH_AUDIENCE',
  resourceUrl: 'MCP_RESOURCE_URL',
  allowedOrigins: 'MCP_ALLOWED_ORIGINS',
  vaultAddress: 'VAULT_ADDR',
  vaultRole: 'VAULT_ROLE',
  vaultAuthPath: 'VAULT_AUTH_PATH',
  vaultTokenPath: 'VAULT_TOKEN_PATH',
} as const;

/** Path of the Vault Kubernetes auth backend (default). */
export const VAULT_KUBERNETES_AUTH_PATH = 'kubernetes';
/** Vault's own port, used when the address cannot tell (it is a Terraform token). */
export const VAULT_DEFAULT_PORT = 8200;
/** Lifetime of the projected Vault login token, in seconds: the shortest Kubernetes accepts. */
export const VAULT_SA_TOKEN_EXPIRATION_SECONDS = 600;
/** Where the projected Vault login token is mounted in the MCP container. */
export const VAULT_SA_TOKEN_DIR = '/var/run/secrets/vault';
export const VAULT_SA_TOKEN_FILE = 'token';
/** Name of the pod volume that projects the Vault login token. */
export const VAULT_SA_TOKEN_VOLUME = 'vault-token';

/** Writable scratch space of the MCP container (the root filesystem is read-only). */
export const TMP_MOUNT_PATH = '/tmp';
export const TMP_SIZE_LIMIT = '64Mi';
/** Name of the pod volume mounted at {@link TMP_MOUNT_PATH}. */
export const TMP_VOLUME = 'tmp';

/** Requests and limits of a container, as Kubernetes quantities. */
export interface ContainerResourceQuantities {
  readonly requests?: { readonly cpu?: string; readonly memory?: string };
  readonly limits?: { readonly cpu?: string; readonly memory?: string };
}

/** Default requests and memory limit of the MCP server container. */
export const MCP_RESOURCES = {
  requests: { cpu: '100m', memory: '128Mi' },
  limits: { memory: '256Mi' },
} as const satisfies ContainerResourceQuantities;
/** Default requests and memory limit of the cloudflared container. */
export const CLOUDFLARED_RESOURCES = {
  requests: { cpu: '50m', memory: '64Mi' },
  limits: { memory: '128Mi' },
} as const satisfies ContainerResourceQuantities;

/** Probe timing shared by the exec probes. */
export const PROBE_PERIOD_SECONDS = 10;
export const PROBE_TIMEOUT_SECONDS = 5;
export const PROBE_FAILURE_THRESHOLD = 3;

/** DNS: kube-dns (CoreDNS keeps the label) in kube-system, port 53 UDP and TCP. */
export const KUBE_DNS_NAMESPACE = 'kube-system';
export const KUBE_DNS_POD_LABELS: Readonly<Record<string, string>> = { 'k8s-app': 'kube-dns' };
export const DNS_PORT = 53;
/** Label every namespace carries with its own name (Kubernetes >= 1.22). */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** Cloudflare's tunnel edge port (QUIC over UDP, HTTP/2 over TCP). */
export const TUNNEL_EDGE_PORT = 7844;
/** HTTPS, for the tunnel's API calls and the MCP server's JWKS fetches. */
export const HTTPS_PORT = 443;
/** Every IPv4 address. */
export const ANY_IPV4 = '0.0.0.0/0';
/** Every IPv6 address. */
export const ANY_IPV6 = '::/0';
/** Ranges excluded from "public" egress: RFC 1918, link-local (cloud metadata), CGNAT. */
export const NON_PUBLIC_IPV4_RANGES: readonly string[] = [
  '10.0.0.0/8',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '169.254.0.0/16',
  '100.64.0.0/10',
];
/**
 * IPv6 ranges excluded from "public" egress: unique local (fc00::/7, which holds AWS's metadata
 * address fd00:ec2::254), link-local, and the ranges that embed IPv4 addresses (IPv4-mapped and
 * NAT64), through which a private IPv4 address could be reached.
 */
export const NON_PUBLIC_IPV6_RANGES: readonly string[] = ['fc00::/7', 'fe80::/10', '::ffff:0:0/96', '64:ff9b::/96'];
/** Link-local and cloud metadata addresses: never a destination of MCP pod egress, whatever the port. */
export const FORBIDDEN_EGRESS_RANGES: readonly string[] = [
  '169.254.0.0/16',
  'fe80::/10',
  'fd00:ec2::254/128',
  '::ffff:169.254.0.0/112',
];
/**
 * A CIDR the user declares for Vault must be narrower than this prefix (IPv4 /16, IPv6 /112): a few
 * addresses of Vault or its load balancer, never a whole network.
 */
export const VAULT_CIDR_BROADEST_PREFIX = { ipv4: 16, ipv6: 112 } as const;

/** Quota keys pinned to 0 in every MCP namespace: nothing may expose the pod. */
export const ZERO_QUOTA_KEYS: readonly string[] = [
  'services',
  'services.loadbalancers',
  'services.nodeports',
  'count/ingresses.networking.k8s.io',
];
/** Of {@link ZERO_QUOTA_KEYS}, those MCP-K8S-6 requires. */
export const REQUIRED_ZERO_QUOTA_KEYS: readonly string[] = ['services', 'services.loadbalancers', 'services.nodeports'];
/** Pods the quota allows per replica: room for one full rolling update. */
export const QUOTA_PODS_PER_REPLICA = 2;

/** Labels of the MCP pods (the selector of the Deployment, PDB and network policy). */
export const APP_NAME_LABEL = 'app.kubernetes.io/name';
export const APP_INSTANCE_LABEL = 'app.kubernetes.io/instance';
export const APP_MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY = 'cdktf-mcp-access';
/** Label naming the tenant on every resource of its namespace. */
export const TENANT_LABEL = 'mcp-access.io/tenant';

/** RBAC verbs a role bound in an MCP namespace may grant (no `*`, `escalate`, `bind`, `impersonate`, ...). */
export const ALLOWED_RBAC_VERBS: readonly string[] = [
  'get',
  'list',
  'watch',
  'create',
  'update',
  'patch',
  'delete',
  'deletecollection',
];
/**
 * Resources a role bound in an MCP namespace may never grant: a way into the pod's processes
 * (exec, attach, port-forward, proxy, ephemeral debug containers), secrets, or tokens of its service
 * account (which log in to Vault).
 */
export const REFUSED_RBAC_RESOURCES: readonly string[] = [
  'secrets',
  'pods/exec',
  'pods/attach',
  'pods/portforward',
  'pods/proxy',
  'pods/ephemeralcontainers',
  'services/proxy',
  'nodes/proxy',
  'serviceaccounts/token',
];

/** Namespace names: DNS labels of at most 63 characters. */
export const NAMESPACE_NAME_MAX_LENGTH = 63;

/** The tenant namespace pattern the rules use to recognise MCP namespaces in any stack. */
export const MCP_NAMESPACE_PATTERN = new RegExp(`^mcp-${TENANT_ID_SOURCE}$`);

/**
 * An IP network, for the egress allow-list: the construct and the rules judge CIDRs with the same
 * arithmetic. Addresses are numbers of `bits` bits (32 for IPv4, 128 for IPv6).
 */
export interface Cidr {
  readonly bits: 32 | 128;
  readonly address: bigint;
  readonly prefix: number;
}

const IPV4_ADDRESS = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function parseIpv4(text: string): bigint | undefined {
  const m = IPV4_ADDRESS.exec(text);
  if (!m) return undefined;
  let value = 0n;
  for (const part of m.slice(1)) {
    const n = Number(part);
    if (n > 255 || (part.length > 1 && part.startsWith('0'))) return undefined;
    value = (value << 8n) | BigInt(n);
  }
  return value;
}

function parseIpv6(text: string): bigint | undefined {
  let head = text;
  let tail4: bigint | undefined;
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    tail4 = parseIpv4(text.slice(lastColon + 1));
    if (tail4 === undefined) return undefined;
    head = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const halves = head.split('::');
  if (halves.length > 2) return undefined;
  const groups = (s: string): string[] => (s === '' ? [] : s.split(':'));
  const left = groups(halves[0]);
  const right = halves.length === 2 ? groups(halves[1]) : [];
  const missing = 8 - left.length - right.length;
  if ((halves.length === 2 && missing < 1) || (halves.length === 1 && missing !== 0)) return undefined;
  const all = [...left, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...right];
  let value = 0n;
  for (const g of all) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    value = (value << 16n) | BigInt(parseInt(g, 16));
  }
  if (tail4 !== undefined) value = (value & ~0xffffffffn) | tail4;
  return value;
}

/** An IPv4 or IPv6 address, or undefined. */
export function parseIpAddress(text: string): { bits: 32 | 128; address: bigint } | undefined {
  const v4 = parseIpv4(text);
  if (v4 !== undefined) return { bits: 32, address: v4 };
  const v6 = text.includes(':') ? parseIpv6(text) : undefined;
  return v6 === undefined ? undefined : { bits: 128, address: v6 };
}

/** A CIDR (`10.0.0.0/8`, `fd00:ec2::254/128`), or undefined when it is not one. */
export function parseCidr(text: string): Cidr | undefined {
  const [address, prefix, rest] = text.split('/');
  if (rest !== undefined || prefix === undefined || !/^\d{1,3}$/.test(prefix)) return undefined;
  const ip = parseIpAddress(address);
  const p = Number(prefix);
  if (!ip || p > ip.bits) return undefined;
  return { bits: ip.bits, address: ip.address, prefix: p };
}

/** True when every address of `inner` is in `outer`. */
export function cidrContains(outer: Cidr, inner: Cidr): boolean {
  if (outer.bits !== inner.bits || outer.prefix > inner.prefix) return false;
  const shift = BigInt(outer.bits - outer.prefix);
  return outer.address >> shift === inner.address >> shift;
}

/**
 * True when some address of `range` is in `cidr` and in none of `except`. CIDRs nest or are
 * disjoint, so the addresses both hold are the smaller of the two; an except must cover all of
 * them on its own (several excepts that only together cover it count as not covering it: when in
 * doubt, reachable).
 */
export function cidrReaches(cidr: Cidr, except: readonly Cidr[], range: Cidr): boolean {
  const common = cidrContains(cidr, range) ? range : cidrContains(range, cidr) ? cidr : undefined;
  if (!common) return false;
  return !except.some((e) => cidrContains(e, common));
}
