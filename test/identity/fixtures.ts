import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { JsonObject } from '../../lib/model/stack';
import { App, Construct, type IConstruct, TerraformStack } from '../../lib/core/cdktf';
import { OktaMcpClients, type OktaMcpClientsProps } from '../../lib/identity/okta-mcp-clients';
import { OktaMcpIdentity, type OktaMcpIdentityProps } from '../../lib/identity/okta-mcp-identity';
import { newStack, resourcesOf } from '../helpers';

export const ORG_URL = 'https://example.okta.com';
export const ACCESS_CALLBACK = 'https://acme-corp.cloudflareaccess.com/cdn-cgi/access/callback';
export const DOMAIN = 'mcp.example.com';

/** Valid props of the shared clients. */
export function clientsProps(overrides: Partial<OktaMcpClientsProps> = {}): OktaMcpClientsProps {
  return { orgUrl: ORG_URL, accessCallbackUrl: ACCESS_CALLBACK, ...overrides };
}

export interface IdentityFixture {
  readonly stack: TerraformStack;
  readonly clients: OktaMcpClients;
  readonly identities: Record<string, OktaMcpIdentity>;
}

/**
 * The identity layer as SecureMcpAccess lays it out: the shared clients under `Shared`, each
 * tenant's identity in a cell named after the tenant.
 */
export function identityStack(
  tenants: readonly string[] = ['acme'],
  clientOverrides: Partial<OktaMcpClientsProps> = {},
  identityOverrides: Partial<OktaMcpIdentityProps> = {},
): IdentityFixture {
  const stack = newStack();
  const clients = new OktaMcpClients(new Construct(stack, 'Shared'), 'Okta', clientsProps(clientOverrides));
  const identities: Record<string, OktaMcpIdentity> = {};
  for (const tenantId of tenants) {
    identities[tenantId] = new OktaMcpIdentity(new Construct(stack, tenantId), 'Identity', {
      tenantId,
      domain: DOMAIN,
      clients,
      ...identityOverrides,
    });
  }
  return { stack, clients, identities };
}

/** The one resource of a type whose logical id contains `part` (throws unless exactly one). */
export function only(json: JsonObject, type: string, part = ''): { name: string; body: JsonObject } {
  const found = Object.entries(resourcesOf(json, type)).filter(([name]) => name.includes(part));
  if (found.length !== 1) throw new Error(`expected one ${type} matching '${part}', found ${found.length}`);
  return { name: found[0][0], body: found[0][1] };
}

/** Warning annotations added to a construct. */
export function warningsOf(construct: IConstruct): string[] {
  return construct.node.metadata.filter((m) => m.type === '@cdktf/warn').map((m) => String(m.data));
}

/**
 * The identity layer split as a fleet splits it: the shared clients in a `foundation` stack, the
 * tenants' identities in a `cells` stack that reads the clients through remote state (cdktf writes
 * the outputs and the `terraform_remote_state` data source). Returns each stack's JSON by name.
 */
export function identityFleet(tenants: readonly string[] = ['acme', 'globex']): Record<string, JsonObject> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-identity-fleet-'));
  try {
    const app = new App({ outdir, skipValidation: true });
    const foundation = new TerraformStack(app, 'foundation');
    const clients = new OktaMcpClients(new Construct(foundation, 'Shared'), 'Okta', clientsProps());
    const cells = new TerraformStack(app, 'cells');
    for (const tenantId of tenants) {
      new OktaMcpIdentity(new Construct(cells, tenantId), 'Identity', { tenantId, domain: DOMAIN, clients });
    }
    app.synth();
    const read = (name: string): JsonObject =>
      JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', name, 'cdk.tf.json'), 'utf8')) as JsonObject;
    return { foundation: read('foundation'), cells: read('cells') };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}
