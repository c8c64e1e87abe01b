/**
 * `buildReview`: one pass over each synthesized stack (indexed once by `SynthesizedStack`) turns it
 * into the review model: per tenant the five layers' settings and the rule findings, and, with a
 * base, what changed.
 */
import { type CheckReport, type Finding, runChecks } from '../checks/engine';
import type { ResourceEntry, SynthesizedStack } from '../model/stack';
import type { Rule } from '../checks/rule';
import { ALL_RULES } from '../checks/rules';
import { diffStacks } from './diff';
import {
  type CommonPosture,
  type FindingCounts,
  LAYER_TITLES,
  type ResourceChange,
  type Review,
  REVIEW_EXIT,
  REVIEW_LAYERS,
  type SettingChange,
  type ScopeReview,
  type SettingReading,
  type StackChanges,
  type StackReview,
} from './model';
import { humanize } from './references';
import { SETTINGS, showSetting } from './settings';

/**
 * One line for a change a security reviewer must see: tenant, layer, setting, before -> after,
 * address, and the rule that judges it.
 */
export function changeLine(c: SettingChange | ResourceChange): string {
  const who = c.tenant ?? 'shared';
  const rule = c.rule ? ` · ${c.rule}` : '';
  if ('setting' in c) {
    return `${c.classification}: ${who} · ${c.layer} · ${c.label}: ${c.beforeDisplay} -> ${c.afterDisplay} · ${c.address}${rule}`;
  }
  return `${c.classification}: ${who} · ${c.layer} · ${c.type} ${c.kind === 'attributes' ? 'changed' : c.kind}: ${c.detail} · ${c.address}${rule}`;
}

/** Options of {@link buildReview}. */
export interface ReviewOptions {
  /**
   * The rules that produce the findings.
   * @default - the whole rule pack (`McpAccessChecks`)
   */
  readonly rules?: readonly Rule[];
}

/** The extractor table split by layer, once. */
const SETTINGS_BY_LAYER = new Map(
  REVIEW_LAYERS.map((layer) => [layer, SETTINGS.filter((s) => s.layer === layer && s.table === true)]),
);

/** Display of a setting whose resource the tenant lacks. */
export const MISSING = '—';

/** Shared resources are keyed by this in the scope index. */
const SHARED = '\u0000shared';

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
 * The settings of one scope, in layer and table order. A tenant lacking a resource type that other
 * tenants have gets a `—` row, and a layer with no row at all gets one, so every tenant's table
 * names every layer.
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
      const entries = extractor.types.flatMap((t) => byType.get(t) ?? []);
      if (entries.length === 0) {
        if (tenantTypes && extractor.types.some((t) => tenantTypes.has(t))) {
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

/** Reviews one stack; `base` is its counterpart in the base synth (`null`: new), `undefined`: no base. */
export function reviewStack(
  stack: SynthesizedStack,
  base: SynthesizedStack | null | undefined,
  rules: readonly Rule[] = ALL_RULES,
): StackReview {
  const report: CheckReport = runChecks(stack, rules);
  const resources = stack.all().filter((e) => e.mode === 'resource');
  const scopeIndex = indexScopes(resources);
  const tenants = stack.tenants;
  const tenantTypes = new Set<string>();
  for (const [key, byType] of scopeIndex) if (key !== SHARED) for (const t of byType.keys()) tenantTypes.add(t);

  const findingsByScope = groupFindings(report.findings);
  const suppressedByScope = groupFindings(report.suppressed);
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

  const changes: StackChanges | null = base === undefined ? null : diffStacks(base, stack);
  const tenantScopes = tenants.map((t) => scope(t, t));
  const { listed, common } = summarizePostures(tenantScopes, touchedTenants(changes));
  const scopes = [...listed];
  if (scopeIndex.has(SHARED) || findingsByScope.has(SHARED)) scopes.push(scope(SHARED, null));
  return {
    stack: stack.name,
    tenants,
    resources: resources.length,
    counts: countFindings(report.findings, report.suppressed.length),
    scopes,
    common,
    refusedSuppressions: report.refusedSuppressions.map((s) => `suppression of ${s.ruleId} ignored: ${s.why}`),
    changes,
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
  for (const t of [...changes.tenants.added, ...changes.tenants.removed]) touched.add(t);
  for (const s of changes.tenants.scopesChanged) touched.add(s.tenant);
  return touched;
}

/** A tenant's settings with its own id written `<t>`, and without addresses: what tenants can share. */
function posture(scope: ScopeReview): string {
  const t = scope.tenant ?? '';
  const generic = (text: string) => (t === '' ? text : text.split(t).join('<t>'));
  return scope.settings.map((s) => `${s.setting}=${generic(s.display)}`).join('\n');
}

/**
 * Splits tenant scopes into those listed one by one (deviating, with findings, or touched) and the
 * common posture shared by the most tenants, when two or more share it.
 */
function summarizePostures(
  scopes: readonly ScopeReview[],
  touched: ReadonlySet<string>,
): { listed: ScopeReview[]; common: CommonPosture | null } {
  const groups = new Map<string, ScopeReview[]>();
  for (const scope of scopes) {
    if (scope.findings.length > 0 || scope.counts.suppressed > 0 || touched.has(scope.tenant as string)) continue;
    const key = posture(scope);
    groups.set(key, [...(groups.get(key) ?? []), scope]);
  }
  const largest = [...groups.values()].sort((a, b) => b.length - a.length)[0];
  if (!largest || largest.length < 2) return { listed: [...scopes], common: null };
  const members = new Set(largest);
  const first = largest[0];
  const t = first.tenant ?? '';
  return {
    listed: scopes.filter((s) => !members.has(s)),
    common: {
      tenants: largest.map((s) => s.tenant as string),
      settings: first.settings.map((s) => ({ ...s, address: null, display: s.display.split(t).join('<t>') })),
    },
  };
}

/** The base stack to compare a head stack with: same name, or the only one when both sides have one. */
function matchBase(
  head: readonly SynthesizedStack[],
  base: readonly SynthesizedStack[],
): { pairs: Map<SynthesizedStack, SynthesizedStack | null>; removed: string[] } {
  const pairs = new Map<SynthesizedStack, SynthesizedStack | null>();
  if (head.length === 1 && base.length === 1) {
    pairs.set(head[0], base[0]);
    return { pairs, removed: [] };
  }
  const byName = new Map(base.map((s) => [s.name, s]));
  for (const h of head) pairs.set(h, byName.get(h.name) ?? null);
  const headNames = new Set(head.map((s) => s.name));
  return { pairs, removed: base.filter((s) => !headNames.has(s.name)).map((s) => s.name) };
}

/**
 * Reviews the synthesized stacks of `head`; with `base`, also what changed since (stacks matched by
 * name). The exit code is 1 when a head stack has error findings or would destroy a data-bearing
 * resource (removed, renamed without a `moved` block, or replaced).
 */
export function buildReview(
  head: readonly SynthesizedStack[],
  base?: readonly SynthesizedStack[],
  options: ReviewOptions = {},
): Review {
  const rules = options.rules ?? ALL_RULES;
  const matched = base ? matchBase(head, base) : undefined;
  const stacks = head.map((s) => reviewStack(s, matched ? matched.pairs.get(s) : undefined, rules));

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
      unclassified += changes.unclassified.length;
      strengthened +=
        changes.otherSettings.filter((c) => c.classification === 'strengthened').length +
        changes.otherResources.filter((c) => c.classification === 'strengthened').length;
      for (const c of [...changes.weakened, ...changes.weakenedResources, ...changes.unclassified]) {
        needsReview.push(`stack ${s.stack}: ${changeLine(c)}`);
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
  return {
    compared: base !== undefined,
    stacks,
    removedStacks: matched?.removed ?? [],
    totals: {
      stacks: stacks.length,
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
