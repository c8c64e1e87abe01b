import * as fs from 'fs';
import * as path from 'path';

/**
 * Registers every `*.cases.ts` of a folder in the calling jest test file. Jest gives each test file
 * its own module registry, so each file loads cdktf, the providers and the rule pack afresh (about
 * 0.4 s); the tests of a layer are many and small, so a folder of them holds `*.cases.ts` files and
 * one `suite.test.ts` that runs them all in one registry. Reading the folder (rather than listing the files)
 * means a new cases file cannot be left out. Mutation runs load each cases file on its own
 * (stryker.config.json), so that a mutant only runs the cases nearest its code. See docs/testing.md.
 */
export function registerCasesOf(dir: string): void {
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.cases.ts'))
    .sort();
  if (files.length === 0) throw new Error(`${dir} holds no *.cases.ts file`);
  // A static import per file would let a new file go unrun; jest's require runs the TypeScript through
  // the same transform as any test file.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  for (const file of files) require(path.join(dir, file));
}
