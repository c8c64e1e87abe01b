/** Renders a {@link Review} as GitHub-flavoured Markdown for a pull-request comment. */
import type { Finding } from '../checks/engine';
import {
  type CommonPosture,
  type DataBearingChange,
  type FindingCounts,
  LAYER_TITLES,
  type ResourceChange,
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
    ? ` · against the base: ${plural(t.weakened, 'weakened change')}, ${plural(t.unclassified, 'unclassified change')}, ${t.strengthened} strengthened, ${plural(t.destroyed, 'data-bearing resource')} destroyed`
    : '';
  return `**${parts.join(' · ')}**${base}`;
}

function findingLine(f: Finding): string {
  const undecided = f.undecided ? 'could not decide: ' : '';
  const detail = f.detail ? ` (${cell(f.detail)})` : '';
  return `- **${f.level}** ${code(f.ruleId)} ${code(f.address)}: ${undecided}${cell(f.cause)}${detail}`;
}

function changeRows(changes: readonly (SettingChange | ResourceChange)[]): string[][] {
  return changes.map((c) => [
    c.classification,
    c.tenant === null ? 'shared' : code(c.tenant),
    c.layer === 'tenancy' ? 'tenancy' : LAYER_TITLES[c.layer],
    'setting' in c ? cell(c.label) : `${code(c.type)} ${c.kind === 'attributes' ? 'changed' : c.kind}`,
    'setting' in c ? `${cell(c.beforeDisplay)} -> ${cell(c.afterDisplay)}` : cell(c.detail),
    'setting' in c && c.baseAddress ? `${code(c.baseAddress)} -> ${code(c.address)}` : code(c.address),
    c.rule ? code(c.rule) : '',
  ]);
}

const CHANGE_HEADER = ['change', 'tenant', 'layer', 'setting or resource', 'before -> after', 'resource', 'rule'];

function dataBearingLine(c: DataBearingChange): string {
  const target = c.newAddress && c.newAddress !== c.address ? ` -> ${code(c.newAddress)}` : '';
  const tenant = c.tenant === null ? 'shared' : `tenant ${code(c.tenant)}`;
  return `- **${c.kind}** ${code(c.address)}${target} (${tenant}): ${cell(c.detail)}`;
}

function renderChanges(changes: StackChanges): string[] {
  const lines: string[] = ['#### Changes against the base', ''];
  if (changes.baseStack === null) lines.push('The base has no such stack: every resource is new.', '');

  lines.push('**1. Weakened or unclassified changes, and data-bearing resources**', '');
  const review = [...changes.weakened, ...changes.weakenedResources, ...changes.unclassified];
  if (review.length === 0 && changes.dataBearing.length === 0) lines.push('None.', '');
  if (review.length > 0) lines.push(...table(CHANGE_HEADER, changeRows(review)), '');
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
  const other = [...changes.otherSettings, ...changes.otherResources];
  if (other.length === 0 && changes.byType.length === 0) lines.push('None.', '');
  if (other.length > 0) lines.push('Strengthened or neutral:', '', ...table(CHANGE_HEADER, changeRows(other)), '');
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

/** The tenants that share the common posture, in one line, with that posture's table collapsed. */
function renderCommon(common: CommonPosture): string[] {
  const shown = common.tenants.slice(0, 20).map(code).join(', ');
  const more = common.tenants.length > 20 ? ` and ${common.tenants.length - 20} more` : '';
  const lines = [
    `<details><summary><b>${plural(common.tenants.length, 'tenant')}</b> hold the stack's common posture, no findings: ${shown}${more}</summary>`,
    '',
  ];
  let layer: string | undefined;
  const rows = common.settings.map((s) => {
    const first = s.layer !== layer;
    layer = s.layer;
    return [first ? LAYER_TITLES[s.layer] : '', cell(s.label), cell(s.display)];
  });
  lines.push(...table(['layer', 'setting', 'value (`<t>`: the tenant)'], rows), '', '</details>', '');
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
  if (stack.common) lines.push(...renderCommon(stack.common));
  for (const scope of stack.scopes) lines.push(...renderScope(scope));
  return lines;
}

/** The review as Markdown: summary line, blocking reasons, then per stack the changes and per-tenant tables. */
export function renderMarkdown(review: Review): string {
  const lines: string[] = ['## mcp-access review', '', summaryLine(review), ''];
  if (review.blocking.length > 0) {
    lines.push('**Blocking** (exit 1):', '', ...review.blocking.map((b) => `- ${cell(b)}`), '');
  }
  if (review.needsReview.length > 0) {
    lines.push(
      `**Needs a security reviewer**${review.exitCode === 3 ? ' (exit 3)' : ''}: ${plural(review.needsReview.length, 'change')} weaken security or could not be classified.`,
      '',
      ...review.needsReview.map((b) => `- ${cell(b)}`),
      '',
    );
  }
  for (const name of review.removedStacks) {
    lines.push(`- stack ${code(name)} is in the base only: its resources are no longer managed by this app.`);
  }
  if (review.removedStacks.length > 0) lines.push('');
  for (const stack of review.stacks) lines.push(...renderStack(stack));
  return lines.join('\n').replace(/\n+$/, '\n');
}
