/**
 * What changed between two synths of one stack, in risk order: weakened settings and destroyed
 * data-bearing resources first, then tenants, then everything else summarized by type.
 */
import { blocks } from '../model/json';
import { type JsonObject, type ResourceEntry, SynthesizedStack } from '../model/stack';
import { isDataBearing, MOVING_ATTRIBUTES, REPLACING_ATTRIBUTES } from './data-bearing';
import { changedPaths, layerOfType, resourceChangeClass, uncoveredPaths } from './changes';
import { humanize } from './references';
import { ownerTenant } from '../model/tenancy';
import {
  type AttributeChange,
  type DataBearingChange,
  REVIEW_LAYERS,
  type ResourceChange,
  type SettingChange,
  type StackChanges,
  type TenantChanges,
  type TypeChangeCount,
} from './model';
import { SETTINGS, SETTINGS_BY_TYPE, showSetting } from './settings';
import { readText, sameValue } from './values';
import { isObject } from '../model/json';

/** A resource of the base and its counterpart in the head. */
interface Pair {
  readonly before: ResourceEntry;
  readonly after: ResourceEntry;
  /** How the address changed: not at all, through a `moved` block, or by a rename without one. */
  readonly how: 'same' | 'moved' | 'renamed';
}

const SETTING_ORDER = new Map(SETTINGS.map((s, i) => [s.id, i]));

/** The body without cdktf's metadata comment, as a comparable string. */
function bodyKey(body: JsonObject): string {
  return JSON.stringify(body, (key, value: unknown) => (key === '//' ? undefined : value));
}

/** What names a resource in its provider (a bucket's name, a mount's path, a Kubernetes object's name). */
function identityOf(body: JsonObject): string | undefined {
  for (const key of ['name', 'path', 'bucket_name', 'role_name', 'label']) {
    const value = readText(body[key]);
    if (value !== null) return `${key}=${value}`;
  }
  const metadata = blocks(body.metadata)[0];
  if (metadata && readText(metadata.name) !== null)
    return `metadata=${readText(metadata.namespace) ?? ''}/${readText(metadata.name)}`;
  return undefined;
}

/** `moved` blocks of a stack: from address -> to address. */
function movedBlocks(json: JsonObject): Map<string, string> {
  const moves = new Map<string, string>();
  for (const m of blocks(json.moved)) {
    const [from, to] = [readText(m.from), readText(m.to)];
    if (from !== null && to !== null) moves.set(from, to);
  }
  return moves;
}

const groupKey = (e: ResourceEntry): string => `${e.type}\u0000${e.tenant ?? ''}`;

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const g = groups.get(k);
    if (g) g.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/**
 * Pairs every base resource with its head counterpart: the same address; else the target of a
 * `moved` block; else (a rename) a new resource of the same type and tenant, matched by provider-side
 * name first, then in address order. What stays unpaired was removed or added.
 */
function pairResources(
  base: SynthesizedStack,
  head: SynthesizedStack,
): { pairs: Pair[]; removed: ResourceEntry[]; added: ResourceEntry[] } {
  const baseResources = base.all().filter((e) => e.mode === 'resource');
  const headResources = head.all().filter((e) => e.mode === 'resource');
  const pairs: Pair[] = [];
  const gone: ResourceEntry[] = [];
  for (const before of baseResources) {
    const after = head.find(before.address);
    if (after) pairs.push({ before, after, how: 'same' });
    else gone.push(before);
  }
  const fresh = new Map(headResources.filter((e) => !base.find(e.address)).map((e) => [e.address, e]));

  const moves = movedBlocks(head.json);
  const unmoved: ResourceEntry[] = [];
  for (const before of gone) {
    const to = moves.get(before.address);
    const after = to === undefined ? undefined : fresh.get(to);
    if (after && after.type === before.type) {
      pairs.push({ before, after, how: 'moved' });
      fresh.delete(after.address);
    } else {
      unmoved.push(before);
    }
  }

  const candidates = groupBy([...fresh.values()], groupKey);
  const removed: ResourceEntry[] = [];
  for (const [key, olds] of groupBy(unmoved, groupKey)) {
    const news = candidates.get(key) ?? [];
    const byIdentity = groupBy(news, (n) => identityOf(n.body) ?? '');
    const taken = new Set<ResourceEntry>();
    const left: ResourceEntry[] = [];
    for (const before of olds) {
      const id = identityOf(before.body);
      const after = id === undefined ? undefined : byIdentity.get(id)?.shift();
      if (after) {
        pairs.push({ before, after, how: 'renamed' });
        taken.add(after);
      } else {
        left.push(before);
      }
    }
    const rest = news.filter((n) => !taken.has(n)).sort((a, b) => a.address.localeCompare(b.address));
    left.sort((a, b) => a.address.localeCompare(b.address));
    for (const [i, before] of left.entries()) {
      if (i < rest.length) pairs.push({ before, after: rest[i], how: 'renamed' });
      else removed.push(before);
    }
    candidates.set(key, rest.slice(left.length));
  }
  const added = [...candidates.values()].flat();
  return { pairs, removed, added };
}

/** Setting changes between a resource's two versions (`was`: the base body, references followed). */
function settingChanges(
  pair: Pair,
  was: JsonObject,
  tenant: string | null,
  stacks: { base: SynthesizedStack; head: SynthesizedStack },
): SettingChange[] {
  const { before, after } = pair;
  const changes: SettingChange[] = [];
  for (const extractor of SETTINGS_BY_TYPE.get(after.type) ?? []) {
    const old = extractor.read(was);
    const now = extractor.read(after.body);
    if (sameValue(old, now)) continue;
    const classification = extractor.compare(old, now);
    changes.push({
      tenant,
      setting: extractor.id,
      layer: extractor.layer,
      label: extractor.label,
      address: after.address,
      baseAddress: pair.how === 'same' ? null : before.address,
      before: old,
      after: now,
      beforeDisplay: humanize(stacks.base, showSetting(extractor, old)),
      afterDisplay: humanize(stacks.head, showSetting(extractor, now)),
      classification,
      weakened: classification === 'weakened',
      rule: extractor.rule ?? null,
    });
  }
  return changes;
}

/** The attributes of a changed resource that no setting covers and that are not neutral. */
function uncoveredChange(pair: Pair, was: JsonObject, tenant: string | null): ResourceChange | undefined {
  const paths = uncoveredPaths(changedPaths(was, pair.after.body), SETTINGS_BY_TYPE.get(pair.after.type) ?? []);
  if (paths.length === 0) return undefined;
  return {
    tenant,
    layer: layerOfType(pair.after.type),
    kind: 'attributes',
    type: pair.after.type,
    address: pair.after.address,
    attributes: paths,
    classification: 'unclassified',
    detail: `${paths.join(', ')} changed: the review has no comparator for ${paths.length === 1 ? 'it' : 'them'}`,
    rule: null,
  };
}

/** A resource added to or removed from a tenant's cell (or the shared pieces), classified by type. */
function addedOrRemoved(stack: SynthesizedStack, entry: ResourceEntry, kind: 'added' | 'removed'): ResourceChange {
  const verdict = resourceChangeClass(entry.type, kind, entry.body);
  return {
    tenant: ownerTenant(stack, entry) ?? null,
    layer: layerOfType(entry.type),
    kind,
    type: entry.type,
    address: entry.address,
    attributes: [],
    classification: verdict.classification,
    detail: verdict.detail,
    rule: verdict.rule,
  };
}

function attributeChanges(before: JsonObject, after: JsonObject, attributes: readonly string[]): AttributeChange[] {
  return attributes
    .filter((a) => JSON.stringify(before[a] ?? null) !== JSON.stringify(after[a] ?? null))
    .map((attribute) => ({ attribute, before: before[attribute] ?? null, after: after[attribute] ?? null }));
}

const INTERPOLATION = /\$\{[^}]*\}/g;
const ADDRESS = /(?<![\w.])(?:data\.)?[a-z][a-z0-9_]*\.[A-Za-z_][A-Za-z0-9_-]*/g;

/**
 * The base body with references to renamed or moved resources rewritten to their head addresses:
 * `${old.name}` and `${new.name}` name the same value, which is no change.
 */
function followRenames(body: JsonObject, renamed: ReadonlyMap<string, string>): JsonObject {
  if (renamed.size === 0) return body;
  let rewritten = false;
  const text = JSON.stringify(body).replace(INTERPOLATION, (expression) =>
    expression.replace(ADDRESS, (address) => {
      const now = renamed.get(address);
      if (now === undefined) return address;
      rewritten = true;
      return now;
    }),
  );
  return rewritten ? (JSON.parse(text) as JsonObject) : body;
}

const describe = (changes: readonly AttributeChange[]): string =>
  changes.map((c) => `${c.attribute} ${JSON.stringify(c.before)} -> ${JSON.stringify(c.after)}`).join(', ');

function preventsDestroy(body: JsonObject): boolean {
  const lifecycle = blocks(body.lifecycle)[0];
  return isObject(lifecycle) && lifecycle.prevent_destroy === true;
}

/** What applying the head does to a data-bearing resource that is still there (maybe under a new address). */
function dataBearingChange(pair: Pair, was: JsonObject): DataBearingChange | undefined {
  const { before, after } = pair;
  if (!isDataBearing(after.type)) return undefined;
  const replacing = attributeChanges(was, after.body, REPLACING_ATTRIBUTES[after.type] ?? []);
  const moving = attributeChanges(was, after.body, MOVING_ATTRIBUTES[after.type] ?? []);
  const attributes = [...replacing, ...moving];
  const base = {
    type: after.type,
    tenant: after.tenant ?? before.tenant ?? null,
    address: before.address,
    newAddress: after.address,
    attributes,
  };
  if (pair.how === 'renamed') {
    return {
      ...base,
      kind: 'renamed',
      destroys: true,
      detail: `new address without a moved block: Terraform destroys ${before.address} and creates ${after.address}${attributes.length > 0 ? `; also ${describe(attributes)}` : ''}`,
    };
  }
  if (replacing.length > 0) {
    const guard = preventsDestroy(after.body) ? '; prevent_destroy is set, so the plan fails until it is lifted' : '';
    return {
      ...base,
      kind: 'replaced',
      destroys: true,
      detail: `${describe(replacing)} forces replacement: Terraform destroys and recreates it${guard}`,
    };
  }
  if (pair.how === 'moved') {
    return {
      ...base,
      kind: 'moved',
      destroys: false,
      detail: `moved block: the state moves to ${after.address}, nothing is destroyed${moving.length > 0 ? `; ${describe(moving)} (a remount keeps the data)` : ''}`,
    };
  }
  if (moving.length > 0) {
    return {
      ...base,
      kind: 'remounted',
      destroys: false,
      detail: `${describe(moving)}: the provider remounts, the data moves with it (policies must follow the new path)`,
    };
  }
  return undefined;
}

function removedDataBearing(entry: ResourceEntry, tenantRemoved: boolean): DataBearingChange {
  const why = tenantRemoved ? ` (tenant '${entry.tenant}' was removed: decommission it instead)` : '';
  return {
    kind: 'removed',
    type: entry.type,
    tenant: entry.tenant ?? null,
    address: entry.address,
    newAddress: null,
    attributes: [],
    destroys: true,
    detail: `removed from the configuration: Terraform destroys it, and prevent_destroy leaves with the block${why}`,
  };
}

function tenantChanges(base: SynthesizedStack, head: SynthesizedStack): TenantChanges {
  const [was, now] = [base.tenants, head.tenants];
  const scopes = (s: SynthesizedStack, t: string): string[] => [...(s.metadata.tenants?.[t] ?? [])].sort();
  return {
    added: now.filter((t) => !was.includes(t)),
    removed: was.filter((t) => !now.includes(t)),
    scopesChanged: now
      .filter((t) => was.includes(t))
      .map((tenant) => ({ tenant, before: scopes(base, tenant), after: scopes(head, tenant) }))
      .filter((c) => c.before.join('\n') !== c.after.join('\n')),
  };
}

const LAYER_ORDER = new Map(REVIEW_LAYERS.map((l, i) => [l, i]));

/** Tenants first (alphabetically), shared last; then layer, setting and address. */
function bySettingOrder(a: SettingChange, b: SettingChange): number {
  return (
    (a.tenant ?? '\uffff').localeCompare(b.tenant ?? '\uffff') ||
    (LAYER_ORDER.get(a.layer) ?? 0) - (LAYER_ORDER.get(b.layer) ?? 0) ||
    (SETTING_ORDER.get(a.setting) ?? 0) - (SETTING_ORDER.get(b.setting) ?? 0) ||
    a.address.localeCompare(b.address)
  );
}

/** Tenants first (alphabetically), shared last; then address. */
function byResourceOrder(a: ResourceChange, b: ResourceChange): number {
  return (a.tenant ?? '\uffff').localeCompare(b.tenant ?? '\uffff') || a.address.localeCompare(b.address);
}

/** Destroying changes first; then tenant, type and address. */
function byDataRisk(a: DataBearingChange, b: DataBearingChange): number {
  return (
    Number(b.destroys) - Number(a.destroys) ||
    (a.tenant ?? '\uffff').localeCompare(b.tenant ?? '\uffff') ||
    a.type.localeCompare(b.type) ||
    a.address.localeCompare(b.address)
  );
}

/** What changed from `base` to `head` (`base` null: the stack is new). */
export function diffStacks(base: SynthesizedStack | null, head: SynthesizedStack): StackChanges {
  const from = base ?? new SynthesizedStack({}, head.name);
  const { pairs, removed, added } = pairResources(from, head);
  const tenants = tenantChanges(from, head);

  const settings: SettingChange[] = [];
  const dataBearing: DataBearingChange[] = [];
  const counts = new Map<string, { added: number; removed: number; renamed: number; changed: number }>();
  const countOf = (type: string) => {
    let c = counts.get(type);
    if (!c) counts.set(type, (c = { added: 0, removed: 0, renamed: 0, changed: 0 }));
    return c;
  };

  const resources: ResourceChange[] = [];
  const renamed = new Map(pairs.filter((p) => p.how !== 'same').map((p) => [p.before.address, p.after.address]));
  for (const pair of pairs) {
    if (pair.how !== 'same') countOf(pair.after.type).renamed++;
    const was = followRenames(pair.before.body, renamed);
    if (bodyKey(was) !== bodyKey(pair.after.body)) {
      countOf(pair.after.type).changed++;
      const tenant = ownerTenant(head, pair.after) ?? null;
      settings.push(...settingChanges(pair, was, tenant, { base: from, head }));
      const uncovered = uncoveredChange(pair, was, tenant);
      if (uncovered) resources.push(uncovered);
    }
    const change = dataBearingChange(pair, was);
    if (change) dataBearing.push(change);
  }
  const removedTenants = new Set(tenants.removed);
  const addedTenants = new Set(tenants.added);
  for (const entry of removed) {
    countOf(entry.type).removed++;
    const tenant = ownerTenant(from, entry);
    if (isDataBearing(entry.type)) {
      dataBearing.push(removedDataBearing(entry, tenant !== undefined && removedTenants.has(tenant)));
    } else if (tenant === undefined || !removedTenants.has(tenant)) {
      resources.push(addedOrRemoved(from, entry, 'removed'));
    }
  }
  for (const entry of added) {
    countOf(entry.type).added++;
    const tenant = ownerTenant(head, entry);
    // A tenant added whole is listed as such; its resources are judged by the rule pack.
    if (tenant === undefined || !addedTenants.has(tenant)) resources.push(addedOrRemoved(head, entry, 'added'));
  }

  const byType: TypeChangeCount[] = [...counts.entries()]
    .map(([type, c]) => ({ type, ...c }))
    .filter((c) => c.added + c.removed + c.renamed + c.changed > 0)
    .sort((a, b) => a.type.localeCompare(b.type));

  settings.sort(bySettingOrder);
  resources.sort(byResourceOrder);
  return {
    baseStack: base ? base.name : null,
    weakened: settings.filter((s) => s.classification === 'weakened'),
    weakenedResources: resources.filter((r) => r.classification === 'weakened'),
    unclassified: [
      ...settings.filter((s) => s.classification === 'unclassified'),
      ...resources.filter((r) => r.classification === 'unclassified'),
    ],
    dataBearing: dataBearing.sort(byDataRisk),
    tenants,
    otherSettings: settings.filter((s) => s.classification === 'strengthened' || s.classification === 'neutral'),
    otherResources: resources.filter((r) => r.classification === 'strengthened' || r.classification === 'neutral'),
    byType,
  };
}
