import { MCP_ID_6 } from '../../../../lib/checks/rules/identity/mcp-id-6';
import type { JsonObject } from '../../../../lib/model/stack';
import { OktaMcpClients } from '../../../../lib/identity/okta-mcp-clients';
import { OktaMcpIdentity } from '../../../../lib/identity/okta-mcp-identity';
import { newStack, rawJson } from '../../../helpers';
import { clientsProps, DOMAIN } from '../../../identity/fixtures';
import { findings, identityJson, run, tamper } from './tamper';

const STRONG = {
  required: true,
  phishingResistant: 'REQUIRED',
  hardwareProtection: 'REQUIRED',
  userVerification: 'REQUIRED',
};

describe('MCP-ID-6', () => {
  let json: JsonObject;
  beforeAll(() => {
    json = identityJson(['acme', 'globex']);
  });

  test('compliant: the admin client, its sign-on policy and its rule, judged once for all tenants', () => {
    const results = run(MCP_ID_6, json);
    expect(results.map((r) => [r.address.replace(/_[0-9A-F]{8}$/, ''), r.status])).toEqual([
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
      'non-compliant okta_app_signon_policy_rule.Shared_Okta_AdminSignonRule: constraints is not set (any factor would do); re_authentication_frequency is not set',
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
      'non-compliant okta_app_oauth.Shared_Okta_AdminClient: an admin client has no sign-on policy of its own (authentication_policy is not set)',
    ]);
  });

  test('non-compliant: the admin scope granted through the MCP client makes it an admin client without a key', () => {
    const bad = tamper(json, 'okta_auth_server_policy_rule', 'acme_Identity_UseRule', (b) => {
      b.scope_whitelist = ['mcp:acme:use', 'mcp:acme:admin'];
    });
    expect(findings(MCP_ID_6, bad)).toEqual([
      'non-compliant okta_app_oauth.Shared_Okta_McpClient: an admin client has no sign-on policy of its own (authentication_policy is not set)',
    ]);
  });

  test('non-compliant: ALL_CLIENTS on an admin policy makes every app an admin client', () => {
    const bad = tamper(json, 'okta_auth_server_policy', 'globex_Identity_AdminPolicy', (b) => {
      b.client_whitelist = ['ALL_CLIENTS'];
    });
    expect(findings(MCP_ID_6, bad)).toEqual([
      'non-compliant okta_app_oauth.Shared_Okta_McpClient: an admin client has no sign-on policy of its own (authentication_policy is not set)',
      'non-compliant okta_app_oauth.Shared_Okta_AccessIdpApp: an admin client has no sign-on policy of its own (authentication_policy is not set)',
    ]);
  });

  test('a rule that denies access needs no key', () => {
    const deny = tamper(json, 'okta_app_signon_policy_rule', 'AdminSignonRule', (b) => {
      b.access = 'DENY';
      delete b.constraints;
    });
    expect(findings(MCP_ID_6, deny)).toEqual([]);
  });

  test('undecided: constraints from an expression', () => {
    const bad = tamper(json, 'okta_app_signon_policy_rule', 'AdminSignonRule', (b) => {
      b.constraints = ['${jsonencode(var.constraints)}'];
    });
    expect(findings(MCP_ID_6, bad)).toEqual([
      'undecided okta_app_signon_policy_rule.Shared_Okta_AdminSignonRule: constraints[0] is an unresolved expression',
    ]);
  });

  test('undecided: a cell stack whose admin client lives in another stack', () => {
    const stack = newStack();
    new OktaMcpIdentity(stack, 'acme', {
      tenantId: 'acme',
      domain: DOMAIN,
      clients: {
        mcpClientId: '${data.terraform_remote_state.foundation.outputs.mcp_client_id}',
        adminClientId: '${data.terraform_remote_state.foundation.outputs.admin_client_id}',
        accessIdpClientId: '0oaaccessidp',
        accessIdpClientSecret: '${var.secret}',
        orgUrl: 'https://example.okta.com',
      },
    });
    expect(findings(MCP_ID_6, rawJson(stack))).toEqual([
      "undecided okta_auth_server_policy.acme_AdminPolicy: client_whitelist entry '${data.terraform_remote_state.foundation.outputs.admin_client_id}' (not an app in this stack) is an unresolved expression",
    ]);
  });

  test('not applicable: a stack with the shared clients but no admin scope', () => {
    const stack = newStack();
    new OktaMcpClients(stack, 'Okta', clientsProps());
    expect(run(MCP_ID_6, rawJson(stack))).toEqual([]);
    expect(run(MCP_ID_6, rawJson(newStack()))).toEqual([]);
  });
});
