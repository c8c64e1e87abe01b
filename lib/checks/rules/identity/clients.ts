/**
 * Which Okta apps may obtain a tenant scope, followed across every stack of the app: an
 * `okta_auth_server_policy_rule` grants scopes (`scope_whitelist`), its `okta_auth_server_policy`
 * names the apps (`client_whitelist`), and each `okta_app_oauth` signs in through its
 * `authentication_policy` (an `okta_app_signon_policy` and its rules). A fleet's cell stacks hold the
 * grants and policies and its foundation holds the apps and sign-on policies: the graph is built once
 * per app from all of them, and each stack reports the resources it declares (MCP-ID-6, MCP-ID-7).
 * Apps of type `service` (service accounts: no user, so no sign-on) are not followed to a sign-on
 * policy: MCP-ID-11, 12 and 13 judge them.
 */
import { ALL_SCOPES } from '../../../core/identity-defaults';
import {
  describeReading,
  type Located,
  OKTA_TYPES,
  readList,
  readString,
  referencedResource,
} from '../../../model/okta';
import type { ResourceEntry, SynthesizedApp, SynthesizedStack } from '../../../model/stack';
import { tenantInName } from '../../../model/tenancy';
import { Verdict } from '../../verdict';
import { isServiceType } from './service-apps';

/** The client list value that lets every app of the Okta org use a policy. */
export const ALL_CLIENTS = 'ALL_CLIENTS';

/** A policy rule that grants a tenant scope (or whose scopes cannot be read). */
export interface Grant extends Located {
  /** Tenant scopes (and `*`) it grants. */
  readonly scopes: readonly string[];
  /** Its policy, when found. */
  readonly policy?: Located;
  /** Why its scopes or its policy cannot be read. */
  readonly unknown?: string;
  /** What is wrong with it (a missing policy_id). */
  readonly problem?: string;
}

/** A resource the graph reached, with the tenant scopes that reach it and what was found wrong or unreadable. */
export interface Node extends Located {
  readonly scopes: Set<string>;
  readonly problems: string[];
  readonly unknowns: string[];
}

/** An app reached by a tenant scope, and its sign-on policy when found. */
export interface AppNode extends Node {
  signon?: Located;
}

/** Every path from a tenant scope to a sign-on rule, in one app. */
export interface ClientGraph {
  readonly grants: readonly Grant[];
  readonly policies: ReadonlyMap<ResourceEntry, Node>;
  readonly apps: ReadonlyMap<ResourceEntry, AppNode>;
  readonly signonPolicies: ReadonlyMap<ResourceEntry, Node>;
  /** Sign-on rules by the policy they belong to. */
  readonly signonRules: ReadonlyMap<ResourceEntry, readonly Located[]>;
  /** Sign-on rules whose policy is not an `okta_app_signon_policy` of the app, with why. */
  readonly strayRules: readonly (Located & { readonly why: string })[];
}

/** True for a scope that names a tenant (`mcp:<t>:use`, `mcp:<t>:admin`) or for `*`. */
export function isTenantScope(scope: string): boolean {
  return scope === ALL_SCOPES || tenantInName('scope', scope) !== undefined;
}

function node<T extends Node>(map: Map<ResourceEntry, T>, at: Located, make: () => T): T {
  let found = map.get(at.entry);
  if (!found) map.set(at.entry, (found = make()));
  return found;
}

const fresh = (at: Located): Node => ({ ...at, scopes: new Set(), problems: [], unknowns: [] });

/** The scopes of a policy rule, or why they cannot be read. */
function grantOf(stack: SynthesizedStack, rule: ResourceEntry): Grant | undefined {
  const list = readList(stack, rule.body.scope_whitelist);
  const scopes = list.values.map((s) => s.trim()).filter(isTenantScope);
  const unreadable = [...list.unknowns, ...list.templates.map((t) => `'${t.text}'`)];
  for (const r of list.references) unreadable.push(`a reference to ${r.entry.address}.${r.attribute}`);
  if (scopes.length === 0 && unreadable.length === 0) return undefined;
  const grant = { stack, entry: rule, scopes };
  if (unreadable.length > 0) return { ...grant, unknown: `scope_whitelist: ${unreadable.join('; ')}` };
  const policy = referencedResource(stack, rule.body.policy_id, OKTA_TYPES.policy);
  if (policy.kind === 'resource') return { ...grant, policy: { stack: policy.stack, entry: policy.entry } };
  if (policy.kind === 'absent') return { ...grant, problem: 'policy_id is not set' };
  if (policy.kind === 'unknown') return { ...grant, unknown: `policy_id: ${policy.why}` };
  const found = policy.kind === 'literal' ? JSON.stringify(policy.value) : describeReading(policy.reading);
  return { ...grant, unknown: `policy_id ${found} is not an okta_auth_server_policy of this app` };
}

function buildGraph(app: SynthesizedApp): ClientGraph {
  const grants: Grant[] = [];
  const policies = new Map<ResourceEntry, Node>();
  const apps = new Map<ResourceEntry, AppNode>();
  const signonPolicies = new Map<ResourceEntry, Node>();
  const signonRules = new Map<ResourceEntry, Located[]>();
  const strayRules: (Located & { why: string })[] = [];
  const appByClientId = new Map<string, Located>();

  for (const stack of app.stacks) {
    for (const entry of stack.ofType(OKTA_TYPES.app)) {
      const clientId = readString(stack, entry.body.client_id);
      if (clientId.kind === 'string') appByClientId.set(clientId.value, { stack, entry });
    }
    for (const entry of stack.ofType(OKTA_TYPES.policyRule)) {
      const grant = grantOf(stack, entry);
      if (grant) grants.push(grant);
    }
    for (const entry of stack.ofType(OKTA_TYPES.signonRule)) {
      const policy = referencedResource(stack, entry.body.policy_id, OKTA_TYPES.signonPolicy);
      if (policy.kind === 'resource') {
        signonRules.set(policy.entry, [...(signonRules.get(policy.entry) ?? []), { stack, entry }]);
      } else {
        const found =
          policy.kind === 'unknown'
            ? policy.why
            : policy.kind === 'literal'
              ? `${JSON.stringify(policy.value)} is not an okta_app_signon_policy of this app`
              : policy.kind === 'absent'
                ? 'it is not set'
                : `${describeReading(policy.reading)} is not an okta_app_signon_policy`;
        strayRules.push({ stack, entry, why: `policy_id: ${found}` });
      }
    }
  }

  for (const grant of grants) {
    if (!grant.policy) continue;
    const policy = node(policies, grant.policy, () => fresh(grant.policy as Located));
    grant.scopes.forEach((s) => policy.scopes.add(s));
  }

  for (const policy of policies.values()) {
    const scopes = [...policy.scopes].sort().join(', ');
    const list = readList(policy.stack, policy.entry.body.client_whitelist);
    if (
      list.absent ||
      list.values.length + list.references.length + list.templates.length + list.unknowns.length === 0
    ) {
      policy.problems.push('client_whitelist is not set');
    }
    policy.unknowns.push(...list.unknowns.map((why) => `client_whitelist: ${why}`));
    for (const t of list.templates)
      policy.unknowns.push(`client_whitelist[${t.at}] '${t.text}' is not an app of this app`);
    const clients: Located[] = [];
    for (const value of list.values) {
      if (value === ALL_CLIENTS) {
        policy.problems.push(
          `client_whitelist is ${ALL_CLIENTS}: every app of the Okta org may obtain ${scopes}, including apps no stack declares`,
        );
        continue;
      }
      const byId = appByClientId.get(value);
      if (byId) clients.push(byId);
      else
        policy.unknowns.push(`client_whitelist entry '${value}' is not the client id of an okta_app_oauth of this app`);
    }
    for (const r of list.references) {
      if (r.entry.type === OKTA_TYPES.app && r.entry.mode === 'resource') clients.push(r);
      else
        policy.unknowns.push(`client_whitelist[${r.at}] is ${r.entry.address}.${r.attribute}, not an okta_app_oauth`);
    }
    for (const client of clients) {
      // A service app has no user and no sign-on: MCP-ID-11, 12 and 13 judge it instead.
      if (isServiceType(client.stack, client.entry)) continue;
      const appNode = node(apps, client, () => ({ ...fresh(client) }) as AppNode);
      policy.scopes.forEach((s) => appNode.scopes.add(s));
    }
  }

  for (const appNode of apps.values()) {
    const policy = referencedResource(appNode.stack, appNode.entry.body.authentication_policy, OKTA_TYPES.signonPolicy);
    if (policy.kind === 'resource') {
      appNode.signon = { stack: policy.stack, entry: policy.entry };
      const signon = node(signonPolicies, appNode.signon, () => fresh(appNode.signon as Located));
      appNode.scopes.forEach((s) => signon.scopes.add(s));
    } else if (policy.kind === 'absent') {
      appNode.problems.push(
        "authentication_policy is not set: the app signs in with the Okta org's default authentication policy",
      );
    } else if (policy.kind === 'unknown') {
      appNode.unknowns.push(`authentication_policy: ${policy.why}`);
    } else {
      const found = policy.kind === 'literal' ? JSON.stringify(policy.value) : describeReading(policy.reading);
      appNode.unknowns.push(`authentication_policy ${found} is not an okta_app_signon_policy of this app`);
    }
  }

  return { grants, policies, apps, signonPolicies, signonRules, strayRules };
}

const GRAPHS = new WeakMap<SynthesizedApp, ClientGraph>();

/** The client graph of the app a stack belongs to (built once per app). */
export function clientGraph(stack: SynthesizedStack): ClientGraph {
  const app = stack.app;
  let graph = GRAPHS.get(app);
  if (!graph) GRAPHS.set(app, (graph = buildGraph(app)));
  return graph;
}

/** `mcp:acme:admin, mcp:globex:admin and 3 more`: the scopes that reach a node, for details. */
export function scopeList(scopes: Iterable<string>, keep: (s: string) => boolean = () => true): string {
  const sorted = [...scopes].filter(keep).sort();
  const shown = sorted.slice(0, 2).join(', ');
  return sorted.length > 2 ? `${shown} and ${sorted.length - 2} more` : shown;
}

/** A verdict on a node: its problems (each followed by `why`) and what could not be read. */
export function nodeVerdict(n: Node, why = ''): Verdict {
  const verdict = new Verdict(n.entry.address);
  n.problems.forEach((p) => verdict.fail(`${p}${why}`));
  n.unknowns.forEach((u) => verdict.undecided(u));
  return verdict;
}
