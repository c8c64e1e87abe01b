import { ALL_RULES } from '../../lib/checks/rules';

describe('every rule of the pack says what it requires and how to fix a finding', () => {
  test('the pack has the rules of every layer, each id once', () => {
    expect(ALL_RULES.length).toBeGreaterThan(50);
    expect(new Set(ALL_RULES.map((r) => r.id)).size).toBe(ALL_RULES.length);
    expect(new Set(ALL_RULES.map((r) => r.layer))).toEqual(
      new Set(['identity', 'transport', 'ports', 'secrets', 'audit', 'tenancy', 'limits']),
    );
  });

  test.each(ALL_RULES.map((r) => [r.id, r] as const))('%s', (_id, rule) => {
    expect(rule.id).toMatch(/^MCP-(ID|NET|K8S|SEC|AUD|TEN|LIM)-\d+W?$/);
    // A warning rule's id ends in W only where an error rule of the same number exists.
    if (rule.id.endsWith('W')) expect(rule.level).toBe('warning');
    expect(rule.cause.length).toBeGreaterThan(20);
    expect(rule.explanation.length).toBeGreaterThan(100);
    expect(rule.requires.length).toBeGreaterThan(0);
    for (const item of rule.requires) expect([rule.id, item.trim().length > 10]).toEqual([rule.id, true]);
    expect(rule.fix.length).toBeGreaterThan(20);
    expect(rule.fix).not.toMatch(/see RULES\.md/);
  });
});
