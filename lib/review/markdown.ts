/** Renders a {@link Review} as GitHub-flavoured Markdown for a pull-request comment. */
import type { Finding } from '../checks/engine';
import {
  type DataBearingChange,
  type FindingCounts,
  LAYER_TITLES,
  type Review,
  type ScopeReview,
  type SettingChange,
  type StackChanges,
  type StackReview,
} from './model';

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Text safe in Markdown prose and table cells: no HTML tag, no cell break, one line. */
function cell(value: string): string {
  return value.replace(/</g, '&lt;').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** A code span that survives backticks in the value. */
function code(value: string): string {
  const fence = value.includes('`') ? '``' : '`';
  return `${fence}${value.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ')}${fence}`;
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => ' --- ').join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ];
}

function countsText(c: FindingCounts): string {
  return `${plural(c.errors, 'error')}, ${plural(c.warnings, 'warning')}, ${c.suppressed} suppressed`;
}

function summaryLine(review: Review): string {
  const t = review.totals;
  const parts = [
    ...(t.stacks > 1 ? [plural(t.stacks, 'stack')] : []),
    plural(t.tenants, 'tenant'),
    plural(t.resources, 'resource'),
    `findings: ${plural(t.errors, 'error')}, ${plural(t.warnings, 'warning')}, ${t.suppressed} suppressed`,
  ];
  const base = review.compared
    ? ` · against the base: ${plural(t.weakened, 'weakened setting')}, ${plural(t.destroyed, 'data-bearing resource')} destroyed`
    : '';
  return `**${parts.join(' · ')}**${base}`;
}

function findingLine(f: Finding): string {
  const undecided = f.undecided ? 'could not decide: ' : '';
  const detail = f.detail ? ` (${cell(f.detail)})` : '';
  return `- **${f.level}** ${code(f.ruleId)} ${code(f.address)}: ${undecided}${cell(f.cause)}${detail}`;
}

function settingChangeRows(changes: readonly SettingChange[]): string[][] {
  return changes.map((c) => [
    c.tenant === null ? 'shared' : code(c.tenant),
    LAYER_TITLES[c.layer],
    cell(c.label),
    `${cell(c.beforeDisplay)} -> ${cell(c.afterDisplay)}`,
    c.baseAddress ? `${code(c.baseAddress)} -> ${code(c.address)}` : code(c.address),
  ]);
}

function dataBearingLine(c: DataBearingChange): string {
  const target = c.newAddress && c.newAddress !== c.address ? ` -> ${code(c.newAddress)}` : '';
  const tenant = c.tenant === null ? 'shared' : `tenant ${code(c.tenant)}`;
  return `- **${c.kind}** ${code(c.address)}${target} (${tenant}): ${cell(c.detail)}`;
}

function renderChanges(changes: StackChanges): string[] {
  const lines: string[] = ['#### Changes against the base', ''];
  if (changes.baseStack === null) lines.push('The base has no such stack: every resource is new.', '');

  lines.push('**1. Weakened security settings and data-bearing resources**', '');
  if (changes.weakened.length === 0 && changes.dataBearing.length === 0) lines.push('None.', '');
  if (changes.weakened.length > 0) {
    lines.push(
      ...table(['tenant', 'layer', 'setting', 'before -> after', 'resource'], settingChangeRows(changes.weakened)),
      '',
    );
  }
  if (changes.dataBearing.length > 0) lines.push(...changes.dataBearing.map(dataBearingLine), '');

  lines.push('**2. Tenants**', '');
  const { added, removed, scopesChanged } = changes.tenants;
  if (added.length + removed.length + scopesChanged.length === 0) lines.push('No tenant added or removed.', '');
  else {
    if (added.length > 0) lines.push(`- new: ${added.map(code).join(', ')}`);
    if (removed.length > 0) lines.push(`- removed: ${removed.map(code).join(', ')}`);
    for (const s of scopesChanged) {
      lines.push(
        `- scope of ${code(s.tenant)} renamed: ${s.before.map(code).join(', ')} -> ${s.after.map(code).join(', ')}`,
      );
    }
    lines.push('');
  }

  lines.push('**3. Other changes**', '');
  if (changes.otherSettings.length === 0 && changes.byType.length === 0) lines.push('None.', '');
  if (changes.otherSettings.length > 0) {
    lines.push(
      'Settings changed (not weaker):',
      '',
      ...table(['tenant', 'layer', 'setting', 'before -> after', 'resource'], settingChangeRows(changes.otherSettings)),
      '',
    );
  }
  if (changes.byType.length > 0) {
    lines.push(
      ...table(
        ['resource type', 'added', 'removed', 'renamed', 'changed'],
        changes.byType.map((c) => [
          code(c.type),
          String(c.added),
          String(c.removed),
          String(c.renamed),
          String(c.changed),
        ]),
      ),
      '',
    );
  }
  return lines;
}

function renderScope(scope: ScopeReview): string[] {
  const title = scope.tenant === null ? 'Shared resources' : `Tenant ${cell(scope.tenant)}`;
  // Collapsed unless something is wrong, so that a large fleet stays readable in one comment.
  const open = scope.counts.errors > 0 ? ' open' : '';
  const lines: string[] = [
    `<details${open}><summary><b>${title}</b>: ${plural(scope.resources, 'resource')}, ${countsText(scope.counts)}</summary>`,
    '',
  ];
  let layer: string | undefined;
  const rows = scope.settings.map((s) => {
    const first = s.layer !== layer;
    layer = s.layer;
    return [first ? LAYER_TITLES[s.layer] : '', cell(s.label), cell(s.display), s.address ? code(s.address) : ''];
  });
  if (rows.length > 0) lines.push(...table(['layer', 'setting', 'value', 'resource'], rows), '');
  else lines.push('No security-relevant settings.', '');
  lines.push(scope.findings.length === 0 ? 'Findings: none.' : 'Findings:', '');
  if (scope.findings.length > 0) lines.push(...scope.findings.map(findingLine), '');
  lines.push('</details>', '');
  return lines;
}

function renderStack(stack: StackReview): string[] {
  const lines: string[] = [
    `### Stack ${code(stack.stack)}`,
    '',
    `${plural(stack.tenants.length, 'tenant')} · ${plural(stack.resources, 'resource')} · ${countsText(stack.counts)}`,
    '',
  ];
  if (stack.changes) lines.push(...renderChanges(stack.changes));
  for (const s of stack.refusedSuppressions) lines.push(`- ${cell(s)}`);
  if (stack.refusedSuppressions.length > 0) lines.push('');
  for (const scope of stack.scopes) lines.push(...renderScope(scope));
  return lines;
}

/** The review as Markdown: summary line, blocking reasons, then per stack the changes and per-tenant tables. */
export function renderMarkdown(review: Review): string {
  const lines: string[] = ['## mcp-access review', '', summaryLine(review), ''];
  if (review.exitCode === 1) {
    lines.push('**Blocking** (exit 1):', '', ...review.blocking.map((b) => `- ${cell(b)}`), '');
  }
  for (const name of review.removedStacks) {
    lines.push(`- stack ${code(name)} is in the base only: its resources are no longer managed by this app.`);
  }
  if (review.removedStacks.length > 0) lines.push('');
  for (const stack of review.stacks) lines.push(...renderStack(stack));
  return lines.join('\n').replace(/\n+$/, '\n');
}
