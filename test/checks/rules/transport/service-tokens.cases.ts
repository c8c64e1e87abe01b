import { SynthesizedStack, type JsonObject } from '../../../../lib/model/stack';
import type { Rule } from '../../../../lib/checks/rule';
import { MCP_NET_3 } from '../../../../lib/checks/rules/transport/mcp-net-3';
import { MCP_NET_4 } from '../../../../lib/checks/rules/transport/mcp-net-4';
import { MCP_NET_5 } from '../../../../lib/checks/rules/transport/mcp-net-5';
import { clone, rawJson, resourcesOf } from '../../../helpers';
import { nameOf, transportStack } from '../../../transport/transport-stack';

const APP = 'cloudflare_zero_trust_access_application';
const TOKEN = 'cloudflare_zero_trust_access_service_token';

/** What MCP-NET-4 reports for an admin policy that requires no auth_method. */
const NO_POP = "requires no auth_method, not 'pop' (the amr Okta sends for a WebAuthn security key or passkey)";

/**
 * Which policies are a service account's, and which token a `service_token` selector admits
 * (lib/checks/rules/transport/service-tokens.ts), as MCP-NET-3, 4 and 5 judge them.
 */
describe('service tokens (through MCP-NET-3, 4 and 5)', () => {
  let base: JsonObject;
  let acmeApp: string;
  let acmeToken: string;
  beforeAll(() => {
    base = rawJson(transportStack(['acme', 'globex'], { serviceAccounts: [{ name: 'deploy-bot' }] }).stack);
    acmeApp = nameOf(base, APP, 'acme_');
    acmeToken = nameOf(base, TOKEN, 'acme_');
  });
  /** A copy of the base JSON with acme's application policies changed. */
  function withAcmePolicies(change: (policies: JsonObject[]) => void): JsonObject {
    const json = clone(base);
    const policies = resourcesOf(json, APP)[acmeApp].policies as JsonObject[];
    expect(policies.map((p) => p.name)).toEqual(['mcp-acme-users', 'mcp-acme-admins', 'mcp-acme-svc-deploy-bot']);
    change(policies);
    return json;
  }
  const onAcme = (rule: Rule, json: JsonObject) =>
    rule.evaluate(new SynthesizedStack(json)).find((e) => e.address === `${APP}.${acmeApp}`);
  const adminsIncluding = (include: JsonObject[]) =>
    withAcmePolicies((policies) => {
      policies[1].decision = 'non_identity';
      policies[1].include = include;
      delete policies[1].require;
    });

  test('an admin policy with decision non_identity is no service account policy unless it includes service tokens only', () => {
    const okta = clone(resourcesOf(base, APP)[acmeApp].policies as JsonObject[])[1].include as JsonObject[];
    expect(okta).toHaveLength(1);
    const token = { service_token: { token_id: `\${${TOKEN}.${acmeToken}.id}` } };
    // A non_identity decision admits no sign-in, so the finding names no admitted sign-in.
    for (const include of [okta, [], [...okta, token]]) {
      expect(onAcme(MCP_NET_4, adminsIncluding(include))).toEqual({
        address: `${APP}.${acmeApp}`,
        status: 'non-compliant',
        detail: `admin policy 'mcp-acme-admins' ${NO_POP}`,
      });
    }
  });

  test('undecided: a service_token selector without a token_id', () => {
    const json = withAcmePolicies((policies) => {
      policies[2].include = [{ service_token: {} }];
    });
    expect(onAcme(MCP_NET_3, json)).toEqual({
      address: `${APP}.${acmeApp}`,
      status: 'undecided',
      detail: "policy 'mcp-acme-svc-deploy-bot' include service_token: token_id is not set",
    });
  });

  test('a token_id under another selector than service_token admits no token', () => {
    const json = clone(base);
    const globex = resourcesOf(json, APP)[nameOf(json, APP, 'globex_')];
    const users = (globex.policies as JsonObject[])[0];
    expect(users.name).toBe('mcp-globex-users');
    (users.include as JsonObject[]).push({
      email: { email: 'deploy-bot@acme.example', token_id: `\${${TOKEN}.${acmeToken}.id}` },
    });
    const results = MCP_NET_5.evaluate(new SynthesizedStack(json));
    expect(results).toHaveLength(2);
    expect(results.map((e) => e.status)).toEqual(['compliant', 'compliant']);
  });
});
