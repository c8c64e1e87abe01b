import { MCP_ID_6 } from '../../../../lib/checks/rules/identity/mcp-id-6';
import type { JsonObject } from '../../../../lib/model/stack';
import { OktaMcpClients } from '../../../../lib/identity/okta-mcp-clients';
import { OktaMcpIdentity } from '../../../../lib/identity/okta-mcp-identity';
import { clone, newStack, rawJson } from '../../../helpers';
import { clientsProps, DOMAIN, identityFleet } from '../../../identity/fixtures';
import { appFindings, findings, identityJson, nameIn, run, runApp, serviceIdentityJson, tamper } from './tamper';

const STRONG = {
  required: true,
  phishingResistant: 'REQUIRED',
  hardwareProtection: 'REQUIRED',
  userVerification: 'REQUIRED',
};

const strip = (address: string): string => address.replace(/_[0-9A-F]{8}$/, '');

describe('MCP-ID-6', () => {
  let json: JsonObject;
  beforeAll(() => {
    json = identityJson(['acme', 'globex']);
  });

  test('compliant: the admin policies, the admin client, its sign-on policy and its rule, judged once for all tenants', () => {
    const results = run(MCP_ID_6, json);
    expect(results.map((r) => [strip(r.address), r.status])).toEqual([
      ['okta_auth_server_policy.acme_Identity_AdminPolicy', 'compliant'],
      ['okta_auth_server_policy.globex_Identity_AdminPolicy', 'compliant'],
      ['okta_app_oauth.Shared_Okta_AdminClient', 'compliant'],
      ['okta_app_signon_policy.Shared_Okta_AdminSignonPolicy', 'compliant'],
      ['okta_app_signon_policy_rule.Shared_Okta_AdminSignonRule', 'compliant'],
    ]);
  });

  test('non-compliant: a weakened possession constraint and a 2-hour re-authentication (escape-hatch override)', () => {
    const bad = tamper(json, 'okta_app_signon_policy_rule', 'AdminSignonRule', (b) => {
      b.constraints = [
        JSON.stringify({ possession: { ...STRONG, hardwareProtection: 'OPTIONAL', userVerification: undefined } }),
      ];
      b.re_authentication_frequency = 'PT2H';
    });
    expect(findings(MCP_ID_6, bad)).toEqual([
      'non-compliant okta_app_signon_policy_rule.Shared_Okta_AdminSignonRule: constraints[0] possession.hardwareProtection is "OPTIONAL" (must be REQUIRED); constraints[0] possession.userVerification is not set (must be REQUIRED); re_authentication_frequency is PT2H (at most PT15M)',
    ]);
  });

  test.each([
    ['PT15M', []],
    ['PT0S', []],
    ['PT900S', []],
    ['PT14M60S', []],
    ['PT0H15M', []],
    ['PT16M', ['re_authentication_frequency is PT16M (at most PT15M)']],
    ['PT901S', ['re_authentication_frequency is PT901S (at most PT15M)']],
    ['PT15M1S', ['re_authentication_frequency is PT15M1S (at most PT15M)']],
    ['PT900.5S', ['re_authentication_frequency is PT900.5S (at most PT15M)']],
    ['PT1H', ['re_authentication_frequency is PT1H (at most PT15M)']],
    ['P1D', ['re_authentication_frequency is P1D (at most PT15M)']],
    ['15m', ['re_authentication_frequency is 15m (at most PT15M)']],
    ['900s', ['re_authentication_frequency is 900s (at most PT15M)']],
  ])('re-authentication %s', (reauth, problems) => {
    const edited = tamper(json, 'okta_app_signon_policy_rule', 'AdminSignonRule', (b) => {
      b.re_authentication_frequency = reauth;
    });
    expect(findings(MCP_ID_6, edited)).toEqual(
      problems.map((p) => `non-compliant okta_app_signon_policy_rule.Shared_Okta_AdminSignonRule: ${p}`),
    );
  });

  test.each<[string, unknown, string[]]>([
    ['PT15M (the limit)', 'PT15M', []],
    ['PT900S (the limit in seconds)', 'PT900S', []],
    ['PT14M60S', 'PT14M60S', []],
    ['PT0S', 'PT0S', []],
    ['PT16M (one minute past)', 'PT16M', ['constraints[0] possession.reauthenticateIn is "PT16M" (at most PT15M)']],
    ['PT901S (one second past)', 'PT901S', ['constraints[0] possession.reauthenticateIn is "PT901S" (at most PT15M)']],
    ['PT15M1S', 'PT15M1S', ['constraints[0] possession.reauthenticateIn is "PT15M1S" (at most PT15M)']],
    ["'15m' (not ISO 8601)", '15m', ['constraints[0] possession.reauthenticateIn is "15m" (at most PT15M)']],
    ['900 (a number, not a duration)', 900, ['constraints[0] possession.reauthenticateIn is 900 (at most PT15M)']],
    [
      "['PT5M'] (a list, not a string)",
      ['PT5M'],
      ['constraints[0] possession.reauthenticateIn is ["PT5M"] (at most PT15M)'],
    ],
  ])('possession.reauthenticateIn %s', (_name, reauthenticateIn, problems) => {
    const edited = tamper(json, 'okta_app_signon_policy_rule', 'AdminSignonRule', (b) => {
      b.constraints = [JSON.stringify({ possession: { ...STRONG, reauthenticateIn } })];
    });
    expect(findings(MCP_ID_6, edited)).toEqual(
      problems.map((p) => `non-compliant okta_app_signon_policy_rule.Shared_Okta_AdminSignonRule: ${p}`),
    );
  });

  test('non-compliant: a second constraint object that a password alone satisfies', () => {
    const bad = tamper(json, 'okta_app_signon_policy_rule', 'AdminSignonRule', (b) => {
      b.constraints = [...(b.constraints as string[]), JSON.stringify({ knowledge: { types: ['password'] } })];
    });
    expect(findings(MCP_ID_6, bad)).toEqual([
      'non-compliant okta_app_signon_policy_rule.Shared_Okta_AdminSignonRule: constraints[1] has no possession constraint',
    ]);
  });

  test('non-compliant: no constraints, no re-authentication, and a long reauthenticateIn', () => {
    const noConstraints = tamper(json, 'okta_app_signon_policy_rule', 'AdminSignonRule', (b) => {
      delete b.constraints;
      delete b.re_authentication_frequency;
    });
    expect(findings(MCP_ID_6, noConstraints)).toEqual([
      "non-compliant okta_app_signon_policy_rule.Shared_Okta_AdminSignonRule: constraints is not set (any factor would do); re_authentication_frequency is not set (Okta's default is PT2H)",
    ]);
    const longReauth = tamper(json, 'okta_app_signon_policy_rule', 'AdminSignonRule', (b) => {
      b.constraints = [JSON.stringify({ possession: { ...STRONG, reauthenticateIn: 'PT12H' } })];
    });
    expect(findings(MCP_ID_6, longReauth)).toEqual([
      'non-compliant okta_app_signon_policy_rule.Shared_Okta_AdminSignonRule: constraints[0] possession.reauthenticateIn is "PT12H" (at most PT15M)',
    ]);
  });

  test("non-compliant: the policy's catch-all rule admits whoever no rule matches", () => {
    const bad = tamper(json, 'okta_app_signon_policy', 'AdminSignonPolicy', (b) => {
      b.catch_all = true;
    });
    expect(findings(MCP_ID_6, bad)).toEqual([
      'non-compliant okta_app_signon_policy.Shared_Okta_AdminSignonPolicy: catch_all is true: the catch-all rule admits whoever no rule matches',
    ]);
  });

  test('non-compliant: the admin client falls back to the default sign-on policy', () => {
    const bad = tamper(json, 'okta_app_oauth', 'AdminClient', (b) => {
      delete b.authentication_policy;
    });
    expect(findings(MCP_ID_6, bad)).toEqual([
      "non-compliant okta_app_oauth.Shared_Okta_AdminClient: authentication_policy is not set: the app signs in with the Okta org's default authentication policy, yet it may obtain mcp:acme:admin, mcp:globex:admin",
    ]);
  });

  test('non-compliant: the admin scope granted through the MCP client, whose two-factor policy demands no key', () => {
    const bad = tamper(json, 'okta_auth_server_policy_rule', 'acme_Identity_UseRule', (b) => {
      b.scope_whitelist = ['mcp:acme:use', 'mcp:acme:admin'];
    });
    expect(findings(MCP_ID_6, bad)).toEqual([
      "non-compliant okta_app_signon_policy_rule.Shared_Okta_McpSignonRule: constraints is not set (any factor would do); re_authentication_frequency is not set (Okta's default is PT2H)",
    ]);
  });

  test('non-compliant: ALL_CLIENTS on an admin policy admits apps no stack declares', () => {
    const bad = tamper(json, 'okta_auth_server_policy', 'globex_Identity_AdminPolicy', (b) => {
      b.client_whitelist = ['ALL_CLIENTS'];
    });
    expect(findings(MCP_ID_6, bad)).toEqual([
      'non-compliant okta_auth_server_policy.globex_Identity_AdminPolicy: client_whitelist is ALL_CLIENTS: every app of the Okta org may obtain mcp:globex:admin, mcp:globex:use, including apps no stack declares',
    ]);
  });

  test('a rule that denies access, or is inactive, needs no key', () => {
    const deny = tamper(json, 'okta_app_signon_policy_rule', 'AdminSignonRule', (b) => {
      b.access = 'DENY';
      delete b.constraints;
    });
    expect(findings(MCP_ID_6, deny)).toEqual([]);
    const inactive = tamper(json, 'okta_app_signon_policy_rule', 'AdminSignonRule', (b) => {
      b.status = 'INACTIVE';
      delete b.constraints;
    });
    expect(findings(MCP_ID_6, inactive)).toEqual([]);
  });

  test('undecided, now an error: constraints from an expression, a client id no stack declares', () => {
    const constraints = tamper(json, 'okta_app_signon_policy_rule', 'AdminSignonRule', (b) => {
      b.constraints = ['${jsonencode(var.constraints)}'];
    });
    expect(findings(MCP_ID_6, constraints)).toEqual([
      "undecided okta_app_signon_policy_rule.Shared_Okta_AdminSignonRule: constraints[0]: '${jsonencode(var.constraints)}' is an expression the rules cannot evaluate",
    ]);
    const literal = tamper(json, 'okta_auth_server_policy', 'acme_Identity_AdminPolicy', (b) => {
      b.client_whitelist = ['0oa1elsewhere'];
    });
    expect(findings(MCP_ID_6, literal)).toEqual([
      "undecided okta_auth_server_policy.acme_Identity_AdminPolicy: client_whitelist entry '0oa1elsewhere' is not the client id of an okta_app_oauth of this app",
    ]);
  });

  test('non-compliant: admin grants without a policy_id (an admin scope among others, or *); a use-only grant without one is not judged', () => {
    const admin = tamper(json, 'okta_auth_server_policy_rule', 'globex_Identity_AdminRule', (b) => {
      delete b.policy_id;
      b.scope_whitelist = ['*'];
    });
    const mixed = tamper(admin, 'okta_auth_server_policy_rule', 'acme_Identity_AdminRule', (b) => {
      delete b.policy_id;
      b.scope_whitelist = ['mcp:acme:use', 'mcp:acme:admin'];
    });
    const bad = tamper(mixed, 'okta_auth_server_policy_rule', 'acme_Identity_UseRule', (b) => {
      delete b.policy_id;
    });
    expect(findings(MCP_ID_6, bad)).toEqual([
      'non-compliant okta_auth_server_policy_rule.acme_Identity_AdminRule: policy_id is not set',
      'non-compliant okta_auth_server_policy_rule.globex_Identity_AdminRule: policy_id is not set',
    ]);
  });

  test('undecided: a use grant whose scopes come partly from an undeclared variable (it may grant an admin scope)', () => {
    const bad = tamper(json, 'okta_auth_server_policy_rule', 'acme_Identity_UseRule', (b) => {
      b.scope_whitelist = ['mcp:acme:use', '${var.extra_scope}'];
    });
    expect(findings(MCP_ID_6, bad)).toEqual([
      "undecided okta_auth_server_policy_rule.acme_Identity_UseRule: scope_whitelist: '${var.extra_scope}' names a variable this stack does not declare",
    ]);
  });

  test('non-compliant: possession.required is false', () => {
    const bad = tamper(json, 'okta_app_signon_policy_rule', 'AdminSignonRule', (b) => {
      b.constraints = [JSON.stringify({ possession: { ...STRONG, required: false } })];
    });
    expect(findings(MCP_ID_6, bad)).toEqual([
      'non-compliant okta_app_signon_policy_rule.Shared_Okta_AdminSignonRule: constraints[0] possession.required is false',
    ]);
  });

  test('non-compliant: the admin sign-on policy has no rule at all', () => {
    const bad = clone(json);
    const rules = (bad.resource as Record<string, Record<string, unknown>>).okta_app_signon_policy_rule;
    delete rules[nameIn(json, 'okta_app_signon_policy_rule', 'AdminSignonRule')];
    expect(findings(MCP_ID_6, bad)).toEqual([
      'non-compliant okta_app_signon_policy.Shared_Okta_AdminSignonPolicy: the admin sign-on policy has no rule requiring a hardware key',
    ]);
  });

  test('undecided: re_authentication_frequency from a variable without a default', () => {
    const bad = tamper(json, 'okta_app_signon_policy_rule', 'AdminSignonRule', (b) => {
      b.re_authentication_frequency = '${var.reauth}';
    });
    expect(findings(MCP_ID_6, bad)).toEqual([
      "undecided okta_app_signon_policy_rule.Shared_Okta_AdminSignonRule: re_authentication_frequency: '${var.reauth}' names a variable this stack does not declare",
    ]);
  });

  test('non-compliant: re_authentication_frequency is not a string', () => {
    const bad = tamper(json, 'okta_app_signon_policy_rule', 'AdminSignonRule', (b) => {
      b.re_authentication_frequency = 900;
    });
    expect(findings(MCP_ID_6, bad)).toEqual([
      'non-compliant okta_app_signon_policy_rule.Shared_Okta_AdminSignonRule: re_authentication_frequency is not a duration (at most PT15M)',
    ]);
  });

  test('non-compliant: a constraint that is not JSON', () => {
    const bad = tamper(json, 'okta_app_signon_policy_rule', 'AdminSignonRule', (b) => {
      b.constraints = ['{not json'];
    });
    expect(findings(MCP_ID_6, bad)).toEqual([
      'non-compliant okta_app_signon_policy_rule.Shared_Okta_AdminSignonRule: constraints[0] is not JSON',
    ]);
  });

  test('undecided: constraints from a variable without a default', () => {
    const bad = tamper(json, 'okta_app_signon_policy_rule', 'AdminSignonRule', (b) => {
      b.constraints = '${var.constraints}';
    });
    expect(findings(MCP_ID_6, bad)).toEqual([
      "undecided okta_app_signon_policy_rule.Shared_Okta_AdminSignonRule: constraints: '${var.constraints}' names a variable this stack does not declare",
    ]);
  });

  describe('a fleet: cells grant the admin scope, the foundation holds the admin client', () => {
    let fleet: Record<string, JsonObject>;
    beforeAll(() => {
      fleet = identityFleet(['acme', 'globex']);
    });

    test("compliant: each stack reports its own resources, judged with the other stack's facts", () => {
      expect(
        runApp(MCP_ID_6, fleet).map(({ stack, evaluation }) => [stack, strip(evaluation.address), evaluation.status]),
      ).toEqual([
        ['foundation', 'okta_app_oauth.Shared_Okta_AdminClient', 'compliant'],
        ['foundation', 'okta_app_signon_policy.Shared_Okta_AdminSignonPolicy', 'compliant'],
        ['foundation', 'okta_app_signon_policy_rule.Shared_Okta_AdminSignonRule', 'compliant'],
        ['cells', 'okta_auth_server_policy.acme_Identity_AdminPolicy', 'compliant'],
        ['cells', 'okta_auth_server_policy.globex_Identity_AdminPolicy', 'compliant'],
      ]);
    });

    test('non-compliant: a weakened admin rule in the foundation is found through the cells’ references', () => {
      const foundation = tamper(fleet.foundation, 'okta_app_signon_policy_rule', 'AdminSignonRule', (b) => {
        b.constraints = [JSON.stringify({ possession: { ...STRONG, phishingResistant: 'OPTIONAL' } })];
      });
      expect(appFindings(MCP_ID_6, { ...fleet, foundation })).toEqual([
        '[foundation] non-compliant okta_app_signon_policy_rule.Shared_Okta_AdminSignonRule: constraints[0] possession.phishingResistant is "OPTIONAL" (must be REQUIRED)',
      ]);
    });

    test('non-compliant: a cell grant without a policy_id is reported by the cell stack alone', () => {
      const cells = tamper(fleet.cells, 'okta_auth_server_policy_rule', 'acme_Identity_AdminRule', (b) => {
        delete b.policy_id;
      });
      expect(appFindings(MCP_ID_6, { ...fleet, cells })).toEqual([
        '[cells] non-compliant okta_auth_server_policy_rule.acme_Identity_AdminRule: policy_id is not set',
      ]);
    });

    test('undecided, now an error: a cell stack checked without its foundation', () => {
      expect(appFindings(MCP_ID_6, { cells: fleet.cells })).toEqual([
        expect.stringMatching(
          /^\[cells\] undecided okta_auth_server_policy\.acme_Identity_AdminPolicy: client_whitelist: '\$\{data\.terraform_remote_state\.cross-stack-reference-input-foundation\.outputs\.[^']+\}' reads the state of a stack this app does not hold/,
        ),
        expect.stringMatching(
          /^\[cells\] undecided okta_auth_server_policy\.globex_Identity_AdminPolicy: client_whitelist: /,
        ),
      ]);
    });
  });

  test('not applicable: a stack with the shared clients but no admin scope', () => {
    const stack = newStack();
    new OktaMcpClients(stack, 'Okta', clientsProps());
    expect(run(MCP_ID_6, rawJson(stack))).toEqual([]);
    expect(run(MCP_ID_6, rawJson(newStack()))).toEqual([]);
  });

  test('with plain client ids (no app of the stack), the admin policy cannot be judged', () => {
    const stack = newStack();
    new OktaMcpIdentity(stack, 'acme', {
      tenantId: 'acme',
      domain: DOMAIN,
      clients: {
        mcpClientId: '0oamcpclient',
        adminClientId: '0oaadminclient',
        accessIdpClientId: '0oaaccessidp',
        accessIdpClientSecret: '${var.secret}',
        orgUrl: 'https://example.okta.com',
      },
    });
    expect(findings(MCP_ID_6, rawJson(stack))).toEqual([
      "undecided okta_auth_server_policy.acme_AdminPolicy: client_whitelist entry '0oaadminclient' is not the client id of an okta_app_oauth of this app",
    ]);
  });
});

describe('MCP-ID-6 and service accounts', () => {
  test('a service app (no user, no sign-on) is left out: no evaluation of it, no finding', () => {
    const service = serviceIdentityJson();
    const results = run(MCP_ID_6, service);
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
    expect(findings(MCP_ID_6, web)).toEqual([
      expect.stringMatching(
        /^non-compliant okta_app_oauth\.acme_Identity_Service-ops_App: authentication_policy is not set: /,
      ),
    ]);
  });
});
