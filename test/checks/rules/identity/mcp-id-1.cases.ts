import { MCP_ID_1 } from '../../../../lib/checks/rules/identity/mcp-id-1';
import { MCP_ID_11 } from '../../../../lib/checks/rules/identity/mcp-id-11';
import type { JsonObject } from '../../../../lib/model/stack';
import { newStack, rawJson } from '../../../helpers';
import { findings, identityJson, run, tamper, withVariable } from './tamper';

describe('MCP-ID-1', () => {
  let json: JsonObject;
  beforeAll(() => {
    json = identityJson();
  });

  test('compliant: both public clients and the confidential Access web app', () => {
    const results = run(MCP_ID_1, json);
    expect(results.map((r) => [r.address.replace(/_[0-9A-F]{8}$/, ''), r.status])).toEqual([
      ['okta_app_oauth.Shared_Okta_McpClient', 'compliant'],
      ['okta_app_oauth.Shared_Okta_AdminClient', 'compliant'],
      ['okta_app_oauth.Shared_Okta_AccessIdpApp', 'compliant'],
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
      'non-compliant okta_app_oauth.Shared_Okta_McpClient: grant_types allows implicit, password; response_types allows token; pkce_required is false (a public client needs PKCE); token_endpoint_auth_method is client_secret_basic (must be none)',
    ]);
  });

  test('non-compliant: a browser app with no token_endpoint_auth_method or PKCE set', () => {
    const bad = tamper(json, 'okta_app_oauth', 'AdminClient', (b) => {
      b.type = 'browser';
      delete b.token_endpoint_auth_method;
      delete b.pkce_required;
    });
    expect(findings(MCP_ID_1, bad)).toEqual([
      'non-compliant okta_app_oauth.Shared_Okta_AdminClient: pkce_required is not set (a public client needs PKCE); token_endpoint_auth_method is not set (must be none)',
    ]);
  });

  test('non-compliant: the confidential web app is judged too (device and client-credential grants, a service app)', () => {
    const grants = tamper(json, 'okta_app_oauth', 'AccessIdpApp', (b) => {
      b.grant_types = ['authorization_code', 'urn:ietf:params:oauth:grant-type:device_code', 'client_credentials'];
      b.token_endpoint_auth_method = 'client_secret_none';
    });
    expect(findings(MCP_ID_1, grants)).toEqual([
      'non-compliant okta_app_oauth.Shared_Okta_AccessIdpApp: grant_types allows urn:ietf:params:oauth:grant-type:device_code, client_credentials; token_endpoint_auth_method is client_secret_none (client_secret_basic, client_secret_post, client_secret_jwt, private_key_jwt)',
    ]);
    const service = tamper(json, 'okta_app_oauth', 'AccessIdpApp', (b) => {
      b.type = 'service';
      delete b.grant_types;
    });
    // A service app is MCP-ID-11's: it judges the shape (and refuses this one).
    expect(findings(MCP_ID_1, service)).toEqual([]);
    expect(findings(MCP_ID_11, service)).toEqual([
      'non-compliant okta_app_oauth.Shared_Okta_AccessIdpApp: grant_types is not set; response_types allows code (only token); token_endpoint_auth_method is client_secret_basic (must be private_key_jwt: a signed assertion, no shared secret); neither jwks nor jwks_uri is set: Okta has no key to check; omit_secret is not set (must be true: no client secret in Terraform state)',
    ]);
  });

  test('a web app that turns public (auth method none) is judged as public', () => {
    const bad = tamper(json, 'okta_app_oauth', 'AccessIdpApp', (b) => {
      b.token_endpoint_auth_method = 'none';
      b.pkce_required = false;
    });
    expect(findings(MCP_ID_1, bad)).toEqual([
      'non-compliant okta_app_oauth.Shared_Okta_AccessIdpApp: pkce_required is false (a public client needs PKCE)',
    ]);
  });

  test('a variable with a literal default is judged by its default', () => {
    const good = tamper(withVariable(json, 'grants', ['authorization_code']), 'okta_app_oauth', 'McpClient', (b) => {
      b.grant_types = '${var.grants}';
      b.pkce_required = '${var.pkce}';
    });
    expect(findings(MCP_ID_1, withVariable(good, 'pkce', true))).toEqual([]);
    expect(findings(MCP_ID_1, withVariable(good, 'pkce', 'false'))).toEqual([
      'non-compliant okta_app_oauth.Shared_Okta_McpClient: pkce_required is false (a public client needs PKCE)',
    ]);
    const implicit = tamper(withVariable(json, 'grants', ['implicit']), 'okta_app_oauth', 'McpClient', (b) => {
      b.grant_types = '${var.grants}';
    });
    expect(findings(MCP_ID_1, implicit)).toEqual([
      'non-compliant okta_app_oauth.Shared_Okta_McpClient: grant_types allows implicit',
    ]);
  });

  test('undecided, now an error: grant types and the type from variables without a default', () => {
    const bad = tamper(withVariable(json, 'grants'), 'okta_app_oauth', 'McpClient', (b) => {
      b.grant_types = '${var.grants}';
    });
    expect(findings(MCP_ID_1, bad)).toEqual([
      "undecided okta_app_oauth.Shared_Okta_McpClient: grant_types: variable 'grants' has no default: its value comes at plan time",
    ]);
    const type = tamper(json, 'okta_app_oauth', 'AccessIdpApp', (b) => {
      b.type = '${var.app_type}';
    });
    expect(findings(MCP_ID_1, type)).toEqual([
      "undecided okta_app_oauth.Shared_Okta_AccessIdpApp: type: '${var.app_type}' names a variable this stack does not declare",
    ]);
  });

  test('non-compliant: an app of type saml, an app without a type, an app without grant_types', () => {
    const saml = tamper(json, 'okta_app_oauth', 'AccessIdpApp', (b) => {
      b.type = 'saml';
    });
    const untyped = tamper(saml, 'okta_app_oauth', 'AdminClient', (b) => {
      delete b.type;
    });
    const bad = tamper(untyped, 'okta_app_oauth', 'McpClient', (b) => {
      delete b.grant_types;
    });
    expect(findings(MCP_ID_1, bad)).toEqual([
      'non-compliant okta_app_oauth.Shared_Okta_McpClient: grant_types is not set',
      'non-compliant okta_app_oauth.Shared_Okta_AdminClient: type is not set (native, browser or web)',
      'non-compliant okta_app_oauth.Shared_Okta_AccessIdpApp: type is saml (native, browser or web)',
    ]);
  });

  test('compliant: a web app without token_endpoint_auth_method; non-compliant: one whose method is a list, not a string', () => {
    const unset = tamper(json, 'okta_app_oauth', 'AccessIdpApp', (b) => {
      delete b.token_endpoint_auth_method;
    });
    expect(findings(MCP_ID_1, unset)).toEqual([]);
    const list = tamper(json, 'okta_app_oauth', 'AccessIdpApp', (b) => {
      b.token_endpoint_auth_method = ['client_secret_basic'];
    });
    expect(findings(MCP_ID_1, list)).toEqual([
      'non-compliant okta_app_oauth.Shared_Okta_AccessIdpApp: token_endpoint_auth_method is not a string',
    ]);
  });

  test('non-compliant: pkce_required is a word, not a boolean', () => {
    const bad = tamper(json, 'okta_app_oauth', 'McpClient', (b) => {
      b.pkce_required = 'maybe';
    });
    expect(findings(MCP_ID_1, bad)).toEqual([
      "non-compliant okta_app_oauth.Shared_Okta_McpClient: pkce_required is 'maybe' (a public client needs PKCE)",
    ]);
  });

  test('undecided: response_types, pkce_required and token_endpoint_auth_method from undeclared variables', () => {
    const bad = tamper(json, 'okta_app_oauth', 'McpClient', (b) => {
      b.response_types = '${var.responses}';
      b.pkce_required = '${var.pkce}';
      b.token_endpoint_auth_method = '${var.method}';
    });
    expect(findings(MCP_ID_1, bad)).toEqual([
      "undecided okta_app_oauth.Shared_Okta_McpClient: response_types: '${var.responses}' names a variable this stack does not declare; pkce_required: '${var.pkce}' names a variable this stack does not declare; token_endpoint_auth_method: '${var.method}' names a variable this stack does not declare",
    ]);
    const web = tamper(json, 'okta_app_oauth', 'AccessIdpApp', (b) => {
      b.token_endpoint_auth_method = '${var.method}';
    });
    expect(findings(MCP_ID_1, web)).toEqual([
      "undecided okta_app_oauth.Shared_Okta_AccessIdpApp: token_endpoint_auth_method: '${var.method}' names a variable this stack does not declare",
    ]);
  });

  test('undecided: grant types computed at apply (a reference, an interpolated template)', () => {
    const bad = tamper(json, 'okta_app_oauth', 'McpClient', (b) => {
      b.grant_types = [
        'authorization_code',
        '${okta_app_oauth.Shared_Okta_AdminClient_0376CBC4.client_id}',
        'refresh_${okta_app_oauth.Shared_Okta_AdminClient_0376CBC4.client_id}',
      ];
    });
    expect(findings(MCP_ID_1, bad)).toEqual([
      "undecided okta_app_oauth.Shared_Okta_McpClient: grant_types[1] is okta_app_oauth.Shared_Okta_AdminClient_0376CBC4.client_id, computed at apply; grant_types[2] 'refresh_${okta_app_oauth.Shared_Okta_AdminClient_0376CBC4.client_id}' is computed at apply",
    ]);
  });

  test('not applicable: a stack without Okta apps', () => {
    expect(run(MCP_ID_1, rawJson(newStack()))).toEqual([]);
  });
});
