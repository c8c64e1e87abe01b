import { TOKEN_TTL_MINUTES } from '../../../core/defaults';
import { ALL_SCOPES, FORBIDDEN_POLICY_GRANT_TYPES } from '../../../core/identity-defaults';
import { Verdict } from '../../verdict';
import type { SynthesizedStack } from '../../../model/stack';
import type { Evaluation, Rule } from '../../rule';
import { listAttr, OKTA_TYPES } from '../../../model/okta';

/** MCP-ID-5: every auth server policy rule mints short-lived tokens through safe grants for named scopes. */
export const MCP_ID_5: Rule = {
  id: 'MCP-ID-5',
  level: 'error',
  layer: 'identity',
  cause: `an auth server policy rule lets access tokens live longer than ${TOKEN_TTL_MINUTES} minutes, allows the implicit, password or client_credentials grant, or allows every scope`,
  explanation: `Every \`okta_auth_server_policy_rule\` decides what tokens a custom authorization server mints. Access tokens are bearer credentials on a laptop: they must expire within ${TOKEN_TTL_MINUTES} minutes, so \`access_token_lifetime_minutes\` must be set (Okta's default is 60) and at most ${TOKEN_TTL_MINUTES}. The implicit grant hands tokens to the browser's address bar, the password grant teaches clients to collect passwords, and client_credentials mints tokens with no user behind them: none of them may be allowed. \`scope_whitelist\` must name the scopes the rule grants; \`*\` would grant a tenant's admin scope to anyone the rule matches. To comply, use \`grant_type_whitelist = [authorization_code]\`, an explicit scope list and \`access_token_lifetime_minutes\` between 5 and ${TOKEN_TTL_MINUTES}.`,
  evaluate(stack: SynthesizedStack): Evaluation[] {
    return stack.ofType(OKTA_TYPES.policyRule).map((rule) => {
      const verdict = new Verdict(rule.address);
      verdict.number(
        'access_token_lifetime_minutes',
        rule.body.access_token_lifetime_minutes,
        (n) => n <= TOKEN_TTL_MINUTES,
        `at most ${TOKEN_TTL_MINUTES}`,
        'access_token_lifetime_minutes is not set (Okta defaults to 60)',
      );
      const grants = listAttr(rule.body, 'grant_type_whitelist');
      if (grants.unresolved) verdict.unknown('grant_type_whitelist');
      const forbidden = grants.values.filter((g) => FORBIDDEN_POLICY_GRANT_TYPES.includes(g));
      verdict.expect(forbidden.length === 0, `grant_type_whitelist allows ${forbidden.join(', ')}`);
      const scopes = listAttr(rule.body, 'scope_whitelist');
      if (scopes.unresolved) verdict.unknown('scope_whitelist');
      else verdict.expect(scopes.values.length > 0, 'scope_whitelist is not set');
      verdict.expect(
        !scopes.values.some((s) => s.trim() === ALL_SCOPES),
        `scope_whitelist allows every scope ('${ALL_SCOPES}')`,
      );
      return verdict.result();
    });
  },
};
