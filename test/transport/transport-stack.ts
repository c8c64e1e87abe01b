import type { JsonObject } from '../../lib/model/stack';
import { TerraformVariable, type TerraformStack } from '../../lib/core/cdktf';
import { tenantAdminGroupName, tenantUserGroupName } from '../../lib/core/naming';
import { CloudflareAccessTunnel, type CloudflareAccessTunnelProps } from '../../lib/transport/cloudflare-access-tunnel';
import { CloudflareOktaIdentityProvider } from '../../lib/transport/cloudflare-okta-identity-provider';
import { newStack, rawJson, resourcesOf } from '../helpers';

export const ACCOUNT_ID = '0123456789abcdef0123456789abcdef';
export const ZONE_ID = 'fedcba9876543210fedcba9876543210';
export const DOMAIN = 'mcp.example.com';
export const ORIGIN_PORT = 8080;

/** A sensitive variable for the Access IdP client secret, as a real stack declares it. */
export function idpClientSecret(stack: TerraformStack): string {
  return new TerraformVariable(stack, 'okta_access_idp_client_secret', { type: 'string', sensitive: true }).stringValue;
}

/** The shared Okta identity provider with valid props. */
export function oktaIdentityProvider(stack: TerraformStack, id = 'Idp'): CloudflareOktaIdentityProvider {
  return new CloudflareOktaIdentityProvider(stack, id, {
    accountId: ACCOUNT_ID,
    clients: {
      orgUrl: 'https://example.okta.com',
      accessIdpClientId: '0oa1accessidp',
      accessIdpClientSecret: idpClientSecret(stack),
    },
  });
}

/** Valid props of one tenant's tunnel. */
export function tunnelProps(
  tenantId: string,
  identityProvider: CloudflareOktaIdentityProvider,
  overrides: Partial<CloudflareAccessTunnelProps> = {},
): CloudflareAccessTunnelProps {
  return {
    tenantId,
    domain: DOMAIN,
    accountId: ACCOUNT_ID,
    zoneId: ZONE_ID,
    identityProvider,
    identity: { userGroupName: tenantUserGroupName(tenantId), adminGroupName: tenantAdminGroupName(tenantId) },
    originPort: ORIGIN_PORT,
    ...overrides,
  };
}

/** A stack with the shared IdP and one tunnel per tenant (construct id = tenant id). */
export function transportStack(
  tenants: readonly string[] = ['acme'],
  overrides: Partial<CloudflareAccessTunnelProps> = {},
): { stack: TerraformStack; idp: CloudflareOktaIdentityProvider; tunnels: CloudflareAccessTunnel[] } {
  const stack = newStack();
  const idp = oktaIdentityProvider(stack);
  const tunnels = tenants.map((t) => new CloudflareAccessTunnel(stack, t, tunnelProps(t, idp, overrides)));
  return { stack, idp, tunnels };
}

/** The synthesized JSON of a one-tenant transport stack, computed once per test file. */
export function transportJson(tenants: readonly string[] = ['acme']): JsonObject {
  return rawJson(transportStack(tenants).stack);
}

/** The only resource of a type in raw JSON (fails loudly when there is not exactly one). */
export function only(json: JsonObject, type: string): JsonObject {
  const bodies = Object.values(resourcesOf(json, type));
  if (bodies.length !== 1) throw new Error(`expected one ${type}, found ${bodies.length}`);
  return bodies[0];
}

/** Adds a resource to raw JSON (for tampered and foreign stacks). */
export function addResource(json: JsonObject, type: string, name: string, body: JsonObject): void {
  const resource = (json.resource ??= {}) as Record<string, Record<string, JsonObject>>;
  (resource[type] ??= {})[name] = body;
}
