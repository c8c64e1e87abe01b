import { LogpushJob } from '@cdktf/provider-cloudflare/lib/logpush-job';
import { SecretV1 } from '@cdktf/provider-kubernetes/lib/secret-v1';
import { SynthesizedStack, type JsonObject } from '../../../../lib/model/stack';
import { isSecretName, MCP_SEC_5 } from '../../../../lib/checks/rules/secrets/mcp-sec-5';
import { TerraformOutput, TerraformVariable, type TerraformStack } from '../../../../lib/core/cdktf';
import { newStack, rawJson } from '../../../helpers';

const ACCOUNT = '0123456789abcdef0123456789abcdef';

function problems(stack: TerraformStack): string[] {
  return MCP_SEC_5.evaluate(new SynthesizedStack(rawJson(stack)))
    .filter((e) => e.status !== 'compliant')
    .map((e) => `${e.address}: ${e.detail}`);
}

/** A compliant stack: a sensitive secret variable flowing by reference into write-only secret data. */
function compliantStack(): TerraformStack {
  const stack = newStack();
  const token = new TerraformVariable(stack, 'tunnel_token', { type: 'string', sensitive: true });
  new SecretV1(stack, 'Secret', {
    metadata: { name: 'tunnel', namespace: 'mcp-acme' },
    dataWo: { token: token.stringValue },
    dataWoRevision: 1,
  });
  new LogpushJob(stack, 'Job', { accountId: ACCOUNT, destinationConf: 'r2://bucket/path', dataset: 'access_requests' });
  new TerraformOutput(stack, 'token_out', { value: token.stringValue, sensitive: true });
  new TerraformOutput(stack, 'connect_command', { value: 'cloudflared access tcp --hostname acme.example.com' });
  return stack;
}

describe('MCP-SEC-5', () => {
  test('compliant: secrets only by reference; secret variables and outputs sensitive', () => {
    const stack = compliantStack();
    const evaluations = MCP_SEC_5.evaluate(new SynthesizedStack(rawJson(stack)));
    expect(evaluations.length).toBeGreaterThanOrEqual(4);
    expect(problems(stack)).toEqual([]);
  });

  test('non-compliant: a literal in Kubernetes secret data', () => {
    const stack = newStack();
    new SecretV1(stack, 'Secret', { metadata: { name: 'tunnel' }, dataWo: { token: 'abc123' }, dataWoRevision: 1 });
    expect(problems(stack)).toEqual(['kubernetes_secret_v1.Secret: data_wo.token is a literal in secret data']);
  });

  test('non-compliant: a literal credential in a secret-named attribute (escape hatch)', () => {
    const stack = newStack();
    new LogpushJob(stack, 'Job', { accountId: ACCOUNT, destinationConf: 'r2://b/p' }).addOverride(
      'client_secret',
      'swordfish-swordfish',
    );
    expect(problems(stack)).toEqual(['cloudflare_logpush_job.Job: client_secret is a literal credential']);
  });

  test.each([
    ['-----BEGIN RSA PRIVATE KEY-----\nMIIE...', 'a PEM private key'],
    ['key AKIAIOSFODNN7EXAMPLE', 'an AWS access key id'],
    ['hvs.CAESIJ0123456789abcdefghijklmnopqrstuvwxyz', 'a Vault token'],
    ['00' + 'a'.repeat(40), 'an Okta API token'],
  ])('non-compliant: a known credential format anywhere (%s)', (value, kind) => {
    const stack = newStack();
    new LogpushJob(stack, 'Job', { accountId: ACCOUNT, destinationConf: 'r2://b/p', name: value });
    expect(problems(stack)).toEqual([`cloudflare_logpush_job.Job: name holds ${kind}`]);
  });

  test('non-compliant: a secret variable that is not sensitive, or has a default', () => {
    const stack = newStack();
    new TerraformVariable(stack, 'okta_api_token', { type: 'string' });
    new TerraformVariable(stack, 'webhook_secret', { type: 'string', sensitive: true, default: 'changeme' });
    expect(problems(stack)).toEqual([
      'var.okta_api_token: a secret variable is not sensitive',
      'var.webhook_secret: a secret variable has a default value',
    ]);
  });

  test('non-compliant: an output carrying a sensitive variable or a secret attribute is not sensitive', () => {
    const stack = newStack();
    const v = new TerraformVariable(stack, 'r2_credential', { type: 'string', sensitive: true });
    new TerraformOutput(stack, 'leak', { value: v.stringValue });
    const secret = new SecretV1(stack, 'Secret', {
      metadata: { name: 's' },
      dataWo: { k: v.stringValue },
      dataWoRevision: 1,
    });
    new TerraformOutput(stack, 'leak2', { value: `${secret.metadata.name}` });
    new TerraformOutput(stack, 'client_secret', { value: 'x' });
    const found = problems(stack);
    expect(found).toContain('output.leak: it carries sensitive var.r2_credential without being sensitive');
    expect(found).toContain('output.client_secret: a secret output is not sensitive');
    expect(found.some((p) => p.startsWith('output.leak2'))).toBe(false);
  });

  test('configuration attributes that mention tokens are not credentials', () => {
    for (const name of [
      'token_endpoint_auth_method',
      'token_ttl',
      'refresh_token_rotation',
      'token_type',
      'token_policies',
    ]) {
      expect(isSecretName(name)).toBe(false);
    }
    for (const name of ['client_secret', 'token', 'api_token', 'password', 'secret_access_key', 'private_key']) {
      expect(isSecretName(name)).toBe(true);
    }
  });

  test('a reference in a secret attribute is compliant', () => {
    const stack = newStack();
    const v = new TerraformVariable(stack, 'client_secret', { type: 'string', sensitive: true });
    new LogpushJob(stack, 'Job', { accountId: ACCOUNT, destinationConf: 'r2://b/p' }).addOverride(
      'client_secret',
      v.stringValue,
    );
    expect(problems(stack)).toEqual([]);
  });

  test('not applicable: an empty stack', () => {
    expect(MCP_SEC_5.evaluate(new SynthesizedStack({} as JsonObject))).toEqual([]);
  });
});
