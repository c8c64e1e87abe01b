import type { JsonObject } from '../../../../lib/model/stack';
import { MCP_SEC_1 } from '../../../../lib/checks/rules/secrets/mcp-sec-1';
import { TerraformVariable } from '../../../../lib/core/cdktf';
import { clone, newStack, rawJson } from '../../../helpers';
import { secretsStack } from '../../../secrets/fixtures';
import { bodyOf, evaluate, plainStack, problems } from './fixtures';

const policy = (...paths: string[]) => paths.map((p) => `path "${p}" {\n  capabilities = ["read"]\n}\n`).join('\n');

describe('MCP-SEC-1', () => {
  let json: JsonObject;
  beforeAll(() => {
    json = secretsStack(['acme', 'globex', 'initech']).json;
  });

  /** acme's server policy with `text` as its policy. */
  function withAcmePolicy(text: string): JsonObject {
    const tampered = clone(json);
    bodyOf(tampered, 'vault_policy', 'acme_ServerPolicy').policy = text;
    return tampered;
  }

  test('compliant: every tenant mount and policy of three tenants', () => {
    const results = evaluate(MCP_SEC_1, json);
    expect(results).toHaveLength(12);
    expect(problems(results)).toEqual([]);
  });

  test('not applicable: an empty stack', () => {
    expect(evaluate(MCP_SEC_1, rawJson(newStack()))).toEqual([]);
  });

  test("non-compliant: a policy given another tenant's path", () => {
    const results = evaluate(MCP_SEC_1, withAcmePolicy(policy('tenants/acme/kv/data/*', 'tenants/globex/kv/data/*')));
    expect(problems(results)).toEqual([
      ['non-compliant', `path "tenants/globex/kv/data/*" belongs to tenant 'globex'`],
    ]);
    expect(results.find((r) => r.status === 'non-compliant')?.address).toMatch(/^vault_policy\.acme_ServerPolicy_/);
  });

  test.each([
    ['tenants/+/kv/data/*', `path "tenants/+/kv/data/*" reaches beyond one tenant's prefix`],
    ['tenants/*', `path "tenants/*" reaches beyond one tenant's prefix`],
    ['tenants/acme*', `path "tenants/acme*" reaches beyond one tenant's prefix`],
    ['tenants/acme/../globex/kv/data/x', `path "tenants/acme/../globex/kv/data/x" reaches beyond one tenant's prefix`],
    ['*', `path "*" reaches beyond one tenant's prefix`],
    ['sys/policies/acl/*', 'path "sys/policies/acl/*" is under sys/'],
    ['/sys/mounts', 'path "/sys/mounts" is under sys/'],
    ['secret/data/*', 'path "secret/data/*" is outside tenants/acme/'],
    ['auth/token/create', 'path "auth/token/create" is outside tenants/acme/'],
  ])('non-compliant: a tenant policy naming %s', (path, detail) => {
    expect(problems(evaluate(MCP_SEC_1, withAcmePolicy(policy('tenants/acme/kv/data/*', path))))).toEqual([
      ['non-compliant', detail],
    ]);
  });

  test('non-compliant: sudo, in either form, even on its own path', () => {
    const text =
      'path "tenants/acme/kv/data/*" {\n  capabilities = ["read", "sudo"]\n}\npath "tenants/acme/transit/*" {\n  policy = "sudo"\n}\n';
    expect(problems(evaluate(MCP_SEC_1, withAcmePolicy(text)))).toEqual([
      ['non-compliant', 'path "tenants/acme/kv/data/*" grants sudo; path "tenants/acme/transit/*" grants sudo'],
    ]);
  });

  test('non-compliant: a policy that cannot be parsed', () => {
    expect(problems(evaluate(MCP_SEC_1, withAcmePolicy('path "tenants/acme/kv" {')))).toEqual([
      ['non-compliant', "policy cannot be parsed: expected '}' at line 1, column 25"],
    ]);
  });

  test('non-compliant: a tenant mount moved outside its prefix by override', () => {
    const { stack, mounts } = secretsStack(['acme', 'globex']);
    mounts[0].kvMount.addOverride('path', 'secret/acme');
    mounts[0].transitMount.addOverride('path', 'tenants/globex/transit2');
    expect(problems(evaluate(MCP_SEC_1, rawJson(stack)))).toEqual([
      ['non-compliant', "path 'secret/acme' is not under tenants/acme/"],
      ['non-compliant', "path 'tenants/globex/transit2' is not under tenants/acme/"],
    ]);
  });

  test('undecided: a tenant policy written by an expression', () => {
    const { stack, mounts } = secretsStack(['acme']);
    mounts[0].serverPolicy.addOverride('policy', '${data.vault_policy_document.server.hcl}');
    expect(problems(evaluate(MCP_SEC_1, rawJson(stack)))).toEqual([
      ['undecided', 'policy is an unresolved expression'],
    ]);
  });

  test('undecided: a tenant mount path from a variable', () => {
    const { stack, mounts } = secretsStack(['acme']);
    mounts[0].kvMount.path = new TerraformVariable(stack, 'kv', { type: 'string' }).stringValue;
    expect(problems(evaluate(MCP_SEC_1, rawJson(stack)))).toEqual([['undecided', 'path is an unresolved expression']]);
  });

  describe('on a stack without library metadata', () => {
    test('not applicable: mounts and policies that name no tenants/ path', () => {
      const plain = plainStack({
        vault_mount: { kv: { path: 'secret', type: 'kv' } },
        vault_policy: { admin: { name: 'admin', policy: 'path "*" {\n  capabilities = ["sudo"]\n}\n' } },
      });
      expect(evaluate(MCP_SEC_1, plain)).toEqual([]);
    });

    test('a policy naming one tenant is judged for that tenant; two tenants are non-compliant', () => {
      const plain = plainStack({
        vault_mount: { kv: { path: 'tenants/acme/kv', type: 'kv' }, bad: { path: 'tenants/+/kv', type: 'kv' } },
        vault_policy: {
          one: { name: 'one', policy: policy('tenants/acme/kv/data/*', 'tenants/acme/transit/encrypt/mcp') },
          json: {
            name: 'json',
            policy: '{"path": {"tenants/acme/kv/data/*": {"capabilities": ["read"]}, "sys/*": {}}}',
          },
          two: { name: 'two', policy: policy('tenants/acme/kv/data/*', 'tenants/globex/kv/data/*') },
        },
      });
      expect(evaluate(MCP_SEC_1, plain)).toEqual([
        { address: 'vault_mount.kv', status: 'compliant' },
        {
          address: 'vault_mount.bad',
          status: 'non-compliant',
          detail: "path 'tenants/+/kv' is not under tenants/<t>/",
        },
        { address: 'vault_policy.one', status: 'compliant' },
        { address: 'vault_policy.json', status: 'non-compliant', detail: 'path "sys/*" is under sys/' },
        {
          address: 'vault_policy.two',
          status: 'non-compliant',
          detail: 'names the paths of several tenants: acme, globex',
        },
      ]);
    });
  });
});
