import { MCP_ID_13 } from '../../../../lib/checks/rules/identity/mcp-id-13';
import { IDENTITY_RULES } from '../../../../lib/checks/rules/identity';
import type { JsonObject } from '../../../../lib/model/stack';
import { findings, identityJson, run, serviceIdentityJson, tamper, withVariable } from './tamper';

const RULE = 'okta_auth_server_policy_rule';

describe('MCP-ID-13', () => {
  let json: JsonObject;
  beforeAll(() => {
    json = serviceIdentityJson();
  });

  test('a warning rule', () => {
    expect(MCP_ID_13.level).toBe('warning');
    expect(IDENTITY_RULES).toContain(MCP_ID_13);
  });

  test('compliant: the one service rule that grants the admin scope carries the declaration (admin: true)', () => {
    const results = run(MCP_ID_13, json);
    expect(results).toHaveLength(1);
    expect(results[0].address).toMatch(/^okta_auth_server_policy_rule\.acme_Identity_Service-ops_Rule_[0-9A-F]{8}$/);
    expect(results[0].status).toBe('compliant');
  });

  test('not applicable: no service account, or none granted an admin scope', () => {
    expect(run(MCP_ID_13, identityJson(['acme']))).toEqual([]);
  });

  test.each([['mcp:acme:admin'], ['*']])(
    'non-compliant: a service rule granted %s by an override of its scopes alone',
    (scope) => {
      const bad = tamper(json, RULE, 'acme_Identity_Service-deploy-bot_Rule', (b) => {
        b.scope_whitelist = ['mcp:acme:use', scope];
      });
      expect(findings(MCP_ID_13, bad)).toEqual([
        `non-compliant ${RULE}.acme_Identity_Service-deploy-bot_Rule: it grants '${scope}' to a service account, but its name is 'service account', not the declaration 'service account (admin: true)' (admin: true)`,
      ]);
    },
  );

  test('non-compliant: admin scopes written with surrounding spaces', () => {
    const bad = tamper(json, RULE, 'acme_Identity_Service-deploy-bot_Rule', (b) => {
      b.scope_whitelist = ['mcp:acme:use', ' mcp:acme:admin ', ' * '];
    });
    expect(findings(MCP_ID_13, bad)).toEqual([
      `non-compliant ${RULE}.acme_Identity_Service-deploy-bot_Rule: it grants ' mcp:acme:admin ', ' * ' to a service account, but its name is 'service account', not the declaration 'service account (admin: true)' (admin: true)`,
    ]);
  });

  test('not applicable: an admin rule whose policy cannot be read', () => {
    const unknown = tamper(withVariable(json, 'policy'), RULE, 'acme_Identity_AdminRule', (b) => {
      b.policy_id = '${var.policy}';
    });
    const results = run(MCP_ID_13, unknown);
    expect(results).toHaveLength(1);
    expect(results[0].address).toMatch(/^okta_auth_server_policy_rule\.acme_Identity_Service-ops_Rule_[0-9A-F]{8}$/);
    expect(results[0].status).toBe('compliant');
  });

  test('non-compliant: the admin service rule renamed (the declaration removed)', () => {
    const bad = tamper(json, RULE, 'acme_Identity_Service-ops_Rule', (b) => {
      b.name = 'ops';
    });
    expect(findings(MCP_ID_13, bad)).toEqual([
      `non-compliant ${RULE}.acme_Identity_Service-ops_Rule: it grants 'mcp:acme:admin' to a service account, but its name is 'ops', not the declaration 'service account (admin: true)' (admin: true)`,
    ]);
  });

  test('undecided: a name no stack decides; a variable with a default is judged by it', () => {
    const unknown = tamper(withVariable(json, 'name'), RULE, 'acme_Identity_Service-ops_Rule', (b) => {
      b.name = '${var.name}';
    });
    expect(findings(MCP_ID_13, unknown)).toEqual([
      expect.stringMatching(/^undecided okta_auth_server_policy_rule\.acme_Identity_Service-ops_Rule: name: /),
    ]);
    const declared = tamper(
      withVariable(json, 'name', 'service account (admin: true)'),
      RULE,
      'acme_Identity_Service-ops_Rule',
      (b) => {
        b.name = '${var.name}';
      },
    );
    expect(findings(MCP_ID_13, declared)).toEqual([]);
  });
});
