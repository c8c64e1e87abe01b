import { CLIENT_RESPONSE_TYPES, PUBLIC_CLIENT_GRANT_TYPES } from '../../../core/identity-defaults';
import { Verdict } from '../../verdict';
import type { SynthesizedStack } from '../../../model/stack';
import type { Evaluation, Rule } from '../../rule';
import {
  ALLOWED_APP_TYPES,
  type ListReading,
  OKTA_TYPES,
  publicness,
  readBoolean,
  readList,
  readString,
} from '../../../model/okta';
import { isServiceType } from './service-apps';

/** Methods a confidential app may authenticate with at the token endpoint (Okta's, all but `none`). */
const CONFIDENTIAL_AUTH_METHODS: readonly string[] = [
  'client_secret_basic',
  'client_secret_post',
  'client_secret_jwt',
  'private_key_jwt',
];

/** Records what a list reading could not decide, and members that are not plain strings. */
function unreadable(verdict: Verdict, attribute: string, list: ListReading): void {
  list.unknowns.forEach((why) => verdict.undecided(`${attribute}: ${why}`));
  list.references.forEach((r) =>
    verdict.undecided(`${attribute}[${r.at}] is ${r.entry.address}.${r.attribute}, computed at apply`),
  );
  list.templates.forEach((t) => verdict.undecided(`${attribute}[${t.at}] '${t.text}' is computed at apply`));
}

/** MCP-ID-1: every Okta app uses safe grants; a public one uses PKCE and no client authentication. */
export const MCP_ID_1: Rule = {
  id: 'MCP-ID-1',
  level: 'error',
  layer: 'identity',
  cause:
    'an Okta app is not a native, browser or web app, allows a grant other than authorization_code and refresh_token or a response type other than code, or is a public client without PKCE or with client authentication',
  explanation:
    "A public client (an `okta_app_oauth` of type native or browser, or with `token_endpoint_auth_method = none`) runs on a developer's laptop and cannot keep a secret. PKCE is what proves that the party redeeming an authorization code is the one that asked for it, so `pkce_required` must be true and `token_endpoint_auth_method` must be `none` (a secret shipped to laptops is no secret). Every app, public or confidential, may hold only the grants `authorization_code` and `refresh_token` and the response type `code`: implicit, password, client-credential, device and token-exchange flows put tokens where they can be stolen or skip the user entirely. Confidential apps (the Cloudflare Access identity provider's web app, which authenticates with a secret held by Cloudflare) must be of type web and authenticate with a client secret or a private key. Apps of type `service` (a service account's app: client credentials only, a private key, no user) are judged by MCP-ID-11 instead; the client_credentials grant on any other app is refused here. Every value is read after following variables (by their default), locals and references across the stacks of the app; what cannot be read is undecided. To comply, set `type = native`, `token_endpoint_auth_method = none`, `pkce_required = true`, `grant_types = [authorization_code, refresh_token]` and `response_types = [code]` on public clients.",
  requires: [
    'type native, browser or web (type service is judged by MCP-ID-11)',
    'grant_types set, and only authorization_code and refresh_token',
    'response_types only code (or unset)',
    'public clients (native, browser, or token_endpoint_auth_method none): pkce_required true and token_endpoint_auth_method none',
    'web apps: token_endpoint_auth_method client_secret_basic, client_secret_post, client_secret_jwt or private_key_jwt (or unset)',
  ],
  fix: "use OktaMcpClients' apps (SecureMcpAccess creates them) and do not override their type, grant_types, response_types, pkce_required or token_endpoint_auth_method",
  evaluate(stack: SynthesizedStack): Evaluation[] {
    return stack
      .ofType(OKTA_TYPES.app)
      .filter((app) => !isServiceType(stack, app))
      .map((app) => {
        const verdict = new Verdict(app.address);
        const type = readString(stack, app.body.type);
        if (type.kind === 'unknown') verdict.undecided(`type: ${type.why}`);
        else {
          verdict.expect(
            type.kind === 'string' && ALLOWED_APP_TYPES.includes(type.value),
            `type is ${type.kind === 'string' ? type.value : 'not set'} (native, browser or web)`,
          );
        }

        const grants = readList(stack, app.body.grant_types);
        unreadable(verdict, 'grant_types', grants);
        if (grants.absent) verdict.fail('grant_types is not set');
        const extraGrants = grants.values.filter((g) => !PUBLIC_CLIENT_GRANT_TYPES.includes(g));
        verdict.expect(extraGrants.length === 0, `grant_types allows ${extraGrants.join(', ')}`);

        const responses = readList(stack, app.body.response_types);
        unreadable(verdict, 'response_types', responses);
        const extraResponses = responses.values.filter((r) => !CLIENT_RESPONSE_TYPES.includes(r));
        verdict.expect(extraResponses.length === 0, `response_types allows ${extraResponses.join(', ')}`);

        const kind = publicness(stack, app);
        const method = readString(stack, app.body.token_endpoint_auth_method);
        if (typeof kind === 'object') {
          // An unreadable type was recorded above; an unreadable method is recorded here.
          if (type.kind !== 'unknown') verdict.undecided(kind.unknown);
        } else if (kind === 'public') {
          const pkce = readBoolean(stack, app.body.pkce_required);
          if (pkce.kind === 'unknown') verdict.undecided(`pkce_required: ${pkce.why}`);
          else {
            const shown = pkce.kind === 'boolean' ? String(pkce.value) : pkce.kind === 'absent' ? 'not set' : pkce.text;
            verdict.expect(
              pkce.kind === 'boolean' && pkce.value,
              `pkce_required is ${shown} (a public client needs PKCE)`,
            );
          }
          if (method.kind === 'unknown') verdict.undecided(`token_endpoint_auth_method: ${method.why}`);
          else {
            verdict.expect(
              method.kind === 'string' && method.value === 'none',
              `token_endpoint_auth_method is ${method.kind === 'string' ? method.value : 'not set'} (must be none)`,
            );
          }
        } else if (method.kind === 'string') {
          verdict.expect(
            CONFIDENTIAL_AUTH_METHODS.includes(method.value),
            `token_endpoint_auth_method is ${method.value} (${CONFIDENTIAL_AUTH_METHODS.join(', ')})`,
          );
        } else if (method.kind === 'other') {
          verdict.fail('token_endpoint_auth_method is not a string');
        }
        return verdict.result();
      });
  },
};
