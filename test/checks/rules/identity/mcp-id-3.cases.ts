import { MCP_ID_3 } from '../../../../lib/checks/rules/identity/mcp-id-3';
import type { JsonObject } from '../../../../lib/model/stack';
import { newStack, rawJson } from '../../../helpers';
import { findings, identityJson, run, tamper, withVariable } from './tamper';

describe('MCP-ID-3', () => {
  let json: JsonObject;
  beforeAll(() => {
    json = identityJson();
  });

  test('compliant: the MCP client rotates, both policy rules bound refresh tokens; apps without refresh_token are not judged', () => {
    const results = run(MCP_ID_3, json);
    expect(results.map((r) => [r.address.replace(/_[0-9A-F]{8}$/, ''), r.status])).toEqual([
      ['okta_app_oauth.Shared_Okta_McpClient', 'compliant'],
      ['okta_auth_server_policy_rule.acme_Identity_UseRule', 'compliant'],
      ['okta_auth_server_policy_rule.acme_Identity_AdminRule', 'compliant'],
    ]);
  });

  test('non-compliant: STATIC rotation (escape-hatch override)', () => {
    const bad = tamper(json, 'okta_app_oauth', 'McpClient', (b) => {
      b.refresh_token_rotation = 'STATIC';
    });
    expect(findings(MCP_ID_3, bad)).toEqual([
      'non-compliant okta_app_oauth.Shared_Okta_McpClient: refresh_token_rotation is STATIC',
    ]);
  });

  test('non-compliant: refresh tokens added to the Access web app without rotation', () => {
    const bad = tamper(json, 'okta_app_oauth', 'AccessIdpApp', (b) => {
      b.grant_types = ['authorization_code', 'refresh_token'];
    });
    expect(findings(MCP_ID_3, bad)).toEqual([
      'non-compliant okta_app_oauth.Shared_Okta_AccessIdpApp: refresh_token_rotation is not set (Okta defaults to STATIC)',
    ]);
  });

  /** The use rule with its refresh bounds replaced (undefined removes the attribute). */
  const bounds = (lifetime: unknown, window: unknown): JsonObject =>
    tamper(json, 'okta_auth_server_policy_rule', 'UseRule', (b) => {
      if (lifetime === undefined) delete b.refresh_token_lifetime_minutes;
      else b.refresh_token_lifetime_minutes = lifetime;
      if (window === undefined) delete b.refresh_token_window_minutes;
      else b.refresh_token_window_minutes = window;
    });
  const RULE = 'okta_auth_server_policy_rule.acme_Identity_UseRule';

  test.each([
    [1440, 480],
    [1440, 1],
    [1, 1],
    [480, 480],
    ['1440', '480'],
  ])('compliant at the limits: lifetime %p, window %p', (lifetime, window) => {
    expect(findings(MCP_ID_3, bounds(lifetime, window))).toEqual([]);
  });

  test.each([
    [1441, 60, 'refresh_token_lifetime_minutes is 1441 (between 1 and 1440)'],
    [1440, 481, 'refresh_token_window_minutes is 481 (between 1 and 480)'],
    ['1441', 60, 'refresh_token_lifetime_minutes is 1441 (between 1 and 1440)'],
    [1440, '481', 'refresh_token_window_minutes is 481 (between 1 and 480)'],
    ['0', 60, 'refresh_token_lifetime_minutes is 0 (Okta reads 0 as unlimited)'],
    [1440, '0', 'refresh_token_window_minutes is 0 (between 1 and 480)'],
    [480, 481, 'refresh_token_window_minutes is 481 (between 1 and 480)'],
    [480, 1441, 'refresh_token_window_minutes is 1441 (between 1 and 480)'],
    [479, 480, 'refresh_token_window_minutes is 480, longer than refresh_token_lifetime_minutes 479'],
    ['24h', 60, "refresh_token_lifetime_minutes is '24h', not a number"],
    [0, 60, 'refresh_token_lifetime_minutes is 0 (Okta reads 0 as unlimited)'],
    [-5, 60, 'refresh_token_lifetime_minutes is -5 (between 1 and 1440)'],
    [120, 240, 'refresh_token_window_minutes is 240, longer than refresh_token_lifetime_minutes 120'],
    [480, 0, 'refresh_token_window_minutes is 0 (between 1 and 480)'],
    [undefined, 60, 'refresh_token_lifetime_minutes is not set (Okta reads it as unlimited)'],
    [480, undefined, "refresh_token_window_minutes is not set (Okta's default is 10080, 7 days)"],
    ['forever', 60, "refresh_token_lifetime_minutes is 'forever', not a number"],
  ])('non-compliant: lifetime %p, window %p', (lifetime, window, problem) => {
    expect(findings(MCP_ID_3, bounds(lifetime, window))).toEqual([`non-compliant ${RULE}: ${problem}`]);
  });

  test('a variable with a literal default is judged by its default', () => {
    const good = withVariable(bounds('${var.lifetime}', 60), 'lifetime', 1440);
    expect(findings(MCP_ID_3, good)).toEqual([]);
    const bad = withVariable(bounds('${var.lifetime}', 60), 'lifetime', 1441);
    expect(findings(MCP_ID_3, bad)).toEqual([
      `non-compliant ${RULE}: refresh_token_lifetime_minutes is 1441 (between 1 and 1440)`,
    ]);
  });

  test('undecided, now an error: rotation and lifetime from variables without a default', () => {
    const rotation = tamper(withVariable(json, 'rotation'), 'okta_app_oauth', 'McpClient', (b) => {
      b.refresh_token_rotation = '${var.rotation}';
    });
    expect(findings(MCP_ID_3, rotation)).toEqual([
      "undecided okta_app_oauth.Shared_Okta_McpClient: refresh_token_rotation: variable 'rotation' has no default: its value comes at plan time",
    ]);
    const lifetime = withVariable(bounds('${var.lifetime}', 60), 'lifetime');
    expect(findings(MCP_ID_3, lifetime)).toEqual([
      `undecided ${RULE}: refresh_token_lifetime_minutes: variable 'lifetime' has no default: its value comes at plan time`,
    ]);
  });

  test('undecided: grant types no stack decides', () => {
    const bad = tamper(json, 'okta_app_oauth', 'AdminClient', (b) => {
      b.grant_types = '${var.grants}';
    });
    expect(findings(MCP_ID_3, bad)).toEqual([
      "undecided okta_app_oauth.Shared_Okta_AdminClient: grant_types: '${var.grants}' names a variable this stack does not declare",
    ]);
  });

  test('undecided: grant types computed at apply, by reference or inside a template', () => {
    const referenced = tamper(json, 'okta_app_oauth', 'AdminClient', (b) => {
      b.grant_types = ['authorization_code', '${okta_app_oauth.Shared_Okta_McpClient_72D0B1A9.client_id}'];
    });
    const templated = tamper(referenced, 'okta_app_oauth', 'AccessIdpApp', (b) => {
      b.grant_types = ['authorization_code', 'urn:${okta_app_oauth.Shared_Okta_McpClient_72D0B1A9.client_id}'];
    });
    expect(findings(MCP_ID_3, templated)).toEqual([
      'undecided okta_app_oauth.Shared_Okta_AdminClient: grant_types: computed at apply',
      'undecided okta_app_oauth.Shared_Okta_AccessIdpApp: grant_types: computed at apply',
    ]);
  });

  test('not applicable: a stack without Okta apps or policy rules', () => {
    expect(run(MCP_ID_3, rawJson(newStack()))).toEqual([]);
  });
});
