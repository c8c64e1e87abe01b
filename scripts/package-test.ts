/**
 * `npm run test:package`: the library as a user gets it. Packs it (`npm pack`, which builds), installs
 * the tarball with its peer dependencies into a fresh app outside the repository, writes the README's
 * `main.ts` and `cdktf.json` snippets there, synthesizes the app with the documented runner and checks
 * the result with the installed `mcp-access check`. Also loads the entry points as a user would.
 * Needs the npm registry (or a warm npm cache); part of CI (.ci/run), not of `npm test`.
 */
import { execFileSync, type ExecFileSyncOptions } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  peerDependencies: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  devDependencies: Record<string, string>;
};

/** The fenced code block between `<!-- snippet:<name> -->` and `<!-- /snippet -->` in the README. */
export function readmeSnippet(readme: string, name: string): string {
  const start = readme.indexOf(`<!-- snippet:${name} -->`);
  if (start < 0) throw new Error(`README.md has no <!-- snippet:${name} --> marker`);
  const end = readme.indexOf('<!-- /snippet -->', start);
  if (end < 0) throw new Error(`README.md's snippet ${name} has no <!-- /snippet --> end marker`);
  const block = /```[a-z]*\n([\s\S]*?)\n```/.exec(readme.slice(start, end));
  if (!block) throw new Error(`README.md's snippet ${name} holds no fenced code block`);
  return `${block[1]}\n`;
}

function step(what: string): void {
  process.stdout.write(`package-test: ${what}\n`);
}

function run(command: string, args: string[], options: ExecFileSyncOptions): string {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...options }) as string;
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; status?: number };
    throw new Error(
      `${command} ${args.join(' ')} exited with ${err.status}:\n${err.stdout ?? ''}\n${err.stderr ?? ''}`.trim(),
    );
  }
}

function main(): void {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const mainTs = readmeSnippet(readme, 'main.ts');
  const cdktfJson = readmeSnippet(readme, 'cdktf.json');
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-package-'));
  const env = { ...process.env, CHECKPOINT_DISABLE: '1', npm_config_fund: 'false', npm_config_audit: 'false' };
  try {
    step('npm pack (builds dist/)');
    const packed = run('npm', ['pack', '--silent', '--pack-destination', work], { cwd: ROOT, env })
      .trim()
      .split('\n')
      .pop()!;
    const tarball = path.join(work, packed);
    const listing = run('tar', ['-tzf', tarball], { cwd: work });
    for (const file of [
      'package/dist/index.js',
      'package/dist/cli/main.js',
      'package/preload.js',
      'package/aws.js',
      'package/RULES.md',
    ]) {
      if (!listing.split('\n').includes(file)) throw new Error(`the package lacks ${file}`);
    }
    const leaked = listing.split('\n').filter((f) => /^package\/(test|lib|examples|bench)\//.test(f));
    if (leaked.length > 0) throw new Error(`the package ships sources it should not: ${leaked.slice(0, 5).join(', ')}`);

    const app = path.join(work, 'app');
    fs.mkdirSync(app);
    const peers = Object.fromEntries(
      Object.entries(pkg.peerDependencies).filter(([name]) => !pkg.peerDependenciesMeta?.[name]?.optional),
    );
    fs.writeFileSync(
      path.join(app, 'package.json'),
      JSON.stringify(
        {
          name: 'mcp-access-package-test',
          private: true,
          dependencies: { [pkg.name]: `file:${tarball}`, ...peers, tsx: pkg.devDependencies.tsx },
        },
        null,
        2,
      ),
    );
    step(`npm install the tarball and its peers (${Object.keys(peers).join(', ')}) into ${app}`);
    run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: app, env });

    fs.writeFileSync(path.join(app, 'main.ts'), mainTs);
    fs.writeFileSync(path.join(app, 'cdktf.json'), cdktfJson);
    const appCommand = (JSON.parse(cdktfJson) as { app: string }).app;
    step(`synthesize the README's main.ts with its cdktf.json command: ${appCommand}`);
    run('sh', ['-c', appCommand], { cwd: app, env });
    const stacks = fs.readdirSync(path.join(app, 'cdktf.out', 'stacks'));
    if (stacks.length === 0) throw new Error('the README app synthesized no stack');

    step(`mcp-access check cdktf.out (${stacks.join(', ')})`);
    const checked = run(path.join(app, 'node_modules', '.bin', 'mcp-access'), ['check', 'cdktf.out'], {
      cwd: app,
      env,
    });
    process.stdout.write(checked);
    if (!/0 errors/.test(checked)) throw new Error('mcp-access check found errors in the README app');

    step('entry points: the root loads no provider-aws; cdktf-mcp-access/aws and /preload load');
    const probe = `
      const lib = require('cdktf-mcp-access');
      if (typeof lib.SecureMcpAccess !== 'function') throw new Error('no SecureMcpAccess at the root');
      const aws = Object.keys(require.cache).filter((f) => f.includes('@cdktf/provider-aws'));
      if (aws.length > 0) throw new Error('the root entry loaded @cdktf/provider-aws');
      process.stdout.write('root ok\\n');
    `;
    run('node', ['-e', probe], { cwd: app, env });
    run(
      'npm',
      [
        'install',
        '--prefer-offline',
        '--no-audit',
        '--no-fund',
        '--loglevel=error',
        `@cdktf/provider-aws@${pkg.peerDependencies['@cdktf/provider-aws']}`,
      ],
      { cwd: app, env },
    );
    run(
      'node',
      [
        '-e',
        "if (typeof require('cdktf-mcp-access/aws').s3AuditBackend !== 'function') throw new Error('no s3AuditBackend');",
      ],
      { cwd: app, env },
    );
    run('node', ['-r', 'cdktf-mcp-access/preload', '-e', "require('cdktf-mcp-access')"], { cwd: app, env });
    step('passed');
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

if (require.main === module) {
  try {
    main();
  } catch (e) {
    process.stderr.write(`package-test: FAILED: ${(e as Error).message}\n`);
    process.exitCode = 1;
  }
}
