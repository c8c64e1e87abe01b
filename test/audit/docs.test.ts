import * as fs from 'fs';
import * as path from 'path';
import { AUDIT_OUTCOMES, AUDIT_RECORD_FIELDS, CROSS_TENANT_OUTCOME, VECTOR_IMAGE } from '../../lib/core/audit-defaults';

const doc = fs.readFileSync(path.join(__dirname, '../../README.md'), 'utf8');

describe('README, audit section', () => {
  test('documents exactly the audit record fields the library defines, with their types', () => {
    const section = doc.slice(doc.indexOf('### The audit record'), doc.indexOf('### The shipper'));
    const rows = [...section.matchAll(/^\| `([a-z_]+)` +\| (\w+) +\|/gm)].map((m) => [m[1], m[2]]);
    expect(rows).toEqual(Object.keys(AUDIT_RECORD_FIELDS).map((f) => [f, 'string']));
    const example = JSON.parse(/```jsonl\n(.*)\n```/.exec(section)![1]) as Record<string, string>;
    expect(Object.keys(example)).toEqual(Object.keys(AUDIT_RECORD_FIELDS));
    expect(AUDIT_OUTCOMES).toContain(example.outcome);
    expect(example.outcome).toBe(CROSS_TENANT_OUTCOME);
  });

  test('names the outcomes and the default image the code uses', () => {
    for (const outcome of AUDIT_OUTCOMES) expect(doc).toContain(`\`${outcome}\``);
    expect(doc).toContain(VECTOR_IMAGE.slice(0, VECTOR_IMAGE.indexOf('@sha256:') + 16));
  });
});
