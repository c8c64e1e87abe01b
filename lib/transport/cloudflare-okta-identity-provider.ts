import { ZeroTrustAccessIdentityProvider } from '@cdktf/provider-cloudflare/lib/zero-trust-access-identity-provider';
import { Construct } from '../core/cdktf';
import { isHttpsUrl } from '../core/formats';
import type { AccessIdentityProviderRef, OktaClientsRef } from '../core/refs';
import { ACCESS_IDP_NAME, ACCESS_IDP_TYPE, CLOUDFLARE_ID_PATTERN } from '../core/transport-defaults';
import { isUnresolved, PropsValidator } from '../core/validation';

/** Props of {@link CloudflareOktaIdentityProvider}. */
export interface CloudflareOktaIdentityProviderProps {
  /** Cloudflare account id (32 hex characters, or a Terraform token). */
  readonly accountId: string;
  /**
   * The Okta clients. Uses `orgUrl` and the confidential web app the identity provider signs in
   * with (`accessIdpClientId`, `accessIdpClientSecret`). The secret must be a reference (a
   * sensitive Terraform variable or a resource attribute), never a literal.
   */
  readonly clients: Pick<OktaClientsRef, 'orgUrl' | 'accessIdpClientId' | 'accessIdpClientSecret'>;
  /**
   * Name of the identity provider, shown on the Cloudflare Access login page.
   * @default 'Okta'
   */
  readonly name?: string;
  /**
   * Id of an Okta custom authorization server that emits the `groups` claim, for an organisation
   * that keeps Access on a dedicated server. Never a tenant's server: those issue MCP tokens.
   * @default - the Okta org authorization server, with the web app's groups claim
   */
  readonly authorizationServerId?: string;
}

/** Validates {@link CloudflareOktaIdentityProviderProps}, throwing one error that names every problem. */
export function validateCloudflareOktaIdentityProviderProps(props: CloudflareOktaIdentityProviderProps): void {
  const v = new PropsValidator('CloudflareOktaIdentityProvider');
  v.required('accountId', props.accountId);
  v.matches('accountId', props.accountId, CLOUDFLARE_ID_PATTERN, '32 lower-case hex characters');
  v.required('clients.orgUrl', props.clients?.orgUrl);
  v.check(
    props.clients?.orgUrl,
    isHttpsUrl,
    `clients.orgUrl must be an https URL, but '${props.clients?.orgUrl}' was provided`,
  );
  v.required('clients.accessIdpClientId', props.clients?.accessIdpClientId);
  const secret = props.clients?.accessIdpClientSecret;
  v.required('clients.accessIdpClientSecret', secret);
  // The value itself is never echoed: a literal here is a leaked credential.
  if (typeof secret === 'string' && secret !== '' && !isUnresolved(secret)) {
    v.fail(
      'clients.accessIdpClientSecret must be a reference (a sensitive TerraformVariable or a resource attribute), but a literal was provided',
    );
  }
  if (props.name !== undefined) v.required('name', props.name);
  v.throwIfInvalid();
}

/**
 * The Cloudflare Access identity provider of type okta, shared by every tenant. Access signs users
 * in through the Okta web app (authorization code with PKCE) and reads their Okta groups from the
 * `groups` claim of its ID token, which the tenant Access policies match.
 *
 * The Okta web app must emit the groups claim (a groups claim filter matching the tenant groups) and
 * list `https://<team>.cloudflareaccess.com/cdn-cgi/access/callback` as a redirect URI.
 */
export class CloudflareOktaIdentityProvider extends Construct implements AccessIdentityProviderRef {
  /** Id of the identity provider, for the tenant Access applications' `allowed_idps` and policies. */
  public readonly identityProviderId: string;
  /** Cloudflare account id. */
  public readonly accountId: string;
  /** The identity provider resource. */
  public readonly resource: ZeroTrustAccessIdentityProvider;

  constructor(scope: Construct, id: string, props: CloudflareOktaIdentityProviderProps) {
    super(scope, id);
    validateCloudflareOktaIdentityProviderProps(props);
    this.accountId = props.accountId;
    this.resource = new ZeroTrustAccessIdentityProvider(this, 'IdentityProvider', {
      accountId: props.accountId,
      name: props.name ?? ACCESS_IDP_NAME,
      type: ACCESS_IDP_TYPE,
      config: {
        oktaAccount: props.clients.orgUrl,
        clientId: props.clients.accessIdpClientId,
        clientSecret: props.clients.accessIdpClientSecret,
        pkceEnabled: true,
        authorizationServerId: props.authorizationServerId,
      },
    });
    this.identityProviderId = this.resource.id;
  }
}
