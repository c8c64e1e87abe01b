import { MCP_ID_2 } from '../../../../lib/checks/rules/identity/mcp-id-2';
import type { JsonObject } from '../../../../lib/model/stack';
import { AppOauthRedirectUri } from '@cdktf/provider-okta/lib/app-oauth-redirect-uri';
import { newStack, rawJson } from '../../../helpers';
import { findings, identityJson, run, tamper, withVariable } from './tamper';

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
      "non-compliant okta_app_oauth.Shared_Okta_AccessIdpApp: redirect_uris[0] 'https://*.cloudflareaccess.com/cdn-cgi/access/callback' is a wildcard; redirect_uris[1] 'http://intranet.example.com/cb' uses http on a non-loopback host; post_logout_redirect_uris[0] 'myapp:/logout' uses the scheme myapp: (only https, or http on a loopback host); wildcard_redirect is SUBDOMAIN (must be DISABLED)",
    ]);
  });

  test('non-compliant: a redirect added through okta_app_oauth_redirect_uri', () => {
    const stack = newStack();
    new AppOauthRedirectUri(stack, 'Extra', { appId: '0oa1', uri: 'http://192.168.1.10:8080/callback' });
    expect(findings(MCP_ID_2, rawJson(stack))).toEqual([
      "non-compliant okta_app_oauth_redirect_uri.Extra: uri[0] 'http://192.168.1.10:8080/callback' uses http on a non-loopback host",
    ]);
  });

  test('a variable with a literal default, whole or inside a URI, is judged by its default', () => {
    const good = tamper(withVariable(json, 'team', 'acme-corp'), 'okta_app_oauth', 'AccessIdpApp', (b) => {
      b.redirect_uris = ['https://${var.team}.cloudflareaccess.com/cdn-cgi/access/callback'];
    });
    expect(findings(MCP_ID_2, good)).toEqual([]);
    const bad = tamper(
      withVariable(json, 'callback', 'http://10.0.0.8:7701/callback'),
      'okta_app_oauth',
      'McpClient',
      (b) => {
        b.redirect_uris = ['${var.callback}'];
      },
    );
    expect(findings(MCP_ID_2, bad)).toEqual([
      "non-compliant okta_app_oauth.Shared_Okta_McpClient: redirect_uris[0] 'http://10.0.0.8:7701/callback' uses http on a non-loopback host",
    ]);
  });

  test('undecided, now an error: a redirect URI from a variable without a default', () => {
    const bad = tamper(withVariable(json, 'callback'), 'okta_app_oauth', 'AccessIdpApp', (b) => {
      b.redirect_uris = ['${var.callback}'];
    });
    expect(findings(MCP_ID_2, bad)).toEqual([
      "undecided okta_app_oauth.Shared_Okta_AccessIdpApp: redirect_uris: variable 'callback' has no default: its value comes at plan time",
    ]);
  });

  /** The JSON with the Access organization data source whose computed auth_domain the callback uses. */
  function withOrganization(base: JsonObject): JsonObject {
    const copy = JSON.parse(JSON.stringify(base)) as JsonObject;
    copy.data = { cloudflare_zero_trust_organization: { org: { account_id: '0123456789abcdef0123456789abcdef' } } };
    return copy;
  }

  test('compliant: an https redirect whose host is a computed attribute of a resource of the app (the Access team domain)', () => {
    const templated = tamper(withOrganization(json), 'okta_app_oauth', 'AccessIdpApp', (b) => {
      b.redirect_uris = ['https://${data.cloudflare_zero_trust_organization.org.auth_domain}/cdn-cgi/access/callback'];
    });
    expect(findings(MCP_ID_2, templated)).toEqual([]);
  });

  test('non-compliant or undecided: a templated redirect that is not an https URI with a computed host', () => {
    const http = tamper(withOrganization(json), 'okta_app_oauth', 'AccessIdpApp', (b) => {
      b.redirect_uris = ['http://${data.cloudflare_zero_trust_organization.org.auth_domain}/*'];
    });
    expect(findings(MCP_ID_2, http)).toEqual([
      "non-compliant okta_app_oauth.Shared_Okta_AccessIdpApp: redirect_uris[0] 'http://${data.cloudflare_zero_trust_organization.org.auth_domain}/*' is not an https URI whose computed parts sit in the host",
    ]);
    const unknown = tamper(withVariable(json, 'host'), 'okta_app_oauth', 'AccessIdpApp', (b) => {
      b.redirect_uris = ['${var.scheme}://example.com/callback', 'https://${var.host}/callback'];
    });
    expect(findings(MCP_ID_2, unknown)).toEqual([
      "undecided okta_app_oauth.Shared_Okta_AccessIdpApp: redirect_uris: '${var.scheme}' names a variable this stack does not declare; redirect_uris: variable 'host' has no default: its value comes at plan time",
    ]);
  });

  test('non-compliant: a templated http redirect with a computed host and no wildcard', () => {
    const http = tamper(withOrganization(json), 'okta_app_oauth', 'AccessIdpApp', (b) => {
      b.redirect_uris = ['http://${data.cloudflare_zero_trust_organization.org.auth_domain}/cdn-cgi/access/callback'];
    });
    expect(findings(MCP_ID_2, http)).toEqual([
      "non-compliant okta_app_oauth.Shared_Okta_AccessIdpApp: redirect_uris[0] 'http://${data.cloudflare_zero_trust_organization.org.auth_domain}/cdn-cgi/access/callback' is not an https URI whose computed parts sit in the host",
    ]);
  });

  test('undecided: a whole redirect URI computed at apply, and wildcard_redirect from a variable without a default', () => {
    const computed = tamper(withVariable(withOrganization(json), 'wildcard'), 'okta_app_oauth', 'AccessIdpApp', (b) => {
      b.redirect_uris = ['${data.cloudflare_zero_trust_organization.org.auth_domain}'];
      b.wildcard_redirect = '${var.wildcard}';
    });
    expect(findings(MCP_ID_2, computed)).toEqual([
      "undecided okta_app_oauth.Shared_Okta_AccessIdpApp: redirect_uris[0] is data.cloudflare_zero_trust_organization.org.auth_domain, a whole URI computed at apply; wildcard_redirect: variable 'wildcard' has no default: its value comes at plan time",
    ]);
  });

  test('compliant: wildcard_redirect left unset', () => {
    const unset = tamper(json, 'okta_app_oauth', 'AccessIdpApp', (b) => {
      delete b.wildcard_redirect;
    });
    expect(findings(MCP_ID_2, unset)).toEqual([]);
  });

  test('compliant: an okta_app_oauth_redirect_uri without a uri has no URI to judge', () => {
    const stack = newStack();
    new AppOauthRedirectUri(stack, 'Extra', { appId: '0oa1', uri: 'https://app.example.com/callback' });
    const unset = tamper(rawJson(stack), 'okta_app_oauth_redirect_uri', 'Extra', (b) => {
      delete b.uri;
    });
    const results = run(MCP_ID_2, unset);
    expect(results).toHaveLength(1);
    expect(results[0].status).toBe('compliant');
  });

  test('not applicable: a stack without Okta apps', () => {
    expect(run(MCP_ID_2, rawJson(newStack()))).toEqual([]);
  });
});
