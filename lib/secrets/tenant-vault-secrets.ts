import { JwtAuthBackend } from '@cdktf/provider-vault/lib/jwt-auth-backend';
import { JwtAuthBackendRole } from '@cdktf/provider-vault/lib/jwt-auth-backend-role';
import { KubernetesAuthBackendRole } from '@cdktf/provider-vault/lib/kubernetes-auth-backend-role';
import { KvSecretBackendV2 } from '@cdktf/provider-vault/lib/kv-secret-backend-v2';
import { Mount } from '@cdktf/provider-vault/lib/mount';
import { Policy } from '@cdktf/provider-vault/lib/policy';
import { TransitSecretBackendKey } from '@cdktf/provider-vault/lib/transit-secret-backend-key';
import { Annotations, Construct, Op, Token } from '../core/cdktf';
import {
  KEY_ROTATION_DAYS,
  VAULT_TOKEN_AUDIENCE,
  VAULT_TOKEN_MAX_TTL_SECONDS,
  VAULT_TOKEN_TTL_SECONDS,
} from '../core/defaults';
import { tenantKvPath, tenantTransitPath, tenantVaultPrefix, tenantVaultRoleName } from '../core/naming';
import type { TenantIdentityRef, TenantWorkloadRef, VaultAuthRef } from '../core/refs';
import {
  AUTH_BACKEND_TUNE,
  JWT_SUPPORTED_ALGS,
  JWT_USER_CLAIM,
  KEY_ROTATION_DAYS_MIN,
  keyRotationSeconds,
  SECONDS_PER_DAY,
  KV_MAX_VERSIONS,
  KV_MAX_VERSIONS_MAX,
  tenantHumanBoundClaims,
  tenantHumanPolicyName,
  tenantJwtAuthPath,
  tenantServerPolicyName,
  TRANSIT_KEY_NAME,
  TRANSIT_KEY_TYPE,
  VAULT_TOKEN_TTL_SECONDS_MIN,
  VAULT_TOKEN_TYPE,
} from '../core/secrets-defaults';
import { recordTenantScope } from '../core/stack-metadata';
import { describeValue, isUnresolved, PropsValidator } from '../core/validation';
import { tenantHumanPolicyRules, tenantServerPolicyRules } from './tenant-policies';
import { renderVaultPolicy } from '../core/vault-policy';

/** Props of {@link TenantVaultSecrets}. */
export interface TenantVaultSecretsProps {
  /**
   * The tenant id; names the Vault paths `tenants/<tenantId>/...`, the roles `mcp-<tenantId>` and
   * the policies. Matches `^[a-z][a-z0-9-]{1,30}$`; a literal, never a token.
   */
  readonly tenantId: string;
  /**
   * The tenant's Okta authorization server: humans log in with its tokens. `issuer` (https) is the
   * JWT backend's discovery URL and bound issuer; `audience` the one audience the role accepts.
   */
  readonly identity: Pick<TenantIdentityRef, 'issuer' | 'audience'>;
  /** The tenant's MCP workload: the only service account (in the only namespace) the Kubernetes role admits. */
  readonly workload: TenantWorkloadRef;
  /** The shared Kubernetes auth backend the tenant's role is added to. */
  readonly kubernetesAuth: VaultAuthRef;
  /**
   * TTL of the Vault tokens both roles issue, in seconds. Between 60 and 900.
   * @default 900
   */
  readonly tokenTtlSeconds?: number;
  /**
   * Maximum lifetime of those tokens, renewals included, in seconds. Between `tokenTtlSeconds` and 3600.
   * @default 3600
   */
  readonly tokenMaxTtlSeconds?: number;
  /**
   * Days between automatic rotations of the tenant's transit key. Between 1 and 30 (0, which
   * switches rotation off, is refused).
   * @default 30
   */
  readonly keyRotationDays?: number;
  /**
   * Versions the KV store keeps of each secret. Between 1 and 100; more than 10 draws a warning,
   * since old versions keep replaced credentials readable by the MCP server.
   * @default 10
   */
  readonly kvMaxVersions?: number;
  /**
   * Vault path under which the tenant's mounts and JWT auth backend live: `tenants/<tenantId>` or a
   * path under it (segments of lower-case letters, digits, `-` or `_`), e.g. `tenants/acme/mcp`
   * when the tenant's prefix already holds other mounts. A literal, never a token.
   * @default 'tenants/<tenantId>'
   */
  readonly mountPrefix?: string;
}

/** Validates {@link TenantVaultSecretsProps}, throwing one error that names every problem. */
export function validateTenantVaultSecretsProps(props: TenantVaultSecretsProps): void {
  const v = new PropsValidator('TenantVaultSecrets');
  const tenantId = props.tenantId;
  v.tenantId('tenantId', tenantId, 'Vault paths and construct ids');
  v.required('identity.issuer', props.identity?.issuer);
  v.httpsUrl('identity.issuer', props.identity?.issuer);
  v.required('identity.audience', props.identity?.audience);
  v.required('workload.namespace', props.workload?.namespace);
  v.required('workload.serviceAccountName', props.workload?.serviceAccountName);
  v.check(
    props.workload?.tenantId,
    (t: string) => t === tenantId,
    `workload.tenantId must be the tenantId '${tenantId}', but ${describeValue(props.workload?.tenantId)} was provided`,
  );
  v.required('kubernetesAuth.kubernetesAuthPath', props.kubernetesAuth?.kubernetesAuthPath);
  v.integerBetween('tokenTtlSeconds', props.tokenTtlSeconds, VAULT_TOKEN_TTL_SECONDS_MIN, VAULT_TOKEN_TTL_SECONDS);
  const ttl = props.tokenTtlSeconds;
  const maxTtlMin = typeof ttl === 'number' && !isUnresolved(ttl) ? ttl : VAULT_TOKEN_TTL_SECONDS_MIN;
  v.integerBetween('tokenMaxTtlSeconds', props.tokenMaxTtlSeconds, maxTtlMin, VAULT_TOKEN_MAX_TTL_SECONDS);
  v.integerBetween('keyRotationDays', props.keyRotationDays, KEY_ROTATION_DAYS_MIN, KEY_ROTATION_DAYS);
  v.integerBetween('kvMaxVersions', props.kvMaxVersions, 1, KV_MAX_VERSIONS_MAX);
  validateMountPrefix(v, tenantId, props.mountPrefix);
  v.throwIfInvalid();
}

function validateMountPrefix(v: PropsValidator, tenantId: string, prefix: string | undefined): void {
  if (prefix === undefined) return;
  if (isUnresolved(prefix)) {
    v.fail('mountPrefix must be a literal string (it is written into the tenant policies), but a token was provided');
    return;
  }
  const own = tenantVaultPrefix(tenantId);
  const ok = prefix === own || (prefix.startsWith(`${own}/`) && /^[a-z0-9_-]+(\/[a-z0-9_-]+)*$/.test(prefix));
  if (!ok) {
    v.fail(
      `mountPrefix must be '${own}' or a path under it (segments of lower-case letters, digits, '-' or '_'), but ${describeValue(prefix)} was provided`,
    );
  }
}

/** A tenant path moved under `prefix` (e.g. `tenants/acme/kv` -> `tenants/acme/mcp/kv`). */
function underPrefix(tenantId: string, path: string, prefix: string): string {
  return `${prefix}${path.slice(tenantVaultPrefix(tenantId).length)}`;
}

/** Vault's `auto_rotate_period` for a number of days; a token stays a Terraform expression. */
function rotationPeriodSeconds(days: number): number {
  return isUnresolved(days) ? Token.asNumber(Op.mul(days, SECONDS_PER_DAY)) : keyRotationSeconds(days);
}

/**
 * One tenant's secrets in Vault, every credential scoped to that tenant: a KV v2 store and a
 * transit key under `tenants/<t>/`, a policy for its MCP server and one for its humans naming
 * only those paths, a Kubernetes auth role admitting exactly its MCP server's service account, and
 * a JWT auth backend and role through which its Okta admins log in.
 *
 * The mounts and the key carry `prevent_destroy`: removing a tenant is a decommission.
 */
export class TenantVaultSecrets extends Construct {
  public readonly tenantId: string;
  /** KV v2 mount path, e.g. `tenants/acme/kv`. */
  public readonly kvPath: string;
  /** Transit mount path, e.g. `tenants/acme/transit`. */
  public readonly transitPath: string;
  /** Name of the tenant's transit key. */
  public readonly keyName: string;
  /** Policy of the MCP server, e.g. `mcp-acme-server`. */
  public readonly serverPolicyName: string;
  /** Policy of the tenant's humans, e.g. `mcp-acme-humans`. */
  public readonly humanPolicyName: string;
  /** Kubernetes auth role the MCP server logs in with, e.g. `mcp-acme`. */
  public readonly kubernetesRoleName: string;
  /** Path of the Kubernetes auth backend that holds the role. */
  public readonly kubernetesAuthPath: string;
  /** JWT auth role the tenant's humans log in with (on {@link jwtAuthPath}), e.g. `mcp-acme`. */
  public readonly jwtRoleName: string;
  /** Path of the tenant's JWT auth backend, e.g. `tenants/acme/jwt` (`auth/tenants/acme/jwt/login`). */
  public readonly jwtAuthPath: string;
  /** Token TTL in effect, in seconds. */
  public readonly tokenTtlSeconds: number;
  /** Token maximum TTL in effect, in seconds. */
  public readonly tokenMaxTtlSeconds: number;
  /** Transit key rotation period in effect, in days. */
  public readonly keyRotationDays: number;

  public readonly kvMount: Mount;
  public readonly kvConfig: KvSecretBackendV2;
  public readonly transitMount: Mount;
  public readonly transitKey: TransitSecretBackendKey;
  public readonly serverPolicy: Policy;
  public readonly humanPolicy: Policy;
  public readonly kubernetesRole: KubernetesAuthBackendRole;
  public readonly jwtAuth: JwtAuthBackend;
  public readonly jwtRole: JwtAuthBackendRole;

  constructor(scope: Construct, id: string, props: TenantVaultSecretsProps) {
    super(scope, id);
    validateTenantVaultSecretsProps(props);
    const t = props.tenantId;
    recordTenantScope(this, t);
    const prefix = props.mountPrefix ?? tenantVaultPrefix(t);
    this.tenantId = t;
    this.kvPath = underPrefix(t, tenantKvPath(t), prefix);
    this.transitPath = underPrefix(t, tenantTransitPath(t), prefix);
    this.jwtAuthPath = underPrefix(t, tenantJwtAuthPath(t), prefix);
    this.keyName = TRANSIT_KEY_NAME;
    this.serverPolicyName = tenantServerPolicyName(t);
    this.humanPolicyName = tenantHumanPolicyName(t);
    this.kubernetesRoleName = tenantVaultRoleName(t);
    this.jwtRoleName = tenantVaultRoleName(t);
    this.kubernetesAuthPath = props.kubernetesAuth.kubernetesAuthPath;
    this.tokenTtlSeconds = props.tokenTtlSeconds ?? VAULT_TOKEN_TTL_SECONDS;
    this.tokenMaxTtlSeconds = props.tokenMaxTtlSeconds ?? VAULT_TOKEN_MAX_TTL_SECONDS;
    this.keyRotationDays = props.keyRotationDays ?? KEY_ROTATION_DAYS;
    const kvMaxVersions = props.kvMaxVersions ?? KV_MAX_VERSIONS;
    if (!isUnresolved(kvMaxVersions) && kvMaxVersions > KV_MAX_VERSIONS) {
      Annotations.of(this).addWarning(
        `kvMaxVersions is ${kvMaxVersions} (default ${KV_MAX_VERSIONS}): replaced credentials stay readable by the MCP server as old versions`,
      );
    }
    const preventDestroy = { preventDestroy: true };

    this.kvMount = new Mount(this, 'KvMount', {
      path: this.kvPath,
      type: 'kv',
      options: { version: '2' },
      description: `MCP secrets of tenant ${t}`,
      lifecycle: preventDestroy,
    });
    this.kvConfig = new KvSecretBackendV2(this, 'KvConfig', {
      mount: this.kvMount.path,
      maxVersions: kvMaxVersions,
      casRequired: true,
    });
    this.transitMount = new Mount(this, 'TransitMount', {
      path: this.transitPath,
      type: 'transit',
      description: `MCP encryption keys of tenant ${t}`,
      lifecycle: preventDestroy,
    });
    this.transitKey = new TransitSecretBackendKey(this, 'TransitKey', {
      backend: this.transitMount.path,
      name: this.keyName,
      type: TRANSIT_KEY_TYPE,
      autoRotatePeriod: rotationPeriodSeconds(this.keyRotationDays),
      exportable: false,
      allowPlaintextBackup: false,
      deletionAllowed: false,
      lifecycle: preventDestroy,
    });

    const paths = { kvPath: this.kvPath, transitPath: this.transitPath, keyName: this.keyName };
    this.serverPolicy = new Policy(this, 'ServerPolicy', {
      name: this.serverPolicyName,
      policy: renderVaultPolicy(tenantServerPolicyRules(paths)),
    });
    this.humanPolicy = new Policy(this, 'HumanPolicy', {
      name: this.humanPolicyName,
      policy: renderVaultPolicy(tenantHumanPolicyRules(paths)),
    });

    const token = {
      tokenTtl: this.tokenTtlSeconds,
      tokenMaxTtl: this.tokenMaxTtlSeconds,
      tokenNoDefaultPolicy: true,
      tokenType: VAULT_TOKEN_TYPE,
    };
    this.kubernetesRole = new KubernetesAuthBackendRole(this, 'KubernetesRole', {
      backend: this.kubernetesAuthPath,
      roleName: this.kubernetesRoleName,
      boundServiceAccountNames: [props.workload.serviceAccountName],
      boundServiceAccountNamespaces: [props.workload.namespace],
      audience: VAULT_TOKEN_AUDIENCE,
      tokenPolicies: [this.serverPolicy.name],
      ...token,
    });

    this.jwtAuth = new JwtAuthBackend(this, 'JwtAuth', {
      path: this.jwtAuthPath,
      type: 'jwt',
      description: `Okta admins of tenant ${t}`,
      oidcDiscoveryUrl: props.identity.issuer,
      boundIssuer: props.identity.issuer,
      jwtSupportedAlgs: [...JWT_SUPPORTED_ALGS],
      defaultRole: this.jwtRoleName,
      tune: [{ ...AUTH_BACKEND_TUNE }],
    });
    this.jwtRole = new JwtAuthBackendRole(this, 'JwtRole', {
      backend: this.jwtAuth.path,
      roleName: this.jwtRoleName,
      roleType: 'jwt',
      boundAudiences: [props.identity.audience],
      boundClaims: tenantHumanBoundClaims(t),
      boundClaimsType: 'string',
      userClaim: JWT_USER_CLAIM,
      tokenPolicies: [this.humanPolicy.name],
      ...token,
    });
  }
}

/**
 * The name this construct had before it was named for all it provisions (mounts, key, policies,
 * auth roles and the JWT backend). Construct ids and addresses are the same.
 * @deprecated Use {@link TenantVaultSecrets}.
 */
export const TenantVaultMount = TenantVaultSecrets;
/** @deprecated Use {@link TenantVaultSecrets}. */
export type TenantVaultMount = TenantVaultSecrets;
/** @deprecated Use {@link TenantVaultSecretsProps}. */
export type TenantVaultMountProps = TenantVaultSecretsProps;
