import { SynthesizedStack, type JsonObject } from '../../../../lib/model/stack';
import { MCP_NET_3 } from '../../../../lib/checks/rules/transport/mcp-net-3';
import { clone, resourcesOf } from '../../../helpers';
import { addResource, only, transportJson } from '../../../transport/transport-stack';

const APP = 'cloudflare_zero_trust_access_application';
const POLICY = 'cloudflare_zero_trust_access_policy';

const evaluate = (json: JsonObject) => MCP_NET_3.evaluate(new SynthesizedStack(json));

describe('MCP-NET-3', () => {
  let base: JsonObject;
  let appAddress: string;
  beforeAll(() => {
    base = transportJson(['acme']);
    appAddress = `${APP}.${Object.keys(resourcesOf(base, APP))[0]}`;
  });
  /** The base JSON with the users policy (policies[0]) changed. */
  function withUsersPolicy(change: (policy: JsonObject) => void): JsonObject {
    const json = clone(base);
    change((only(json, APP).policies as JsonObject[])[0]);
    return json;
  }

  test('compliant: the tenant policies allow their Okta groups only', () => {
    expect(evaluate(base)).toEqual([{ address: appAddress, status: 'compliant' }]);
  });

  test('compliant: a network condition in require narrows, and an inline reference to a reusable policy is judged there', () => {
    const json = withUsersPolicy((p) => {
      p.require = [{ ip: { ip: '203.0.113.0/24' } }];
    });
    (only(json, APP).policies as JsonObject[]).push({ id: `\${${POLICY}.shared.id}`, precedence: 3 });
    addResource(json, POLICY, 'shared', {
      account_id: 'a',
      name: 'shared',
      decision: 'allow',
      include: [{ email: { email: 'dev@example.com' } }],
    });
    expect(evaluate(json)).toEqual([
      { address: appAddress, status: 'compliant' },
      { address: `${POLICY}.shared`, status: 'compliant' },
    ]);
  });

  test.each([
    ['bypass', "policy 'mcp-acme-users' has decision 'bypass' (only 'allow')"],
    ['non_identity', "policy 'mcp-acme-users' has decision 'non_identity' (only 'allow')"],
    ['deny', "policy 'mcp-acme-users' has decision 'deny' (only 'allow')"],
  ])('non-compliant: decision %s', (decision, detail) => {
    const json = withUsersPolicy((p) => {
      p.decision = decision;
    });
    expect(evaluate(json)).toEqual([{ address: appAddress, status: 'non-compliant', detail }]);
  });

  test.each([
    ['everyone', {}],
    ['any_valid_service_token', {}],
    ['service_token', { token_id: 'tok' }],
    ['ip', { ip: '0.0.0.0/0' }],
    ['geo', { country_code: 'US' }],
  ])('non-compliant: an include of %s', (selector, value) => {
    const json = withUsersPolicy((p) => {
      (p.include as JsonObject[]).push({ [selector]: value });
    });
    expect(evaluate(json)).toEqual([
      { address: appAddress, status: 'non-compliant', detail: `policy 'mcp-acme-users' includes ${selector}` },
    ]);
  });

  test('non-compliant: a reusable policy that bypasses for everyone', () => {
    const json: JsonObject = {};
    addResource(json, POLICY, 'open', {
      account_id: 'a',
      name: 'open',
      decision: 'bypass',
      include: [{ everyone: {} }],
    });
    expect(evaluate(json)).toEqual([
      {
        address: `${POLICY}.open`,
        status: 'non-compliant',
        detail: "policy 'open' has decision 'bypass' (only 'allow'); policy 'open' includes everyone",
      },
    ]);
  });

  test('undecided: a decision or the policy list is an unresolved expression', () => {
    const json = withUsersPolicy((p) => {
      p.decision = '${var.decision}';
    });
    expect(evaluate(json)).toEqual([
      {
        address: appAddress,
        status: 'undecided',
        detail: "the decision of policy 'mcp-acme-users' is an unresolved expression",
      },
    ]);
    const list = clone(base);
    only(list, APP).policies = '${var.policies}';
    expect(evaluate(list)[0].status).toBe('undecided');
  });

  test('not applicable: a stack without Access applications or policies', () => {
    expect(evaluate({})).toEqual([]);
  });
});
