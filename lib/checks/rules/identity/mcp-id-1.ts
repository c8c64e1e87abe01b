import { CLIENT_RESPONSE_TYPES, PUBLIC_CLIENT_GRANT_TYPES } from '../../../core/identity-defaults';
import { Verdict } from '../../verdict';
import type { SynthesizedStack } from '../../../model/stack';
import type { Evaluation, Rule } from '../../rule';
import { listAttr, OKTA_TYPES, publicness, stringAttr } from '../../../model/okta';

/** MCP-ID-1: a public Okta client uses PKCE, no client authentication, and code + refresh grants only. */
export const MCP_ID_1: Rule = {
  id: 'MCP-ID-1',
  level: 'error',
  layer: 'identity',
  cause:
    'a public client does not require PKCE, authenticates at the token endpoint, or allows a grant other than authorization_code and refresh_token',
  explanation:
    "A public client (an `okta_app_oauth` of type native or browser, or with `token_endpoint_auth_method = none`) runs on a developer's laptop and cannot keep a secret. PKCE is what proves that the party redeeming an authorization code is the one that asked for it, so `pkce_required` must be true and `token_endpoint_auth_method` must be `none` (a secret shipped to laptops is no secret). Grants are limited to `authorization_code` and `refresh_token`, and response types to `code`: implicit, password and client-credential flows put tokens where they can be stolen or skip the user entirely. Confidential web apps (such as the Cloudflare Access identity provider's app, which authenticates with a secret held by Cloudflare) are not public clients: MCP-ID-2 and MCP-ID-3 judge their redirects and refresh tokens. To comply, set `type = native`, `token_endpoint_auth_method = none`, `pkce_required = true`, `grant_types = [authorization_code, refresh_token]` and `response_types = [code]`.",
  evaluate(stack: SynthesizedStack): Evaluation[] {
    const results: Evaluation[] = [];
    for (const app of stack.ofType(OKTA_TYPES.app)) {
      const kind = publicness(app);
      if (kind === 'confidential') continue;
      const verdict = new Verdict(app.address);
      if (kind === 'unknown') {
        results.push(verdict.unknown('type or token_endpoint_auth_method').result());
        continue;
      }
      const pkce = app.body.pkce_required;
      if (typeof pkce === 'string' && pkce.includes('${')) verdict.unknown('pkce_required');
      else verdict.expect(pkce === true, `pkce_required is ${pkce === undefined ? 'not set' : JSON.stringify(pkce)}`);

      const method = stringAttr(app.body, 'token_endpoint_auth_method');
      if (method === 'expression') verdict.unknown('token_endpoint_auth_method');
      else verdict.expect(method === 'none', `token_endpoint_auth_method is ${method ?? 'not set'} (must be none)`);

      const grants = listAttr(app.body, 'grant_types');
      if (grants.unresolved) verdict.unknown('grant_types');
      if (grants.values.length === 0 && !grants.unresolved) verdict.fail('grant_types is not set');
      const extraGrants = grants.values.filter((g) => !PUBLIC_CLIENT_GRANT_TYPES.includes(g));
      verdict.expect(extraGrants.length === 0, `grant_types allows ${extraGrants.join(', ')}`);

      const responses = listAttr(app.body, 'response_types');
      if (responses.unresolved) verdict.unknown('response_types');
      const extraResponses = responses.values.filter((r) => !CLIENT_RESPONSE_TYPES.includes(r));
      verdict.expect(extraResponses.length === 0, `response_types allows ${extraResponses.join(', ')}`);
      results.push(verdict.result());
    }
    return results;
  },
};
