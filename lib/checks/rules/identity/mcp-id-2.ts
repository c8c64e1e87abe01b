import { redirectUriProblem } from '../../../core/identity-defaults';
import { isExpression, stringList } from '../../../model/json';
import { Verdict } from '../../verdict';
import type { SynthesizedStack } from '../../../model/stack';
import type { Evaluation, Rule } from '../../rule';
import { OKTA_TYPES, stringAttr } from '../../../model/okta';

/** Judges every URI of one attribute: exact https, or http on a loopback host. */
/**
 * `https://${...}/path`: the scheme is a literal https and no literal part holds a wildcard, fragment
 * or credentials. The host comes from an expression (the Access team domain read at plan time); with
 * `wildcard_redirect` DISABLED (judged separately) Okta matches it exactly, so the URI is decided.
 */
function isHttpsTemplate(uri: string): boolean {
  const literal = uri.replace(/\$\{[^}]*\}/g, 'x');
  return uri.startsWith('https://') && !/[*#@\s]/.test(literal);
}

function judgeUris(verdict: Verdict, attribute: string, value: unknown): void {
  const uris = stringList(value);
  if (uris === 'expression') {
    verdict.unknown(attribute);
    return;
  }
  uris.forEach((uri, i) => {
    if (isExpression(uri)) {
      if (!isHttpsTemplate(uri)) verdict.unknown(`${attribute}[${i}]`);
      return;
    }
    const problem = redirectUriProblem(uri);
    if (problem) verdict.fail(`${attribute}[${i}] '${uri}' ${problem}`);
  });
}

/** MCP-ID-2: redirect URIs are exact, https or loopback http; wildcard matching is off. */
export const MCP_ID_2: Rule = {
  id: 'MCP-ID-2',
  level: 'error',
  layer: 'identity',
  cause: 'a redirect URI is a wildcard, not https, or http on a non-loopback host',
  explanation:
    "Okta sends authorization codes to the redirect URI: a wildcard, a plain-http host on the network or a custom scheme lets another party receive a user's code. Every redirect and post-logout redirect URI of an `okta_app_oauth` (and of `okta_app_oauth_redirect_uri` / `okta_app_oauth_post_logout_redirect_uri`) must be exact: https, or http on 127.0.0.1, localhost or [::1] for MCP clients on the developer's machine (RFC 8252 loopback redirects); no `*`, no fragment, no credentials. `wildcard_redirect` must be absent or `DISABLED`. This covers confidential apps too: the Cloudflare Access identity provider's app redirects only to `https://<team>.cloudflareaccess.com/cdn-cgi/access/callback`.",
  evaluate(stack: SynthesizedStack): Evaluation[] {
    const results: Evaluation[] = [];
    for (const app of stack.ofType(OKTA_TYPES.app)) {
      const verdict = new Verdict(app.address);
      judgeUris(verdict, 'redirect_uris', app.body.redirect_uris);
      judgeUris(verdict, 'post_logout_redirect_uris', app.body.post_logout_redirect_uris);
      const wildcard = stringAttr(app.body, 'wildcard_redirect');
      if (wildcard === 'expression') verdict.unknown('wildcard_redirect');
      else verdict.expect(wildcard === undefined || wildcard === 'DISABLED', `wildcard_redirect is ${wildcard}`);
      results.push(verdict.result());
    }
    for (const type of [OKTA_TYPES.redirectUri, OKTA_TYPES.postLogoutRedirectUri]) {
      for (const entry of stack.ofType(type)) {
        const verdict = new Verdict(entry.address);
        judgeUris(verdict, 'uri', entry.body.uri === undefined ? [] : [entry.body.uri]);
        results.push(verdict.result());
      }
    }
    return results;
  },
};
