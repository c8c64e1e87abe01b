/**
 * What the transport rules need to know about the whole app to judge one tenant's tunnel and Access
 * application: the MCP port of each tenant's deployment, each tenant's Okta authorization server
 * rules (which groups they whitelist, and whether they grant the admin scope), the tenants the app
 * names, and whose group an Access policy's Okta group is. Indexed once per app, across its stacks,
 * so that a fleet's cell stacks are judged with their foundation's facts.
 */
import { TENANT_ID_SOURCE } from '../../../core/formats';
import { MCP_ENV } from '../../../core/ports-defaults';
import { blocks, isExpression } from '../../../model/json';
import { OKTA_TYPES } from '../../../model/okta';
import { isMcpContainer, workloads } from '../../../model/pods';
import type { ResourceEntry, SynthesizedApp, SynthesizedStack } from '../../../model/stack';
import { namedTenant, tenantInName } from '../../../model/tenancy';
import { readList, readText, resolveIn } from '../../../model/cloudflare';

/** The admin scope of a tenant: `mcp:<t>:admin`. */
const ADMIN_SCOPE = new RegExp(`^mcp:(${TENANT_ID_SOURCE}):admin$`);

/** A value as written in a stack, so that it can be followed or compared with the same expression. */
export interface Written {
  readonly stack: SynthesizedStack;
  readonly value: unknown;
}

/** One `group_whitelist` entry of a tenant's authorization server policy rule. */
interface WhitelistedGroup extends Written {
  readonly tenant: string;
  readonly rule: ResourceEntry;
  /** The rule grants the tenant's admin scope (undefined when a scope of the rule cannot be read). */
  readonly grantsAdmin: boolean | undefined;
  /** The rule's `group_whitelist` cannot be read: it may name any group. */
  readonly unreadable?: boolean;
}

/** The facts of one app the transport rules share. */
export interface TransportEvidence {
  /** `MCP_PORT` of every MCP container in each tenant's namespace, as written. */
  readonly mcpPorts: ReadonlyMap<string, readonly Written[]>;
  /** Every tenant some resource of the app names by its own name. */
  knownTenants(): ReadonlySet<string>;
  /** Every group whitelisted by a policy rule of a tenant's authorization server. */
  whitelisted(): readonly WhitelistedGroup[];
}

const cache = new WeakMap<SynthesizedApp, TransportEvidence>();

/** The transport evidence of the app a stack belongs to (computed once per app). */
export function evidenceOf(stack: SynthesizedStack): TransportEvidence {
  const app = stack.app;
  let found = cache.get(app);
  if (!found) {
    found = collect(app);
    cache.set(app, found);
  }
  return found;
}

function collect(app: SynthesizedApp): TransportEvidence {
  const mcpPorts = new Map<string, Written[]>();
  for (const stack of app.stacks) {
    for (const workload of workloads(stack)) {
      const tenant = namedTenant(stack, workload.entry);
      if (tenant === undefined) continue;
      for (const container of workload.containers) {
        if (!isMcpContainer(container)) continue;
        for (const env of blocks(container.body.env)) {
          if (env.name !== MCP_ENV.port) continue;
          const list = mcpPorts.get(tenant) ?? [];
          list.push({ stack, value: env.value });
          mcpPorts.set(tenant, list);
        }
      }
    }
  }
  let tenants: Set<string> | undefined;
  let groups: WhitelistedGroup[] | undefined;
  return {
    mcpPorts,
    knownTenants() {
      if (!tenants) {
        tenants = new Set();
        for (const stack of app.stacks) {
          for (const entry of stack.all()) {
            const t = namedTenant(stack, entry);
            if (t !== undefined) tenants.add(t);
          }
        }
      }
      return tenants;
    },
    whitelisted() {
      groups ??= whitelistedGroups(app);
      return groups;
    },
  };
}

/** The groups every tenant authorization server's policy rules whitelist. */
function whitelistedGroups(app: SynthesizedApp): WhitelistedGroup[] {
  const found: WhitelistedGroup[] = [];
  for (const stack of app.stacks) {
    for (const rule of stack.ofType(OKTA_TYPES.policyRule)) {
      const server = resolveIn(stack, rule.body.auth_server_id);
      if (server.kind !== 'reference' || server.entry.type !== OKTA_TYPES.authServer) continue;
      const tenant = namedTenant(server.stack, server.entry);
      if (tenant === undefined) continue;
      const texts = readList(stack, rule.body.scope_whitelist).list?.map((s) => readText(stack, s));
      // A scope that cannot be read may be the admin scope.
      const grantsAdmin = texts?.some((text) => text?.kind === 'literal' && ADMIN_SCOPE.exec(text.text)?.[1] === tenant)
        ? true
        : texts === undefined || texts.some((text) => text?.kind === 'partial')
          ? undefined
          : false;
      const groups = readList(stack, rule.body.group_whitelist).list;
      // A whitelist that cannot be read may name any group.
      if (groups === undefined) {
        found.push({ stack, value: rule.body.group_whitelist, tenant, rule, grantsAdmin, unreadable: true });
      } else {
        for (const value of groups) found.push({ stack, value, tenant, rule, grantsAdmin });
      }
    }
  }
  return found;
}

/**
 * Whether two written values are certainly equal (`true`), certainly different (`false`), or cannot
 * be told apart before apply (`undefined`): literals compare by value, references by what they
 * point at, and the same expression in the same stack is the same value.
 */
export function sameValue(a: Written, b: Written): boolean | undefined {
  if (a.stack === b.stack && typeof a.value === 'string' && a.value === b.value) return true;
  const ra = readText(a.stack, a.value);
  const rb = readText(b.stack, b.value);
  if (ra?.kind === 'literal' && rb?.kind === 'literal') return ra.text === rb.text;
  const fa = resolveIn(a.stack, a.value);
  const fb = resolveIn(b.stack, b.value);
  if (fa.kind === 'reference' && fb.kind === 'reference') {
    return fa.entry === fb.entry && fa.attribute === fb.attribute ? true : undefined;
  }
  return undefined;
}

/**
 * Whether a `group_whitelist` entry names the group a `data.okta_group` reads: certainly (it is the
 * data source's `id`, or the same value as the `id` it looks up), certainly not (it is a group this
 * app creates: a new group has a new id), or cannot tell.
 */
function whitelistsExisting(
  entry: WhitelistedGroup,
  group: { stack: SynthesizedStack; entry: ResourceEntry },
): boolean | undefined {
  if (entry.unreadable) return undefined;
  const first = /^\$\{data\.okta_group\.([A-Za-z0-9_-]+)\.id\}$/.exec(String(entry.value));
  if (first && entry.stack.find(`data.okta_group.${first[1]}`) === group.entry) return true;
  const resolved = resolveIn(entry.stack, entry.value);
  if (resolved.kind === 'reference' && resolved.entry === group.entry) return resolved.attribute === 'id';
  const createdGroup =
    resolved.kind === 'reference' && resolved.entry.type === 'okta_group' && resolved.entry.mode === 'resource';
  const id = group.entry.body.id;
  if (id === undefined) return createdGroup ? false : undefined;
  const same = sameValue(entry, { stack: group.stack, value: id });
  if (same === undefined && createdGroup) {
    const target = resolveIn(group.stack, id);
    return target.kind === 'reference' && target.entry === resolved.entry ? undefined : false;
  }
  return same;
}

/** How an Access policy's Okta group name reads. */
export type GroupReading =
  /** A literal name: `tenant` when it is `mcp-<t>-users` or `mcp-<t>-admins`. */
  | { readonly kind: 'named'; readonly name: string; readonly tenant?: string }
  /**
   * An existing group the app reads with `data.okta_group` (its name comes at apply): which tenants'
   * authorization servers certainly whitelist it, which may, and whether a rule granting the admin
   * scope does.
   */
  | {
      readonly kind: 'existing';
      readonly entry: ResourceEntry;
      readonly label: string;
      readonly whitelistedBy: ReadonlySet<string>;
      readonly maybeWhitelistedBy: ReadonlySet<string>;
      readonly admin: boolean | undefined;
    }
  | { readonly kind: 'unreadable'; readonly why: string };

const EXISTING_GROUP_NAME = /^\$\{data\.okta_group\.([A-Za-z0-9_-]+)\.name\}$/;

/** Reads the `name` of an `okta` include selector (written in `stack`). */
export function readGroup(stack: SynthesizedStack, value: unknown): GroupReading {
  const existing = typeof value === 'string' ? EXISTING_GROUP_NAME.exec(value) : null;
  const entry = existing ? stack.find(`data.okta_group.${existing[1]}`) : undefined;
  if (entry) {
    // Looked up by a tenant's group name, it is that group; by any other name or id, the whitelists tell.
    const named = readText(stack, entry.body.name);
    const tenant = named?.kind === 'literal' ? tenantInName('group', named.text) : undefined;
    if (named?.kind === 'literal' && tenant !== undefined) return { kind: 'named', name: named.text, tenant };
    return existingGroup(stack, entry);
  }
  const text = readText(stack, value);
  if (text?.kind === 'literal') return { kind: 'named', name: text.text, tenant: tenantInName('group', text.text) };
  const resolved = resolveIn(stack, value);
  if (resolved.kind === 'reference' && resolved.entry.type === 'okta_group' && resolved.entry.mode === 'data') {
    return existingGroup(resolved.stack, resolved.entry);
  }
  return {
    kind: 'unreadable',
    why: text?.kind === 'partial' ? text.why : `${JSON.stringify(value)} is not a group name`,
  };
}

function existingGroup(stack: SynthesizedStack, entry: ResourceEntry): GroupReading {
  const whitelistedBy = new Set<string>();
  const maybeWhitelistedBy = new Set<string>();
  let grantsAdmin = false;
  let mayGrantAdmin = false;
  for (const w of evidenceOf(stack).whitelisted()) {
    const same = whitelistsExisting(w, { stack, entry });
    if (same === true) {
      whitelistedBy.add(w.tenant);
      grantsAdmin ||= w.grantsAdmin === true;
      mayGrantAdmin ||= w.grantsAdmin === undefined;
    } else if (same === undefined) maybeWhitelistedBy.add(w.tenant);
  }
  for (const t of whitelistedBy) maybeWhitelistedBy.delete(t);
  // An admin group is one a rule granting the admin scope certainly whitelists; a group certainly
  // whitelisted only by rules that certainly do not grant it is not; a group no rule certainly
  // whitelists, or one a rule whose scopes cannot be read whitelists, cannot be told.
  const admin = grantsAdmin ? true : whitelistedBy.size > 0 && !mayGrantAdmin ? false : undefined;
  const id = entry.body.id;
  const label = `${entry.address}${typeof id === 'string' && !isExpression(id) ? ` (id '${id}')` : typeof id === 'string' ? ` (id ${id})` : ''}`;
  return { kind: 'existing', entry, label, whitelistedBy, maybeWhitelistedBy, admin };
}
