import { ADMIN_REAUTH_ISO, ADMIN_REAUTH_MINUTES } from '../../../core/defaults';
import { ADMIN_POSSESSION_CONSTRAINT, ADMIN_SCOPE_PATTERN, isoDurationSeconds } from '../../../core/identity-defaults';
import { isExpression, referencesIn, stringList } from '../../../model/json';
import { Verdict } from '../../verdict';
import type { ResourceEntry, SynthesizedStack } from '../../../model/stack';
import type { Evaluation, Rule } from '../../rule';
import { listAttr, OKTA_TYPES, stringAttr } from '../../../model/okta';

const REAUTH_MAX_SECONDS = ADMIN_REAUTH_MINUTES * 60;
const REQUIRED_POSSESSION = ['phishingResistant', 'hardwareProtection', 'userVerification'] as const;

const ADDRESS_OF_TYPE = new Map<string, RegExp>();

/** The first resource of `type` that a value references, if it is in the stack. */
function referenced(stack: SynthesizedStack, value: unknown, type: string): ResourceEntry | undefined {
  if (typeof value === 'string') {
    // Fast path for the usual `${type.name.attr}`: one regex instead of a walk over every reference.
    let pattern = ADDRESS_OF_TYPE.get(type);
    if (!pattern) ADDRESS_OF_TYPE.set(type, (pattern = new RegExp(`(?<![\\w.])${type}\\.([A-Za-z_][A-Za-z0-9_-]*)`)));
    const m = value.includes('${') ? pattern.exec(value) : null;
    const entry = m ? stack.find(`${type}.${m[1]}`) : undefined;
    if (entry) return entry;
  }
  for (const ref of referencesIn(value)) {
    const entry = stack.find(ref);
    if (entry?.type === type) return entry;
  }
  return undefined;
}

/** True when a policy rule grants a tenant admin scope (or every scope, in a stack that has admin scopes). */
function grantsAdminScope(rule: ResourceEntry, adminScopes: ReadonlySet<string>): boolean {
  const scopes = listAttr(rule.body, 'scope_whitelist').values.map((s) => s.trim());
  return scopes.some((s) => ADMIN_SCOPE_PATTERN.test(s) || adminScopes.has(s) || (s === '*' && adminScopes.size > 0));
}

/** Judges one constraint object of a sign-on rule: it alone must demand the hardware key. */
function judgeConstraint(verdict: Verdict, text: string, at: string): void {
  if (isExpression(text)) {
    verdict.unknown(at);
    return;
  }
  let constraint: unknown;
  try {
    constraint = JSON.parse(text);
  } catch {
    verdict.fail(`${at} is not JSON`);
    return;
  }
  const possession = (constraint as { possession?: unknown } | null)?.possession;
  if (typeof possession !== 'object' || possession === null) {
    verdict.fail(`${at} has no possession constraint`);
    return;
  }
  const p = possession as Record<string, unknown>;
  verdict.expect(p.required !== false, `${at} possession.required is false`);
  for (const key of REQUIRED_POSSESSION) {
    const want = ADMIN_POSSESSION_CONSTRAINT[key];
    verdict.expect(
      p[key] === want,
      `${at} possession.${key} is ${p[key] === undefined ? 'not set' : JSON.stringify(p[key])} (must be ${want})`,
    );
  }
  if (p.reauthenticateIn !== undefined) {
    const seconds = typeof p.reauthenticateIn === 'string' ? isoDurationSeconds(p.reauthenticateIn) : undefined;
    verdict.expect(
      seconds !== undefined && seconds <= REAUTH_MAX_SECONDS,
      `${at} possession.reauthenticateIn is ${JSON.stringify(p.reauthenticateIn)} (at most ${ADMIN_REAUTH_ISO})`,
    );
  }
}

/** Judges one sign-on rule of an admin client's policy. */
function judgeSignonRule(rule: ResourceEntry): Evaluation {
  const verdict = new Verdict(rule.address);
  const status = stringAttr(rule.body, 'status');
  const access = stringAttr(rule.body, 'access');
  // A rule that is off or denies admits nobody, so it needs no key.
  if (status === 'INACTIVE' || access === 'DENY') return verdict.result();
  if (status === 'expression') verdict.unknown('status');
  if (access === 'expression') verdict.unknown('access');

  const constraints = stringList(rule.body.constraints);
  if (constraints === 'expression') verdict.unknown('constraints');
  else if (constraints.length === 0) verdict.fail('constraints is not set (any factor would do)');
  // Okta admits a user who satisfies any one constraint object: each must demand the key.
  else constraints.forEach((c, i) => judgeConstraint(verdict, c, `constraints[${i}]`));

  const reauth = stringAttr(rule.body, 're_authentication_frequency');
  if (reauth === 'expression') verdict.unknown('re_authentication_frequency');
  else if (reauth === undefined) verdict.fail('re_authentication_frequency is not set');
  else {
    const seconds = isoDurationSeconds(reauth);
    verdict.expect(
      seconds !== undefined && seconds <= REAUTH_MAX_SECONDS,
      `re_authentication_frequency is ${reauth} (at most ${ADMIN_REAUTH_ISO})`,
    );
  }
  return verdict.result();
}

/** MCP-ID-6: the sign-on rules of every client granted an admin scope demand a hardware key. */
export const MCP_ID_6: Rule = {
  id: 'MCP-ID-6',
  level: 'error',
  layer: 'identity',
  cause: `an admin client's sign-on rule does not require phishing-resistant, hardware-protected possession with user verification and re-authentication at most every ${ADMIN_REAUTH_ISO}`,
  explanation: `Admin elevation must need a hardware key. Okta applies a sign-on (authentication) policy per app, not per scope, so the key is demanded by the admin client's own policy, and only that client may be granted an admin scope. The rule finds the admin clients by following references: a scope named \`mcp:<tenant>:admin\` granted by an \`okta_auth_server_policy_rule\`, that rule's \`okta_auth_server_policy\`, the apps in its \`client_whitelist\` (every app for \`ALL_CLIENTS\`), and each app's \`authentication_policy\`. An admin client must have an \`okta_app_signon_policy\` of its own with \`catch_all = false\` (so users no rule admits are denied), at least one rule, and every rule that allows access must have \`re_authentication_frequency\` of at most ${ADMIN_REAUTH_ISO} and constraints in which every object (Okta admits a user who satisfies any one) has a possession constraint with \`phishingResistant\`, \`hardwareProtection\` and \`userVerification\` set to \`REQUIRED\` (and any \`reauthenticateIn\` at most ${ADMIN_REAUTH_ISO}). A stack without admin scopes is not judged; when an admin policy names clients outside the stack (a split foundation stack), the rule reports that it could not decide. To comply, use \`OktaMcpClients\`' admin client and do not override its sign-on rule.`,
  evaluate(stack: SynthesizedStack): Evaluation[] {
    const adminScopes = new Set(
      stack
        .ofType(OKTA_TYPES.scope)
        .map((s) => s.body.name)
        .filter((n): n is string => typeof n === 'string' && ADMIN_SCOPE_PATTERN.test(n)),
    );
    const adminGrants = stack.ofType(OKTA_TYPES.policyRule).filter((r) => grantsAdminScope(r, adminScopes));
    if (adminGrants.length === 0) return [];

    const results: Evaluation[] = [];
    const adminPolicies = new Map<string, ResourceEntry>();
    for (const rule of adminGrants) {
      const policy = referenced(stack, rule.body.policy_id, OKTA_TYPES.policy);
      if (policy) adminPolicies.set(policy.address, policy);
      else results.push(new Verdict(rule.address).unknown('policy_id (its policy is not in this stack)').result());
    }

    const apps = stack.ofType(OKTA_TYPES.app);
    const appByClientId = new Map<string, ResourceEntry>();
    for (const app of apps) {
      const clientId = stringAttr(app.body, 'client_id');
      if (clientId !== undefined && clientId !== 'expression') appByClientId.set(clientId, app);
    }
    const adminApps = new Map<string, ResourceEntry>();
    for (const policy of adminPolicies.values()) {
      const verdict = new Verdict(policy.address);
      for (const client of stringList(policy.body.client_whitelist)) {
        const app =
          client === 'ALL_CLIENTS'
            ? undefined
            : (referenced(stack, client, OKTA_TYPES.app) ?? appByClientId.get(client));
        if (client === 'ALL_CLIENTS') for (const a of apps) adminApps.set(a.address, a);
        else if (app) adminApps.set(app.address, app);
        else verdict.unknown(`client_whitelist entry '${client}' (not an app in this stack)`);
      }
      const result = verdict.result();
      if (result.status !== 'compliant') results.push(result);
    }

    const rulesByPolicy = new Map<string, ResourceEntry[]>();
    for (const rule of stack.ofType(OKTA_TYPES.signonRule)) {
      const policy = referenced(stack, rule.body.policy_id, OKTA_TYPES.signonPolicy);
      if (policy) rulesByPolicy.set(policy.address, [...(rulesByPolicy.get(policy.address) ?? []), rule]);
    }

    const signonPolicies = new Map<string, ResourceEntry>();
    for (const app of adminApps.values()) {
      const verdict = new Verdict(app.address);
      const auth = app.body.authentication_policy;
      const policy = referenced(stack, auth, OKTA_TYPES.signonPolicy);
      if (policy) signonPolicies.set(policy.address, policy);
      else if (auth === undefined || auth === '') {
        verdict.fail('an admin client has no sign-on policy of its own (authentication_policy is not set)');
      } else verdict.unknown('authentication_policy (its policy is not in this stack)');
      results.push(verdict.result());
    }

    for (const policy of signonPolicies.values()) {
      const verdict = new Verdict(policy.address);
      const catchAll = policy.body.catch_all;
      if (isExpression(catchAll)) verdict.unknown('catch_all');
      else
        verdict.expect(
          catchAll === false,
          `catch_all is ${catchAll === undefined ? 'not set (defaults to true)' : JSON.stringify(catchAll)}: the catch-all rule admits whoever no rule matches`,
        );
      const rules = rulesByPolicy.get(policy.address) ?? [];
      verdict.expect(rules.length > 0, 'the admin sign-on policy has no rule requiring a hardware key');
      results.push(verdict.result());
      for (const rule of rules) results.push(judgeSignonRule(rule));
    }
    return results;
  },
};
