/**
 * The whole rule pack on a stack with one tenant decommissioned. It lives apart from mcp-ten-3.cases.ts
 * because it runs every rule: mutation runs skip `*-pack.test.ts` files, which would otherwise run for
 * every mutant of the pack (docs/testing.md); npm test runs it.
 */
import { McpAccessChecks } from '../../../../lib/checks/pack';
import { build } from './decommissioned';

test('the whole pack passes the stack with one tenant decommissioned', () => {
  const report = McpAccessChecks.check(build());
  expect(report.applied.length).toBeGreaterThan(25);
  expect(report.findings.map((f) => `${f.ruleId} ${f.address}: ${f.detail}`)).toEqual([]);
});
