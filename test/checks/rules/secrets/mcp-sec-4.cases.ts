import type { JsonObject } from '../../../../lib/model/stack';
import { MCP_SEC_4 } from '../../../../lib/checks/rules/secrets/mcp-sec-4';
import { TerraformVariable } from '../../../../lib/core/cdktf';
import { clone, newStack, rawJson } from '../../../helpers';
import { HUMAN_LOGIN, secretsStack } from '../../../secrets/fixtures';
import {
  addMcpAuthServer,
  addMcpDeployment,
  addResource,
  bodyOf,
  evaluate,
  evaluateIn,
  mcpAudience,
  plainStack,
  problems,
} from './fixtures';

/** Two tenants with a human login, and their MCP authorization servers (as the identity layer makes them). */
function humanStack(tenantClaim?: 'groups' | 'tid'): JsonObject {
  const { json } = secretsStack(['acme', 'globex'], { humanLogin: { ...HUMAN_LOGIN, tenantClaim } });
  addMcpAuthServer(json, 'acme');
  addMcpAuthServer(json, 'globex');
  return json;
}

describe('MCP-SEC-4', () => {
  let json: JsonObject;
  beforeAll(() => {
    json = humanStack();
  });

  function withAcmeRole(change: (role: JsonObject) => void, base: JsonObject = json): JsonObject {
    const tampered = clone(base);
    change(bodyOf(tampered, 'vault_jwt_auth_backend_role', 'acme_'));
    return tampered;
  }

  test("compliant: each tenant's human role binds Vault's own audience and groups = mcp-<t>-admins, 900 s / 3600 s", () => {
    const results = evaluate(MCP_SEC_4, json);
    expect(results).toHaveLength(2);
    expect(problems(results)).toEqual([]);
  });

  test('compliant: the tid claim instead of groups', () => {
    const results = evaluate(MCP_SEC_4, humanStack('tid'));
    expect(results).toHaveLength(2);
    expect(problems(results)).toEqual([]);
  });

  test('not applicable: an empty stack, and the default (no human login)', () => {
    expect(evaluate(MCP_SEC_4, rawJson(newStack()))).toEqual([]);
    expect(evaluate(MCP_SEC_4, secretsStack(['acme']).json)).toEqual([]);
  });

  test.each<[string, (role: JsonObject) => void]>([
    [
      'token_ttl 900 and token_max_ttl 3600 (the limits)',
      (r) => Object.assign(r, { token_ttl: 900, token_max_ttl: 3600 }),
    ],
    [
      'leeways of 150 s (the limit) and 0',
      (r) => Object.assign(r, { expiration_leeway: 150, not_before_leeway: 150, clock_skew_leeway: 0 }),
    ],
    ['a further narrowing claim', (r) => (r.bound_claims = { ...(r.bound_claims as object), amr: 'hwk' })],
    ['bound_claims_type glob with one exact value (no glob character)', (r) => (r.bound_claims_type = 'glob')],
  ])('compliant: %s', (_name, change) => {
    expect(problems(evaluate(MCP_SEC_4, withAcmeRole(change)))).toEqual([]);
  });

  describe('leeways and token lifetimes at every limit (a number or a numeric string)', () => {
    const LEEWAY = 'between 0 and 150; a negative leeway switches the check off';
    test.each<[string, string, number | string]>([
      ['expiration_leeway 150', 'expiration_leeway', 150],
      ['not_before_leeway 150', 'not_before_leeway', 150],
      ['clock_skew_leeway 150', 'clock_skew_leeway', 150],
      ['clock_skew_leeway "150" (a numeric string)', 'clock_skew_leeway', '150'],
      ['expiration_leeway 0', 'expiration_leeway', 0],
      ['token_ttl "900" (a numeric string)', 'token_ttl', '900'],
      ['token_max_ttl "3600" (a numeric string)', 'token_max_ttl', '3600'],
      ['token_ttl 1', 'token_ttl', 1],
    ])('compliant at the limit: %s', (_name, attribute, value) => {
      expect(
        problems(
          evaluate(
            MCP_SEC_4,
            withAcmeRole((r) => (r[attribute] = value)),
          ),
        ),
      ).toEqual([]);
    });

    test.each<[string, string, number | string, string]>([
      ['expiration_leeway 151', 'expiration_leeway', 151, `expiration_leeway is 151 (${LEEWAY})`],
      ['clock_skew_leeway 151', 'clock_skew_leeway', 151, `clock_skew_leeway is 151 (${LEEWAY})`],
      [
        'clock_skew_leeway "151" (a numeric string)',
        'clock_skew_leeway',
        '151',
        `clock_skew_leeway is 151 (${LEEWAY})`,
      ],
      ['not_before_leeway -1', 'not_before_leeway', -1, `not_before_leeway is -1 (${LEEWAY})`],
      [
        "expiration_leeway '150s' (a duration string: the provider reads seconds)",
        'expiration_leeway',
        '150s',
        `expiration_leeway is "150s" (a number: ${LEEWAY})`,
      ],
      ['token_ttl "901" (a numeric string)', 'token_ttl', '901', 'token_ttl is 901 (between 1 and 900)'],
      ['token_ttl 0', 'token_ttl', 0, 'token_ttl is 0 (between 1 and 900)'],
      ["token_ttl '15m'", 'token_ttl', '15m', 'token_ttl is "15m" (a number: between 1 and 900)'],
      [
        'token_max_ttl "3601" (a numeric string)',
        'token_max_ttl',
        '3601',
        'token_max_ttl is 3601 (between 1 and 3600)',
      ],
      ["token_max_ttl '1h'", 'token_max_ttl', '1h', 'token_max_ttl is "1h" (a number: between 1 and 3600)'],
    ])('non-compliant one past the limit: %s', (_name, attribute, value, detail) => {
      expect(
        problems(
          evaluate(
            MCP_SEC_4,
            withAcmeRole((r) => (r[attribute] = value)),
          ),
        ),
      ).toEqual([['non-compliant', detail]]);
    });
  });

  describe('the MCP audience', () => {
    test("non-compliant: bound to the tenant's own MCP audience (Vault would accept the MCP server's token)", () => {
      const tampered = withAcmeRole((r) => (r.bound_audiences = [mcpAudience('acme')]));
      const results = evaluate(MCP_SEC_4, tampered);
      expect(problems(results)).toEqual([
        [
          'non-compliant',
          "bound_audiences is 'https://acme.mcp.example.com/mcp', an MCP audience (the audience of okta_auth_server.mcp_acme): Vault would accept the token the MCP server receives",
        ],
      ]);
      expect(results.find((r) => r.status !== 'compliant')?.address).toMatch(
        /^vault_jwt_auth_backend_role\.acme_JwtRole_/,
      );
    });

    test("non-compliant: bound to another tenant's MCP audience", () => {
      const tampered = withAcmeRole((r) => (r.bound_audiences = [mcpAudience('globex')]));
      expect(problems(evaluate(MCP_SEC_4, tampered))).toEqual([
        [
          'non-compliant',
          expect.stringContaining("bound_audiences is 'https://globex.mcp.example.com/mcp', an MCP audience"),
        ],
      ]);
    });

    test('non-compliant: an audience an MCP container is told (MCP_OAUTH_AUDIENCE), with no authorization server in the app', () => {
      const { json: plain } = secretsStack(['acme'], { humanLogin: HUMAN_LOGIN });
      addMcpDeployment(plain, 'acme', { MCP_OAUTH_AUDIENCE: 'https://vault.example.com' });
      expect(problems(evaluate(MCP_SEC_4, plain))).toEqual([
        [
          'non-compliant',
          "bound_audiences is 'https://vault.example.com', an MCP audience (MCP_OAUTH_AUDIENCE of container 'mcp-server' in kubernetes_deployment_v1.mcp_acme): Vault would accept the token the MCP server receives",
        ],
      ]);
    });

    test('non-compliant: an audience of an authorization server an MCP container trusts (MCP_OAUTH_ISSUER)', () => {
      const { json: plain } = secretsStack(['acme'], { humanLogin: HUMAN_LOGIN });
      addResource(plain, 'okta_auth_server', 'shared', { name: 'shared', audiences: ['https://vault.example.com'] });
      addMcpDeployment(plain, 'acme', {
        MCP_OAUTH_ISSUER: '${okta_auth_server.shared.issuer}',
        MCP_OAUTH_AUDIENCE: 'https://acme.mcp.example.com/mcp',
      });
      expect(problems(evaluate(MCP_SEC_4, plain))).toEqual([
        [
          'non-compliant',
          "bound_audiences is 'https://vault.example.com', an MCP audience (the audience of okta_auth_server.shared): Vault would accept the token the MCP server receives",
        ],
      ]);
    });

    test('non-compliant: an MCP audience read through a variable default and a reference', () => {
      const tampered = withAcmeRole((r) => (r.bound_audiences = ['${var.vault_audience}']));
      tampered.variable = { vault_audience: { type: 'string', default: '${okta_auth_server.mcp_acme.audiences[0]}' } };
      expect(problems(evaluate(MCP_SEC_4, tampered))).toEqual([
        [
          'non-compliant',
          "bound_audiences is 'https://acme.mcp.example.com/mcp' (read from '${var.vault_audience}'), an MCP audience (the audience of okta_auth_server.mcp_acme): Vault would accept the token the MCP server receives",
        ],
      ]);
    });

    test('non-compliant: the MCP audience read from a foundation stack through remote state', () => {
      const cell = withAcmeRole((r) => (r.bound_audiences = ['${data.terraform_remote_state.base.outputs.aud}']));
      (cell.data as unknown) = {
        terraform_remote_state: { base: { backend: 'local', config: { path: 'base.tfstate' } } },
      };
      const base = {
        terraform: { backend: { local: { path: 'base.tfstate' } } },
        output: { aud: { value: mcpAudience('acme') } },
      };
      expect(problems(evaluateIn(MCP_SEC_4, { cell, base }, 'cell'))).toEqual([
        [
          'non-compliant',
          "bound_audiences is 'https://acme.mcp.example.com/mcp' (read from '${data.terraform_remote_state.base.outputs.aud}'), an MCP audience (the audience of okta_auth_server.mcp_acme): Vault would accept the token the MCP server receives",
        ],
      ]);
    });

    test('undecided (an error): an MCP audience that cannot be read', () => {
      const { json: plain } = secretsStack(['acme'], { humanLogin: HUMAN_LOGIN });
      addMcpDeployment(plain, 'acme', { MCP_OAUTH_AUDIENCE: '${var.audience}' });
      plain.variable = { audience: { type: 'string' } };
      expect(problems(evaluate(MCP_SEC_4, plain))).toEqual([
        [
          'undecided',
          "bound_audiences 'https://vault.example.com' cannot be shown to differ from every MCP audience: MCP_OAUTH_AUDIENCE of container 'mcp-server' in kubernetes_deployment_v1.mcp_acme: variable 'audience' has no default: its value comes at plan time",
        ],
      ]);
    });

    test('undecided (an error): a bound audience known only at plan time', () => {
      const { stack, mounts } = secretsStack(['acme'], { humanLogin: HUMAN_LOGIN });
      mounts[0].jwtRole!.boundAudiences = [new TerraformVariable(stack, 'aud', { type: 'string' }).stringValue];
      expect(problems(evaluate(MCP_SEC_4, rawJson(stack)))).toEqual([
        ['undecided', "bound_audiences[0] cannot be read: variable 'aud' has no default: its value comes at plan time"],
      ]);
    });
  });

  test.each<[string, (role: JsonObject) => void, string]>([
    [
      'two audiences',
      (r) => (r.bound_audiences = ['https://vault.example.com', 'https://vault2.example.com']),
      'bound_audiences has 2 entries (https://vault.example.com, https://vault2.example.com) (exactly one: an audience only Vault receives)',
    ],
    [
      'no audience',
      (r) => delete r.bound_audiences,
      'bound_audiences has 0 entries (exactly one: an audience only Vault receives)',
    ],
    ['a wildcard audience', (r) => (r.bound_audiences = ['*']), "bound_audiences includes '*' (one exact audience)"],
    ['an empty audience', (r) => (r.bound_audiences = ['']), "bound_audiences includes '' (one exact audience)"],
    [
      'no claim that names the tenant',
      (r) => (r.bound_claims = { amr: 'hwk' }),
      'bound_claims has no claim that names the tenant (tid = <t>, or groups = mcp-<t>-admins)',
    ],
    [
      "another tenant's admins",
      (r) => (r.bound_claims = { groups: 'mcp-globex-admins' }),
      "it names tenant 'globex', not the role's tenant 'acme'",
    ],
    [
      "the tenant's users, not its admins",
      (r) => (r.bound_claims = { groups: 'mcp-acme-users' }),
      "bound_claims.groups is 'mcp-acme-users', which names no tenant (mcp-<t>-admins)",
    ],
    [
      'a list of groups (any of them)',
      (r) => (r.bound_claims = { groups: 'mcp-acme-admins,mcp-globex-admins' }),
      "bound_claims.groups is 'mcp-acme-admins,mcp-globex-admins' (one value, no list or glob: mcp-<t>-admins)",
    ],
    [
      'a glob',
      (r) => {
        r.bound_claims = { groups: 'mcp-*-admins' };
        r.bound_claims_type = 'glob';
      },
      "bound_claims.groups is 'mcp-*-admins' (one value, no list or glob: mcp-<t>-admins)",
    ],
    [
      "a literal '*' with bound_claims_type string (not a glob there: a value that names no tenant)",
      (r) => (r.bound_claims = { groups: 'mcp-*-admins' }),
      "bound_claims.groups is 'mcp-*-admins', which names no tenant (mcp-<t>-admins)",
    ],
    [
      "another tenant's tid",
      (r) => (r.bound_claims = { tid: 'globex' }),
      "it names tenant 'globex', not the role's tenant 'acme'",
    ],
    ['an empty tid', (r) => (r.bound_claims = { tid: '' }), 'bound_claims.tid is empty (one value: <t>)'],
    ['a tid of null (unset)', (r) => (r.bound_claims = { tid: null }), 'bound_claims.tid is empty (one value: <t>)'],
    ['role type oidc', (r) => (r.role_type = 'oidc'), "role_type is 'oidc' (it must be 'jwt')"],
    ['role type unset', (r) => delete r.role_type, "role_type is not set (Vault's default is oidc) (it must be 'jwt')"],
    [
      'the exp check switched off',
      (r) => (r.expiration_leeway = -1),
      'expiration_leeway is -1 (between 0 and 150; a negative leeway switches the check off)',
    ],
    [
      'a leeway of 151 s',
      (r) => (r.not_before_leeway = 151),
      'not_before_leeway is 151 (between 0 and 150; a negative leeway switches the check off)',
    ],
    ['token_ttl 901', (r) => (r.token_ttl = 901), 'token_ttl is 901 (between 1 and 900)'],
    ['token_max_ttl 3601', (r) => (r.token_max_ttl = 3601), 'token_max_ttl is 3601 (between 1 and 3600)'],
    [
      'a period',
      (r) => (r.token_period = 3600),
      'token_period is 3600 (a periodic token never expires while it is renewed)',
    ],
    [
      "globex's human policy",
      (r) => (r.token_policies = ['mcp-globex-humans']),
      "token_policies names 'mcp-globex-humans', a policy of tenant 'globex', not of tenant 'acme'",
    ],
  ])('non-compliant: %s', (_name, change, detail) => {
    expect(problems(evaluate(MCP_SEC_4, withAcmeRole(change)))).toEqual([['non-compliant', detail]]);
  });

  describe('the backend', () => {
    test('non-compliant: a backend without a bound issuer, or with an http one', () => {
      const none = clone(json);
      delete bodyOf(none, 'vault_jwt_auth_backend', 'acme_').bound_issuer;
      expect(problems(evaluate(MCP_SEC_4, none))).toEqual([
        [
          'non-compliant',
          expect.stringMatching(/^its backend vault_jwt_auth_backend\.acme_JwtAuth_[0-9A-F]{8} has no bound_issuer$/),
        ],
      ]);
      const http = clone(json);
      bodyOf(http, 'vault_jwt_auth_backend', 'acme_').bound_issuer = 'http://example.okta.com/oauth2/ausvault';
      expect(problems(evaluate(MCP_SEC_4, http))).toEqual([
        [
          'non-compliant',
          expect.stringMatching(/has bound_issuer 'http:\/\/example\.okta\.com\/oauth2\/ausvault' \(an https URL\)$/),
        ],
      ]);
    });

    test("non-compliant: a backend under another tenant's prefix", () => {
      const tampered = clone(json);
      bodyOf(tampered, 'vault_jwt_auth_backend', 'acme_').path = 'tenants/globex/jwt2';
      expect(problems(evaluate(MCP_SEC_4, tampered))).toEqual([
        ['non-compliant', "it names tenant 'globex', not the role's tenant 'acme'"],
      ]);
    });

    test("compliant: an Okta authorization server's issuer, known at apply", () => {
      const tampered = clone(json);
      addResource(tampered, 'okta_auth_server', 'vault', { name: 'vault-humans', audiences: [HUMAN_LOGIN.audience] });
      bodyOf(tampered, 'vault_jwt_auth_backend', 'acme_').bound_issuer = '${okta_auth_server.vault.issuer}';
      expect(problems(evaluate(MCP_SEC_4, tampered))).toEqual([]);
    });

    test("compliant: a role without backend uses Vault's default path jwt", () => {
      const tampered = withAcmeRole((r) => delete r.backend);
      bodyOf(tampered, 'vault_jwt_auth_backend', 'acme_').path = 'jwt';
      expect(problems(evaluate(MCP_SEC_4, tampered))).toEqual([]);
    });

    test("compliant: the role's backend written with leading and trailing slashes ('//tenants/acme/jwt//')", () => {
      const tampered = withAcmeRole((r) => (r.backend = '//tenants/acme/jwt//'));
      expect(problems(evaluate(MCP_SEC_4, tampered))).toEqual([]);
    });

    test("compliant: the backend's path written with leading and trailing slashes ('//tenants/acme/jwt//')", () => {
      const tampered = withAcmeRole((r) => (r.backend = 'tenants/acme/jwt'));
      bodyOf(tampered, 'vault_jwt_auth_backend', 'acme_').path = '//tenants/acme/jwt//';
      expect(problems(evaluate(MCP_SEC_4, tampered))).toEqual([]);
    });

    test("compliant: another JWT backend of the app whose path is not set is not taken for the role's", () => {
      const tampered = clone(json);
      addResource(tampered, 'vault_jwt_auth_backend', 'other', {
        bound_issuer: 'http://example.okta.com/oauth2/other',
      });
      expect(problems(evaluate(MCP_SEC_4, tampered))).toEqual([]);
    });

    test.each<[string, string, JsonObject | undefined, [string, string]]>([
      [
        "an Okta authorization server's id (not its issuer)",
        '${okta_auth_server.vault.id}',
        { okta_auth_server: { vault: { name: 'vault-humans', audiences: [HUMAN_LOGIN.audience] } } },
        [
          'undecided',
          'bound_issuer of vault_jwt_auth_backend.acme_JwtAuth_66CD91F2 is okta_auth_server.vault.id, known only at apply',
        ],
      ],
      [
        'the issuer of a resource that is no Okta authorization server',
        '${vault_identity_oidc.server.issuer}',
        { vault_identity_oidc: { server: {} } },
        [
          'undecided',
          'bound_issuer of vault_jwt_auth_backend.acme_JwtAuth_66CD91F2 is vault_identity_oidc.server.issuer, known only at apply',
        ],
      ],
      [
        'a variable without a default',
        '${var.issuer}',
        undefined,
        [
          'undecided',
          "bound_issuer of vault_jwt_auth_backend.acme_JwtAuth_66CD91F2 cannot be read: variable 'issuer' has no default: its value comes at plan time",
        ],
      ],
      [
        'an empty string',
        '',
        undefined,
        ['non-compliant', 'its backend vault_jwt_auth_backend.acme_JwtAuth_66CD91F2 has no bound_issuer'],
      ],
    ])('a bound_issuer that is %s', (_name, issuer, resources, problem) => {
      const tampered = clone(json);
      for (const [type, byName] of Object.entries(resources ?? {})) {
        for (const [name, body] of Object.entries(byName as Record<string, JsonObject>)) {
          addResource(tampered, type, name, body);
        }
      }
      tampered.variable = { issuer: { type: 'string' } };
      bodyOf(tampered, 'vault_jwt_auth_backend', 'acme_').bound_issuer = issuer;
      expect(problems(evaluate(MCP_SEC_4, tampered))).toEqual([problem]);
    });

    test('undecided (an error): a backend the app does not declare', () => {
      const tampered = withAcmeRole((r) => (r.backend = 'jwt'));
      expect(problems(evaluate(MCP_SEC_4, tampered))).toEqual([
        ['undecided', "backend 'jwt' is no vault_jwt_auth_backend of the app, so its issuer cannot be checked"],
      ]);
    });
  });

  describe('values that cannot be read are undecided (an error), and nothing more', () => {
    const PLAN_TIME = 'has no default: its value comes at plan time';
    test.each<[string, (role: JsonObject) => void, string]>([
      [
        'the whole bound_audiences list',
        (r) => (r.bound_audiences = '${var.x}'),
        `bound_audiences cannot be read: variable 'x' ${PLAN_TIME}`,
      ],
      [
        'the whole bound_claims map',
        (r) => (r.bound_claims = '${var.x}'),
        `bound_claims cannot be read: variable 'x' ${PLAN_TIME}`,
      ],
      [
        'the groups claim',
        (r) => (r.bound_claims = { groups: '${var.x}' }),
        `bound_claims.groups cannot be read: variable 'x' ${PLAN_TIME}`,
      ],
      ['role_type', (r) => (r.role_type = '${var.x}'), `role_type cannot be read: variable 'x' ${PLAN_TIME}`],
      ['backend', (r) => (r.backend = '${var.x}'), `backend cannot be read: variable 'x' ${PLAN_TIME}`],
    ])('%s from a variable without a default', (_name, change, detail) => {
      const tampered = withAcmeRole(change);
      tampered.variable = { x: { type: 'string' } };
      expect(problems(evaluate(MCP_SEC_4, tampered))).toEqual([['undecided', detail]]);
    });
  });

  test('judges JWT roles of any stack, taking the tenant from the claim', () => {
    const plain = plainStack({
      vault_jwt_auth_backend: { vault: { path: 'jwt', bound_issuer: 'https://example.okta.com/oauth2/ausvault' } },
      vault_policy: { acme: { name: 'mcp-acme-humans', policy: '' } },
      vault_jwt_auth_backend_role: {
        ok: {
          backend: 'jwt',
          role_name: 'ok',
          role_type: 'jwt',
          bound_audiences: ['https://vault.example.com'],
          bound_claims: { tid: 'acme' },
          token_ttl: 600,
          token_max_ttl: 1200,
          token_no_default_policy: true,
          token_policies: ['mcp-acme-humans'],
        },
        ci: { backend: 'jwt', role_name: 'ci', role_type: 'jwt', bound_audiences: ['sts'], token_ttl: 3600 },
      },
    });
    expect(evaluate(MCP_SEC_4, plain)).toEqual([
      { address: 'vault_jwt_auth_backend_role.ok', status: 'compliant' },
      {
        address: 'vault_jwt_auth_backend_role.ci',
        status: 'non-compliant',
        detail:
          "bound_claims has no claim that names the tenant (tid = <t>, or groups = mcp-<t>-admins); token_ttl is 3600 (between 1 and 900); token_max_ttl is not set (Vault's default is 32 days; at most 3600); token_no_default_policy is not set (it must be true: Vault's default policy reaches sys/ and the token store); token_policies is empty (the tenant policy must be named)",
      },
    ]);
  });
});
