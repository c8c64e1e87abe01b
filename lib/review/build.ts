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
  type FindingCounts,
  LAYER_TITLES,
  type Review,
  REVIEW_LAYERS,
  type ScopeReview,
  type SettingReading,
  type StackChanges,
  type StackReview,
} from './model';
import { SETTINGS, showSetting } from './settings';

/** Options of {@link buildReview}. */
export interface ReviewOptions {
  /**
   * The rules that produce the findings.
   * @default - the whole rule pack (`McpAccessChecks`)
   */
  readonly rules?: readonly Rule[];
}

/** The extractor table split by layer, once. */
const SETTINGS_BY_LAYER = new Map(REVIEW_LAYERS.map((layer) => [layer, SETTINGS.filter((s) => s.layer === layer)]));

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
          display: showSetting(extractor, value),
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
      settings: readSettings(byType, tenant === null ? undefined : tenantTypes),
      findings,
      counts: countFindings(findings, suppressedByScope.get(key)?.length ?? 0),
    };
  };

  const scopes = tenants.map((t) => scope(t, t));
  if (scopeIndex.has(SHARED) || findingsByScope.has(SHARED)) scopes.push(scope(SHARED, null));
  const changes: StackChanges | null = base === undefined ? null : diffStacks(base, stack);
  return {
    stack: stack.name,
    tenants,
    resources: resources.length,
    counts: countFindings(report.findings, report.suppressed.length),
    scopes,
    refusedSuppressions: report.refusedSuppressions.map((s) => `suppression of ${s.ruleId} ignored: ${s.why}`),
    changes,
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
    weakened += s.changes?.weakened.length ?? 0;
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
    totals: { stacks: stacks.length, tenants, resources, errors, warnings, suppressed, weakened, destroyed },
    exitCode: blocking.length > 0 ? 1 : 0,
    blocking,
  };
}
