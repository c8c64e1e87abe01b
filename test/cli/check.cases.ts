import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../lib/cli/main';

const ROOT = path.join(__dirname, '../..');

/** Synthesizes the quickstart app into a temporary cdktf.out with cdktf.json's own app command. */
function synthQuickstart(outdir: string): void {
  const [runner, ...args] = (
    JSON.parse(fs.readFileSync(path.join(ROOT, 'cdktf.json'), 'utf8')) as { app: string }
  ).app.split(/\s+/);
  expect(runner).toBe('node');
  execFileSync(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, CDKTF_OUTDIR: outdir, CHECKPOINT_DISABLE: '1' },
    stdio: 'pipe',
  });
}

function run(args: string[]): { code: number; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  const code = main(
    args,
    (l) => out.push(l),
    (l) => err.push(l),
  );
  return { code, out, err };
}

describe('mcp-access check', () => {
  let outdir: string;
  beforeAll(() => {
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-cli-'));
    synthQuickstart(outdir);
  });
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  test('exits 0 on the quickstart output (cdktf.out, stack folder and file)', () => {
    const stackDir = path.join(outdir, 'stacks/quickstart');
    for (const target of [outdir, stackDir, path.join(stackDir, 'cdk.tf.json')]) {
      const { code, out } = run(['check', target]);
      expect(out.filter((l) => / error /.test(l))).toEqual([]);
      expect(out[out.length - 1]).toMatch(/^1 stack checked: 0 errors, \d+ warnings?, 0 suppressed$/);
      expect(code).toBe(0);
    }
  });

  test('exits 1 on a hand-tampered copy, naming the rule and the resource', () => {
    const file = path.join(outdir, 'stacks/quickstart/cdk.tf.json');
    const json = JSON.parse(fs.readFileSync(file, 'utf8'));
    json.variable.cloudflare_api_token = { type: 'string' };
    const tampered = path.join(outdir, 'tampered.tf.json');
    fs.writeFileSync(tampered, JSON.stringify(json));
    const { code, out } = run(['check', tampered]);
    expect(out).toContain(
      "MCP-SEC-5 error var.cloudflare_api_token: a secret literal is in the synthesized JSON, or a secret variable or output is not sensitive (a secret variable is not sensitive). Fix: take credentials from the provider's environment variables or a sensitive TerraformVariable without a default (mark the variable sensitive), and mark outputs that carry them sensitive; never write a credential into a provider, backend or resource",
    );
    expect(code).toBe(1);
  });

  test('exits 2 with usage on a missing argument, and names a missing path', () => {
    expect(run(['check']).code).toBe(2);
    const missing = run(['check', path.join(outdir, 'nope')]);
    expect(missing.code).toBe(2);
    expect(missing.err).toEqual([`mcp-access: ${path.join(outdir, 'nope')} does not exist`]);
  });
});
