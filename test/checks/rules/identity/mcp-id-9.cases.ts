import { OktaProvider } from '@cdktf/provider-okta/lib/provider';
import { MCP_ID_9 } from '../../../../lib/checks/rules/identity/mcp-id-9';
import { MCP_ID_9W } from '../../../../lib/checks/rules/identity/mcp-id-9w';
import type { JsonObject } from '../../../../lib/model/stack';
import { TerraformVariable } from '../../../../lib/core/cdktf';
import { newStack, rawJson } from '../../../helpers';
import { identityStack } from '../../../identity/fixtures';
import { findings, identityJson, run, tamper, withVariable } from './tamper';

const APP = 'okta_app_oauth.Shared_Okta_AccessIdpApp';

/** A copy of the JSON with these okta provider blocks. */
function withProviders(json: JsonObject, ...blocks: JsonObject[]): JsonObject {
  const copy = JSON.parse(JSON.stringify(json)) as JsonObject;
  copy.provider = { okta: blocks };
  return copy;
}

describe('MCP-ID-9 and MCP-ID-9W: the groups claim and how the okta provider authenticates', () => {
  let json: JsonObject;
  beforeAll(() => {
    json = identityJson(['acme']);
  });

  test('only the app with a groups claim is judged', () => {
    expect(run(MCP_ID_9, json).map((r) => [r.address.replace(/_[0-9A-F]{8}$/, ''), r.status])).toEqual([
      [APP, 'compliant'],
    ]);
  });

  test('an API token declared from a sensitive variable passes both', () => {
    const { stack } = identityStack(['acme']);
    const token = new TerraformVariable(stack, 'okta_api_token', { type: 'string', sensitive: true });
    new OktaProvider(stack, 'okta', { apiToken: token.stringValue, orgName: 'example', baseUrl: 'okta.com' });
    const declared = rawJson(stack);
    expect(findings(MCP_ID_9, declared)).toEqual([]);
    expect(findings(MCP_ID_9W, declared)).toEqual([]);
    expect(run(MCP_ID_9W, declared).map((r) => r.status)).toEqual(['compliant']);
  });

  test.each([
    [
      { private_key: '${var.okta_private_key}', client_id: '0oa1service', scopes: ['okta.apps.manage'] },
      'private_key, client_id, scopes',
    ],
    [{ access_token: '${var.okta_access_token}' }, 'access_token'],
    [{ private_key_id: 'kid1' }, 'private_key_id'],
  ])('MCP-ID-9 refuses OAuth 2.0 provider credentials %p', (block, attributes) => {
    const oauth = withProviders(json, { org_name: 'example', ...block });
    expect(findings(MCP_ID_9, oauth)).toEqual([
      `non-compliant ${APP}: provider okta sets ${attributes}: it authenticates with OAuth 2.0 and skips groups_claim`,
    ]);
    expect(run(MCP_ID_9W, oauth)).toEqual([]);
  });

  test('MCP-ID-9 follows the provider meta-argument to an aliased block', () => {
    const aliased = tamper(
      withProviders(json, {}, { alias: 'service', private_key: '${var.k}' }),
      'okta_app_oauth',
      'AccessIdpApp',
      (b) => {
        b.provider = 'okta.service';
      },
    );
    expect(findings(MCP_ID_9, aliased)).toEqual([
      `non-compliant ${APP}: provider okta.service sets private_key: it authenticates with OAuth 2.0 and skips groups_claim`,
    ]);
    const missing = tamper(json, 'okta_app_oauth', 'AccessIdpApp', (b) => {
      b.provider = 'okta.gone';
    });
    expect(findings(MCP_ID_9, missing)).toEqual([
      `undecided ${APP}: its provider okta.gone is not declared in this stack`,
    ]);
  });

  test('MCP-ID-9W leaves an app whose provider block is not declared to MCP-ID-9', () => {
    const missing = tamper(json, 'okta_app_oauth', 'AccessIdpApp', (b) => {
      b.provider = 'okta.gone';
    });
    expect(run(MCP_ID_9W, missing)).toEqual([]);
  });

  test('empty values (a variable defaulting to "") declare nothing', () => {
    const empty = withVariable(withProviders(json, { private_key: '${var.k}', scopes: [] }), 'k', '');
    expect(findings(MCP_ID_9, empty)).toEqual([]);
    expect(findings(MCP_ID_9W, empty)).toEqual([
      `non-compliant ${APP}: provider okta declares no credentials: at apply, OKTA_API_TOKEN keeps groups_claim, while any of OKTA_ACCESS_TOKEN, OKTA_API_PRIVATE_KEY, OKTA_API_PRIVATE_KEY_ID, OKTA_API_CLIENT_ID, OKTA_API_SCOPES drops it`,
    ]);
  });

  test('MCP-ID-9W warns when the provider declares no credentials (they come from the environment at apply)', () => {
    expect(MCP_ID_9W.level).toBe('warning');
    for (const undeclared of [json, withProviders(json, { org_name: 'example', backoff: true })]) {
      expect(findings(MCP_ID_9, undeclared)).toEqual([]);
      expect(findings(MCP_ID_9W, undeclared)).toEqual([
        `non-compliant ${APP}: provider okta declares no credentials: at apply, OKTA_API_TOKEN keeps groups_claim, while any of OKTA_ACCESS_TOKEN, OKTA_API_PRIVATE_KEY, OKTA_API_PRIVATE_KEY_ID, OKTA_API_CLIENT_ID, OKTA_API_SCOPES drops it`,
      ]);
    }
  });

  test('apps without a groups claim are not judged', () => {
    const none = tamper(withProviders(json, { private_key: '${var.k}' }), 'okta_app_oauth', 'AccessIdpApp', (b) => {
      delete b.groups_claim;
    });
    expect(run(MCP_ID_9, none)).toEqual([]);
    expect(run(MCP_ID_9W, none)).toEqual([]);
    expect(run(MCP_ID_9, rawJson(newStack()))).toEqual([]);
  });
});
