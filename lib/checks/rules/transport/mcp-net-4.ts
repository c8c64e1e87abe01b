import { ADMIN_NAME_PATTERN, HARDWARE_KEY_AUTH_METHOD } from '../../../core/transport-defaults';
import { block, eachString, isExpression } from '../../../model/json';
import { Verdict } from '../../verdict';
import type { SynthesizedStack } from '../../../model/stack';
import type { Evaluation, Rule } from '../../rule';
import { hasExpression, type PolicyView, policyHolders, selectors } from '../../../model/cloudflare';

/** Selector fields that reference an identity provider rather than name a group. */
const PROVIDER_FIELDS = /(^|\.)identity_provider_id$/;

/**
 * An admin policy: its name ends in admin(s), or one of its include selectors names a group that
 * does (an Okta group such as `mcp-<t>-admins`, a SAML, OIDC, Google or GitHub group).
 */
export function isAdminPolicy(policy: PolicyView): boolean {
  if (typeof policy.body.name === 'string' && ADMIN_NAME_PATTERN.test(policy.body.name)) return true;
  let admin = false;
  for (const [, value] of selectors(policy.body, 'include')) {
    eachString(value, (text, key) => {
      if (PROVIDER_FIELDS.test(key) || hasExpression(text)) return;
      // A Google group is an email address: its name is the local part.
      if (ADMIN_NAME_PATTERN.test(text.split('@')[0])) admin = true;
    });
    if (admin) return true;
  }
  return false;
}

/** The `auth_method` values a policy requires (AND), and whether one is an unresolved expression. */
function requiredAuthMethods(policy: PolicyView): { methods: string[]; unresolved: boolean } {
  const methods: string[] = [];
  let unresolved = false;
  for (const [selector, value] of selectors(policy.body, 'require')) {
    if (selector !== 'auth_method') continue;
    const method = typeof value === 'string' ? value : block(value).auth_method;
    if (isExpression(method)) unresolved = true;
    else if (typeof method === 'string') methods.push(method);
  }
  return { methods, unresolved };
}

function judgeAdminPolicy(a: Verdict, policy: PolicyView): void {
  if (isExpression(policy.body.require)) {
    a.unknown(`the require of ${policy.label}`);
    return;
  }
  const { methods, unresolved } = requiredAuthMethods(policy);
  if (methods.includes(HARDWARE_KEY_AUTH_METHOD)) return;
  if (unresolved) a.unknown(`an auth_method required by ${policy.label}`);
  else a.fail(`admin ${policy.label} does not require auth_method '${HARDWARE_KEY_AUTH_METHOD}'`);
}

/** MCP-NET-4: admins reach a tenant's MCP server only after signing in with a hardware key. */
export const MCP_NET_4: Rule = {
  id: 'MCP-NET-4',
  level: 'error',
  layer: 'transport',
  cause: "an admin Access policy does not require auth_method 'hwk'",
  explanation:
    'Admin elevation needs a hardware key. The primary control is the Okta admin client\'s sign-on rule; Access adds a second layer by requiring the RFC 8176 `amr` value `hwk` for admins. A policy counts as an admin policy when the last word of its name is admin, admins or administrators, or when a selector in its include names such a group, for example `mcp-<t>-admins` (an Okta group name, SAML attribute value, OIDC claim value, Google group email or GitHub team). Each such policy, inline or reusable, must list `auth_method = "hwk"` in `require` (AND); an `auth_method` in `include` (OR) would admit anyone with a hardware key and does not count. Policies that are not admin policies are not judged.',
  evaluate(stack: SynthesizedStack): Evaluation[] {
    const results: Evaluation[] = [];
    for (const { entry, policies } of policyHolders(stack)) {
      if (policies === 'expression') {
        results.push(new Verdict(entry.address).unknown('policies').result());
        continue;
      }
      const admins = policies.filter(isAdminPolicy);
      if (admins.length === 0) continue;
      const a = new Verdict(entry.address);
      for (const policy of admins) judgeAdminPolicy(a, policy);
      results.push(a.result());
    }
    return results;
  },
};
