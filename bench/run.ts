/**
 * `npm run bench`: the performance budget (docs/performance.md), measured on the built package (dist/),
 * each figure in a fresh process. Prints a Markdown table; exits 1 when a figure is over budget.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..');
const NODE = process.execPath;

interface Row {
  readonly what: string;
  readonly wallMs: number;
  readonly perTenantMs?: number;
  readonly resources?: number;
  readonly rssMb: number;
  readonly checksPct?: number;
  readonly budget: string;
  /** The budget's limits; a row without limits is shown for comparison. */
  readonly limits?: { readonly wallMs?: number; readonly rssMb?: number; readonly checksPct?: number };
}

/** What a row misses of its budget, in words (empty when it holds). */
function misses(r: Row): string[] {
  const out: string[] = [];
  const l = r.limits;
  if (!l) return out;
  if (l.wallMs !== undefined && r.wallMs > l.wallMs) out.push(`${r.wallMs.toFixed(0)} ms wall > ${l.wallMs} ms`);
  if (l.rssMb !== undefined && r.rssMb > l.rssMb) out.push(`${r.rssMb.toFixed(0)} MB peak RSS > ${l.rssMb} MB`);
  if (l.checksPct !== undefined && r.checksPct !== undefined && r.checksPct > l.checksPct) {
    out.push(`checks add ${r.checksPct.toFixed(1)} % > ${l.checksPct} %`);
  }
  return out;
}

function json<T>(script: string, args: string[] = []): T {
  const out = execFileSync(NODE, [script, ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 26 });
  return JSON.parse(out.trim().split('\n').pop() as string) as T;
}

/** Median of `runs` measurements of `measure` (by wall time). */
function median<T extends { wall: number }>(runs: number, measure: () => T): T {
  const results = Array.from({ length: runs }, measure).sort((a, b) => a.wall - b.wall);
  return results[Math.floor(results.length / 2)];
}

/** The app command of cdktf.json (`node <args>`), measured as it is. */
const APP_ARGS: string[] = (() => {
  const [runner, ...args] = (
    JSON.parse(fs.readFileSync(path.join(ROOT, 'cdktf.json'), 'utf8')) as { app: string }
  ).app.split(/\s+/);
  if (runner !== 'node') throw new Error(`the bench runs cdktf.json apps started with node, not ${runner}`);
  return args;
})();

const rows: Row[] = [];

for (const [mode, label, budgeted] of [
  ['plain', 'load dist/index.js', false],
  ['preload', 'load dist/index.js, with the preload opt-in', true],
] as const) {
  const load = median(5, () => {
    const r = json<{ loadMs: number; peakRssMb: number }>('bench/load-child.js', [mode]);
    return { wall: r.loadMs, rss: r.peakRssMb };
  });
  rows.push({
    what: label,
    wallMs: load.wall,
    rssMb: load.rss,
    budget: budgeted ? '<= 300 ms, <= 150 MB' : '(without the opt-in, for comparison)',
    limits: budgeted ? { wallMs: 300, rssMb: 150 } : undefined,
  });
}

const app = median(3, () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-bench-app-'));
  const started = process.hrtime.bigint();
  const r = spawnSync(NODE, ['--require', './bench/rss-on-exit.js', ...APP_ARGS], {
    cwd: ROOT,
    env: { ...process.env, CDKTF_OUTDIR: outdir, CHECKPOINT_DISABLE: '1' },
    encoding: 'utf8',
  });
  const wall = Number(process.hrtime.bigint() - started) / 1e6;
  fs.rmSync(outdir, { recursive: true, force: true });
  if (r.status !== 0) throw new Error(`quickstart app failed: ${r.stderr}`);
  const rss = Number(/BENCH_PEAK_RSS_MB=([\d.]+)/.exec(r.stderr)?.[1]);
  return { wall, rss };
});
rows.push({
  what: 'quickstart app (cdktf.json command)',
  wallMs: app.wall,
  rssMb: app.rss,
  budget: '<= 500 ms, <= 250 MB',
  limits: { wallMs: 500, rssMb: 250 },
});

// `npm run synth` (the app run directly) against `cdktf synth` (the CLI, which starts a second Node
// process and more): what a user waits for, wall time of the whole command.
for (const [label, command, args, budgetMs] of [
  ['npm run synth (the quickstart app, run directly)', 'npm', ['run', '-s', 'synth'], 1500],
  ['npx cdktf synth (the CLI, for comparison)', 'npx', ['--no-install', 'cdktf', 'synth'], undefined],
] as const) {
  const r = median(3, () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-bench-cmd-'));
    const started = process.hrtime.bigint();
    const run = spawnSync(command, [...args, ...(command === 'npx' ? ['--output', outdir] : [])], {
      cwd: ROOT,
      env: { ...process.env, CDKTF_OUTDIR: outdir, CHECKPOINT_DISABLE: '1' },
      encoding: 'utf8',
    });
    const wall = Number(process.hrtime.bigint() - started) / 1e6;
    fs.rmSync(outdir, { recursive: true, force: true });
    if (run.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${run.stderr}`);
    return { wall };
  });
  rows.push({
    what: label,
    wallMs: r.wall,
    rssMb: NaN,
    budget: budgetMs === undefined ? '(for comparison)' : `<= ${budgetMs / 1000} s`,
    limits: budgetMs === undefined ? undefined : { wallMs: budgetMs },
  });
}

interface SynthFigures {
  tenants: number;
  synthMs: number;
  checksMs: number;
  resources: number;
  errors: number;
  peakRssMb: number;
}
const budgets: Record<number, [number, number]> = { 1: [600, Infinity], 100: [3000, Infinity], 1000: [20000, 1536] };
for (const [tenants, mode] of [
  [1, 'fast'],
  [100, 'fast'],
  [100, 'plain'],
  [1000, 'fast'],
] as const) {
  const r = median(tenants === 1000 ? 1 : 3, () => {
    const f = json<SynthFigures>('bench/synth-child.js', [String(tenants), mode]);
    return { ...f, wall: f.synthMs };
  });
  if (r.errors > 0) throw new Error(`${tenants} tenants: ${r.errors} error findings`);
  const [ms, mb] = budgets[tenants];
  const checksPct = (100 * r.checksMs) / (r.synthMs - r.checksMs);
  rows.push({
    what: `synth ${tenants} tenant${tenants === 1 ? '' : 's'} (app.synth, in-process${mode === 'plain' ? ', without enableFastSynth' : ''})`,
    wallMs: r.synthMs,
    perTenantMs: r.synthMs / tenants,
    resources: r.resources,
    rssMb: r.peakRssMb,
    checksPct,
    budget:
      mode === 'plain'
        ? '(without the opt-in, for comparison)'
        : `<= ${ms / 1000} s${mb !== Infinity ? `, <= ${(mb / 1024).toFixed(1)} GB` : ''}; checks <= 10 %`,
    limits: mode === 'plain' ? undefined : { wallMs: ms, rssMb: mb === Infinity ? undefined : mb, checksPct: 10 },
  });
}

// The pull-request review of a 100-tenant stack against itself as base (issue budget: under 2 s).
{
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-bench-review-'));
  execFileSync(NODE, ['bench/synth-child.js', '100'], { cwd: ROOT, env: { ...process.env, BENCH_KEEP_OUT: outdir } });
  const review = median(3, () => {
    const started = process.hrtime.bigint();
    const r = spawnSync(
      NODE,
      ['--require', './bench/rss-on-exit.js', 'dist/cli/main.js', 'review', outdir, '--base', outdir],
      {
        cwd: ROOT,
        encoding: 'utf8',
        maxBuffer: 1 << 26,
      },
    );
    const wall = Number(process.hrtime.bigint() - started) / 1e6;
    if (r.status !== 0) throw new Error(`review failed (${r.status}): ${r.stderr}`);
    return { wall, rss: Number(/BENCH_PEAK_RSS_MB=([\d.]+)/.exec(r.stderr)?.[1]) };
  });
  fs.rmSync(outdir, { recursive: true, force: true });
  rows.push({
    what: 'mcp-access review, 100 tenants, --base',
    wallMs: review.wall,
    perTenantMs: review.wall / 100,
    rssMb: review.rss,
    budget: '< 2 s',
    limits: { wallMs: 2000 },
  });
}

// Fleets (issue budget): one shard (foundation + one cell stack of 50 tenants) <= 3 s and <= 300 MB
// whatever the fleet's size; the whole fleet of 10,000 tenants over 25 edges, one process, <= 120 s
// and <= 2 GB, growing linearly. BENCH_FLEET_MAX caps the largest fleet measured (default 10000).
interface FleetFigures {
  tenants: number;
  edges: number;
  stacks: number;
  shardTenants: number;
  synthMs: number;
  errors: number;
  peakRssMb: number;
}
const fleetMax = Number(process.env.BENCH_FLEET_MAX ?? '10000');
for (const [tenants, edges, scope] of [
  [10000, 25, 'shard'],
  [1000, 25, 'all'],
  [5000, 25, 'all'],
  [10000, 25, 'all'],
] as const) {
  if (tenants > fleetMax) continue;
  const r = median(scope === 'shard' ? 3 : 1, () => {
    const f = json<FleetFigures>('bench/fleet-child.js', [String(tenants), String(edges), scope]);
    return { ...f, wall: f.synthMs };
  });
  if (r.errors > 0) throw new Error(`fleet of ${tenants}: ${r.errors} error findings`);
  const shard = scope === 'shard';
  // The whole-fleet budget is for 10,000 tenants; smaller fleets are reported to show the growth is linear.
  const budgeted = shard || tenants === 10000;
  const [ms, mb] = shard ? [3000, 300] : [120000, 2048];
  rows.push({
    what: shard
      ? `fleet shard: foundation + one cell stack of ${r.shardTenants} tenants (fleet of ${tenants}, ${edges} edges)`
      : `fleet of ${tenants} tenants, ${edges} edges, ${r.stacks} stacks (synth + checks, one process)`,
    wallMs: r.synthMs,
    perTenantMs: r.synthMs / (shard ? r.shardTenants : tenants),
    rssMb: r.peakRssMb,
    budget: shard ? '<= 3 s, <= 300 MB' : budgeted ? '<= 120 s, <= 2 GB' : '(linear growth: ms per tenant)',
    limits: budgeted ? { wallMs: ms, rssMb: mb } : undefined,
  });
}

const fmt = (n: number | undefined, digits = 0) => (n === undefined || Number.isNaN(n) ? '' : n.toFixed(digits));
console.log(`cdktf-mcp-access bench (${os.cpus().length} cores, Node ${process.version})\n`);
console.log('| measurement | wall ms | ms per tenant | resources | peak RSS MB | checks % | budget | ok |');
console.log('|---|---:|---:|---:|---:|---:|---|---|');
for (const r of rows) {
  const ok = r.limits === undefined ? '' : misses(r).length === 0 ? 'yes' : 'NO';
  console.log(
    `| ${r.what} | ${fmt(r.wallMs)} | ${fmt(r.perTenantMs, 1)} | ${fmt(r.resources)} | ${fmt(r.rssMb)} | ${fmt(r.checksPct, 1)} | ${r.budget} | ${ok} |`,
  );
}
const missed = rows.filter((r) => misses(r).length > 0);
if (missed.length > 0) {
  console.log('\nOver budget:');
  for (const r of missed) console.log(`- ${r.what}: ${misses(r).join('; ')}`);
  console.log(
    'Figures vary with the machine and its load: measure on an idle machine before concluding. ' +
      (process.env.BENCH_ENFORCE === '1' ? 'BENCH_ENFORCE=1: exit 1.' : 'Set BENCH_ENFORCE=1 to exit 1 on a miss.'),
  );
  if (process.env.BENCH_ENFORCE === '1') process.exitCode = 1;
}
