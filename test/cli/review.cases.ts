import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { JsonObject } from '../../lib/model/stack';
import { main } from '../../lib/cli/main';
import { REVIEW_USAGE, runReviewCommand } from '../../lib/cli/review';
import { clone } from '../helpers';
import { fixtureJson, resourceBody } from '../review/fixture';

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

describe('mcp-access review', () => {
  let dir: string;
  /** Writes stacks as `cdktf synth` does: `<dir>/<name>/stacks/<stack>/cdk.tf.json`; returns the cdktf.out. */
  const writeOut = (name: string, stacks: Record<string, JsonObject>): string => {
    const out = path.join(dir, name);
    for (const [stack, json] of Object.entries(stacks)) {
      fs.mkdirSync(path.join(out, 'stacks', stack), { recursive: true });
      fs.writeFileSync(path.join(out, 'stacks', stack, 'cdk.tf.json'), JSON.stringify(json, null, 2));
    }
    return out;
  };
  let clean: JsonObject;
  let cleanOut: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-review-'));
    clean = fixtureJson({ tenants: ['acme', 'globex'] });
    cleanOut = writeOut('clean', { fleet: clean });
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('exits 0 on a clean stack and prints the Markdown report (cdktf.out, stack folder or file)', () => {
    const stackDir = path.join(cleanOut, 'stacks/fleet');
    for (const target of [cleanOut, stackDir, path.join(stackDir, 'cdk.tf.json')]) {
      const { code, out, err } = run([target]);
      expect(err).toEqual([]);
      expect(code).toBe(0);
      expect(out.startsWith('## mcp-access review\n\n**2 tenants · ')).toBe(true);
      // Tenants that hold the default posture are summarized in one line (docs/review.md).
      expect(out).toContain('2 tenants hold the default posture: `acme`, `globex`');
    }
  });

  test('exits 1 when the head has an error finding', () => {
    const head = clone(clean);
    resourceBody(head, 'okta_auth_server_policy_rule', 'acme/Identity/UseRule').access_token_lifetime_minutes = 60;
    const { code, out } = run([writeOut('error', { fleet: head })]);
    expect(code).toBe(1);
    expect(out).toContain('- stack fleet: 1 error finding');
  });

  test('exits 1 when a data-bearing resource would be removed, though no rule fails', () => {
    const { code, out } = run([
      writeOut('one-tenant', { fleet: fixtureJson({ tenants: ['acme'] }) }),
      '--base',
      cleanOut,
    ]);
    expect(code).toBe(1);
    expect(out).toContain('**1 tenant · ');
    expect(out).toContain('findings: 0 errors');
    expect(out).toContain('- removed: `globex`');
    expect(out.match(/^- stack fleet: removed data-bearing resource /gm)).toHaveLength(5);
  });

  test('exits 0 against an identical base and says nothing changed', () => {
    const { code, out } = run([cleanOut, '--base', writeOut('same', { fleet: clone(clean) })]);
    expect(code).toBe(0);
    expect(out).toContain(
      'against the base: 0 weakened changes, 0 unclassified changes, 0 strengthened, 0 data-bearing resources destroyed',
    );
    expect(out).toContain('No tenant added or removed.');
  });

  test('--format json prints the same model as JSON; a weakening no rule refuses exits 3', () => {
    // A session of 15 minutes is compliant, but longer than the base's 10: a security reviewer decides.
    const base = clone(clean);
    resourceBody(
      base,
      'cloudflare_zero_trust_access_application',
      'globex/Transport/AccessApplication',
    ).session_duration = '10m';
    const baseOut = writeOut('json-base', { fleet: base });
    const headOut = cleanOut;
    const { code, out } = run([headOut, '--base', baseOut, '--format', 'json']);
    const parsed = JSON.parse(out);
    expect(code).toBe(3);
    expect(parsed.compared).toBe(true);
    expect(parsed.totals).toMatchObject({ stacks: 1, tenants: 2, weakened: 1, destroyed: 0, errors: 0 });
    expect(parsed.stacks[0].changes.weakened).toEqual([
      expect.objectContaining({
        tenant: 'globex',
        setting: 'transport.access-session',
        before: '10m',
        after: '15m',
        weakened: true,
      }),
    ]);
    expect(run([headOut, '--base', baseOut, '--format=json']).out).toBe(out);
    // The Markdown report of the same change names the same facts.
    expect(run([headOut, '--base', baseOut]).out).toContain('| Access session duration | 10m -> 15m |');
    expect(run([headOut, '--base', baseOut]).out).toContain(
      '- stack fleet: weakened: globex · transport · Access session duration: 10m -> 15m · ',
    );
  });

  test('reviews every stack of a cdktf.out, matching base stacks by name', () => {
    const head = writeOut('multi-head', {
      'cell-a': fixtureJson({ stack: 'cell-a', tenants: ['acme'] }),
      'cell-b': fixtureJson({ stack: 'cell-b', tenants: ['globex', 'hooli'] }),
    });
    const base = writeOut('multi-base', {
      'cell-a': fixtureJson({ stack: 'cell-a', tenants: ['acme'] }),
      'cell-b': fixtureJson({ stack: 'cell-b', tenants: ['globex'] }),
    });
    const { code, out } = run([head, '--base', base]);
    expect(code).toBe(0);
    expect(out).toContain('**2 stacks · 3 tenants · ');
    expect(out).toContain('### Stack `cell-a`');
    expect(out).toContain('### Stack `cell-b`');
    expect(out).toContain('- new, holding the default posture: `hooli`');
  });

  // Usage errors and a missing target, with their exit code 2: test/review/cli.test.ts.

  test('is a command of mcp-access, listed in its usage', () => {
    const out: string[] = [];
    expect(main(['review', cleanOut], (l) => out.push(l))).toBe(0);
    expect(out.join('\n')).toContain('## mcp-access review');
    const help: string[] = [];
    expect(main(['help'], (l) => help.push(l))).toBe(0);
    expect(help.join('\n')).toContain('mcp-access check <cdktf.out | stack dir | cdk.tf.json>');
    expect(help.join('\n')).toContain(REVIEW_USAGE);
  });
});
