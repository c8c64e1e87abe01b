/**
 * README.md is the front page: short, installable as written (the peer versions package.json
 * declares, a TypeScript runner that runs on our Node), with a complete main.ts and cdktf.json that
 * the packaging test synthesizes from the marked snippets, and a link to every page of docs/.
 * Commands the docs name exist.
 */
import * as fs from 'fs';
import * as path from 'path';
import { documentationPages, links, readPage, ROOT } from './markdown';

const readme = readPage('README.md');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  engines: { node: string };
  scripts: Record<string, string>;
  peerDependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

/** The fenced code block between `<!-- snippet:<name> -->` and `<!-- /snippet -->`. */
function snippet(name: string): { lang: string; code: string } {
  const start = `<!-- snippet:${name} -->`;
  expect(readme.split(start)).toHaveLength(2);
  const rest = readme.slice(readme.indexOf(start) + start.length);
  const end = rest.indexOf('<!-- /snippet -->');
  expect(end).toBeGreaterThan(0);
  const block = /^\s*```(\w+)\n([\s\S]*?)\n```\s*$/.exec(rest.slice(0, end));
  expect(block).not.toBeNull();
  return { lang: block![1], code: block![2] };
}

describe('README.md', () => {
  test('is a front page of at most 250 lines', () => {
    expect(readme.split('\n').length).toBeLessThanOrEqual(250);
  });

  test('installs every peer dependency at the version package.json declares', () => {
    const install = readme.slice(readme.indexOf('## Install'), readme.indexOf('## ', readme.indexOf('## Install') + 3));
    expect(install).toContain('npm install cdktf-mcp-access');
    for (const [name, version] of Object.entries(pkg.peerDependencies)) {
      expect(install).toContain(/[\^~<>= ]/.test(version) ? `'${name}@${version}'` : `${name}@${version}`);
    }
    expect(install).toContain(`tsx@${pkg.devDependencies.tsx}`);
    expect(install).toContain(`cdktf-cli@${pkg.devDependencies['cdktf-cli']}`);
  });

  test('names a TypeScript runner whose engines admit the Node the package supports', () => {
    const tsx = JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules/tsx/package.json'), 'utf8')) as {
      version: string;
      engines: { node: string };
    };
    expect(tsx.version).toBe(pkg.devDependencies.tsx);
    const needs = Number(/^>=\s*(\d+)/.exec(tsx.engines.node)?.[1]);
    const supported = Number(/^>=\s*(\d+)/.exec(pkg.engines.node)?.[1]);
    expect(needs).toBeLessThanOrEqual(supported);
  });

  test('cdktf.json snippet: TypeScript, run with tsx', () => {
    const { lang, code } = snippet('cdktf.json');
    expect(lang).toBe('json');
    const config = JSON.parse(code) as { language: string; app: string };
    expect(config).toEqual({ language: 'typescript', app: 'npx tsx main.ts' });
  });

  test('main.ts snippet: imports the package, deep provider imports, credentials from the environment', () => {
    const { lang, code } = snippet('main.ts');
    expect(lang).toBe('ts');
    const imports = [...code.matchAll(/^import .* from '([^']+)';$/gm)].map((m) => m[1]);
    expect(imports).toContain('cdktf-mcp-access');
    expect(imports.filter((i) => i.startsWith('.'))).toEqual([]);
    for (const provider of imports.filter((i) => i.startsWith('@cdktf/provider-'))) {
      expect(provider).toMatch(/^@cdktf\/provider-[a-z]+\/lib\/[a-z-]+$/);
    }
    // The Okta API token is a sensitive variable (TF_VAR_okta_api_token), never a literal.
    expect(code).toMatch(/new TerraformVariable\(stack, 'okta_api_token', \{[^}]*sensitive: true/);
    expect(code).toContain('apiToken: oktaApiToken.stringValue');
    expect(code).not.toMatch(/(apiToken|token|secret|password):\s*'/i);
    for (const provider of [
      'OktaProvider',
      'CloudflareProvider',
      'KubernetesProvider',
      'VaultProvider',
      'TimeProvider',
    ]) {
      expect(code).toContain(`new ${provider}(stack,`);
    }
  });

  test('main.ts snippet: encrypted S3 state with DynamoDB locking (cdktf 0.21 has no useLockfile), then synthesize(app)', () => {
    const { code } = snippet('main.ts');
    const backend = /new S3Backend\(stack, \{([\s\S]*?)\}\);/.exec(code)?.[1] ?? '';
    expect(backend).toContain('encrypt: true');
    expect(backend).toMatch(/dynamodbTable: '[^']+'/);
    expect(code).not.toContain('useLockfile');
    expect(code).toContain('new SecureMcpAccess(stack, ');
    expect(code.trim().endsWith('synthesize(app);')).toBe(true);
  });

  test('links every page of docs/', () => {
    const targets = new Set(links(readme).map((l) => l.target.split('#')[0]));
    for (const page of documentationPages().filter((p) => p !== 'README.md')) expect(targets).toContain(page);
    expect(targets).toContain('RULES.md');
  });

  test('says that npm test needs luajit, and what happens without it', () => {
    expect(readme).toContain('apt-get install luajit');
    expect(readme).toContain('test/audit/shipper-lua.cases.ts');
    expect(readPage('test/audit/shipper-lua.cases.ts')).toContain("execFileSync('luajit'");
  });
});

describe('commands the documentation names', () => {
  test.each(documentationPages())('%s: every `npm run <script>` is a script of package.json', (page) => {
    const named = [...readPage(page).matchAll(/npm run (?:-s )?([a-z][\w:-]*)/g)].map((m) => m[1]);
    expect(named.filter((script) => !(script in pkg.scripts))).toEqual([]);
  });
});
