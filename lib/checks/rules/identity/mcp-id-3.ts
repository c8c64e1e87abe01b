import { REFRESH_TOKEN_ROTATION } from '../../../core/identity-defaults';
import { Verdict } from '../../verdict';
import type { SynthesizedStack } from '../../../model/stack';
import type { Evaluation, Rule } from '../../rule';
import { listAttr, OKTA_TYPES, stringAttr } from '../../../model/okta';

/** MCP-ID-3: every client that may use refresh tokens rotates them. */
export const MCP_ID_3: Rule = {
  id: 'MCP-ID-3',
  level: 'error',
  layer: 'identity',
  cause: 'a client with the refresh_token grant does not rotate refresh tokens (refresh_token_rotation is not ROTATE)',
  explanation:
    "A refresh token on a laptop outlives every access token it mints. Okta's default (`STATIC`) keeps one refresh token valid for its whole lifetime, so a copy of it works as long as the original. With `ROTATE`, every use returns a new refresh token and invalidates the old one (after `refresh_token_leeway` seconds), and a reused old token revokes the whole family: a stolen copy is detected at the next refresh. The rule applies to every `okta_app_oauth` whose `grant_types` include `refresh_token`, public or confidential; apps without that grant (the admin client, the Cloudflare Access web app) issue no refresh tokens and are not judged. To comply, set `refresh_token_rotation = ROTATE` (Okta takes a `refresh_token_leeway` of 0 to 60 seconds).",
  evaluate(stack: SynthesizedStack): Evaluation[] {
    const results: Evaluation[] = [];
    for (const app of stack.ofType(OKTA_TYPES.app)) {
      const grants = listAttr(app.body, 'grant_types');
      const verdict = new Verdict(app.address);
      if (!grants.values.includes('refresh_token')) {
        if (grants.unresolved) results.push(verdict.unknown('grant_types').result());
        continue;
      }
      const rotation = stringAttr(app.body, 'refresh_token_rotation');
      if (rotation === 'expression') verdict.unknown('refresh_token_rotation');
      else {
        verdict.expect(
          rotation === REFRESH_TOKEN_ROTATION,
          `refresh_token_rotation is ${rotation ?? 'not set (Okta defaults to STATIC)'}`,
        );
      }
      results.push(verdict.result());
    }
    return results;
  },
};
