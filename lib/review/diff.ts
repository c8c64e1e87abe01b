/**
 * What changed between two synths of one stack, in risk order: weakened settings and destroyed
 * data-bearing resources first, then tenants, then everything else summarized by type.
 */
import { blocks } from '../model/json';
import { type JsonObject, type ResourceEntry, SynthesizedStack } from '../model/stack';
import { DATA_BEARING_TYPES, isDataBearing, MOVING_ATTRIBUTES, REPLACING_ATTRIBUTES } from './data-bearing';
import { changedPaths, isNeutralPath, layerOfType, resourceChangeClass, under } from './changes';
import { humanize } from './references';
import { ownerTenant } from '../model/tenancy';
import {
  type AttributeChange,
  type ChangeClass,
  type SettingValue,
  type DataBearingChange,
  REVIEW_LAYERS,
  type ResourceChange,
  type SettingChange,
  type StackChanges,
  type TenantChanges,
  type TypeChangeCount,
} from './model';
import { SETTINGS, SETTINGS_BY_TYPE, showSetting, type SettingExtractor } from './settings';
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

const groupKey = (e: ResourceEntry): string => `${e.mode}\u0000${e.type}\u0000${e.tenant ?? ''}`;

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
  const baseResources = base.all();
  const headResources = head.all();
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

/** The two synths a pair comes from. */
interface Sides {
  readonly base: SynthesizedStack;
  readonly head: SynthesizedStack;
}

/**
 * How a change prints: lists that keep some members print only what left (before) and what came
 * (after), with how many stayed, so that one line says what moved; other values print whole.
 */
function changeDisplays(
  extractor: SettingExtractor,
  old: SettingValue,
  now: SettingValue,
  sides: Sides,
): { beforeDisplay: string; afterDisplay: string } {
  if (Array.isArray(old) && Array.isArray(now) && extractor.show === undefined) {
    const kept = old.filter((m) => now.includes(m)).length;
    if (kept > 0) {
      const part = (members: string[], stack: SynthesizedStack) =>
        `${members.length > 0 ? humanize(stack, members.join(', ')) : '…'} (${kept} unchanged)`;
      return {
        beforeDisplay: part(
          old.filter((m) => !now.includes(m)),
          sides.base,
        ),
        afterDisplay: part(
          now.filter((m) => !old.includes(m)),
          sides.head,
        ),
      };
    }
  }
  return {
    beforeDisplay: humanize(sides.base, showSetting(extractor, old)),
    afterDisplay: humanize(sides.head, showSetting(extractor, now)),
  };
}

/** The settings that judge a resource: those of its type that apply to it in the base or in the head. */
function extractorsFor(pair: Pair, sides: Sides): SettingExtractor[] {
  if (pair.after.mode !== 'resource') return [];
  return (SETTINGS_BY_TYPE.get(pair.after.type) ?? []).filter(
    (e) =>
      e.compared !== false && (!e.applies || e.applies(sides.head, pair.after) || e.applies(sides.base, pair.before)),
  );
}

/**
 * Judges a changed resource (`was`: its base body, references to renamed resources followed): one
 * change per setting whose value moved, and, for attributes that changed though no setting saw
 * them move (no setting covers them, or the one that does reads the same value), one unclassified
 * change: a person decides.
 */
function judgePair(
  pair: Pair,
  was: JsonObject,
  tenant: string | null,
  sides: Sides,
): { settings: SettingChange[]; residual?: ResourceChange } {
  const { before, after } = pair;
  const extractors = extractorsFor(pair, sides);
  const settings: SettingChange[] = [];
  const moved = new Set<SettingExtractor>();
  for (const extractor of extractors) {
    const old = extractor.read(was);
    const now = extractor.read(after.body);
    if (sameValue(old, now)) continue;
    moved.add(extractor);
    const classification = extractor.compare(old, now, { tenant });
    settings.push({
      tenant,
      setting: extractor.id,
      layer: extractor.layer,
      label: extractor.label,
      address: after.address,
      baseAddress: pair.how === 'same' ? null : before.address,
      before: old,
      after: now,
      ...changeDisplays(extractor, old, now, sides),
      classification,
      weakened: classification === 'weakened',
      rule: extractor.rule ?? null,
    });
  }
  const uncovered: string[] = [];
  const unseen = new Map<string, string[]>();
  for (const path of changedPaths(was, after.body)) {
    if (isNeutralPath(path)) continue;
    const covering = extractors.filter((e) => e.attributes.some((a) => under(path, a)));
    if (covering.some((e) => moved.has(e))) continue;
    if (covering.some((e) => e.normalizes === true)) continue;
    if (covering.length === 0) uncovered.push(path);
    else for (const e of covering) unseen.set(e.label, [...(unseen.get(e.label) ?? []), path]);
  }
  if (uncovered.length === 0 && unseen.size === 0) return { settings };
  const reasons = [
    ...(uncovered.length > 0
      ? [`${uncovered.join(', ')} changed: the review has no comparator for ${uncovered.length === 1 ? 'it' : 'them'}`]
      : []),
    ...[...unseen.entries()].map(
      ([label, paths]) =>
        `${paths.join(', ')} changed, but '${label}' reads the same: the review cannot tell what moved`,
    ),
  ];
  return {
    settings,
    residual: {
      tenant,
      layer: layerOfType(after.type),
      kind: 'attributes',
      type: after.mode === 'data' ? `data.${after.type}` : after.type,
      address: after.address,
      attributes: [...uncovered, ...[...unseen.values()].flat()].sort(),
      classification: 'unclassified',
      detail: reasons.join('; '),
      rule: null,
    },
  };
}

/** Hostnames of an Access application. */
function applicationHosts(body: JsonObject): string[] {
  return [
    ...blocks(body.destinations).map((d) => readText(d.uri)),
    readText(body.domain),
    ...(Array.isArray(body.self_hosted_domains) ? body.self_hosted_domains.map(readText) : []),
  ].filter((h): h is string => h !== null);
}

/** True when a DNS record or a tunnel ingress rule of `head` still routes one of `hosts`. */
function stillRouted(head: SynthesizedStack, hosts: readonly string[]): boolean {
  if (hosts.length === 0) return true;
  const routed = new Set<string>();
  for (const record of head.ofType('cloudflare_dns_record')) {
    const name = readText(record.body.name);
    if (name !== null) routed.add(name);
  }
  for (const config of head.ofType('cloudflare_zero_trust_tunnel_cloudflared_config')) {
    for (const rule of blocks(blocks(config.body.config)[0]?.ingress)) {
      const hostname = readText(rule.hostname);
      if (hostname !== null) routed.add(hostname);
    }
  }
  return hosts.some((h) => routed.has(h));
}

/** A resource added to or removed from a tenant's cell (or the shared pieces), classified by type. */
function addedOrRemoved(
  stack: SynthesizedStack,
  entry: ResourceEntry,
  kind: 'added' | 'removed',
  head: SynthesizedStack = stack,
): ResourceChange {
  if (entry.mode === 'resource' && entry.type === 'cloudflare_zero_trust_access_application' && kind === 'removed') {
    // Gone with its routes (a decommission), the application takes a way in with it; a hostname
    // still routed by a DNS record or the tunnel is no longer behind Access.
    const routed = stillRouted(head, applicationHosts(entry.body));
    return {
      tenant: ownerTenant(stack, entry) ?? null,
      layer: 'transport',
      kind,
      type: entry.type,
      address: entry.address,
      attributes: [],
      classification: routed ? 'weakened' : 'strengthened',
      detail: routed
        ? 'an Access application removed while its hostname is still routed: the hostname is no longer behind Access'
        : 'an Access application removed with its routes: a way in is gone',
      rule: 'MCP-NET-2',
    };
  }
  const verdict = resourceChangeClass(entry.type, kind, entry.body, entry.mode);
  return {
    tenant: ownerTenant(stack, entry) ?? null,
    layer: layerOfType(entry.type),
    kind,
    type: entry.mode === 'data' ? `data.${entry.type}` : entry.type,
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

/** What a decommissioned tenant keeps: its data-bearing resources, its transit key and KV configuration. */
export const KEPT_WHEN_DECOMMISSIONED: ReadonlySet<string> = new Set([
  ...DATA_BEARING_TYPES,
  'vault_transit_secret_backend_key',
  'vault_kv_secret_backend_v2',
]);

/** Tenants the stack's metadata records as decommissioned and whose resources are all kept kinds. */
export function decommissionedTenants(stack: SynthesizedStack): Set<string> {
  const listed = new Set(stack.metadata.decommissioned ?? []);
  if (listed.size === 0) return listed;
  for (const entry of stack.all()) {
    if (entry.mode !== 'resource') continue;
    const owner = ownerTenant(stack, entry);
    if (owner !== undefined && listed.has(owner) && !KEPT_WHEN_DECOMMISSIONED.has(entry.type)) listed.delete(owner);
  }
  return listed;
}

function tenantChanges(base: SynthesizedStack, head: SynthesizedStack): TenantChanges {
  const [was, now] = [base.tenants, head.tenants];
  const before = decommissionedTenants(base);
  const scopes = (s: SynthesizedStack, t: string): string[] => [...(s.metadata.tenants?.[t] ?? [])].sort();
  return {
    added: now.filter((t) => !was.includes(t)),
    removed: was.filter((t) => !now.includes(t)),
    scopesChanged: now
      .filter((t) => was.includes(t))
      .map((tenant) => ({ tenant, before: scopes(base, tenant), after: scopes(head, tenant) }))
      .filter((c) => c.before.join('\n') !== c.after.join('\n')),
    // Filled in by the review, which knows the default posture.
    addedDeviating: [],
    decommissioned: [...decommissionedTenants(head)].filter((t) => was.includes(t) && !before.has(t)).sort(),
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

/** The construct path of each output, from cdktf's `"//".outputs` map (stack -> construct ids -> output name). */
function outputPaths(json: JsonObject): Map<string, string> {
  const paths = new Map<string, string>();
  const comment = isObject(json['//']) ? json['//'] : {};
  const walk = (node: unknown, path: string): void => {
    if (typeof node === 'string') paths.set(node, path);
    else if (isObject(node)) for (const [k, v] of Object.entries(node)) walk(v, path === '' ? k : `${path}/${k}`);
  };
  walk(comment.outputs, '');
  return paths;
}

/** The tenant whose cell a construct path lies in, by the stack's metadata. */
function tenantOfPath(stack: SynthesizedStack, path: string | undefined): string | undefined {
  if (path === undefined) return undefined;
  for (const [tenant, scopes] of Object.entries(stack.metadata.tenants ?? {})) {
    if (scopes.some((scope) => path === scope || path.startsWith(`${scope}/`))) return tenant;
  }
  return undefined;
}

/** How a change of one named block of a stack (a variable, an output, a provider, ...) is judged. */
interface BlockKind {
  /** The top-level key of the Terraform JSON and how its members are named in the report. */
  readonly key: string;
  readonly noun: string;
  readonly added: ChangeClass;
  readonly removed: ChangeClass;
  /** Attributes whose change moves nothing. */
  readonly neutral: readonly string[];
  /** Judges a change of the other attributes. */
  changed(before: JsonObject, after: JsonObject): { classification: ChangeClass; why: string };
}

const article = (noun: string): string => (/^[aeiou]/.test(noun) ? 'an' : 'a');

const sensitiveLost = (before: JsonObject, after: JsonObject): boolean =>
  before.sensitive === true && after.sensitive !== true;

/**
 * A stack's own blocks: a variable's default or an output's value feeds resources (in this stack or,
 * through remote state, in another), providers decide how each provider authenticates, the backend
 * where state (and the secrets in it) lives. Their changes are for a person; a value that stops
 * being sensitive is weaker; additions and removals of variables and outputs move nothing alone.
 */
const BLOCK_KINDS: readonly BlockKind[] = [
  {
    key: 'variable',
    noun: 'variable',
    added: 'neutral',
    removed: 'neutral',
    neutral: ['description', 'type'],
    changed: (b, a) =>
      sensitiveLost(b, a)
        ? { classification: 'weakened', why: 'no longer sensitive: its value is printed in plans' }
        : {
            classification: 'unclassified',
            why: 'its default or validation changed: every resource that reads it may change',
          },
  },
  {
    key: 'locals',
    noun: 'local',
    added: 'neutral',
    removed: 'neutral',
    neutral: [],
    changed: () => ({
      classification: 'unclassified',
      why: 'its value changed: every resource that reads it may change',
    }),
  },
  {
    key: 'output',
    noun: 'output',
    added: 'neutral',
    removed: 'neutral',
    neutral: ['description'],
    changed: (b, a) =>
      sensitiveLost(b, a)
        ? { classification: 'weakened', why: 'no longer sensitive: its value is printed' }
        : {
            classification: 'unclassified',
            why: 'its value changed: stacks that read it through remote state may change',
          },
  },
  {
    key: 'provider',
    noun: 'provider',
    added: 'neutral',
    removed: 'neutral',
    neutral: [],
    changed: () => ({ classification: 'unclassified', why: 'how the provider connects or authenticates changed' }),
  },
  {
    key: 'module',
    noun: 'module',
    added: 'unclassified',
    removed: 'unclassified',
    neutral: [],
    changed: () => ({
      classification: 'unclassified',
      why: "a module's resources are not in this JSON: the review cannot see them",
    }),
  },
];

/** Changes of a stack's variables, locals, outputs, providers, modules and backend. */
function stackBlockChanges(
  base: SynthesizedStack,
  head: SynthesizedStack,
  skipTenants: ReadonlySet<string>,
  isNew: boolean,
): ResourceChange[] {
  const changes: ResourceChange[] = [];
  const [baseOutputs, headOutputs] = [outputPaths(base.json), outputPaths(head.json)];
  const members = (json: JsonObject, key: string): Map<string, JsonObject> => {
    const block = json[key];
    const map = new Map<string, JsonObject>();
    // Providers are written as `{ type: [config, ...] }`: one member per type and alias.
    for (const [name, value] of Object.entries(isObject(block) ? block : {})) {
      if (name === '//') continue;
      for (const [i, v] of (Array.isArray(value) ? value : [value]).entries()) {
        const alias = isObject(v) && typeof v.alias === 'string' ? v.alias : i === 0 ? '' : String(i);
        map.set(alias === '' ? name : `${name}.${alias}`, isObject(v) ? v : { value: v });
      }
    }
    return map;
  };
  const change = (
    kind: BlockKind,
    name: string,
    what: ResourceChange['kind'],
    classification: ChangeClass,
    detail: string,
    attributes: string[] = [],
  ): void => {
    const paths = kind.key === 'output' ? (what === 'removed' ? baseOutputs : headOutputs) : undefined;
    const tenant = tenantOfPath(what === 'removed' ? base : head, paths?.get(name)) ?? null;
    if (tenant !== null && skipTenants.has(tenant)) return;
    changes.push({
      tenant,
      layer: 'stack',
      kind: what,
      type: kind.noun,
      address:
        kind.key === 'variable' ? `var.${name}` : kind.key === 'locals' ? `local.${name}` : `${kind.noun}.${name}`,
      attributes,
      classification,
      detail,
      rule: null,
    });
  };
  for (const kind of BLOCK_KINDS) {
    const [was, now] = [members(base.json, kind.key), members(head.json, kind.key)];
    for (const [name, body] of now) {
      const old = was.get(name);
      if (!old) {
        change(kind, name, 'added', kind.added, `${article(kind.noun)} ${kind.noun} added`);
        continue;
      }
      const paths = changedPaths(old, body).filter((p) => !kind.neutral.some((n) => under(p, n)));
      if (paths.length === 0) continue;
      const { classification, why } = kind.changed(old, body);
      change(kind, name, 'attributes', classification, `${paths.join(', ')}: ${why}`, paths);
    }
    for (const name of was.keys()) {
      if (!now.has(name)) change(kind, name, 'removed', kind.removed, `${article(kind.noun)} ${kind.noun} removed`);
    }
  }
  const terraform = (json: JsonObject) => (isObject(json.terraform) ? json.terraform : {});
  const [tb, th] = [terraform(base.json), terraform(head.json)];
  for (const key of new Set([...Object.keys(tb), ...Object.keys(th)])) {
    // Provider versions come with the library's bindings; where state lives and how it is read is for a person.
    if (key === 'required_providers' || key === '//') continue;
    const paths = changedPaths(tb[key] ?? null, th[key] ?? null);
    if (JSON.stringify(tb[key] ?? null) === JSON.stringify(th[key] ?? null)) continue;
    changes.push({
      tenant: null,
      layer: 'stack',
      kind: 'attributes',
      type: 'terraform',
      address: `terraform.${key}`,
      attributes: paths,
      // A new stack's backend is where its state starts; the rule pack judges its encryption (MCP-SEC-7).
      classification: isNew ? 'neutral' : 'unclassified',
      detail: isNew
        ? `terraform.${key} of a new stack`
        : `terraform.${key} changed${key === 'backend' ? ': where the state (and every secret in it) is kept' : ''}`,
      rule: key === 'backend' ? 'MCP-SEC-7' : null,
    });
  }
  for (const key of new Set([...Object.keys(base.json), ...Object.keys(head.json)])) {
    if (
      ['//', 'terraform', 'resource', 'data', 'moved', 'variable', 'locals', 'output', 'provider', 'module'].includes(
        key,
      )
    )
      continue;
    if (JSON.stringify(base.json[key] ?? null) === JSON.stringify(head.json[key] ?? null)) continue;
    changes.push({
      tenant: null,
      layer: 'stack',
      kind: 'attributes',
      type: key,
      address: key,
      attributes: [],
      classification: 'unclassified',
      detail: `the stack's ${key} blocks changed: the review has no comparator for them`,
      rule: null,
    });
  }
  return changes;
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
      const judged = judgePair(pair, was, tenant, { base: from, head });
      settings.push(...judged.settings);
      if (judged.residual) resources.push(judged.residual);
    }
    const change = pair.after.mode === 'resource' ? dataBearingChange(pair, was) : undefined;
    if (change) dataBearing.push(change);
  }
  const removedTenants = new Set(tenants.removed);
  const addedTenants = new Set(tenants.added);
  const retired = new Set(tenants.decommissioned);
  // A tenant added or removed whole is listed as such: its resources are not counted one by one.
  const whole = (tenant: string | undefined) =>
    tenant !== undefined && (addedTenants.has(tenant) || removedTenants.has(tenant) || retired.has(tenant));
  for (const entry of removed) {
    const tenant = ownerTenant(from, entry);
    if (!whole(tenant)) countOf(entry.type).removed++;
    if (entry.mode === 'resource' && isDataBearing(entry.type)) {
      dataBearing.push(removedDataBearing(entry, tenant !== undefined && removedTenants.has(tenant)));
    } else if (tenant !== undefined && retired.has(tenant)) {
      // A way in of a decommissioned tenant: the decommission is listed as one line.
    } else if (tenant === undefined || !removedTenants.has(tenant)) {
      resources.push(addedOrRemoved(from, entry, 'removed', head));
    }
  }
  for (const entry of added) {
    const tenant = ownerTenant(head, entry);
    if (!whole(tenant)) countOf(entry.type).added++;
    // A tenant added whole is listed as such; its resources are judged by the rule pack.
    if (tenant === undefined || !addedTenants.has(tenant)) resources.push(addedOrRemoved(head, entry, 'added'));
  }

  resources.push(
    ...stackBlockChanges(from, head, new Set([...addedTenants, ...removedTenants, ...retired]), base === null),
  );
  // A new stack's scaffolding (providers, variables, remote state, backend) is new by definition:
  // counted by type, listed only when it is not neutral.
  if (base === null) {
    for (let i = resources.length - 1; i >= 0; i--) {
      const r = resources[i];
      if (r.classification === 'neutral' && (r.layer === 'stack' || r.type.startsWith('data.'))) resources.splice(i, 1);
    }
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
