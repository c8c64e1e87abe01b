import { runChecks } from '../../../../lib/checks/engine';
import { MCP_SEC_7 } from '../../../../lib/checks/rules/secrets/mcp-sec-7';
import { SynthesizedStack, type JsonObject } from '../../../../lib/model/stack';
import { evaluate, problems } from './fixtures';

/** A stack that holds a tunnel token and a writer token in state, with `terraform` as given. */
function holding(
  terraform: JsonObject | undefined,
  extra: Record<string, Record<string, JsonObject>> = {},
): JsonObject {
  return {
    ...(terraform === undefined ? {} : { terraform }),
    data: { cloudflare_zero_trust_tunnel_cloudflared_token: { acme: { account_id: 'a', tunnel_id: 't' } } },
    resource: { cloudflare_account_token: { writer: { name: 'mcp-audit-acme-writer' } }, ...extra },
  };
}

const NAMED =
  'the tunnel token data.cloudflare_zero_trust_tunnel_cloudflared_token.acme.token, the audit writer token cloudflare_account_token.writer.value';

describe('MCP-SEC-7', () => {
  test.each<[string, JsonObject, string]>([
    ['s3 with encrypt = true', { backend: { s3: { bucket: 'b', key: 'k', encrypt: true } } }, 'terraform.backend.s3'],
    [
      's3 with encrypt = "true" and a KMS key',
      { backend: { s3: { bucket: 'b', key: 'k', encrypt: 'true', kms_key_id: 'arn:aws:kms:eu-west-1:1:key/x' } } },
      'terraform.backend.s3',
    ],
    [
      'gcs with a KMS key',
      { backend: { gcs: { bucket: 'b', kms_encryption_key: 'projects/p/keys/k' } } },
      'terraform.backend.gcs',
    ],
    [
      'gcs with a customer-supplied encryption_key',
      { backend: { gcs: { bucket: 'b', encryption_key: 'c2VjcmV0LWtleS1vZi0zMi1ieXRlcy1sb25nLi4uLi4=' } } },
      'terraform.backend.gcs',
    ],
    [
      'gcs with a kms_encryption_key that is set but not a string (Terraform reads a number as its string)',
      { backend: { gcs: { bucket: 'b', kms_encryption_key: 12345 } } },
      'terraform.backend.gcs',
    ],
    ['azurerm', { backend: { azurerm: { container_name: 'tfstate', key: 'k' } } }, 'terraform.backend.azurerm'],
    ['remote (HCP Terraform)', { backend: { remote: { organization: 'acme' } } }, 'terraform.backend.remote'],
    ['a cloud block', { cloud: { organization: 'acme', workspaces: { name: 'mcp' } } }, 'terraform.cloud'],
  ])('compliant: %s', (_name, terraform, address) => {
    expect(evaluate(MCP_SEC_7, holding(terraform))).toEqual([{ address, status: 'compliant' }]);
  });

  test('not applicable: a stack with no secret in state, whatever its backend', () => {
    expect(
      evaluate(MCP_SEC_7, {
        terraform: { backend: { local: { path: 'x' } } },
        resource: { vault_mount: { kv: { path: 'tenants/acme/kv' } } },
      }),
    ).toEqual([]);
  });

  test.each<[string, JsonObject | undefined, string, string]>([
    [
      'the local backend',
      { backend: { local: { path: 'terraform.tfstate' } } },
      'terraform.backend.local',
      'backend local (plaintext JSON on disk)',
    ],
    ['no backend at all (local)', undefined, 'terraform.backend.local', 'backend local (plaintext JSON on disk)'],
    [
      's3 without encrypt',
      { backend: { s3: { bucket: 'b', key: 'k' } } },
      'terraform.backend.s3',
      'backend s3 without encrypt = true',
    ],
    [
      's3 with encrypt = false',
      { backend: { s3: { bucket: 'b', key: 'k', encrypt: false } } },
      'terraform.backend.s3',
      'backend s3 without encrypt = true',
    ],
    [
      'gcs with Google-managed keys only',
      { backend: { gcs: { bucket: 'b' } } },
      'terraform.backend.gcs',
      'backend gcs without kms_encryption_key (only Google-managed keys)',
    ],
    [
      'gcs with an empty kms_encryption_key',
      { backend: { gcs: { bucket: 'b', kms_encryption_key: '' } } },
      'terraform.backend.gcs',
      'backend gcs without kms_encryption_key (only Google-managed keys)',
    ],
    [
      'gcs with a blank encryption_key (spaces only)',
      { backend: { gcs: { bucket: 'b', encryption_key: '   ' } } },
      'terraform.backend.gcs',
      'backend gcs without kms_encryption_key (only Google-managed keys)',
    ],
    [
      'gcs with kms_encryption_key null',
      { backend: { gcs: { bucket: 'b', kms_encryption_key: null } } },
      'terraform.backend.gcs',
      'backend gcs without kms_encryption_key (only Google-managed keys)',
    ],
    [
      'consul',
      { backend: { consul: { path: 'mcp' } } },
      'terraform.backend.consul',
      'backend consul (not one that encrypts state by itself)',
    ],
    [
      'kubernetes',
      { backend: { kubernetes: { secret_suffix: 'mcp' } } },
      'terraform.backend.kubernetes',
      'backend kubernetes (not one that encrypts state by itself)',
    ],
  ])('non-compliant (a warning): %s', (_name, terraform, address, why) => {
    expect(evaluate(MCP_SEC_7, holding(terraform))).toEqual([
      { address, status: 'non-compliant', detail: `${why} keeps 2 secret values in state: ${NAMED}` },
    ]);
  });

  test('names each kind of state secret: a confidential client, non-write-only secret data, a reviewer JWT', () => {
    const json = holding(undefined, {
      okta_app_oauth: {
        web: { label: 'web', type: 'web', token_endpoint_auth_method: 'client_secret_basic' },
        pkce: { label: 'cli', type: 'native', token_endpoint_auth_method: 'none' },
        omitted: { label: 'svc', type: 'service', omit_secret: true },
      },
      kubernetes_secret_v1: { plain: { data: { token: '${var.t}' } }, wo: { data_wo: { token: '${var.t}' } } },
      vault_kubernetes_auth_backend_config: { cfg: { token_reviewer_jwt: '${var.jwt}' } },
    });
    const [result] = evaluate(MCP_SEC_7, json);
    expect(result.detail).toBe(
      `backend local (plaintext JSON on disk) keeps 5 secret values in state: ${NAMED}, the client secret of a confidential app okta_app_oauth.web.client_secret, the token reviewer JWT vault_kubernetes_auth_backend_config.cfg.token_reviewer_jwt, secret data (not write-only) kubernetes_secret_v1.plain.data`,
    );
  });

  test("names a service account's Access client secret", () => {
    const json = holding(undefined, {
      cloudflare_zero_trust_access_service_token: { bot: { name: 'mcp-acme-svc-bot', duration: '8760h' } },
    });
    const [result] = evaluate(MCP_SEC_7, json);
    expect(result.detail).toBe(
      `backend local (plaintext JSON on disk) keeps 3 secret values in state: ${NAMED}, a service account's Access client secret cloudflare_zero_trust_access_service_token.bot.client_secret`,
    );
  });

  test('a long list is cut after six values', () => {
    const tokens = Object.fromEntries([...Array(8).keys()].map((i) => [`t${i}`, { account_id: 'a' }]));
    const json: JsonObject = { data: { cloudflare_zero_trust_tunnel_cloudflared_token: tokens } };
    expect(problems(evaluate(MCP_SEC_7, json))).toEqual([
      ['non-compliant', expect.stringMatching(/keeps 8 secret values in state: .*t5\.token and 2 more$/)],
    ]);
  });

  test('six values are all named, with nothing counted after them', () => {
    const tokens = Object.fromEntries([...Array(6).keys()].map((i) => [`t${i}`, { account_id: 'a' }]));
    const json: JsonObject = { data: { cloudflare_zero_trust_tunnel_cloudflared_token: tokens } };
    expect(evaluate(MCP_SEC_7, json)).toEqual([
      {
        address: 'terraform.backend.local',
        status: 'non-compliant',
        detail:
          'backend local (plaintext JSON on disk) keeps 6 secret values in state: ' +
          'the tunnel token data.cloudflare_zero_trust_tunnel_cloudflared_token.t0.token, ' +
          'the tunnel token data.cloudflare_zero_trust_tunnel_cloudflared_token.t1.token, ' +
          'the tunnel token data.cloudflare_zero_trust_tunnel_cloudflared_token.t2.token, ' +
          'the tunnel token data.cloudflare_zero_trust_tunnel_cloudflared_token.t3.token, ' +
          'the tunnel token data.cloudflare_zero_trust_tunnel_cloudflared_token.t4.token, ' +
          'the tunnel token data.cloudflare_zero_trust_tunnel_cloudflared_token.t5.token',
      },
    ]);
  });

  test('a warning, silenced for the stack by a suppression with a reason (state encrypted another way)', () => {
    const json = holding(undefined);
    expect(runChecks(new SynthesizedStack(json), [MCP_SEC_7]).findings.map((f) => [f.ruleId, f.level])).toEqual([
      ['MCP-SEC-7', 'warning'],
    ]);
    json['//'] = {
      mcp_access: { suppressions: [{ ruleId: 'MCP-SEC-7', reason: 'state lives on an encrypted CI volume' }] },
    };
    const report = runChecks(new SynthesizedStack(json), [MCP_SEC_7]);
    expect(report.findings).toEqual([]);
    expect(report.suppressed.map((f) => f.reason)).toEqual(['state lives on an encrypted CI volume']);
  });
});
