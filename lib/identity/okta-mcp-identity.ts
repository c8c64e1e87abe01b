import { AppGroupAssignment } from '@cdktf/provider-okta/lib/app-group-assignment';
import { AuthServer } from '@cdktf/provider-okta/lib/auth-server';
import { AuthServerClaim } from '@cdktf/provider-okta/lib/auth-server-claim';
import { AuthServerPolicy } from '@cdktf/provider-okta/lib/auth-server-policy';
import { AuthServerPolicyRule } from '@cdktf/provider-okta/lib/auth-server-policy-rule';
import { AuthServerScope } from '@cdktf/provider-okta/lib/auth-server-scope';
import { DataOktaGroup } from '@cdktf/provider-okta/lib/data-okta-group';
import { Group } from '@cdktf/provider-okta/lib/group';
import { Annotations, Construct } from '../core/cdktf';
import { TOKEN_TTL_MINUTES, TOKEN_TTL_MINUTES_MIN } from '../core/defaults';
import {
  OFFLINE_ACCESS_SCOPE,
  type OktaServiceAccountSpec,
  oktaStringLiteral,
  POLICY_RULE_GRANT_TYPES,
  REFRESH_TOKEN_LIFETIME_MINUTES,
  REFRESH_TOKEN_LIFETIME_MINUTES_MAX,
  REFRESH_TOKEN_WINDOW_MINUTES,
  REFRESH_TOKEN_WINDOW_MINUTES_MAX,
  SERVICE_POLICY_PRIORITY_FIRST,
  serviceAccountListProblems,
  TENANT_CLAIM_SHAPE,
  tenantAuthServerName,
} from '../core/identity-defaults';
import {
  TENANT_CLAIM,
  tenantAdminGroupName,
  tenantAdminScope,
  tenantAudience,
  tenantUseScope,
  tenantUserGroupName,
} from '../core/naming';
import type { OktaClientsRef, OktaMcpClientsRef, TenantIdentityRef } from '../core/refs';
import { recordTenantScope } from '../core/stack-metadata';
import { isUnresolved, PropsValidator } from '../core/validation';
import { OktaServiceAccount } from './okta-service-account';

/** Okta groups that already exist, by id, to use instead of creating `mcp-<t>-users` / `mcp-<t>-admins`. */
export interface ExistingTenantGroups {
  /** Id of the group whose members use the tenant's MCP server. */
  readonly userGroupId: string;
  /** Id of the group whose members may elevate to the tenant's admin scope (with a hardware key). */
  readonly adminGroupId: string;
}

/** Props of {@link OktaMcpIdentity}. */
export interface OktaMcpIdentityProps {
  /**
   * The tenant id; names the authorization server, scopes, groups and the `tid` claim.
   * Matches `^[a-z][a-z0-9-]{1,30}$`; a literal, never a token.
   */
  readonly tenantId: string;
  /** DNS domain of the tenant hostnames: the audience is `https://<tenantId>.<domain>/mcp`. */
  readonly domain: string;
  /**
   * The shared clients. Only the MCP client and the admin client are allowed on the tenant's
   * authorization server; both tenant groups are assigned to the apps they need. With a plain
   * {@link OktaClientsRef} the client ids double as app ids (Okta makes them equal unless a
   * client id is chosen at creation).
   */
  readonly clients: OktaClientsRef | OktaMcpClientsRef;
  /**
   * Lifetime of the tenant's access tokens, in minutes. Between 5 and 15.
   * @default 15
   */
  readonly tokenTtlMinutes?: number;
  /** @default - groups `mcp-<tenantId>-users` and `mcp-<tenantId>-admins` are created */
  readonly existingGroups?: ExistingTenantGroups;
  /**
   * Absolute lifetime of a refresh token (rotated at every use), in minutes. Between `tokenTtlMinutes`
   * and 1440 (24 hours); never unlimited (Okta reads 0 as unlimited).
   * @default 480
   */
  readonly refreshTokenLifetimeMinutes?: number;
  /**
   * Minutes an unused refresh token stays valid (idle window). Between `tokenTtlMinutes` and 480
   * (8 hours), and no longer than `refreshTokenLifetimeMinutes`.
   * @default 60 (or `refreshTokenLifetimeMinutes`, when shorter)
   */
  readonly refreshTokenWindowMinutes?: number;
  /**
   * Agents that call the tenant's MCP server as themselves: one Okta service app each (client
   * credentials signed with the agent's own private key), with a policy of the tenant's
   * authorization server that names only it. At most 20, names unique DNS labels. See
   * {@link OktaServiceAccount}.
   * @default - none
   */
  readonly serviceAccounts?: readonly OktaServiceAccountSpec[];
}

function validateOktaMcpIdentityProps(props: OktaMcpIdentityProps): void {
  const v = new PropsValidator('OktaMcpIdentity');
  v.tenantId('tenantId', props.tenantId);
  v.domain('domain', props.domain);
  v.required('clients.mcpClientId', props.clients?.mcpClientId);
  v.required('clients.adminClientId', props.clients?.adminClientId);
  v.required('clients.accessIdpClientId', props.clients?.accessIdpClientId);
  v.integerBetween('tokenTtlMinutes', props.tokenTtlMinutes, TOKEN_TTL_MINUTES_MIN, TOKEN_TTL_MINUTES);
  if (props.existingGroups !== undefined) {
    v.required('existingGroups.userGroupId', props.existingGroups.userGroupId);
    v.required('existingGroups.adminGroupId', props.existingGroups.adminGroupId);
  }
  const ttl = resolvedNumber(props.tokenTtlMinutes) ?? TOKEN_TTL_MINUTES;
  v.integerBetween(
    'refreshTokenLifetimeMinutes',
    props.refreshTokenLifetimeMinutes,
    ttl,
    REFRESH_TOKEN_LIFETIME_MINUTES_MAX,
  );
  const lifetime = resolvedNumber(props.refreshTokenLifetimeMinutes) ?? REFRESH_TOKEN_LIFETIME_MINUTES;
  v.integerBetween(
    'refreshTokenWindowMinutes',
    props.refreshTokenWindowMinutes,
    ttl,
    Math.min(lifetime, REFRESH_TOKEN_WINDOW_MINUTES_MAX),
  );
  if (typeof props.tenantId === 'string' && !isUnresolved(props.tenantId)) {
    serviceAccountListProblems('serviceAccounts', props.tenantId, props.serviceAccounts, isUnresolved).forEach((p) =>
      v.fail(p),
    );
  }
  v.throwIfInvalid();
}

/** A number prop's value when it is a literal, else undefined (tokens are judged at plan). */
function resolvedNumber(value: number | undefined): number | undefined {
  return value === undefined || isUnresolved(value) ? undefined : value;
}

/**
 * One tenant's identity: its own Okta authorization server (one audience, `https://<t>.<domain>/mcp`),
 * scopes `mcp:<t>:use` and `mcp:<t>:admin`, a `tid` claim carrying the tenant id, its user and admin
 * groups, and access policies that allow only the shared clients: the users group gets the use
 * scope through the MCP client (with rotating refresh tokens), the admins group gets the admin scope
 * only through the admin client, whose sign-on rule requires a hardware key. Access tokens live
 * `tokenTtlMinutes` (15 at most).
 */
export class OktaMcpIdentity extends Construct implements TenantIdentityRef {
  public readonly tenantId: string;
  public readonly issuer: string;
  public readonly audience: string;
  public readonly authServerId: string;
  public readonly userGroupName: string;
  public readonly adminGroupName: string;
  /** Id of the users group (created or given). */
  public readonly userGroupId: string;
  /** Id of the admins group (created or given). */
  public readonly adminGroupId: string;
  /** `mcp:<t>:use`. */
  public readonly useScope: string;
  /** `mcp:<t>:admin`. */
  public readonly adminScope: string;
  /** Access token lifetime in effect, in minutes. */
  public readonly tokenTtlMinutes: number;
  /** Scopes an MCP client requests: the use scope and `offline_access` (for a rotating refresh token). */
  public readonly mcpClientScopes: readonly string[];
  /** Scopes the admin client requests. */
  public readonly adminClientScopes: readonly string[];

  public readonly authServer: AuthServer;
  public readonly clientPolicy: AuthServerPolicy;
  public readonly adminPolicy: AuthServerPolicy;
  public readonly useRule: AuthServerPolicyRule;
  public readonly adminRule: AuthServerPolicyRule;
  /** The scope `mcp:<t>:use`. */
  public readonly useScopeResource: AuthServerScope;
  /** The scope `mcp:<t>:admin`. */
  public readonly adminScopeResource: AuthServerScope;
  /** The `tid` claim. */
  public readonly tenantClaim: AuthServerClaim;
  /** The users and admins groups: created, or read when `existingGroups` names them. */
  public readonly userGroup: Group | DataOktaGroup;
  public readonly adminGroup: Group | DataOktaGroup;
  /** The groups' assignments to the shared apps, by construct id. */
  public readonly assignments: readonly AppGroupAssignment[];
  /** The tenant's service accounts, in declaration order (construct ids `Service-<name>`). */
  public readonly serviceAccounts: readonly OktaServiceAccount[];

  constructor(scope: Construct, id: string, props: OktaMcpIdentityProps) {
    super(scope, id);
    validateOktaMcpIdentityProps(props);
    recordTenantScope(this, props.tenantId);
    this.warnAboutWeakenedDefaults(props);

    const t = props.tenantId;
    const ttl = props.tokenTtlMinutes ?? TOKEN_TTL_MINUTES;
    const refreshLifetime = props.refreshTokenLifetimeMinutes ?? REFRESH_TOKEN_LIFETIME_MINUTES;
    // The window must fit in the lifetime: a short lifetime shortens the default window with it.
    const refreshWindow =
      props.refreshTokenWindowMinutes ??
      (isUnresolved(refreshLifetime)
        ? REFRESH_TOKEN_WINDOW_MINUTES
        : Math.min(REFRESH_TOKEN_WINDOW_MINUTES, refreshLifetime));
    this.tenantId = t;
    this.tokenTtlMinutes = ttl;
    this.audience = tenantAudience(t, props.domain);
    this.useScope = tenantUseScope(t);
    this.adminScope = tenantAdminScope(t);
    this.mcpClientScopes = [this.useScope, OFFLINE_ACCESS_SCOPE];
    this.adminClientScopes = [this.adminScope, this.useScope];

    this.authServer = createTenantAuthServer(this, { tenantId: t, domain: props.domain, tokenTtlMinutes: ttl });
    this.authServerId = this.authServer.id;
    this.issuer = this.authServer.issuer;

    const useScope = this.scope('UseScope', this.useScope, `Use the MCP server of tenant ${t}.`);
    const adminScope = this.scope('AdminScope', this.adminScope, `Administer the MCP server of tenant ${t}.`);
    this.useScopeResource = useScope;
    this.adminScopeResource = adminScope;

    this.tenantClaim = new AuthServerClaim(this, 'TenantClaim', {
      authServerId: this.authServer.id,
      name: TENANT_CLAIM,
      claimType: TENANT_CLAIM_SHAPE.claimType,
      valueType: TENANT_CLAIM_SHAPE.valueType,
      value: oktaStringLiteral(t),
      alwaysIncludeInToken: true,
      status: 'ACTIVE',
    });

    const groups = this.tenantGroups(t, props.existingGroups);
    this.userGroupId = groups.userGroupId;
    this.adminGroupId = groups.adminGroupId;
    this.userGroupName = groups.userGroupName;
    this.adminGroupName = groups.adminGroupName;
    this.userGroup = groups.userGroup;
    this.adminGroup = groups.adminGroup;

    // A sign-on policy applies per app, not per scope: each client gets a policy of its own.
    this.clientPolicy = new AuthServerPolicy(this, 'ClientPolicy', {
      authServerId: this.authServer.id,
      name: 'mcp clients',
      description: `Tenant ${t} users, through the MCP client only.`,
      priority: 1,
      status: 'ACTIVE',
      clientWhitelist: [props.clients.mcpClientId],
    });
    this.adminPolicy = new AuthServerPolicy(this, 'AdminPolicy', {
      authServerId: this.authServer.id,
      name: 'mcp admin',
      description: `Tenant ${t} admins, through the hardware-key admin client only.`,
      priority: 2,
      status: 'ACTIVE',
      clientWhitelist: [props.clients.adminClientId],
      dependsOn: [this.clientPolicy],
    });

    this.useRule = new AuthServerPolicyRule(this, 'UseRule', {
      authServerId: this.authServer.id,
      policyId: this.clientPolicy.id,
      name: 'users',
      priority: 1,
      status: 'ACTIVE',
      groupWhitelist: [this.userGroupId],
      grantTypeWhitelist: [...POLICY_RULE_GRANT_TYPES],
      scopeWhitelist: this.mcpClientScopes.slice(),
      accessTokenLifetimeMinutes: ttl,
      refreshTokenLifetimeMinutes: refreshLifetime,
      refreshTokenWindowMinutes: refreshWindow,
      dependsOn: [useScope],
    });
    // No offline_access: every admin token needs a fresh sign-in, which the admin client ties to the key.
    this.adminRule = new AuthServerPolicyRule(this, 'AdminRule', {
      authServerId: this.authServer.id,
      policyId: this.adminPolicy.id,
      name: 'admins',
      priority: 1,
      status: 'ACTIVE',
      groupWhitelist: [this.adminGroupId],
      grantTypeWhitelist: [...POLICY_RULE_GRANT_TYPES],
      scopeWhitelist: this.adminClientScopes.slice(),
      accessTokenLifetimeMinutes: ttl,
      refreshTokenLifetimeMinutes: ttl,
      refreshTokenWindowMinutes: ttl,
      dependsOn: [useScope, adminScope],
    });

    const apps = appIds(props.clients);
    // Okta signs in only users assigned to an app: each group gets the apps it needs, nothing more.
    this.assignments = [
      this.assign('UserGroupMcpClient', apps.mcp, this.userGroupId),
      this.assign('UserGroupAccessIdp', apps.accessIdp, this.userGroupId),
      this.assign('AdminGroupAdminClient', apps.admin, this.adminGroupId),
      this.assign('AdminGroupAccessIdp', apps.accessIdp, this.adminGroupId),
    ];

    // Okta keeps policy priorities contiguous and renumbers policies created at once: one after another.
    let previous: AuthServerPolicy = this.adminPolicy;
    this.serviceAccounts = (props.serviceAccounts ?? []).map((spec, i) => {
      const account = new OktaServiceAccount(this, `Service-${spec.name}`, {
        ...spec,
        tenantId: t,
        authServerId: this.authServer.id,
        priority: SERVICE_POLICY_PRIORITY_FIRST + i,
        tokenTtlMinutes: ttl,
        dependsOn: [previous, useScope, adminScope],
      });
      previous = account.policy;
      return account;
    });
  }

  private scope(id: string, name: string, description: string): AuthServerScope {
    return new AuthServerScope(this, id, {
      authServerId: this.authServer.id,
      name,
      description,
      displayName: name,
      // First-party clients: no consent screen; never a default scope, clients ask for it by name.
      consent: 'IMPLICIT',
      default: false,
      metadataPublish: 'ALL_CLIENTS',
    });
  }

  private tenantGroups(
    t: string,
    existing: ExistingTenantGroups | undefined,
  ): ExistingTenantGroups & {
    userGroupName: string;
    adminGroupName: string;
    userGroup: Group | DataOktaGroup;
    adminGroup: Group | DataOktaGroup;
  } {
    if (existing) {
      const users = new DataOktaGroup(this, 'ExistingUserGroup', { id: existing.userGroupId });
      const admins = new DataOktaGroup(this, 'ExistingAdminGroup', { id: existing.adminGroupId });
      return {
        userGroupId: existing.userGroupId,
        adminGroupId: existing.adminGroupId,
        userGroupName: users.name,
        adminGroupName: admins.name,
        userGroup: users,
        adminGroup: admins,
      };
    }
    const users = new Group(this, 'UserGroup', {
      name: tenantUserGroupName(t),
      description: `Users of the MCP server of tenant ${t}.`,
    });
    const admins = new Group(this, 'AdminGroup', {
      name: tenantAdminGroupName(t),
      description: `Admins of the MCP server of tenant ${t} (hardware key required).`,
    });
    return {
      userGroupId: users.id,
      adminGroupId: admins.id,
      userGroupName: users.name,
      adminGroupName: admins.name,
      userGroup: users,
      adminGroup: admins,
    };
  }

  private assign(id: string, appId: string, groupId: string): AppGroupAssignment {
    return new AppGroupAssignment(this, id, { appId, groupId });
  }

  private warnAboutWeakenedDefaults(props: OktaMcpIdentityProps): void {
    const lifetime = resolvedNumber(props.refreshTokenLifetimeMinutes);
    if (lifetime !== undefined && lifetime > REFRESH_TOKEN_LIFETIME_MINUTES) {
      Annotations.of(this).addWarning(
        `refreshTokenLifetimeMinutes is ${lifetime} instead of the default ${REFRESH_TOKEN_LIFETIME_MINUTES}: refresh tokens stay on laptops longer`,
      );
    }
    const window = resolvedNumber(props.refreshTokenWindowMinutes);
    if (window !== undefined && window > REFRESH_TOKEN_WINDOW_MINUTES) {
      Annotations.of(this).addWarning(
        `refreshTokenWindowMinutes is ${window} instead of the default ${REFRESH_TOKEN_WINDOW_MINUTES}: an unused refresh token stays valid longer`,
      );
    }
  }
}

/** App ids of the shared clients: given, or (for a plain OktaClientsRef) equal to the client ids. */
function appIds(clients: OktaClientsRef | OktaMcpClientsRef): { mcp: string; admin: string; accessIdp: string } {
  if ('mcpAppId' in clients) {
    return { mcp: clients.mcpAppId, admin: clients.adminAppId, accessIdp: clients.accessIdpAppId };
  }
  return { mcp: clients.mcpClientId, admin: clients.adminClientId, accessIdp: clients.accessIdpClientId };
}

/**
 * A tenant's authorization server (construct id `AuthServer`): one audience, the org URL as issuer,
 * keys rotated by Okta, `prevent_destroy`. ACTIVE for a tenant in service; INACTIVE once the tenant
 * is decommissioned (it issues nothing, and its keys still verify the tokens that past audit records
 * name). Shared by {@link OktaMcpIdentity} and `DecommissionedTenantIdentity`, so that
 * decommissioning changes the status and nothing else.
 */
export function createTenantAuthServer(
  scope: Construct,
  props: {
    readonly tenantId: string;
    readonly domain: string;
    readonly tokenTtlMinutes: number;
    readonly active?: boolean;
  },
): AuthServer {
  const t = props.tenantId;
  const audience = tenantAudience(t, props.domain);
  return new AuthServer(scope, 'AuthServer', {
    name: tenantAuthServerName(t),
    description: `MCP tokens of tenant ${t}: audience ${audience}, ${props.tokenTtlMinutes}-minute access tokens.`,
    audiences: [audience],
    // The org URL keeps the issuer one stable string per tenant, whatever domain a request came through.
    issuerMode: 'ORG_URL',
    credentialsRotationMode: 'AUTO',
    status: props.active === false ? 'INACTIVE' : 'ACTIVE',
    lifecycle: { preventDestroy: true },
  });
}
