import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { planMatrix, runFleetCommand, waveOf } from '../../lib/cli/fleet';
import { main } from '../../lib/cli/main';

/** A cdktf.out with the given stacks: name -> JSON text. */
function outdir(stacks: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-matrix-'));
  for (const [name, text] of Object.entries(stacks)) {
    fs.mkdirSync(path.join(dir, 'stacks', name), { recursive: true });
    fs.writeFileSync(path.join(dir, 'stacks', name, 'cdk.tf.json'), text);
  }
  fs.mkdirSync(path.join(dir, 'stacks'), { recursive: true });
  return dir;
}

describe('mcp-access fleet plan-matrix', () => {
  const dirs: string[] = [];
  const make = (stacks: Record<string, string>) => {
    const d = outdir(stacks);
    dirs.push(d);
    return d;
  };
  afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  const base = {
    'okta-example': '{"a":1}',
    shared: '{"b":1}',
    'foundation-eu-1': '{"c":1}',
    'cells-eu-1-001': '{"d":1}',
    'cells-eu-1-002': '{"e":1}',
  };

  test('lists only the stacks whose JSON changed, was added or removed, in waves', () => {
    const head = make({
      ...base,
      'cells-eu-1-002': '{"e":2}',
      'cells-eu-1-003': '{"f":1}',
      'foundation-eu-1': base['foundation-eu-1'],
    });
    const before = make({ ...base, 'cells-us-1-001': '{"g":1}' });
    expect(planMatrix(head, before)).toEqual({
      shared: { include: [] },
      foundations: { include: [] },
      cells: {
        include: [
          { stack: 'cells-eu-1-002', change: 'changed' },
          { stack: 'cells-eu-1-003', change: 'added' },
          { stack: 'cells-us-1-001', change: 'removed' },
        ],
      },
      empty: false,
    });
  });

  test('mcp-access fleet plan-matrix runs through the command line, and its usage is in the help', () => {
    const out: string[] = [];
    const head = make({ ...base, 'cells-eu-1-001': '{"d":2}' });
    expect(main(['fleet', 'plan-matrix', head, '--base', make(base)], (l) => out.push(l))).toBe(0);
    expect(JSON.parse(out[0])).toEqual({
      shared: { include: [] },
      foundations: { include: [] },
      cells: { include: [{ stack: 'cells-eu-1-001', change: 'changed' }] },
      empty: false,
    });
    const help: string[] = [];
    expect(main(['--help'], (l) => help.push(l))).toBe(0);
    expect(help[0]).toContain('mcp-access fleet plan-matrix <head cdktf.out> [--base <base cdktf.out>]');
  });

  test('an unchanged fleet touches nothing', () => {
    expect(planMatrix(make(base), make(base)).empty).toBe(true);
  });

  test('without a base every stack is touched, foundations before cells', () => {
    const m = planMatrix(make(base));
    expect(m.shared.include.map((t) => t.stack)).toEqual(['okta-example', 'shared']);
    expect(m.foundations.include.map((t) => t.stack)).toEqual(['foundation-eu-1']);
    expect(m.cells.include.map((t) => t.stack)).toEqual(['cells-eu-1-001', 'cells-eu-1-002']);
    expect(waveOf('anything-else')).toBe('shared');
  });

  test('prints one JSON line; usage errors exit 2 with the usage', () => {
    const out: string[] = [];
    const err: string[] = [];
    expect(
      runFleetCommand(
        ['plan-matrix', make(base), '--base', make(base)],
        (l) => out.push(l),
        (l) => err.push(l),
      ),
    ).toBe(0);
    expect(JSON.parse(out[0]).empty).toBe(true);
    expect(
      runFleetCommand(
        ['plan'],
        (l) => out.push(l),
        (l) => err.push(l),
      ),
    ).toBe(2);
    expect(err.pop()).toMatch(/^mcp-access fleet: unknown subcommand 'plan'\nusage:\n  mcp-access fleet plan-matrix/);
    expect(
      runFleetCommand(
        ['plan-matrix'],
        (l) => out.push(l),
        (l) => err.push(l),
      ),
    ).toBe(2);
    expect(err.pop()).toMatch(/^mcp-access fleet plan-matrix: give exactly one head cdktf.out, but 0 were given/);
    expect(
      runFleetCommand(
        ['plan-matrix', make(base), '--base'],
        (l) => out.push(l),
        (l) => err.push(l),
      ),
    ).toBe(2);
    expect(err.pop()).toMatch(/^mcp-access fleet plan-matrix: --base needs a value/);
    expect(
      runFleetCommand(
        ['plan-matrix', '/nonexistent/out'],
        (l) => out.push(l),
        (l) => err.push(l),
      ),
    ).toBe(2);
    expect(err.pop()).toBe('mcp-access: /nonexistent/out holds no stacks folder (synthesize first)');
  });
});
