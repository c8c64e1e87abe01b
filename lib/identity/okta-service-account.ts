import { AppOauth, type AppOauthJwks } from '@cdktf/provider-okta/lib/app-oauth';
import { AuthServerPolicy } from '@cdktf/provider-okta/lib/auth-server-policy';
import { AuthServerPolicyRule } from '@cdktf/provider-okta/lib/auth-server-policy-rule';
import { Annotations, Construct, type ITerraformDependable } from '../core/cdktf';
import { TOKEN_TTL_MINUTES, TOKEN_TTL_MINUTES_MIN } from '../core/defaults';
import {
  type OktaServiceAccountSpec,
  SERVICE_APP_TYPE,
  SERVICE_GRANT_TYPES,
  SERVICE_RESPONSE_TYPES,
  SERVICE_RULE_NAMES,
  SERVICE_TOKEN_ENDPOINT_AUTH_METHOD,
  type ServiceAccountPublicJwk,
  serviceAccountLabel,
  serviceAccountProblems,
  serviceAccountScopes,
} from '../core/identity-defaults';
import { tenantAdminScope } from '../core/naming';
import { recordTenantScope } from '../core/stack-metadata';
import { isUnresolved, PropsValidator } from '../core/validation';

export type { OktaServiceAccountSpec, ServiceAccountPublicJwk } from '../core/identity-defaults';

/** Props of {@link OktaServiceAccount}. */
export interface OktaServiceAccountProps extends OktaServiceAccountSpec {
  /** The tenant whose authorization server admits the service account (`^[a-z][a-z0-9-]{1,30}$`). */
  readonly tenantId: string;
  /** Id of the tenant's authorization server (`OktaMcpIdentity.authServerId`). */
  readonly authServerId: string;
  /**
   * Priority of the service account's policy on the authorization server: 3 or more (1 and 2 are the
   * human policies), unique on the server. OktaMcpIdentity gives 3, 4, ... in declaration order.
   */
  readonly priority: number;
  /**
   * Lifetime of the service account's access tokens, in minutes, 5 to 15 (the tenant's).
   * @default 15
   */
  readonly tokenTtlMinutes?: number;
  /** Resources to create first: the previous policy (Okta renumbers policies created at once) and the scopes. */
  readonly dependsOn?: ITerraformDependable[];
}

/** The members of a public JWK the okta provider's `jwks` block takes (it has no `crv`: Okta reads the curve from the key). */
function jwksEntry(key: ServiceAccountPublicJwk): AppOauthJwks {
  return key.kty === 'RSA'
    ? { kty: key.kty, kid: key.kid, e: key.e, n: key.n }
    : { kty: key.kty, kid: key.kid, x: key.x, y: key.y };
}

/**
 * One agent's own identity on one tenant: an Okta service app `mcp-<t>-svc-<name>` that may use only
 * the client credentials grant and authenticates with a JWT signed by its own private key
 * (`private_key_jwt`; Okta holds only the public key, from `publicKey` or `jwksUri`, and no client
 * secret exists in Okta or in Terraform state), a policy of the tenant's authorization server that
 * names only that app, and a rule that grants only `client_credentials`, only the declared scopes
 * (the tenant's use scope by default; its admin scope only with `admin: true`, which draws a
 * warning), access tokens of at most 15 minutes and no refresh token. Its tokens carry the tenant's
 * `tid` claim like every token of the server, with `sub` and `cid` set to the client id.
 *
 * Key rotation: give two keys in `publicKey` (the current and the next, distinct `kid`s), deploy,
 * switch the agent to the next key, then remove the old one and deploy again.
 */
export class OktaServiceAccount extends Construct {
  public readonly tenantId: string;
  /** The service account's name (a DNS label). */
  public readonly name: string;
  /** `mcp-<t>-svc-<name>`: the app's label and the policy's name. */
  public readonly label: string;
  /** The client id: `iss` and `sub` of the agent's client assertions, `sub` and `cid` of its tokens. */
  public readonly clientId: string;
  /** The app id. */
  public readonly appId: string;
  /** Scopes the rule grants. */
  public readonly scopes: readonly string[];
  /** Whether the service account may obtain the tenant's admin scope. */
  public readonly admin: boolean;
  /** Access token lifetime in effect, in minutes. */
  public readonly tokenTtlMinutes: number;

  /** The Okta service app (client credentials, private_key_jwt). */
  public readonly app: AppOauth;
  /** The authorization server policy that names only this app. */
  public readonly policy: AuthServerPolicy;
  /** Its rule: client_credentials only, the declared scopes, short-lived tokens. */
  public readonly rule: AuthServerPolicyRule;

  constructor(scope: Construct, id: string, props: OktaServiceAccountProps) {
    super(scope, id);
    const v = new PropsValidator('OktaServiceAccount');
    v.tenantId('tenantId', props.tenantId);
    v.required('authServerId', props.authServerId);
    v.required('priority', props.priority);
    v.integerBetween('priority', props.priority, 3, 1000);
    v.integerBetween('tokenTtlMinutes', props.tokenTtlMinutes, TOKEN_TTL_MINUTES_MIN, TOKEN_TTL_MINUTES);
    if (typeof props.tenantId === 'string' && !isUnresolved(props.tenantId)) {
      serviceAccountProblems('', props.tenantId, props, isUnresolved).forEach((p) => v.fail(p));
    }
    v.throwIfInvalid();
    recordTenantScope(this, props.tenantId);

    const t = props.tenantId;
    this.tenantId = t;
    this.name = props.name;
    this.label = serviceAccountLabel(t, props.name);
    this.admin = props.admin === true;
    this.scopes = serviceAccountScopes(t, props);
    this.tokenTtlMinutes = props.tokenTtlMinutes ?? TOKEN_TTL_MINUTES;
    if (this.admin) {
      Annotations.of(this).addWarning(
        `admin is true instead of the default false: service account '${props.name}' may obtain '${tenantAdminScope(t)}' with no hardware key behind it`,
      );
    }

    const keys = props.publicKey === undefined ? undefined : [props.publicKey].flat();
    this.app = new AppOauth(this, 'App', {
      label: this.label,
      type: SERVICE_APP_TYPE,
      grantTypes: [...SERVICE_GRANT_TYPES],
      responseTypes: [...SERVICE_RESPONSE_TYPES],
      tokenEndpointAuthMethod: SERVICE_TOKEN_ENDPOINT_AUTH_METHOD,
      jwks: keys?.map(jwksEntry),
      jwksUri: props.jwksUri,
      // Nothing secret about a private_key_jwt client; never keep a client secret in state either.
      omitSecret: true,
      consentMethod: 'TRUSTED',
      hideIos: true,
      hideWeb: true,
    });
    this.clientId = this.app.clientId;
    this.appId = this.app.id;

    this.policy = new AuthServerPolicy(this, 'Policy', {
      authServerId: props.authServerId,
      name: this.label,
      description: `Service account ${props.name} of tenant ${t}: client credentials of this app only.`,
      priority: props.priority,
      status: 'ACTIVE',
      clientWhitelist: [this.app.clientId],
      dependsOn: props.dependsOn,
    });
    // No people condition: Okta requires one only for grants with a user (authorization_code, implicit, password).
    this.rule = new AuthServerPolicyRule(this, 'Rule', {
      authServerId: props.authServerId,
      policyId: this.policy.id,
      name: this.admin ? SERVICE_RULE_NAMES.admin : SERVICE_RULE_NAMES.use,
      priority: 1,
      status: 'ACTIVE',
      grantTypeWhitelist: [...SERVICE_GRANT_TYPES],
      scopeWhitelist: [...this.scopes],
      accessTokenLifetimeMinutes: this.tokenTtlMinutes,
      // The client credentials grant issues no refresh token; the bounds still keep MCP-ID-3's shape.
      refreshTokenLifetimeMinutes: this.tokenTtlMinutes,
      refreshTokenWindowMinutes: this.tokenTtlMinutes,
      dependsOn: props.dependsOn,
    });
  }
}
