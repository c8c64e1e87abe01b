import { SynthesizedStack, type JsonObject } from '../../../../lib/model/stack';
import { isAdminPolicy, MCP_NET_4 } from '../../../../lib/checks/rules/transport/mcp-net-4';
import { clone, rawJson, resourcesOf } from '../../../helpers';
import {
  addAuthServer,
  addData,
  addResource,
  nameOf,
  transportJson,
  transportStack,
  useExistingGroups,
} from '../../../transport/transport-stack';

const APP = 'cloudflare_zero_trust_access_application';
const POLICY = 'cloudflare_zero_trust_access_policy';

const evaluate = (json: JsonObject) => MCP_NET_4.evaluate(new SynthesizedStack(json));

/** What the rule reports when an admin policy asks for no method (or an OR-ed one): every documented sign-in passes. */
const ADMITS_EVERY_SIGN_IN =
  ': it admits a sign-in with Okta FastPass (amr ["okta_verify","phr"]), Okta Verify push (amr ["okta_verify","swk"]), ' +
  'Okta Verify TOTP (amr ["okta_verify","otp"]), a password (amr ["pwd"])';
const NOT_POP = "not 'pop' (the amr Okta sends for a WebAuthn security key or passkey)";

describe('MCP-NET-4', () => {
  let base: JsonObject;
  let appAddress: string;
  beforeAll(() => {
    base = transportJson(['acme', 'admin-tools']);
    appAddress = `${APP}.${nameOf(base, APP, 'acme_')}`;
  });
  /** The base JSON with acme's admins policy (policies[1]) changed. */
  function withAdminPolicy(change: (policy: JsonObject) => void, json = clone(base)): JsonObject {
    const app = resourcesOf(json, APP)[appAddress.slice(APP.length + 1)];
    change((app.policies as JsonObject[])[1]);
    return json;
  }
  const acme = (json: JsonObject) => evaluate(json).find((e) => e.address === appAddress);

  test("compliant: every tenant admin policy requires 'pop' (tenant ids that contain admin included)", () => {
    const results = evaluate(base);
    expect(results).toHaveLength(2);
    expect(results.map((e) => e.status)).toEqual(['compliant', 'compliant']);
    expect((resourcesOf(base, APP)[appAddress.slice(APP.length + 1)].policies as JsonObject[])[1].require).toEqual([
      { auth_method: { auth_method: 'pop' } },
    ]);
  });

  test('non-compliant: an admin policy without any auth method admits every documented sign-in', () => {
    const json = withAdminPolicy((p) => {
      delete p.require;
    });
    expect(acme(json)).toEqual({
      address: appAddress,
      status: 'non-compliant',
      detail: `admin policy 'mcp-acme-admins' requires no auth_method, ${NOT_POP}${ADMITS_EVERY_SIGN_IN}`,
    });
  });

  test("non-compliant: 'hwk' (what Okta never sends for WebAuthn), and 'pop' together with 'hwk'", () => {
    const hwk = withAdminPolicy((p) => {
      p.require = [{ auth_method: { auth_method: 'hwk' } }];
    });
    expect(acme(hwk)?.detail).toBe(`admin policy 'mcp-acme-admins' requires auth_method 'hwk', ${NOT_POP}`);
    const both = withAdminPolicy((p) => {
      p.require = [{ auth_method: { auth_method: 'pop' } }, { auth_method: { auth_method: 'hwk' } }];
    });
    expect(acme(both)?.detail).toBe(
      `admin policy 'mcp-acme-admins' requires auth_method 'pop' and 'hwk': it admits no admin who signs in with WebAuthn (amr ["pop"])`,
    );
  });

  test("non-compliant: 'pop' in include (OR) instead of require, or excluded", () => {
    const inInclude = withAdminPolicy((p) => {
      (p.include as JsonObject[]).push({ auth_method: { auth_method: 'pop' } });
      delete p.require;
    });
    expect(acme(inInclude)?.detail).toBe(
      `admin policy 'mcp-acme-admins' requires no auth_method, ${NOT_POP}${ADMITS_EVERY_SIGN_IN}`,
    );
    const excluded = withAdminPolicy((p) => {
      p.exclude = [{ auth_method: { auth_method: 'pop' } }];
    });
    expect(acme(excluded)?.detail).toBe(
      `admin policy 'mcp-acme-admins' requires auth_method 'pop': it admits no admin who signs in with WebAuthn (amr ["pop"])`,
    );
  });

  test('non-compliant: an admin policy recognised by its group alone, and a reusable Admins policy', () => {
    const byGroup = withAdminPolicy((p) => {
      p.name = 'elevated';
      p.require = [{ auth_method: { auth_method: 'mfa' } }];
    });
    expect(acme(byGroup)?.detail).toBe(`admin policy 'elevated' requires auth_method 'mfa', ${NOT_POP}`);
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
        detail: `admin policy 'Admins' requires no auth_method, ${NOT_POP}${ADMITS_EVERY_SIGN_IN}`,
      },
    ]);
  });

  test("an existing group is an admin group when a rule granting the tenant's admin scope whitelists it", () => {
    const json = clone(base);
    useExistingGroups(json, 'acme', { users: '${var.users}', admins: '${var.admins}' });
    addAuthServer(json, 'acme', { users: '${var.users}', admins: '${var.admins}' });
    json.variable = { users: { type: 'string' }, admins: { type: 'string' } };
    const renamed = withAdminPolicy((p) => {
      p.name = 'elevated';
    }, json);
    expect(acme(renamed)?.status).toBe('compliant');
    const open = withAdminPolicy((p) => {
      delete p.require;
    }, renamed);
    expect(acme(open)?.detail).toBe(
      `admin policy 'elevated' requires no auth_method, ${NOT_POP}${ADMITS_EVERY_SIGN_IN}`,
    );
  });

  test('compliant: the method from a variable with a literal default', () => {
    const json = withAdminPolicy((p) => {
      p.require = [{ auth_method: { auth_method: '${var.method}' } }];
    });
    json.variable = { method: { type: 'string', default: 'pop' } };
    expect(acme(json)?.status).toBe('compliant');
  });

  test('the admin heuristic: names, group names, Google group emails, never the IdP reference', () => {
    const stack = new SynthesizedStack({});
    const policy = (include: JsonObject[], name = 'p') => ({ label: name, body: { name, include }, stack });
    expect(isAdminPolicy(policy([], 'mcp-acme-admins'))).toBe(true);
    expect(isAdminPolicy(policy([{ okta: { identity_provider_id: 'x', name: 'mcp-acme-admins' } }]))).toBe(true);
    expect(
      isAdminPolicy(policy([{ gsuite: { email: 'platform-admins@example.com', identity_provider_id: 'x' } }])),
    ).toBe(true);
    expect(isAdminPolicy(policy([{ okta: { identity_provider_id: '${x.admin.id}', name: 'mcp-acme-users' } }]))).toBe(
      false,
    );
    expect(isAdminPolicy(policy([{ okta: { identity_provider_id: 'x', name: 'mcp-admin-tools-users' } }]))).toBe(false);
    expect(isAdminPolicy(policy([{ okta: { identity_provider_id: 'x', name: '${var.group}' } }]))).toBeUndefined();
  });

  test('undecided: a required method, or an included group, that cannot be read', () => {
    const method = withAdminPolicy((p) => {
      p.require = [{ auth_method: { auth_method: '${var.method}' } }];
    });
    expect(acme(method)).toEqual({
      address: appAddress,
      status: 'undecided',
      detail: "an auth_method of admin policy 'mcp-acme-admins' is an unresolved expression",
    });
    const group = withAdminPolicy((p) => {
      p.name = 'elevated';
      p.include = [{ okta: { identity_provider_id: 'x', name: '${var.group}' } }];
    });
    expect(acme(group)).toEqual({
      address: appAddress,
      status: 'undecided',
      detail: "policy 'elevated' includes a group that cannot be told to be an admin group or not",
    });
  });

  test('the admin heuristic: a policy without a name, non-admin, unreadable and unset group fields', () => {
    const stack = new SynthesizedStack({});
    const unnamed = (include: JsonObject[]) =>
      isAdminPolicy({ label: 'p', body: { decision: 'allow', include }, stack });
    expect(unnamed([{ gsuite: { email: 'platform-users@example.com', identity_provider_id: 'x' } }])).toBe(false);
    expect(unnamed([{ gsuite: { email: 'platform-admins@example.com', identity_provider_id: 'x' } }])).toBe(true);
    expect(unnamed([{ gsuite: { email: '${var.group_email}', identity_provider_id: 'x' } }])).toBeUndefined();
    expect(unnamed([{ github_organization: { name: 'acme', team: null, identity_provider_id: 'x' } }])).toBe(false);
    // A group field holding an email address is judged by its local part, whichever selector carries it.
    expect(unnamed([{ okta: { identity_provider_id: 'x', email: 'ops-admins@example.com' } }])).toBe(true);
  });

  test('undecided: an existing Okta group no authorization server rule whitelists', () => {
    const json: JsonObject = {};
    addData(json, 'okta_group', 'g', { id: '00g1existing' });
    const stack = new SynthesizedStack(json);
    const include = [{ okta: { identity_provider_id: 'x', name: '${data.okta_group.g.name}' } }];
    expect(isAdminPolicy({ label: 'p', body: { name: 'p', decision: 'allow', include }, stack })).toBeUndefined();
  });

  test('undecided: only an Okta group is classified by the whitelists; a GitHub organization named after one is not', () => {
    const json = clone(base);
    addData(json, 'okta_group', 'g', { id: '${var.users}' });
    addAuthServer(json, 'acme', { users: '${var.users}', admins: '${var.admins}' });
    json.variable = { users: { type: 'string' }, admins: { type: 'string' } };
    const stack = new SynthesizedStack(json);
    const policy = (selector: string) =>
      isAdminPolicy({
        label: 'p',
        body: { name: 'p', decision: 'allow', include: [{ [selector]: { name: '${data.okta_group.g.name}' } }] },
        stack,
      });
    expect(policy('okta')).toBe(false);
    expect(policy('github_organization')).toBeUndefined();
  });

  test('non-compliant: a v4 selector list in require is no auth_method', () => {
    const json = withAdminPolicy((p) => {
      p.require = [{ email_domain: ['example.com'] }];
    });
    expect(acme(json)).toEqual({
      address: appAddress,
      status: 'non-compliant',
      detail: `admin policy 'mcp-acme-admins' requires no auth_method, ${NOT_POP}${ADMITS_EVERY_SIGN_IN}`,
    });
  });

  test("non-compliant: 'hwk' with an unresolved second method admits nobody; the finding names the literal method only", () => {
    const json = withAdminPolicy((p) => {
      p.require = [{ auth_method: { auth_method: 'hwk' } }, { auth_method: { auth_method: '${var.method}' } }];
    });
    expect(acme(json)).toEqual({
      address: appAddress,
      status: 'non-compliant',
      detail: `admin policy 'mcp-acme-admins' requires auth_method 'hwk', ${NOT_POP}`,
    });
  });

  test('undecided: an admin policy whose WebAuthn or other sign-ins cannot all be judged', () => {
    const unresolved = "an auth_method of admin policy 'mcp-acme-admins' is an unresolved expression";
    const empty = withAdminPolicy((p) => {
      p.require = [{ auth_method: {} }];
    });
    expect(acme(empty)).toEqual({ address: appAddress, status: 'undecided', detail: unresolved });
    // WebAuthn undecided (an excluded method is unknown), every other sign-in refused.
    const excluded = withAdminPolicy((p) => {
      p.exclude = [{ auth_method: { auth_method: '${var.method}' } }];
    });
    expect(acme(excluded)).toEqual({ address: appAddress, status: 'undecided', detail: unresolved });
    // WebAuthn and a password admitted, FastPass, push and TOTP undecided.
    const ored = withAdminPolicy((p) => {
      p.include = [
        { auth_method: { auth_method: 'pop' } },
        { auth_method: { auth_method: 'pwd' } },
        { auth_method: { auth_method: '${var.method}' } },
      ];
      delete p.require;
    });
    expect(acme(ored)).toEqual({ address: appAddress, status: 'undecided', detail: unresolved });
  });

  test('reusable policies: one that is no admin policy is not reported, an admin one requiring pop is compliant', () => {
    const json: JsonObject = {};
    addResource(json, POLICY, 'users', {
      account_id: 'a',
      name: 'users',
      decision: 'allow',
      include: [{ email_domain: { domain: 'example.com' } }],
    });
    addResource(json, POLICY, 'admins', {
      account_id: 'a',
      name: 'Admins',
      decision: 'allow',
      include: [{ email_domain: { domain: 'example.com' } }],
      require: [{ auth_method: { auth_method: 'pop' } }],
    });
    expect(evaluate(json)).toEqual([{ address: `${POLICY}.admins`, status: 'compliant' }]);
  });

  test('undecided: a policy whose include list, an include entry (an expression, a nested list) or a selector cannot be read', () => {
    const cannotTell = "policy 'elevated' includes a group that cannot be told to be an admin group or not";
    const cases: unknown[] = [
      '${var.admin_include}',
      ['${var.admin_selector}'],
      [{ okta: '${var.admin_okta}' }],
      [[{ name: 'ops-admins' }]],
    ];
    expect(cases).toHaveLength(4);
    for (const include of cases) {
      const json = withAdminPolicy((p) => {
        p.name = 'elevated';
        p.include = include;
        delete p.require;
      });
      expect(acme(json)).toEqual({ address: appAddress, status: 'undecided', detail: cannotTell });
    }
  });

  test('not applicable: no admin policy in the stack', () => {
    const json = clone(base);
    const apps = Object.values(resourcesOf(json, APP));
    expect(apps).toHaveLength(2);
    for (const app of apps) app.policies = [(app.policies as JsonObject[])[0]];
    expect(evaluate(json)).toEqual([]);
    expect(evaluate({})).toEqual([]);
  });
});

describe('MCP-NET-4 and service accounts', () => {
  test("a service account's policy is never an admin policy, even for an account named admin", () => {
    const json = rawJson(
      transportStack(['acme'], { serviceAccounts: [{ name: 'admin' }, { name: 'ops-admins' }] }).stack,
    );
    const app = Object.values(resourcesOf(json, APP))[0];
    const policies = app.policies as JsonObject[];
    expect(policies.map((p) => p.name)).toEqual([
      'mcp-acme-users',
      'mcp-acme-admins',
      'mcp-acme-svc-admin',
      'mcp-acme-svc-ops-admins',
    ]);
    const stack = new SynthesizedStack(json);
    expect(policies.map((body) => isAdminPolicy({ label: String(body.name), body, stack }))).toEqual([
      false,
      true,
      false,
      false,
    ]);
    expect(evaluate(json).map((e) => e.status)).toEqual(['compliant']);
  });

  test("a service account's policy with an include entry written as an expression is no longer a service account's policy", () => {
    const json = rawJson(transportStack(['acme'], { serviceAccounts: [{ name: 'deploy-bot' }] }).stack);
    const policies = Object.values(resourcesOf(json, APP))[0].policies as JsonObject[];
    expect(policies[2].name).toBe('mcp-acme-svc-deploy-bot');
    const stack = new SynthesizedStack(json);
    expect(isAdminPolicy({ label: 'x', body: policies[2], stack })).toBe(false);
    // `${var.extra}` may hold `{ everyone = {} }`: whether the policy admits an admin cannot be told.
    (policies[2].include as unknown[]).push('${var.extra}');
    expect(isAdminPolicy({ label: 'x', body: policies[2], stack: new SynthesizedStack(json) })).toBeUndefined();
  });

  test('a policy named admin that decides allow stays an admin policy (a token in it does not hide it)', () => {
    const json = rawJson(transportStack(['acme'], { serviceAccounts: [{ name: 'admin' }] }).stack);
    const policies = Object.values(resourcesOf(json, APP))[0].policies as JsonObject[];
    policies[2].decision = 'allow';
    const stack = new SynthesizedStack(json);
    expect(isAdminPolicy({ label: 'x', body: policies[2], stack })).toBe(true);
  });
});
