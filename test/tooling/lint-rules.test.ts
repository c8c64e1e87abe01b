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

describe('one-way dependencies between the modules of lib/ (house/layer-direction)', () => {
  jest.setTimeout(60_000);

  test('refuse a layer importing the rule pack, type-only imports included', () => {
    expect(
      lint(
        "import { McpAccessChecks } from '../checks/pack';\nexport const c = McpAccessChecks;\n",
        'lib/secrets/x.ts',
      ),
    ).toEqual([
      "house/layer-direction: lib/secrets may not import lib/checks ('../checks/pack'): it may import only lib/core.",
    ]);
    expect(lint("import type { Rule } from '../checks/rule';\nexport type R = Rule;\n", 'lib/audit/x.ts')).toEqual([
      "house/layer-direction: lib/audit may not import lib/checks ('../checks/rule'): it may import only lib/core.",
    ]);
  });

  test('refuse a layer importing another layer', () => {
    expect(lint("export { OktaMcpIdentity } from '../identity/okta-mcp-identity';\n", 'lib/transport/x.ts')).toEqual([
      "house/layer-direction: lib/transport may not import lib/identity ('../identity/okta-mcp-identity'): it may import only lib/core.",
    ]);
  });

  test('refuse lib/core importing anything of ours above it, and rules importing the review', () => {
    expect(lint("import { isObject } from '../model/json';\nexport const f = isObject;\n", 'lib/core/x.ts')).toEqual([
      "house/layer-direction: lib/core may not import lib/model ('../model/json'): it may import only nothing of ours.",
    ]);
    expect(
      lint(
        "import { SETTINGS } from '../../../review/settings';\nexport const s = SETTINGS;\n",
        'lib/checks/rules/ports/x.ts',
      ),
    ).toEqual([
      "house/layer-direction: lib/checks may not import lib/review ('../../../review/settings'): it may import only lib/core, lib/model.",
    ]);
  });

  test('refuse anything but lib/index.ts and lib/cli importing lib/patterns or lib/cli', () => {
    expect(
      lint(
        "import { SecureMcpAccess } from '../patterns/secure-mcp-access';\nexport const s = SecureMcpAccess;\n",
        'lib/review/x.ts',
      ),
    ).toEqual([
      "house/layer-direction: lib/review may not import lib/patterns ('../patterns/secure-mcp-access'): it may import only lib/core, lib/model, lib/checks.",
    ]);
    expect(lint("import { main } from '../cli/main';\nexport const m = main;\n", 'lib/patterns/x.ts')).toEqual([
      expect.stringContaining("house/layer-direction: lib/patterns may not import lib/cli ('../cli/main')"),
    ]);
  });

  test('accept the directions the house allows', () => {
    expect(lint("import { isObject } from '../model/json';\nexport const f = isObject;\n", 'lib/checks/x.ts')).toEqual(
      [],
    );
    expect(
      lint("import { runChecks } from '../checks/engine';\nexport const r = runChecks;\n", 'lib/review/x.ts'),
    ).toEqual([]);
    expect(
      lint("import { TENANT_CLAIM } from '../core/naming';\nexport const t = TENANT_CLAIM;\n", 'lib/ports/x.ts'),
    ).toEqual([]);
  });

  test('refuse a new top-level folder of lib/ until it is given a place', () => {
    expect(
      lint("import { TENANT_CLAIM } from '../core/naming';\nexport const t = TENANT_CLAIM;\n", 'lib/extras/x.ts'),
    ).toEqual([
      'house/layer-direction: lib/extras is not a module of the house: add it to tools/eslint-layer-direction.mjs.',
    ]);
  });
});
