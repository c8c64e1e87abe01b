import type { JsonObject } from '../../../../lib/model/stack';
import { MCP_SEC_4 } from '../../../../lib/checks/rules/secrets/mcp-sec-4';
import { TerraformVariable } from '../../../../lib/core/cdktf';
import { clone, newStack, rawJson } from '../../../helpers';
import { secretsStack } from '../../../secrets/fixtures';
import { bodyOf, evaluate, plainStack, problems } from './fixtures';

describe('MCP-SEC-4', () => {
  let json: JsonObject;
  beforeAll(() => {
    json = secretsStack(['acme', 'globex']).json;
  });

  function withAcmeRole(change: (role: JsonObject) => void): JsonObject {
    const tampered = clone(json);
    change(bodyOf(tampered, 'vault_jwt_auth_backend_role', 'acme_'));
    return tampered;
  }

  test("compliant: each tenant's JWT role binds its audience and tid, 900 s / 3600 s", () => {
    const results = evaluate(MCP_SEC_4, json);
    expect(results).toHaveLength(2);
    expect(problems(results)).toEqual([]);
  });

  test('not applicable: an empty stack', () => {
    expect(evaluate(MCP_SEC_4, rawJson(newStack()))).toEqual([]);
  });

  test.each<[string, (role: JsonObject) => void, string]>([
    [
      "another tenant's audience",
      (r) => (r.bound_audiences = ['https://globex.mcp.example.com/mcp']),
      "bound_audiences 'https://globex.mcp.example.com/mcp' is tenant globex's audience",
    ],
    [
      'two audiences',
      (r) => (r.bound_audiences = ['https://acme.mcp.example.com/mcp', 'https://globex.mcp.example.com/mcp']),
      "bound_audiences has 2 entries (exactly one: the tenant's audience)",
    ],
    [
      'no audience',
      (r) => delete r.bound_audiences,
      "bound_audiences has 0 entries (exactly one: the tenant's audience)",
    ],
    ['no tid claim', (r) => (r.bound_claims = { scp: 'mcp:acme:admin' }), "bound_claims has no 'tid' claim"],
    ["another tenant's tid", (r) => (r.bound_claims = { tid: 'globex' }), "bound_claims.tid is 'globex', not 'acme'"],
    [
      'a list of tenants',
      (r) => (r.bound_claims = { tid: 'acme,globex' }),
      "bound_claims.tid is 'acme,globex' (one tenant id); bound_claims.tid is 'acme,globex', not 'acme'",
    ],
    [
      'a glob tid',
      (r) => {
        r.bound_claims = { tid: 'ac*' };
        r.bound_claims_type = 'glob';
      },
      "bound_claims.tid is 'ac*' (one tenant id); bound_claims.tid is 'ac*', not 'acme'",
    ],
    ['a long TTL', (r) => (r.token_ttl = 28800), 'token_ttl is 28800 (between 1 and 900)'],
    ['a long max TTL', (r) => (r.token_max_ttl = 86400), 'token_max_ttl is 86400 (between 1 and 3600)'],
    [
      'a period',
      (r) => (r.token_period = 3600),
      'token_period is 3600 (a periodic token never expires while it is renewed)',
    ],
  ])('non-compliant: %s', (_name, change, detail) => {
    expect(problems(evaluate(MCP_SEC_4, withAcmeRole(change)))).toEqual([['non-compliant', detail]]);
  });

  test('non-compliant: a backend without a bound issuer', () => {
    const tampered = clone(json);
    delete bodyOf(tampered, 'vault_jwt_auth_backend', 'acme_').bound_issuer;
    expect(problems(evaluate(MCP_SEC_4, tampered))).toEqual([
      [
        'non-compliant',
        expect.stringMatching(/^its backend vault_jwt_auth_backend\.acme_JwtAuth_[0-9A-F]{8} has no bound_issuer$/),
      ],
    ]);
  });

  test('non-compliant: an audience widened by override', () => {
    const { stack, mounts } = secretsStack(['acme']);
    mounts[0].jwtRole.addOverride('bound_audiences', ['*']);
    expect(problems(evaluate(MCP_SEC_4, rawJson(stack)))).toEqual([
      ['non-compliant', "bound_audiences has 2 entries (exactly one: the tenant's audience)"],
    ]);
  });

  test('undecided: an audience known only at plan time', () => {
    const { stack, mounts } = secretsStack(['acme']);
    mounts[0].jwtRole.boundAudiences = [new TerraformVariable(stack, 'aud', { type: 'string' }).stringValue];
    expect(problems(evaluate(MCP_SEC_4, rawJson(stack)))).toEqual([
      ['undecided', 'bound_audiences is an unresolved expression'],
    ]);
  });

  test('judges JWT roles of any stack, taking the tenant from tid', () => {
    const plain = plainStack({
      vault_jwt_auth_backend_role: {
        ok: {
          role_name: 'ok',
          user_claim: 'sub',
          bound_audiences: ['https://acme.mcp.example.com/mcp'],
          bound_claims: { tid: 'acme' },
          token_ttl: 600,
          token_max_ttl: 1200,
        },
        ci: { role_name: 'ci', user_claim: 'sub', bound_audiences: ['sts'], token_ttl: 3600 },
      },
    });
    expect(evaluate(MCP_SEC_4, plain)).toEqual([
      { address: 'vault_jwt_auth_backend_role.ok', status: 'compliant' },
      {
        address: 'vault_jwt_auth_backend_role.ci',
        status: 'non-compliant',
        detail:
          "bound_claims has no 'tid' claim; token_ttl is 3600 (between 1 and 900); token_max_ttl is not set (Vault's default is 32 days; at most 3600)",
      },
    ]);
  });
});
