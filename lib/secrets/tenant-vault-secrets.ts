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
import { TENANT_CLAIM, tenantKvPath, tenantTransitPath, tenantVaultPrefix, tenantVaultRoleName } from '../core/naming';
import type { TenantIdentityRef, TenantWorkloadRef, VaultAuthRef } from '../core/refs';
import {
  AUTH_BACKEND_TUNE,
  HUMAN_LOGIN_TENANT_CLAIM,
  type HumanLoginTenantClaim,
  JWT_GROUPS_CLAIM,
  JWT_ROLE_TYPE,
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

/**
 * How a tenant's humans (its admins) log in to Vault: with a token of an authorization server
 * dedicated to Vault, whose audience the MCP server never sees. Vault must never accept the token an
 * MCP server receives: a compromised MCP server would otherwise log in to Vault as every user who
 * called it. Okta gives an authorization server one audience, so this is a separate server:
 * - one shared by tenants (for example `vault-humans`, audience `https://vault.example.com`) that
 *   emits a `groups` claim: the role binds `groups` containing `mcp-<t>-admins` (`tenantClaim: 'groups'`);
 * - or one per tenant that emits `tid`: the role binds `tid = <t>` (`tenantClaim: 'tid'`); use it when
 *   the tenant's admin group is an existing group with another name.
 */
export interface TenantHumanLogin {
  /**
   * Issuer of the authorization server humans log in with (https): the JWT backend's discovery URL
   * and bound issuer. Not the tenant's MCP authorization server (`identity.issuer`), and not a server
   * named `mcp-<anything>` (the rule pack reads those names as tenants' MCP servers, whose audiences
   * Vault must refuse).
   */
  readonly issuer: string;
  /**
   * The one audience of its tokens for Vault, e.g. `https://vault.example.com`. Must differ from the
   * tenant's MCP audience (`identity.audience`) and every other MCP audience (rule MCP-SEC-4).
   */
  readonly audience: string;
  /**
   * The claim that names the tenant: `groups` (the token's groups contain `mcp-<t>-admins`) or
   * `tid` (the token's `tid` is the tenant id).
   * @default 'groups'
   */
  readonly tenantClaim?: HumanLoginTenantClaim;
  /**
   * Further claims a token must carry, each narrowing the login (for example
   * `{ amr: 'hwk' }` where the server emits it). Exact values: no list (`,`), never `tid` or `groups`
   * (set by `tenantClaim`).
   * @default - none
   */
  readonly boundClaims?: Readonly<Record<string, string>>;
}

/** Props of {@link TenantVaultSecrets}. */
export interface TenantVaultSecretsProps {
  /**
   * The tenant id; names the Vault paths `tenants/<tenantId>/...`, the roles `mcp-<tenantId>` and
   * the policies. Matches `^[a-z][a-z0-9-]{1,30}$`; a literal, never a token.
   */
  readonly tenantId: string;
  /**
   * The tenant's Okta authorization server, which issues the MCP server's tokens. Vault never
   * accepts them: `audience` is what `humanLogin.audience` must differ from.
   */
  readonly identity: Pick<TenantIdentityRef, 'issuer' | 'audience'>;
  /** The tenant's MCP workload: the only service account (in the only namespace) the Kubernetes role admits. */
  readonly workload: TenantWorkloadRef;
  /** The shared Kubernetes auth backend the tenant's role is added to. */
  readonly kubernetesAuth: VaultAuthRef;
  /**
   * TTL of the Vault tokens the roles issue, in seconds. Between 60 and 900.
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
  /**
   * Let the tenant's admins log in to Vault (a JWT auth backend at `<mountPrefix>/jwt`, a role
   * `mcp-<t>` and the policy `mcp-<t>-humans`, which writes secrets and rotates the key), with
   * tokens of an authorization server dedicated to Vault; see {@link TenantHumanLogin}.
   * @default - no human login: no JWT backend, role or human policy (humans manage secrets by other means)
   */
  readonly humanLogin?: TenantHumanLogin;
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
  if (props.humanLogin !== undefined) validateHumanLogin(v, props.humanLogin, props.identity);
  v.throwIfInvalid();
}

/** The claims `humanLogin.boundClaims` may not name: the tenant claim is `tenantClaim`'s. */
const RESERVED_HUMAN_CLAIMS: readonly string[] = [TENANT_CLAIM, JWT_GROUPS_CLAIM];

function validateHumanLogin(
  v: PropsValidator,
  login: TenantHumanLogin,
  identity: TenantVaultSecretsProps['identity'] | undefined,
): void {
  v.required('humanLogin.issuer', login.issuer);
  v.httpsUrl('humanLogin.issuer', login.issuer);
  v.required('humanLogin.audience', login.audience);
  v.check(
    login.audience,
    (a: string) => !a.includes('*') && !a.includes(','),
    `humanLogin.audience must be one exact audience (no '*' or ','), but ${describeValue(login.audience)} was provided`,
  );
  const mcpAudience = identity?.audience;
  if (!isUnresolved(mcpAudience) && login.audience !== '' && login.audience === mcpAudience) {
    v.fail(
      `humanLogin.audience must differ from identity.audience (the MCP server receives tokens of that audience, and Vault must never accept them), but ${describeValue(login.audience)} was provided`,
    );
  }
  const mcpIssuer = identity?.issuer;
  if (!isUnresolved(mcpIssuer) && !isUnresolved(login.issuer) && login.issuer !== '' && login.issuer === mcpIssuer) {
    v.fail(
      `humanLogin.issuer must differ from identity.issuer (that authorization server issues the MCP server's tokens), but ${describeValue(login.issuer)} was provided`,
    );
  }
  v.check(
    login.tenantClaim,
    (c: string) => c === 'groups' || c === 'tid',
    `humanLogin.tenantClaim must be 'groups' or 'tid', but ${describeValue(login.tenantClaim)} was provided`,
  );
  for (const [claim, value] of Object.entries(login.boundClaims ?? {})) {
    if (RESERVED_HUMAN_CLAIMS.includes(claim)) {
      v.fail(
        `humanLogin.boundClaims must not name '${claim}' (humanLogin.tenantClaim binds the tenant), but ${describeValue(value)} was provided`,
      );
    } else if (claim === '' || isUnresolved(claim)) {
      v.fail(`humanLogin.boundClaims keys must be claim names, but ${describeValue(claim)} was provided`);
    } else {
      v.check(
        value,
        (x: string) => typeof x === 'string' && x !== '' && !x.includes(','),
        `humanLogin.boundClaims.${claim} must be one exact value (not empty, no ','), but ${describeValue(value)} was provided`,
      );
    }
  }
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

/** A tenant's data in Vault: its KV v2 store and its transit mount and key. */
export interface TenantVaultData {
  readonly kvMount: Mount;
  readonly kvConfig: KvSecretBackendV2;
  readonly transitMount: Mount;
  readonly transitKey: TransitSecretBackendKey;
}

/**
 * Creates a tenant's data-bearing Vault resources in `scope` (construct ids `KvMount`, `KvConfig`,
 * `TransitMount`, `TransitKey`), each mount and the key with `prevent_destroy`. Shared by
 * {@link TenantVaultSecrets} and `DecommissionedTenantSecrets`, so that decommissioning a tenant
 * leaves its data exactly as it was.
 */
export function createTenantVaultData(
  scope: Construct,
  props: {
    readonly tenantId: string;
    readonly kvPath: string;
    readonly transitPath: string;
    readonly kvMaxVersions: number;
    readonly keyRotationDays: number;
  },
): TenantVaultData {
  const t = props.tenantId;
  const preventDestroy = { preventDestroy: true };
  const kvMount = new Mount(scope, 'KvMount', {
    path: props.kvPath,
    type: 'kv',
    options: { version: '2' },
    description: `MCP secrets of tenant ${t}`,
    lifecycle: preventDestroy,
  });
  const kvConfig = new KvSecretBackendV2(scope, 'KvConfig', {
    mount: kvMount.path,
    maxVersions: props.kvMaxVersions,
    casRequired: true,
  });
  const transitMount = new Mount(scope, 'TransitMount', {
    path: props.transitPath,
    type: 'transit',
    description: `MCP encryption keys of tenant ${t}`,
    lifecycle: preventDestroy,
  });
  const transitKey = new TransitSecretBackendKey(scope, 'TransitKey', {
    backend: transitMount.path,
    name: TRANSIT_KEY_NAME,
    type: TRANSIT_KEY_TYPE,
    autoRotatePeriod: rotationPeriodSeconds(props.keyRotationDays),
    exportable: false,
    allowPlaintextBackup: false,
    deletionAllowed: false,
    lifecycle: preventDestroy,
  });
  return { kvMount, kvConfig, transitMount, transitKey };
}

/** The path of a tenant's mount under `prefix` (`tenants/<t>` or a path under it). */
export function tenantMountPath(tenantId: string, path: string, prefix: string | undefined): string {
  return underPrefix(tenantId, path, prefix ?? tenantVaultPrefix(tenantId));
}

/** Checks a `mountPrefix` (a literal, `tenants/<t>` or a path under it). */
export function checkMountPrefix(v: PropsValidator, tenantId: string, prefix: string | undefined): void {
  validateMountPrefix(v, tenantId, prefix);
}

/**
 * One tenant's secrets in Vault, every credential scoped to that tenant: a KV v2 store and a
 * transit key under `tenants/<t>/`, a policy for its MCP server naming only those paths, and a
 * Kubernetes auth role admitting exactly its MCP server's service account. With `humanLogin`, also a
 * policy for its humans, and a JWT auth backend and role through which its admins log in with
 * tokens meant for Vault (never the MCP server's).
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
  /** Policy of the tenant's humans, e.g. `mcp-acme-humans`; undefined without `humanLogin`. */
  public readonly humanPolicyName?: string;
  /** Kubernetes auth role the MCP server logs in with, e.g. `mcp-acme`. */
  public readonly kubernetesRoleName: string;
  /** Path of the Kubernetes auth backend that holds the role. */
  public readonly kubernetesAuthPath: string;
  /** JWT auth role the tenant's humans log in with (on {@link jwtAuthPath}), e.g. `mcp-acme`; undefined without `humanLogin`. */
  public readonly jwtRoleName?: string;
  /**
   * Path of the tenant's JWT auth backend, e.g. `tenants/acme/jwt` (`auth/tenants/acme/jwt/login`);
   * undefined without `humanLogin`.
   */
  public readonly jwtAuthPath?: string;
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
  public readonly kubernetesRole: KubernetesAuthBackendRole;
  /** The humans' policy, with `humanLogin`. */
  public readonly humanPolicy?: Policy;
  /** The humans' JWT auth backend, with `humanLogin`. */
  public readonly jwtAuth?: JwtAuthBackend;
  /** The humans' JWT auth role, with `humanLogin`. */
  public readonly jwtRole?: JwtAuthBackendRole;

  constructor(scope: Construct, id: string, props: TenantVaultSecretsProps) {
    super(scope, id);
    validateTenantVaultSecretsProps(props);
    const t = props.tenantId;
    recordTenantScope(this, t);
    const prefix = props.mountPrefix ?? tenantVaultPrefix(t);
    this.tenantId = t;
    this.kvPath = underPrefix(t, tenantKvPath(t), prefix);
    this.transitPath = underPrefix(t, tenantTransitPath(t), prefix);
    this.keyName = TRANSIT_KEY_NAME;
    this.serverPolicyName = tenantServerPolicyName(t);
    this.kubernetesRoleName = tenantVaultRoleName(t);
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
    const data = createTenantVaultData(this, {
      tenantId: t,
      kvPath: this.kvPath,
      transitPath: this.transitPath,
      kvMaxVersions,
      keyRotationDays: this.keyRotationDays,
    });
    this.kvMount = data.kvMount;
    this.kvConfig = data.kvConfig;
    this.transitMount = data.transitMount;
    this.transitKey = data.transitKey;

    const paths = { kvPath: this.kvPath, transitPath: this.transitPath, keyName: this.keyName };
    this.serverPolicy = new Policy(this, 'ServerPolicy', {
      name: this.serverPolicyName,
      policy: renderVaultPolicy(tenantServerPolicyRules(paths)),
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

    const login = props.humanLogin;
    if (login === undefined) return;
    // Same construct ids as before humans needed a login of their own: addresses stay stable.
    this.humanPolicyName = tenantHumanPolicyName(t);
    this.jwtRoleName = tenantVaultRoleName(t);
    this.jwtAuthPath = underPrefix(t, tenantJwtAuthPath(t), prefix);
    this.humanPolicy = new Policy(this, 'HumanPolicy', {
      name: this.humanPolicyName,
      policy: renderVaultPolicy(tenantHumanPolicyRules(paths)),
    });
    this.jwtAuth = new JwtAuthBackend(this, 'JwtAuth', {
      path: this.jwtAuthPath,
      type: 'jwt',
      description: `Admins of tenant ${t}, with tokens meant for Vault`,
      oidcDiscoveryUrl: login.issuer,
      boundIssuer: login.issuer,
      jwtSupportedAlgs: [...JWT_SUPPORTED_ALGS],
      defaultRole: this.jwtRoleName,
      tune: [{ ...AUTH_BACKEND_TUNE }],
    });
    this.jwtRole = new JwtAuthBackendRole(this, 'JwtRole', {
      backend: this.jwtAuth.path,
      roleName: this.jwtRoleName,
      roleType: JWT_ROLE_TYPE,
      boundAudiences: [login.audience],
      boundClaims: {
        ...(login.boundClaims ?? {}),
        ...tenantHumanBoundClaims(t, login.tenantClaim ?? HUMAN_LOGIN_TENANT_CLAIM),
      },
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
