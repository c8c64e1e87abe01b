import { execFileSync } from 'child_process';
import * as path from 'path';

const ROOT = path.join(__dirname, '../..');
const ESLINT = path.join(ROOT, 'node_modules/eslint/bin/eslint.js');
/** A provider package root, assembled so that text searches for root imports do not match this file. */
const PROVIDER_ROOT = ['@cdktf', 'provider-okta'].join('/');

/** Messages the project's ESLint config reports for `code` as if it were the file at `file`. */
function lint(code: string, file: string): string[] {
  let out: string;
  try {
    out = execFileSync(process.execPath, [ESLINT, '--stdin', '--stdin-filename', file, '--format', 'json'], {
      cwd: ROOT,
      input: code,
      encoding: 'utf8',
    });
  } catch (e) {
    out = (e as { stdout: string }).stdout;
  }
  const [result] = JSON.parse(out) as { messages: { ruleId: string; message: string }[] }[];
  return result.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

describe('house lint rules (ESLint, as `npm test` runs it)', () => {
  jest.setTimeout(60_000);

  test('refuse a provider package root import', () => {
    expect(
      lint(`import { AuthServer } from '${PROVIDER_ROOT}';\nexport const a = AuthServer;\n`, 'examples/x/main.ts'),
    ).toEqual([
      "no-restricted-imports: '@cdktf/provider-okta' import is restricted from being used by a pattern. Import the resource module (@cdktf/provider-<p>/lib/<resource>), never a provider package root: the root loads every provider class (1.4 s, 420 MB).",
    ]);
  });

  test('accept a deep import of a provider resource', () => {
    const code = "import { AuthServer } from '@cdktf/provider-okta/lib/auth-server';\nexport const a = AuthServer;\n";
    expect(lint(code, 'lib/identity/x.ts')).toEqual([]);
  });

  test('route framework imports in lib/ through lib/core/cdktf.ts', () => {
    expect(lint("import { Token } from 'cdktf';\nexport const t = Token;\n", 'lib/identity/x.ts')).toEqual([
      "no-restricted-imports: 'cdktf' import is restricted from being used. Import the framework through lib/core/cdktf.",
    ]);
  });
});
