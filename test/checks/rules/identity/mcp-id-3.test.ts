import { MCP_ID_3 } from '../../../../lib/checks/rules/identity/mcp-id-3';
import type { JsonObject } from '../../../../lib/model/stack';
import { newStack, rawJson } from '../../../helpers';
import { findings, identityJson, run, tamper } from './tamper';

describe('MCP-ID-3', () => {
  let json: JsonObject;
  beforeAll(() => {
    json = identityJson();
  });

  test('compliant: the MCP client rotates; apps without refresh_token are not judged', () => {
    const results = run(MCP_ID_3, json);
    expect(results.map((r) => [r.address.replace(/_[0-9A-F]{8}$/, ''), r.status])).toEqual([
      ['okta_app_oauth.Shared_Okta_McpClient', 'compliant'],
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

  test('undecided: rotation from a variable', () => {
    const bad = tamper(json, 'okta_app_oauth', 'McpClient', (b) => {
      b.refresh_token_rotation = '${var.rotation}';
    });
    expect(findings(MCP_ID_3, bad)).toEqual([
      'undecided okta_app_oauth.Shared_Okta_McpClient: refresh_token_rotation is an unresolved expression',
    ]);
  });

  test('not applicable: a stack without Okta apps', () => {
    expect(run(MCP_ID_3, rawJson(newStack()))).toEqual([]);
  });
});
