import { MCP_ID_10 } from '../../../../lib/checks/rules/identity/mcp-id-10';
import type { JsonObject } from '../../../../lib/model/stack';
import { newStack, rawJson, resourcesOf } from '../../../helpers';
import { identityStack } from '../../../identity/fixtures';
import { findings, identityJson, run, tamper, withVariable } from './tamper';

const RULE = 'okta_app_signon_policy_rule.Shared_Okta_AdminSignonRule';
const STRONG = {
  required: true,
  phishingResistant: 'REQUIRED',
  hardwareProtection: 'REQUIRED',
  userVerification: 'REQUIRED',
};

describe('MCP-ID-10', () => {
  let strict: JsonObject;
  beforeAll(() => {
    strict = rawJson(identityStack(['acme'], { adminAuthenticator: 'security-key' }).stack);
  });

  test('not applicable: the default setting declares nothing', () => {
    expect(run(MCP_ID_10, identityJson(['acme']))).toEqual([]);
    expect(run(MCP_ID_10, rawJson(newStack()))).toEqual([]);
  });

  test('compliant: the strict setting as OktaMcpClients writes it', () => {
    expect(run(MCP_ID_10, strict).map((r) => [r.address.replace(/_[0-9A-F]{8}$/, ''), r.status])).toEqual([
      [RULE, 'compliant'],
    ]);
  });

  test('non-compliant: the constraints overridden back to any phishing-resistant authenticator (the name still declares the setting)', () => {
    const bad = tamper(strict, 'okta_app_signon_policy_rule', 'AdminSignonRule', (b) => {
      b.constraints = [JSON.stringify({ possession: STRONG })];
    });
    expect(findings(MCP_ID_10, bad)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^non-compliant ${RULE}: constraints\\[0\\] names no possession\\.authenticationMethods, so Okta FastPass and other phishing-resistant authenticators pass, though ${RULE}_[0-9A-F]{8} declares FIDO2 security keys only$`,
        ),
      ),
    ]);
  });

  test('non-compliant: Okta FastPass added to the methods, a second looser constraint object', () => {
    const fastPass = tamper(strict, 'okta_app_signon_policy_rule', 'AdminSignonRule', (b) => {
      b.constraints = [
        JSON.stringify({
          possession: {
            ...STRONG,
            authenticationMethods: [
              { key: 'webauthn', method: 'webauthn' },
              { key: 'okta_verify', method: 'signed_nonce' },
            ],
          },
        }),
        JSON.stringify({ possession: STRONG }),
      ];
    });
    const [finding] = findings(MCP_ID_10, fastPass);
    expect(finding).toContain(
      'constraints[0] possession.authenticationMethods[1] is {"key":"okta_verify","method":"signed_nonce"} (only {"key":"webauthn","method":"webauthn"})',
    );
    expect(finding).toContain('constraints[1] names no possession.authenticationMethods');
  });

  test('non-compliant: a second, looser rule in the strict policy', () => {
    const bad = JSON.parse(JSON.stringify(strict)) as JsonObject;
    const policy = Object.keys(resourcesOf(bad, 'okta_app_signon_policy')).find((n) => n.includes('AdminSignonPolicy'));
    (bad.resource as Record<string, Record<string, JsonObject>>).okta_app_signon_policy_rule.FastPass = {
      name: 'fastpass',
      policy_id: `\${okta_app_signon_policy.${policy}.id}`,
      constraints: [JSON.stringify({ possession: STRONG })],
      re_authentication_frequency: 'PT15M',
    };
    expect(findings(MCP_ID_10, bad)).toEqual([
      expect.stringMatching(
        /^non-compliant okta_app_signon_policy_rule\.FastPass: constraints\[0\] names no possession\.authenticationMethods/,
      ),
    ]);
  });

  test('a WebAuthn method in the constraints declares the setting too, whatever the name', () => {
    const renamed = tamper(strict, 'okta_app_signon_policy_rule', 'AdminSignonRule', (b) => {
      b.name = 'hardware key required';
    });
    expect(findings(MCP_ID_10, renamed)).toEqual([]);
    expect(run(MCP_ID_10, renamed)).toHaveLength(1);
  });

  test('undecided, now an error: strict constraints from an expression, a rule name no stack decides', () => {
    const constraints = tamper(strict, 'okta_app_signon_policy_rule', 'AdminSignonRule', (b) => {
      b.constraints = ['${var.constraints}'];
    });
    expect(findings(MCP_ID_10, constraints)).toEqual([
      `undecided ${RULE}: constraints[0]: '\${var.constraints}' names a variable this stack does not declare`,
    ]);
    const name = tamper(
      withVariable(identityJson(['acme']), 'rule_name'),
      'okta_app_signon_policy_rule',
      'AdminSignonRule',
      (b) => {
        b.name = '${var.rule_name}';
      },
    );
    expect(findings(MCP_ID_10, name)).toEqual([
      `undecided ${RULE}: name: variable 'rule_name' has no default: its value comes at plan time`,
    ]);
  });
});

describe('MCP-ID-10 readings', () => {
  let strict: JsonObject;
  beforeAll(() => {
    strict = rawJson(identityStack(['acme'], { adminAuthenticator: 'security-key' }).stack);
  });
  const edit = (json: JsonObject, change: (b: JsonObject) => void): JsonObject =>
    tamper(json, 'okta_app_signon_policy_rule', 'AdminSignonRule', change);

  test('undecided: a status or access no stack decides, a status or access that is not a string', () => {
    const statusUnread = edit(strict, (b) => {
      b.status = '${var.status}';
      b.access = 7;
    });
    expect(findings(MCP_ID_10, statusUnread)).toEqual([
      `undecided ${RULE}: status: '\${var.status}' names a variable this stack does not declare; access: not a string`,
    ]);
    const accessUnread = edit(strict, (b) => {
      b.status = 7;
      b.access = '${var.access}';
    });
    expect(findings(MCP_ID_10, accessUnread)).toEqual([
      `undecided ${RULE}: status: not a string; access: '\${var.access}' names a variable this stack does not declare`,
    ]);
  });

  test('undecided: the constraints list from an expression', () => {
    const bad = edit(strict, (b) => {
      b.constraints = '${var.constraints}';
    });
    expect(findings(MCP_ID_10, bad)).toEqual([
      `undecided ${RULE}: constraints: '\${var.constraints}' names a variable this stack does not declare`,
    ]);
  });

  test('undecided: a constraint member that is not a JSON string', () => {
    const bad = edit(strict, (b) => {
      b.constraints = [JSON.stringify({ possession: { authenticationMethods: [{ key: 'webauthn' }] } }), 7];
    });
    expect(findings(MCP_ID_10, bad)).toEqual([`undecided ${RULE}: constraints[1] is not a JSON string`]);
  });

  test('non-compliant: constraint members that are not JSON, not a JSON object', () => {
    const bad = edit(strict, (b) => {
      b.constraints = [
        JSON.stringify({ possession: { authenticationMethods: [{ key: 'webauthn' }] } }),
        'not json',
        '[1]',
      ];
    });
    expect(findings(MCP_ID_10, bad)).toEqual([
      `non-compliant ${RULE}: constraints[1] is not JSON; constraints[2] is not a JSON object`,
    ]);
  });

  test('compliant: an INACTIVE rule and a DENY rule with loose constraints need no factor', () => {
    const loose = [JSON.stringify({ possession: { authenticationMethods: [{ key: 'okta_verify' }] } })];
    const inactive = edit(strict, (b) => {
      b.status = 'INACTIVE';
      b.constraints = loose;
    });
    const deny = edit(strict, (b) => {
      b.access = 'DENY';
      b.constraints = loose;
    });
    expect(run(MCP_ID_10, inactive).map((r) => r.status)).toEqual(['compliant']);
    expect(run(MCP_ID_10, deny).map((r) => r.status)).toEqual(['compliant']);
  });

  test('non-compliant: the strict rule with its constraints unset', () => {
    const bad = edit(strict, (b) => {
      delete b.constraints;
    });
    expect(findings(MCP_ID_10, bad)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^non-compliant ${RULE}: constraints is not set, though ${RULE}_[0-9A-F]{8} declares FIDO2 security keys only$`,
        ),
      ),
    ]);
  });
});
