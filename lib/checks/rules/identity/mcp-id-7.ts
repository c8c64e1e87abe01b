import { SIGNON_RULE_TYPE, TWO_FACTOR_MODES, USER_SIGNON_FACTOR_MODE } from '../../../core/identity-defaults';
import { readString } from '../../../model/okta';
import type { ResourceEntry, SynthesizedStack } from '../../../model/stack';
import { Verdict } from '../../verdict';
import type { Evaluation, Rule } from '../../rule';
import { clientGraph, nodeVerdict, scopeList } from './clients';
import { admits, judgeCatchAll } from './signon';

/** Judges one rule of a tenant-scope client's sign-on policy: two factors, by an assurance rule. */
function judgeRule(stack: SynthesizedStack, rule: ResourceEntry): Evaluation {
  const verdict = new Verdict(rule.address);
  if (admits(stack, rule, verdict) === false) return verdict.result();
  const mode = readString(stack, rule.body.factor_mode);
  if (mode.kind === 'unknown') verdict.undecided(`factor_mode: ${mode.why}`);
  // Unset is the okta provider's default, 2FA (resource_okta_app_signon_policy_rule.go: Default "2FA").
  else if (mode.kind !== 'absent') {
    const shown = mode.kind === 'string' ? mode.value : 'not a string';
    verdict.expect(
      mode.kind === 'string' && TWO_FACTOR_MODES.includes(mode.value),
      `factor_mode is ${shown} (must be ${USER_SIGNON_FACTOR_MODE}: one factor would do)`,
    );
  }
  const type = readString(stack, rule.body.type);
  if (type.kind === 'unknown') verdict.undecided(`type: ${type.why}`);
  else if (type.kind !== 'absent') {
    verdict.expect(
      type.kind === 'string' && type.value === SIGNON_RULE_TYPE,
      `type is ${type.kind === 'string' ? type.value : 'not a string'} (must be ${SIGNON_RULE_TYPE}, whose factor_mode the rule can judge)`,
    );
  }
  return verdict.result();
}

/**
 * MCP-ID-7: every client that may obtain a tenant scope signs in through an authentication policy of
 * its own that requires two factors.
 */
export const MCP_ID_7: Rule = {
  id: 'MCP-ID-7',
  level: 'error',
  layer: 'identity',
  cause:
    "a client that may obtain a tenant scope signs in through the Okta org's default authentication policy, or through one that admits a single factor",
  explanation: `A tenant scope (\`mcp:<tenant>:use\` or \`mcp:<tenant>:admin\`) is what an MCP server accepts. Okta decides how a user signs in per app, through the app's authentication (sign-on) policy; an app without one falls back to the org's default policy, which this stack does not control and which often admits a password alone. So every \`okta_app_oauth\` that may obtain a tenant scope (granted by an \`okta_auth_server_policy_rule\`'s \`scope_whitelist\` through its policy's \`client_whitelist\`, followed across every stack of the app) must name an \`okta_app_signon_policy\` of this app in \`authentication_policy\`, with \`catch_all = false\` (whoever no rule admits is denied), at least one rule, and every rule that allows access of type \`${SIGNON_RULE_TYPE}\` (the default) with \`factor_mode = ${USER_SIGNON_FACTOR_MODE}\` (the default). \`ALL_CLIENTS\`, or a client or policy id no stack declares, is refused or undecided. The admin client is judged here too, and its hardware key by MCP-ID-6. OktaMcpClients gives the MCP client (and the Cloudflare Access web app) a two-factor policy of their own. A service account's app (type \`service\`, client credentials only) has no user and no sign-on: it is left out here and judged by MCP-ID-11 and MCP-ID-12.`,
  requires: [
    'every app in the client_whitelist of an okta_auth_server_policy whose rule grants mcp:<tenant>:use or mcp:<tenant>:admin is an okta_app_oauth of this app (no ALL_CLIENTS)',
    "that app's authentication_policy is an okta_app_signon_policy of this app (not the org default) with catch_all = false and at least one rule",
    `every rule of that policy that allows access has factor_mode ${USER_SIGNON_FACTOR_MODE} and type ${SIGNON_RULE_TYPE} (set or left to these defaults)`,
  ],
  fix: "let tenant scopes reach only OktaMcpClients' MCP and admin clients (SecureMcpAccess creates them) and keep their authentication_policy and sign-on rules (factor_mode 2FA)",
  evaluate(stack: SynthesizedStack): Evaluation[] {
    const graph = clientGraph(stack);
    const results: Evaluation[] = [];
    for (const grant of graph.grants) {
      if (grant.stack !== stack) continue;
      if (grant.problem) results.push(new Verdict(grant.entry.address).fail(grant.problem).result());
      else if (grant.unknown) results.push(new Verdict(grant.entry.address).undecided(grant.unknown).result());
    }
    for (const policy of graph.policies.values()) {
      if (policy.stack === stack) results.push(nodeVerdict(policy, '').result());
    }
    for (const app of graph.apps.values()) {
      if (app.stack === stack) results.push(nodeVerdict(app, `, yet it may obtain ${scopeList(app.scopes)}`).result());
    }
    for (const policy of graph.signonPolicies.values()) {
      const rules = graph.signonRules.get(policy.entry) ?? [];
      if (policy.stack === stack) {
        const verdict = new Verdict(policy.entry.address);
        judgeCatchAll(stack, policy.entry, verdict);
        verdict.expect(rules.length > 0, 'the sign-on policy has no rule requiring two factors');
        results.push(verdict.result());
      }
      for (const rule of rules) if (rule.stack === stack) results.push(judgeRule(stack, rule.entry));
    }
    // A sign-on rule whose policy cannot be read may loosen one of the policies above.
    if (graph.signonPolicies.size > 0) {
      for (const stray of graph.strayRules) {
        if (stray.stack === stack) results.push(new Verdict(stray.entry.address).undecided(stray.why).result());
      }
    }
    return results;
  },
};
