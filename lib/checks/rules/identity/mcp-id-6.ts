import { ADMIN_REAUTH_ISO, ADMIN_REAUTH_MINUTES } from '../../../core/defaults';
import {
  ADMIN_POSSESSION_CONSTRAINT,
  ADMIN_SCOPE_PATTERN,
  ALL_SCOPES,
  isoDurationSeconds,
} from '../../../core/identity-defaults';
import { isObject } from '../../../model/json';
import { readString } from '../../../model/okta';
import type { ResourceEntry, SynthesizedStack } from '../../../model/stack';
import { Verdict } from '../../verdict';
import type { Evaluation, Rule } from '../../rule';
import { clientGraph, nodeVerdict, scopeList } from './clients';
import { admits, constraintsOf, judgeCatchAll } from './signon';

const REAUTH_MAX_SECONDS = ADMIN_REAUTH_MINUTES * 60;
const REQUIRED_POSSESSION = ['phishingResistant', 'hardwareProtection', 'userVerification'] as const;

/** True for scopes that let a client act as a tenant admin: `mcp:<t>:admin`, or every scope. */
const isAdminScope = (s: string): boolean => ADMIN_SCOPE_PATTERN.test(s) || s === ALL_SCOPES;
const reachedByAdmin = (n: { scopes: Iterable<string> }): boolean => [...n.scopes].some(isAdminScope);

/** Judges one constraint object: it alone must demand the hardware key (Okta admits a user who satisfies any one). */
function judgeConstraint(verdict: Verdict, json: Record<string, unknown>, at: string): void {
  const possession = json.possession;
  if (!isObject(possession)) {
    verdict.fail(`${at} has no possession constraint`);
    return;
  }
  verdict.expect(possession.required !== false, `${at} possession.required is false`);
  for (const key of REQUIRED_POSSESSION) {
    const want = ADMIN_POSSESSION_CONSTRAINT[key];
    verdict.expect(
      possession[key] === want,
      `${at} possession.${key} is ${possession[key] === undefined ? 'not set' : JSON.stringify(possession[key])} (must be ${want})`,
    );
  }
  if (possession.reauthenticateIn !== undefined) {
    const text = possession.reauthenticateIn;
    const seconds = typeof text === 'string' ? isoDurationSeconds(text) : undefined;
    verdict.expect(
      seconds !== undefined && seconds <= REAUTH_MAX_SECONDS,
      `${at} possession.reauthenticateIn is ${JSON.stringify(text)} (at most ${ADMIN_REAUTH_ISO})`,
    );
  }
}

/** Judges one sign-on rule of an admin client's policy. */
function judgeSignonRule(stack: SynthesizedStack, rule: ResourceEntry): Evaluation {
  const verdict = new Verdict(rule.address);
  if (admits(stack, rule, verdict) === false) return verdict.result();

  const constraints = constraintsOf(stack, rule);
  if (constraints.unknown) verdict.undecided(constraints.unknown);
  else if (constraints.absent) verdict.fail('constraints is not set (any factor would do)');
  for (const c of constraints.objects) {
    if ('json' in c) judgeConstraint(verdict, c.json, c.at);
    else if ('invalid' in c) verdict.fail(c.invalid);
    else verdict.undecided(c.unknown);
  }

  const reauth = readString(stack, rule.body.re_authentication_frequency);
  if (reauth.kind === 'unknown') verdict.undecided(`re_authentication_frequency: ${reauth.why}`);
  else if (reauth.kind === 'absent') verdict.fail("re_authentication_frequency is not set (Okta's default is PT2H)");
  else {
    const text = reauth.kind === 'string' ? reauth.value : undefined;
    const seconds = text === undefined ? undefined : isoDurationSeconds(text);
    verdict.expect(
      seconds !== undefined && seconds <= REAUTH_MAX_SECONDS,
      `re_authentication_frequency is ${text ?? 'not a duration'} (at most ${ADMIN_REAUTH_ISO})`,
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
  explanation: `Admin elevation must need a hardware key. Okta applies a sign-on (authentication) policy per app, not per scope, so the key is demanded by the admin client's own policy, and only that client may be granted an admin scope. The rule follows references across every stack of the app (a fleet's cell stacks grant the scopes, its shared Okta stack holds the clients): a scope \`mcp:<tenant>:admin\` (or \`*\`) granted by an \`okta_auth_server_policy_rule\`, that rule's \`okta_auth_server_policy\`, the apps in its \`client_whitelist\`, and each app's \`authentication_policy\`. \`ALL_CLIENTS\`, or a client id or policy id that no stack of the app declares, is refused or undecided: the rule cannot show what such an app demands. An admin client must have an \`okta_app_signon_policy\` of its own with \`catch_all = false\` (so users no rule admits are denied), at least one rule, and every rule that allows access must have \`re_authentication_frequency\` of at most ${ADMIN_REAUTH_ISO} and constraints in which every object (Okta admits a user who satisfies any one) has a possession constraint with \`phishingResistant\`, \`hardwareProtection\` and \`userVerification\` set to \`REQUIRED\` (and any \`reauthenticateIn\` at most ${ADMIN_REAUTH_ISO}). What passes that constraint: a FIDO2 security key, a platform passkey (Touch ID, Windows Hello) and Okta FastPass with biometrics or a device-bound passcode (Okta: "FIDO2 (WebAuthn) and Okta FastPass ... are phishing-resistant authenticators"); Okta Verify push or codes, SMS, voice, email and passwords do not. To exclude FastPass, use \`adminAuthenticator: 'security-key'\` (MCP-ID-10). A stack without admin scopes is not judged. A service account's app (type \`service\`) has no user to hold a key: it is left out here, and MCP-ID-13 warns when its rule grants an admin scope without the stack's explicit declaration.`,
  requires: [
    'every app in the client_whitelist of an okta_auth_server_policy whose rule grants mcp:<tenant>:admin (or *) is an okta_app_oauth of this app (no ALL_CLIENTS, no client id that no stack declares)',
    "that app's authentication_policy is an okta_app_signon_policy of this app with catch_all = false and at least one rule",
    'every rule of that policy that allows access (not INACTIVE, not DENY) has re_authentication_frequency at most PT15M',
    'and constraints, each object with possession phishingResistant, hardwareProtection and userVerification REQUIRED, required not false, reauthenticateIn (if set) at most PT15M',
  ],
  fix: "grant mcp:<tenant>:admin only through OktaMcpClients' admin client (SecureMcpAccess creates it) and keep its sign-on policy and rule (OktaMcpClients adminReauthMinutes 0 to 15; okta.adminAuthenticator)",
  evaluate(stack: SynthesizedStack): Evaluation[] {
    const graph = clientGraph(stack);
    const results: Evaluation[] = [];
    for (const grant of graph.grants) {
      if (grant.stack !== stack || !(grant.scopes.some(isAdminScope) || grant.unknown)) continue;
      if (grant.problem) results.push(new Verdict(grant.entry.address).fail(grant.problem).result());
      else if (grant.unknown) results.push(new Verdict(grant.entry.address).undecided(grant.unknown).result());
    }
    for (const policy of graph.policies.values()) {
      if (policy.stack === stack && reachedByAdmin(policy)) results.push(nodeVerdict(policy).result());
    }
    for (const app of graph.apps.values()) {
      if (app.stack !== stack || !reachedByAdmin(app)) continue;
      results.push(nodeVerdict(app, `, yet it may obtain ${scopeList(app.scopes, isAdminScope)}`).result());
    }
    for (const policy of graph.signonPolicies.values()) {
      if (!reachedByAdmin(policy)) continue;
      const rules = graph.signonRules.get(policy.entry) ?? [];
      if (policy.stack === stack) {
        const verdict = new Verdict(policy.entry.address);
        judgeCatchAll(stack, policy.entry, verdict);
        verdict.expect(rules.length > 0, 'the admin sign-on policy has no rule requiring a hardware key');
        results.push(verdict.result());
      }
      for (const rule of rules) if (rule.stack === stack) results.push(judgeSignonRule(stack, rule.entry));
    }
    return results;
  },
};
