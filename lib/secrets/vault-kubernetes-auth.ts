import { AuthBackend } from '@cdktf/provider-vault/lib/auth-backend';
import { KubernetesAuthBackendConfig } from '@cdktf/provider-vault/lib/kubernetes-auth-backend-config';
import { Construct } from '../core/cdktf';
import { isHttpsUrl } from '../core/formats';
import type { VaultAuthRef } from '../core/refs';
import {
  AUTH_BACKEND_TUNE,
  KUBERNETES_AUTH_PATH,
  VAULT_PATH_PATTERN,
  VAULT_PATH_RANGE,
} from '../core/secrets-defaults';
import { describeValue, isUnresolved, PropsValidator } from '../core/validation';

const AUTH_PATH_RANGE = `an auth path (${VAULT_PATH_RANGE})`;

/** Props of {@link VaultKubernetesAuth}: either `existingPath`, or the settings to create a backend. */
export interface VaultKubernetesAuthProps {
  /**
   * Adopt the Kubernetes auth backend already enabled at this path (many clusters have one): the
   * construct then creates nothing. Not empty, no wildcard. Cannot be combined with the props that
   * create a backend (`path`, `kubernetesHost`, `kubernetesCaCert`, `issuer`, `tokenReviewerJwt`).
   * @default - a backend is created
   */
  readonly existingPath?: string;
  /**
   * Path at which to enable the backend (`auth/<path>`).
   * @default 'kubernetes'
   */
  readonly path?: string;
  /**
   * URL of the Kubernetes API server Vault calls to review service-account tokens, https. Required
   * unless `existingPath` is given.
   */
  readonly kubernetesHost?: string;
  /**
   * PEM CA certificate of the Kubernetes API server.
   * @default - the system's CA bundle (or, when Vault runs in the cluster, its pod's CA)
   */
  readonly kubernetesCaCert?: string;
  /**
   * Issuer of the cluster's service-account tokens (e.g. `https://kubernetes.default.svc.cluster.local`
   * or the cloud's OIDC issuer URL). When given, Vault also checks every token's `iss` against it.
   * @default - `iss` is not checked by Vault; the cluster's TokenReview API still verifies every token
   */
  readonly issuer?: string;
  /**
   * A service-account token Vault uses to call the TokenReview API, as a reference (a sensitive
   * TerraformVariable), never a literal.
   * @default - Vault uses its own pod's token when it runs in the cluster, else the token being
   * reviewed (which then needs the `system:auth-delegator` cluster role)
   */
  readonly tokenReviewerJwt?: string;
}

/** The props that create a backend (and so cannot be combined with `existingPath`). */
const CREATE_PROPS = ['path', 'kubernetesHost', 'kubernetesCaCert', 'issuer', 'tokenReviewerJwt'] as const;

/** Validates {@link VaultKubernetesAuthProps}, throwing one error that names every problem. */
export function validateVaultKubernetesAuthProps(props: VaultKubernetesAuthProps): void {
  const v = new PropsValidator('VaultKubernetesAuth');
  if (props.existingPath !== undefined) {
    const combined = CREATE_PROPS.filter((p) => props[p] !== undefined);
    if (combined.length > 0) {
      v.fail(
        `existingPath adopts a backend and cannot be combined with ${combined.join(', ')}, which create one, but both were provided`,
      );
    }
    v.check(
      props.existingPath,
      (p: string) => typeof p === 'string' && VAULT_PATH_PATTERN.test(p),
      `existingPath must be ${AUTH_PATH_RANGE}, but '${props.existingPath}' was provided`,
    );
  } else {
    if (props.kubernetesHost === undefined || props.kubernetesHost === '') {
      v.fail(
        `kubernetesHost is required to create a backend (or give existingPath to adopt one), but ${describeValue(props.kubernetesHost)} was provided`,
      );
    }
    v.matches('path', props.path, VAULT_PATH_PATTERN, AUTH_PATH_RANGE);
    v.check(
      props.kubernetesHost,
      isHttpsUrl,
      `kubernetesHost must be an https URL, but '${props.kubernetesHost}' was provided`,
    );
    v.check(props.issuer, (i: string) => i !== '', `issuer must not be empty, but '' was provided`);
    if (props.tokenReviewerJwt !== undefined && !isUnresolved(props.tokenReviewerJwt)) {
      v.fail('tokenReviewerJwt must be a reference (e.g. a sensitive TerraformVariable), but a literal was provided');
    }
  }
  v.throwIfInvalid();
}

/**
 * The shared Vault Kubernetes auth backend, through which each tenant's MCP server logs in with its
 * projected service-account token. Either adopts an existing backend by path, or enables one (its
 * leases tuned to 15 minutes, 1 hour at most) and configures it to review tokens with the cluster.
 * Tenant roles are not made here: each `TenantVaultSecrets` adds its own.
 */
export class VaultKubernetesAuth extends Construct implements VaultAuthRef {
  /** Path of the backend (`auth/<path>`): a reference to the created backend, or the adopted path. */
  public readonly kubernetesAuthPath: string;
  /** True when an existing backend was adopted (nothing is created). */
  public readonly adopted: boolean;
  /** The backend, when created. */
  public readonly backend?: AuthBackend;
  /** Its configuration, when created. */
  public readonly config?: KubernetesAuthBackendConfig;

  constructor(scope: Construct, id: string, props: VaultKubernetesAuthProps) {
    super(scope, id);
    validateVaultKubernetesAuthProps(props);
    this.adopted = props.existingPath !== undefined;
    if (props.existingPath !== undefined) {
      this.kubernetesAuthPath = props.existingPath;
      return;
    }
    this.backend = new AuthBackend(this, 'Backend', {
      type: 'kubernetes',
      path: props.path ?? KUBERNETES_AUTH_PATH,
      description: 'MCP servers log in with their projected service-account tokens',
      tune: [{ ...AUTH_BACKEND_TUNE }],
    });
    this.config = new KubernetesAuthBackendConfig(this, 'Config', {
      backend: this.backend.path,
      kubernetesHost: props.kubernetesHost as string,
      kubernetesCaCert: props.kubernetesCaCert,
      issuer: props.issuer,
      // Vault skips the `iss` check by default; with a known issuer, turn it on.
      disableIssValidation: props.issuer === undefined ? undefined : false,
      tokenReviewerJwt: props.tokenReviewerJwt,
    });
    this.kubernetesAuthPath = this.backend.path;
  }
}
