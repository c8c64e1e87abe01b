/**
 * Three tenants on one Cloudflare account, with the options a production fleet sets: the Access
 * team domain given, an existing Okta group pair for one tenant, a second local port for a tenant
 * that developers use beside another, an external Vault, EU audit buckets, tunnel health alerts,
 * and a cross-tenant alert webhook from a sensitive variable.
 *
 *   npx cdktf synth --app "node -r ./scripts/ts-register.js examples/multi-tenant/main.ts"
 *
 * In your own project, import from the package instead: `import { SecureMcpAccess } from 'cdktf-mcp-access';`
 */
import { SecureMcpAccess, enableFastSynth, synthesize } from '../../lib';
import { CloudflareProvider } from '@cdktf/provider-cloudflare/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { OktaProvider } from '@cdktf/provider-okta/lib/provider';
import { TimeProvider } from '@cdktf/provider-time/lib/provider';
import { VaultProvider } from '@cdktf/provider-vault/lib/provider';
import { App, S3Backend, TerraformStack, TerraformVariable } from 'cdktf';
import type { Construct } from 'constructs';

export class MultiTenantStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);

    const variable = (name: string, description: string, sensitive = false) =>
      new TerraformVariable(this, name, { type: 'string', description, sensitive }).stringValue;

    // Credentials come from the environment only (see docs/deploying.md); the Okta API token as the
    // sensitive TF_VAR_okta_api_token.
    const oktaApiToken = variable('okta_api_token', 'Okta API token of the provider.', true);
    new OktaProvider(this, 'okta', { apiToken: oktaApiToken, backoff: true, maxApiCapacity: 50 });
    new CloudflareProvider(this, 'cloudflare', {});
    new KubernetesProvider(this, 'kubernetes', {});
    new VaultProvider(this, 'vault', {});
    new TimeProvider(this, 'time', {});
    new S3Backend(this, {
      bucket: 'example-mcp-state',
      key: 'mcp/multi-tenant.tfstate',
      region: 'eu-west-1',
      encrypt: true,
      kmsKeyId: 'alias/mcp-state',
      dynamodbTable: 'mcp-state-lock',
    });

    new SecureMcpAccess(this, 'Mcp', {
      domain: 'mcp.example.com',
      tenants: [
        {
          id: 'acme',
          // An agent that calls acme's MCP server as itself: only its public key is in the stack; the
          // private key never leaves the agent's host (docs/service-identities.md).
          serviceAccounts: [
            {
              name: 'deploy-bot',
              publicKey: {
                kid: 'acme-deploy-bot-1',
                kty: 'EC',
                crv: 'P-256',
                x: 'SD6YRiXsmDBeXKpFXZTpl84rd6SVm7fT6UHC6mRsoKg',
                y: '2lczW0_tFBVUuol3kMb0Jcph8CKoAA2PcKYoRrN1uFc',
              },
            },
          ],
        },
        { id: 'globex', localPort: 7710 },
        {
          id: 'initech',
          existingGroups: {
            userGroupId: variable('initech_users_group_id', 'Existing Okta group of initech users.'),
            adminGroupId: variable('initech_admins_group_id', 'Existing Okta group of initech admins.'),
          },
        },
      ],
      okta: { orgUrl: 'https://example.okta.com' },
      cloudflare: {
        accountId: variable('cloudflare_account_id', 'Cloudflare account id (32 hex characters).'),
        zoneId: variable('cloudflare_zone_id', 'Id of the zone that holds the tenant hostnames.'),
        teamDomain: 'example.cloudflareaccess.com',
        tunnelHealthAlerts: { email: 'platform-oncall@example.com' },
      },
      workload: {
        image:
          'ghcr.io/example/mcp-server:1.4.2@sha256:f29828229629b8c5504986bdf61be1afe8c7fa68d41a92be7d98415e9e6a3384',
        port: 8080,
        healthCommand: ['/mcp-server', 'healthcheck'],
        resources: { mcp: { requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '512Mi' } } },
      },
      vault: {
        address: 'https://vault.example.com:8200',
        egress: { cidrs: ['203.0.113.10/32'] },
        kubernetesAuth: { existingPath: 'kubernetes-prod' },
        auditDevice: { assumeAuditDevice: { reason: 'the Vault cluster ships its file audit device to the SIEM' } },
      },
      audit: {
        retentionDays: 400,
        jurisdiction: 'eu',
        alertWebhookUrl: variable('audit_alert_webhook_url', 'https webhook for cross-tenant denials.', true),
      },
      tokenTtlMinutes: 10,
    });
  }
}

// Synthesize when run as the app; tests import the stack class instead.
if (require.main === module) {
  const app = new App();
  // Opt in to the faster synth (same output; see docs/performance.md).
  enableFastSynth(app);
  new MultiTenantStack(app, 'multi-tenant');
  // Like app.synth(), but a refusal prints once, plainly, with each fix, and exits 1.
  synthesize(app);
}
