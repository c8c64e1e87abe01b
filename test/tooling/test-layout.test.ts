/**
 * The suite's layout (test/cases.ts): every `*.cases.ts` runs, because its folder's `suite.test.ts`
 * registers the whole folder; no cases file sits where no suite would load it.
 */
import * as fs from 'fs';
import * as path from 'path';

const TEST_ROOT = path.join(__dirname, '..');

function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? filesUnder(path.join(dir, entry.name)) : [path.join(dir, entry.name)]));
}

const casesFolders = [
  ...new Set(
    filesUnder(TEST_ROOT)
      .filter((file) => file.endsWith('.cases.ts'))
      .map((file) => path.relative(TEST_ROOT, path.dirname(file))),
  ),
].sort();

test('the folders of cases files are the ones grouped into one suite', () => {
  expect(casesFolders).toEqual([
    'audit',
    'checks/rules/audit',
    'checks/rules/identity',
    'checks/rules/limits',
    'checks/rules/ports',
    'checks/rules/secrets',
    'checks/rules/tenancy',
    'checks/rules/transport',
    'checks/tamper',
    'cli',
    'docs',
    'fleet',
    'identity',
    'mcp-server',
    'patterns',
    'ports',
    'review',
    'secrets',
    'transport',
  ]);
});

test.each(casesFolders)('%s: suite.test.ts registers every cases file of the folder', (folder) => {
  const suite = fs.readFileSync(path.join(TEST_ROOT, folder, 'suite.test.ts'), 'utf8');
  expect(suite).toMatch(/^registerCasesOf\(__dirname\);$/m);
});
