import { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { NetworkPolicyV1 } from '@cdktf/provider-kubernetes/lib/network-policy-v1';
import { PodDisruptionBudgetV1 } from '@cdktf/provider-kubernetes/lib/pod-disruption-budget-v1';
import { ResourceQuotaV1 } from '@cdktf/provider-kubernetes/lib/resource-quota-v1';
import { SecretV1 } from '@cdktf/provider-kubernetes/lib/secret-v1';
import { ServiceAccountV1 } from '@cdktf/provider-kubernetes/lib/service-account-v1';
import { Annotations, Construct } from '../core/cdktf';
import { LOCAL_PORT } from '../core/defaults';
import { isDigestPinnedImage } from '../core/formats';
import { MCP_SERVICE_ACCOUNT_NAME, tenantNamespaceName } from '../core/naming';
import type { PodAddon, TenantWorkloadRef } from '../core/refs';
import { recordTenantScope } from '../core/stack-metadata';
import { isUnresolved } from '../core/validation';
import {
  CLOUDFLARED_IMAGE,
  MCP_DEPLOYMENT_NAME,
  MCP_REPLICAS,
  TUNNEL_TOKEN_SECRET_KEY,
  TUNNEL_TOKEN_SECRET_NAME,
  VAULT_DEFAULT_PORT,
  VAULT_KUBERNETES_AUTH_PATH,
} from '../core/ports-defaults';
import { type LoopbackMcpDeploymentProps, validateLoopbackMcpDeploymentProps } from './loopback-mcp-deployment-props';
import {
  cloudflaredContainer,
  commonLabels,
  egressAllowList,
  localResourceUrl,
  loopbackPodSpec,
  mcpContainer,
  mcpEnvironment,
  numberText,
  planVaultEgress,
  podContainers,
  podSecurityLabels,
  podSelectorLabels,
  podTemplateAnnotations,
  quotaHard,
} from './loopback-pod';

export type {
  LoopbackMcpDeploymentProps,
  VaultConnection,
  VaultEgress,
  WorkloadResources,
} from './loopback-mcp-deployment-props';

/**
 * The deployment module is the heaviest provider module (about 100 ms to load): it is loaded when
 * the first deployment is built, not with the library.
 */
type DeploymentV1 = import('@cdktf/provider-kubernetes/lib/deployment-v1').DeploymentV1;

function deploymentV1Class(): typeof import('@cdktf/provider-kubernetes/lib/deployment-v1').DeploymentV1 {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('@cdktf/provider-kubernetes/lib/deployment-v1').DeploymentV1;
}

/**
 * One tenant's MCP server in Kubernetes, reachable only through its tunnel: namespace `mcp-<tenant>`
 * under the `restricted` Pod Security Standard, a Deployment whose MCP container listens on
 * 127.0.0.1 beside a cloudflared connector, default-deny network policies with an egress allow-list,
 * a disruption budget and a quota that forbids Services and Ingresses. Nothing is exposed: no
 * container port, no Service, no Ingress.
 *
 * The pod template names the addons' containers in the annotation `mcp-access.io/addons`: the rule
 * pack (MCP-K8S-11) lets only those, the MCP server and cloudflared run in the pod, so adding an addon
 * shows in a review as a changed annotation as well as a new container.
 *
 * Construct ids: `Namespace`, `ServiceAccount`, `TunnelToken`, `Deployment`, `DefaultDeny`,
 * `EgressAllowList`, `DisruptionBudget`, `Quota`, and `Addon-<addon>-ConfigMap-<name>` /
 * `Addon-<addon>-Secret-<name>` for each addon's objects.
 */
export class LoopbackMcpDeployment extends Construct implements TenantWorkloadRef {
  public readonly tenantId: string;
  /** Namespace `mcp-<tenant>`, as a reference to the namespace resource. */
  public readonly namespace: string;
  /** Service account `mcp-server`, as a reference to the service account resource. */
  public readonly serviceAccountName: string;
  /** Deployment `mcp-server`, as a reference to the deployment resource. */
  public readonly deploymentName: string;
  /** Port the MCP server listens on, on 127.0.0.1 in its pod. */
  public readonly port: number;
  /** Port of `cloudflared access tcp` on the laptop. */
  public readonly localPort: number;
  /** The resource URL the server advertises (RFC 9728): `http://127.0.0.1:<localPort>/mcp`. */
  public readonly resourceUrl: string;

  /** The tenant's namespace. */
  public readonly namespaceResource: NamespaceV1;
  /** The MCP server's service account. */
  public readonly serviceAccountResource: ServiceAccountV1;
  /** The secret holding the tunnel token (write-only data). */
  public readonly tunnelTokenSecret: SecretV1;
  /** The Deployment of the MCP server, cloudflared and the addons' containers. */
  public readonly deployment: DeploymentV1;
  /** The namespace's default-deny network policy (ingress and egress). */
  public readonly defaultDenyPolicy: NetworkPolicyV1;
  /** The MCP pods' egress allow-list. */
  public readonly egressPolicy: NetworkPolicyV1;
  /** The pods' disruption budget. */
  public readonly disruptionBudget: PodDisruptionBudgetV1;
  /** The namespace quota (no Services, load balancers, node ports or Ingresses). */
  public readonly quota: ResourceQuotaV1;
  /** The config maps and secrets created for the addons, in the order created. */
  public readonly addonObjects: readonly (ConfigMapV1 | SecretV1)[];

  constructor(scope: Construct, id: string, props: LoopbackMcpDeploymentProps) {
    super(scope, id);
    validateLoopbackMcpDeploymentProps(props);
    recordTenantScope(this, props.tenantId);
    this.warnAboutWeakenedDefaults(props);

    const tenantId = props.tenantId;
    const namespaceName = tenantNamespaceName(tenantId);
    const labels = commonLabels(tenantId);
    const selector = podSelectorLabels(namespaceName);
    const replicas = props.replicas ?? MCP_REPLICAS;
    const addons = props.addons ?? [];
    this.tenantId = tenantId;
    this.port = props.port;
    this.localPort = props.localPort ?? LOCAL_PORT;
    this.resourceUrl = localResourceUrl(this.localPort);

    const namespace = (this.namespaceResource = new NamespaceV1(this, 'Namespace', {
      metadata: { name: namespaceName, labels: { ...labels, ...podSecurityLabels() } },
    }));
    const inNamespace = (name: string) => ({ name, namespace: namespace.metadata.name, labels });
    this.namespace = namespace.metadata.name;

    const serviceAccount = (this.serviceAccountResource = new ServiceAccountV1(this, 'ServiceAccount', {
      metadata: inNamespace(MCP_SERVICE_ACCOUNT_NAME),
      automountServiceAccountToken: false,
    }));
    this.serviceAccountName = serviceAccount.metadata.name;

    const tunnelToken = (this.tunnelTokenSecret = new SecretV1(this, 'TunnelToken', {
      metadata: inNamespace(TUNNEL_TOKEN_SECRET_NAME),
      type: 'Opaque',
      dataWo: { [TUNNEL_TOKEN_SECRET_KEY]: props.tunnelToken },
      dataWoRevision: props.tunnelTokenRevision ?? 1,
    }));

    const addonObjects = this.createAddonObjects(addons, inNamespace);
    this.addonObjects = addonObjects;

    const containers = podContainers(
      mcpContainer({
        image: props.image,
        environment: mcpEnvironment({
          tenantId,
          port: props.port,
          localPort: this.localPort,
          issuer: props.identity.issuer,
          audience: props.identity.audience,
          vaultAddress: props.vault.address,
          vaultAuthPath: props.vault.authPath ?? VAULT_KUBERNETES_AUTH_PATH,
        }),
        resources: props.resources?.mcp,
        healthCommand: props.healthCommand,
        addons,
      }),
      cloudflaredContainer({
        image: props.cloudflaredImage ?? CLOUDFLARED_IMAGE,
        tokenSecretName: tunnelToken.metadata.name,
        resources: props.resources?.cloudflared,
      }),
      addons,
    );

    const DeploymentV1 = deploymentV1Class();
    const deployment = (this.deployment = new DeploymentV1(this, 'Deployment', {
      // Addon volumes name their config maps and secrets literally: create those first.
      ...(addonObjects.length > 0 ? { dependsOn: addonObjects } : {}),
      metadata: inNamespace(MCP_DEPLOYMENT_NAME),
      spec: {
        replicas: numberText(replicas),
        selector: { matchLabels: selector },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '1', maxUnavailable: '0' } },
        template: {
          metadata: {
            labels: { ...labels, ...selector },
            annotations: podTemplateAnnotations(addons, props.tunnelTokenRevision ?? 1),
          },
          spec: loopbackPodSpec({ serviceAccountName: serviceAccount.metadata.name, selector, containers, addons }),
        },
      },
    }));
    this.deploymentName = deployment.metadata.name;

    this.defaultDenyPolicy = new NetworkPolicyV1(this, 'DefaultDeny', {
      metadata: inNamespace('default-deny'),
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    });
    this.egressPolicy = new NetworkPolicyV1(this, 'EgressAllowList', {
      metadata: inNamespace('mcp-server-egress'),
      spec: {
        podSelector: { matchLabels: selector },
        policyTypes: ['Egress'],
        egress: egressAllowList(planVaultEgress(props.vault.address, props.vaultEgress)),
      },
    });
    this.disruptionBudget = new PodDisruptionBudgetV1(this, 'DisruptionBudget', {
      metadata: inNamespace(MCP_DEPLOYMENT_NAME),
      spec: { maxUnavailable: '1', selector: { matchLabels: selector } },
    });
    this.quota = new ResourceQuotaV1(this, 'Quota', {
      metadata: inNamespace('mcp-quota'),
      spec: { hard: quotaHard(replicas, containers) },
    });
  }

  /** The config maps and secrets the addons asked for, in the tenant's namespace. */
  private createAddonObjects(
    addons: readonly PodAddon[],
    inNamespace: (name: string) => { name: string; namespace: string; labels: Record<string, string> },
  ): (ConfigMapV1 | SecretV1)[] {
    const created: (ConfigMapV1 | SecretV1)[] = [];
    for (const addon of addons) {
      for (const [name, data] of Object.entries(addon.configMaps ?? {})) {
        created.push(
          new ConfigMapV1(this, `Addon-${addon.name}-ConfigMap-${name}`, {
            metadata: inNamespace(name),
            data: { ...data },
          }),
        );
      }
      for (const [name, data] of Object.entries(addon.secrets ?? {})) {
        created.push(
          new SecretV1(this, `Addon-${addon.name}-Secret-${name}`, {
            metadata: inNamespace(name),
            type: 'Opaque',
            dataWo: { ...data },
            dataWoRevision: addon.secretRevision ?? 1,
          }),
        );
      }
    }
    return created;
  }

  /** Soft defaults the props weaken: each draws a warning naming the default and the value. */
  private warnAboutWeakenedDefaults(props: LoopbackMcpDeploymentProps): void {
    const warn = (message: string) => Annotations.of(this).addWarning(message);
    if (props.replicas !== undefined && !isUnresolved(props.replicas) && props.replicas < MCP_REPLICAS) {
      warn(
        `replicas is ${props.replicas} (default ${MCP_REPLICAS}): a single pod makes the tenant unreachable whenever its node drains`,
      );
    }
    const sidecar = props.cloudflaredImage;
    if (sidecar !== undefined && !isUnresolved(sidecar) && !isDigestPinnedImage(sidecar)) {
      warn(
        `cloudflaredImage '${sidecar}' is pinned by tag only (default '${CLOUDFLARED_IMAGE}' is pinned by digest): a re-pushed tag changes what runs`,
      );
    }
    const address = props.vault.address;
    if (isUnresolved(address) && props.vaultEgress === undefined) {
      Annotations.of(this).addInfo(
        `vault.address is a Terraform token: Vault egress is allowed on TCP ${VAULT_DEFAULT_PORT} to public addresses only; set vaultEgress to name Vault exactly`,
      );
    }
  }
}
