/**
 * The five layers with the audit trail on AWS S3 with Object Lock in compliance mode instead of R2:
 * two tenants, their records and the account's Access request logs each in a bucket whose retention
 * nobody can shorten, root included (docs/audit.md#two-backends). The shippers reach their bucket as
 * an IAM role through IRSA, with no long-lived key.
 *
 *   npx cdktf synth --app "node -r ./scripts/ts-register.js examples/aws-audit/main.ts"
 *
 * In your own project, import from the package instead:
 *   import { SecureMcpAccess } from 'cdktf-mcp-access';
 *   import { s3AuditBackend } from 'cdktf-mcp-access/aws'; // needs @cdktf/provider-aws
 */
import { SecureMcpAccess, enableFastSynth, synthesize } from '../../lib';
import { s3AuditBackend } from '../../lib/aws';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { CloudflareProvider } from '@cdktf/provider-cloudflare/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { OktaProvider } from '@cdktf/provider-okta/lib/provider';
import { TimeProvider } from '@cdktf/provider-time/lib/provider';
import { VaultProvider } from '@cdktf/provider-vault/lib/provider';
import { App, S3Backend, TerraformStack, TerraformVariable } from 'cdktf';
import type { Construct } from 'constructs';

/** The region of the audit buckets (a literal: the buckets' names and the writer roles depend on it). */
const REGION = 'eu-central-1';

export class AwsAuditStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);

    const variable = (name: string, description: string, sensitive = false) =>
      new TerraformVariable(this, name, { type: 'string', description, sensitive }).stringValue;

    // Credentials come from the environment only (see docs/deploying.md): AWS by AWS_PROFILE or the
    // standard AWS_* variables (or the CI job's OIDC role), the Okta API token as TF_VAR_okta_api_token.
    new OktaProvider(this, 'okta', {
      apiToken: variable('okta_api_token', 'Okta API token of the provider.', true),
      backoff: true,
      maxApiCapacity: 50,
    });
    new CloudflareProvider(this, 'cloudflare', {});
    new KubernetesProvider(this, 'kubernetes', {});
    new VaultProvider(this, 'vault', {});
    new TimeProvider(this, 'time', {});
    new AwsProvider(this, 'aws', { region: REGION });
    new S3Backend(this, {
      bucket: 'example-mcp-state',
      key: 'mcp/aws-audit.tfstate',
      region: REGION,
      encrypt: true,
      kmsKeyId: 'alias/mcp-state',
      dynamodbTable: 'mcp-state-lock',
    });

    // One bucket per tenant (<prefix>mcp-audit-<tenant>) and one for the account's Access request
    // logs, each in compliance mode for the retention below. The EKS cluster's IAM OIDC provider lets
    // each tenant's shipper, and only it, assume that tenant's writer role.
    const backend = s3AuditBackend({
      region: REGION,
      bucketNamePrefix: 'example-',
      identity: {
        irsa: {
          oidcProviderArn:
            'arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-central-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE',
          oidcIssuer: 'oidc.eks.eu-central-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE',
        },
      },
    });

    new SecureMcpAccess(this, 'Mcp', {
      domain: 'mcp.example.com',
      tenants: [{ id: 'acme' }, { id: 'globex' }],
      okta: { orgUrl: 'https://example.okta.com' },
      cloudflare: {
        accountId: variable('cloudflare_account_id', 'Cloudflare account id (32 hex characters).'),
        zoneId: variable('cloudflare_zone_id', 'Id of the Cloudflare zone that holds the tenant hostnames.'),
      },
      workload: {
        image: 'ghcr.io/example/mcp-server@sha256:f29828229629b8c5504986bdf61be1afe8c7fa68d41a92be7d98415e9e6a3384',
        port: 8080,
        healthCommand: ['/mcp-server', 'healthcheck'],
      },
      audit: {
        retentionDays: 365,
        backend,
        alertWebhookUrl: variable(
          'audit_alert_webhook_url',
          'https webhook that receives every cross-tenant denial and delivery failure (it may embed a token).',
          true,
        ),
      },
    });
  }
}

// Synthesize when run as the app; tests import the stack class instead.
if (require.main === module) {
  const app = new App();
  enableFastSynth(app);
  new AwsAuditStack(app, 'aws-audit');
  synthesize(app);
}
