import * as fs from 'fs';
import * as path from 'path';
import { renderRulesMarkdown } from '../../lib/checks/rules-doc';
import { ALL_RULES, compareRuleIds } from '../../lib/checks/rules';

describe('RULES.md', () => {
  test('lists every registered rule, as `npm run rules:doc` writes it', () => {
    const committed = fs.readFileSync(path.join(__dirname, '../../RULES.md'), 'utf8');
    expect(committed).toBe(renderRulesMarkdown(ALL_RULES));
    for (const rule of ALL_RULES) expect(committed).toContain(`## ${rule.id}\n`);
  });

  test('every rule has an id of the form MCP-<LAYER>-<n>, a one-line cause and an explanation', () => {
    for (const rule of ALL_RULES) {
      expect(rule.id).toMatch(/^MCP-(ID|NET|K8S|SEC|AUD|TEN|LIM)-\d+[A-Z]?$/);
      expect(rule.cause).not.toMatch(/\n/);
      expect(rule.cause.length).toBeGreaterThan(10);
      expect(rule.explanation.length).toBeGreaterThan(rule.cause.length);
    }
  });

  test('rules are ordered by layer, then by number', () => {
    expect(['MCP-TEN-1', 'MCP-K8S-10', 'MCP-ID-2', 'MCP-K8S-9', 'MCP-NET-1'].sort(compareRuleIds)).toEqual([
      'MCP-ID-2',
      'MCP-NET-1',
      'MCP-K8S-9',
      'MCP-K8S-10',
      'MCP-TEN-1',
    ]);
  });
});
