/**
 * The typed references through which the layers meet. A layer never looks another up in the
 * construct tree: it is handed one of these, so that shared pieces and tenant cells can live in
 * different stacks (cdktf turns a cross-stack reference into a remote-state lookup).
 */
import type {
  DeploymentV1SpecTemplateSpecContainer,
  DeploymentV1SpecTemplateSpecContainerVolumeMount,
  DeploymentV1SpecTemplateSpecVolume,
} from '@cdktf/provider-kubernetes/lib/deployment-v1';

/** The shared Okta clients (identity layer, shared). */
export interface OktaClientsRef {
  /** Client id of the public PKCE client MCP clients use. */
  readonly mcpClientId: string;
  /** Client id of the admin client (hardware key required to sign in). */
  readonly adminClientId: string;
  /** Client id of the confidential web app the Cloudflare Access identity provider uses. */
  readonly accessIdpClientId: string;
  /** Its client secret, a reference (never a literal). */
  readonly accessIdpClientSecret: string;
  /** The Okta org URL, e.g. `https://example.okta.com`. */
  readonly orgUrl: string;
}

/** The shared Okta clients with their app ids (for group assignments), as `OktaMcpClients` exposes them. */
export interface OktaMcpClientsRef extends OktaClientsRef {
  /** App id of the public MCP client. */
  readonly mcpAppId: string;
  /** App id of the admin client. */
  readonly adminAppId: string;
  /** App id of the Cloudflare Access identity provider's web app. */
  readonly accessIdpAppId: string;
  /** Redirect URIs registered on the MCP and admin clients (the first is the one clients use by default). */
  readonly loopbackRedirectUris: readonly string[];
}

/** One tenant's identity (identity layer, per tenant). */
export interface TenantIdentityRef {
  readonly tenantId: string;
  /** Issuer URL of the tenant's authorization server. */
  readonly issuer: string;
  /** The single audience of the tenant's tokens: `https://<t>.<domain>/mcp`. */
  readonly audience: string;
  /** Id of the tenant's authorization server. */
  readonly authServerId: string;
  /** Okta group names (as the Cloudflare Access identity provider sees them in the groups claim). */
  readonly userGroupName: string;
  readonly adminGroupName: string;
}

/** The shared Cloudflare Access identity provider (transport layer, shared). */
export interface AccessIdentityProviderRef {
  /** Id of the `ZeroTrustAccessIdentityProvider` of type okta. */
  readonly identityProviderId: string;
  /** Cloudflare account id. */
  readonly accountId: string;
}

/** One tenant's transport (transport layer, per tenant). */
export interface TenantTransportRef {
  readonly tenantId: string;
  /** The tenant's public hostname `<t>.<domain>`. */
  readonly hostname: string;
  /** The tunnel id. */
  readonly tunnelId: string;
  /** The tunnel token, as a reference to the token data source: never a literal. */
  readonly tunnelToken: string;
}

/** One tenant's workload identity in Kubernetes (ports layer, per tenant). */
export interface TenantWorkloadRef {
  readonly tenantId: string;
  /** Namespace `mcp-<t>`, as a reference to the namespace resource. */
  readonly namespace: string;
  /** Service account `mcp-server`, as a reference to the service account resource. */
  readonly serviceAccountName: string;
}

/** The shared Vault auth backends (secrets layer, shared). */
export interface VaultAuthRef {
  /** Path of the Kubernetes auth backend, e.g. `kubernetes`. */
  readonly kubernetesAuthPath: string;
}

/**
 * Something another layer adds to a tenant's MCP pod (the audit shipper, for one). The ports layer
 * creates the config maps and secrets in the tenant's namespace and adds the containers and volumes;
 * every container added must satisfy the same restricted profile as the pod's own.
 */
export interface PodAddon {
  /** A short name, used in construct ids of the resources the ports layer creates for it. */
  readonly name: string;
  /** Containers added to the pod (exec probes only, restricted security context, pinned image). */
  readonly containers: readonly DeploymentV1SpecTemplateSpecContainer[];
  /** Volumes added to the pod (emptyDir, projected, secret or configMap only). */
  readonly volumes?: readonly DeploymentV1SpecTemplateSpecVolume[];
  /** Config maps to create in the tenant's namespace: name -> data. */
  readonly configMaps?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /**
   * Secrets to create in the tenant's namespace: name -> data, written through the write-only
   * `data_wo` attribute; values must be references, never literals.
   */
  readonly secrets?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Bump to re-send write-only secret data (`data_wo_revision`). @default 1 */
  readonly secretRevision?: number;
  /** Environment variables added to the MCP server container. */
  readonly mcpEnv?: Readonly<Record<string, string>>;
  /** Volume mounts added to the MCP server container. */
  readonly mcpVolumeMounts?: readonly DeploymentV1SpecTemplateSpecContainerVolumeMount[];
  /**
   * Extra egress the addon needs, as HTTPS (TCP 443) destinations outside private ranges; the ports
   * layer already allows 443 to public addresses for cloudflared, so this documents intent.
   */
  readonly egressHttpsPublic?: boolean;
}
