import { OKTA_API_TOKEN_ENV, OKTA_OAUTH_ENV, OKTA_PROVIDER_API_TOKEN_ATTRIBUTE } from '../../../core/identity-defaults';
import type { SynthesizedStack } from '../../../model/stack';
import { Verdict } from '../../verdict';
import type { Evaluation, Rule } from '../../rule';
import { appsWithGroupsClaim, providerAuth } from './provider-auth';

/** MCP-ID-9W: an app with a groups claim is managed by an okta provider that declares no credentials. */
export const MCP_ID_9W: Rule = {
  id: 'MCP-ID-9W',
  level: 'warning',
  layer: 'identity',
  cause:
    'an Okta app emits a groups claim, but its okta provider declares no credentials: whether it authenticates with an API token (which keeps the claim) is decided by the apply environment',
  explanation: `The okta provider reads its credentials from the environment at apply when its block declares none: ${OKTA_API_TOKEN_ENV} (an API token, which keeps \`groups_claim\`) or ${OKTA_OAUTH_ENV.join(', ')} (OAuth 2.0, which makes the provider skip \`groups_claim\` silently, so that Cloudflare Access denies everyone; see MCP-ID-9). Synth cannot see the environment, so an error rule could not decide, and refusing every block without credentials would push secrets into configuration. This warning names the choice instead: declare \`${OKTA_PROVIDER_API_TOKEN_ATTRIBUTE}\` in the provider block (from a sensitive variable, never a literal), or suppress MCP-ID-9W with the reason once the apply environment sets ${OKTA_API_TOKEN_ENV} and none of the OAuth variables.`,
  requires: [
    `the okta provider block of every okta_app_oauth with groups_claim declares ${OKTA_PROVIDER_API_TOKEN_ATTRIBUTE} (from a sensitive variable)`,
  ],
  fix: `set ${OKTA_PROVIDER_API_TOKEN_ATTRIBUTE} on the OktaProvider from a sensitive TerraformVariable, or suppress MCP-ID-9W with the reason when the apply environment sets ${OKTA_API_TOKEN_ENV} and none of ${OKTA_OAUTH_ENV.join(', ')}`,
  evaluate(stack: SynthesizedStack): Evaluation[] {
    const results: Evaluation[] = [];
    for (const app of appsWithGroupsClaim(stack)) {
      const auth = providerAuth(stack, app);
      // OAuth and missing providers are MCP-ID-9's: an error already names them.
      if (auth.kind === 'oauth' || auth.kind === 'missing') continue;
      const verdict = new Verdict(app.address);
      verdict.expect(
        auth.kind === 'api-token',
        `provider ${auth.provider} declares no credentials: at apply, ${OKTA_API_TOKEN_ENV} keeps groups_claim, while any of ${OKTA_OAUTH_ENV.join(', ')} drops it`,
      );
      results.push(verdict.result());
    }
    return results;
  },
};
