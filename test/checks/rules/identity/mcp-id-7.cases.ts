import { AppOauth } from '@cdktf/provider-okta/lib/app-oauth';
import { MCP_ID_7 } from '../../../../lib/checks/rules/identity/mcp-id-7';
import type { JsonObject } from '../../../../lib/model/stack';
import { clone, newStack, rawJson } from '../../../helpers';
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

describe('MCP-ID-7 readings of grants, whitelists and policies', () => {
  const MCP_CLIENT = 'okta_app_oauth.Shared_Okta_McpClient_72D0B1A9';
  let json: JsonObject;
  beforeAll(() => {
    json = identityJson(['acme']);
  });
  const useRule = (base: JsonObject, edit: (b: JsonObject) => void): JsonObject =>
    tamper(base, 'okta_auth_server_policy_rule', 'UseRule', edit);

  test('undecided: a scope_whitelist from a variable without default, a template and a reference', () => {
    const bad = useRule(withVariable(json, 'scopes'), (b) => {
      b.scope_whitelist = ['${var.scopes}', `mcp:\${${MCP_CLIENT}.id}:use`, `\${${MCP_CLIENT}.id}`];
    });
    expect(findings(MCP_ID_7, bad)).toEqual([
      `undecided okta_auth_server_policy_rule.acme_Identity_UseRule: scope_whitelist: variable 'scopes' has no default: its value comes at plan time; 'mcp:\${${MCP_CLIENT}.id}:use'; a reference to ${MCP_CLIENT}.id`,
    ]);
  });

  test('non-compliant or undecided: a policy rule whose policy_id is unset, from a variable, a literal, another type', () => {
    const absent = useRule(json, (b) => {
      delete b.policy_id;
    });
    const variable = useRule(withVariable(json, 'policy'), (b) => {
      b.policy_id = '${var.policy}';
    });
    const literal = useRule(json, (b) => {
      b.policy_id = 'aus1elsewhere';
    });
    const other = useRule(json, (b) => {
      b.policy_id = `\${${MCP_CLIENT}.id}`;
    });
    expect(findings(MCP_ID_7, absent)).toEqual([
      'non-compliant okta_auth_server_policy_rule.acme_Identity_UseRule: policy_id is not set',
    ]);
    expect(findings(MCP_ID_7, variable)).toEqual([
      "undecided okta_auth_server_policy_rule.acme_Identity_UseRule: policy_id: variable 'policy' has no default: its value comes at plan time",
    ]);
    expect(findings(MCP_ID_7, literal)).toEqual([
      'undecided okta_auth_server_policy_rule.acme_Identity_UseRule: policy_id "aus1elsewhere" is not an okta_auth_server_policy of this app',
    ]);
    expect(findings(MCP_ID_7, other)).toEqual([
      `undecided okta_auth_server_policy_rule.acme_Identity_UseRule: policy_id a reference to ${MCP_CLIENT}.id is not an okta_auth_server_policy of this app`,
    ]);
  });

  test('undecided: stray sign-on rules whose policy_id is unset, from a variable, another type', () => {
    const withStray = (policyId: string | undefined): JsonObject => {
      const copy = withVariable(json, 'policy');
      const rule: JsonObject = { name: 'anyone', factor_mode: '1FA' };
      if (policyId !== undefined) rule.policy_id = policyId;
      (copy.resource as Record<string, Record<string, JsonObject>>).okta_app_signon_policy_rule.Stray = rule;
      return copy;
    };
    expect(findings(MCP_ID_7, withStray(undefined))).toEqual([
      'undecided okta_app_signon_policy_rule.Stray: policy_id: it is not set',
    ]);
    expect(findings(MCP_ID_7, withStray('${var.policy}'))).toEqual([
      "undecided okta_app_signon_policy_rule.Stray: policy_id: variable 'policy' has no default: its value comes at plan time",
    ]);
    expect(findings(MCP_ID_7, withStray(`\${${MCP_CLIENT}.id}`))).toEqual([
      `undecided okta_app_signon_policy_rule.Stray: policy_id: a reference to ${MCP_CLIENT}.id is not an okta_app_signon_policy`,
    ]);
  });

  test('non-compliant or undecided: a client_whitelist unset, empty, a template, another type, a variable, an unknown id', () => {
    const whitelist = (clients: unknown): JsonObject =>
      tamper(withVariable(json, 'client'), 'okta_auth_server_policy', 'ClientPolicy', (b) => {
        if (clients === undefined) delete b.client_whitelist;
        else b.client_whitelist = clients;
      });
    const POLICY = 'okta_auth_server_policy.acme_Identity_ClientPolicy';
    expect(findings(MCP_ID_7, whitelist(undefined))).toEqual([`non-compliant ${POLICY}: client_whitelist is not set`]);
    expect(findings(MCP_ID_7, whitelist([]))).toEqual([`non-compliant ${POLICY}: client_whitelist is not set`]);
    expect(findings(MCP_ID_7, whitelist([`app-\${${MCP_CLIENT}.client_id}`]))).toEqual([
      `undecided ${POLICY}: client_whitelist[0] 'app-\${${MCP_CLIENT}.client_id}' is not an app of this app`,
    ]);
    expect(
      findings(MCP_ID_7, whitelist(['${okta_app_signon_policy.Shared_Okta_McpSignonPolicy_773CCECF.id}'])),
    ).toEqual([
      `undecided ${POLICY}: client_whitelist[0] is okta_app_signon_policy.Shared_Okta_McpSignonPolicy_773CCECF.id, not an okta_app_oauth`,
    ]);
    expect(findings(MCP_ID_7, whitelist('${var.client}'))).toEqual([
      `undecided ${POLICY}: client_whitelist: variable 'client' has no default: its value comes at plan time`,
    ]);
    expect(findings(MCP_ID_7, whitelist(['0oa1unknown']))).toEqual([
      `undecided ${POLICY}: client_whitelist entry '0oa1unknown' is not the client id of an okta_app_oauth of this app`,
    ]);
  });

  test('undecided: an authentication_policy from a variable without default', () => {
    const bad = tamper(withVariable(json, 'policy'), 'okta_app_oauth', 'McpClient', (b) => {
      b.authentication_policy = '${var.policy}';
    });
    expect(findings(MCP_ID_7, bad)).toEqual([
      "undecided okta_app_oauth.Shared_Okta_McpClient: authentication_policy: variable 'policy' has no default: its value comes at plan time",
    ]);
  });

  test('non-compliant: an app reached by four tenant scopes names the first two, sorted, and the count of the rest', () => {
    const bad = useRule(
      tamper(json, 'okta_app_oauth', 'McpClient', (b) => {
        delete b.authentication_policy;
      }),
      (b) => {
        b.scope_whitelist = ['mcp:hooli:use', ' mcp:initech:use ', 'mcp:globex:use', 'offline_access', 'mcp:acme:use'];
      },
    );
    expect(findings(MCP_ID_7, bad)).toEqual([
      "non-compliant okta_app_oauth.Shared_Okta_McpClient: authentication_policy is not set: the app signs in with the Okta org's default authentication policy, yet it may obtain mcp:acme:use, mcp:globex:use and 2 more",
    ]);
  });
  test('non-compliant: a client_whitelist entry that is the literal client id of an app of this app is followed to it', () => {
    const literal = tamper(
      tamper(json, 'okta_app_oauth', 'McpClient', (b) => {
        b.client_id = '0oa1mcp';
        delete b.authentication_policy;
      }),
      'okta_auth_server_policy',
      'ClientPolicy',
      (b) => {
        b.client_whitelist = ['0oa1mcp'];
      },
    );
    expect(findings(MCP_ID_7, literal)).toEqual([
      "non-compliant okta_app_oauth.Shared_Okta_McpClient: authentication_policy is not set: the app signs in with the Okta org's default authentication policy, yet it may obtain mcp:acme:use",
    ]);
  });

  test('undecided, never unset: a client_whitelist of one unreadable entry beside one template, reference or id', () => {
    const whitelist = (clients: string[]): JsonObject =>
      tamper(withVariable(json, 'client'), 'okta_auth_server_policy', 'ClientPolicy', (b) => {
        b.client_whitelist = clients;
      });
    const POLICY = 'okta_auth_server_policy.acme_Identity_ClientPolicy';
    const template = `app-\${${MCP_CLIENT}.client_id}`;
    expect(findings(MCP_ID_7, whitelist([template, '${var.client}']))).toEqual([
      `undecided ${POLICY}: client_whitelist: variable 'client' has no default: its value comes at plan time; client_whitelist[0] '${template}' is not an app of this app`,
    ]);
    expect(findings(MCP_ID_7, whitelist([`\${${MCP_CLIENT}.client_id}`, template]))).toEqual([
      `undecided ${POLICY}: client_whitelist[1] '${template}' is not an app of this app`,
    ]);
    expect(findings(MCP_ID_7, whitelist([`\${${MCP_CLIENT}.client_id}`, '0oa1unknown']))).toEqual([
      `undecided ${POLICY}: client_whitelist entry '0oa1unknown' is not the client id of an okta_app_oauth of this app`,
    ]);
  });

  test('undecided: an authentication_policy that references another type', () => {
    const bad = tamper(json, 'okta_app_oauth', 'McpClient', (b) => {
      b.authentication_policy = `\${${MCP_CLIENT}.id}`;
    });
    expect(findings(MCP_ID_7, bad)).toEqual([
      `undecided okta_app_oauth.Shared_Okta_McpClient: authentication_policy a reference to ${MCP_CLIENT}.id is not an okta_app_signon_policy of this app`,
    ]);
  });

  test('non-compliant: ALL_CLIENTS names the scopes of the policy sorted', () => {
    const bad = tamper(
      tamper(json, 'okta_auth_server_policy_rule', 'AdminRule', (b) => {
        b.scope_whitelist = ['mcp:acme:use', 'mcp:acme:admin'];
      }),
      'okta_auth_server_policy',
      'AdminPolicy',
      (b) => {
        b.client_whitelist = ['ALL_CLIENTS'];
      },
    );
    expect(findings(MCP_ID_7, bad)).toEqual([
      'non-compliant okta_auth_server_policy.acme_Identity_AdminPolicy: client_whitelist is ALL_CLIENTS: every app of the Okta org may obtain mcp:acme:admin, mcp:acme:use, including apps no stack declares',
    ]);
  });

  test('compliant: a policy whose rule grants no tenant scope is not judged, even with ALL_CLIENTS', () => {
    const bad = tamper(
      useRule(json, (b) => {
        b.scope_whitelist = ['offline_access'];
      }),
      'okta_auth_server_policy',
      'ClientPolicy',
      (b) => {
        b.client_whitelist = ['ALL_CLIENTS'];
      },
    );
    expect(findings(MCP_ID_7, bad)).toEqual([]);
  });

  test('non-compliant or undecided: a sign-on rule whose factor_mode or type is not a string, or whose type no stack decides', () => {
    const RULE = 'okta_app_signon_policy_rule.Shared_Okta_McpSignonRule';
    const signonRule = (base: JsonObject, edit: (b: JsonObject) => void): JsonObject =>
      tamper(base, 'okta_app_signon_policy_rule', 'McpSignonRule', edit);
    expect(
      findings(
        MCP_ID_7,
        signonRule(json, (b) => {
          b.factor_mode = 7;
          b.type = 7;
        }),
      ),
    ).toEqual([
      `non-compliant ${RULE}: factor_mode is not a string (must be 2FA: one factor would do); type is not a string (must be ASSURANCE, whose factor_mode the rule can judge)`,
    ]);
    expect(
      findings(
        MCP_ID_7,
        signonRule(withVariable(json, 'type'), (b) => {
          b.type = '${var.type}';
        }),
      ),
    ).toEqual([`undecided ${RULE}: type: variable 'type' has no default: its value comes at plan time`]);
  });

  test('compliant: an INACTIVE one-factor rule admits nobody', () => {
    const inactive = tamper(json, 'okta_app_signon_policy_rule', 'McpSignonRule', (b) => {
      b.status = 'INACTIVE';
      b.factor_mode = '1FA';
    });
    expect(findings(MCP_ID_7, inactive)).toEqual([]);
  });

  test('non-compliant: a sign-on policy without rules', () => {
    const bare = clone(json);
    const rules = (bare.resource as Record<string, Record<string, JsonObject>>).okta_app_signon_policy_rule;
    delete rules[Object.keys(rules).find((n) => n.includes('McpSignonRule')) as string];
    expect(findings(MCP_ID_7, bare)).toEqual([
      'non-compliant okta_app_signon_policy.Shared_Okta_McpSignonPolicy: the sign-on policy has no rule requiring two factors',
    ]);
  });

  test('not applicable: a stray sign-on rule in an app without sign-on policies', () => {
    const alone = rawJson(newStack());
    alone.resource = { okta_app_signon_policy_rule: { Stray: { name: 'anyone', policy_id: 'rst1elsewhere' } } };
    expect(run(MCP_ID_7, alone)).toEqual([]);
  });
});
