import { isHttpsUrl, isPinnedImage } from '../core/formats';
import { tenantNamespaceName } from '../core/naming';
import type { PodAddon, TenantIdentityRef } from '../core/refs';
import { describeValue, isUnresolved, PropsValidator } from '../core/validation';
import {
  cidrReaches,
  CLOUDFLARED_CONTAINER_NAME,
  CLOUDFLARED_METRICS_PORT,
  type ContainerResourceQuantities,
  FORBIDDEN_EGRESS_RANGES,
  HTTPS_PORT,
  MCP_CONTAINER_NAME,
  MCP_NAMESPACE_PATTERN,
  MCP_REPLICAS_MAX,
  NAMESPACE_NAME_LABEL,
  NAMESPACE_NAME_MAX_LENGTH,
  TMP_VOLUME,
  TUNNEL_TOKEN_SECRET_NAME,
  VAULT_CIDR_BROADEST_PREFIX,
  VAULT_SA_TOKEN_VOLUME,
  parseCidr,
} from '../core/ports-defaults';
import { MCP_ENV_NAMES, type VaultEgress } from './loopback-pod';
import { parseQuantity } from './quantity';

export type { VaultEgress } from './loopback-pod';

/** How the MCP server reaches Vault. */
export interface VaultConnection {
  /**
   * Vault's address, an https URL (e.g. `https://vault.example.com:8200`); becomes `VAULT_ADDR`. Plain
   * http is refused: Vault login tokens and secrets would cross the network unencrypted.
   */
  readonly address: string;
  /**
   * Path of the Vault Kubernetes auth backend the server logs in through; becomes `VAULT_AUTH_PATH`.
   * @default 'kubernetes'
   */
  readonly authPath?: string;
}

/** Requests and limits of the pod's own containers. */
export interface WorkloadResources {
  /** @default - requests cpu 100m, memory 128Mi; limit memory 256Mi */
  readonly mcp?: ContainerResourceQuantities;
  /** @default - requests cpu 50m, memory 64Mi; limit memory 128Mi */
  readonly cloudflared?: ContainerResourceQuantities;
}

/** Props of {@link LoopbackMcpDeployment}. */
export interface LoopbackMcpDeploymentProps {
  /** The tenant id (`^[a-z][a-z0-9-]{1,30}$`, a literal): it names the namespace `mcp-<tenantId>`. */
  readonly tenantId: string;
  /** Image of the MCP server, pinned by digest (`@sha256:...`, preferred) or by a tag other than `latest`. */
  readonly image: string;
  /**
   * Port the MCP server listens on, on 127.0.0.1 inside its pod (there is no bind-address prop: it is
   * always loopback). Between 1 and 65535, and not 20241 (cloudflared's metrics port in the same pod).
   */
  readonly port: number;
  /**
   * Command the image offers to check its own health, run as exec liveness and readiness probes (HTTP
   * and TCP probes would hit the pod IP, where nothing listens).
   * @default - no probes on the MCP container, and a warning (MCP-K8S-8W) until one is given
   */
  readonly healthCommand?: readonly string[];
  /**
   * The tunnel token, as a reference (a Terraform token from the transport layer), never a literal.
   * It is written only through the secret's write-only `data_wo` attribute.
   */
  readonly tunnelToken: string;
  /**
   * Revision of the write-only tunnel token: bump it to send a rotated token. At least 1.
   * @default 1
   */
  readonly tunnelTokenRevision?: number;
  /** Issuer and audience of the tenant's authorization server, for the server's token validation. */
  readonly identity: Pick<TenantIdentityRef, 'issuer' | 'audience'>;
  /**
   * Port of `cloudflared access tcp` on the developer's laptop: the resource URL the server advertises
   * is `http://127.0.0.1:<localPort>/mcp`. Between 1 and 65535.
   * @default 7700
   */
  readonly localPort?: number;
  /** Vault address and auth path; the role is `mcp-<tenantId>`. */
  readonly vault: VaultConnection;
  /**
   * Where the pod may open connections to Vault (TCP, on the port of `vault.address`). CIDRs must be
   * narrower than /16 (IPv6 /112) and outside link-local and metadata ranges: the rule pack
   * (MCP-K8S-10) allows Vault egress only in that shape.
   * @default - from `vault.address`: an IP literal allows that address only; `<svc>.<ns>.svc[.cluster.local]`
   * allows the namespace `<ns>`; any other name allows public addresses only (RFC 1918, link-local and
   * CGNAT excluded), so a Vault on a private address must be named here
   */
  readonly vaultEgress?: VaultEgress;
  /**
   * Pods, each with its own tunnel connector, spread across nodes. Between 1 and 25 (Cloudflare's
   * connectors per tunnel).
   * @default 2
   */
  readonly replicas?: number;
  /**
   * Requests and limits (Kubernetes quantities); each given value replaces its default, so no
   * container is left without requests and a memory limit.
   * @default - see {@link WorkloadResources}
   */
  readonly resources?: WorkloadResources;
  /**
   * Image of the cloudflared sidecar, pinned by digest (preferred) or by a tag other than `latest`.
   * @default - cloudflare/cloudflared 2026.9.3, pinned by digest
   */
  readonly cloudflaredImage?: string;
  /** What other layers add to the pod (the audit shipper, for one). @default - none */
  readonly addons?: readonly PodAddon[];
}

const ADDON_NAME = /^[a-z][a-z0-9-]{0,30}$/;
const DNS_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const AUTH_PATH = /^[A-Za-z0-9][A-Za-z0-9_.-]*(\/[A-Za-z0-9][A-Za-z0-9_.-]*)*$/;
const QUANTITY_HINT = 'a positive Kubernetes quantity (e.g. 250m, 0.5, 128Mi)';

const CONTAINER_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const FORBIDDEN_RANGES = FORBIDDEN_EGRESS_RANGES.map((r) => parseCidr(r)!);

/** The URL of a literal address, when it parses. */
function urlOf(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

/** A CIDR narrow enough to name Vault (narrower than /16, IPv6 /112) that reaches no link-local or metadata address. */
function isVaultCidr(value: string): boolean {
  const cidr = parseCidr(value);
  if (!cidr) return false;
  const broadest = cidr.bits === 32 ? VAULT_CIDR_BROADEST_PREFIX.ipv4 : VAULT_CIDR_BROADEST_PREFIX.ipv6;
  return cidr.prefix > broadest && !FORBIDDEN_RANGES.some((r) => cidrReaches(cidr, [], r));
}

function validateImage(v: PropsValidator, prop: string, image: string | undefined): void {
  v.check(
    image,
    (i: string) => typeof i === 'string' && isPinnedImage(i),
    `${prop} must be pinned by digest (@sha256:<64 hex>) or by a tag other than 'latest', but ${describeValue(image)} was provided`,
  );
}

function validateResources(v: PropsValidator, prop: string, given: ContainerResourceQuantities | undefined): void {
  for (const part of ['requests', 'limits'] as const) {
    for (const key of ['cpu', 'memory'] as const) {
      const value = given?.[part]?.[key];
      v.check(
        value,
        (q: string) => (parseQuantity(q) ?? 0) > 0,
        `${prop}.${part}.${key} must be ${QUANTITY_HINT}, but ${describeValue(value)} was provided`,
      );
    }
  }
  for (const key of ['cpu', 'memory'] as const) {
    const request = given?.requests?.[key];
    const limit = given?.limits?.[key];
    if (request === undefined || limit === undefined || isUnresolved(request) || isUnresolved(limit)) continue;
    const r = parseQuantity(request);
    const l = parseQuantity(limit);
    if (r !== undefined && l !== undefined && l < r) {
      v.fail(
        `${prop}.limits.${key} must be at least ${prop}.requests.${key} (${describeValue(request)}), but ${describeValue(limit)} was provided`,
      );
    }
  }
}

function validateVaultEgress(v: PropsValidator, egress: VaultEgress | undefined, address: string | undefined): void {
  if (egress === undefined) return;
  if (egress.cidrs === undefined && egress.namespaceLabels === undefined) {
    v.fail('vaultEgress must name cidrs or namespaceLabels, but neither was provided');
  }
  (egress.cidrs ?? []).forEach((cidr, i) =>
    v.check(
      cidr,
      isVaultCidr,
      `vaultEgress.cidrs[${i}] must be an IPv4 CIDR narrower than /${VAULT_CIDR_BROADEST_PREFIX.ipv4} or an IPv6 CIDR narrower than /${VAULT_CIDR_BROADEST_PREFIX.ipv6}, outside link-local and metadata addresses, but ${describeValue(cidr)} was provided`,
    ),
  );
  if (
    egress.cidrs !== undefined &&
    !isUnresolved(egress.cidrs) &&
    egress.cidrs.length === 0 &&
    !egress.namespaceLabels
  ) {
    v.fail('vaultEgress.cidrs must list at least one CIDR, but [] was provided');
  }
  if (egress.namespaceLabels !== undefined && !isUnresolved(egress.namespaceLabels)) {
    if (Object.keys(egress.namespaceLabels).length === 0) {
      v.fail(
        'vaultEgress.namespaceLabels must name at least one label (an empty selector matches every namespace), but {} was provided',
      );
    }
    const named = egress.namespaceLabels[NAMESPACE_NAME_LABEL];
    if (typeof named === 'string' && !isUnresolved(named) && MCP_NAMESPACE_PATTERN.test(named)) {
      v.fail(
        `vaultEgress.namespaceLabels must not select an MCP namespace (Vault never runs in a tenant's namespace), but '${named}' was provided`,
      );
    }
  }
  if (egress.podLabels !== undefined && egress.namespaceLabels === undefined) {
    v.fail(
      'vaultEgress.podLabels needs vaultEgress.namespaceLabels (Vault does not run in the tenant namespace), but only podLabels was provided',
    );
  }
  v.integerBetween('vaultEgress.port', egress.port, 1, 65535);
  const url = typeof address === 'string' && !isUnresolved(address) ? urlOf(address) : undefined;
  if (url && egress.port !== undefined && !isUnresolved(egress.port)) {
    const addressPort = Number(url.port || HTTPS_PORT);
    if (egress.port !== addressPort) {
      v.fail(
        `vaultEgress.port must be the port of vault.address (${addressPort}), the only port the rule pack allows to Vault, but ${egress.port} was provided`,
      );
    }
  }
}

function validateAddons(v: PropsValidator, addons: readonly PodAddon[] | undefined): void {
  if (addons === undefined) return;
  const addonNames = new Set<string>();
  const containerNames = new Set([MCP_CONTAINER_NAME, CLOUDFLARED_CONTAINER_NAME]);
  const volumeNames = new Set([TMP_VOLUME, VAULT_SA_TOKEN_VOLUME]);
  const objectNames = new Set([TUNNEL_TOKEN_SECRET_NAME]);
  const mcpEnv = new Set(MCP_ENV_NAMES);
  addons.forEach((addon, a) => {
    const at = `addons[${a}]`;
    v.matches(`${at}.name`, addon.name, ADDON_NAME, 'a short name matching ^[a-z][a-z0-9-]{0,30}$');
    if (addonNames.has(addon.name))
      v.fail(`${at}.name must be unique, but '${addon.name}' was provided more than once`);
    addonNames.add(addon.name);

    (addon.containers ?? []).forEach((container, c) => {
      const cat = `${at}.containers[${c}]`;
      if (containerNames.has(container.name)) {
        v.fail(`${cat}.name must differ from every other container of the pod, but '${container.name}' was provided`);
      }
      containerNames.add(container.name);
      v.matches(
        `${cat}.name`,
        container.name,
        CONTAINER_NAME,
        'a container name (a DNS label of at most 63 characters)',
      );
      validateImage(v, `${cat}.image`, container.image);
      if (container.port !== undefined) {
        v.fail(
          `${cat}.port must not be set (the pod declares no ports: everything listens on 127.0.0.1), but a port was provided`,
        );
      }
    });
    (addon.volumes ?? []).forEach((volume, i) => {
      const name = volume.name ?? '';
      if (volumeNames.has(name))
        v.fail(`${at}.volumes[${i}].name must differ from every other volume of the pod, but '${name}' was provided`);
      volumeNames.add(name);
    });
    for (const [kind, map] of [
      ['configMaps', addon.configMaps],
      ['secrets', addon.secrets],
    ] as const) {
      for (const [name, data] of Object.entries(map ?? {})) {
        if (!DNS_SUBDOMAIN.test(name) || objectNames.has(name)) {
          v.fail(
            `${at}.${kind} keys must be unique Kubernetes object names (DNS subdomains), but '${name}' was provided`,
          );
        }
        objectNames.add(name);
        if (kind === 'secrets') {
          for (const key of Object.keys(data)) {
            if (!isUnresolved(data[key])) {
              v.fail(
                `${at}.secrets.${name}.${key} must be a reference (a Terraform token), never a literal, but a literal was provided`,
              );
            }
          }
        }
      }
    }
    v.integerAtLeast(`${at}.secretRevision`, addon.secretRevision, 1);
    for (const name of Object.keys(addon.mcpEnv ?? {})) {
      if (mcpEnv.has(name)) {
        v.fail(`${at}.mcpEnv must not redefine the MCP server's contract variable ${name}, but it was provided`);
      }
    }
  });
  // Mounts may only name volumes of the pod (checked once every addon's volumes are known).
  addons.forEach((addon, a) =>
    (addon.mcpVolumeMounts ?? []).forEach((mount, m) => {
      if (!volumeNames.has(mount.name)) {
        v.fail(
          `addons[${a}].mcpVolumeMounts[${m}].name must name a volume of the pod, but '${mount.name}' was provided`,
        );
      }
    }),
  );
}

/** Validates {@link LoopbackMcpDeploymentProps}, throwing one error that names every problem. */
export function validateLoopbackMcpDeploymentProps(props: LoopbackMcpDeploymentProps): void {
  const v = new PropsValidator('LoopbackMcpDeployment');

  v.tenantId('tenantId', props.tenantId, 'the namespace and construct ids');
  if (!isUnresolved(props.tenantId) && typeof props.tenantId === 'string' && props.tenantId !== '') {
    const namespace = tenantNamespaceName(props.tenantId);
    if (namespace.length > NAMESPACE_NAME_MAX_LENGTH) {
      v.fail(
        `tenantId must give a namespace name of at most ${NAMESPACE_NAME_MAX_LENGTH} characters, but '${namespace}' (${namespace.length} characters) was provided`,
      );
    }
  }

  v.required('image', props.image);
  validateImage(v, 'image', props.image);

  v.required('port', props.port);
  v.integerBetween('port', props.port, 1, 65535);
  v.check(
    props.port,
    (p: number) => p !== CLOUDFLARED_METRICS_PORT,
    `port must not be ${CLOUDFLARED_METRICS_PORT} (cloudflared's metrics port in the same pod), but ${props.port} was provided`,
  );
  v.integerBetween('localPort', props.localPort, 1, 65535);

  v.check(
    props.healthCommand,
    (c: readonly string[]) =>
      Array.isArray(c) && c.length > 0 && c.every((part) => typeof part === 'string' && part !== ''),
    `healthCommand must be a non-empty list of non-empty strings, but ${describeValue(props.healthCommand)} was provided`,
  );

  v.required('tunnelToken', props.tunnelToken);
  if (typeof props.tunnelToken === 'string' && props.tunnelToken !== '' && !isUnresolved(props.tunnelToken)) {
    v.fail('tunnelToken must be a reference (a Terraform token), never a literal, but a literal was provided');
  }
  v.integerAtLeast('tunnelTokenRevision', props.tunnelTokenRevision, 1);

  v.required('identity.issuer', props.identity?.issuer);
  v.httpsUrl('identity.issuer', props.identity?.issuer);
  v.required('identity.audience', props.identity?.audience);
  v.check(
    props.identity?.audience,
    isHttpsUrl,
    `identity.audience must be an https URL (the tenant's canonical MCP URI), but ${describeValue(props.identity?.audience)} was provided`,
  );

  v.required('vault.address', props.vault?.address);
  v.check(
    props.vault?.address,
    isHttpsUrl,
    `vault.address must be an https URL (Vault tokens and secrets cross the network), but ${describeValue(props.vault?.address)} was provided`,
  );
  v.matches(
    'vault.authPath',
    props.vault?.authPath,
    AUTH_PATH,
    'a Vault path without leading or trailing slashes or wildcards',
  );
  validateVaultEgress(v, props.vaultEgress, props.vault?.address);

  v.integerBetween('replicas', props.replicas, 1, MCP_REPLICAS_MAX);
  validateResources(v, 'resources.mcp', props.resources?.mcp);
  validateResources(v, 'resources.cloudflared', props.resources?.cloudflared);
  validateImage(v, 'cloudflaredImage', props.cloudflaredImage);
  validateAddons(v, props.addons);

  v.throwIfInvalid();
}
