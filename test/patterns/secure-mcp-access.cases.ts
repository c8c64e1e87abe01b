import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { McpAccessChecks } from '../../lib/checks/pack';
import { Testing, TerraformVariable, type TerraformStack } from '../../lib/core/cdktf';
import { SecureMcpAccess, type SecureMcpAccessProps, SecureMcpCell } from '../../lib/patterns/secure-mcp-access';
import { baseProps, newAppStack, newStack, rawJson, synthApp, withProviders } from '../helpers';
import type { JsonObject } from '../../lib/model/stack';

type Resources = Record<string, Record<string, JsonObject>>;

/** A stack with SecureMcpAccess for `tenants` (an alert webhook from a sensitive variable). */
function build(
  tenants: string[],
  extra: Partial<SecureMcpAccessProps> = {},
): { stack: TerraformStack; mcp: SecureMcpAccess } {
  const stack = withProviders(newStack(), { deployable: true });
  const webhook = new TerraformVariable(stack, 'alert_webhook_url', { type: 'string', sensitive: true });
  const mcp = new SecureMcpAccess(stack, 'Mcp', {
    ...baseProps(tenants, { audit: { alertWebhookUrl: webhook.stringValue } }),
    ...extra,
  });
  return { stack, mcp };
}

/** Every resource and data source address -> body, with cdktf metadata removed. */
function addresses(json: JsonObject): Map<string, string> {
  const out = new Map<string, string>();
  for (const [mode, block] of [
    ['resource', json.resource],
    ['data', json.data],
  ] as const) {
    for (const [type, instances] of Object.entries((block ?? {}) as Resources)) {
      for (const [name, body] of Object.entries(instances)) {
        const rest = { ...body };
        delete rest['//'];
        out.set(`${mode === 'data' ? 'data.' : ''}${type}.${name}`, JSON.stringify(rest));
      }
    }
  }
  return out;
}

function countByType(json: JsonObject): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const [type, instances] of Object.entries((json.resource ?? {}) as Resources)) {
    counts[type] = Object.keys(instances).length;
  }
  return counts;
}

describe('SecureMcpAccess', () => {
  let one: JsonObject;
  let three: JsonObject;
  let threeMcp: SecureMcpAccess;
  beforeAll(() => {
    one = rawJson(build(['acme']).stack);
    const built = build(['acme', 'globex', 'initech']);
    three = rawJson(built.stack);
    threeMcp = built.mcp;
  });

  test('provisions one cell per tenant and the shared pieces once', () => {
    const c1 = countByType(one);
    const c3 = countByType(three);
    const perTenant = [
      'okta_auth_server',
      'okta_auth_server_claim',
      'cloudflare_zero_trust_tunnel_cloudflared',
      'cloudflare_zero_trust_tunnel_cloudflared_config',
      'cloudflare_zero_trust_access_application',
      'cloudflare_dns_record',
      'kubernetes_namespace_v1',
      'kubernetes_deployment_v1',
      'kubernetes_service_account_v1',
      'kubernetes_resource_quota_v1',
      'kubernetes_pod_disruption_budget_v1',
      'vault_kubernetes_auth_backend_role',
      'vault_transit_secret_backend_key',
    ];
    for (const type of perTenant) {
      expect([type, c1[type]]).toEqual([type, 1]);
      expect([type, c3[type]]).toEqual([type, 3]);
    }
    // Two sign-on policies, shared: the MCP client's (two factors) and the admin client's (hardware key).
    expect([c1.okta_app_signon_policy, c3.okta_app_signon_policy]).toEqual([2, 2]);
    const shared = [
      'okta_authenticator',
      'cloudflare_zero_trust_access_identity_provider',
      'cloudflare_logpush_job',
      'vault_auth_backend',
      'vault_audit',
    ];
    for (const type of shared) {
      expect([type, c1[type]]).toEqual([type, 1]);
      expect([type, c3[type]]).toEqual([type, 1]);
    }
    // No human login to Vault unless vault.humanLogin asks for one.
    expect(c3.vault_jwt_auth_backend).toBeUndefined();
    expect(c3.okta_app_oauth).toBe(3);
    expect(c3.vault_mount).toBe(6);
    expect(c3.cloudflare_r2_bucket).toBe(4);
    expect(c3.kubernetes_service_v1).toBeUndefined();
    expect(c3.kubernetes_ingress_v1).toBeUndefined();
  });

  test('wires the layers together by reference', () => {
    const acme = threeMcp.cell('acme');
    const res = three.resource as Resources;
    const deployment = Object.values(res.kubernetes_deployment_v1).find((d) =>
      JSON.stringify(d).includes('"mcp-acme"'),
    );
    const env = JSON.stringify(deployment);
    expect(env).toContain('"MCP_BIND_ADDRESS"');
    expect(env).toContain('"127.0.0.1"');
    expect(env).toContain('https://acme.mcp.example.com/mcp');
    expect(env).toContain('audit-shipper');
    const secrets = Object.values(res.kubernetes_secret_v1).map((s) => JSON.stringify(s));
    expect(
      secrets.some((s) => s.includes('data.cloudflare_zero_trust_tunnel_cloudflared_token.Mcp_acme_Transport')),
    ).toBe(true);
    expect(acme.transport.tunnelToken).toMatch(/^\$\{TfToken\[/);
    const idp = Object.values(res.cloudflare_zero_trust_access_identity_provider)[0];
    expect(JSON.stringify(idp)).toContain('okta_app_oauth.Mcp_Shared_OktaClients_AccessIdpApp');
  });

  test('emits per-tenant outputs named <tenant>_<what>', () => {
    const outputs = three.output as Record<string, { value: string; sensitive?: boolean }>;
    for (const t of ['acme', 'globex', 'initech']) {
      for (const what of [
        'connect_command',
        'local_mcp_url',
        'issuer',
        'audience',
        'client_id',
        'admin_client_id',
        'mcp_client_config',
      ]) {
        expect(Object.keys(outputs)).toContain(`${t}_${what}`);
      }
    }
    expect(outputs.acme_connect_command.value).toBe(
      'cloudflared access tcp --hostname acme.mcp.example.com --url 127.0.0.1:27615',
    );
    expect(outputs.acme_local_mcp_url.value).toBe('http://127.0.0.1:27615/mcp');
    expect(outputs.acme_audience.value).toBe('https://acme.mcp.example.com/mcp');
    expect(outputs.acme_mcp_client_config.value).toMatch(/^\$\{jsonencode\(/);
    expect(outputs.acme_mcp_client_config.value).toContain('"resource" = "https://acme.mcp.example.com/mcp"');
  });

  test('a tenant local port changes its connect command and local URL only', () => {
    const json = rawJson(build(['acme'], { tenants: [{ id: 'acme', localPort: 7710 }] }).stack);
    const outputs = json.output as Record<string, { value: string }>;
    expect(outputs.acme_connect_command.value).toBe(
      'cloudflared access tcp --hostname acme.mcp.example.com --url 127.0.0.1:7710',
    );
    expect(JSON.stringify(json.resource)).toContain('http://127.0.0.1:7710/mcp');
  });

  test('reads the Access team domain from the account, or uses the one given', () => {
    expect(Object.keys((one.data as Resources).cloudflare_zero_trust_organization)).toHaveLength(1);
    const given = rawJson(
      build(['acme'], { cloudflare: { ...baseProps().cloudflare, teamDomain: 'example.cloudflareaccess.com' } }).stack,
    );
    expect((given.data as Resources).cloudflare_zero_trust_organization).toBeUndefined();
    expect(JSON.stringify(given.resource)).toContain('https://example.cloudflareaccess.com/cdn-cgi/access/callback');
  });

  test('the rule pack finds nothing on the default output', () => {
    for (const json of [one, three]) {
      const report = McpAccessChecks.check(json);
      expect(report.findings.map((f) => `${f.ruleId} ${f.address}: ${f.detail}`)).toEqual([]);
      expect(report.applied.length).toBeGreaterThan(25);
    }
  });

  test('stable addresses: adding, removing or reordering tenants leaves every other resource unchanged', () => {
    const base = addresses(three);
    const reordered = addresses(rawJson(build(['initech', 'acme', 'globex']).stack));
    expect(reordered).toEqual(base);

    const withoutGlobex = addresses(rawJson(build(['acme', 'initech']).stack));
    for (const [address, body] of withoutGlobex) expect([address, base.get(address)]).toEqual([address, body]);
    expect(
      [...base.keys()].filter((a) => !withoutGlobex.has(a)).every((a) => /globex/.test(a) || a.includes('_globex_')),
    ).toBe(true);

    const added = addresses(rawJson(build(['acme', 'globex', 'initech', 'umbrella']).stack));
    for (const [address, body] of base) expect([address, added.get(address)]).toEqual([address, body]);
  });

  test('construct ids come from tenant ids', () => {
    expect(threeMcp.node.findChild('globex').node.path).toBe('test/Mcp/globex');
    expect(threeMcp.shared.node.path).toBe('test/Mcp/Shared');
    const tunnels = Object.keys((three.resource as Resources).cloudflare_zero_trust_tunnel_cloudflared);
    expect(tunnels.map((n) => n.split('_')[1]).sort()).toEqual(['acme', 'globex', 'initech']);
  });

  test('deterministic: two synths of the same input are byte-identical', () => {
    expect(Testing.synth(build(['acme', 'globex']).stack)).toBe(Testing.synth(build(['acme', 'globex']).stack));
  });

  test('a weakening override fails app.synth() with the rule id and the resource address', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-pattern-'));
    try {
      const { app, stack } = newAppStack(outdir);
      withProviders(stack);
      const mcp = new SecureMcpAccess(stack, 'Mcp', baseProps(['acme']));
      mcp.cell('acme').identity.useRule.addOverride('access_token_lifetime_minutes', 60);
      expect(() => app.synth()).toThrow(
        /MCP-ID-5 error okta_auth_server_policy_rule\.Mcp_acme_Identity_[A-Za-z]+_[0-9A-F]{8}: /,
      );
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('without an alert webhook the pack warns (MCP-AUD-4) but synth succeeds', () => {
    const stack = withProviders(newStack(), { deployable: true });
    const mcp = new SecureMcpAccess(stack, 'Mcp', baseProps(['acme']));
    synthApp(stack);
    expect(mcp.checks.lastReport?.findings.map((f) => `${f.ruleId} ${f.level}`)).toEqual(['MCP-AUD-4 warning']);
  });
});

describe('SecureMcpAccess: service accounts', () => {
  const BOT = {
    name: 'deploy-bot',
    publicKey: {
      kid: 'deploy-bot-2026-01',
      kty: 'EC',
      crv: 'P-256',
      x: 'UF2UcWrWVjTfil3uyYT_2BFFwHV9eb2mxfW4gf8qMfc',
      y: 'RAhsaf_fsU7whrGNUJNR_tC-JDQEiyPtD6KGnBRJ7X4',
    },
  };
  const withAccounts = (accounts: Record<string, readonly object[]>): Partial<SecureMcpAccessProps> => ({
    tenants: Object.keys(accounts).map((id) => ({
      id,
      serviceAccounts: accounts[id] as SecureMcpAccessProps['tenants'][number]['serviceAccounts'],
    })),
  });
  const problemsOf = (accounts: Record<string, readonly object[]>): readonly string[] => {
    try {
      build(['acme'], withAccounts(accounts));
    } catch (e) {
      return (e as { problems: readonly string[] }).problems;
    }
    return [];
  };

  test('per service account: the Okta client id, the Access client id, and the Access secret as a sensitive output', () => {
    const { stack } = build(['acme', 'globex'], withAccounts({ acme: [BOT], globex: [] }));
    const json = rawJson(stack);
    const outputs = json.output as Record<string, JsonObject>;
    const service = Object.keys(outputs).filter((name) => name.includes('_service_'));
    expect(service).toEqual([
      'acme_service_deploy_bot_client_id',
      'acme_service_deploy_bot_access_client_id',
      'acme_service_deploy_bot_access_client_secret',
    ]);
    const resources = json.resource as Resources;
    const [app] = Object.keys(resources.okta_app_oauth).filter((n) => n.includes('Service-deploy-bot'));
    const [token] = Object.keys(resources.cloudflare_zero_trust_access_service_token);
    expect(app).toMatch(/^Mcp_acme_Identity_Service-deploy-bot_App_[0-9A-F]{8}$/);
    expect(token).toMatch(/^Mcp_acme_Transport_Service-deploy-bot_Token_[0-9A-F]{8}$/);
    expect(outputs.acme_service_deploy_bot_client_id).toMatchObject({
      value: `\${okta_app_oauth.${app}.client_id}`,
    });
    expect(outputs.acme_service_deploy_bot_client_id.sensitive).toBeUndefined();
    expect(outputs.acme_service_deploy_bot_access_client_id).toMatchObject({
      value: `\${cloudflare_zero_trust_access_service_token.${token}.client_id}`,
    });
    expect(outputs.acme_service_deploy_bot_access_client_secret).toMatchObject({
      value: `\${cloudflare_zero_trust_access_service_token.${token}.client_secret}`,
      sensitive: true,
    });
  });

  test('a stack with service accounts (one of them admin) passes the whole rule pack with no error', () => {
    const ops = { ...BOT, name: 'ops', admin: true };
    const { stack, mcp } = build(['acme', 'globex'], withAccounts({ acme: [BOT, ops], globex: [BOT] }));
    synthApp(stack);
    const findings = mcp.checks.lastReport?.findings ?? [];
    expect(findings.filter((f) => f.level === 'error')).toEqual([]);
    expect(findings.map((f) => f.ruleId)).toEqual([]);
  });

  test('admin: true draws a warning on the service account naming the default', () => {
    const { mcp } = build(['acme'], withAccounts({ acme: [{ ...BOT, admin: true }] }));
    const account = mcp.cell('acme').identity.serviceAccounts[0];
    expect(account.node.metadata.filter((m) => m.type === '@cdktf/warn').map((m) => m.data)).toEqual([
      "admin is true instead of the default false: service account 'deploy-bot' may obtain 'mcp:acme:admin' with no hardware key behind it",
    ]);
  });

  test('fails when a service account is invalid, naming tenants[i].serviceAccounts[j].<field>', () => {
    expect(
      problemsOf({
        acme: [
          { ...BOT, name: 'Deploy_Bot' },
          { name: 'ops', jwksUri: 'http://ops.example.com/jwks', scopes: ['mcp:acme:admin'] },
          { ...BOT, accessTokenDurationHours: 8761 },
          { ...BOT },
        ],
      }),
    ).toEqual([
      "tenants[0].serviceAccounts[0].name must be a DNS label (lower-case letters, digits and '-', 1 to 63 characters, starting and ending with a letter or digit), but 'Deploy_Bot' was provided",
      "tenants[0].serviceAccounts[1].jwksUri must be an https URL, but 'http://ops.example.com/jwks' was provided",
      "tenants[0].serviceAccounts[1].admin must be true to grant 'mcp:acme:admin' (a service account has no hardware key), but undefined was provided",
      "tenants[0].serviceAccounts[3].name must be unique within the tenant, but 'deploy-bot' is also serviceAccounts[2]'s",
      'tenants[0].serviceAccounts[2].accessTokenDurationHours must be between 1 and 8760 (never forever), but 8761 was provided',
    ]);
  });

  test('fails when a tenant declares more than 20 service accounts', () => {
    const many = Array.from({ length: 21 }, (_, i) => ({ ...BOT, name: `bot-${i}` }));
    expect(problemsOf({ acme: many })).toEqual([
      'tenants[0].serviceAccounts must list at most 20 service accounts per tenant, but 21 were provided',
    ]);
  });

  test('a cell built on its own names the problems tenant.serviceAccounts[j].<field>', () => {
    const { mcp } = build(['acme']);
    expect(
      () =>
        new SecureMcpCell(withProviders(newStack()), 'globex', {
          ...baseProps(['globex']),
          tenant: { id: 'globex', serviceAccounts: [{ ...BOT, previousAccessSecretExpiresAt: 'tomorrow' }] },
          foundation: mcp.shared,
        }),
    ).toThrow(
      "tenant.serviceAccounts[0].previousAccessSecretExpiresAt must be an RFC 3339 time such as '2027-01-31T00:00:00Z', but 'tomorrow' was provided",
    );
  });
});
