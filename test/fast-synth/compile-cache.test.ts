import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '../..');
const REGISTER = path.join(ROOT, 'scripts/ts-register.js');
const PRELOAD = path.join(ROOT, 'lib/fast-synth/preload.ts');

interface Run {
  readonly state: { enabled: boolean; by?: string; why?: string };
  readonly stats: { reused: number; compiled: number };
  readonly out: unknown;
}

/** Runs `script` in a fresh Node process with the preload, as `node -r cdktf-mcp-access/preload` does. */
function run(script: string, env: NodeJS.ProcessEnv, options: { cwd?: string; flags?: string[] } = {}): Run {
  const text = execFileSync(process.execPath, [...(options.flags ?? []), '-r', REGISTER, '-r', PRELOAD, '-e', script], {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  return JSON.parse(text) as Run;
}

/** Prints the cache's state and figures with what `body` computes as `out`. */
const report = (body: string): string => `
  const out = (() => { ${body} })();
  process.stdout.write(JSON.stringify({
    state: require(${JSON.stringify(PRELOAD)}).compileCache,
    stats: require(${JSON.stringify(path.join(ROOT, 'lib/fast-synth/compile-cache.ts'))}).compileCacheStats(),
    out,
  }));
`;

describe('the code cache of the preload opt-in', () => {
  jest.setTimeout(60_000);
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-compile-cache-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('a second run reuses the code the first compiled, module for module, and writes the same stack', () => {
    const synth = report(`
      const { Testing } = require('cdktf');
      const { SecureMcpAccess } = require('./lib');
      const { baseProps, newStack, withProviders } = require('./test/helpers');
      const stack = withProviders(newStack());
      new SecureMcpAccess(stack, 'Mcp', baseProps(['acme', 'globex']));
      return Testing.synth(stack);
    `);
    // Without the cache first: that run also fills ts-register's transpile cache, so that the two runs
    // below load the same modules (a transpile-cache miss loads @swc/core as well).
    const uncached = run(synth, { MCP_ACCESS_COMPILE_CACHE: '0' });
    const env = { MCP_ACCESS_COMPILE_CACHE: path.join(dir, 'cache') };
    const first = run(synth, env);
    expect(first.state).toEqual({ enabled: true, dir: path.join(dir, 'cache'), by: 'preload' });
    expect(first.stats.reused).toBe(0);
    expect(first.stats.compiled).toBeGreaterThan(100);
    expect(fs.readdirSync(path.join(dir, 'cache'))).toEqual([`v8-${process.versions.v8}-${process.arch}.bin`]);

    const second = run(synth, env);
    expect(second.stats).toEqual({ reused: first.stats.compiled, compiled: 0 });
    expect(second.out).toBe(first.out);
    expect(uncached.out).toBe(first.out);
  });

  test('a module rewritten on disk, even to the same length, runs its new text', () => {
    const file = path.join(dir, 'module.js');
    const script = report(`return require(${JSON.stringify(file)});`);
    const env = { MCP_ACCESS_COMPILE_CACHE: path.join(dir, 'cache') };
    fs.writeFileSync(file, "module.exports = 'one';\n");
    expect(run(script, env).out).toBe('one');
    const cached = run(script, env);
    expect([cached.out, cached.stats.compiled]).toEqual(['one', 0]);
    fs.writeFileSync(file, "module.exports = 'two';\n");
    const rewritten = run(script, env);
    expect([rewritten.out, rewritten.stats.compiled]).toEqual(['two', 1]);
  });

  test('modules keep what Node gives them: require and its resolve, __filename, __dirname; import() is left to Node', () => {
    const file = path.join(dir, 'probe.js');
    fs.writeFileSync(
      file,
      `module.exports = { file: __filename, dir: __dirname, main: require.main === process.mainModule,
        resolved: require.resolve('./probe.js'), cached: require.cache[__filename] === module,
        paths: Array.isArray(require.resolve.paths('x')), sibling: require('./sibling.js') };\n`,
    );
    fs.writeFileSync(
      path.join(dir, 'sibling.js'),
      "module.exports = import('node:path').then((m) => typeof m.join);\n",
    );
    const script = `const p = require(${JSON.stringify(file)});
      p.sibling.then((sibling) => process.stdout.write(JSON.stringify({ probe: { ...p, sibling },
        stats: require(${JSON.stringify(path.join(ROOT, 'lib/fast-synth/compile-cache.ts'))}).compileCacheStats() })));`;
    const probe = (): { probe: unknown; stats: { reused: number; compiled: number } } =>
      JSON.parse(
        execFileSync(process.execPath, ['-r', REGISTER, '-r', PRELOAD, '-e', script], {
          cwd: ROOT,
          env: { ...process.env, MCP_ACCESS_COMPILE_CACHE: path.join(dir, 'cache') },
          encoding: 'utf8',
        }),
      ) as { probe: unknown; stats: { reused: number; compiled: number } };
    const expected = { file, dir, main: true, resolved: file, cached: true, paths: true, sibling: 'function' };
    const first = probe();
    expect(first.probe).toEqual(expected);
    const second = probe();
    expect(second.probe).toEqual(expected);
    // probe.js is compiled once, then comes from the cache; sibling.js (import()) is always Node's.
    expect(first.stats).toEqual({ reused: 0, compiled: 1 });
    expect(second.stats).toEqual({ reused: 1, compiled: 0 });
  });

  test('stays off when turned off, with source maps on, and where the working directory has no node_modules', () => {
    const script = report('return null;');
    expect(run(script, { MCP_ACCESS_COMPILE_CACHE: '0' }).state).toEqual({
      enabled: false,
      why: 'MCP_ACCESS_COMPILE_CACHE=0',
    });
    expect(run(script, { MCP_ACCESS_COMPILE_CACHE: '' }, { flags: ['--enable-source-maps'] }).state).toEqual({
      enabled: false,
      why: 'source maps are enabled',
    });
    expect(run(script, { MCP_ACCESS_COMPILE_CACHE: '' }, { cwd: dir }).state).toEqual({
      enabled: false,
      why: 'the working directory has no node_modules',
    });
  });

  test('importing the library does not turn it on', () => {
    const out = execFileSync(
      process.execPath,
      [
        '-r',
        REGISTER,
        '-e',
        `const Module = require('module'); const before = Module.prototype._compile; require('./lib');
         process.stdout.write(JSON.stringify(Module.prototype._compile === before));`,
      ],
      { cwd: ROOT, encoding: 'utf8' },
    );
    expect(out).toBe('true');
  });
});
