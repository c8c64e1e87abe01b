import { isExpression } from '../../../model/json';
import { Verdict } from '../../verdict';
import type { SynthesizedStack } from '../../../model/stack';
import type { Evaluation, Rule } from '../../rule';
import { type PolicyView, policyHolders, selectors } from '../../../model/cloudflare';

/** The only decision a tenant Access policy may take. */
const ALLOW = 'allow';

/**
 * Include selectors that admit a request without a person signing in: anyone, any or one service
 * token, a network, a country, a device or a client certificate. Such conditions belong in `require`.
 */
const NON_IDENTITY_INCLUDES: ReadonlySet<string> = new Set([
  'everyone',
  'any_valid_service_token',
  'service_token',
  'ip',
  'ip_list',
  'geo',
  'device_posture',
  'certificate',
  'common_name',
  'linked_app_token',
]);

function judgePolicy(a: Verdict, policy: PolicyView): void {
  const decision = policy.body.decision;
  if (isExpression(decision)) a.unknown(`the decision of ${policy.label}`);
  else if (decision !== ALLOW) {
    a.fail(`${policy.label} has decision '${String(decision ?? 'unset')}' (only '${ALLOW}')`);
  }
  if (isExpression(policy.body.include)) {
    a.unknown(`the include of ${policy.label}`);
    return;
  }
  for (const [selector] of selectors(policy.body, 'include')) {
    if (NON_IDENTITY_INCLUDES.has(selector)) a.fail(`${policy.label} includes ${selector}`);
  }
}

/** MCP-NET-3: Access policies only allow, and only people who signed in. */
export const MCP_NET_3: Rule = {
  id: 'MCP-NET-3',
  level: 'error',
  layer: 'transport',
  cause:
    'an Access policy bypasses login or admits everyone, a service token or a network instead of a signed-in person',
  explanation:
    "Access is the only gate in front of a tenant's MCP port. A `bypass` or `non_identity` decision lets requests through without a login, and an include of `everyone`, `any_valid_service_token` or `service_token` admits anyone or a long-lived credential that can sit on a laptop; `ip`, `ip_list`, `geo`, `device_posture`, `certificate`, `common_name` and `linked_app_token` in `include` likewise admit a request on a network, country, device or token alone, without a person signing in. Comply by giving every policy, inline in a `cloudflare_zero_trust_access_application` or reusable as `cloudflare_zero_trust_access_policy`, the decision `allow` (deny policies are not used either: the tenant application allows its groups and nothing else) and an include of identity selectors such as the tenant's Okta group; put network or device conditions in `require`, where they narrow rather than widen. Inline entries that only reference a reusable policy by id are judged on that policy.",
  evaluate(stack: SynthesizedStack): Evaluation[] {
    return policyHolders(stack).map(({ entry, policies }) => {
      const a = new Verdict(entry.address);
      if (policies === 'expression') a.unknown('policies');
      else for (const policy of policies) judgePolicy(a, policy);
      return a.result();
    });
  },
};
