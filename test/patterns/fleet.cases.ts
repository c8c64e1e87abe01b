import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runFleet } from '../../examples/fleet/main';
import { McpAccessChecks } from '../../lib/checks/pack';
import type { JsonObject } from '../../lib/model/json';

type Resources = Record<string, Record<string, JsonObject>>;

const EXAMPLE = path.join(__dirname, '../../examples/fleet');

interface Synthesized {
  /** Stack name -> the text of its cdk.tf.json. */
  readonly text: Record<string, string>;
  /** Stack name -> its JSON. */
  readonly json: Record<string, JsonObject>;
  /** The lock file after the synth. */
  readonly lock: string;
  readonly manifest: JsonObject;
}

/**
 * Synthesizes the fleet example from a copy of its description (edited by `edit`) and lock file, in
 * a folder of its own, as `npx cdktf synth` would with MCP_FLEET_FILE and MCP_FLEET_SHARDS.
 */
function synthFleet(edit: (fleet: JsonObject) => void = () => {}, shards?: string[], lock?: string): Synthesized {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-fleet-'));
  try {
    const fleet = JSON.parse(fs.readFileSync(path.join(EXAMPLE, 'fleet.json'), 'utf8')) as JsonObject;
    edit(fleet);
    const fleetFile = path.join(dir, 'fleet.json');
    fs.writeFileSync(fleetFile, JSON.stringify(fleet));
    fs.writeFileSync(
      path.join(dir, 'fleet.lock.jsonl'),
      lock ?? fs.readFileSync(path.join(EXAMPLE, 'fleet.lock.jsonl'), 'utf8'),
    );
    const outdir = path.join(dir, 'out');
    runFleet({ fleetFile, outdir, shards });
    const text: Record<string, string> = {};
    const json: Record<string, JsonObject> = {};
    for (const name of fs.readdirSync(path.join(outdir, 'stacks')).sort()) {
      text[name] = fs.readFileSync(path.join(outdir, 'stacks', name, 'cdk.tf.json'), 'utf8');
      json[name] = JSON.parse(text[name]) as JsonObject;
    }
    return {
      text,
      json,
      lock: fs.readFileSync(path.join(dir, 'fleet.lock.jsonl'), 'utf8'),
      manifest: JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8')) as JsonObject,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function resources(json: JsonObject, type: string): JsonObject[] {
  return Object.values(((json.resource as Resources | undefined) ?? {})[type] ?? {});
}

function tenantsOf(json: JsonObject): string[] {
  return resources(json, 'okta_auth_server')
    .map((s) => String(s.name).replace(/^mcp-/, ''))
    .sort();
}

const ALL_STACKS = [
  'cells-eu-1-001',
  'cells-eu-1-002',
  'cells-us-1-001',
  'foundation-eu-1',
  'foundation-us-1',
  'okta-example',
  'shared',
];

describe('fleet example: an Okta stack, a shared stack, a foundation per edge and cell stacks', () => {
  let fleet: Synthesized;
  beforeAll(() => {
    fleet = synthFleet();
  });

  test('writes the stacks the lock file places, and a manifest that names each of them', () => {
    expect(Object.keys(fleet.json)).toEqual(ALL_STACKS);
    expect(Object.keys(fleet.manifest.stacks as JsonObject).sort()).toEqual(ALL_STACKS);
    // The committed lock file already places every tenant: the synth leaves it as it was.
    expect(fleet.lock).toBe(fs.readFileSync(path.join(EXAMPLE, 'fleet.lock.jsonl'), 'utf8'));
  });

  test('each cell stack holds the tenants its lock lines name, at most cellSize (2)', () => {
    expect(tenantsOf(fleet.json['cells-eu-1-001'])).toEqual(['acme', 'hooli']);
    expect(tenantsOf(fleet.json['cells-eu-1-002'])).toEqual(['umbrella']);
    expect(tenantsOf(fleet.json['cells-us-1-001'])).toEqual(['globex', 'initech']);
    for (const name of ['okta-example', 'shared', 'foundation-eu-1', 'foundation-us-1']) {
      expect([name, tenantsOf(fleet.json[name])]).toEqual([name, []]);
    }
  });

  test('the shared pieces exist once: Okta clients per org, Vault auth once, per edge its Access IdP and Logpush', () => {
    expect(resources(fleet.json['okta-example'], 'okta_app_oauth')).toHaveLength(3);
    expect(resources(fleet.json.shared, 'vault_auth_backend')).toHaveLength(1);
    for (const edge of ['foundation-eu-1', 'foundation-us-1']) {
      expect([edge, resources(fleet.json[edge], 'cloudflare_zero_trust_access_identity_provider')]).toEqual([
        edge,
        [expect.anything()],
      ]);
      expect(resources(fleet.json[edge], 'cloudflare_logpush_job')).toHaveLength(1);
    }
    for (const cell of ['cells-eu-1-001', 'cells-eu-1-002', 'cells-us-1-001']) {
      expect([cell, resources(fleet.json[cell], 'cloudflare_zero_trust_access_identity_provider')]).toEqual([cell, []]);
      expect([cell, resources(fleet.json[cell], 'okta_app_oauth')]).toEqual([cell, []]);
    }
  });

  test("the Access web app redirects to every edge's team domain of its Okta org", () => {
    const apps = resources(fleet.json['okta-example'], 'okta_app_oauth').filter((a) =>
      JSON.stringify(a.redirect_uris).includes('cloudflareaccess.com'),
    );
    expect(apps).toHaveLength(1);
    expect(apps[0].redirect_uris).toEqual([
      'https://example-eu.cloudflareaccess.com/cdn-cgi/access/callback',
      'https://example-us.cloudflareaccess.com/cdn-cgi/access/callback',
    ]);
  });

  test('a cell stack reads its foundation through remote state, never by copy', () => {
    const cell = fleet.json['cells-eu-1-001'];
    const remote = Object.keys((cell.data as Resources).terraform_remote_state).sort();
    expect(remote).toEqual([
      expect.stringMatching(/foundation-eu-1/),
      expect.stringMatching(/okta-example/),
      expect.stringMatching(/shared/),
    ]);
    const apps = resources(cell, 'cloudflare_zero_trust_access_application');
    expect(apps).toHaveLength(2);
    for (const app of apps) {
      expect(JSON.stringify(app.allowed_idps)).toMatch(
        /^\["\$\{data\.terraform_remote_state\.[^.]*foundation-eu-1[^.]*\.outputs\.[^}]+\}"\]$/,
      );
    }
    // A cell of the other edge reads the other foundation.
    expect(Object.keys((fleet.json['cells-us-1-001'].data as Resources).terraform_remote_state).join()).toMatch(
      /foundation-us-1/,
    );
  });

  test('every stack passes the whole rule pack, judged with the facts of the stacks it reads, nothing suppressed', () => {
    const reports = McpAccessChecks.checkApp(Object.entries(fleet.json).map(([name, json]) => ({ name, json })));
    expect(reports).toHaveLength(7);
    for (const report of reports) {
      expect([report.stack, report.findings]).toEqual([report.stack, []]);
      expect([report.stack, report.suppressed]).toEqual([report.stack, []]);
    }
  });

  test('a cell stack checked without the stacks it reads is refused, naming what to check it with', () => {
    const alone = McpAccessChecks.check(fleet.json['cells-eu-1-002'], 'cells-eu-1-002');
    const errors = alone.findings.filter((f) => f.level === 'error');
    expect(errors.length).toBeGreaterThan(0);
    // Refused because it cannot see the foundation, never judged compliant without it.
    expect(errors.filter((f) => !f.undecided)).toEqual([]);
    expect(errors.map((f) => f.ruleId)).toContain('MCP-AUD-3');
    expect(errors.find((f) => f.ruleId === 'MCP-AUD-3')?.detail).toContain(
      'check it together with the stack that holds the job',
    );
  });

  test('one shard synthesizes alone with the stacks it reads, byte-identical to the whole fleet', () => {
    const shard = synthFleet(undefined, ['cells-eu-1-002']);
    expect(Object.keys(shard.text)).toEqual(['cells-eu-1-002', 'foundation-eu-1', 'okta-example', 'shared']);
    for (const [name, text] of Object.entries(shard.text)) expect([name, text]).toEqual([name, fleet.text[name]]);
  });

  test("the second edge's shard alone is byte-identical to the whole fleet, which wrote it after releasing the first edge's tokens", () => {
    const shard = synthFleet(undefined, ['cells-us-1-001']);
    expect(Object.keys(shard.text)).toEqual(['cells-us-1-001', 'foundation-us-1', 'okta-example', 'shared']);
    for (const [name, text] of Object.entries(shard.text)) expect([name, text]).toEqual([name, fleet.text[name]]);
  });

  test('fails when a shard names a cell stack the fleet does not have, listing the known ones', () => {
    expect(() => synthFleet(undefined, ['cells-eu-1-009'])).toThrow(
      'MCP_FLEET_SHARDS names cell stacks the fleet does not have: cells-eu-1-009 (known: cells-eu-1-001, cells-eu-1-002, cells-us-1-001)',
    );
  });

  test('adding a tenant changes only its own cell stack and adds only its lock line', () => {
    const grown = synthFleet((f) => {
      (f.tenants as JsonObject[]).push({ id: 'gizmo' });
    });
    const added = grown.lock.split('\n').filter((line) => !fleet.lock.split('\n').includes(line));
    expect(added).toEqual([expect.stringMatching(/^\{"tenant":"gizmo","edge":"(eu-1|us-1)","cell":"cells-/)]);
    const cell = (JSON.parse(added[0]) as { cell: string }).cell;
    const changed = Object.keys(grown.text).filter((name) => grown.text[name] !== fleet.text[name]);
    expect(changed).toEqual([cell]);
    expect(tenantsOf(grown.json[cell])).toContain('gizmo');
  });

  test('reordering the tenants of the description changes nothing', () => {
    const reordered = synthFleet((f) => {
      (f.tenants as JsonObject[]).reverse();
    });
    expect(reordered.text).toEqual(fleet.text);
    expect(reordered.lock).toBe(fleet.lock);
  });
});
