/**
 * Each layer's page lists every rule of its layer that RULES.md (generated from the registered rules)
 * lists, with the same level: a new rule cannot land without its layer's page naming it.
 */
import { readPage, tables } from './markdown';

/** The page that lists each layer's rules. */
const PAGES: Readonly<Record<string, string>> = {
  identity: 'docs/identity.md',
  transport: 'docs/transport.md',
  ports: 'docs/ports.md',
  secrets: 'docs/secrets.md',
  audit: 'docs/audit.md',
  tenancy: 'docs/rule-pack.md',
  limits: 'docs/rule-pack.md',
};

/** The rules RULES.md lists in its table: id, level and layer. */
const listed = tables(readPage('RULES.md'))
  .filter((t) => t.headers.join('|') === 'id|level|layer|cause')
  .flatMap((t) => t.rows)
  .map((row) => ({ id: /MCP-[A-Z0-9]+-\d+W?/.exec(row[0])![0], level: row[1], layer: row[2] }));

describe('rules on the layer pages', () => {
  test('RULES.md lists rules of every layer', () => {
    expect(new Set(listed.map((r) => r.layer))).toEqual(new Set(Object.keys(PAGES)));
    expect(listed.length).toBeGreaterThan(40);
  });

  test.each(listed.map((r) => [r.id, r.level, r.layer] as const))('%s (%s) is on the %s page', (id, level, layer) => {
    const page = PAGES[layer];
    const rows = tables(readPage(page))
      .flatMap((t) => t.rows)
      .filter((row) => new RegExp(`^\\[?${id}\\]?(\\([^)]*\\))?$`).test(row[0]));
    expect(rows.map((row) => row[1])).toEqual([level]);
  });
});
