import type { Rule } from './rule';

/** RULES.md: every rule of the pack with its id, level, cause and explanation. */
export function renderRulesMarkdown(rules: readonly Rule[]): string {
  const lines = [
    '# Rules of the `McpAccessChecks` pack',
    '',
    '<!-- Generated from lib/checks/rules by `npm run rules:doc`; a test keeps it in step. -->',
    '',
    'Rules run on the synthesized Terraform JSON of a stack: at synth (error findings fail `app.synth()`)',
    'and from the command line (`mcp-access check cdktf.out`). Error-level rules cannot be suppressed;',
    'warning-level rules can, with `McpAccessChecks.suppress(scope, id, reason)` and a reason of 10 or more',
    'characters. A rule that meets an unresolved expression reports `could not decide` as a warning;',
    '`McpAccessChecks.acceptUndecided(scope, id, reason)` accepts those (and only those) for any rule, for',
    "example in a fleet's cell stack, whose references into the foundation stack the rules cannot follow.",
    '',
    '| id | level | layer | cause |',
    '|---|---|---|---|',
    ...rules.map((r) => `| [${r.id}](#${r.id.toLowerCase()}) | ${r.level} | ${r.layer} | ${r.cause} |`),
    '',
  ];
  for (const r of rules) {
    lines.push(`## ${r.id}`, '', `**${r.level}**, ${r.layer}: ${r.cause}.`, '', r.explanation, '');
  }
  return lines.join('\n');
}
