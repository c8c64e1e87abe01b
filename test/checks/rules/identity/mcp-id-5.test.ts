import { MCP_ID_5 } from '../../../../lib/checks/rules/identity/mcp-id-5';
import type { JsonObject } from '../../../../lib/model/stack';
import { newStack, rawJson } from '../../../helpers';
import { findings, identityJson, run, tamper } from './tamper';

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

  test('undecided: a lifetime from a variable', () => {
    const bad = tamper(json, 'okta_auth_server_policy_rule', 'UseRule', (b) => {
      b.access_token_lifetime_minutes = '${var.ttl}';
    });
    expect(findings(MCP_ID_5, bad)).toEqual([
      'undecided okta_auth_server_policy_rule.acme_Identity_UseRule: access_token_lifetime_minutes is an unresolved expression',
    ]);
  });

  test('not applicable: a stack without auth server policy rules', () => {
    expect(run(MCP_ID_5, rawJson(newStack()))).toEqual([]);
  });
});
