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
    'characters. Every rule passes only when it can show one of the safe shapes it requires (an',
    'allow-list); a value it cannot read (an expression it cannot follow, a variable without a literal',
    'default, a reference into state no stack of the app declares) is reported as `could not decide` at the',
    "rule's own level, so an error-level rule that cannot decide fails synth. References between stacks of",
    'one app are followed into the stack that declares them, so a fleet is judged as a whole.',
    '',
    '| id | level | layer | cause |',
    '|---|---|---|---|',
    ...rules.map((r) => `| [${r.id}](#${r.id.toLowerCase()}) | ${r.level} | ${r.layer} | ${r.cause} |`),
    '',
  ];
  for (const r of rules) {
    lines.push(`## ${r.id}`, '', `**${r.level}**, ${r.layer}: ${r.cause}.`, '', r.explanation, '');
    if (r.requires && r.requires.length > 0) {
      lines.push('Requires (anything else is refused):', '', ...r.requires.map((q) => `- ${q}`), '');
    }
    if (r.fix) lines.push(`Fix: ${r.fix}`, '');
  }
  return lines.join('\n');
}
