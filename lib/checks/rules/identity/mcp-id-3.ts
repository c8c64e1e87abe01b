import {
  REFRESH_TOKEN_LIFETIME_MINUTES_MAX,
  REFRESH_TOKEN_ROTATION,
  REFRESH_TOKEN_WINDOW_MINUTES_MAX,
  refreshTokenBoundsProblems,
} from '../../../core/identity-defaults';
import { Verdict } from '../../verdict';
import type { SynthesizedStack } from '../../../model/stack';
import type { Evaluation, Rule } from '../../rule';
import { OKTA_TYPES, readList, readNumber, readString } from '../../../model/okta';

/** A refresh-token minutes attribute of a policy rule, or undefined after recording why it cannot be judged. */
function minutes(
  verdict: Verdict,
  stack: SynthesizedStack,
  body: Record<string, unknown>,
  name: string,
  unset: string,
): number | undefined {
  const n = readNumber(stack, body[name]);
  if (n.kind === 'number') return n.value;
  if (n.kind === 'unknown') verdict.undecided(`${name}: ${n.why}`);
  else if (n.kind === 'absent') verdict.fail(`${name} is not set (${unset})`);
  else verdict.fail(`${name} is ${n.text}, not a number`);
  return undefined;
}

/** MCP-ID-3: refresh tokens rotate at every use and expire within bounds. */
export const MCP_ID_3: Rule = {
  id: 'MCP-ID-3',
  level: 'error',
  layer: 'identity',
  cause: `a client with the refresh_token grant does not rotate refresh tokens, or an auth server policy rule lets refresh tokens live unbounded, longer than ${REFRESH_TOKEN_LIFETIME_MINUTES_MAX} minutes, or idle longer than ${REFRESH_TOKEN_WINDOW_MINUTES_MAX} minutes`,
  explanation: `A refresh token on a laptop outlives every access token it mints. Okta's default (\`STATIC\`) keeps one refresh token valid for its whole lifetime, so a copy of it works as long as the original. With \`ROTATE\`, every use returns a new refresh token and invalidates the old one (after \`refresh_token_leeway\` seconds), and a reused old token revokes the whole family: a stolen copy is detected at the next refresh. Rotation applies to every \`okta_app_oauth\` whose \`grant_types\` include \`refresh_token\`, public or confidential; apps without that grant (the admin client, the Cloudflare Access web app) issue no refresh tokens. The lifetime is set where tokens are minted, on every \`okta_auth_server_policy_rule\`: \`refresh_token_lifetime_minutes\` between 1 and ${REFRESH_TOKEN_LIFETIME_MINUTES_MAX} (24 hours absolute; Okta reads 0, and an unset value, as unlimited) and \`refresh_token_window_minutes\` (how long an unused token stays valid) between 1 and ${REFRESH_TOKEN_WINDOW_MINUTES_MAX} (8 hours idle; Okta's default is 7 days), and no longer than the lifetime. Every rule is judged, also one without \`offline_access\` today, so that adding the scope later cannot mint unbounded tokens.`,
  requires: [
    `refresh_token_rotation ${REFRESH_TOKEN_ROTATION} on every okta_app_oauth whose grant_types include refresh_token`,
    `refresh_token_lifetime_minutes between 1 and ${REFRESH_TOKEN_LIFETIME_MINUTES_MAX} on every okta_auth_server_policy_rule (never 0, never unset)`,
    `refresh_token_window_minutes between 1 and ${REFRESH_TOKEN_WINDOW_MINUTES_MAX}, and at most refresh_token_lifetime_minutes`,
  ],
  fix: `set refreshTokenLifetimeMinutes (at most ${REFRESH_TOKEN_LIFETIME_MINUTES_MAX}) and refreshTokenWindowMinutes (at most ${REFRESH_TOKEN_WINDOW_MINUTES_MAX}) (SecureMcpAccess or OktaMcpIdentity), and keep the MCP client's refresh_token_rotation ${REFRESH_TOKEN_ROTATION} (OktaMcpClients)`,
  evaluate(stack: SynthesizedStack): Evaluation[] {
    const results: Evaluation[] = [];
    for (const app of stack.ofType(OKTA_TYPES.app)) {
      const grants = readList(stack, app.body.grant_types);
      const verdict = new Verdict(app.address);
      if (!grants.values.includes('refresh_token')) {
        const unreadable = grants.unknowns.length + grants.references.length + grants.templates.length;
        if (unreadable > 0) {
          results.push(verdict.undecided(`grant_types: ${grants.unknowns.join('; ') || 'computed at apply'}`).result());
        }
        continue;
      }
      const rotation = readString(stack, app.body.refresh_token_rotation);
      if (rotation.kind === 'unknown') verdict.undecided(`refresh_token_rotation: ${rotation.why}`);
      else {
        verdict.expect(
          rotation.kind === 'string' && rotation.value === REFRESH_TOKEN_ROTATION,
          `refresh_token_rotation is ${rotation.kind === 'string' ? rotation.value : 'not set (Okta defaults to STATIC)'}`,
        );
      }
      results.push(verdict.result());
    }
    for (const rule of stack.ofType(OKTA_TYPES.policyRule)) {
      const verdict = new Verdict(rule.address);
      const lifetime = minutes(
        verdict,
        stack,
        rule.body,
        'refresh_token_lifetime_minutes',
        'Okta reads it as unlimited',
      );
      const window = minutes(
        verdict,
        stack,
        rule.body,
        'refresh_token_window_minutes',
        "Okta's default is 10080, 7 days",
      );
      refreshTokenBoundsProblems(lifetime, window).forEach((p) => verdict.fail(p));
      results.push(verdict.result());
    }
    return results;
  },
};
