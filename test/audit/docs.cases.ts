import * as fs from 'fs';
import * as path from 'path';
import { AUDIT_RULES } from '../../lib/checks/rules/audit';
import {
  AUDIT_OUTCOMES,
  AUDIT_RECORD_FIELDS,
  FLUENT_BIT_IMAGE,
  R2_BUCKET_ITEM_WRITE_PERMISSION_GROUP_ID,
  SHIPPER_DATA_SIZE_LIMIT,
} from '../../lib/core/audit-defaults';

const doc = fs.readFileSync(path.join(__dirname, '../../docs/audit.md'), 'utf8');

describe('docs/audit.md', () => {
  test('documents exactly the audit record fields the library defines, in order, with their types', () => {
    const section = doc.slice(doc.indexOf('## The audit record'), doc.indexOf('## The shipper'));
    const rows = [...section.matchAll(/^\| `([a-z_]+)` +\| (\w+) +\|/gm)].map((m) => [m[1], m[2]]);
    expect(rows).toEqual(Object.keys(AUDIT_RECORD_FIELDS).map((f) => [f, 'string']));
    expect(rows.map(([f]) => f)).toContain('actor_type');
    const example = JSON.parse(/```jsonl\n(.*)\n```/.exec(section)![1]) as Record<string, string>;
    expect(Object.keys(example)).toEqual(Object.keys(AUDIT_RECORD_FIELDS));
    expect(AUDIT_OUTCOMES).toContain(example.outcome);
    expect(example.outcome).toBe('cross_tenant_denied');
  });

  test('names the outcomes, the image, the buffer volume and the permission group the code uses', () => {
    for (const outcome of AUDIT_OUTCOMES) expect(doc).toContain(`\`${outcome}\``);
    expect(doc).toContain(FLUENT_BIT_IMAGE.slice(0, FLUENT_BIT_IMAGE.indexOf('@sha256:')));
    expect(doc).toContain(`sizeLimit: ${SHIPPER_DATA_SIZE_LIMIT}`);
    expect(doc).toContain('Bucket Item Write');
    expect(R2_BUCKET_ITEM_WRITE_PERMISSION_GROUP_ID).toBe('2efd5506f9c8494dacb1fa10a3e7d5b6');
  });

  test('lists every audit rule, with its level', () => {
    expect(AUDIT_RULES.length).toBe(8);
    for (const rule of AUDIT_RULES) expect(doc).toMatch(new RegExp(`^\\| ${rule.id} +\\| ${rule.level} +\\|`, 'm'));
  });

  test('cites the vendor evidence it relies on', () => {
    for (const evidence of ['vectordotdev/vector issue 23029', 'PR 25803', 'PR 3333', 'issue 8595', 'PR 10825']) {
      expect(doc).toContain(evidence);
    }
  });
});
