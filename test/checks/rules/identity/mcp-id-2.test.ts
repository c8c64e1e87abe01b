import { MCP_ID_2 } from '../../../../lib/checks/rules/identity/mcp-id-2';
import type { JsonObject } from '../../../../lib/model/stack';
import { AppOauthRedirectUri } from '@cdktf/provider-okta/lib/app-oauth-redirect-uri';
import { newStack, rawJson } from '../../../helpers';
import { findings, identityJson, run, tamper } from './tamper';

describe('MCP-ID-2', () => {
  let json: JsonObject;
  beforeAll(() => {
    json = identityJson();
  });

  test('compliant: loopback redirects on the public clients, the exact Access callback on the web app', () => {
    const results = run(MCP_ID_2, json);
    expect(results).toHaveLength(3);
    expect(results.every((r) => r.status === 'compliant')).toBe(true);
  });

  test('non-compliant: a wildcard, a network http host and wildcard matching switched on', () => {
    const bad = tamper(json, 'okta_app_oauth', 'AccessIdpApp', (b) => {
      b.redirect_uris = ['https://*.cloudflareaccess.com/cdn-cgi/access/callback', 'http://intranet.example.com/cb'];
      b.post_logout_redirect_uris = ['myapp:/logout'];
      b.wildcard_redirect = 'SUBDOMAIN';
    });
    expect(findings(MCP_ID_2, bad)).toEqual([
      "non-compliant okta_app_oauth.Shared_Okta_AccessIdpApp: redirect_uris[0] 'https://*.cloudflareaccess.com/cdn-cgi/access/callback' is a wildcard; redirect_uris[1] 'http://intranet.example.com/cb' uses http on a non-loopback host; post_logout_redirect_uris[0] 'myapp:/logout' uses the scheme myapp: (only https, or http on a loopback host); wildcard_redirect is SUBDOMAIN",
    ]);
  });

  test('non-compliant: a redirect added through okta_app_oauth_redirect_uri', () => {
    const stack = newStack();
    new AppOauthRedirectUri(stack, 'Extra', { appId: '0oa1', uri: 'http://192.168.1.10:8080/callback' });
    expect(findings(MCP_ID_2, rawJson(stack))).toEqual([
      "non-compliant okta_app_oauth_redirect_uri.Extra: uri[0] 'http://192.168.1.10:8080/callback' uses http on a non-loopback host",
    ]);
  });

  test('undecided: a redirect URI from a variable', () => {
    const bad = tamper(json, 'okta_app_oauth', 'AccessIdpApp', (b) => {
      b.redirect_uris = ['${var.callback}'];
    });
    expect(findings(MCP_ID_2, bad)).toEqual([
      'undecided okta_app_oauth.Shared_Okta_AccessIdpApp: redirect_uris[0] is an unresolved expression',
    ]);
  });

  test('compliant: an https redirect whose host is read at plan time (the Access team domain)', () => {
    const templated = tamper(json, 'okta_app_oauth', 'AccessIdpApp', (b) => {
      b.redirect_uris = ['https://${data.cloudflare_zero_trust_organization.org.auth_domain}/cdn-cgi/access/callback'];
    });
    expect(findings(MCP_ID_2, templated)).toEqual([]);
  });

  test('undecided: a templated redirect whose scheme is not a literal https', () => {
    const bad = tamper(json, 'okta_app_oauth', 'AccessIdpApp', (b) => {
      b.redirect_uris = ['${var.scheme}://${var.host}/callback', 'https://${var.host}/*'];
    });
    expect(findings(MCP_ID_2, bad)).toEqual([
      'undecided okta_app_oauth.Shared_Okta_AccessIdpApp: redirect_uris[0] is an unresolved expression; redirect_uris[1] is an unresolved expression',
    ]);
  });

  test('not applicable: a stack without Okta apps', () => {
    expect(run(MCP_ID_2, rawJson(newStack()))).toEqual([]);
  });
});
