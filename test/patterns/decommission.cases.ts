import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runFleet } from '../../examples/fleet/main';
import { McpAccessChecks } from '../../lib/checks/pack';
import { TerraformVariable } from '../../lib/core/cdktf';
import type { JsonObject } from '../../lib/model/json';
import { SecureMcpAccess, type SecureMcpTenant } from '../../lib/patterns/secure-mcp-access';
import { baseProps, newStack, rawJson, withProviders } from '../helpers';

type Resources = Record<string, Record<string, JsonObject>>;

function build(tenants: SecureMcpTenant[]): { json: JsonObject; mcp: SecureMcpAccess } {
  const stack = withProviders(newStack(), { deployable: true });
  const webhook = new TerraformVariable(stack, 'alert_webhook_url', { type: 'string', sensitive: true });
  const mcp = new SecureMcpAccess(stack, 'Mcp', {
    ...baseProps(['acme'], { audit: { alertWebhookUrl: webhook.stringValue } }),
    tenants,
  });
  return { json: rawJson(stack), mcp };
}

/** Resource address -> body without cdktf's metadata. */
function bodies(json: JsonObject): Map<string, JsonObject> {
  const out = new Map<string, JsonObject>();
  for (const [type, instances] of Object.entries((json.resource ?? {}) as Resources)) {
    for (const [name, body] of Object.entries(instances)) {
      const rest = { ...body };
      delete rest['//'];
      out.set(`${type}.${name}`, rest);
    }
  }
  return out;
}

describe('decommissioning a tenant of SecureMcpAccess', () => {
  let before: Map<string, JsonObject>;
  let after: Map<string, JsonObject>;
  let afterJson: JsonObject;
  let mcp: SecureMcpAccess;
  beforeAll(() => {
    before = bodies(build([{ id: 'acme' }, { id: 'globex' }]).json);
    const built = build([{ id: 'acme' }, { id: 'globex', decommissioned: true }]);
    afterJson = built.json;
    after = bodies(afterJson);
    mcp = built.mcp;
  });

  test('keeps the data-bearing resources at the addresses they had, changing only the auth server status', () => {
    const kept = [...after.keys()].filter((a) => a.includes('_globex_')).sort();
    expect(kept.map((a) => a.replace(/_[0-9A-F]{8}$/, ''))).toEqual([
      'cloudflare_r2_bucket.Mcp_globex_Audit_Bucket',
      'cloudflare_r2_bucket_lock.Mcp_globex_Audit_Bucket_Lock',
      'okta_auth_server.Mcp_globex_Identity_AuthServer',
      'vault_kv_secret_backend_v2.Mcp_globex_Secrets_KvConfig',
      'vault_mount.Mcp_globex_Secrets_KvMount',
      'vault_mount.Mcp_globex_Secrets_TransitMount',
      'vault_transit_secret_backend_key.Mcp_globex_Secrets_TransitKey',
    ]);
    for (const address of kept) {
      const was = before.get(address);
      expect([address, was === undefined]).toEqual([address, false]);
      if (address.startsWith('okta_auth_server.')) {
        expect(was!.status).toBe('ACTIVE');
        expect(after.get(address)).toEqual({ ...was, status: 'INACTIVE' });
      } else expect([address, after.get(address)]).toEqual([address, was]);
    }
    // Data stays protected from a destroy.
    for (const address of kept.filter((a) => !a.startsWith('vault_kv_secret_backend_v2.'))) {
      expect([address, (after.get(address)!.lifecycle as JsonObject)?.prevent_destroy]).toEqual([address, true]);
    }
  });

  test('removes every way in: Access, tunnel, DNS, Okta policies and groups, workload, Vault roles, writer', () => {
    const gone = [...before.keys()].filter((a) => a.includes('_globex_') && !after.has(a));
    const types = new Set(gone.map((a) => a.split('.')[0]));
    for (const type of [
      'cloudflare_zero_trust_access_application',
      'cloudflare_zero_trust_tunnel_cloudflared',
      'cloudflare_dns_record',
      'okta_auth_server_policy',
      'okta_auth_server_policy_rule',
      'okta_auth_server_scope',
      'okta_auth_server_claim',
      'okta_group',
      'kubernetes_namespace_v1',
      'kubernetes_deployment_v1',
      'vault_policy',
      'vault_kubernetes_auth_backend_role',
      'cloudflare_account_token',
    ]) {
      expect([type, types.has(type)]).toEqual([type, true]);
    }
    // No output tells anyone how to connect to it.
    expect(Object.keys(afterJson.output as JsonObject).filter((o) => o.startsWith('globex_'))).toEqual([]);
  });

  test('leaves every other tenant and the shared pieces byte-identical', () => {
    const others = [...before.keys()].filter((a) => !a.includes('_globex_'));
    expect(others.length).toBeGreaterThan(40);
    for (const address of others) expect([address, after.get(address)]).toEqual([address, before.get(address)]);
    expect([...after.keys()].filter((a) => !a.includes('_globex_')).sort()).toEqual(others.sort());
  });

  test('the rule pack passes the result', () => {
    expect(McpAccessChecks.check(afterJson).findings.map((f) => `${f.ruleId} ${f.address}`)).toEqual([]);
  });

  test('cell() refuses a decommissioned tenant and names decommissionedCell(); that one returns what stays', () => {
    expect(() => mcp.cell('globex')).toThrow(
      "SecureMcpAccess tenant 'globex' is decommissioned: use decommissionedCell('globex')",
    );
    expect(mcp.decommissionedCell('globex').identity.authServer.node.path).toBe('test/Mcp/globex/Identity/AuthServer');
    expect(() => mcp.decommissionedCell('acme')).toThrow("SecureMcpAccess has no decommissioned tenant 'acme'");
  });
});

describe('decommissioning a tenant of a fleet', () => {
  const example = path.join(__dirname, '../../examples/fleet');
  function synth(edit: (tenants: JsonObject[]) => void): { stacks: Record<string, string>; lock: string } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-decommission-'));
    try {
      const fleet = JSON.parse(fs.readFileSync(path.join(example, 'fleet.json'), 'utf8')) as JsonObject;
      edit(fleet.tenants as JsonObject[]);
      fs.writeFileSync(path.join(dir, 'fleet.json'), JSON.stringify(fleet));
      fs.copyFileSync(path.join(example, 'fleet.lock.jsonl'), path.join(dir, 'fleet.lock.jsonl'));
      runFleet({ fleetFile: path.join(dir, 'fleet.json'), outdir: path.join(dir, 'out') });
      const stacks: Record<string, string> = {};
      for (const name of fs.readdirSync(path.join(dir, 'out', 'stacks'))) {
        stacks[name] = fs.readFileSync(path.join(dir, 'out', 'stacks', name, 'cdk.tf.json'), 'utf8');
      }
      return { stacks, lock: fs.readFileSync(path.join(dir, 'fleet.lock.jsonl'), 'utf8') };
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  test('changes only its cell stack, keeps its lock line, and passes the rule pack across the app', () => {
    const active = synth(() => {});
    const retired = synth((tenants) => {
      tenants.find((t) => t.id === 'umbrella')!.decommissioned = true;
    });
    expect(retired.lock).toBe(active.lock);
    const changed = Object.keys(active.stacks).filter((n) => active.stacks[n] !== retired.stacks[n]);
    expect(changed).toEqual(['cells-eu-1-002']);
    const cell = JSON.parse(retired.stacks['cells-eu-1-002']) as JsonObject;
    expect(Object.keys(cell.resource as Resources).sort()).toEqual([
      'cloudflare_r2_bucket',
      'cloudflare_r2_bucket_lock',
      'okta_auth_server',
      'vault_kv_secret_backend_v2',
      'vault_mount',
      'vault_transit_secret_backend_key',
    ]);
    const reports = McpAccessChecks.checkApp(
      Object.entries(retired.stacks).map(([name, text]) => ({ name, json: JSON.parse(text) as JsonObject })),
    );
    expect(reports.flatMap((r) => r.findings.map((f) => `${r.stack} ${f.ruleId} ${f.address}`))).toEqual([]);
  });

  test('fails at synth with the runbook when a placed tenant is removed outright', () => {
    expect(() =>
      synth((tenants) => {
        tenants.splice(
          tenants.findIndex((t) => t.id === 'umbrella'),
          1,
        );
      }),
    ).toThrow(
      'tenant umbrella was removed from the fleet description, but fleet.lock.jsonl records it: their audit buckets are locked and their Vault mounts and auth servers hold data. Put it back with "decommissioned": true (every way in is removed, the data stays until retention ends); to delete a tenant for good after its retention, follow docs/fleets.md#deleting-a-tenant-after-retention',
    );
  });
});
