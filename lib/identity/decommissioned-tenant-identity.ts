import type { AuthServer } from '@cdktf/provider-okta/lib/auth-server';
import { Construct } from '../core/cdktf';
import { TOKEN_TTL_MINUTES, TOKEN_TTL_MINUTES_MIN } from '../core/defaults';
import { tenantAudience } from '../core/naming';
import { recordDecommissioned } from '../core/stack-metadata';
import { PropsValidator } from '../core/validation';
import { createTenantAuthServer } from './okta-mcp-identity';

/** Props of {@link DecommissionedTenantIdentity}. */
export interface DecommissionedTenantIdentityProps {
  /** The tenant id (a literal). */
  readonly tenantId: string;
  /** The domain its MCP server was served under (the audience is kept as it was). */
  readonly domain: string;
  /**
   * The token lifetime the tenant had, in minutes, 5 to 15 (it is part of the server's description:
   * give the value the tenant was deployed with, so that decommissioning changes only the status).
   * @default 15
   */
  readonly tokenTtlMinutes?: number;
}

/**
 * What stays of a decommissioned tenant's identity: its authorization server, INACTIVE (Okta issues no
 * token from an inactive server), at the address it had (`<cell>/Identity/AuthServer`), so that its
 * signing keys still verify the tokens past audit records name, and `prevent_destroy` keeps it until
 * the records' retention ends. Every way in is gone: scopes, the tenant claim, policies and rules, the
 * tenant's groups and their grants.
 *
 * Construct id: give it the id the tenant's {@link OktaMcpIdentity} had (`Identity` in a cell).
 */
export class DecommissionedTenantIdentity extends Construct {
  public readonly tenantId: string;
  /** The tenant's audience, as it was. */
  public readonly audience: string;
  /** The inactive authorization server. */
  public readonly authServer: AuthServer;

  constructor(scope: Construct, id: string, props: DecommissionedTenantIdentityProps) {
    super(scope, id);
    const v = new PropsValidator('DecommissionedTenantIdentity');
    v.tenantId('tenantId', props.tenantId);
    v.domain('domain', props.domain);
    v.integerBetween('tokenTtlMinutes', props.tokenTtlMinutes, TOKEN_TTL_MINUTES_MIN, TOKEN_TTL_MINUTES);
    v.throwIfInvalid();
    recordDecommissioned(this, props.tenantId);
    this.tenantId = props.tenantId;
    this.audience = tenantAudience(props.tenantId, props.domain);
    this.authServer = createTenantAuthServer(this, {
      tenantId: props.tenantId,
      domain: props.domain,
      tokenTtlMinutes: props.tokenTtlMinutes ?? TOKEN_TTL_MINUTES,
      active: false,
    });
  }
}
