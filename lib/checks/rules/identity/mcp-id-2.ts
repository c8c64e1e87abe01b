import { redirectUriProblem } from '../../../core/identity-defaults';
import { Verdict } from '../../verdict';
import type { SynthesizedStack } from '../../../model/stack';
import type { Evaluation, Rule } from '../../rule';
import { OKTA_TYPES, readList, readString } from '../../../model/okta';

/**
 * `https://${...}/path`: the scheme is a literal https and no literal part holds a wildcard, fragment
 * or credentials. The host is a computed attribute of a resource of the app (the Access team domain
 * read at plan time); with `wildcard_redirect` DISABLED (judged too) Okta matches it exactly.
 */
function isHttpsTemplate(uri: string): boolean {
  const literal = uri.replace(/\$\{[^}]*\}/g, 'x');
  return uri.startsWith('https://') && !/[*#@\s]/.test(literal);
}

/** Judges every URI of one attribute: exact https, or http on a loopback host. */
function judgeUris(verdict: Verdict, stack: SynthesizedStack, attribute: string, value: unknown): void {
  const uris = readList(stack, value);
  uris.unknowns.forEach((why) => verdict.undecided(`${attribute}: ${why}`));
  for (const { value: uri, at } of uris.literals) {
    const problem = redirectUriProblem(uri);
    if (problem) verdict.fail(`${attribute}[${at}] '${uri}' ${problem}`);
  }
  for (const t of uris.templates) {
    verdict.expect(
      isHttpsTemplate(t.text),
      `${attribute}[${t.at}] '${t.text}' is not an https URI whose computed parts sit in the host`,
    );
  }
  for (const r of uris.references) {
    verdict.undecided(`${attribute}[${r.at}] is ${r.entry.address}.${r.attribute}, a whole URI computed at apply`);
  }
}

/** MCP-ID-2: redirect URIs are exact, https or loopback http; wildcard matching is off. */
export const MCP_ID_2: Rule = {
  id: 'MCP-ID-2',
  level: 'error',
  layer: 'identity',
  cause: 'a redirect URI is a wildcard, not https, or http on a non-loopback host',
  explanation:
    "Okta sends authorization codes to the redirect URI: a wildcard, a plain-http host on the network or a custom scheme lets another party receive a user's code. Every redirect and post-logout redirect URI of an `okta_app_oauth` (and of `okta_app_oauth_redirect_uri` / `okta_app_oauth_post_logout_redirect_uri`) must be exact: https, or http on 127.0.0.1, localhost or [::1] for MCP clients on the developer's machine (RFC 8252 loopback redirects); no `*`, no fragment, no credentials. `wildcard_redirect` must be absent or `DISABLED`. This covers confidential apps too: the Cloudflare Access identity provider's app redirects only to `https://<team>.cloudflareaccess.com/cdn-cgi/access/callback`. Variables are judged by their default, and an https URI whose host is a computed attribute of a resource of the app (the Access team domain) is exact; a URI no stack of the app decides is undecided.",
  requires: [
    'every redirect_uris and post_logout_redirect_uris entry (and every okta_app_oauth_redirect_uri / post_logout uri) is https, or http on 127.0.0.1, localhost or [::1]',
    'no wildcard (*), fragment or credentials in any URI',
    'wildcard_redirect unset or DISABLED',
  ],
  fix: 'set okta.loopbackRedirectUris (SecureMcpAccess) or loopbackRedirectUris (OktaMcpClients) to exact http loopback URIs with a port, and keep wildcard_redirect DISABLED',
  evaluate(stack: SynthesizedStack): Evaluation[] {
    const results: Evaluation[] = [];
    for (const app of stack.ofType(OKTA_TYPES.app)) {
      const verdict = new Verdict(app.address);
      judgeUris(verdict, stack, 'redirect_uris', app.body.redirect_uris);
      judgeUris(verdict, stack, 'post_logout_redirect_uris', app.body.post_logout_redirect_uris);
      const wildcard = readString(stack, app.body.wildcard_redirect);
      if (wildcard.kind === 'unknown') verdict.undecided(`wildcard_redirect: ${wildcard.why}`);
      else {
        verdict.expect(
          wildcard.kind === 'absent' || (wildcard.kind === 'string' && wildcard.value === 'DISABLED'),
          `wildcard_redirect is ${wildcard.kind === 'string' ? wildcard.value : 'not a string'} (must be DISABLED)`,
        );
      }
      results.push(verdict.result());
    }
    for (const type of [OKTA_TYPES.redirectUri, OKTA_TYPES.postLogoutRedirectUri]) {
      for (const entry of stack.ofType(type)) {
        const verdict = new Verdict(entry.address);
        judgeUris(verdict, stack, 'uri', entry.body.uri === undefined ? [] : [entry.body.uri]);
        results.push(verdict.result());
      }
    }
    return results;
  },
};
