/**
 * A fleet: the shared pieces in one foundation stack, the tenants' cells sharded over cell stacks.
 * Cells meet the foundation through typed references; cdktf turns each cross-stack reference into
 * an output of the foundation and a remote-state read in the cell stack. Every stack carries the
 * rule pack. One Cloudflare account serves about 450 tenants by default (see README, Vendor limits):
 * shard accounts, not only stacks, beyond that.
 *
 *   npx cdktf synth --app "node -r ./scripts/ts-register.js examples/fleet/main.ts"
 *   npx cdktf deploy foundation && npx cdktf deploy 'cells-*'
 *
 * In your own project, import from the package instead: `import { SecureMcpCell, ... } from 'cdktf-mcp-access';`
 */
import { McpAccessChecks, SecureMcpCell, SecureMcpFoundation, type SecureMcpTenant, enableFastSynth } from '../../lib';
import { CloudflareProvider } from '@cdktf/provider-cloudflare/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { OktaProvider } from '@cdktf/provider-okta/lib/provider';
import { VaultProvider } from '@cdktf/provider-vault/lib/provider';
import { App, TerraformStack, TerraformVariable } from 'cdktf';
import type { Construct } from 'constructs';

/** The account and zone every stack of this fleet uses (literals here; variables work too). */
const CLOUDFLARE = { accountId: '0123456789abcdef0123456789abcdef', zoneId: 'fedcba9876543210fedcba9876543210' };

/** The four providers, credentials from the environment only. */
function addProviders(stack: TerraformStack): void {
  new OktaProvider(stack, 'okta', { backoff: true, maxApiCapacity: 50 });
  new CloudflareProvider(stack, 'cloudflare', {});
  new KubernetesProvider(stack, 'kubernetes', {});
  new VaultProvider(stack, 'vault', {});
}

export class FoundationStack extends TerraformStack {
  public readonly foundation: SecureMcpFoundation;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    addProviders(this);
    this.foundation = new SecureMcpFoundation(this, 'Shared', {
      okta: { orgUrl: 'https://example.okta.com' },
      cloudflare: { accountId: CLOUDFLARE.accountId, teamDomain: 'example.cloudflareaccess.com' },
      audit: { retentionDays: 365 },
    });
  }
}

export class CellStack extends TerraformStack {
  constructor(scope: Construct, id: string, foundation: SecureMcpFoundation, tenants: readonly SecureMcpTenant[]) {
    super(scope, id);
    addProviders(this);
    McpAccessChecks.suppress(this, 'MCP-SEC-6', 'the Vault audit device is declared in the foundation stack');
    const alertWebhook = new TerraformVariable(this, 'audit_alert_webhook_url', {
      type: 'string',
      sensitive: true,
      description: 'https webhook that receives every cross-tenant denial.',
    });
    for (const tenant of tenants) {
      new SecureMcpCell(this, tenant.id, {
        tenant,
        domain: 'mcp.example.com',
        foundation,
        cloudflare: CLOUDFLARE,
        workload: {
          image: 'ghcr.io/example/mcp-server@sha256:f29828229629b8c5504986bdf61be1afe8c7fa68d41a92be7d98415e9e6a3384',
          port: 8080,
          healthCommand: ['/mcp-server', 'healthcheck'],
        },
        audit: { retentionDays: 365, alertWebhookUrl: alertWebhook.stringValue },
      });
    }
  }
}

/**
 * Builds the fleet: one foundation stack and one cell stack per shard of tenants. Shards come from
 * the tenant id (here its first letter), never a position, so adding a tenant moves no other.
 */
export function buildFleet(
  app: App,
  tenantIds: readonly string[],
): { foundation: FoundationStack; cells: CellStack[] } {
  const foundation = new FoundationStack(app, 'foundation');
  const shards = new Map<string, SecureMcpTenant[]>();
  for (const id of tenantIds) {
    const shard = `cells-${id[0]}`;
    shards.set(shard, [...(shards.get(shard) ?? []), { id }]);
  }
  const cells = [...shards].map(([name, tenants]) => new CellStack(app, name, foundation.foundation, tenants));
  return { foundation, cells };
}

if (require.main === module) {
  const app = new App();
  // Opt in to the faster synth (same output; see README, Performance).
  enableFastSynth(app);
  buildFleet(app, ['acme', 'globex', 'initech', 'hooli', 'umbrella']);
  app.synth();
}
