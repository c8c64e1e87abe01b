import { AppOauth } from '@cdktf/provider-okta/lib/app-oauth';
import { MCP_ID_7 } from '../../../../lib/checks/rules/identity/mcp-id-7';
import type { JsonObject } from '../../../../lib/model/stack';
import { newStack, rawJson } from '../../../helpers';
import { identityFleet, identityStack } from '../../../identity/fixtures';
import { appFindings, findings, identityJson, run, runApp, serviceIdentityJson, tamper, withVariable } from './tamper';

const strip = (address: string): string => address.replace(/_[0-9A-F]{8}$/, '');

describe('MCP-ID-7', () => {
  let json: JsonObject;
  beforeAll(() => {
    json = identityJson(['acme']);
  });

  test('compliant: both tenant policies, both clients, their own sign-on policies and rules', () => {
    expect(run(MCP_ID_7, json).map((r) => [strip(r.address), r.status])).toEqual([
      ['okta_auth_server_policy.acme_Identity_ClientPolicy', 'compliant'],
      ['okta_auth_server_policy.acme_Identity_AdminPolicy', 'compliant'],
      ['okta_app_oauth.Shared_Okta_McpClient', 'compliant'],
      ['okta_app_oauth.Shared_Okta_AdminClient', 'compliant'],
      ['okta_app_signon_policy.Shared_Okta_McpSignonPolicy', 'compliant'],
      ['okta_app_signon_policy_rule.Shared_Okta_McpSignonRule', 'compliant'],
      ['okta_app_signon_policy.Shared_Okta_AdminSignonPolicy', 'compliant'],
      ['okta_app_signon_policy_rule.Shared_Okta_AdminSignonRule', 'compliant'],
    ]);
  });

  test("non-compliant: the MCP client falls back to the org's default authentication policy", () => {
    const bad = tamper(json, 'okta_app_oauth', 'McpClient', (b) => {
      delete b.authentication_policy;
    });
    expect(findings(MCP_ID_7, bad)).toEqual([
      "non-compliant okta_app_oauth.Shared_Okta_McpClient: authentication_policy is not set: the app signs in with the Okta org's default authentication policy, yet it may obtain mcp:acme:use",
    ]);
  });

  test.each([
    ['1FA', 'factor_mode is 1FA (must be 2FA: one factor would do)'],
    ['', 'factor_mode is  (must be 2FA: one factor would do)'],
  ])('non-compliant: factor_mode %p', (mode, problem) => {
    const bad = tamper(json, 'okta_app_signon_policy_rule', 'McpSignonRule', (b) => {
      b.factor_mode = mode;
    });
    expect(findings(MCP_ID_7, bad)).toEqual([
      `non-compliant okta_app_signon_policy_rule.Shared_Okta_McpSignonRule: ${problem}`,
    ]);
  });

  test("compliant: factor_mode and type left to the provider's defaults (2FA, ASSURANCE)", () => {
    const defaults = tamper(json, 'okta_app_signon_policy_rule', 'McpSignonRule', (b) => {
      delete b.factor_mode;
      delete b.type;
    });
    expect(findings(MCP_ID_7, defaults)).toEqual([]);
  });

  test('non-compliant: a chain rule, a catch-all that admits, a second one-factor rule', () => {
    const chain = tamper(json, 'okta_app_signon_policy_rule', 'McpSignonRule', (b) => {
      b.type = 'AUTH_METHOD_CHAIN';
    });
    expect(findings(MCP_ID_7, chain)).toEqual([
      'non-compliant okta_app_signon_policy_rule.Shared_Okta_McpSignonRule: type is AUTH_METHOD_CHAIN (must be ASSURANCE, whose factor_mode the rule can judge)',
    ]);
    const catchAll = tamper(json, 'okta_app_signon_policy', 'McpSignonPolicy', (b) => {
      delete b.catch_all;
    });
    expect(findings(MCP_ID_7, catchAll)).toEqual([
      'non-compliant okta_app_signon_policy.Shared_Okta_McpSignonPolicy: catch_all is not set (defaults to true): the catch-all rule admits whoever no rule matches',
    ]);
    const second = JSON.parse(JSON.stringify(json)) as JsonObject;
    const rules = (second.resource as Record<string, Record<string, JsonObject>>).okta_app_signon_policy_rule;
    const policy = Object.keys(
      (second.resource as Record<string, Record<string, JsonObject>>).okta_app_signon_policy,
    ).find((n) => n.includes('McpSignonPolicy'));
    rules.Extra = {
      name: 'password only',
      policy_id: `\${okta_app_signon_policy.${policy}.id}`,
      factor_mode: '1FA',
      priority: 0,
    };
    expect(findings(MCP_ID_7, second)).toEqual([
      'non-compliant okta_app_signon_policy_rule.Extra: factor_mode is 1FA (must be 2FA: one factor would do)',
    ]);
  });

  test('non-compliant: a new app given a tenant scope without a sign-on policy of its own', () => {
    const { stack } = identityStack(['acme']);
    const extra = new AppOauth(stack, 'Extra', {
      label: 'extra',
      type: 'native',
      grantTypes: ['authorization_code'],
      redirectUris: ['http://127.0.0.1:9000/cb'],
    });
    const base = rawJson(stack);
    const bad = tamper(base, 'okta_auth_server_policy', 'ClientPolicy', (b) => {
      b.client_whitelist = [
        ...(b.client_whitelist as string[]),
        `\${okta_app_oauth.${extra.friendlyUniqueId}.client_id}`,
      ];
    });
    expect(findings(MCP_ID_7, bad)).toEqual([
      "non-compliant okta_app_oauth.Extra: authentication_policy is not set: the app signs in with the Okta org's default authentication policy, yet it may obtain mcp:acme:use",
    ]);
  });

  test('non-compliant: ALL_CLIENTS', () => {
    const bad = tamper(json, 'okta_auth_server_policy', 'ClientPolicy', (b) => {
      b.client_whitelist = ['ALL_CLIENTS'];
    });
    expect(findings(MCP_ID_7, bad)).toEqual([
      'non-compliant okta_auth_server_policy.acme_Identity_ClientPolicy: client_whitelist is ALL_CLIENTS: every app of the Okta org may obtain mcp:acme:use, including apps no stack declares',
    ]);
  });

  test('a variable with a literal default is judged by its default', () => {
    const bad = tamper(withVariable(json, 'mode', '1FA'), 'okta_app_signon_policy_rule', 'McpSignonRule', (b) => {
      b.factor_mode = '${var.mode}';
    });
    expect(findings(MCP_ID_7, bad)).toEqual([
      'non-compliant okta_app_signon_policy_rule.Shared_Okta_McpSignonRule: factor_mode is 1FA (must be 2FA: one factor would do)',
    ]);
  });

  test('undecided, now an error: a policy id no stack declares, a factor mode from a variable, a stray rule', () => {
    const literal = tamper(json, 'okta_app_oauth', 'McpClient', (b) => {
      b.authentication_policy = 'rst1elsewhere';
    });
    expect(findings(MCP_ID_7, literal)).toEqual([
      'undecided okta_app_oauth.Shared_Okta_McpClient: authentication_policy "rst1elsewhere" is not an okta_app_signon_policy of this app',
    ]);
    const mode = tamper(withVariable(json, 'mode'), 'okta_app_signon_policy_rule', 'McpSignonRule', (b) => {
      b.factor_mode = '${var.mode}';
    });
    expect(findings(MCP_ID_7, mode)).toEqual([
      "undecided okta_app_signon_policy_rule.Shared_Okta_McpSignonRule: factor_mode: variable 'mode' has no default: its value comes at plan time",
    ]);
    const stray = JSON.parse(JSON.stringify(json)) as JsonObject;
    (stray.resource as Record<string, Record<string, JsonObject>>).okta_app_signon_policy_rule.Stray = {
      name: 'anyone',
      policy_id: 'rst1elsewhere',
      factor_mode: '1FA',
    };
    expect(findings(MCP_ID_7, stray)).toEqual([
      'undecided okta_app_signon_policy_rule.Stray: policy_id: "rst1elsewhere" is not an okta_app_signon_policy of this app',
    ]);
  });

  describe('a fleet', () => {
    let fleet: Record<string, JsonObject>;
    beforeAll(() => {
      fleet = identityFleet(['acme', 'globex']);
    });

    test("compliant: the cells' policies, judged with the foundation's clients", () => {
      const results = runApp(MCP_ID_7, fleet);
      expect(results).toHaveLength(10);
      expect(results.filter((r) => r.evaluation.status !== 'compliant')).toEqual([]);
      expect(
        results
          .filter((r) => r.stack === 'cells')
          .map((r) => strip(r.evaluation.address))
          .sort(),
      ).toEqual([
        'okta_auth_server_policy.acme_Identity_AdminPolicy',
        'okta_auth_server_policy.acme_Identity_ClientPolicy',
        'okta_auth_server_policy.globex_Identity_AdminPolicy',
        'okta_auth_server_policy.globex_Identity_ClientPolicy',
      ]);
    });

    test("non-compliant: the foundation's MCP client loses its policy, found by following the cells' references", () => {
      const foundation = tamper(fleet.foundation, 'okta_app_oauth', 'McpClient', (b) => {
        delete b.authentication_policy;
      });
      expect(appFindings(MCP_ID_7, { ...fleet, foundation })).toEqual([
        "[foundation] non-compliant okta_app_oauth.Shared_Okta_McpClient: authentication_policy is not set: the app signs in with the Okta org's default authentication policy, yet it may obtain mcp:acme:use, mcp:globex:use",
      ]);
    });
  });

  test('not applicable: a stack without tenant scopes', () => {
    expect(run(MCP_ID_7, rawJson(newStack()))).toEqual([]);
  });
});

describe('MCP-ID-7 and service accounts', () => {
  test('a service app (no user, no sign-on) is left out: no evaluation of it, no finding', () => {
    const service = serviceIdentityJson();
    const results = run(MCP_ID_7, service);
    expect(results.length).toBeGreaterThan(0);
    expect(results.filter((r) => r.status !== 'compliant')).toEqual([]);
    expect(results.filter((r) => r.address.startsWith('okta_app_oauth.') && r.address.includes('Service-'))).toEqual(
      [],
    );
  });

  test('an app of another type with the same scopes is still judged (only type service is left out)', () => {
    const web = tamper(serviceIdentityJson(), 'okta_app_oauth', 'acme_Identity_Service-ops_App', (b) => {
      b.type = 'web';
    });
    expect(findings(MCP_ID_7, web)).toEqual([
      expect.stringMatching(
        /^non-compliant okta_app_oauth\.acme_Identity_Service-ops_App: authentication_policy is not set: /,
      ),
    ]);
  });
});
