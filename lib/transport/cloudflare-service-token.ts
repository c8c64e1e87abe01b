import type { ZeroTrustAccessApplicationPolicies } from '@cdktf/provider-cloudflare/lib/zero-trust-access-application';
import { ZeroTrustAccessServiceToken } from '@cdktf/provider-cloudflare/lib/zero-trust-access-service-token';
import { Construct, Token } from '../core/cdktf';
import { SERVICE_ACCOUNT_NAME_PATTERN, serviceAccountLabel } from '../core/identity-defaults';
import { recordTenantScope } from '../core/stack-metadata';
import {
  type AccessServiceTokenSpec,
  CLOUDFLARE_ID_PATTERN,
  SERVICE_TOKEN_DURATION_HOURS,
  SERVICE_TOKEN_POLICY_DECISION,
  serviceTokenDuration,
  serviceTokenProblems,
} from '../core/transport-defaults';
import { isUnresolved, PropsValidator } from '../core/validation';

export type { AccessServiceTokenSpec } from '../core/transport-defaults';

/** Props of {@link CloudflareServiceToken}. */
export interface CloudflareServiceTokenProps extends AccessServiceTokenSpec {
  /** The tenant whose Access application admits the token (`^[a-z][a-z0-9-]{1,30}$`). */
  readonly tenantId: string;
  /** Cloudflare account id (32 hex characters, or a Terraform token). */
  readonly accountId: string;
}

/**
 * A service account's way through Cloudflare Access: an Access service token `mcp-<t>-svc-<name>`
 * of bounded life (at most 8760 hours, never `forever`), and the inline policy its tenant's Access
 * application adds for it: decision `non_identity`, including exactly this token (never
 * `any_valid_service_token`). CloudflareAccessTunnel attaches the policy; the token is good for that
 * one application only.
 *
 * The client secret exists only in Terraform state (like the tunnel token): the operator reads it
 * once from the sensitive output `<t>_service_<name>_access_client_secret` into the agent host's OS
 * keychain, and keeps state in an encrypted backend.
 *
 * Rotation:
 * - the secret (routinely, or at once when it may have leaked): raise `accessSecretVersion` and set
 *   `previousAccessSecretExpiresAt` (the old secret keeps working until then; a time in the past cuts
 *   it off at apply), apply, move the new secret into the keychain. The client id stays.
 * - the token itself, before `expires_at` (its `duration` after creation; Terraform does not renew
 *   it): replace it (`terraform apply -replace=<the token's address>`), which issues a new client id
 *   and secret; the application's policy follows by reference in the same apply.
 */
export class CloudflareServiceToken extends Construct {
  public readonly tenantId: string;
  /** The service account's name. */
  public readonly name: string;
  /** `mcp-<t>-svc-<name>`. */
  public readonly label: string;
  /** The token's id (what the policy names). */
  public readonly tokenId: string;
  /** `CF-Access-Client-Id` of the agent (`TUNNEL_SERVICE_TOKEN_ID` for cloudflared). */
  public readonly clientId: string;
  /** The client secret: a reference to a sensitive attribute, never a literal. */
  public readonly clientSecret: string;
  /** The token's `duration`. */
  public readonly duration: string;
  /** The token. */
  public readonly token: ZeroTrustAccessServiceToken;

  constructor(scope: Construct, id: string, props: CloudflareServiceTokenProps) {
    super(scope, id);
    const v = new PropsValidator('CloudflareServiceToken');
    v.tenantId('tenantId', props.tenantId);
    v.required('accountId', props.accountId);
    v.matches('accountId', props.accountId, CLOUDFLARE_ID_PATTERN, '32 lower-case hex characters');
    v.required('name', props.name);
    v.check(
      props.name,
      (n: string) => typeof n === 'string' && SERVICE_ACCOUNT_NAME_PATTERN.test(n),
      `name must be a DNS label (lower-case letters, digits and '-', 1 to 63 characters, starting and ending with a letter or digit), but '${String(props.name)}' was provided`,
    );
    serviceTokenProblems('', props, isUnresolved).forEach((p) => v.fail(p));
    v.throwIfInvalid();
    recordTenantScope(this, props.tenantId);

    this.tenantId = props.tenantId;
    this.name = props.name;
    this.label = serviceAccountLabel(props.tenantId, props.name);
    const hours = props.accessTokenDurationHours ?? SERVICE_TOKEN_DURATION_HOURS;
    this.duration = serviceTokenDuration(Token.isUnresolved(hours) ? Token.asString(hours) : hours);
    this.token = new ZeroTrustAccessServiceToken(this, 'Token', {
      accountId: props.accountId,
      name: this.label,
      duration: this.duration,
      clientSecretVersion: props.accessSecretVersion,
      previousClientSecretExpiresAt: props.previousAccessSecretExpiresAt,
    });
    this.tokenId = this.token.id;
    this.clientId = this.token.clientId;
    this.clientSecret = this.token.clientSecret;
  }

  /** The inline Access policy that admits this token (and nothing else) at a precedence. */
  public accessPolicy(precedence: number): ZeroTrustAccessApplicationPolicies {
    return {
      name: this.label,
      decision: SERVICE_TOKEN_POLICY_DECISION,
      precedence,
      // The binding's key for SERVICE_TOKEN_SELECTOR (`service_token { token_id }`).
      include: [{ serviceToken: { tokenId: this.tokenId } }],
    };
  }
}
