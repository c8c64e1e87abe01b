import { AppOauth } from '@cdktf/provider-okta/lib/app-oauth';
import { AppSignonPolicy } from '@cdktf/provider-okta/lib/app-signon-policy';
import { AppSignonPolicyRule } from '@cdktf/provider-okta/lib/app-signon-policy-rule';
import { Authenticator } from '@cdktf/provider-okta/lib/authenticator';
import { Annotations, Construct } from '../core/cdktf';
import { ADMIN_REAUTH_MINUTES } from '../core/defaults';
import { isHttpsUrl } from '../core/formats';
import {
  ACCESS_CALLBACK_PATTERN,
  ACCESS_GROUPS_CLAIM_FILTER,
  ACCESS_GROUPS_CLAIM_NAME,
  ADMIN_AUTHENTICATORS,
  ADMIN_CLIENT_GRANT_TYPES,
  ADMIN_SIGNON_FACTOR_MODE,
  ADMIN_SIGNON_RULE_NAMES,
  type AdminAuthenticator,
  adminSignonConstraints,
  CLIENT_RESPONSE_TYPES,
  loopbackRedirectProblem,
  loopbackRedirectUris,
  MCP_CLIENT_GRANT_TYPES,
  OKTA_LABELS,
  reauthFrequency,
  REFRESH_TOKEN_LEEWAY_SECONDS,
  REFRESH_TOKEN_ROTATION,
  SIGNON_RULE_TYPE,
  USER_SIGNON_FACTOR_MODE,
  USER_SIGNON_RULE_NAME,
  WEBAUTHN_AUTHENTICATOR,
} from '../core/identity-defaults';
import type { OktaMcpClientsRef } from '../core/refs';
import { describeValue, isUnresolved, PropsValidator } from '../core/validation';

export type { OktaMcpClientsRef } from '../core/refs';

/** Props of {@link OktaMcpClients}. */
export interface OktaMcpClientsProps {
  /** The Okta org URL, https, e.g. `https://example.okta.com` (or a Terraform token). */
  readonly orgUrl: string;
  /**
   * The Cloudflare Access callback of your team domain, exactly
   * `https://<team>.cloudflareaccess.com/cdn-cgi/access/callback` (or a Terraform token): the only
   * redirect URI of the Access identity provider's web app.
   */
  readonly accessCallbackUrl: string;
  /**
   * More Cloudflare Access callbacks, for a fleet whose edges (Cloudflare accounts, each with its
   * own team domain) sign in through this one Okta org: each exactly
   * `https://<team>.cloudflareaccess.com/cdn-cgi/access/callback`.
   * @default - none
   */
  readonly additionalAccessCallbackUrls?: readonly string[];
  /**
   * Redirect URIs of the MCP client and the admin client: http on 127.0.0.1, localhost or [::1],
   * each with an explicit port (Okta matches redirect URIs exactly, port included). Wildcards,
   * fragments, https and other schemes are refused.
   * @default - port 7701 on 127.0.0.1 and localhost, paths `/callback` (Claude Code) and `/oauth/callback` (mcp-remote)
   */
  readonly loopbackRedirectUris?: readonly string[];
  /**
   * Minutes after which an admin must sign in again with the hardware key, whatever their activity.
   * Between 0 (at every sign-in) and 15.
   * @default 15
   */
  readonly adminReauthMinutes?: number;
  /**
   * Which authenticators admins may elevate with. `'phishing-resistant'` demands a phishing-resistant,
   * hardware-protected possession factor with user verification, which a FIDO2 security key, a
   * platform passkey (Touch ID, Windows Hello) and Okta FastPass with biometrics or a device-bound
   * passcode all meet. `'security-key'` also names the authenticator, FIDO2 WebAuthn
   * (`authenticationMethods: [{key: 'webauthn', method: 'webauthn'}]`), so FastPass no longer passes.
   * Limiting WebAuthn to roaming keys (attachment or AAGUID groups) is a setting of Okta's WebAuthn
   * authenticator that the okta provider 4.20 cannot write: set it in Okta (MCP-ID-10 judges the rest).
   * @default 'phishing-resistant'
   */
  readonly adminAuthenticator?: AdminAuthenticator;
  /**
   * Regex (matching whole group names) of the groups the Access web app puts in its `groups` claim.
   * Widen it only for existing tenant groups whose names do not start with `mcp-`.
   * @default 'mcp-.*'
   */
  readonly accessGroupsClaimFilter?: string;
  /**
   * Require PKCE on the Access web app too (the Cloudflare identity provider sends it when its
   * `pkce_enabled` is on). Turn off only if your Access identity provider cannot do PKCE.
   * @default true
   */
  readonly accessIdpPkceRequired?: boolean;
  /**
   * Activate the org's WebAuthn authenticator from this stack. Turn off when another stack or an
   * admin already manages the org's authenticators: the admin sign-on rule still needs WebAuthn active.
   * @default true
   */
  readonly manageWebAuthnAuthenticator?: boolean;
  /**
   * Prefix of the app labels and of the admin sign-on policy name (policy names are unique per org,
   * so two deployments in one org need different prefixes).
   * @default 'MCP'
   */
  readonly labelPrefix?: string;
}

/** Validates {@link OktaMcpClientsProps}, throwing one error that names every problem. */
export function validateOktaMcpClientsProps(props: OktaMcpClientsProps): void {
  const v = new PropsValidator('OktaMcpClients');
  v.required('orgUrl', props.orgUrl);
  v.check(props.orgUrl, isHttpsUrl, `orgUrl must be an https URL, but ${describeValue(props.orgUrl)} was provided`);
  v.required('accessCallbackUrl', props.accessCallbackUrl);
  v.matches(
    'accessCallbackUrl',
    props.accessCallbackUrl,
    ACCESS_CALLBACK_PATTERN,
    'exactly https://<team>.cloudflareaccess.com/cdn-cgi/access/callback',
  );
  (props.additionalAccessCallbackUrls ?? []).forEach((url, i) =>
    v.matches(
      `additionalAccessCallbackUrls[${i}]`,
      url,
      ACCESS_CALLBACK_PATTERN,
      'exactly https://<team>.cloudflareaccess.com/cdn-cgi/access/callback',
    ),
  );
  const uris = props.loopbackRedirectUris;
  if (uris !== undefined && !isUnresolved(uris)) {
    if (uris.length === 0) v.fail('loopbackRedirectUris must list at least one URI, but [] was provided');
    uris.forEach((uri, i) => {
      v.check(
        uri,
        (u: string) => typeof u === 'string' && loopbackRedirectProblem(u) === undefined,
        `loopbackRedirectUris[${i}] must be an http URI on 127.0.0.1, localhost or [::1] with a port, but ${describeValue(uri)} ${typeof uri === 'string' ? loopbackRedirectProblem(uri) : 'is not a string'}`,
      );
    });
  }
  v.integerBetween('adminReauthMinutes', props.adminReauthMinutes, 0, ADMIN_REAUTH_MINUTES);
  v.check(
    props.adminAuthenticator,
    (a: string) => ADMIN_AUTHENTICATORS.includes(a as AdminAuthenticator),
    `adminAuthenticator must be one of ${ADMIN_AUTHENTICATORS.map((a) => `'${a}'`).join(', ')}, but ${describeValue(props.adminAuthenticator)} was provided`,
  );
  if (props.accessGroupsClaimFilter !== undefined) v.required('accessGroupsClaimFilter', props.accessGroupsClaimFilter);
  if (props.labelPrefix !== undefined) v.required('labelPrefix', props.labelPrefix);
  v.throwIfInvalid();
}

/**
 * The Okta apps every tenant shares: the public PKCE client MCP clients sign in with, the admin
 * client whose own sign-on policy demands a hardware key, the confidential web app of the Cloudflare
 * Access identity provider, and the org's WebAuthn authenticator. The MCP client and the Access web
 * app share a sign-on (authentication) policy of their own that demands two factors, so neither
 * falls back to the org's default policy. Tenants never get apps of their own: their authorization
 * servers limit their policies to these clients.
 */
export class OktaMcpClients extends Construct implements OktaMcpClientsRef {
  public readonly orgUrl: string;
  public readonly mcpClientId: string;
  public readonly adminClientId: string;
  public readonly accessIdpClientId: string;
  /** The web app's client secret: a reference to a sensitive attribute, never a literal. */
  public readonly accessIdpClientSecret: string;
  public readonly mcpAppId: string;
  public readonly adminAppId: string;
  public readonly accessIdpAppId: string;
  /** Redirect URIs registered on the MCP and admin clients. */
  public readonly loopbackRedirectUris: readonly string[];
  /** How often admins re-authenticate with the hardware key (ISO 8601). */
  public readonly adminReauthFrequency: string;
  /** Id of the admin client's sign-on policy. */
  public readonly adminSignonPolicyId: string;
  /** Which authenticators admins may elevate with. */
  public readonly adminAuthenticator: AdminAuthenticator;
  /** Id of the two-factor sign-on policy of the MCP client and the Access web app. */
  public readonly mcpSignonPolicyId: string;

  public readonly mcpClient: AppOauth;
  public readonly adminClient: AppOauth;
  public readonly accessIdpApp: AppOauth;
  public readonly adminSignonPolicy: AppSignonPolicy;
  public readonly adminSignonRule: AppSignonPolicyRule;
  /** The two-factor sign-on policy of the MCP client and the Access web app. */
  public readonly mcpSignonPolicy: AppSignonPolicy;
  /** Its rule: any two factor types. */
  public readonly mcpSignonRule: AppSignonPolicyRule;
  /** The WebAuthn authenticator, unless `manageWebAuthnAuthenticator` is false. */
  public readonly webAuthn?: Authenticator;

  constructor(scope: Construct, id: string, props: OktaMcpClientsProps) {
    super(scope, id);
    validateOktaMcpClientsProps(props);
    this.warnAboutWeakenedDefaults(props);
    const prefix = props.labelPrefix ?? OKTA_LABELS.prefix;
    const redirectUris = [...(props.loopbackRedirectUris ?? loopbackRedirectUris())];
    this.orgUrl = props.orgUrl;
    this.loopbackRedirectUris = redirectUris;
    this.adminReauthFrequency = reauthFrequency(props.adminReauthMinutes ?? ADMIN_REAUTH_MINUTES);
    this.adminAuthenticator = props.adminAuthenticator ?? 'phishing-resistant';

    // Public clients have no secret to hide: PKCE proves the code's requester, loopback redirects keep it local.
    const publicClient = {
      type: 'native',
      tokenEndpointAuthMethod: 'none',
      pkceRequired: true,
      responseTypes: [...CLIENT_RESPONSE_TYPES],
      redirectUris,
      wildcardRedirect: 'DISABLED',
      consentMethod: 'TRUSTED',
      hideIos: true,
      hideWeb: true,
    };

    // Everyday sign-in needs two factors, never the org's default policy (which may admit a password alone).
    this.mcpSignonPolicy = new AppSignonPolicy(this, 'McpSignonPolicy', {
      name: `${prefix} ${OKTA_LABELS.userSignonPolicy}`,
      description: 'Everyday MCP sign-in (the MCP client and Cloudflare Access): at least two factors.',
      // The catch-all rule denies: whoever the two-factor rule does not admit gets no token.
      catchAll: false,
    });
    this.mcpSignonRule = new AppSignonPolicyRule(this, 'McpSignonRule', {
      policyId: this.mcpSignonPolicy.id,
      name: USER_SIGNON_RULE_NAME,
      priority: 1,
      status: 'ACTIVE',
      access: 'ALLOW',
      type: SIGNON_RULE_TYPE,
      factorMode: USER_SIGNON_FACTOR_MODE,
    });
    this.mcpSignonPolicyId = this.mcpSignonPolicy.id;

    this.mcpClient = new AppOauth(this, 'McpClient', {
      ...publicClient,
      label: `${prefix} ${OKTA_LABELS.mcpClient}`,
      grantTypes: [...MCP_CLIENT_GRANT_TYPES],
      refreshTokenRotation: REFRESH_TOKEN_ROTATION,
      refreshTokenLeeway: REFRESH_TOKEN_LEEWAY_SECONDS,
      authenticationPolicy: this.mcpSignonPolicy.id,
    });

    if (props.manageWebAuthnAuthenticator ?? true) {
      // Okta never deletes an authenticator; destroying this would try to deactivate WebAuthn org-wide.
      this.webAuthn = new Authenticator(this, 'WebAuthn', {
        key: WEBAUTHN_AUTHENTICATOR.key,
        name: WEBAUTHN_AUTHENTICATOR.name,
        status: 'ACTIVE',
        lifecycle: { preventDestroy: true },
      });
    }

    this.adminSignonPolicy = new AppSignonPolicy(this, 'AdminSignonPolicy', {
      name: `${prefix} ${OKTA_LABELS.adminSignonPolicy}`,
      description:
        'Admin elevation for MCP tenants: a phishing-resistant, hardware-protected key with user verification.',
      // The catch-all rule denies: whoever the hardware-key rule does not admit gets no admin token.
      catchAll: false,
    });
    this.adminSignonRule = new AppSignonPolicyRule(this, 'AdminSignonRule', {
      policyId: this.adminSignonPolicy.id,
      // The strict setting's name also declares it: MCP-ID-10 holds the constraints to it.
      name: ADMIN_SIGNON_RULE_NAMES[this.adminAuthenticator],
      priority: 1,
      status: 'ACTIVE',
      access: 'ALLOW',
      type: SIGNON_RULE_TYPE,
      factorMode: ADMIN_SIGNON_FACTOR_MODE,
      constraints: adminSignonConstraints(this.adminAuthenticator),
      reAuthenticationFrequency: this.adminReauthFrequency,
      dependsOn: this.webAuthn ? [this.webAuthn] : undefined,
    });
    this.adminSignonPolicyId = this.adminSignonPolicy.id;

    this.adminClient = new AppOauth(this, 'AdminClient', {
      ...publicClient,
      label: `${prefix} ${OKTA_LABELS.adminClient}`,
      grantTypes: [...ADMIN_CLIENT_GRANT_TYPES],
      authenticationPolicy: this.adminSignonPolicy.id,
    });

    this.accessIdpApp = new AppOauth(this, 'AccessIdpApp', {
      type: 'web',
      label: `${prefix} ${OKTA_LABELS.accessIdp}`,
      tokenEndpointAuthMethod: 'client_secret_basic',
      pkceRequired: props.accessIdpPkceRequired ?? true,
      grantTypes: ['authorization_code'],
      responseTypes: [...CLIENT_RESPONSE_TYPES],
      redirectUris: [props.accessCallbackUrl, ...(props.additionalAccessCallbackUrls ?? [])],
      wildcardRedirect: 'DISABLED',
      consentMethod: 'TRUSTED',
      hideIos: true,
      hideWeb: true,
      authenticationPolicy: this.mcpSignonPolicy.id,
      // Cloudflare Access matches tenant groups by name: the ID token carries them, filtered to ours.
      // The okta provider writes this only when it authenticates with an API token (MCP-ID-9).
      groupsClaim: {
        name: ACCESS_GROUPS_CLAIM_NAME,
        type: 'FILTER',
        filterType: 'REGEX',
        value: props.accessGroupsClaimFilter ?? ACCESS_GROUPS_CLAIM_FILTER,
      },
    });

    this.mcpClientId = this.mcpClient.clientId;
    this.adminClientId = this.adminClient.clientId;
    this.accessIdpClientId = this.accessIdpApp.clientId;
    this.accessIdpClientSecret = this.accessIdpApp.clientSecret;
    this.mcpAppId = this.mcpClient.id;
    this.adminAppId = this.adminClient.id;
    this.accessIdpAppId = this.accessIdpApp.id;
  }

  private warnAboutWeakenedDefaults(props: OktaMcpClientsProps): void {
    const warn = (message: string): void => Annotations.of(this).addWarning(message);
    const filter = props.accessGroupsClaimFilter;
    if (filter !== undefined && filter !== ACCESS_GROUPS_CLAIM_FILTER) {
      warn(
        `accessGroupsClaimFilter is ${describeValue(filter)} instead of the default '${ACCESS_GROUPS_CLAIM_FILTER}': Cloudflare Access receives every Okta group it matches`,
      );
    }
    if (props.accessIdpPkceRequired === false) {
      warn('accessIdpPkceRequired is false instead of the default true: the Access web app accepts codes without PKCE');
    }
    if (props.manageWebAuthnAuthenticator === false) {
      warn(
        'manageWebAuthnAuthenticator is false instead of the default true: keep the WebAuthn authenticator active elsewhere, or admins cannot sign in',
      );
    }
  }
}
