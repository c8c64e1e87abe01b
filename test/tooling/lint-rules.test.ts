import { execFileSync } from 'child_process';
import * as path from 'path';

const ROOT = path.join(__dirname, '../..');
/** A provider package root, assembled so that text searches for root imports do not match this file. */
const PROVIDER_ROOT = ['@cdktf', 'provider-okta'].join('/');

/** Each case: code linted as if it were the file at `file`. */
const CASES: Record<string, { code: string; file: string }> = {
  providerRoot: {
    code: `import { AuthServer } from '${PROVIDER_ROOT}';\nexport const a = AuthServer;\n`,
    file: 'examples/x/main.ts',
  },
  deepImport: {
    code: "import { AuthServer } from '@cdktf/provider-okta/lib/auth-server';\nexport const a = AuthServer;\n",
    file: 'lib/identity/x.ts',
  },
  frameworkInLib: { code: "import { Token } from 'cdktf';\nexport const t = Token;\n", file: 'lib/identity/x.ts' },
  layerImportsPack: {
    code: "import { McpAccessChecks } from '../checks/pack';\nexport const c = McpAccessChecks;\n",
    file: 'lib/secrets/x.ts',
  },
  layerImportsRuleType: {
    code: "import type { Rule } from '../checks/rule';\nexport type R = Rule;\n",
    file: 'lib/audit/x.ts',
  },
  layerImportsLayer: {
    code: "export { OktaMcpIdentity } from '../identity/okta-mcp-identity';\n",
    file: 'lib/transport/x.ts',
  },
  coreImportsModel: {
    code: "import { isObject } from '../model/json';\nexport const f = isObject;\n",
    file: 'lib/core/x.ts',
  },
  rulesImportReview: {
    code: "import { SETTINGS } from '../../../review/settings';\nexport const s = SETTINGS;\n",
    file: 'lib/checks/rules/ports/x.ts',
  },
  reviewImportsPatterns: {
    code: "import { SecureMcpAccess } from '../patterns/secure-mcp-access';\nexport const s = SecureMcpAccess;\n",
    file: 'lib/review/x.ts',
  },
  patternsImportCli: {
    code: "import { main } from '../cli/main';\nexport const m = main;\n",
    file: 'lib/patterns/x.ts',
  },
  checksImportModel: {
    code: "import { isObject } from '../model/json';\nexport const f = isObject;\n",
    file: 'lib/checks/x.ts',
  },
  reviewImportsChecks: {
    code: "import { runChecks } from '../checks/engine';\nexport const r = runChecks;\n",
    file: 'lib/review/x.ts',
  },
  layerImportsCore: {
    code: "import { TENANT_CLAIM } from '../core/naming';\nexport const t = TENANT_CLAIM;\n",
    file: 'lib/ports/x.ts',
  },
  newFolder: {
    code: "import { TENANT_CLAIM } from '../core/naming';\nexport const t = TENANT_CLAIM;\n",
    file: 'lib/extras/x.ts',
  },
};

/**
 * Lints every case with the project's ESLint config, as `npm test` runs it, in ONE ESLint process
 * (its API, `lintText` with a file path): starting ESLint with typescript-eslint takes seconds.
 */
function lintAll(): Record<string, string[]> {
  const script = `
    const { ESLint } = require('eslint');
    (async () => {
      const cases = JSON.parse(require('fs').readFileSync(0, 'utf8'));
      const eslint = new ESLint({ cwd: process.cwd() });
      const out = {};
      for (const [name, c] of Object.entries(cases)) {
        const [result] = await eslint.lintText(c.code, { filePath: c.file });
        out[name] = result.messages.map((m) => m.ruleId + ': ' + m.message);
      }
      process.stdout.write(JSON.stringify(out));
    })().catch((e) => { console.error(e); process.exit(1); });`;
  const out = execFileSync(process.execPath, ['-e', script], {
    cwd: ROOT,
    input: JSON.stringify(CASES),
    encoding: 'utf8',
  });
  return JSON.parse(out) as Record<string, string[]>;
}

let results: Record<string, string[]>;
const lint = (name: keyof typeof CASES): string[] => results[name];

beforeAll(() => {
  results = lintAll();
}, 60_000);

describe('house lint rules (ESLint, as `npm test` runs it)', () => {
  test('refuse a provider package root import', () => {
    expect(lint('providerRoot')).toEqual([
      "no-restricted-imports: '@cdktf/provider-okta' import is restricted from being used by a pattern. Import the resource module (@cdktf/provider-<p>/lib/<resource>), never a provider package root: the root loads every provider class (1.4 s, 420 MB).",
    ]);
  });

  test('accept a deep import of a provider resource', () => {
    expect(lint('deepImport')).toEqual([]);
  });

  test('route framework imports in lib/ through lib/core/cdktf.ts', () => {
    expect(lint('frameworkInLib')).toEqual([
      "no-restricted-imports: 'cdktf' import is restricted from being used. Import the framework through lib/core/cdktf.",
    ]);
  });
});

describe('one-way dependencies between the modules of lib/ (house/layer-direction)', () => {
  test('refuse a layer importing the rule pack, type-only imports included', () => {
    expect(lint('layerImportsPack')).toEqual([
      "house/layer-direction: lib/secrets may not import lib/checks ('../checks/pack'): it may import only lib/core.",
    ]);
    expect(lint('layerImportsRuleType')).toEqual([
      "house/layer-direction: lib/audit may not import lib/checks ('../checks/rule'): it may import only lib/core.",
    ]);
  });

  test('refuse a layer importing another layer', () => {
    expect(lint('layerImportsLayer')).toEqual([
      "house/layer-direction: lib/transport may not import lib/identity ('../identity/okta-mcp-identity'): it may import only lib/core.",
    ]);
  });

  test('refuse lib/core importing anything of ours above it, and rules importing the review', () => {
    expect(lint('coreImportsModel')).toEqual([
      "house/layer-direction: lib/core may not import lib/model ('../model/json'): it may import only nothing of ours.",
    ]);
    expect(lint('rulesImportReview')).toEqual([
      "house/layer-direction: lib/checks may not import lib/review ('../../../review/settings'): it may import only lib/core, lib/model.",
    ]);
  });

  test('refuse anything but lib/index.ts and lib/cli importing lib/patterns or lib/cli', () => {
    expect(lint('reviewImportsPatterns')).toEqual([
      "house/layer-direction: lib/review may not import lib/patterns ('../patterns/secure-mcp-access'): it may import only lib/core, lib/model, lib/checks.",
    ]);
    expect(lint('patternsImportCli')).toEqual([
      expect.stringContaining("house/layer-direction: lib/patterns may not import lib/cli ('../cli/main')"),
    ]);
  });

  test('accept the directions the house allows', () => {
    expect(lint('checksImportModel')).toEqual([]);
    expect(lint('reviewImportsChecks')).toEqual([]);
    expect(lint('layerImportsCore')).toEqual([]);
  });

  test('refuse a new top-level folder of lib/ until it is given a place', () => {
    expect(lint('newFolder')).toEqual([
      'house/layer-direction: lib/extras is not a module of the house: add it to tools/eslint-layer-direction.mjs.',
    ]);
  });
});
