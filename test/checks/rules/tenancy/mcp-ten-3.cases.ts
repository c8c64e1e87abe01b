import { Policy } from '@cdktf/provider-vault/lib/policy';
import { MCP_ID_8 } from '../../../../lib/checks/rules/identity/mcp-id-8';
import { MCP_TEN_3 } from '../../../../lib/checks/rules/tenancy/mcp-ten-3';
import { Construct } from '../../../../lib/core/cdktf';
import type { JsonObject } from '../../../../lib/model/json';
import { SynthesizedApp } from '../../../../lib/model/stack';
import { SecureMcpAccess } from '../../../../lib/patterns/secure-mcp-access';
import { baseProps, clone, newStack, rawJson, withProviders } from '../../../helpers';
import { build } from './decommissioned';

type Resources = Record<string, Record<string, JsonObject>>;

const evaluate = (json: JsonObject) => MCP_TEN_3.evaluate(new SynthesizedApp([{ name: 'test', json }]).stacks[0]);
const failures = (json: JsonObject) =>
  evaluate(json)
    .filter((e) => e.status !== 'compliant')
    .map((e) => `${e.status} ${e.address}: ${e.detail}`);

function entry(json: JsonObject, type: string, prefix: string): JsonObject {
  const found = Object.entries((json.resource as Resources)[type] ?? {}).filter(([name]) => name.startsWith(prefix));
  expect(found).toHaveLength(1);
  return found[0][1];
}

describe('MCP-TEN-3: a decommissioned tenant has no way in left', () => {
  let json: JsonObject;
  beforeAll(() => {
    json = build();
  });

  test('compliant: what stays of globex is its inactive auth server, Vault mounts and key, and locked bucket', () => {
    const results = evaluate(json);
    expect(results.map((e) => `${e.status} ${e.address.replace(/_[0-9A-F]{8}$/, '')}`).sort()).toEqual([
      'compliant cloudflare_r2_bucket.Mcp_globex_Audit_Bucket',
      'compliant cloudflare_r2_bucket_lock.Mcp_globex_Audit_Bucket_Lock',
      'compliant okta_auth_server.Mcp_globex_Identity_AuthServer',
      'compliant vault_kv_secret_backend_v2.Mcp_globex_Secrets_KvConfig',
      'compliant vault_mount.Mcp_globex_Secrets_KvMount',
      'compliant vault_mount.Mcp_globex_Secrets_TransitMount',
      'compliant vault_transit_secret_backend_key.Mcp_globex_Secrets_TransitKey',
    ]);
    expect(entry(json, 'okta_auth_server', 'Mcp_globex_').status).toBe('INACTIVE');
  });

  test('not applicable: an app without decommissioned tenants gives no evaluation', () => {
    const stack = withProviders(newStack(), { deployable: true });
    new SecureMcpAccess(stack, 'Mcp', baseProps(['acme', 'globex']));
    expect(evaluate(rawJson(stack))).toEqual([]);
  });

  test("non-compliant: the decommissioned tenant's authorization server is active again", () => {
    const edited = clone(json);
    entry(edited, 'okta_auth_server', 'Mcp_globex_').status = 'ACTIVE';
    expect(failures(edited)).toEqual([
      expect.stringMatching(
        /^non-compliant okta_auth_server\.Mcp_globex_Identity_AuthServer_[0-9A-F]{8}: tenant 'globex' is decommissioned in stack test, but its authorization server's status is "ACTIVE": it still issues tokens$/,
      ),
    ]);
  });

  test("non-compliant: a resource of the decommissioned tenant's former cell is put back (an Access application)", () => {
    const edited = clone(json);
    const apps = (edited.resource as Resources).cloudflare_zero_trust_access_application;
    const acme = Object.entries(apps).find(([name]) => name.startsWith('Mcp_acme_'))![1];
    apps.Mcp_globex_Transport_AccessApplication_00000000 = {
      ...clone(acme),
      name: 'mcp-globex',
      domain: 'globex.mcp.example.com',
      '//': { metadata: { path: 'test/Mcp/globex/Transport/AccessApplication' } },
    };
    expect(failures(edited)).toEqual([
      "non-compliant cloudflare_zero_trust_access_application.Mcp_globex_Transport_AccessApplication_00000000: tenant 'globex' is decommissioned in stack test, but this resource of type cloudflare_zero_trust_access_application is still declared for it: it is a way in, and only data-bearing resources may stay",
    ]);
  });

  test("non-compliant: a shared Vault policy still grants the decommissioned tenant's paths", () => {
    const edited = build((stack) => {
      new Policy(new Construct(stack, 'Ops'), 'Policy', {
        name: 'ops',
        policy: 'path "tenants/globex/kv/data/*" { capabilities = ["read"] }',
      });
    });
    expect(failures(edited)).toEqual([
      expect.stringMatching(
        /^non-compliant vault_policy\.Ops_Policy_[0-9A-F]{8}: policy 'path "tenants\/globex\/kv\/data\/\*" \{ capabilities = \["read"\] \}' names decommissioned tenant 'globex'$/,
      ),
    ]);
  });

  test('non-compliant: a shared resource names the decommissioned tenant twice (a group and a Vault path), one finding listing both', () => {
    const edited = clone(json);
    (edited.resource as Resources).vault_policy = {
      ops: { name: 'mcp-globex-users', policy: 'path "tenants/globex/kv/data/*" { capabilities = ["read"] }' },
    };
    expect(failures(edited)).toEqual([
      `non-compliant vault_policy.ops: name 'mcp-globex-users' names decommissioned tenant 'globex'; policy 'path "tenants/globex/kv/data/*" { capabilities = ["read"] }' names decommissioned tenant 'globex'`,
    ]);
  });

  test("non-compliant: a shared resource references the decommissioned tenant's mount", () => {
    const edited = clone(json);
    const kv = Object.keys((edited.resource as Resources).vault_mount).find((n) =>
      n.startsWith('Mcp_globex_Secrets_Kv'),
    )!;
    (edited.resource as Resources).vault_policy = {
      ops: { name: 'ops', policy: `path "\${vault_mount.${kv}.path}/data/*" { capabilities = ["read"] }` },
    };
    expect(failures(edited)).toEqual([
      `non-compliant vault_policy.ops: policy references vault_mount.${kv} of decommissioned tenant 'globex'`,
    ]);
  });

  test("undecided: the auth server's status comes from a variable without a default", () => {
    const edited = clone(json);
    entry(edited, 'okta_auth_server', 'Mcp_globex_').status = '${var.status}';
    (edited.variable as JsonObject).status = { type: 'string' };
    const results = evaluate(edited).filter((e) => e.status !== 'compliant');
    expect(results).toHaveLength(1);
    expect(results[0].status).toBe('undecided');
    expect(results[0].detail).toMatch(/^status of tenant 'globex''s authorization server cannot be read \(/);
  });

  test('the same variable with a default of INACTIVE is judged by that default', () => {
    const edited = clone(json);
    entry(edited, 'okta_auth_server', 'Mcp_globex_').status = '${var.status}';
    (edited.variable as JsonObject).status = { type: 'string', default: 'INACTIVE' };
    expect(failures(edited)).toEqual([]);
  });
});

describe("MCP-ID-8 and a decommissioned tenant's inactive authorization server", () => {
  const judge = (json: JsonObject) =>
    MCP_ID_8.evaluate(new SynthesizedApp([{ name: 'test', json }]).stacks[0])
      .filter((e) => e.address.includes('_globex_'))
      .map((e) => `${e.status}${e.detail ? `: ${e.detail}` : ''}`);
  let json: JsonObject;
  beforeAll(() => {
    json = build();
  });

  test('compliant: an INACTIVE server needs no tid claim (it issues no token)', () => {
    expect(judge(json)).toEqual(['compliant']);
  });

  test('non-compliant: the same server ACTIVE without a tid claim', () => {
    const edited = clone(json);
    entry(edited, 'okta_auth_server', 'Mcp_globex_').status = 'ACTIVE';
    expect(judge(edited)).toEqual([
      "non-compliant: it has no tid claim: its tokens do not say they are for tenant 'globex'",
    ]);
  });

  test('undecided: its status cannot be read', () => {
    const edited = clone(json);
    entry(edited, 'okta_auth_server', 'Mcp_globex_').status = '${var.status}';
    (edited.variable as JsonObject).status = { type: 'string' };
    expect(judge(edited)).toEqual([expect.stringMatching(/^undecided: it has no tid claim, and status: /)]);
  });
});
