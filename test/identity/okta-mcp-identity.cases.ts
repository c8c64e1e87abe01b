import { McpAccessChecks } from '../../lib/checks/pack';
import type { JsonObject } from '../../lib/model/stack';
import { Construct, TerraformLocal, TerraformStack, TerraformVariable, Testing } from '../../lib/core/cdktf';
import type { OktaClientsRef } from '../../lib/core/refs';
import { type ValidationError } from '../../lib/core/validation';
import { OktaMcpIdentity, type OktaMcpIdentityProps } from '../../lib/identity/okta-mcp-identity';
import { bodiesOf, newStack, rawJson, resourcesOf } from '../helpers';
import { DOMAIN, identityStack, only, warningsOf } from './fixtures';

/** Plain client references, as a cell stack gets them from a foundation stack. */
const PLAIN_CLIENTS: OktaClientsRef = {
  mcpClientId: '0oamcpclient',
  adminClientId: '0oaadminclient',
  accessIdpClientId: '0oaaccessidp',
  accessIdpClientSecret: '${var.access_idp_client_secret}',
  orgUrl: 'https://example.okta.com',
};

function props(overrides: Partial<OktaMcpIdentityProps> = {}): OktaMcpIdentityProps {
  return { tenantId: 'acme', domain: DOMAIN, clients: PLAIN_CLIENTS, ...overrides };
}

function problemsOf(p: OktaMcpIdentityProps): readonly string[] {
  try {
    new OktaMcpIdentity(newStack(), 'Identity', p);
  } catch (e) {
    return (e as ValidationError).problems;
  }
  return [];
}

const ref = (json: JsonObject, type: string, part: string, attr = 'id') =>
  `\${${type}.${only(json, type, part).name}.${attr}}`;

describe('OktaMcpIdentity: one tenant', () => {
  let json: JsonObject;
  let identity: OktaMcpIdentity;
  beforeAll(() => {
    const fixture = identityStack(['acme']);
    identity = fixture.identities.acme;
    json = rawJson(fixture.stack);
  });

  test("an auth server with the tenant's audience as its only audience, never destroyed", () => {
    expect(only(json, 'okta_auth_server').body).toMatchObject({
      name: 'mcp-acme',
      audiences: ['https://acme.mcp.example.com/mcp'],
      issuer_mode: 'ORG_URL',
      status: 'ACTIVE',
      lifecycle: { prevent_destroy: true },
    });
  });

  test('use and admin scopes: never default, no consent screen', () => {
    const server = ref(json, 'okta_auth_server', 'AuthServer');
    expect(
      bodiesOf(json, 'okta_auth_server_scope').map(({ name, default: d, consent, auth_server_id }) => ({
        name,
        d,
        consent,
        auth_server_id,
      })),
    ).toEqual([
      { name: 'mcp:acme:use', d: false, consent: 'IMPLICIT', auth_server_id: server },
      { name: 'mcp:acme:admin', d: false, consent: 'IMPLICIT', auth_server_id: server },
    ]);
  });

  test('a tid claim carrying the tenant id as a quoted literal, always in access tokens', () => {
    expect(only(json, 'okta_auth_server_claim').body).toMatchObject({
      name: 'tid',
      claim_type: 'RESOURCE',
      value_type: 'EXPRESSION',
      value: '"acme"',
      always_include_in_token: true,
    });
  });

  test('groups mcp-acme-users and mcp-acme-admins', () => {
    expect(bodiesOf(json, 'okta_group').map((g) => g.name)).toEqual(['mcp-acme-users', 'mcp-acme-admins']);
  });

  test('one policy per client: the MCP client and the admin client, nothing else', () => {
    expect(only(json, 'okta_auth_server_policy', 'ClientPolicy').body).toMatchObject({
      client_whitelist: [ref(json, 'okta_app_oauth', 'McpClient', 'client_id')],
      priority: 1,
    });
    expect(only(json, 'okta_auth_server_policy', 'AdminPolicy').body).toMatchObject({
      client_whitelist: [ref(json, 'okta_app_oauth', 'AdminClient', 'client_id')],
      priority: 2,
    });
  });

  test('users get the use scope and a rotating refresh token through the MCP client; tokens live 15 minutes', () => {
    expect(only(json, 'okta_auth_server_policy_rule', 'UseRule').body).toMatchObject({
      policy_id: ref(json, 'okta_auth_server_policy', 'ClientPolicy'),
      group_whitelist: [ref(json, 'okta_group', 'UserGroup')],
      grant_type_whitelist: ['authorization_code'],
      scope_whitelist: ['mcp:acme:use', 'offline_access'],
      access_token_lifetime_minutes: 15,
      refresh_token_lifetime_minutes: 480,
      refresh_token_window_minutes: 60,
    });
  });

  test('admins get the admin scope only through the admin client, without a refresh token', () => {
    const rule = only(json, 'okta_auth_server_policy_rule', 'AdminRule').body;
    expect(rule).toMatchObject({
      policy_id: ref(json, 'okta_auth_server_policy', 'AdminPolicy'),
      group_whitelist: [ref(json, 'okta_group', 'AdminGroup')],
      grant_type_whitelist: ['authorization_code'],
      scope_whitelist: ['mcp:acme:admin', 'mcp:acme:use'],
      access_token_lifetime_minutes: 15,
    });
    expect(rule.scope_whitelist).not.toContain('offline_access');
  });

  test('each group is assigned to the apps it signs in to, and only those', () => {
    const pairs = bodiesOf(json, 'okta_app_group_assignment').map((a) => [a.app_id, a.group_id]);
    const app = (part: string) => ref(json, 'okta_app_oauth', part);
    const users = ref(json, 'okta_group', 'UserGroup');
    const admins = ref(json, 'okta_group', 'AdminGroup');
    expect(pairs).toEqual([
      [app('McpClient'), users],
      [app('AccessIdpApp'), users],
      [app('AdminClient'), admins],
      [app('AccessIdpApp'), admins],
    ]);
  });

  test('exposes issuer, audience, ids and group names as TenantIdentityRef', () => {
    expect(identity.tenantId).toBe('acme');
    expect(identity.audience).toBe('https://acme.mcp.example.com/mcp');
    expect(identity.useScope).toBe('mcp:acme:use');
    expect(identity.adminScope).toBe('mcp:acme:admin');
    expect(identity.mcpClientScopes).toEqual(['mcp:acme:use', 'offline_access']);
    expect(identity.tokenTtlMinutes).toBe(15);
    const stack = TerraformStack.of(identity);
    new TerraformLocal(stack, 'refs', {
      issuer: identity.issuer,
      authServerId: identity.authServerId,
      userGroupName: identity.userGroupName,
      adminGroupName: identity.adminGroupName,
      userGroupId: identity.userGroupId,
      adminGroupId: identity.adminGroupId,
    });
    const after = rawJson(stack);
    expect((after.locals as JsonObject).refs).toEqual({
      issuer: ref(after, 'okta_auth_server', 'AuthServer', 'issuer'),
      authServerId: ref(after, 'okta_auth_server', 'AuthServer'),
      userGroupName: ref(after, 'okta_group', 'UserGroup', 'name'),
      adminGroupName: ref(after, 'okta_group', 'AdminGroup', 'name'),
      userGroupId: ref(after, 'okta_group', 'UserGroup'),
      adminGroupId: ref(after, 'okta_group', 'AdminGroup'),
    });
  });

  test('records its scope as the tenant cell of acme', () => {
    const meta = ((json['//'] as JsonObject).mcp_access as { tenants: Record<string, string[]> }).tenants;
    expect(meta).toEqual({ acme: ['test/acme/Identity'] });
  });

  test('the rule pack finds no error in the default output', () => {
    const report = McpAccessChecks.check(json);
    expect(report.findings.filter((f) => f.level === 'error')).toEqual([]);
    expect(report.applied).toEqual(
      expect.arrayContaining([
        'MCP-ID-1',
        'MCP-ID-2',
        'MCP-ID-3',
        'MCP-ID-4',
        'MCP-ID-5',
        'MCP-ID-6',
        'MCP-ID-7',
        'MCP-ID-8',
        'MCP-ID-9',
      ]),
    );
  });

  test('snapshot of one tenant with the shared clients', () => {
    expect(Testing.synth(TerraformStack.of(identityStack(['acme']).identities.acme))).toMatchSnapshot();
  });
});

describe('OktaMcpIdentity: three tenants', () => {
  let json: JsonObject;
  beforeAll(() => {
    json = rawJson(identityStack(['acme', 'globex', 'initech']).stack);
  });

  test('per-tenant resources triple; the shared clients stay single', () => {
    const count = (type: string) => Object.keys(resourcesOf(json, type)).length;
    expect(count('okta_auth_server')).toBe(3);
    expect(count('okta_auth_server_scope')).toBe(6);
    expect(count('okta_auth_server_claim')).toBe(3);
    expect(count('okta_group')).toBe(6);
    expect(count('okta_auth_server_policy')).toBe(6);
    expect(count('okta_auth_server_policy_rule')).toBe(6);
    expect(count('okta_app_group_assignment')).toBe(12);
    expect(count('okta_app_oauth')).toBe(3);
    expect(count('okta_app_signon_policy')).toBe(2);
    expect(count('okta_app_signon_policy_rule')).toBe(2);
    expect(count('okta_authenticator')).toBe(1);
  });

  test('audiences are unique, one per tenant', () => {
    expect(bodiesOf(json, 'okta_auth_server').map((s) => s.audiences)).toEqual([
      ['https://acme.mcp.example.com/mcp'],
      ['https://globex.mcp.example.com/mcp'],
      ['https://initech.mcp.example.com/mcp'],
    ]);
  });

  test('every tenant policy allows only the shared clients', () => {
    const allowed = new Set(bodiesOf(json, 'okta_auth_server_policy').flatMap((p) => p.client_whitelist as string[]));
    expect([...allowed]).toEqual([
      ref(json, 'okta_app_oauth', 'McpClient', 'client_id'),
      ref(json, 'okta_app_oauth', 'AdminClient', 'client_id'),
    ]);
  });

  test("adding a tenant leaves another tenant's resources unchanged", () => {
    const one = rawJson(identityStack(['globex']).stack);
    for (const [type, count] of [
      ['okta_auth_server', 1],
      ['okta_auth_server_policy_rule', 2],
      ['okta_group', 2],
    ] as const) {
      const globex = (j: JsonObject) =>
        Object.fromEntries(Object.entries(resourcesOf(j, type)).filter(([name]) => name.startsWith('globex_')));
      expect(Object.keys(globex(one))).toHaveLength(count);
      expect(globex(json)).toEqual(globex(one));
    }
  });

  test('the rule pack finds no error', () => {
    expect(McpAccessChecks.check(json).findings.filter((f) => f.level === 'error')).toEqual([]);
  });
});

describe('OktaMcpIdentity: props', () => {
  test('tokenTtlMinutes sets the access token lifetime of both rules', () => {
    const json = rawJson(identityStack(['acme'], {}, { tokenTtlMinutes: 5 }).stack);
    expect(bodiesOf(json, 'okta_auth_server_policy_rule').map((r) => r.access_token_lifetime_minutes)).toEqual([5, 5]);
  });

  test('refresh token bounds: a longer lifetime and window are applied, each with a warning', () => {
    const { stack, identities } = identityStack(
      ['acme'],
      {},
      { refreshTokenLifetimeMinutes: 720, refreshTokenWindowMinutes: 120 },
    );
    expect(only(rawJson(stack), 'okta_auth_server_policy_rule', 'UseRule').body).toMatchObject({
      refresh_token_lifetime_minutes: 720,
      refresh_token_window_minutes: 120,
    });
    expect(warningsOf(identities.acme)).toEqual([
      'refreshTokenLifetimeMinutes is 720 instead of the default 480: refresh tokens stay on laptops longer',
      'refreshTokenWindowMinutes is 120 instead of the default 60: an unused refresh token stays valid longer',
    ]);
  });

  test('a shorter refresh lifetime shortens the default window with it, without warnings', () => {
    const { stack, identities } = identityStack(['acme'], {}, { refreshTokenLifetimeMinutes: 30 });
    expect(only(rawJson(stack), 'okta_auth_server_policy_rule', 'UseRule').body).toMatchObject({
      refresh_token_lifetime_minutes: 30,
      refresh_token_window_minutes: 30,
    });
    expect(warningsOf(identities.acme)).toEqual([]);
  });

  test('existing groups are looked up by id instead of created', () => {
    const stack = newStack();
    const identity = new OktaMcpIdentity(
      stack,
      'Identity',
      props({ existingGroups: { userGroupId: '00gusers', adminGroupId: '00gadmins' } }),
    );
    const json = rawJson(stack);
    expect(resourcesOf(json, 'okta_group')).toEqual({});
    const data = (json.data as Record<string, Record<string, JsonObject>>).okta_group;
    expect(Object.values(data).map((d) => d.id)).toEqual(['00gusers', '00gadmins']);
    expect(only(json, 'okta_auth_server_policy_rule', 'UseRule').body.group_whitelist).toEqual(['00gusers']);
    expect(only(json, 'okta_auth_server_policy_rule', 'AdminRule').body.group_whitelist).toEqual(['00gadmins']);
    expect(identity.userGroupId).toBe('00gusers');
    new TerraformLocal(stack, 'names', { users: identity.userGroupName });
    expect((rawJson(stack).locals as JsonObject).names).toEqual({
      users: `\${data.okta_group.${Object.keys(data)[0]}.name}`,
    });
  });

  test('with a plain OktaClientsRef, client ids serve as app ids for the group assignments', () => {
    const stack = newStack();
    new OktaMcpIdentity(stack, 'Identity', props());
    expect(bodiesOf(rawJson(stack), 'okta_app_group_assignment').map((a) => a.app_id)).toEqual([
      '0oamcpclient',
      '0oaaccessidp',
      '0oaadminclient',
      '0oaaccessidp',
    ]);
  });

  test('accepts Terraform tokens for the domain and the TTL', () => {
    const stack = newStack();
    const domain = new TerraformVariable(stack, 'domain', { type: 'string' });
    const ttl = new TerraformVariable(stack, 'ttl', { type: 'number' });
    new OktaMcpIdentity(stack, 'Identity', props({ domain: domain.stringValue, tokenTtlMinutes: ttl.numberValue }));
    const json = rawJson(stack);
    expect(only(json, 'okta_auth_server').body.audiences).toEqual(['https://acme.${var.domain}/mcp']);
    expect(only(json, 'okta_auth_server_policy_rule', 'UseRule').body.access_token_lifetime_minutes).toBe('${var.ttl}');
  });

  test('a construct id from the tenant keeps addresses stable under a parent scope', () => {
    const stack = newStack();
    new OktaMcpIdentity(new Construct(stack, 'acme'), 'Identity', props());
    expect(only(rawJson(stack), 'okta_auth_server').name).toMatch(/^acme_Identity_AuthServer_[0-9A-F]{8}$/);
  });
});

describe('OktaMcpIdentity: refresh token bounds (24 hours absolute, 8 hours idle)', () => {
  test.each([
    [1440, 480],
    [1440, 15],
    [480, 480],
    [15, 15],
  ])('accepts lifetime %p with window %p, and the rule pack agrees', (lifetime, window) => {
    expect(problemsOf(props({ refreshTokenLifetimeMinutes: lifetime, refreshTokenWindowMinutes: window }))).toEqual([]);
    const json = rawJson(
      identityStack(['acme'], {}, { refreshTokenLifetimeMinutes: lifetime, refreshTokenWindowMinutes: window }).stack,
    );
    expect(only(json, 'okta_auth_server_policy_rule', 'UseRule').body).toMatchObject({
      refresh_token_lifetime_minutes: lifetime,
      refresh_token_window_minutes: window,
    });
    expect(McpAccessChecks.check(json).findings.filter((f) => f.ruleId === 'MCP-ID-3')).toEqual([]);
  });

  test.each([
    [
      { refreshTokenLifetimeMinutes: 1441 },
      'refreshTokenLifetimeMinutes must be between 15 and 1440, but 1441 was provided',
    ],
    [
      { refreshTokenLifetimeMinutes: 1440, refreshTokenWindowMinutes: 481 },
      'refreshTokenWindowMinutes must be between 15 and 480, but 481 was provided',
    ],
    [{ refreshTokenWindowMinutes: 481 }, 'refreshTokenWindowMinutes must be between 15 and 480, but 481 was provided'],
    [
      { refreshTokenLifetimeMinutes: 240, refreshTokenWindowMinutes: 241 },
      'refreshTokenWindowMinutes must be between 15 and 240, but 241 was provided',
    ],
  ])('refuses %p', (bounds, problem) => {
    expect(problemsOf(props(bounds))).toEqual([problem]);
  });

  test('the defaults are within the bounds: 480 minutes absolute, 60 idle', () => {
    const json = rawJson(identityStack(['acme']).stack);
    expect(only(json, 'okta_auth_server_policy_rule', 'UseRule').body).toMatchObject({
      refresh_token_lifetime_minutes: 480,
      refresh_token_window_minutes: 60,
    });
  });
});

describe('OktaMcpIdentity: validation', () => {
  test('fails when tokenTtlMinutes is outside 5..15', () => {
    expect(() => new OktaMcpIdentity(newStack(), 'Identity', props({ tokenTtlMinutes: 60 }))).toThrow(
      'tokenTtlMinutes must be between 5 and 15, but 60 was provided',
    );
    expect(problemsOf(props({ tokenTtlMinutes: 4 }))).toEqual([
      'tokenTtlMinutes must be between 5 and 15, but 4 was provided',
    ]);
  });

  test('fails when an existing group id is empty', () => {
    expect(problemsOf(props({ existingGroups: { userGroupId: '', adminGroupId: '00gadmins' } }))).toEqual([
      "existingGroups.userGroupId is required, but '' was provided",
    ]);
    expect(problemsOf(props({ existingGroups: { userGroupId: '00gusers', adminGroupId: '' } }))).toEqual([
      "existingGroups.adminGroupId is required, but '' was provided",
    ]);
  });

  test('fails when the tenant id is invalid or a token', () => {
    expect(problemsOf(props({ tenantId: 'Acme' }))).toEqual([
      "tenantId must be a tenant id matching ^[a-z][a-z0-9-]{1,30}$, but 'Acme' was provided",
    ]);
    const stack = newStack();
    const id = new TerraformVariable(stack, 'tenant', { type: 'string' });
    expect(() => new OktaMcpIdentity(stack, 'Identity', props({ tenantId: id.stringValue }))).toThrow(
      'tenantId must be a literal string (it names construct ids), but a token was provided',
    );
  });

  test('fails when the domain is not a plain DNS name', () => {
    expect(problemsOf(props({ domain: 'https://mcp.example.com' }))).toEqual([
      "domain must be a plain lower-case DNS name (no wildcard, scheme, port or path), but 'https://mcp.example.com' was provided",
    ]);
  });

  test('fails when a client id is missing', () => {
    expect(problemsOf(props({ clients: { ...PLAIN_CLIENTS, adminClientId: '' } }))).toEqual([
      "clients.adminClientId is required, but '' was provided",
    ]);
    expect(problemsOf(props({ clients: { ...PLAIN_CLIENTS, mcpClientId: '', accessIdpClientId: '' } }))).toEqual([
      "clients.mcpClientId is required, but '' was provided",
      "clients.accessIdpClientId is required, but '' was provided",
    ]);
  });

  test('fails when refresh token bounds leave their ranges', () => {
    expect(problemsOf(props({ refreshTokenLifetimeMinutes: 2000 }))).toEqual([
      'refreshTokenLifetimeMinutes must be between 15 and 1440, but 2000 was provided',
    ]);
    expect(problemsOf(props({ refreshTokenLifetimeMinutes: 0 }))).toEqual([
      'refreshTokenLifetimeMinutes must be between 15 and 1440, but 0 was provided',
    ]);
    expect(problemsOf(props({ refreshTokenLifetimeMinutes: 120, refreshTokenWindowMinutes: 240 }))).toEqual([
      'refreshTokenWindowMinutes must be between 15 and 120, but 240 was provided',
    ]);
    expect(problemsOf(props({ tokenTtlMinutes: 10, refreshTokenWindowMinutes: 5 }))).toEqual([
      'refreshTokenWindowMinutes must be between 10 and 480, but 5 was provided',
    ]);
  });
});
