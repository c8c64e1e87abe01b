/**
 * Pure builders of the tenant's loopback-only pod and its namespace guards. The construct only wires
 * these together; the decisions (what the pod may reach, what it runs as) live here.
 */
import type {
  DeploymentV1SpecTemplateSpec,
  DeploymentV1SpecTemplateSpecContainer,
  DeploymentV1SpecTemplateSpecContainerEnv,
  DeploymentV1SpecTemplateSpecContainerLivenessProbe,
  DeploymentV1SpecTemplateSpecContainerResources,
  DeploymentV1SpecTemplateSpecContainerSecurityContext,
  DeploymentV1SpecTemplateSpecSecurityContext,
} from '@cdktf/provider-kubernetes/lib/deployment-v1';
import type {
  NetworkPolicyV1SpecEgress,
  NetworkPolicyV1SpecEgressTo,
} from '@cdktf/provider-kubernetes/lib/network-policy-v1';
import { Token } from '../core/cdktf';
import { BIND_ADDRESS, VAULT_TOKEN_AUDIENCE } from '../core/defaults';
import type { PodAddon } from '../core/refs';
import { localMcpUrl, TENANT_CLAIM, tenantVaultRoleName } from '../core/naming';
import {
  ADDONS_ANNOTATION,
  SECRETS_REVISION_ANNOTATION,
  ANY_IPV4,
  CLOUDFLARED_ARGS,
  CLOUDFLARED_CONTAINER_NAME,
  CLOUDFLARED_READY_COMMAND,
  CLOUDFLARED_RESOURCES,
  MCP_CONTAINER_NAME,
  MCP_RESOURCES,
  TMP_MOUNT_PATH,
  TMP_SIZE_LIMIT,
  TMP_VOLUME,
  TUNNEL_TOKEN_ENV,
  TUNNEL_TOKEN_SECRET_KEY,
  VAULT_SA_TOKEN_EXPIRATION_SECONDS,
  VAULT_SA_TOKEN_VOLUME,
  APP_INSTANCE_LABEL,
  APP_MANAGED_BY_LABEL,
  APP_NAME_LABEL,
  type ContainerResourceQuantities,
  DNS_PORT,
  HTTPS_PORT,
  KUBE_DNS_NAMESPACE,
  KUBE_DNS_POD_LABELS,
  MANAGED_BY,
  MCP_DEPLOYMENT_NAME,
  MCP_ENV,
  NAMESPACE_NAME_LABEL,
  NON_PUBLIC_IPV4_RANGES,
  POD_SECURITY_LABEL_PREFIX,
  POD_SECURITY_LEVEL,
  POD_SECURITY_VERSION,
  PROBE_FAILURE_THRESHOLD,
  PROBE_PERIOD_SECONDS,
  PROBE_TIMEOUT_SECONDS,
  QUOTA_PODS_PER_REPLICA,
  RUN_AS_USER,
  TENANT_LABEL,
  TUNNEL_EDGE_PORT,
  VAULT_DEFAULT_PORT,
  VAULT_SA_TOKEN_DIR,
  VAULT_SA_TOKEN_FILE,
  ZERO_QUOTA_KEYS,
} from '../core/ports-defaults';
import { isUnresolved } from '../core/validation';
import { formatCpu, formatMemory, parseQuantity } from './quantity';

/** A number rendered for a string attribute; a number token becomes a string token. */
export function numberText(value: number): string {
  return isUnresolved(value) ? Token.asString(value) : String(value);
}

/** The local MCP URL clients use, for a port that may be a Terraform token. */
export function localResourceUrl(localPort: number): string {
  // localMcpUrl interpolates its argument: a number token must go in as its string token.
  return localMcpUrl(numberText(localPort));
}

/** Labels on every resource of a tenant's namespace. */
export function commonLabels(tenantId: string): Record<string, string> {
  return { [APP_MANAGED_BY_LABEL]: MANAGED_BY, [TENANT_LABEL]: tenantId };
}

/** Labels that select the tenant's MCP pods (Deployment selector, PDB, network policy). */
export function podSelectorLabels(namespaceName: string): Record<string, string> {
  return { [APP_NAME_LABEL]: MCP_DEPLOYMENT_NAME, [APP_INSTANCE_LABEL]: namespaceName };
}

/**
 * Annotations of the pod template: the default container for `kubectl`, and the containers the addons
 * add (comma-separated, in pod order), which the rule pack allows beside the pod's own (MCP-K8S-11).
 */
export function podTemplateAnnotations(
  addons: readonly Pick<PodAddon, 'name' | 'containers' | 'secrets' | 'secretRevision'>[],
  tunnelTokenRevision = 1,
): Record<string, string> {
  const names = addons.flatMap((a) => a.containers.map((c) => c.name));
  // Every secret the pod reads as environment variables, by revision: a rotation rolls the pods.
  const revisions = [
    `tunnel=${Token.asString(tunnelTokenRevision)}`,
    ...addons
      .filter((a) => Object.keys(a.secrets ?? {}).length > 0)
      .map((a) => `${a.name}=${Token.asString(a.secretRevision ?? 1)}`),
  ];
  return {
    'kubectl.kubernetes.io/default-container': MCP_CONTAINER_NAME,
    ...(names.length > 0 ? { [ADDONS_ANNOTATION]: names.join(',') } : {}),
    [SECRETS_REVISION_ANNOTATION]: revisions.join(','),
  };
}

/** Pod Security admission labels: enforce, audit and warn `restricted`, each at a pinned version. */
export function podSecurityLabels(): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const mode of ['enforce', 'audit', 'warn']) {
    labels[`${POD_SECURITY_LABEL_PREFIX}/${mode}`] = POD_SECURITY_LEVEL;
    labels[`${POD_SECURITY_LABEL_PREFIX}/${mode}-version`] = POD_SECURITY_VERSION;
  }
  return labels;
}

/** The pod-level security context of the restricted profile. */
export function podSecurityContext(): DeploymentV1SpecTemplateSpecSecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: String(RUN_AS_USER),
    runAsGroup: String(RUN_AS_USER),
    fsGroup: String(RUN_AS_USER),
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** The container-level security context of the restricted profile, stated in full on every container. */
export function restrictedContainerSecurityContext(): DeploymentV1SpecTemplateSpecContainerSecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: String(RUN_AS_USER),
    runAsGroup: String(RUN_AS_USER),
    allowPrivilegeEscalation: false,
    privileged: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** An exec probe: kubelet runs it inside the container, so it reaches loopback listeners. */
export function execProbe(command: readonly string[]): DeploymentV1SpecTemplateSpecContainerLivenessProbe {
  return {
    exec: { command: [...command] },
    periodSeconds: PROBE_PERIOD_SECONDS,
    timeoutSeconds: PROBE_TIMEOUT_SECONDS,
    failureThreshold: PROBE_FAILURE_THRESHOLD,
  };
}

/** Requests and limits: the defaults, with each given quantity replacing its default. */
export function mergeResources(
  defaults: ContainerResourceQuantities,
  given: ContainerResourceQuantities | undefined,
): DeploymentV1SpecTemplateSpecContainerResources {
  const pick = (part: 'requests' | 'limits'): Record<string, string> | undefined => {
    const merged: Record<string, string> = {};
    for (const key of ['cpu', 'memory'] as const) {
      const value = given?.[part]?.[key] ?? defaults[part]?.[key];
      if (value !== undefined) merged[key] = value;
    }
    return Object.keys(merged).length > 0 ? merged : undefined;
  };
  const requests = pick('requests');
  const limits = pick('limits');
  return { ...(requests ? { requests } : {}), ...(limits ? { limits } : {}) };
}

/** What the MCP server needs to know, through its environment (the contract in docs/mcp-server.md). */
export interface McpEnvironmentInput {
  readonly tenantId: string;
  readonly port: number;
  readonly localPort: number;
  readonly issuer: string;
  readonly audience: string;
  readonly vaultAddress: string;
  readonly vaultAuthPath: string;
}

/** The MCP server's environment: where to listen, whose tokens to accept, how to reach Vault. */
export function mcpEnvironment(input: McpEnvironmentInput): DeploymentV1SpecTemplateSpecContainerEnv[] {
  const local = numberText(input.localPort);
  const values: [string, string][] = [
    [MCP_ENV.bindAddress, BIND_ADDRESS],
    [MCP_ENV.port, numberText(input.port)],
    [MCP_ENV.tenantId, input.tenantId],
    [MCP_ENV.tenantClaim, TENANT_CLAIM],
    [MCP_ENV.issuer, input.issuer],
    [MCP_ENV.audience, input.audience],
    [MCP_ENV.resourceUrl, localResourceUrl(input.localPort)],
    [MCP_ENV.allowedOrigins, `http://127.0.0.1:${local},http://localhost:${local}`],
    [MCP_ENV.vaultAddress, input.vaultAddress],
    [MCP_ENV.vaultRole, tenantVaultRoleName(input.tenantId)],
    [MCP_ENV.vaultAuthPath, input.vaultAuthPath],
    [MCP_ENV.vaultTokenPath, `${VAULT_SA_TOKEN_DIR}/${VAULT_SA_TOKEN_FILE}`],
  ];
  return values.map(([name, value]) => ({ name, value }));
}

/** Names of the contract's variables: an addon may not redefine them. */
export const MCP_ENV_NAMES: readonly string[] = Object.values(MCP_ENV);

/** How egress to Vault is allowed. */
export interface VaultEgress {
  /**
   * Addresses of Vault (or of its load balancer), as CIDRs narrower than /16 (IPv6 /112), outside
   * link-local and cloud metadata ranges: a few addresses, never a whole network (MCP-K8S-10).
   * @default - derived from `vault.address`
   */
  readonly cidrs?: readonly string[];
  /**
   * Labels of the namespace an in-cluster Vault runs in (e.g. `{ 'kubernetes.io/metadata.name': 'vault' }`);
   * at least one label (an empty selector matches every namespace), never an MCP namespace.
   * @default - derived from `vault.address`
   */
  readonly namespaceLabels?: Readonly<Record<string, string>>;
  /**
   * Labels of Vault's pods in that namespace; only with `namespaceLabels`.
   * @default - every pod of that namespace
   */
  readonly podLabels?: Readonly<Record<string, string>>;
  /**
   * TCP port of Vault; when `vault.address` is a literal, it must be that address's port (the only
   * port the rule pack allows to Vault, MCP-K8S-10).
   * @default - the port of `vault.address` (443 for https without one; 8200 when the address is a token)
   */
  readonly port?: number;
}

/** Where Vault egress goes, as decided from the address and the explicit prop. */
export interface VaultEgressPlan {
  readonly port: number;
  readonly to: NetworkPolicyV1SpecEgressTo[];
  /** How the destination was decided, for docs and the review. */
  readonly basis: 'explicit' | 'ip-literal' | 'in-cluster-service' | 'public-addresses' | 'unresolved-address';
}

const IPV4_LITERAL = /^\d{1,3}(?:\.\d{1,3}){3}$/;
const IN_CLUSTER_SERVICE = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?\.([a-z0-9]([a-z0-9-]*[a-z0-9])?)\.svc(?:\.cluster\.local)?$/;

/** Public IPv4 addresses: everything but private, link-local and CGNAT ranges. */
export function publicIpv4Peer(): NetworkPolicyV1SpecEgressTo {
  return { ipBlock: { cidr: ANY_IPV4, except: [...NON_PUBLIC_IPV4_RANGES] } };
}

/**
 * Decides Vault egress. Explicit `vaultEgress` wins; else from `vault.address`: an IP literal becomes a
 * /32 (/128), an in-cluster service name `<svc>.<ns>.svc[.cluster.local]` that namespace, and any
 * other name public addresses only (a private address must be given explicitly).
 */
export function planVaultEgress(address: string, explicit: VaultEgress | undefined): VaultEgressPlan {
  let url: URL | undefined;
  if (!isUnresolved(address)) {
    try {
      url = new URL(address);
    } catch {
      url = undefined;
    }
  }
  const addressPort = url ? Number(url.port || (url.protocol === 'http:' ? 80 : HTTPS_PORT)) : VAULT_DEFAULT_PORT;
  const port = explicit?.port ?? addressPort;

  if (explicit && (explicit.cidrs !== undefined || explicit.namespaceLabels !== undefined)) {
    const to: NetworkPolicyV1SpecEgressTo[] = (explicit.cidrs ?? []).map((cidr) => ({ ipBlock: { cidr } }));
    if (explicit.namespaceLabels) {
      to.push({
        namespaceSelector: { matchLabels: { ...explicit.namespaceLabels } },
        ...(explicit.podLabels ? { podSelector: { matchLabels: { ...explicit.podLabels } } } : {}),
      });
    }
    return { port, to, basis: 'explicit' };
  }
  if (!url) return { port, to: [publicIpv4Peer()], basis: 'unresolved-address' };

  const host = url.hostname;
  if (IPV4_LITERAL.test(host)) return { port, to: [{ ipBlock: { cidr: `${host}/32` } }], basis: 'ip-literal' };
  if (host.startsWith('['))
    return { port, to: [{ ipBlock: { cidr: `${host.slice(1, -1)}/128` } }], basis: 'ip-literal' };
  const service = IN_CLUSTER_SERVICE.exec(host);
  if (service) {
    return {
      port,
      to: [{ namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: service[2] } } }],
      basis: 'in-cluster-service',
    };
  }
  return { port, to: [publicIpv4Peer()], basis: 'public-addresses' };
}

/**
 * The egress allow-list of an MCP pod: DNS to kube-dns; the tunnel (7844 TCP and UDP) and HTTPS (443:
 * tunnel API, token keys, audit uploads) to public addresses only; Vault as planned.
 */
export function egressAllowList(vault: VaultEgressPlan): NetworkPolicyV1SpecEgress[] {
  return [
    {
      to: [
        {
          namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: KUBE_DNS_NAMESPACE } },
          podSelector: { matchLabels: { ...KUBE_DNS_POD_LABELS } },
        },
      ],
      ports: [
        { protocol: 'UDP', port: String(DNS_PORT) },
        { protocol: 'TCP', port: String(DNS_PORT) },
      ],
    },
    {
      to: [publicIpv4Peer()],
      ports: [
        { protocol: 'TCP', port: String(TUNNEL_EDGE_PORT) },
        { protocol: 'UDP', port: String(TUNNEL_EDGE_PORT) },
        { protocol: 'TCP', port: String(HTTPS_PORT) },
      ],
    },
    { to: vault.to, ports: [{ protocol: 'TCP', port: numberText(vault.port) }] },
  ];
}

/**
 * The namespace quota: nothing that exposes a pod (services, load balancers, node ports, ingresses),
 * pods for one full rolling update, and the requests and memory limits those pods need.
 */
export function quotaHard(
  replicas: number,
  containers: readonly { readonly resources?: DeploymentV1SpecTemplateSpecContainerResources }[],
): Record<string, string> {
  const hard: Record<string, string> = {};
  for (const key of ZERO_QUOTA_KEYS) hard[key] = '0';
  if (isUnresolved(replicas)) return hard;
  const pods = replicas * QUOTA_PODS_PER_REPLICA;
  hard.pods = String(pods);
  const total = (part: 'requests' | 'limits', key: 'cpu' | 'memory'): number | undefined => {
    let sum = 0;
    for (const container of containers) {
      const text = container.resources?.[part]?.[key];
      if (text === undefined) continue;
      if (isUnresolved(text)) return undefined;
      const value = parseQuantity(text);
      if (value === undefined) return undefined;
      sum += value;
    }
    return sum > 0 ? sum * pods : undefined;
  };
  const cpu = total('requests', 'cpu');
  const memory = total('requests', 'memory');
  const memoryLimit = total('limits', 'memory');
  if (cpu !== undefined) hard['requests.cpu'] = formatCpu(cpu);
  if (memory !== undefined) hard['requests.memory'] = formatMemory(memory);
  if (memoryLimit !== undefined) hard['limits.memory'] = formatMemory(memoryLimit);
  return hard;
}

/** The MCP server container: loopback listener, exec probes from its health command, addon env and mounts. */
export function mcpContainer(input: {
  readonly image: string;
  readonly environment: DeploymentV1SpecTemplateSpecContainerEnv[];
  readonly resources: ContainerResourceQuantities | undefined;
  readonly healthCommand: readonly string[] | undefined;
  readonly addons: readonly PodAddon[];
}): DeploymentV1SpecTemplateSpecContainer {
  const probes = input.healthCommand
    ? { livenessProbe: execProbe(input.healthCommand), readinessProbe: execProbe(input.healthCommand) }
    : {};
  return {
    name: MCP_CONTAINER_NAME,
    image: input.image,
    env: [
      ...input.environment,
      ...input.addons.flatMap((a) => Object.entries(a.mcpEnv ?? {}).map(([name, value]) => ({ name, value }))),
    ],
    resources: mergeResources(MCP_RESOURCES, input.resources),
    securityContext: restrictedContainerSecurityContext(),
    volumeMount: [
      { name: TMP_VOLUME, mountPath: TMP_MOUNT_PATH },
      { name: VAULT_SA_TOKEN_VOLUME, mountPath: VAULT_SA_TOKEN_DIR, readOnly: true },
      ...input.addons.flatMap((a) => a.mcpVolumeMounts ?? []),
    ],
    ...probes,
  };
}

/** The cloudflared connector: token from the secret, metrics on loopback, exec-probed with `tunnel ready`. */
export function cloudflaredContainer(input: {
  readonly image: string;
  readonly tokenSecretName: string;
  readonly resources: ContainerResourceQuantities | undefined;
}): DeploymentV1SpecTemplateSpecContainer {
  return {
    name: CLOUDFLARED_CONTAINER_NAME,
    image: input.image,
    args: [...CLOUDFLARED_ARGS],
    env: [
      {
        name: TUNNEL_TOKEN_ENV,
        valueFrom: { secretKeyRef: { name: input.tokenSecretName, key: TUNNEL_TOKEN_SECRET_KEY } },
      },
    ],
    resources: mergeResources(CLOUDFLARED_RESOURCES, input.resources),
    securityContext: restrictedContainerSecurityContext(),
    livenessProbe: execProbe(CLOUDFLARED_READY_COMMAND),
    readinessProbe: execProbe(CLOUDFLARED_READY_COMMAND),
  };
}

/**
 * The pod: no host namespaces, no API token, no service links, the restricted security context,
 * spread across nodes; volumes: a small /tmp, the projected Vault token, then the addons'.
 */
export function loopbackPodSpec(input: {
  readonly serviceAccountName: string;
  readonly selector: Record<string, string>;
  readonly containers: DeploymentV1SpecTemplateSpecContainer[];
  readonly addons: readonly PodAddon[];
}): DeploymentV1SpecTemplateSpec {
  return {
    serviceAccountName: input.serviceAccountName,
    automountServiceAccountToken: false,
    enableServiceLinks: false,
    hostNetwork: false,
    hostPid: false,
    hostIpc: false,
    securityContext: podSecurityContext(),
    topologySpreadConstraint: [
      {
        maxSkew: 1,
        topologyKey: 'kubernetes.io/hostname',
        // Soft: a single-node cluster still runs every replica.
        whenUnsatisfiable: 'ScheduleAnyway',
        labelSelector: [{ matchLabels: input.selector }],
      },
    ],
    container: input.containers,
    volume: [
      { name: TMP_VOLUME, emptyDir: { sizeLimit: TMP_SIZE_LIMIT } },
      {
        name: VAULT_SA_TOKEN_VOLUME,
        projected: [
          {
            sources: [
              {
                serviceAccountToken: {
                  audience: VAULT_TOKEN_AUDIENCE,
                  expirationSeconds: VAULT_SA_TOKEN_EXPIRATION_SECONDS,
                  path: VAULT_SA_TOKEN_FILE,
                },
              },
            ],
          },
        ],
      },
      ...input.addons.flatMap((a) => a.volumes ?? []),
    ],
  };
}

/** The containers of the pod, in order: the MCP server, cloudflared, then each addon's. */
export function podContainers(
  mcp: DeploymentV1SpecTemplateSpecContainer,
  cloudflared: DeploymentV1SpecTemplateSpecContainer,
  addons: readonly { readonly containers: readonly DeploymentV1SpecTemplateSpecContainer[] }[],
): DeploymentV1SpecTemplateSpecContainer[] {
  return [mcp, cloudflared, ...addons.flatMap((a) => a.containers)];
}
