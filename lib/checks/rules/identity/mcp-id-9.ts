import {
  OKTA_API_TOKEN_ENV,
  OKTA_PROVIDER_API_TOKEN_ATTRIBUTE,
  OKTA_PROVIDER_OAUTH_ATTRIBUTES,
} from '../../../core/identity-defaults';
import type { SynthesizedStack } from '../../../model/stack';
import { Verdict } from '../../verdict';
import type { Evaluation, Rule } from '../../rule';
import { appsWithGroupsClaim, providerAuth } from './provider-auth';

const OAUTH_ATTRIBUTES = OKTA_PROVIDER_OAUTH_ATTRIBUTES.join(', ');
const SOURCE =
  'terraform-provider-okta validateAppOAuth: "groups_claim arguments are disabled with OAuth 2.0 API authentication"; docs/resources/app_oauth.md: groups_claim "argument is ignored when API auth is done with OAuth 2.0 credentials"; okta/terraform-provider-okta issue 1906';

/** MCP-ID-9: an app with a groups claim is not managed by an okta provider that authenticates with OAuth 2.0. */
export const MCP_ID_9: Rule = {
  id: 'MCP-ID-9',
  level: 'error',
  layer: 'identity',
  cause:
    'an Okta app emits a groups claim, but its okta provider authenticates with OAuth 2.0, which silently skips groups_claim (Cloudflare Access then denies everyone)',
  explanation: `Cloudflare Access admits a tenant's people by the Okta groups in the ID token of the Access web app, which its \`groups_claim\` puts there. The okta provider writes \`groups_claim\` only when it authenticates with an API token: with OAuth 2.0 credentials it skips the argument with a log line only (${SOURCE}), the app is created without the claim, and Access denies everyone. The provider block of every \`okta_app_oauth\` with a \`groups_claim\` (its \`provider\` meta-argument, else the default \`provider "okta"\` block of the stack) must therefore set none of ${OAUTH_ATTRIBUTES}. Credentials normally come from the environment at apply, where synth cannot see them: a block that declares nothing is judged by MCP-ID-9W (a warning), one that declares \`${OKTA_PROVIDER_API_TOKEN_ATTRIBUTE}\` passes both. A \`provider\` alias that the stack does not declare is undecided.`,
  requires: [`the okta provider block of every okta_app_oauth with groups_claim sets none of ${OAUTH_ATTRIBUTES}`],
  fix: `authenticate the okta provider with an API token: remove ${OAUTH_ATTRIBUTES} from the provider block and set ${OKTA_API_TOKEN_ENV} (or api_token from a sensitive variable); or keep OAuth 2.0 and give Cloudflare Access its groups from an authorization server dedicated to Access (an okta_auth_server_claim with value_type GROUPS, named in the Access identity provider's authorizationServerId)`,
  evaluate(stack: SynthesizedStack): Evaluation[] {
    return appsWithGroupsClaim(stack).map((app) => {
      const verdict = new Verdict(app.address);
      const auth = providerAuth(stack, app);
      if (auth.kind === 'missing') {
        verdict.undecided(`its provider ${auth.provider} is not declared in this stack`);
      } else if (auth.kind === 'oauth') {
        verdict.fail(
          `provider ${auth.provider} sets ${auth.attributes.join(', ')}: it authenticates with OAuth 2.0 and skips groups_claim`,
        );
      }
      return verdict.result();
    });
  },
};
