/**
 * The API reference is generated from the TSDoc by `npm run docs:api` (typedoc, typedoc.json) into
 * docs/api/, which is not committed: it documents the package's entry points, and nothing links into
 * it but its index (test/docs/links.cases.ts).
 */
import * as fs from 'fs';
import * as path from 'path';
import { API_DIR, ROOT } from './markdown';

const config = JSON.parse(fs.readFileSync(path.join(ROOT, 'typedoc.json'), 'utf8')) as {
  entryPoints: string[];
  out: string;
  tsconfig: string;
};
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  main: string;
  scripts: Record<string, string>;
};

describe('the API reference', () => {
  test('documents the package entry points: the root and cdktf-mcp-access/aws', () => {
    expect(config.entryPoints).toEqual(['lib/index.ts', 'lib/aws.ts']);
    for (const entry of config.entryPoints) expect(fs.existsSync(path.join(ROOT, entry))).toBe(true);
    expect(pkg.main).toBe('dist/index.js');
    expect(fs.readFileSync(path.join(ROOT, 'aws.js'), 'utf8')).toContain("require('./dist/aws')");
    expect(fs.existsSync(path.join(ROOT, config.tsconfig))).toBe(true);
  });

  test('is written to docs/api by npm run docs:api, and not committed', () => {
    expect(config.out).toBe(API_DIR);
    expect(pkg.scripts['docs:api']).toBe('typedoc');
    const ignored = fs.readFileSync(path.join(ROOT, '.gitignore'), 'utf8').split('\n');
    expect(ignored).toContain(`${API_DIR}/`);
  });
});
