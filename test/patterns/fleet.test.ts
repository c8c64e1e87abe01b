import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildFleet } from '../../examples/fleet/main';
import type { JsonObject } from '../../lib/model/stack';
import { McpAccessChecks } from '../../lib/checks/pack';
import { App } from '../../lib/core/cdktf';

type Resources = Record<string, Record<string, JsonObject>>;

/** Synthesizes the fleet example for `tenants` and reads every stack's JSON. */
function synthFleet(tenants: string[]): Record<string, JsonObject> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-fleet-'));
  try {
    const app = new App({ outdir });
    buildFleet(app, tenants);
    app.synth();
    const stacks: Record<string, JsonObject> = {};
    for (const name of fs.readdirSync(path.join(outdir, 'stacks'))) {
      stacks[name] = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', name, 'cdk.tf.json'), 'utf8'));
    }
    return stacks;
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

describe('fleet: a foundation stack and cell stacks', () => {
  let stacks: Record<string, JsonObject>;
  beforeAll(() => {
    stacks = synthFleet(['acme', 'apex', 'globex', 'initech']);
  });

  test('shards tenants into cell stacks by id and keeps the shared pieces in the foundation', () => {
    expect(Object.keys(stacks).sort()).toEqual(['cells-a', 'cells-g', 'cells-i', 'foundation']);
    const foundation = stacks.foundation.resource as Resources;
    expect(Object.keys(foundation.cloudflare_zero_trust_access_identity_provider)).toHaveLength(1);
    expect(Object.keys(foundation.cloudflare_logpush_job)).toHaveLength(1);
    expect(foundation.okta_auth_server).toBeUndefined();
    const cellsA = stacks['cells-a'].resource as Resources;
    expect(Object.keys(cellsA.okta_auth_server).sort()).toEqual([
      expect.stringMatching(/^acme_Identity_AuthServer_/),
      expect.stringMatching(/^apex_Identity_AuthServer_/),
    ]);
    expect(cellsA.cloudflare_zero_trust_access_identity_provider).toBeUndefined();
  });

  test('cells reach the foundation through remote state, never by copy', () => {
    const cellsA = stacks['cells-a'];
    const remote = (cellsA.data as Resources).terraform_remote_state;
    expect(Object.keys(remote)).toEqual([expect.stringMatching(/foundation/)]);
    const app = Object.values((cellsA.resource as Resources).cloudflare_zero_trust_access_application)[0];
    expect(JSON.stringify(app.allowed_idps)).toMatch(/data\.terraform_remote_state\.[^.]*foundation[^.]*\.outputs\./);
    const outputs = stacks.foundation.output as Record<string, { sensitive?: boolean }>;
    expect(Object.values(outputs).every((o) => o.sensitive === true)).toBe(true);
  });

  test('every stack passes the rule pack; a cell accepts, with a reason, only what it cannot see', () => {
    for (const [name, json] of Object.entries(stacks)) {
      const report = McpAccessChecks.check(json, name);
      expect([name, report.findings]).toEqual([name, []]);
      expect(report.refusedSuppressions).toEqual([]);
    }
    const cell = McpAccessChecks.check(stacks['cells-a'], 'cells-a');
    const accepted = cell.suppressed.filter((f) => f.ruleId !== 'MCP-SEC-6');
    expect(new Set(accepted.map((f) => f.ruleId))).toEqual(new Set(['MCP-ID-6', 'MCP-NET-2', 'MCP-AUD-3']));
    expect(accepted.every((f) => f.undecided)).toBe(true);
    expect(McpAccessChecks.check(stacks.foundation, 'foundation').suppressed).toEqual([]);
  });

  test('what a cell accepts as undecided still fails when the cell itself breaks the rule', () => {
    const json = JSON.parse(JSON.stringify(stacks['cells-a'])) as JsonObject;
    const apps = (json.resource as Resources).cloudflare_zero_trust_access_application;
    Object.values(apps)[0].session_duration = '24h';
    const report = McpAccessChecks.check(json, 'cells-a');
    expect(report.findings.map((f) => `${f.ruleId} ${f.level}`)).toEqual(['MCP-NET-2 error']);
  });

  test('adding a tenant to one shard leaves the other cell stacks byte-identical', () => {
    const grown = synthFleet(['acme', 'apex', 'globex', 'initech', 'gizmo']);
    expect(grown['cells-a']).toEqual(stacks['cells-a']);
    expect(grown['cells-i']).toEqual(stacks['cells-i']);
    expect(grown['cells-g']).not.toEqual(stacks['cells-g']);
  });
});
