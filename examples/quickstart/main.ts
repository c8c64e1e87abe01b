/**
 * Quickstart: one tenant, all five layers, one `new` statement.
 *
 * Synthesizes offline with no credentials (`npm run synth`). To deploy, every provider reads its
 * credentials from the environment (see docs/deploying.md): nothing secret is written here
 * or into cdktf.out.
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

export class QuickstartStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);

    // Credentials come from the environment only:
    //   Okta:        OKTA_ORG_NAME, OKTA_BASE_URL, and the API token as TF_VAR_okta_api_token (an API
    //                token, not OAuth 2.0: with OAuth credentials the okta provider drops the groups
    //                claim Cloudflare Access needs; rule MCP-ID-9)
    //   Cloudflare:  CLOUDFLARE_API_TOKEN
    //   Kubernetes:  KUBE_CONFIG_PATH (and KUBE_CTX)
    //   Vault:       VAULT_ADDR (https), VAULT_TOKEN
    //   State:       AWS credentials of the state bucket (AWS_PROFILE or AWS_ACCESS_KEY_ID, ...)
    // and the inputs below as TF_VAR_cloudflare_account_id, TF_VAR_cloudflare_zone_id, TF_VAR_audit_alert_webhook_url.
    const oktaApiToken = new TerraformVariable(this, 'okta_api_token', {
      type: 'string',
      sensitive: true,
      description: 'Okta API token of the provider (TF_VAR_okta_api_token; never written to a file).',
    });
    new OktaProvider(this, 'okta', { apiToken: oktaApiToken.stringValue, backoff: true, maxApiCapacity: 50 });
    new CloudflareProvider(this, 'cloudflare', {});
    new KubernetesProvider(this, 'kubernetes', {});
    new VaultProvider(this, 'vault', {});
    // hashicorp/time rotates the audit writer tokens (time_rotating).
    new TimeProvider(this, 'time', {});
    // State holds the tunnel token and the audit writer credentials: an encrypted bucket, with locking.
    new S3Backend(this, {
      bucket: 'example-mcp-state',
      key: 'mcp/quickstart.tfstate',
      region: 'eu-west-1',
      encrypt: true,
      kmsKeyId: 'alias/mcp-state',
      dynamodbTable: 'mcp-state-lock',
    });

    const accountId = new TerraformVariable(this, 'cloudflare_account_id', {
      type: 'string',
      description: 'Cloudflare account id (32 hex characters).',
    });
    const zoneId = new TerraformVariable(this, 'cloudflare_zone_id', {
      type: 'string',
      description: 'Id of the Cloudflare zone that holds the tenant hostnames.',
    });

    // A secret input: sensitive, no default, supplied as TF_VAR_audit_alert_webhook_url at deploy time.
    const alertWebhook = new TerraformVariable(this, 'audit_alert_webhook_url', {
      type: 'string',
      sensitive: true,
      description: 'https webhook that receives every cross-tenant denial (it may embed a token).',
    });

    new SecureMcpAccess(this, 'Mcp', {
      domain: 'mcp.example.com',
      tenants: [{ id: 'acme' }],
      okta: { orgUrl: 'https://example.okta.com' },
      cloudflare: { accountId: accountId.stringValue, zoneId: zoneId.stringValue },
      workload: {
        image: 'ghcr.io/example/mcp-server@sha256:f29828229629b8c5504986bdf61be1afe8c7fa68d41a92be7d98415e9e6a3384',
        port: 8080,
        healthCommand: ['/mcp-server', 'healthcheck'],
      },
      audit: { retentionDays: 365, alertWebhookUrl: alertWebhook.stringValue },
    });
  }
}

// Synthesize when run as the app (cdktf.json); tests import the stack class instead.
if (require.main === module) {
  const app = new App();
  // Opt in to the faster synth (same output; see docs/performance.md).
  enableFastSynth(app);
  new QuickstartStack(app, 'quickstart');
  // Like app.synth(), but a refusal prints once, plainly, with each fix, and exits 1.
  synthesize(app);
}
