/**
 * Which Okta sign-on policies and rules guard admin elevation and which guard everyday sign-in, read
 * from the rule pack's client graph (tenant scopes -> policy rules -> policies -> apps -> their
 * `authentication_policy`), followed across every stack of the app. The review judges the admin
 * client's hardware-key rule by its own settings, never every sign-on rule of the org.
 */
import { ADMIN_SCOPE_PATTERN, ALL_SCOPES } from '../../core/identity-defaults';
import { clientGraph } from '../../checks/rules/identity/clients';
import { OKTA_TYPES } from '../../model/okta';
import type { ResourceEntry, SynthesizedApp, SynthesizedStack } from '../../model/stack';

/** What a sign-on policy (or rule) is for: admin elevation, everyday sign-in, or nothing the graph reaches. */
export type SignonRole = 'admin' | 'everyday';

const isAdminScope = (s: string): boolean => ADMIN_SCOPE_PATTERN.test(s) || s === ALL_SCOPES;

const ROLES = new WeakMap<SynthesizedApp, Map<ResourceEntry, SignonRole>>();

/** Sign-on policies and their rules by role, built once per app. */
function rolesOf(stack: SynthesizedStack): Map<ResourceEntry, SignonRole> {
  const app = stack.app;
  let roles = ROLES.get(app);
  if (roles) return roles;
  roles = new Map();
  const graph = clientGraph(stack);
  for (const [policy, node] of graph.signonPolicies) {
    const role: SignonRole = [...node.scopes].some(isAdminScope) ? 'admin' : 'everyday';
    roles.set(policy, role);
    for (const rule of graph.signonRules.get(policy) ?? []) roles.set(rule.entry, role);
  }
  ROLES.set(app, roles);
  return roles;
}

/** The role of a sign-on policy or rule; undefined when no tenant scope reaches it. */
export function signonRole(stack: SynthesizedStack, entry: ResourceEntry): SignonRole | undefined {
  if (entry.type !== OKTA_TYPES.signonRule && entry.type !== OKTA_TYPES.signonPolicy) return undefined;
  return rolesOf(stack).get(entry);
}

/** True for the sign-on policy or rule of a client that may obtain an admin scope. */
export const isAdminSignon = (stack: SynthesizedStack, entry: ResourceEntry): boolean =>
  signonRole(stack, entry) === 'admin';

/** True for the sign-on policy or rule of clients that obtain only use scopes (everyday sign-in). */
export const isEverydaySignon = (stack: SynthesizedStack, entry: ResourceEntry): boolean =>
  signonRole(stack, entry) === 'everyday';
