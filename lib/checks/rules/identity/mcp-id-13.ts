import { ADMIN_SCOPE_PATTERN, ALL_SCOPES, SERVICE_RULE_NAMES } from '../../../core/identity-defaults';
import { OKTA_TYPES, readList, readString } from '../../../model/okta';
import type { SynthesizedStack } from '../../../model/stack';
import type { Evaluation, Rule } from '../../rule';
import { Verdict } from '../../verdict';
import { isServicePolicy, serviceIndex } from './service-apps';

const DECLARED = SERVICE_RULE_NAMES.admin;

/** MCP-ID-13: a service account obtains an admin scope only where the stack declares it (`admin: true`). */
export const MCP_ID_13: Rule = {
  id: 'MCP-ID-13',
  level: 'warning',
  layer: 'identity',
  cause: `a service account's policy rule grants a tenant's admin scope without the explicit admin declaration (the rule name '${DECLARED}')`,
  explanation: `A person obtains \`mcp:<tenant>:admin\` only through the admin client, whose sign-on rule demands a hardware key (MCP-ID-6). A service account has no person and no key behind it: its admin scope rests on a private key on an agent's host. SecureMcpAccess grants it only with \`admin: true\` on the service account, which draws a warning at synth and names the rule \`${DECLARED}\`: that name is the stack's declaration, visible in the synthesized JSON and in a review. This rule warns about every rule of a service account's policy (a policy that names exactly one \`okta_app_oauth\` of type \`service\`, followed across the stacks of the app) that grants an admin scope (or \`${ALL_SCOPES}\`) under any other name, for example an escape-hatch override of the scopes alone. Suppress it, with the reason, only when the declaration is made some other way.`,
  requires: [
    `a rule of a service account's policy whose scope_whitelist holds mcp:<tenant>:admin (or ${ALL_SCOPES}) is named '${DECLARED}'`,
  ],
  fix: 'set admin: true on the service account (tenants[].serviceAccounts of SecureMcpAccess, or OktaMcpIdentity serviceAccounts) and let the library name its rule; or remove mcp:<tenant>:admin from its scopes',
  evaluate(stack: SynthesizedStack): Evaluation[] {
    const index = serviceIndex(stack);
    const results: Evaluation[] = [];
    for (const rule of stack.ofType(OKTA_TYPES.policyRule)) {
      const policy = index.policyOfRule.get(rule);
      if (policy === undefined || !isServicePolicy(index, policy)) continue;
      const scopes = readList(stack, rule.body.scope_whitelist);
      const admin = scopes.values.filter((s) => ADMIN_SCOPE_PATTERN.test(s.trim()) || s.trim() === ALL_SCOPES);
      if (admin.length === 0) continue;
      const verdict = new Verdict(rule.address);
      const name = readString(stack, rule.body.name);
      if (name.kind === 'unknown') verdict.undecided(`name: ${name.why}`);
      else {
        verdict.expect(
          name.kind === 'string' && name.value === DECLARED,
          `it grants ${admin.map((s) => `'${s}'`).join(', ')} to a service account, but its name is ${name.kind === 'string' ? `'${name.value}'` : 'not set'}, not the declaration '${DECLARED}' (admin: true)`,
        );
      }
      results.push(verdict.result());
    }
    return results;
  },
};
