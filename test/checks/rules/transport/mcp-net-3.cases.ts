import { SynthesizedApp, SynthesizedStack, type JsonObject } from '../../../../lib/model/stack';
import { MCP_NET_3 } from '../../../../lib/checks/rules/transport/mcp-net-3';
import { clone, rawJson, resourcesOf } from '../../../helpers';
import {
  addAuthServer,
  addResource,
  nameOf,
  only,
  splitFleet,
  transportJson,
  transportStack,
  useExistingGroups,
} from '../../../transport/transport-stack';

const APP = 'cloudflare_zero_trust_access_application';
const IDP = 'cloudflare_zero_trust_access_identity_provider';
const POLICY = 'cloudflare_zero_trust_access_policy';

const evaluate = (json: JsonObject) => MCP_NET_3.evaluate(new SynthesizedStack(json));

describe('MCP-NET-3', () => {
  let base: JsonObject;
  let appAddress: string;
  let idpRef: string;
  beforeAll(() => {
    base = transportJson(['acme']);
    appAddress = `${APP}.${nameOf(base, APP)}`;
    idpRef = `\${${IDP}.${nameOf(base, IDP)}.id}`;
  });
  /** The base JSON with the users policy (policies[0]) changed. */
  function withUsersPolicy(change: (policy: JsonObject) => void, json = clone(base)): JsonObject {
    change((only(json, APP).policies as JsonObject[])[0]);
    return json;
  }
  const okta = (name: string, provider = idpRef) => ({ okta: { identity_provider_id: provider, name } });
  const appResult = (json: JsonObject) => evaluate(json).find((e) => e.address === appAddress);

  test("compliant: the tenant's two policies include only its own Okta groups through the allowed provider", () => {
    expect(evaluate(base)).toEqual([{ address: appAddress, status: 'compliant' }]);
  });

  test('compliant: a group created by the identity layer (okta_group resource named mcp-acme-users)', () => {
    const json = withUsersPolicy((p) => {
      p.include = [okta('${okta_group.acme_users.name}')];
    });
    addResource(json, 'okta_group', 'acme_users', { name: 'mcp-acme-users' });
    expect(appResult(json)?.status).toBe('compliant');
  });

  test("compliant: a fleet cell's policies name the foundation's provider through remote state", () => {
    const { foundation, cell } = splitFleet(transportJson(['acme']));
    const app = new SynthesizedApp([
      { name: 'foundation', json: foundation },
      { name: 'cells-a', json: cell },
    ]);
    expect(MCP_NET_3.evaluate(app.stack('cells-a') as SynthesizedStack)).toEqual([
      { address: appAddress, status: 'compliant' },
    ]);
  });

  test("compliant: existing groups whose ids the tenant's authorization server whitelists (variables and literals)", () => {
    const json = clone(base);
    useExistingGroups(json, 'acme', { users: '${var.acme_users_group_id}', admins: '00g2admins' });
    addAuthServer(json, 'acme', { users: '${var.acme_users_group_id}', admins: '00g2admins' });
    json.variable = { acme_users_group_id: { type: 'string' } };
    expect(appResult(json)).toEqual({ address: appAddress, status: 'compliant' });
  });

  test("compliant: an existing group looked up by another name, whose id the tenant's server whitelists by reference", () => {
    const json = clone(base);
    const names = useExistingGroups(json, 'acme', { users: 'unused', admins: '00g2admins' });
    const data = (json.data as Record<string, Record<string, JsonObject>>).okta_group;
    data[names.users] = { name: 'Acme Engineering' };
    addAuthServer(json, 'acme', { users: `\${data.okta_group.${names.users}.id}`, admins: '00g2admins' });
    expect(appResult(json)).toEqual({ address: appAddress, status: 'compliant' });
    // Without the whitelist entry, nothing ties the group to the tenant.
    const unbound = clone(json);
    resourcesOf(unbound, 'okta_auth_server_policy_rule').acme_users.group_whitelist = ['00g9other'];
    expect(appResult(unbound)?.status).toBe('undecided');
  });

  test('compliant: a condition in require narrows; an inline reference to a reusable policy of the tenant', () => {
    const json = withUsersPolicy((p) => {
      p.require = [{ ip: { ip: '203.0.113.0/24' } }];
      p.exclude = [{ email: { email: 'leaver@example.com' } }];
    });
    (only(json, APP).policies as JsonObject[]).push({ id: `\${${POLICY}.shared.id}`, precedence: 3 });
    addResource(json, POLICY, 'shared', {
      account_id: 'a',
      name: 'shared',
      decision: 'allow',
      include: [okta('mcp-acme-users')],
    });
    expect(evaluate(json)).toEqual([
      { address: appAddress, status: 'compliant' },
      { address: `${POLICY}.shared`, status: 'compliant' },
    ]);
  });

  test.each([
    ['everyone', {}, "policy 'mcp-acme-users' includes everyone"],
    ['email', { email: 'dev@example.com' }, "policy 'mcp-acme-users' includes email 'dev@example.com'"],
    ['email_domain', { domain: 'example.com' }, "policy 'mcp-acme-users' includes email_domain 'example.com'"],
    ['login_method', { id: 'otp-idp' }, "policy 'mcp-acme-users' includes login_method 'otp-idp'"],
    ['ip', { ip: '0.0.0.0/0' }, "policy 'mcp-acme-users' includes ip '0.0.0.0/0'"],
    ['ip_list', { id: 'list-1' }, "policy 'mcp-acme-users' includes ip_list 'list-1'"],
    ['geo', { country_code: 'US' }, "policy 'mcp-acme-users' includes geo 'US'"],
    ['service_token', { token_id: 'tok' }, "policy 'mcp-acme-users' includes service_token 'tok'"],
    ['any_valid_service_token', {}, "policy 'mcp-acme-users' includes any_valid_service_token"],
    ['group', { id: 'access-group-1' }, "policy 'mcp-acme-users' includes group 'access-group-1'"],
    ['auth_method', { auth_method: 'pop' }, "policy 'mcp-acme-users' includes auth_method 'pop'"],
    [
      'saml',
      { attribute_name: 'groups', attribute_value: 'mcp-acme-users', identity_provider_id: 'x' },
      'policy \'mcp-acme-users\' includes saml {"attribute_name":"groups","attribute_value":"mcp-acme-users","identity_provider_id":"x"}',
    ],
  ])('non-compliant: an include of %s', (selector, value, detail) => {
    const json = withUsersPolicy((p) => {
      (p.include as JsonObject[]).push({ [selector]: value });
    });
    expect(evaluate(json)).toEqual([{ address: appAddress, status: 'non-compliant', detail }]);
  });

  test('non-compliant: decision non_identity on a people policy (only a service token may be admitted so)', () => {
    const json = withUsersPolicy((p) => {
      p.decision = 'non_identity';
    });
    expect(evaluate(json)).toEqual([
      {
        address: appAddress,
        status: 'non-compliant',
        detail: `policy 'mcp-acme-users' (non_identity) includes okta {"identity_provider_id":"\${cloudflare_zero_trust_access_identity_provider.Idp_IdentityProvider_938AED97.id}","name":"mcp-acme-users"} (only one service_token); policy 'mcp-acme-users' (non_identity) includes 0 service tokens (exactly one: a policy per service account)`,
      },
    ]);
  });

  test.each(['bypass', 'deny'])('non-compliant: decision %s', (decision) => {
    const json = withUsersPolicy((p) => {
      p.decision = decision;
    });
    expect(evaluate(json)).toEqual([
      {
        address: appAddress,
        status: 'non-compliant',
        detail: `policy 'mcp-acme-users' has decision '${decision}' (only 'allow')`,
      },
    ]);
  });

  test("non-compliant: another tenant's group, a group of no tenant, another Okta provider", () => {
    const json = withUsersPolicy((p) => {
      p.include = [okta('mcp-globex-users'), okta('Engineering'), okta('mcp-acme-users', `\${${IDP}.second.id}`)];
    });
    addResource(json, IDP, 'second', { account_id: 'a', name: 'Okta 2', type: 'okta' });
    expect(appResult(json)?.detail).toBe(
      [
        "policy 'mcp-acme-users' include okta #1 includes group 'mcp-globex-users' of tenant globex, not of tenant acme",
        "policy 'mcp-acme-users' include okta #2 includes group 'Engineering', which is no tenant's group (mcp-acme-users / mcp-acme-admins)",
        `policy 'mcp-acme-users' include okta #3 names identity provider ${IDP}.second, not the application's allowed Okta provider`,
      ].join('; '),
    );
  });

  test("non-compliant: a foundation provider the cell's policy names but its application does not allow", () => {
    const { foundation, cell } = splitFleet(transportJson(['acme']));
    addResource(foundation, IDP, 'other_okta', { account_id: 'a', name: 'Other Okta', type: 'okta' });
    (foundation.output as Record<string, JsonObject>).other_idp_id = { value: `\${${IDP}.other_okta.id}` };
    const policies = only(cell, APP).policies as { include: { okta: JsonObject }[] }[];
    policies[0].include[0].okta.identity_provider_id = '${data.terraform_remote_state.foundation.outputs.other_idp_id}';
    const app = new SynthesizedApp([
      { name: 'foundation', json: foundation },
      { name: 'cells-a', json: cell },
    ]);
    expect(MCP_NET_3.evaluate(app.stack('cells-a') as SynthesizedStack)).toEqual([
      {
        address: appAddress,
        status: 'non-compliant',
        detail: `policy 'mcp-acme-users' include okta #1 names identity provider ${IDP}.other_okta, not the application's allowed Okta provider`,
      },
    ]);
  });

  test("non-compliant: an existing group no rule of the tenant's server whitelists, or that another tenant's also does", () => {
    const json = transportJson(['acme', 'globex']);
    const acme = `${APP}.${nameOf(json, APP, 'acme_')}`;
    const names = useExistingGroups(json, 'acme', { users: '00g1users', admins: '00g1admins' });
    addAuthServer(json, 'acme', { users: '00g9other', admins: '00g1admins' });
    addAuthServer(json, 'globex', { users: '${var.globex_users}', admins: '00g1admins' });
    expect(evaluate(json).find((e) => e.address === acme)).toEqual({
      address: acme,
      status: 'non-compliant',
      detail: [
        `policy 'mcp-acme-users' include okta #1 includes existing group data.okta_group.${names.users} (id '00g1users'), which no policy rule of tenant acme's authorization server (mcp-acme) whitelists`,
        `policy 'mcp-acme-admins' include okta #1 includes existing group data.okta_group.${names.admins} (id '00g1admins'), which tenant globex also whitelists: tenants never share a group`,
      ].join('; '),
    });
  });

  test('non-compliant: an application whose name and host disagree, or that names no tenant', () => {
    const json = clone(base);
    only(json, APP).destinations = [{ type: 'public', uri: 'globex.mcp.example.com' }];
    expect(appResult(json)?.detail).toBe(
      "it is named 'mcp-acme' (tenant acme) but covers globex.<domain>, another tenant's host",
    );
    only(json, APP).name = 'shared-tools';
    only(json, APP).destinations = [{ type: 'public', uri: 'tools.mcp.example.com' }];
    expect(appResult(json)?.detail).toBe(
      "it is named 'shared-tools' and covers tools.<domain>, which names no single tenant (mcp-<t>, <t>.<domain>)",
    );
  });

  test('non-compliant: a reusable policy that includes an email domain, at the policy and at the application using it', () => {
    const json = clone(base);
    (only(json, APP).policies as JsonObject[]).push({ id: `\${${POLICY}.open.id}`, precedence: 3 });
    addResource(json, POLICY, 'open', {
      account_id: 'a',
      name: 'open',
      decision: 'allow',
      include: [{ email_domain: { domain: 'example.com' } }],
    });
    expect(evaluate(json)).toEqual([
      { address: appAddress, status: 'non-compliant', detail: "policy 'open' includes email_domain 'example.com'" },
      {
        address: `${POLICY}.open`,
        status: 'non-compliant',
        detail: `policy ${POLICY}.open includes email_domain 'example.com'`,
      },
    ]);
  });

  test('undecided: a decision, the policy list or a group name that cannot be read', () => {
    expect(
      appResult(
        withUsersPolicy((p) => {
          p.decision = '${var.decision}';
        }),
      ),
    ).toEqual({
      address: appAddress,
      status: 'undecided',
      detail: "the decision of policy 'mcp-acme-users': '${var.decision}' names a variable this stack does not declare",
    });
    const list = clone(base);
    only(list, APP).policies = '${var.policies}';
    expect(appResult(list)?.detail).toBe("policies: '${var.policies}' names a variable this stack does not declare");
    const group = withUsersPolicy((p) => {
      p.include = [okta('${var.group}')];
    });
    group.variable = { group: { type: 'string' } };
    expect(appResult(group)).toEqual({
      address: appAddress,
      status: 'undecided',
      detail:
        "policy 'mcp-acme-users' include okta #1.name: variable 'group' has no default: its value comes at plan time",
    });
  });

  test('undecided: existing group ids that cannot be compared with the whitelists (the same tenant, or another)', () => {
    const json = transportJson(['acme', 'globex']);
    const acme = `${APP}.${nameOf(json, APP, 'acme_')}`;
    const names = useExistingGroups(json, 'acme', { users: '${var.acme_users}', admins: '${var.acme_admins}' });
    addAuthServer(json, 'acme', { users: '${var.acme_users_again}', admins: '${var.acme_admins}' });
    addAuthServer(json, 'globex', { users: '${var.globex_users}', admins: '00g7globex' });
    json.variable = Object.fromEntries(
      ['acme_users', 'acme_admins', 'acme_users_again', 'globex_users'].map((v) => [v, { type: 'string' }]),
    );
    expect(evaluate(json).find((e) => e.address === acme)).toEqual({
      address: acme,
      status: 'undecided',
      detail: [
        `policy 'mcp-acme-users' include okta #1: existing group data.okta_group.${names.users} (id \${var.acme_users}) cannot be shown to be the group tenant acme's authorization server whitelists`,
        `policy 'mcp-acme-admins' include okta #1: existing group data.okta_group.${names.admins} (id \${var.acme_admins}) cannot be shown to differ from the groups tenant globex whitelists`,
      ].join('; '),
    });
  });

  test('undecided: an inline policy id that is no policy of the app', () => {
    const json = clone(base);
    (only(json, APP).policies as JsonObject[]).push({ id: 'f3c1c5d2-policy', precedence: 3 });
    expect(appResult(json)).toEqual({
      address: appAddress,
      status: 'undecided',
      detail: 'policies[2].id "f3c1c5d2-policy" is not a cloudflare_zero_trust_access_policy of this app',
    });
  });

  test('undecided: an application name that cannot be read', () => {
    const json = clone(base);
    only(json, APP).name = '${var.app_name}';
    expect(evaluate(json)).toEqual([
      {
        address: appAddress,
        status: 'undecided',
        detail: "name: '${var.app_name}' names a variable this stack does not declare",
      },
    ]);
  });

  test('an application without a name is judged by its hosts: the tenant of a known host, or no tenant', () => {
    const json = clone(base);
    delete only(json, APP).name;
    expect(evaluate(json)).toEqual([{ address: appAddress, status: 'compliant' }]);
    const foreign = withUsersPolicy((p) => {
      p.include = [okta('mcp-globex-users')];
    }, clone(json));
    expect(evaluate(foreign)).toEqual([
      {
        address: appAddress,
        status: 'non-compliant',
        detail:
          "policy 'mcp-acme-users' include okta #1 includes group 'mcp-globex-users' of tenant globex, not of tenant acme",
      },
    ]);
    only(json, APP).destinations = [{ type: 'public', uri: 'tools.mcp.example.com' }];
    expect(evaluate(json)).toEqual([
      {
        address: appAddress,
        status: 'non-compliant',
        detail: "it is named '(unset)' and covers tools.<domain>, which names no single tenant (mcp-<t>, <t>.<domain>)",
      },
    ]);
  });

  test("compliant: an application named for no tenant whose one host is a known tenant's serves that tenant", () => {
    const json = clone(base);
    only(json, APP).name = 'acme-tools';
    expect(evaluate(json)).toEqual([{ address: appAddress, status: 'compliant' }]);
  });

  test("non-compliant: an application named for no tenant that covers two tenants' hosts", () => {
    const json = clone(base);
    only(json, APP).name = 'shared-tools';
    only(json, APP).destinations = [
      { type: 'public', uri: 'acme.mcp.example.com' },
      { type: 'public', uri: 'globex.mcp.example.com' },
    ];
    expect(evaluate(json)).toEqual([
      {
        address: appAddress,
        status: 'non-compliant',
        detail:
          "it is named 'shared-tools' and covers acme.<domain>, globex.<domain>, which names no single tenant (mcp-<t>, <t>.<domain>)",
      },
    ]);
  });

  test("non-compliant: an application covering a wildcard host, not one tenant's host", () => {
    const json = clone(base);
    only(json, APP).destinations = [{ type: 'public', uri: '*.mcp.example.com' }];
    expect(evaluate(json)).toEqual([
      {
        address: appAddress,
        status: 'non-compliant',
        detail: "it covers the wildcard host '*.mcp.example.com', not one tenant's <t>.<domain>",
      },
    ]);
  });

  test.each([
    [
      '${var.host}',
      "the host '${var.host}' of the application: '${var.host}' names a variable this stack does not declare",
    ],
    ['localhost', "the host 'localhost' of the application: not a full hostname"],
  ])('undecided: an application host %s that cannot be read as <t>.<domain>', (uri, detail) => {
    const json = clone(base);
    only(json, APP).destinations = [{ type: 'public', uri }];
    expect(evaluate(json)).toEqual([{ address: appAddress, status: 'undecided', detail }]);
  });

  test.each<[string, (app: JsonObject) => void]>([
    [
      'names two providers',
      (app) => {
        addResource(app, IDP, 'second', { account_id: 'a', name: 'Okta 2', type: 'okta' });
        only(app, APP).allowed_idps = [idpRef, `\${${IDP}.second.id}`];
      },
    ],
    [
      'cannot be read',
      (app) => {
        only(app, APP).allowed_idps = '${var.idps}';
      },
    ],
    [
      'is not set',
      (app) => {
        delete only(app, APP).allowed_idps;
      },
    ],
  ])("undecided: the application's allowed_idps %s, so no one provider to match", (_what, edit) => {
    const json = clone(base);
    edit(json);
    const unmatched = (policy: string) =>
      `policy '${policy}' include okta #1: the application's allowed identity provider cannot be read, so its provider cannot be matched`;
    expect(evaluate(json)).toEqual([
      {
        address: appAddress,
        status: 'undecided',
        detail: [unmatched('mcp-acme-users'), unmatched('mcp-acme-admins')].join('; '),
      },
    ]);
  });

  test.each([
    ['ip', '0.0.0.0/0', "policy 'mcp-acme-users' includes ip '0.0.0.0/0'"],
    ['everyone', true, "policy 'mcp-acme-users' includes everyone"],
    ['email', { '//': 'a note', email: 'dev@example.com' }, "policy 'mcp-acme-users' includes email 'dev@example.com'"],
    ['geo', { country_code: 'US', negate: false }, "policy 'mcp-acme-users' includes geo 'US'"],
  ])('non-compliant: an include of %s written as %j, shown by the one string it holds', (selector, value, detail) => {
    const json = withUsersPolicy((p) => {
      (p.include as JsonObject[]).push({ [selector]: value });
    });
    expect(evaluate(json)).toEqual([{ address: appAddress, status: 'non-compliant', detail }]);
  });

  test("undecided: an okta selector's provider id that is a literal, a provider whose type is unset or unreadable", () => {
    const literal = withUsersPolicy((p) => {
      p.include = [okta('mcp-acme-users', '0f1e2d3c-idp')];
    });
    expect(evaluate(literal)).toEqual([
      {
        address: appAddress,
        status: 'undecided',
        detail:
          'policy \'mcp-acme-users\' include okta #1.identity_provider_id: "0f1e2d3c-idp" is a literal id, not a cloudflare_zero_trust_access_identity_provider of this app',
      },
    ]);
    const idp = `${IDP}.${nameOf(base, IDP)}`;
    const unset = clone(base);
    delete only(unset, IDP).type;
    expect(evaluate(unset)).toEqual([
      {
        address: appAddress,
        status: 'undecided',
        detail: [`the type of ${idp}: not set`, `the type of ${idp}: not set`].join('; '),
      },
    ]);
    const unreadable = clone(base);
    only(unreadable, IDP).type = '${var.idp_type}';
    const why = `the type of ${idp}: '\${var.idp_type}' names a variable this stack does not declare`;
    expect(evaluate(unreadable)).toEqual([{ address: appAddress, status: 'undecided', detail: [why, why].join('; ') }]);
  });

  test('non-compliant: the allowed provider the okta selectors name is not an Okta provider', () => {
    const json = clone(base);
    only(json, IDP).type = 'azureAD';
    const idp = `${IDP}.${nameOf(base, IDP)}`;
    expect(evaluate(json)).toEqual([
      {
        address: appAddress,
        status: 'non-compliant',
        detail: [
          `policy 'mcp-acme-users' include okta #1 names identity provider ${idp} of type 'azureAD', not 'okta'`,
          `policy 'mcp-acme-admins' include okta #1 names identity provider ${idp} of type 'azureAD', not 'okta'`,
        ].join('; '),
      },
    ]);
  });

  test('non-compliant: a policy without a decision', () => {
    const json = withUsersPolicy((p) => {
      delete p.decision;
    });
    expect(evaluate(json)).toEqual([
      {
        address: appAddress,
        status: 'non-compliant',
        detail: "policy 'mcp-acme-users' has decision 'unset' (only 'allow')",
      },
    ]);
  });

  test("undecided: an allow policy's include that cannot be read", () => {
    const json = withUsersPolicy((p) => {
      p.include = '${var.include}';
    });
    expect(evaluate(json)).toEqual([
      {
        address: appAddress,
        status: 'undecided',
        detail: "the include of policy 'mcp-acme-users': '${var.include}' names a variable this stack does not declare",
      },
    ]);
  });

  test('undecided: a reusable policy alone whose existing group no tenant whitelists', () => {
    const json = clone(base);
    addResource(json, POLICY, 'shared', {
      account_id: 'a',
      name: 'shared',
      decision: 'allow',
      include: [okta('${data.okta_group.engineering.name}')],
    });
    json.data = { okta_group: { engineering: { id: '00g1engineering' } } };
    expect(evaluate(json)).toEqual([
      { address: appAddress, status: 'compliant' },
      {
        address: `${POLICY}.shared`,
        status: 'undecided',
        detail: `policy ${POLICY}.shared include okta #1: existing group data.okta_group.engineering (id '00g1engineering') is whitelisted by no tenant's authorization server`,
      },
    ]);
  });

  test('an application without policies admits no one: its name and hosts are not judged here', () => {
    const json = clone(base);
    only(json, APP).name = 'shared-tools';
    only(json, APP).destinations = [{ type: 'public', uri: 'tools.mcp.example.com' }];
    delete only(json, APP).policies;
    expect(evaluate(json)).toEqual([{ address: appAddress, status: 'compliant' }]);
    // With a policy list it cannot read, the application may admit someone: its tenant is judged.
    only(json, APP).policies = '${var.policies}';
    expect(evaluate(json)).toEqual([
      {
        address: appAddress,
        status: 'non-compliant',
        detail:
          "it is named 'shared-tools' and covers tools.<domain>, which names no single tenant (mcp-<t>, <t>.<domain>)",
      },
    ]);
  });

  test.each<[string, JsonObject | undefined, string, string]>([
    [
      'a variable without a default',
      undefined,
      'undecided',
      "policy 'mcp-acme-users' include[1]: variable 'extra' has no default: its value comes at plan time",
    ],
    [
      'a variable whose default is everyone',
      { everyone: {} },
      'non-compliant',
      "policy 'mcp-acme-users' includes everyone",
    ],
  ])('an include entry written as an expression is followed, not skipped: %s', (_what, value, status, detail) => {
    const json = withUsersPolicy((p) => {
      (p.include as unknown[]).push('${var.extra}');
    });
    json.variable = { extra: value === undefined ? { type: 'any' } : { type: 'any', default: value } };
    expect(evaluate(json)).toEqual([{ address: appAddress, status, detail }]);
  });

  test('undecided: an include entry that is no rule (a nested list)', () => {
    const json = withUsersPolicy((p) => {
      (p.include as unknown[]).push([{ everyone: {} }]);
    });
    expect(evaluate(json)).toEqual([
      {
        address: appAddress,
        status: 'undecided',
        detail: 'policy \'mcp-acme-users\' include[1]: [{"everyone":{}}] is not an include rule',
      },
    ]);
  });

  test.each([
    [
      'a variable without a default',
      undefined,
      'undecided',
      "policies[2]: variable 'extra_policy' has no default: its value comes at plan time",
    ],
    [
      'a variable whose default is a policy including everyone',
      { name: 'extra', decision: 'allow', include: [{ everyone: {} }] },
      'non-compliant',
      "policy 'extra' includes everyone",
    ],
    ['a variable whose default is no policy', 'text', 'undecided', 'policies[2]: "text" is not a policy'],
  ])(
    "an application's policy written as an expression is followed, not skipped: %s",
    (_what, value, status, detail) => {
      const json = clone(base);
      const policies = only(json, APP).policies as unknown[];
      expect(policies).toHaveLength(2);
      policies.push('${var.extra_policy}');
      json.variable = { extra_policy: value === undefined ? { type: 'any' } : { type: 'any', default: value } };
      expect(evaluate(json)).toEqual([{ address: appAddress, status, detail }]);
    },
  );

  test.each([
    [
      'a variable without a default',
      undefined,
      'undecided',
      "the host '${var.d}' of the application: destinations[1]: variable 'd' has no default: its value comes at plan time",
    ],
    [
      'a variable whose default is a wildcard destination',
      { uri: '*.mcp.example.com' },
      'non-compliant',
      "it covers the wildcard host '*.mcp.example.com', not one tenant's <t>.<domain>",
    ],
    [
      'a variable whose default is no destination',
      'x',
      'undecided',
      'the host \'${var.d}\' of the application: destinations[1]: "x" is not a destination',
    ],
  ])(
    "an application's destination written as an expression is followed, not skipped: %s",
    (_what, value, status, detail) => {
      const json = clone(base);
      const destinations = only(json, APP).destinations as unknown[];
      expect(destinations).toEqual([{ type: 'public', uri: 'acme.mcp.example.com' }]);
      destinations.push('${var.d}');
      json.variable = { d: value === undefined ? { type: 'any' } : { type: 'any', default: value } };
      expect(evaluate(json)).toEqual([{ address: appAddress, status, detail }]);
    },
  );

  test('not applicable: a stack without Access applications or policies', () => {
    expect(evaluate({})).toEqual([]);
    expect(Object.keys(resourcesOf(base, APP))).toHaveLength(1);
  });
});

describe('MCP-NET-3 and service accounts', () => {
  const TOKEN = 'cloudflare_zero_trust_access_service_token';
  let base: JsonObject;
  beforeAll(() => {
    base = rawJson(transportStack(['acme', 'globex'], { serviceAccounts: [{ name: 'deploy-bot' }] }).stack);
  });
  const app = (json: JsonObject, tenant: string) => resourcesOf(json, APP)[nameOf(json, APP, `${tenant}_`)];
  const address = (json: JsonObject, tenant: string) => `${APP}.${nameOf(json, APP, `${tenant}_`)}`;
  /** acme's service policy (policies[2]) changed. */
  function withServicePolicy(change: (policy: JsonObject) => void): JsonObject {
    const json = clone(base);
    change((app(json, 'acme').policies as JsonObject[])[2]);
    return json;
  }
  const acmeResult = (json: JsonObject) => evaluate(json).find((e) => e.address === address(json, 'acme'));
  const tokenRef = (json: JsonObject, tenant: string) => `\${${TOKEN}.${nameOf(json, TOKEN, `${tenant}_`)}.id}`;

  test("compliant: each application admits its own service account's token by a non_identity policy naming it alone", () => {
    const results = evaluate(base);
    expect(results).toHaveLength(2);
    expect(results.every((r) => r.status === 'compliant')).toBe(true);
  });

  test.each<[string, (p: JsonObject, json: JsonObject) => void, (json: JsonObject) => string]>([
    [
      'any_valid_service_token instead of the token',
      (p) => {
        p.include = [{ any_valid_service_token: {} }];
      },
      () =>
        "policy 'mcp-acme-svc-deploy-bot' (non_identity) includes any_valid_service_token: every service token of the account (only one service_token); policy 'mcp-acme-svc-deploy-bot' (non_identity) includes 0 service tokens (exactly one: a policy per service account)",
    ],
    [
      'a second token beside it',
      (p, json) => {
        (p.include as JsonObject[]).push({ service_token: { token_id: tokenRef(json, 'acme') } });
      },
      () =>
        "policy 'mcp-acme-svc-deploy-bot' (non_identity) includes 2 service tokens (exactly one: a policy per service account)",
    ],
    [
      "another tenant's token",
      (p, json) => {
        p.include = [{ service_token: { token_id: tokenRef(json, 'globex') } }];
      },
      (json) =>
        `policy 'mcp-acme-svc-deploy-bot' includes service token ${TOKEN}.${nameOf(json, TOKEN, 'globex_')} named 'mcp-globex-svc-deploy-bot', not a service account of tenant acme (mcp-acme-svc-<name>)`,
    ],
    [
      'an email beside the token',
      (p) => {
        (p.include as JsonObject[]).push({ email: { email: 'bot@example.com' } });
      },
      () => "policy 'mcp-acme-svc-deploy-bot' (non_identity) includes email 'bot@example.com' (only one service_token)",
    ],
  ])('non-compliant: %s', (_what, edit, detail) => {
    const json = clone(base);
    edit((app(json, 'acme').policies as JsonObject[])[2], json);
    expect(acmeResult(json)).toEqual({ address: address(json, 'acme'), status: 'non-compliant', detail: detail(json) });
  });

  test('non-compliant: the service token in an allow policy (a people policy), as before', () => {
    const json = withServicePolicy((p) => {
      p.decision = 'allow';
    });
    expect(acmeResult(json)?.detail).toBe(
      `policy 'mcp-acme-svc-deploy-bot' includes service_token '${tokenRef(json, 'acme')}'`,
    );
  });

  test('undecided: a token id no stack declares', () => {
    const json = withServicePolicy((p) => {
      p.include = [{ service_token: { token_id: '0d1f5a2c-0000-4000-8000-000000000000' } }];
    });
    expect(acmeResult(json)).toEqual({
      address: address(json, 'acme'),
      status: 'undecided',
      detail:
        'policy \'mcp-acme-svc-deploy-bot\' include service_token: "0d1f5a2c-0000-4000-8000-000000000000" is a literal id, not a cloudflare_zero_trust_access_service_token of this app',
    });
  });

  test("a reusable policy judged alone: its token must be some tenant's service account", () => {
    const json = clone(base);
    addResource(json, POLICY, 'svc', {
      account_id: 'a',
      name: 'svc',
      decision: 'non_identity',
      include: [{ service_token: { token_id: tokenRef(json, 'acme') } }],
    });
    expect(evaluate(json).find((e) => e.address === `${POLICY}.svc`)).toEqual({
      address: `${POLICY}.svc`,
      status: 'compliant',
    });
    resourcesOf(json, TOKEN)[nameOf(json, TOKEN, 'acme_')].name = 'ci-token';
    expect(evaluate(json).find((e) => e.address === `${POLICY}.svc`)?.detail).toBe(
      `policy ${POLICY}.svc includes service token ${TOKEN}.${nameOf(json, TOKEN, 'acme_')} named 'ci-token', which is no tenant's service account (mcp-<t>-svc-<name>)`,
    );
  });

  test("undecided: a service account policy's include, or its token's name, that cannot be read", () => {
    const include = withServicePolicy((p) => {
      p.include = '${var.include}';
    });
    expect(acmeResult(include)).toEqual({
      address: address(include, 'acme'),
      status: 'undecided',
      detail:
        "the include of policy 'mcp-acme-svc-deploy-bot': '${var.include}' names a variable this stack does not declare",
    });
    const token = `${TOKEN}.${nameOf(base, TOKEN, 'acme_')}`;
    const unreadable = clone(base);
    resourcesOf(unreadable, TOKEN)[nameOf(base, TOKEN, 'acme_')].name = '${var.token_name}';
    expect(acmeResult(unreadable)).toEqual({
      address: address(unreadable, 'acme'),
      status: 'undecided',
      detail: `the name of ${token}: '\${var.token_name}' names a variable this stack does not declare`,
    });
    const unset = clone(base);
    delete resourcesOf(unset, TOKEN)[nameOf(base, TOKEN, 'acme_')].name;
    expect(acmeResult(unset)).toEqual({
      address: address(unset, 'acme'),
      status: 'undecided',
      detail: `the name of ${token}: not set`,
    });
  });

  test("non-compliant: a service account policy's include entry written as a variable holding any_valid_service_token", () => {
    const json = withServicePolicy((p) => {
      (p.include as unknown[]).push('${var.extra}');
    });
    json.variable = { extra: { type: 'any', default: { any_valid_service_token: {} } } };
    expect(acmeResult(json)).toEqual({
      address: address(json, 'acme'),
      status: 'non-compliant',
      detail:
        "policy 'mcp-acme-svc-deploy-bot' (non_identity) includes any_valid_service_token: every service token of the account (only one service_token)",
    });
  });
});
