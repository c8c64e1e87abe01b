import * as fs from 'fs';
import { CloudflareProvider } from '@cdktf/provider-cloudflare/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { OktaProvider } from '@cdktf/provider-okta/lib/provider';
import { TimeProvider } from '@cdktf/provider-time/lib/provider';
import { VaultProvider } from '@cdktf/provider-vault/lib/provider';
import { S3Backend } from 'cdktf';
import { App, Testing, TerraformStack, TerraformVariable } from '../lib/core/cdktf';
import { SynthesizedStack, type JsonObject } from '../lib/model/stack';
import type { SecureMcpAccessProps } from '../lib/patterns/secure-mcp-access';

/** A 64-hex digest for pinned test images. */
export const DIGEST = 'sha256:' + 'ab12'.repeat(16);

/** Valid props for SecureMcpAccess with the given tenants. */
export function baseProps(
  tenants: string[] = ['acme'],
  overrides: Partial<SecureMcpAccessProps> = {},
): SecureMcpAccessProps {
  return {
    domain: 'mcp.example.com',
    tenants: tenants.map((id) => ({ id })),
    okta: { orgUrl: 'https://example.okta.com' },
    cloudflare: { accountId: '0123456789abcdef0123456789abcdef', zoneId: 'fedcba9876543210fedcba9876543210' },
    workload: { image: `ghcr.io/acme/mcp@${DIGEST}`, port: 8080, healthCommand: ['/mcp-server', 'healthcheck'] },
    ...overrides,
  };
}

/** A fresh stack in a fresh app (Testing.app: no files written). */
export function newStack(id = 'test'): TerraformStack {
  return new TerraformStack(Testing.app(), id);
}

/** A stack in an App with its own outdir, for tests that run `app.synth()`. */
export function newAppStack(outdir: string, id = 'test'): { app: App; stack: TerraformStack } {
  const app = new App({ outdir, skipValidation: false });
  return { app, stack: new TerraformStack(app, id) };
}

/**
 * The stack's Terraform JSON exactly as `cdktf synth` writes it (with metadata, overrides and
 * every resource), computed without running the validations.
 */
export function rawJson(stack: TerraformStack): JsonObject {
  return JSON.parse(JSON.stringify(stack.toTerraform())) as JsonObject;
}

/** The stack as the rules see it. */
export function synthesized(stack: TerraformStack): SynthesizedStack {
  return new SynthesizedStack(rawJson(stack), stack.node.id);
}

/** The `resource.<type>` block of raw JSON: name -> body. */
export function resourcesOf(json: JsonObject, type: string): Record<string, JsonObject> {
  const resource = (json.resource ?? {}) as Record<string, Record<string, JsonObject>>;
  return resource[type] ?? {};
}

/** Bodies of every resource of a type. */
export function bodiesOf(json: JsonObject, type: string): JsonObject[] {
  return Object.values(resourcesOf(json, type));
}

/** Deep clone of JSON, for tampering in non-compliant tests. */
export function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/**
 * Adds the provider constructs (credentials from the environment), as a real stack has. `deployable`
 * also gives it what the examples have: the Okta API token from a sensitive variable (MCP-ID-9W) and
 * an encrypted S3 backend for state (MCP-SEC-7).
 */
export function withProviders<T extends TerraformStack>(stack: T, options: { deployable?: boolean } = {}): T {
  new CloudflareProvider(stack, 'cloudflare', {});
  new KubernetesProvider(stack, 'kubernetes', {});
  if (options.deployable) {
    const token = new TerraformVariable(stack, 'okta_api_token', { type: 'string', sensitive: true });
    new OktaProvider(stack, 'okta', { apiToken: token.stringValue });
    new S3Backend(stack, {
      bucket: 'state',
      key: 'mcp.tfstate',
      region: 'eu-west-1',
      encrypt: true,
      kmsKeyId: 'alias/state',
      dynamodbTable: 'state-lock',
    });
  } else new OktaProvider(stack, 'okta', {});
  new VaultProvider(stack, 'vault', {});
  new TimeProvider(stack, 'time', {});
  return stack;
}

/**
 * Runs `app.synth()` of the stack's app (rule pack included: it is an App validation) and removes
 * the output folder afterwards, whether synth threw or not.
 */
export function synthApp(stack: TerraformStack): void {
  const app = stack.node.root as App;
  try {
    app.synth();
  } finally {
    fs.rmSync(app.outdir, { recursive: true, force: true });
  }
}
