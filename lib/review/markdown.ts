/** Renders a {@link Review} as GitHub-flavoured Markdown for a pull-request comment. */
import type { Finding } from '../checks/engine';
import { differences, inTable } from './build';
import {
  type CommonPosture,
  type DataBearingChange,
  type FindingCounts,
  LAYER_TITLES,
  type ResourceChange,
  type Review,
  type ReviewLayer,
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

/** Tenant ids in one line: the first 20, then how many more. */
function tenantList(tenants: readonly string[]): string {
  const shown = tenants.slice(0, 20).map(code).join(', ');
  return tenants.length > 20 ? `${shown} and ${tenants.length - 20} more` : shown;
}

const layerTitle = (layer: ReviewLayer | 'stack'): string => (layer === 'stack' ? 'stack' : LAYER_TITLES[layer]);

function countsText(c: FindingCounts): string {
  return `${plural(c.errors, 'error')}, ${plural(c.warnings, 'warning')}, ${c.suppressed} suppressed`;
}

function summaryLine(review: Review): string {
  const t = review.totals;
  const parts = [
    ...(t.stacks > 1 ? [plural(t.stacks, 'stack')] : []),
    plural(t.tenants, 'tenant'),
    `${plural(t.resources, 'resource')}${review.unchangedStacks.length > 0 ? ' in the stacks read' : ''}`,
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
    layerTitle(c.layer),
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
  const deviating = changes.tenants.addedDeviating;
  if (review.length === 0 && changes.dataBearing.length === 0 && deviating.length === 0) lines.push('None.', '');
  if (review.length > 0) lines.push(...table(CHANGE_HEADER, changeRows(review)), '');
  for (const d of deviating) {
    lines.push(`- **unclassified** new tenant ${code(d.tenant)} deviates from the default posture:`);
    for (const line of d.differences) lines.push(`  - ${cell(line)}`);
  }
  if (deviating.length > 0) lines.push('');
  if (changes.dataBearing.length > 0) lines.push(...changes.dataBearing.map(dataBearingLine), '');

  lines.push('**2. Tenants**', '');
  const { added, removed, scopesChanged, decommissioned } = changes.tenants;
  if (added.length + removed.length + scopesChanged.length + decommissioned.length === 0) {
    lines.push('No tenant added or removed.', '');
  } else {
    const fitting = added.filter((t) => !deviating.some((d) => d.tenant === t));
    if (fitting.length > 0) lines.push(`- new, holding the default posture: ${tenantList(fitting)}`);
    if (deviating.length > 0) lines.push(`- new, deviating (see above): ${tenantList(deviating.map((d) => d.tenant))}`);
    if (removed.length > 0) lines.push(`- removed: ${tenantList(removed)}`);
    if (decommissioned.length > 0) {
      lines.push(
        `- decommissioned: ${tenantList(decommissioned)} (every way in removed; data-bearing resources kept, judged above)`,
      );
    }
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

function settingsTable(scope: ScopeReview): string[] {
  let layer: string | undefined;
  const rows = scope.settings.filter(inTable).map((s) => {
    const first = s.layer !== layer;
    layer = s.layer;
    return [first ? LAYER_TITLES[s.layer] : '', cell(s.label), cell(s.display), s.address ? code(s.address) : ''];
  });
  return rows.length > 0 ? table(['layer', 'setting', 'value', 'resource'], rows) : ['No security-relevant settings.'];
}

function renderScope(scope: ScopeReview, posture: CommonPosture | null): string[] {
  const title = scope.tenant === null ? 'Shared resources' : `Tenant ${cell(scope.tenant)}`;
  // Collapsed unless something is wrong, so that a large fleet stays readable in one comment.
  const open = scope.counts.errors > 0 ? ' open' : '';
  const lines: string[] = [
    `<details${open}><summary><b>${title}</b>: ${plural(scope.resources, 'resource')}, ${countsText(scope.counts)}</summary>`,
    '',
    ...settingsTable(scope),
    '',
  ];
  const differ = scope.tenant !== null && posture ? differences(scope, posture) : [];
  if (differ.length > 0) lines.push('Differs from the default posture:', '', ...differ.map((d) => `- ${cell(d)}`), '');
  lines.push(scope.findings.length === 0 ? 'Findings: none.' : 'Findings:', '');
  if (scope.findings.length > 0) lines.push(...scope.findings.map(findingLine), '');
  lines.push('</details>', '');
  return lines;
}

/** The default posture, once for the whole review, collapsed. */
function renderPosture(posture: CommonPosture): string[] {
  let layer: string | undefined;
  const rows = posture.settings.filter(inTable).map((s) => {
    const first = s.layer !== layer;
    layer = s.layer;
    return [first ? LAYER_TITLES[s.layer] : '', cell(s.label), cell(s.display)];
  });
  const warnings =
    posture.warnings.length > 0
      ? `, each with ${posture.warnings.map((w) => (/^MCP-/.test(w) ? `${w} warning` : w)).join(', ')}`
      : '';
  return [
    `<details><summary><b>Default posture</b>, held by ${plural(posture.tenants, 'tenant')} of the stacks read${warnings} (\`<t>\`: the tenant)</summary>`,
    '',
    ...table(['layer', 'setting', 'value'], rows),
    '',
    '</details>',
    '',
  ];
}

/** One line for a stack with nothing to review. */
function quietLine(stack: StackReview): string {
  const holding = stack.defaultTenants.length;
  const retired = stack.decommissionedTenants.length;
  const parts = [
    ...(holding > 0 ? [`${plural(holding, 'tenant')} ${holding === 1 ? 'holds' : 'hold'} the default posture`] : []),
    ...(retired > 0 ? [`${plural(retired, 'decommissioned tenant')}`] : []),
  ];
  return `- ${code(stack.stack)}: ${parts.length > 0 ? parts.join(', ') : 'no tenants'}, no error, no change`;
}

function renderStack(stack: StackReview, posture: CommonPosture | null): string[] {
  const lines: string[] = [
    `### Stack ${code(stack.stack)}`,
    '',
    `${plural(stack.tenants.length, 'tenant')} · ${plural(stack.resources, 'resource')} · ${countsText(stack.counts)}`,
    '',
  ];
  if (stack.changes) lines.push(...renderChanges(stack.changes));
  for (const s of stack.refusedSuppressions) lines.push(`- ${cell(s)}`);
  if (stack.refusedSuppressions.length > 0) lines.push('');
  if (stack.defaultTenants.length > 0) {
    lines.push(
      `${plural(stack.defaultTenants.length, 'tenant')} ${stack.defaultTenants.length === 1 ? 'holds' : 'hold'} the default posture: ${tenantList(stack.defaultTenants)}`,
      '',
    );
  }
  if (stack.decommissionedTenants.length > 0) {
    lines.push(
      `${plural(stack.decommissionedTenants.length, 'decommissioned tenant')} (only their data is kept): ${tenantList(stack.decommissionedTenants)}`,
      '',
    );
  }
  for (const scope of stack.scopes) lines.push(...renderScope(scope, posture));
  return lines;
}

/**
 * The review as Markdown: summary line, blocking reasons, the changes a security reviewer must
 * approve (one line each), the default posture once, one line per stack with nothing to review,
 * then per stack the changes and the tenants that deviate or that a change touches.
 */
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
  if (review.defaultPosture && review.totals.tenants > 1) lines.push(...renderPosture(review.defaultPosture));

  const quiet = review.stacks.filter((s) => s.quiet);
  if (quiet.length + review.unchangedStacks.length > 0) {
    lines.push('**Stacks with nothing to review**', '');
    for (const s of quiet) lines.push(quietLine(s));
    for (const u of review.unchangedStacks) {
      const tenants = u.tenants === null ? '' : u.tenants === 0 ? ' (no tenants)' : ` (${plural(u.tenants, 'tenant')})`;
      lines.push(`- ${code(u.stack)}${tenants}: identical to the base, as are the stacks it reads: not read again`);
    }
    lines.push('');
  }
  for (const stack of review.stacks) if (!stack.quiet) lines.push(...renderStack(stack, review.defaultPosture));
  return lines.join('\n').replace(/\n+$/, '\n');
}
