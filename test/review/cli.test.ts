/**
 * `mcp-access review` on synthesized output written to disk: its exit codes (0 clean, 1 blocking,
 * 2 usage, 3 needs a security reviewer), its help text, and the review of a fleet whose pull
 * request adds one tenant (examples/fleet's runFleet, synthesized into a temporary folder).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runFleet } from '../../examples/fleet/main';
import { leadingTenantCount, parseReviewArguments, REVIEW_USAGE, runReviewCommand } from '../../lib/cli/review';
import type { JsonObject } from '../../lib/model/json';
import { clone } from '../helpers';
import { fixtureJson, only } from './fixture';

type Body = Record<string, unknown>;

function run(args: string[]): { code: number; out: string; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  const code = runReviewCommand(
    args,
    (t) => out.push(t),
    (t) => err.push(t),
  );
  return { code, out: out.join('\n'), err };
}

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-review-cli-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Writes stacks as `cdktf synth` does (`<out>/stacks/<stack>/cdk.tf.json`); returns the cdktf.out. */
function writeOut(name: string, stacks: Record<string, JsonObject>): string {
  const out = path.join(dir, name);
  for (const [stack, json] of Object.entries(stacks)) {
    fs.mkdirSync(path.join(out, 'stacks', stack), { recursive: true });
    fs.writeFileSync(path.join(out, 'stacks', stack, 'cdk.tf.json'), JSON.stringify(json, null, 2));
  }
  return out;
}

describe('mcp-access review: exit codes', () => {
  let base: JsonObject;
  let baseOut: string;
  beforeAll(() => {
    base = fixtureJson({ tenants: ['acme', 'globex'] });
    baseOut = writeOut('base', { fleet: base });
  });

  test('exit 0: no error finding, nothing destroyed, weakened or unclassified (cdktf.out, stack folder or file)', () => {
    const stackDir = path.join(baseOut, 'stacks/fleet');
    for (const target of [baseOut, stackDir, path.join(stackDir, 'cdk.tf.json')]) {
      const { code, out, err } = run([target, '--base', baseOut]);
      expect(err).toEqual([]);
      expect(code).toBe(0);
      expect(out.startsWith('## mcp-access review\n\n**2 tenants · ')).toBe(true);
    }
    const strengthened = clone(base);
    only(strengthened, 'cloudflare_zero_trust_access_application', 'acme').session_duration = '10m';
    expect(run([writeOut('stronger', { fleet: strengthened }), '--base', baseOut]).code).toBe(0);
  });

  test('exit 1: an error finding', () => {
    const head = clone(base);
    only(head, 'okta_auth_server_policy_rule', 'acme', 'acme/Identity/UseRule').access_token_lifetime_minutes = 60;
    const { code, out } = run([writeOut('error', { fleet: head })]);
    expect(code).toBe(1);
    expect(out).toContain('**Blocking** (exit 1):\n\n- stack fleet: 1 error finding');
  });

  test('exit 1: a data-bearing resource destroyed, though no rule fails', () => {
    const { code, out } = run([
      writeOut('one-tenant', { fleet: fixtureJson({ tenants: ['acme'] }) }),
      '--base',
      baseOut,
    ]);
    expect(code).toBe(1);
    expect(out).toContain('findings: 0 errors');
    expect(out).toContain('- removed: `globex`');
    expect(out.match(/^- stack fleet: removed data-bearing resource /gm)).toHaveLength(5);
  });

  test('exit 3: a weakened change no rule refuses (a shortened retention)', () => {
    const head = fixtureJson({ tenants: ['acme', 'globex'], props: { audit: { retentionDays: 364 } } });
    const { code, out } = run([writeOut('retention', { fleet: head }), '--base', baseOut, '--format', 'json']);
    expect(code).toBe(3);
    const parsed = JSON.parse(out);
    expect(parsed.exitCode).toBe(3);
    expect(parsed.totals).toMatchObject({ weakened: 3, unclassified: 0, destroyed: 0, errors: 0 });
  });

  test('exit 3: a change the review cannot classify', () => {
    const head = clone(base);
    only(head, 'okta_auth_server_policy_rule', 'acme', 'acme/Identity/UseRule').priority = 2;
    const { code, out } = run([writeOut('unclassified', { fleet: head }), '--base', baseOut]);
    expect(code).toBe(3);
    expect(out).toContain('- stack fleet: unclassified: acme · identity · policy rule priority: 1 -> 2 · ');
  });

  test.each([
    [[], 'give exactly one stack to review, but 0 were given'],
    [['a', 'b'], 'give exactly one stack to review, but 2 were given'],
    [['a', '--base'], '--base needs a value'],
    [['a', '--base', '--format', 'json'], '--base needs a value'],
    [['a', '--format', 'xml'], '--format must be one of markdown, json, but xml was provided'],
    [['a', '--full=yes'], 'unknown option --full=yes'],
    [['a', '--colour'], 'unknown option --colour'],
  ])('exit 2: usage error %j', (args, problem) => {
    expect(parseReviewArguments(args)).toBe(problem);
    const { code, out, err } = run(args);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toEqual([`mcp-access review: ${problem}`, `usage:\n${REVIEW_USAGE}`]);
  });

  test('exit 2: a target that does not exist', () => {
    const missing = path.join(dir, 'nope');
    expect(run([baseOut, '--base', missing])).toEqual({
      code: 2,
      out: '',
      err: [`mcp-access: ${missing} does not exist`],
    });
  });

  test('the help text documents every exit code', () => {
    for (const line of [
      '0  clean: no error finding, nothing destroyed, nothing weakened or unclassified',
      '1  blocking: an error finding, or a data-bearing resource removed, renamed without a moved',
      '2  usage error, or a target that does not exist or holds no cdk.tf.json',
      '3  needs a security reviewer: a weakened or unclassified change (a shortened retention, a',
    ]) {
      expect(REVIEW_USAGE).toContain(line);
    }
  });

  test('reads the tenants of a stack from its leading comment block, without parsing the stack', () => {
    expect(leadingTenantCount(Buffer.from(JSON.stringify(base, null, 2)))).toBe(2);
    expect(leadingTenantCount(Buffer.from('{"resource": {}}'))).toBeNull();
    expect(leadingTenantCount(Buffer.from('{"//": {"mcp_access": {"tenants": {}}}}'))).toBe(0);
  });
});

describe('mcp-access review of a fleet whose pull request adds one tenant', () => {
  const NEW = 'wonka';
  let fleetDir: string;
  let fast: { code: number; out: string; err: string[] };
  let full: { code: number; out: string; err: string[] };
  let headStacks: string[];

  /** Synthesizes examples/fleet's fleet (plus `extra` tenants) the way its main does, placed by `lock`. */
  function synth(side: string, extra: readonly Body[], lock: string): string[] {
    const out = path.join(fleetDir, side);
    fs.mkdirSync(out, { recursive: true });
    const fleet = JSON.parse(fs.readFileSync(path.join(__dirname, '../../examples/fleet/fleet.json'), 'utf8')) as Body;
    delete fleet.$schema;
    fleet.tenants = [...(fleet.tenants as Body[]), ...extra];
    fs.writeFileSync(path.join(out, 'fleet.json'), JSON.stringify(fleet));
    fs.copyFileSync(lock, path.join(out, 'fleet.lock.jsonl'));
    return [...runFleet({ fleetFile: path.join(out, 'fleet.json'), outdir: path.join(out, 'cdktf.out') }).stacks];
  }

  beforeAll(() => {
    fleetDir = path.join(dir, 'fleet');
    synth('base', [], path.join(__dirname, '../../examples/fleet/fleet.lock.jsonl'));
    headStacks = synth('head', [{ id: NEW }], path.join(fleetDir, 'base', 'fleet.lock.jsonl'));
    const args = [path.join(fleetDir, 'head/cdktf.out'), '--base', path.join(fleetDir, 'base/cdktf.out')];
    fast = run(args);
    full = run([...args, '--full']);
  });

  test('exits 0: the new tenant holds the default posture with no error', () => {
    expect(fast.err).toEqual([]);
    expect(fast.code).toBe(0);
    expect(full.code).toBe(0);
  });

  test('names the new tenant and no other; every other stack is one line', () => {
    expect(headStacks.length).toBeGreaterThanOrEqual(7);
    for (const report of [fast.out, full.out]) {
      const named = [...report.matchAll(/<summary><b>Tenant ([a-z0-9-]+)<\/b>/g)].map((m) => m[1]);
      expect(named).toEqual([NEW]);
      expect(report).toContain(`- new, holding the default posture: \`${NEW}\``);
      const stackSections = [...report.matchAll(/^### Stack `([^`]+)`/gm)].map((m) => m[1]);
      expect(stackSections).toHaveLength(1);
      const oneLiners = [...report.matchAll(/^- `([^`]+)`/gm)].map((m) => m[1]);
      expect([...oneLiners, ...stackSections].sort()).toEqual([...headStacks].sort());
      expect(report).not.toContain('${');
    }
  });

  test('without --full, stacks identical to the base (and their inputs) are not read again', () => {
    expect(fast.out).toMatch(
      /^- `okta-example` \(no tenants\): identical to the base, as are the stacks it reads: not read again$/m,
    );
    expect(fast.out).toMatch(
      /^- `cells-eu-1-001` \(2 tenants\): identical to the base, as are the stacks it reads: not read again$/m,
    );
    expect(full.out).toMatch(/^- `cells-eu-1-001`: 2 tenants hold the default posture, no error, no change$/m);
  });

  test('a new tenant that deviates from the default posture needs a security reviewer (exit 3)', () => {
    const headOut = path.join(fleetDir, 'head/cdktf.out');
    const deviating = path.join(dir, 'deviating');
    fs.cpSync(headOut, deviating, { recursive: true });
    const stack = headStacks.find((s) => {
      const text = fs.readFileSync(path.join(deviating, 'stacks', s, 'cdk.tf.json'), 'utf8');
      return s.startsWith('cells-') && text.includes(`"${NEW}": [`);
    }) as string;
    const file = path.join(deviating, 'stacks', stack, 'cdk.tf.json');
    const json = JSON.parse(fs.readFileSync(file, 'utf8')) as JsonObject;
    const apps = (json.resource as Record<string, Record<string, Body>>).cloudflare_zero_trust_access_application;
    const app = Object.values(apps).find((a) => a.name === `mcp-${NEW}`) as Body;
    app.session_duration = '10m';
    fs.writeFileSync(file, JSON.stringify(json, null, 2));
    const r = run([deviating, '--base', path.join(fleetDir, 'base/cdktf.out')]);
    expect(r.code).toBe(3);
    expect(r.out).toContain(
      `- stack ${stack}: unclassified: ${NEW} · tenancy · new tenant deviates from the default posture: Access session duration: 10m (default: 15m)`,
    );
  });
});
