import { MCP_ID_5 } from '../../../../lib/checks/rules/identity/mcp-id-5';
import type { JsonObject } from '../../../../lib/model/stack';
import { newStack, rawJson } from '../../../helpers';
import { findings, identityJson, run, serviceIdentityJson, tamper, withVariable } from './tamper';

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
    ['5', []],
    [4, ["access_token_lifetime_minutes is 4 (at least 5, Okta's shortest)"]],
    [0, ["access_token_lifetime_minutes is 0 (at least 5, Okta's shortest)"]],
    [-15, ["access_token_lifetime_minutes is -15 (at least 5, Okta's shortest)"]],
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

  test('undecided: a grant and a scope computed at apply beside literal ones', () => {
    const computed = tamper(json, 'okta_auth_server_policy_rule', 'UseRule', (b) => {
      b.grant_type_whitelist = ['authorization_code', '${okta_app_oauth.Shared_Okta_McpClient_72D0B1A9.client_id}'];
      b.scope_whitelist = ['mcp:use', 'mcp:${okta_app_oauth.Shared_Okta_McpClient_72D0B1A9.client_id}'];
    });
    expect(findings(MCP_ID_5, computed)).toEqual([
      "undecided okta_auth_server_policy_rule.acme_Identity_UseRule: grant_type_whitelist[1] is okta_app_oauth.Shared_Okta_McpClient_72D0B1A9.client_id, computed at apply; scope_whitelist[1] 'mcp:${okta_app_oauth.Shared_Okta_McpClient_72D0B1A9.client_id}' is computed at apply",
    ]);
  });

  test("non-compliant: an empty scope list, and every scope written as ' * '", () => {
    const empty = tamper(json, 'okta_auth_server_policy_rule', 'UseRule', (b) => {
      b.scope_whitelist = [];
    });
    const padded = tamper(empty, 'okta_auth_server_policy_rule', 'AdminRule', (b) => {
      b.scope_whitelist = [' * '];
    });
    expect(findings(MCP_ID_5, padded)).toEqual([
      'non-compliant okta_auth_server_policy_rule.acme_Identity_UseRule: scope_whitelist is not set',
      "non-compliant okta_auth_server_policy_rule.acme_Identity_AdminRule: scope_whitelist allows every scope ('*')",
    ]);
  });

  test('undecided: a grant list from a variable without a default is not reported unset', () => {
    const unknown = tamper(withVariable(json, 'grants'), 'okta_auth_server_policy_rule', 'UseRule', (b) => {
      b.grant_type_whitelist = '${var.grants}';
    });
    expect(findings(MCP_ID_5, unknown)).toEqual([
      "undecided okta_auth_server_policy_rule.acme_Identity_UseRule: grant_type_whitelist: variable 'grants' has no default: its value comes at plan time",
    ]);
  });

  test('not applicable: a stack without auth server policy rules', () => {
    expect(run(MCP_ID_5, rawJson(newStack()))).toEqual([]);
  });

  describe('service accounts', () => {
    let service: JsonObject;
    beforeAll(() => {
      service = serviceIdentityJson();
    });

    test("compliant: client_credentials alone in each service account's own policy", () => {
      const results = run(MCP_ID_5, service);
      expect(results).toHaveLength(4 + 3);
      expect(results.filter((r) => r.status !== 'compliant')).toEqual([]);
    });

    test('non-compliant: a user grant in a service policy, client_credentials in a human one', () => {
      const user = tamper(service, 'okta_auth_server_policy_rule', 'acme_Identity_Service-deploy-bot_Rule', (b) => {
        b.grant_type_whitelist = ['client_credentials', 'authorization_code'];
      });
      expect(findings(MCP_ID_5, user)).toEqual([
        'non-compliant okta_auth_server_policy_rule.acme_Identity_Service-deploy-bot_Rule: grant_type_whitelist allows authorization_code',
      ]);
      const human = tamper(service, 'okta_auth_server_policy_rule', 'globex_Identity_AdminRule', (b) => {
        b.grant_type_whitelist = ['client_credentials'];
      });
      expect(findings(MCP_ID_5, human)).toEqual([
        'non-compliant okta_auth_server_policy_rule.globex_Identity_AdminRule: grant_type_whitelist allows client_credentials',
      ]);
    });

    test('undecided: client_credentials in a rule whose policy cannot be read', () => {
      const unknown = tamper(
        withVariable(service, 'policy'),
        'okta_auth_server_policy_rule',
        'acme_Identity_Service-deploy-bot_Rule',
        (b) => {
          b.policy_id = '${var.policy}';
        },
      );
      expect(findings(MCP_ID_5, unknown)).toEqual([
        'undecided okta_auth_server_policy_rule.acme_Identity_Service-deploy-bot_Rule: grant_type_whitelist allows client_credentials, and its policy cannot be shown to name exactly one service app (policy_id is not an okta_auth_server_policy of this app)',
      ]);
    });

    test('undecided: client_credentials in a policy whose client_whitelist names no app of this app (a data source, a foreign client id, an auth server, a template, a variable without a default)', () => {
      const lookup = withVariable(service, 'client');
      lookup.data = { okta_app_oauth: { lookup: { label: 'deploy-bot' } } };
      const unknown = tamper(lookup, 'okta_auth_server_policy', 'acme_Identity_Service-deploy-bot_Policy', (b) => {
        b.client_whitelist = [
          '${data.okta_app_oauth.lookup.client_id}',
          '0oa-elsewhere',
          '${okta_auth_server.acme_Identity_AuthServer_CE84E4E3.id}',
          'app-${okta_app_oauth.acme_Identity_Service-deploy-bot_App_D88DA65D.client_id}',
          '${var.client}',
        ];
      });
      expect(findings(MCP_ID_5, unknown)).toEqual([
        "undecided okta_auth_server_policy_rule.acme_Identity_Service-deploy-bot_Rule: grant_type_whitelist allows client_credentials, and its policy cannot be shown to name exactly one service app (client_whitelist: variable 'client' has no default: its value comes at plan time; '0oa-elsewhere' is not the client id of an okta_app_oauth of this app; data.okta_app_oauth.lookup.client_id is not an okta_app_oauth; okta_auth_server.acme_Identity_AuthServer_CE84E4E3.id is not an okta_app_oauth; 'app-${okta_app_oauth.acme_Identity_Service-deploy-bot_App_D88DA65D.client_id}' is not an app of this app)",
      ]);
    });

    test('non-compliant: client_credentials beside another grant, or another grant alone, in a rule whose policy cannot be read', () => {
      const beside = tamper(
        withVariable(service, 'policy'),
        'okta_auth_server_policy_rule',
        'acme_Identity_Service-deploy-bot_Rule',
        (b) => {
          b.policy_id = '${var.policy}';
          b.grant_type_whitelist = ['client_credentials', 'implicit'];
        },
      );
      const alone = tamper(beside, 'okta_auth_server_policy_rule', 'acme_Identity_Service-ops_Rule', (b) => {
        b.policy_id = '${var.policy}';
        b.grant_type_whitelist = ['implicit'];
      });
      expect(findings(MCP_ID_5, alone)).toEqual([
        'non-compliant okta_auth_server_policy_rule.acme_Identity_Service-deploy-bot_Rule: grant_type_whitelist allows client_credentials, implicit',
        'non-compliant okta_auth_server_policy_rule.acme_Identity_Service-ops_Rule: grant_type_whitelist allows implicit',
      ]);
    });

    test("compliant: a service policy naming its service app by the app's literal client_id", () => {
      const literal = tamper(
        tamper(service, 'okta_app_oauth', 'acme_Identity_Service-deploy-bot_App', (b) => {
          b.client_id = '0oa-deploy-bot';
        }),
        'okta_auth_server_policy',
        'acme_Identity_Service-deploy-bot_Policy',
        (b) => {
          b.client_whitelist = ['0oa-deploy-bot'];
        },
      );
      expect(findings(MCP_ID_5, literal)).toEqual([]);
    });

    test('non-compliant: client_credentials in a policy naming its service app and the shared MCP client', () => {
      const shared = tamper(service, 'okta_auth_server_policy', 'acme_Identity_Service-deploy-bot_Policy', (b) => {
        b.client_whitelist = [
          '${okta_app_oauth.acme_Identity_Service-deploy-bot_App_D88DA65D.client_id}',
          '${okta_app_oauth.Shared_Okta_McpClient_72D0B1A9.client_id}',
        ];
      });
      expect(findings(MCP_ID_5, shared)).toEqual([
        'non-compliant okta_auth_server_policy_rule.acme_Identity_Service-deploy-bot_Rule: grant_type_whitelist allows client_credentials',
      ]);
    });
  });
});
