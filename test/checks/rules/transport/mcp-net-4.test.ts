import { SynthesizedStack, type JsonObject } from '../../../../lib/model/stack';
import { isAdminPolicy, MCP_NET_4 } from '../../../../lib/checks/rules/transport/mcp-net-4';
import { clone, resourcesOf } from '../../../helpers';
import { addResource, transportJson } from '../../../transport/transport-stack';

const APP = 'cloudflare_zero_trust_access_application';
const POLICY = 'cloudflare_zero_trust_access_policy';

const evaluate = (json: JsonObject) => MCP_NET_4.evaluate(new SynthesizedStack(json));

describe('MCP-NET-4', () => {
  let base: JsonObject;
  let appAddress: string;
  beforeAll(() => {
    base = transportJson(['acme', 'admin-tools']);
    appAddress = `${APP}.${Object.keys(resourcesOf(base, APP)).find((n) => n.startsWith('acme_'))}`;
  });
  /** The base JSON with acme's admins policy (policies[1]) changed. */
  function withAdminPolicy(change: (policy: JsonObject) => void): JsonObject {
    const json = clone(base);
    const app = resourcesOf(json, APP)[appAddress.slice(APP.length + 1)];
    change((app.policies as JsonObject[])[1]);
    return json;
  }
  const acme = (json: JsonObject) => evaluate(json).find((e) => e.address === appAddress);

  test('compliant: every tenant admin policy requires hwk (tenant ids that contain admin included)', () => {
    const results = evaluate(base);
    expect(results).toHaveLength(2);
    expect(results.every((e) => e.status === 'compliant')).toBe(true);
  });

  test('non-compliant: an admin policy without the hwk requirement', () => {
    const json = withAdminPolicy((p) => {
      delete p.require;
    });
    expect(acme(json)).toEqual({
      address: appAddress,
      status: 'non-compliant',
      detail: "admin policy 'mcp-acme-admins' does not require auth_method 'hwk'",
    });
  });

  test('non-compliant: hwk in include (OR) instead of require, or another method required', () => {
    const inInclude = withAdminPolicy((p) => {
      (p.include as JsonObject[]).push({ auth_method: { auth_method: 'hwk' } });
      delete p.require;
    });
    expect(acme(inInclude)?.status).toBe('non-compliant');
    const mfa = withAdminPolicy((p) => {
      p.require = [{ auth_method: { auth_method: 'mfa' } }];
    });
    expect(acme(mfa)?.detail).toBe("admin policy 'mcp-acme-admins' does not require auth_method 'hwk'");
  });

  test('non-compliant: an admin policy recognised by its group alone, and a reusable Admins policy', () => {
    const byGroup = withAdminPolicy((p) => {
      p.name = 'elevated';
      delete p.require;
    });
    expect(acme(byGroup)?.detail).toBe("admin policy 'elevated' does not require auth_method 'hwk'");
    const json: JsonObject = {};
    addResource(json, POLICY, 'admins', {
      account_id: 'a',
      name: 'Admins',
      decision: 'allow',
      include: [{ email_domain: { domain: 'example.com' } }],
    });
    expect(evaluate(json)).toEqual([
      {
        address: `${POLICY}.admins`,
        status: 'non-compliant',
        detail: "admin policy 'Admins' does not require auth_method 'hwk'",
      },
    ]);
  });

  test('the admin heuristic: group names and Google group emails, never the IdP reference', () => {
    const policy = (include: JsonObject[], name = 'p') => ({ label: name, body: { name, include } });
    expect(isAdminPolicy(policy([{ okta: { identity_provider_id: 'x', name: 'mcp-acme-admins' } }]))).toBe(true);
    expect(
      isAdminPolicy(policy([{ gsuite: { email: 'platform-admins@example.com', identity_provider_id: 'x' } }])),
    ).toBe(true);
    expect(isAdminPolicy(policy([{ okta: { identity_provider_id: '${x.admin.id}', name: 'mcp-acme-users' } }]))).toBe(
      false,
    );
    expect(isAdminPolicy(policy([{ okta: { identity_provider_id: 'x', name: 'mcp-admin-tools-users' } }]))).toBe(false);
  });

  test('undecided: a required auth method that is an unresolved expression', () => {
    const json = withAdminPolicy((p) => {
      p.require = [{ auth_method: { auth_method: '${var.method}' } }];
    });
    expect(acme(json)).toEqual({
      address: appAddress,
      status: 'undecided',
      detail: "an auth_method required by policy 'mcp-acme-admins' is an unresolved expression",
    });
  });

  test('not applicable: no admin policy in the stack', () => {
    const json = clone(base);
    for (const app of Object.values(resourcesOf(json, APP))) app.policies = [(app.policies as JsonObject[])[0]];
    expect(evaluate(json)).toEqual([]);
    expect(evaluate({})).toEqual([]);
  });
});
