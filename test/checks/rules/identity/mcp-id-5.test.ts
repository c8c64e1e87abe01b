import { MCP_ID_5 } from '../../../../lib/checks/rules/identity/mcp-id-5';
import type { JsonObject } from '../../../../lib/model/stack';
import { newStack, rawJson } from '../../../helpers';
import { findings, identityJson, run, tamper, withVariable } from './tamper';

describe('MCP-ID-5', () => {
  let json: JsonObject;
  beforeAll(() => {
    json = identityJson();
  });

  test('compliant: both tenant policy rules', () => {
    const results = run(MCP_ID_5, json);
    expect(results).toHaveLength(2);
    expect(results.every((r) => r.status === 'compliant')).toBe(true);
  });

  test('non-compliant: a 60-minute token, forbidden grants and every scope (escape-hatch override)', () => {
    const bad = tamper(json, 'okta_auth_server_policy_rule', 'UseRule', (b) => {
      b.access_token_lifetime_minutes = 60;
      b.grant_type_whitelist = ['authorization_code', 'implicit', 'client_credentials'];
      b.scope_whitelist = ['*'];
    });
    expect(findings(MCP_ID_5, bad)).toEqual([
      "non-compliant okta_auth_server_policy_rule.acme_Identity_UseRule: access_token_lifetime_minutes is 60 (at most 15); grant_type_whitelist allows implicit, client_credentials; scope_whitelist allows every scope ('*')",
    ]);
  });

  test('non-compliant: lifetime left to the Okta default and no scope list', () => {
    const bad = tamper(json, 'okta_auth_server_policy_rule', 'AdminRule', (b) => {
      delete b.access_token_lifetime_minutes;
      delete b.scope_whitelist;
    });
    expect(findings(MCP_ID_5, bad)).toEqual([
      'non-compliant okta_auth_server_policy_rule.acme_Identity_AdminRule: access_token_lifetime_minutes is not set (Okta defaults to 60); scope_whitelist is not set',
    ]);
  });

  test.each([
    [15, []],
    ['15', []],
    [5, []],
    [16, ['access_token_lifetime_minutes is 16 (at most 15)']],
    ['16', ['access_token_lifetime_minutes is 16 (at most 15)']],
    ['15m', ["access_token_lifetime_minutes is '15m', not a number"]],
  ])('access token lifetime %p', (ttl, problems) => {
    const edited = tamper(json, 'okta_auth_server_policy_rule', 'UseRule', (b) => {
      b.access_token_lifetime_minutes = ttl;
    });
    expect(findings(MCP_ID_5, edited)).toEqual(
      problems.map((p) => `non-compliant okta_auth_server_policy_rule.acme_Identity_UseRule: ${p}`),
    );
  });

  test('non-compliant: only authorization_code is allowed (device code, token exchange and JWT bearer are refused)', () => {
    const bad = tamper(json, 'okta_auth_server_policy_rule', 'AdminRule', (b) => {
      b.grant_type_whitelist = [
        'authorization_code',
        'urn:ietf:params:oauth:grant-type:device_code',
        'urn:ietf:params:oauth:grant-type:token-exchange',
        'urn:ietf:params:oauth:grant-type:jwt-bearer',
      ];
    });
    expect(findings(MCP_ID_5, bad)).toEqual([
      'non-compliant okta_auth_server_policy_rule.acme_Identity_AdminRule: grant_type_whitelist allows urn:ietf:params:oauth:grant-type:device_code, urn:ietf:params:oauth:grant-type:token-exchange, urn:ietf:params:oauth:grant-type:jwt-bearer',
    ]);
    const none = tamper(json, 'okta_auth_server_policy_rule', 'AdminRule', (b) => {
      b.grant_type_whitelist = [];
    });
    expect(findings(MCP_ID_5, none)).toEqual([
      'non-compliant okta_auth_server_policy_rule.acme_Identity_AdminRule: grant_type_whitelist is not set',
    ]);
  });

  test('a variable with a literal default is judged by its default', () => {
    const good = tamper(withVariable(json, 'ttl', 15), 'okta_auth_server_policy_rule', 'UseRule', (b) => {
      b.access_token_lifetime_minutes = '${var.ttl}';
    });
    expect(findings(MCP_ID_5, good)).toEqual([]);
    const bad = tamper(withVariable(json, 'ttl', 16), 'okta_auth_server_policy_rule', 'UseRule', (b) => {
      b.access_token_lifetime_minutes = '${var.ttl}';
    });
    expect(findings(MCP_ID_5, bad)).toEqual([
      'non-compliant okta_auth_server_policy_rule.acme_Identity_UseRule: access_token_lifetime_minutes is 16 (at most 15)',
    ]);
  });

  test('undecided, now an error: a lifetime and a scope list from variables without a default', () => {
    const bad = tamper(withVariable(json, 'ttl'), 'okta_auth_server_policy_rule', 'UseRule', (b) => {
      b.access_token_lifetime_minutes = '${var.ttl}';
      b.scope_whitelist = '${local.scopes}';
    });
    expect(findings(MCP_ID_5, bad)).toEqual([
      "undecided okta_auth_server_policy_rule.acme_Identity_UseRule: access_token_lifetime_minutes: variable 'ttl' has no default: its value comes at plan time; scope_whitelist: '${local.scopes}' names a local this stack does not declare",
    ]);
  });

  test('not applicable: a stack without auth server policy rules', () => {
    expect(run(MCP_ID_5, rawJson(newStack()))).toEqual([]);
  });
});
