/**
 * `buildReview`: one pass over each synthesized stack (indexed once by `SynthesizedStack`) turns it
 * into the review model: per tenant the five layers' settings and the rule findings, and, with a
 * base, what changed, every change classified. Tenants that hold the default posture with no
 * finding and no change are summarized in one line per stack, so a fleet's review stays short.
 */
import { type CheckReport, type Finding, runChecks } from '../checks/engine';
import type { Rule } from '../checks/rule';
import { ALL_RULES } from '../checks/rules';
import type { ResourceEntry, SynthesizedStack } from '../model/stack';
import { decommissionedTenants, diffStacks } from './diff';
import {
  type CommonPosture,
  type DeviatingTenant,
  type FindingCounts,
  LAYER_TITLES,
  type ResourceChange,
  type Review,
  REVIEW_EXIT,
  REVIEW_LAYERS,
  type ScopeReview,
  type SettingChange,
  type SettingReading,
  type StackChanges,
  type StackReview,
  type UnchangedStack,
} from './model';
import { humanize } from './references';
import { SETTINGS, showSetting } from './settings';

/**
 * One line for a change a security reviewer must see: tenant, layer, setting, `before -> after`,
 * address, and the rule that judges it.
 */
export function changeLine(c: SettingChange | ResourceChange): string {
  const who = c.tenant ?? 'shared';
  const rule = c.rule ? ` · ${c.rule}` : '';
  if ('setting' in c) {
    return `${c.classification}: ${who} · ${c.layer} · ${c.label}: ${c.beforeDisplay} -> ${c.afterDisplay} · ${c.address}${rule}`;
  }
  const what = c.kind === 'attributes' ? 'changed' : c.kind;
  return `${c.classification}: ${who} · ${c.layer} · ${c.type} ${what}: ${c.detail} · ${c.address}${rule}`;
}

/** Options of {@link buildReview}. */
export interface ReviewOptions {
  /**
   * The rules that produce the findings.
   * @default - the whole rule pack (`McpAccessChecks`)
   */
  readonly rules?: readonly Rule[];
  /**
   * The head stacks to review. The others are read only for their facts: references into them are
   * followed, and their tenants count towards the default posture.
   * @default - every head stack
   */
  readonly only?: ReadonlySet<string>;
  /** Stacks of the head known to be identical to the base (as are their inputs): one line each. */
  readonly unchanged?: readonly UnchangedStack[];
}

/** Display of a setting whose resource the tenant lacks. */
export const MISSING = '—';

/** Shared resources are keyed by this in the scope index. */
const SHARED = '\u0000shared';

const SETTING_BY_ID = new Map(SETTINGS.map((s) => [s.id, s]));

/** The extractor table split by layer, once. */
const SETTINGS_BY_LAYER = new Map(REVIEW_LAYERS.map((layer) => [layer, SETTINGS.filter((s) => s.layer === layer)]));

function countFindings(findings: readonly Finding[], suppressed: number): FindingCounts {
  let errors = 0;
  for (const f of findings) if (f.level === 'error') errors++;
  return { errors, warnings: findings.length - errors, suppressed };
}

/** Resources by scope (tenant or shared), then by type. */
function indexScopes(resources: readonly ResourceEntry[]): Map<string, Map<string, ResourceEntry[]>> {
  const scopes = new Map<string, Map<string, ResourceEntry[]>>();
  for (const entry of resources) {
    const key = entry.tenant ?? SHARED;
    let byType = scopes.get(key);
    if (!byType) scopes.set(key, (byType = new Map()));
    const list = byType.get(entry.type);
    if (list) list.push(entry);
    else byType.set(entry.type, [entry]);
  }
  return scopes;
}

/**
 * The settings of one scope, in layer and extractor order: every setting of a tenant (the posture
 * compares them all), flagged by `table` for the report's tables. A tenant lacking a resource type
 * that other tenants have gets a `—` row, and a layer with no row at all gets one, so every tenant's
 * table names every layer.
 */
function readSettings(
  stack: SynthesizedStack,
  byType: ReadonlyMap<string, readonly ResourceEntry[]>,
  tenantTypes: ReadonlySet<string> | undefined,
): SettingReading[] {
  const readings: SettingReading[] = [];
  for (const layer of REVIEW_LAYERS) {
    const before = readings.length;
    for (const extractor of SETTINGS_BY_LAYER.get(layer) ?? []) {
      const entries = extractor.types
        .flatMap((t) => byType.get(t) ?? [])
        .filter((e) => !extractor.applies || extractor.applies(stack, e));
      if (entries.length === 0) {
        if (extractor.table === true && tenantTypes && extractor.types.some((t) => tenantTypes.has(t))) {
          const { id: setting, label } = extractor;
          readings.push({ setting, layer, label, address: null, value: null, display: MISSING });
        }
        continue;
      }
      for (const entry of entries) {
        const value = extractor.read(entry.body);
        readings.push({
          setting: extractor.id,
          layer,
          label: extractor.label,
          address: entry.address,
          value,
          display: humanize(stack, showSetting(extractor, value)),
        });
      }
    }
    if (tenantTypes && readings.length === before) {
      readings.push({
        setting: `${layer}.none`,
        layer,
        label: `no ${LAYER_TITLES[layer]} resources`,
        address: null,
        value: null,
        display: MISSING,
      });
    }
  }
  return readings;
}

/** True for a reading the tables show (the others count towards the posture only). */
export function inTable(reading: SettingReading): boolean {
  return reading.setting.endsWith('.none') || SETTING_BY_ID.get(reading.setting)?.table === true;
}

function groupFindings<T extends Finding>(findings: readonly T[]): Map<string, T[]> {
  const byScope = new Map<string, T[]>();
  for (const f of findings) {
    const key = f.tenant ?? SHARED;
    const list = byScope.get(key);
    if (list) list.push(f);
    else byScope.set(key, [f]);
  }
  return byScope;
}

/** A tenant's scope with what the posture needs: its settings and whether it can hold the default. */
interface TenantScope {
  readonly stack: string;
  readonly scope: ScopeReview;
  /** Its posture: settings with the tenant written `<t>`, per-tenant values folded away. */
  readonly posture: string;
  /** Findings or suppressions (a reviewed stack), or the stack was not checked (context). */
  readonly judged: boolean;
}

const TENANT_PATTERNS = new Map<string, RegExp>();

/**
 * Where a tenant's id stands in a value as the library names things (`mcp-<t>`, `mcp:<t>:use`,
 * `tenants/<t>/`, `<t>.<domain>`, `"<t>"`, `tenant <t>`, `tenant=<t>`, `MCP_TENANT_ID: <t>`), and
 * nowhere else: an image `ghcr.io/acme/mcp` stays as it is for tenant `acme`.
 */
function tenantPattern(tenant: string): RegExp {
  let pattern = TENANT_PATTERNS.get(tenant);
  if (!pattern) {
    const t = tenant.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    pattern = new RegExp(
      `(mcp-audit-|mcp-|mcp:|tenants/|tenant=|//|"|^|\\s|: )${t}(?=$|[^a-z0-9-]|-(?:users|admins|server|humans|writer)\\b)`,
      'g',
    );
    TENANT_PATTERNS.set(tenant, pattern);
  }
  return pattern;
}

/** A display with the tenant's id written `<t>` where the library names things after it. */
export function withoutTenant(display: string, tenant: string): string {
  return display.replace(tenantPattern(tenant), (_match, prefix: string) => `${prefix}<t>`);
}

/** A setting's display as tenants may share it. */
function generic(reading: SettingReading, tenant: string): string {
  const extractor = SETTING_BY_ID.get(reading.setting);
  let display = withoutTenant(reading.display, tenant);
  // References into another stack name it (`stack foundation-eu-1`): tenants of two edges still share a posture.
  display = display.replace(/, stack [^,)]+\)/g, ')');
  return extractor?.posture ? extractor.posture(display) : display;
}

/** The warnings a tenant has (rule ids, sorted): tenants with the same warnings can share a posture. */
function warningsOf(scope: ScopeReview): string[] {
  return [
    ...new Set(scope.findings.filter((f) => f.level === 'warning').map((f) => f.ruleId)),
    ...(scope.counts.suppressed > 0 ? [`${scope.counts.suppressed} suppressed`] : []),
  ].sort();
}

/** A tenant's settings and warnings as one text, what tenants can share. */
function postureOf(scope: ScopeReview): string {
  const t = scope.tenant ?? '';
  const settings = scope.settings.map((s) => `${s.setting}=${generic(s, t)}`);
  return [...settings, `warnings=${warningsOf(scope).join(',')}`].join('\n');
}

/** True for a tenant with an error finding: it is never summarized. */
const hasErrors = (scope: ScopeReview): boolean => scope.counts.errors > 0;

/** The stack's scopes and findings, before the posture is known. */
interface StackRead {
  readonly stack: SynthesizedStack;
  readonly base: SynthesizedStack | null | undefined;
  readonly report: CheckReport | undefined;
  readonly resources: number;
  readonly tenantScopes: readonly ScopeReview[];
  readonly shared: ScopeReview | undefined;
  readonly changes: StackChanges | null;
}

/** Reads one stack: its scopes, and (when reviewed) its findings and changes. */
function readStack(
  stack: SynthesizedStack,
  base: SynthesizedStack | null | undefined,
  rules: readonly Rule[],
  reviewed: boolean,
): StackRead {
  const checked = reviewed ? runChecks(stack, rules) : undefined;
  // Findings name values as the rules read them: references print as what they point at here too.
  const readable = <F extends Finding>(f: F): F => ({
    ...f,
    cause: humanize(stack, f.cause),
    ...(f.detail !== undefined ? { detail: humanize(stack, f.detail) } : {}),
  });
  const report: CheckReport | undefined = checked && {
    ...checked,
    findings: checked.findings.map(readable),
    suppressed: checked.suppressed.map(readable),
  };
  const resources = stack.all().filter((e) => e.mode === 'resource');
  const scopeIndex = indexScopes(resources);
  const tenantTypes = new Set<string>();
  for (const [key, byType] of scopeIndex) if (key !== SHARED) for (const t of byType.keys()) tenantTypes.add(t);
  const findingsByScope = groupFindings(report?.findings ?? []);
  const suppressedByScope = groupFindings(report?.suppressed ?? []);
  const scope = (key: string, tenant: string | null): ScopeReview => {
    const byType = scopeIndex.get(key) ?? new Map<string, ResourceEntry[]>();
    const findings = findingsByScope.get(key) ?? [];
    let count = 0;
    for (const list of byType.values()) count += list.length;
    return {
      tenant,
      resources: count,
      settings: readSettings(stack, byType, tenant === null ? undefined : tenantTypes),
      findings,
      counts: countFindings(findings, suppressedByScope.get(key)?.length ?? 0),
    };
  };
  const tenantScopes = stack.tenants.map((t) => scope(t, t));
  const hasShared = scopeIndex.has(SHARED) || findingsByScope.has(SHARED) || suppressedByScope.has(SHARED);
  return {
    stack,
    base,
    report,
    resources: resources.length,
    tenantScopes,
    shared: reviewed && hasShared ? scope(SHARED, null) : undefined,
    changes: reviewed && base !== undefined ? diffStacks(base, stack) : null,
  };
}

/** Tenants a change touches (a changed setting or resource of theirs, or the tenant added or removed). */
function touchedTenants(changes: StackChanges | null): ReadonlySet<string> {
  const touched = new Set<string>();
  if (!changes) return touched;
  for (const c of [
    ...changes.weakened,
    ...changes.weakenedResources,
    ...changes.unclassified,
    ...changes.otherSettings,
    ...changes.otherResources,
    ...changes.dataBearing,
  ]) {
    if (c.tenant !== null) touched.add(c.tenant);
  }
  for (const t of [...changes.tenants.added, ...changes.tenants.removed, ...changes.tenants.decommissioned]) {
    touched.add(t);
  }
  for (const s of changes.tenants.scopesChanged) touched.add(s.tenant);
  return touched;
}

/**
 * The default posture: the one most tenants hold among those with no error finding that the change
 * did not add (so a new tenant is judged against the others); failing those, among every tenant.
 */
function defaultPosture(scopes: readonly TenantScope[], added: ReadonlySet<string>): TenantScope[] | undefined {
  const pools = [
    scopes.filter((s) => s.judged && !added.has(s.scope.tenant as string)),
    scopes.filter((s) => s.judged),
    [...scopes],
  ];
  const pool = pools.find((p) => p.length > 0);
  if (!pool) return undefined;
  const groups = new Map<string, TenantScope[]>();
  for (const s of pool) {
    const group = groups.get(s.posture);
    if (group) group.push(s);
    else groups.set(s.posture, [s]);
  }
  return [...groups.values()].sort(
    (a, b) => b.length - a.length || (a[0].scope.tenant as string).localeCompare(b[0].scope.tenant as string),
  )[0];
}

/** What a tenant's settings say beside the default posture's, one line each (`label: value (default: value)`). */
export function differences(scope: ScopeReview, posture: CommonPosture): string[] {
  const t = scope.tenant as string;
  const mine = new Map<string, string[]>();
  for (const s of scope.settings) mine.set(s.label, [...(mine.get(s.label) ?? []), generic(s, t)]);
  const theirs = new Map<string, string[]>();
  for (const s of posture.settings) theirs.set(s.label, [...(theirs.get(s.label) ?? []), s.display]);
  const lines: string[] = [];
  for (const label of new Set([...theirs.keys(), ...mine.keys()])) {
    const [a, b] = [(mine.get(label) ?? []).join('; '), (theirs.get(label) ?? []).join('; ')];
    if (a !== b) lines.push(`${label}: ${a === '' ? MISSING : a} (default: ${b === '' ? MISSING : b})`);
  }
  return lines.map((l) => l.split('<t>').join(t));
}

/** The base stack to compare a head stack with: same name, or the only one when both sides have one. */
function matchBase(
  head: readonly SynthesizedStack[],
  base: readonly SynthesizedStack[],
  unchanged: ReadonlySet<string>,
): { pairs: Map<SynthesizedStack, SynthesizedStack | null>; removed: string[] } {
  const pairs = new Map<SynthesizedStack, SynthesizedStack | null>();
  if (head.length === 1 && base.length === 1 && unchanged.size === 0) {
    pairs.set(head[0], base[0]);
    return { pairs, removed: [] };
  }
  const byName = new Map(base.map((s) => [s.name, s]));
  for (const h of head) pairs.set(h, byName.get(h.name) ?? null);
  const headNames = new Set([...head.map((s) => s.name), ...unchanged]);
  return { pairs, removed: base.filter((s) => !headNames.has(s.name)).map((s) => s.name) };
}

/**
 * Reviews the synthesized stacks of `head`; with `base`, also what changed since (stacks matched by
 * name). Exit code ({@link REVIEW_EXIT}): 1 when a reviewed stack has error findings or would
 * destroy a data-bearing resource (removed, renamed without a `moved` block, or replaced); else 3
 * when a change is weakened or unclassified (a new tenant that deviates from the default posture
 * included); else 0.
 */
export function buildReview(
  head: readonly SynthesizedStack[],
  base?: readonly SynthesizedStack[],
  options: ReviewOptions = {},
): Review {
  const rules = options.rules ?? ALL_RULES;
  const unchanged = options.unchanged ?? [];
  const matched = base ? matchBase(head, base, new Set(unchanged.map((u) => u.stack))) : undefined;
  const reviewed = (s: SynthesizedStack) => !options.only || options.only.has(s.name);
  const reads = head.map((s) => readStack(s, matched ? matched.pairs.get(s) : undefined, rules, reviewed(s)));

  const touched = new Map(reads.map((r) => [r.stack.name, touchedTenants(r.changes)]));
  const added = new Set(reads.flatMap((r) => r.changes?.tenants.added ?? []));
  const tenantScopes: TenantScope[] = reads.flatMap((r) => {
    const retired = decommissionedTenants(r.stack);
    return r.tenantScopes
      .filter((scope) => !retired.has(scope.tenant as string))
      .map((scope) => ({
        stack: r.stack.name,
        scope,
        posture: postureOf(scope),
        judged: !hasErrors(scope),
      }));
  });
  const postures = new Map(tenantScopes.map((s) => [s.scope, s.posture]));
  const holders = defaultPosture(tenantScopes, added);
  const defaultKey = holders?.[0].posture;
  const common: CommonPosture | null = holders
    ? {
        tenants: tenantScopes.filter((s) => s.posture === defaultKey).length,
        warnings: warningsOf(holders[0].scope),
        settings: holders[0].scope.settings.map((s) => ({
          ...s,
          address: null,
          display: generic(s, holders[0].scope.tenant as string),
        })),
      }
    : null;

  const stacks: StackReview[] = [];
  for (const r of reads) {
    if (!reviewed(r.stack)) continue;
    const touchedHere = touched.get(r.stack.name) ?? new Set<string>();
    const holds = (s: ScopeReview) => !hasErrors(s) && (postures.get(s) ?? postureOf(s)) === defaultKey;
    // One tenant alone is shown whole: a one-line summary helps only where tenants repeat.
    const retired = decommissionedTenants(r.stack);
    const quietRetired = r.tenantScopes.filter(
      (s) => retired.has(s.tenant as string) && !hasErrors(s) && !touchedHere.has(s.tenant as string),
    );
    const summarize = r.tenantScopes.filter(
      (s) => holds(s) && !touchedHere.has(s.tenant as string) && !retired.has(s.tenant as string),
    );
    const inOneLine = summarize.length >= 2 || (summarize.length === 1 && tenantScopes.length > 1) ? summarize : [];
    const oneLine = new Set([...inOneLine, ...quietRetired]);
    const listed = r.tenantScopes.filter((s) => !oneLine.has(s));
    let changes = r.changes;
    if (changes && common) {
      const deviating: DeviatingTenant[] = [];
      for (const tenant of changes.tenants.added) {
        const scope = r.tenantScopes.find((s) => s.tenant === tenant);
        if (!scope) continue;
        if (!holds(scope)) {
          const usual = new Set(common.warnings);
          const found = scope.findings
            .filter((f) => f.level === 'error' || !usual.has(f.ruleId))
            .map((f) => `${f.ruleId} ${f.level}: ${f.cause}`);
          deviating.push({ tenant, differences: [...differences(scope, common), ...found] });
        }
      }
      changes = { ...changes, tenants: { ...changes.tenants, addedDeviating: deviating } };
    }
    const counts = countFindings(r.report?.findings ?? [], r.report?.suppressed.length ?? 0);
    const refusedSuppressions = (r.report?.refusedSuppressions ?? []).map(
      (s) => `suppression of ${s.ruleId} ignored: ${s.why}`,
    );
    const scopes = [...listed, ...(r.shared ? [r.shared] : [])];
    stacks.push({
      stack: r.stack.name,
      tenants: r.stack.tenants,
      resources: r.resources,
      counts,
      scopes,
      defaultTenants: inOneLine.map((s) => s.tenant as string),
      decommissionedTenants: quietRetired.map((s) => s.tenant as string),
      refusedSuppressions,
      changes,
      quiet:
        changes !== null &&
        !hasChanges(changes) &&
        counts.errors === 0 &&
        refusedSuppressions.length === 0 &&
        listed.length === 0 &&
        (r.shared === undefined || r.shared.findings.length + r.shared.counts.suppressed === 0),
    });
  }
  return summarize(stacks, base !== undefined, matched?.removed ?? [], unchanged, common);
}

/** True when the diff of a stack found anything at all. */
export function hasChanges(c: StackChanges): boolean {
  return (
    c.baseStack === null ||
    c.weakened.length +
      c.weakenedResources.length +
      c.unclassified.length +
      c.otherSettings.length +
      c.otherResources.length +
      c.dataBearing.length +
      c.tenants.added.length +
      c.tenants.removed.length +
      c.tenants.scopesChanged.length +
      c.tenants.decommissioned.length +
      c.byType.length >
      0
  );
}

/** Totals, the exit code and its reasons. */
function summarize(
  stacks: readonly StackReview[],
  compared: boolean,
  removedStacks: readonly string[],
  unchanged: readonly UnchangedStack[],
  defaultPosture: CommonPosture | null,
): Review {
  const blocking: string[] = [];
  const needsReview: string[] = [];
  let unclassified = 0;
  let strengthened = 0;
  let tenants = 0;
  let resources = 0;
  let errors = 0;
  let warnings = 0;
  let suppressed = 0;
  let weakened = 0;
  let destroyed = 0;
  for (const s of stacks) {
    tenants += s.tenants.length;
    resources += s.resources;
    errors += s.counts.errors;
    warnings += s.counts.warnings;
    suppressed += s.counts.suppressed;
    const changes = s.changes;
    if (changes) {
      weakened += changes.weakened.length + changes.weakenedResources.length;
      unclassified += changes.unclassified.length + changes.tenants.addedDeviating.length;
      strengthened +=
        changes.otherSettings.filter((c) => c.classification === 'strengthened').length +
        changes.otherResources.filter((c) => c.classification === 'strengthened').length;
      for (const c of [...changes.weakened, ...changes.weakenedResources, ...changes.unclassified]) {
        needsReview.push(`stack ${s.stack}: ${changeLine(c)}`);
      }
      for (const d of changes.tenants.addedDeviating) {
        needsReview.push(
          `stack ${s.stack}: unclassified: ${d.tenant} · tenancy · new tenant deviates from the default posture: ${d.differences.join('; ')}`,
        );
      }
      for (const c of changes.dataBearing) {
        if (c.kind === 'remounted' || c.kind === 'moved')
          needsReview.push(`stack ${s.stack}: ${c.kind} data-bearing resource ${c.address}`);
      }
    }
    if (s.counts.errors > 0) {
      blocking.push(`stack ${s.stack}: ${s.counts.errors} error finding${s.counts.errors === 1 ? '' : 's'}`);
    }
    for (const c of s.changes?.dataBearing ?? []) {
      if (!c.destroys) continue;
      destroyed++;
      const target = c.newAddress && c.newAddress !== c.address ? ` -> ${c.newAddress}` : '';
      blocking.push(`stack ${s.stack}: ${c.kind} data-bearing resource ${c.address}${target}`);
    }
  }
  for (const u of unchanged) tenants += u.tenants ?? 0;
  return {
    compared,
    stacks,
    unchangedStacks: unchanged,
    defaultPosture,
    removedStacks,
    totals: {
      stacks: stacks.length + unchanged.length,
      tenants,
      resources,
      errors,
      warnings,
      suppressed,
      weakened,
      unclassified,
      strengthened,
      destroyed,
    },
    exitCode:
      blocking.length > 0
        ? REVIEW_EXIT.blocking
        : needsReview.length > 0
          ? REVIEW_EXIT.needsSecurityReview
          : REVIEW_EXIT.clean,
    blocking,
    needsReview,
  };
}
