import { MCP_ID_1 } from '../../../../lib/checks/rules/identity/mcp-id-1';
import type { JsonObject } from '../../../../lib/model/stack';
import { newStack, rawJson } from '../../../helpers';
import { findings, identityJson, run, tamper } from './tamper';

describe('MCP-ID-1', () => {
  let json: JsonObject;
  beforeAll(() => {
    json = identityJson();
  });

  test('compliant: both public clients; the confidential Access app is not judged', () => {
    const results = run(MCP_ID_1, json);
    expect(results.map((r) => [r.address.replace(/_[0-9A-F]{8}$/, ''), r.status])).toEqual([
      ['okta_app_oauth.Shared_Okta_McpClient', 'compliant'],
      ['okta_app_oauth.Shared_Okta_AdminClient', 'compliant'],
    ]);
  });

  test('non-compliant: PKCE off, a client secret, an implicit grant and token responses', () => {
    const bad = tamper(json, 'okta_app_oauth', 'McpClient', (b) => {
      b.pkce_required = false;
      b.token_endpoint_auth_method = 'client_secret_basic';
      b.grant_types = ['authorization_code', 'implicit', 'password'];
      b.response_types = ['code', 'token'];
    });
    expect(findings(MCP_ID_1, bad)).toEqual([
      'non-compliant okta_app_oauth.Shared_Okta_McpClient: pkce_required is false; token_endpoint_auth_method is client_secret_basic (must be none); grant_types allows implicit, password; response_types allows token',
    ]);
  });

  test('non-compliant: a browser app with no token_endpoint_auth_method or PKCE set', () => {
    const bad = tamper(json, 'okta_app_oauth', 'AdminClient', (b) => {
      b.type = 'browser';
      delete b.token_endpoint_auth_method;
      delete b.pkce_required;
    });
    expect(findings(MCP_ID_1, bad)).toEqual([
      'non-compliant okta_app_oauth.Shared_Okta_AdminClient: pkce_required is not set; token_endpoint_auth_method is not set (must be none)',
    ]);
  });

  test('a web app that turns public (auth method none) is judged', () => {
    const bad = tamper(json, 'okta_app_oauth', 'AccessIdpApp', (b) => {
      b.token_endpoint_auth_method = 'none';
      b.pkce_required = false;
    });
    expect(findings(MCP_ID_1, bad)).toEqual([
      'non-compliant okta_app_oauth.Shared_Okta_AccessIdpApp: pkce_required is false',
    ]);
  });

  test('undecided: grant types from a variable', () => {
    const bad = tamper(json, 'okta_app_oauth', 'McpClient', (b) => {
      b.grant_types = '${var.grants}';
    });
    expect(findings(MCP_ID_1, bad)).toEqual([
      'undecided okta_app_oauth.Shared_Okta_McpClient: grant_types is an unresolved expression',
    ]);
  });

  test('not applicable: a stack without Okta apps', () => {
    expect(run(MCP_ID_1, rawJson(newStack()))).toEqual([]);
  });
});
