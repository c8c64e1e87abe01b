import { TOKEN_TTL_MINUTES, TOKEN_TTL_MINUTES_MIN } from '../../../core/defaults';
import { ALL_SCOPES, POLICY_RULE_GRANT_TYPES, SERVICE_GRANT_TYPES } from '../../../core/identity-defaults';
import { Verdict } from '../../verdict';
import type { SynthesizedStack } from '../../../model/stack';
import type { Evaluation, Rule } from '../../rule';
import { type ListReading, OKTA_TYPES, readList, readNumber } from '../../../model/okta';
import { CLIENT_CREDENTIALS, policyKind, serviceIndex } from './service-apps';

/** Records what a list reading could not decide. */
function unreadable(verdict: Verdict, attribute: string, list: ListReading): void {
  list.unknowns.forEach((why) => verdict.undecided(`${attribute}: ${why}`));
  list.references.forEach((r) =>
    verdict.undecided(`${attribute}[${r.at}] is ${r.entry.address}.${r.attribute}, computed at apply`),
  );
  list.templates.forEach((t) => verdict.undecided(`${attribute}[${t.at}] '${t.text}' is computed at apply`));
}

/** MCP-ID-5: every auth server policy rule mints short-lived tokens through the code grant for named scopes. */
export const MCP_ID_5: Rule = {
  id: 'MCP-ID-5',
  level: 'error',
  layer: 'identity',
  cause: `an auth server policy rule lets access tokens live longer than ${TOKEN_TTL_MINUTES} minutes, allows a grant other than authorization_code (client_credentials alone in a service account's policy), or allows every scope`,
  explanation: `Every \`okta_auth_server_policy_rule\` decides what tokens a custom authorization server mints. Access tokens are bearer credentials on a laptop: they must expire within ${TOKEN_TTL_MINUTES} minutes, so \`access_token_lifetime_minutes\` must be set (Okta's default is 60) and at most ${TOKEN_TTL_MINUTES} (and at least ${TOKEN_TTL_MINUTES_MIN}, Okta's shortest). The only grant a rule may allow is \`authorization_code\` (refresh tokens follow it when \`offline_access\` is granted): the implicit grant hands tokens to the browser's address bar, the password grant teaches clients to collect passwords, client_credentials mints tokens with no user behind them (so it is allowed only alone, in the policy of one service account: a policy whose \`client_whitelist\` names exactly one \`okta_app_oauth\` of type \`service\`, which MCP-ID-11 and MCP-ID-12 judge), and the device, token-exchange and other extension grants let tokens be obtained without the loopback PKCE flow. \`scope_whitelist\` must name the scopes the rule grants; \`*\` would grant a tenant's admin scope to anyone the rule matches. Variables are judged by their default; a value the rule cannot read is undecided.`,
  requires: [
    `access_token_lifetime_minutes set, ${TOKEN_TTL_MINUTES_MIN} to ${TOKEN_TTL_MINUTES}`,
    `grant_type_whitelist set, and only ${POLICY_RULE_GRANT_TYPES.join(', ')}`,
    `or, in a policy whose client_whitelist names exactly one service app: only ${SERVICE_GRANT_TYPES.join(', ')}`,
    `scope_whitelist set, naming scopes (never ${ALL_SCOPES})`,
  ],
  fix: `set tokenTtlMinutes (SecureMcpAccess or OktaMcpIdentity, 5 to ${TOKEN_TTL_MINUTES}) and do not override the policy rules' grant_type_whitelist or scope_whitelist`,
  evaluate(stack: SynthesizedStack): Evaluation[] {
    return stack.ofType(OKTA_TYPES.policyRule).map((rule) => {
      const verdict = new Verdict(rule.address);
      const ttl = readNumber(stack, rule.body.access_token_lifetime_minutes);
      if (ttl.kind === 'unknown') verdict.undecided(`access_token_lifetime_minutes: ${ttl.why}`);
      else if (ttl.kind === 'absent') verdict.fail('access_token_lifetime_minutes is not set (Okta defaults to 60)');
      else if (ttl.kind === 'invalid') verdict.fail(`access_token_lifetime_minutes is ${ttl.text}, not a number`);
      else {
        verdict.expect(
          ttl.value <= TOKEN_TTL_MINUTES,
          `access_token_lifetime_minutes is ${ttl.value} (at most ${TOKEN_TTL_MINUTES})`,
        );
        // Okta's shortest access token lifetime: a smaller value is not a stricter setting but one Okta refuses.
        verdict.expect(
          ttl.value >= TOKEN_TTL_MINUTES_MIN,
          `access_token_lifetime_minutes is ${ttl.value} (at least ${TOKEN_TTL_MINUTES_MIN}, Okta's shortest)`,
        );
      }

      const grants = readList(stack, rule.body.grant_type_whitelist);
      unreadable(verdict, 'grant_type_whitelist', grants);
      if (grants.absent || (grants.values.length === 0 && grants.unknowns.length === 0)) {
        verdict.fail('grant_type_whitelist is not set');
      }
      // client_credentials only alone, and only in one service account's own policy.
      const policy = serviceIndex(stack).policyOfRule.get(rule);
      const kind = policy === undefined ? 'unknown' : policyKind(serviceIndex(stack), policy);
      const allowed = kind === 'service' ? SERVICE_GRANT_TYPES : POLICY_RULE_GRANT_TYPES;
      const extra = grants.values.filter((g) => !allowed.includes(g));
      if (kind === 'unknown' && extra.length === 1 && extra[0] === CLIENT_CREDENTIALS) {
        verdict.undecided(
          `grant_type_whitelist allows ${CLIENT_CREDENTIALS}, and its policy cannot be shown to name exactly one service app (${policy === undefined ? 'policy_id is not an okta_auth_server_policy of this app' : `client_whitelist: ${policy.whitelist.others.join('; ')}`})`,
        );
      } else verdict.expect(extra.length === 0, `grant_type_whitelist allows ${extra.join(', ')}`);

      const scopes = readList(stack, rule.body.scope_whitelist);
      unreadable(verdict, 'scope_whitelist', scopes);
      if (scopes.absent || (scopes.values.length === 0 && scopes.unknowns.length === 0)) {
        verdict.fail('scope_whitelist is not set');
      }
      verdict.expect(
        !scopes.values.some((s) => s.trim() === ALL_SCOPES),
        `scope_whitelist allows every scope ('${ALL_SCOPES}')`,
      );
      return verdict.result();
    });
  },
};
