import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { ServiceAccountV1 } from '@cdktf/provider-kubernetes/lib/service-account-v1';
import type { JsonObject } from '../../../../lib/model/stack';
import { MCP_SEC_2 } from '../../../../lib/checks/rules/secrets/mcp-sec-2';
import { TerraformVariable } from '../../../../lib/core/cdktf';
import { TenantVaultSecrets } from '../../../../lib/secrets/tenant-vault-secrets';
import { VaultKubernetesAuth } from '../../../../lib/secrets/vault-kubernetes-auth';
import { clone, newStack, rawJson } from '../../../helpers';
import { mountProps, secretsStack } from '../../../secrets/fixtures';
import { Verdict } from '../../../../lib/checks/verdict';
import { judgeBoolean, judgeNumber, readString, readStringList } from '../../../../lib/checks/rules/secrets/values';
import { SynthesizedStack } from '../../../../lib/model/stack';
import { addResource, bodyOf, evaluate, evaluateIn, plainStack, problems } from './fixtures';

describe('MCP-SEC-2', () => {
  let json: JsonObject;
  beforeAll(() => {
    json = secretsStack(['acme', 'globex']).json;
  });

  function withAcmeRole(change: (role: JsonObject) => void): JsonObject {
    const tampered = clone(json);
    change(bodyOf(tampered, 'vault_kubernetes_auth_backend_role', 'acme_'));
    return tampered;
  }

  test('compliant: each tenant role binds one service account in its namespace, audience vault, 900 s / 3600 s, its own policy', () => {
    const results = evaluate(MCP_SEC_2, json);
    expect(results).toHaveLength(2);
    expect(problems(results)).toEqual([]);
  });

  test('not applicable: an empty stack', () => {
    expect(evaluate(MCP_SEC_2, rawJson(newStack()))).toEqual([]);
  });

  describe('token lifetimes at every limit, in every form Vault reads (a number or a numeric string)', () => {
    test.each<[string, number | string, number | string]>([
      ['token_ttl 900, token_max_ttl 3600 (the limits)', 900, 3600],
      ['token_ttl 1, token_max_ttl 1', 1, 1],
      ['token_ttl 900, token_max_ttl 3600 as numeric strings', '900', '3600'],
      ['token_ttl 1, token_max_ttl 1 as numeric strings', '1', '1'],
    ])('compliant at the limit: %s', (_name, ttl, max) => {
      const tampered = withAcmeRole((r) => {
        r.token_ttl = ttl;
        r.token_max_ttl = max;
      });
      expect(problems(evaluate(MCP_SEC_2, tampered))).toEqual([]);
    });

    test.each<[string, string, number | string, string]>([
      ['token_ttl 901 (one past 900 s)', 'token_ttl', 901, 'token_ttl is 901 (between 1 and 900)'],
      ['token_ttl "901" (one past, as a string)', 'token_ttl', '901', 'token_ttl is 901 (between 1 and 900)'],
      ['token_ttl "0" (one below 1 s, as a string)', 'token_ttl', '0', 'token_ttl is 0 (between 1 and 900)'],
      ['token_max_ttl 3601 (one past 3600 s)', 'token_max_ttl', 3601, 'token_max_ttl is 3601 (between 1 and 3600)'],
      [
        'token_max_ttl "3601" (one past, as a string)',
        'token_max_ttl',
        '3601',
        'token_max_ttl is 3601 (between 1 and 3600)',
      ],
      ['token_max_ttl 0 (one below 1 s)', 'token_max_ttl', 0, 'token_max_ttl is 0 (between 1 and 3600)'],
      [
        "token_ttl '15m' (a Vault duration string: the provider's token_ttl is a number of seconds)",
        'token_ttl',
        '15m',
        'token_ttl is "15m" (a number: between 1 and 900)',
      ],
      ["token_ttl '900s'", 'token_ttl', '900s', 'token_ttl is "900s" (a number: between 1 and 900)'],
      ["token_max_ttl '1h'", 'token_max_ttl', '1h', 'token_max_ttl is "1h" (a number: between 1 and 3600)'],
    ])('non-compliant: %s', (_name, attribute, value, detail) => {
      const tampered = withAcmeRole((r) => (r[attribute] = value));
      expect(problems(evaluate(MCP_SEC_2, tampered))).toEqual([['non-compliant', detail]]);
    });
  });

  test('non-compliant: a role widened to * by override (cdktf appends to the list)', () => {
    const { stack, mounts } = secretsStack(['acme']);
    mounts[0].kubernetesRole.addOverride('bound_service_account_names', ['*']);
    mounts[0].kubernetesRole.addOverride('bound_service_account_namespaces', ['*']);
    expect(problems(evaluate(MCP_SEC_2, rawJson(stack)))).toEqual([
      [
        'non-compliant',
        "bound_service_account_names has 2 entries (mcp-server, *) (exactly one); bound_service_account_names includes '*' (one exact name, no wildcard); " +
          "bound_service_account_namespaces has 2 entries (mcp-acme, *) (exactly one); bound_service_account_namespaces includes '*' (one exact name, no wildcard)",
      ],
    ]);
  });

  test('non-compliant: a role whose bindings are replaced by * in the JSON', () => {
    const tampered = withAcmeRole((r) => {
      r.bound_service_account_names = ['*'];
      r.bound_service_account_namespaces = ['*'];
    });
    expect(problems(evaluate(MCP_SEC_2, tampered))).toEqual([
      [
        'non-compliant',
        "bound_service_account_names includes '*' (one exact name, no wildcard); bound_service_account_namespaces includes '*' (one exact name, no wildcard)",
      ],
    ]);
  });

  test.each<[string, (role: JsonObject) => void, string]>([
    [
      'a glob namespace',
      (r) => (r.bound_service_account_namespaces = ['mcp-*']),
      "bound_service_account_namespaces includes 'mcp-*' (one exact name, no wildcard)",
    ],
    [
      'two service accounts',
      (r) => (r.bound_service_account_names = ['mcp-server', 'default']),
      'bound_service_account_names has 2 entries (mcp-server, default) (exactly one)',
    ],
    [
      'no service account',
      (r) => delete r.bound_service_account_names,
      'bound_service_account_names has 0 entries (exactly one)',
    ],
    [
      'a namespace label selector',
      (r) => (r.bound_service_account_namespace_selector = '{"matchLabels":{"team":"x"}}'),
      `bound_service_account_namespace_selector is '{"matchLabels":{"team":"x"}}' (it admits every namespace its labels match)`,
    ],
    [
      "another tenant's namespace",
      (r) => (r.bound_service_account_namespaces = ['mcp-globex']),
      "bound_service_account_namespaces is 'mcp-globex', not tenant acme's namespace",
    ],
    [
      'no audience',
      (r) => delete r.audience,
      "audience is not set (Vault then accepts a service-account token of any audience; it must be 'vault')",
    ],
    [
      "the API server's audience",
      (r) => (r.audience = 'https://kubernetes.default.svc'),
      "audience is 'https://kubernetes.default.svc' (it must be 'vault', the projected token's audience)",
    ],
    ['token_ttl 901 (one past the limit)', (r) => (r.token_ttl = 901), 'token_ttl is 901 (between 1 and 900)'],
    ['token_ttl 0', (r) => (r.token_ttl = 0), 'token_ttl is 0 (between 1 and 900)'],
    [
      'token_max_ttl 3601 (one past the limit)',
      (r) => (r.token_max_ttl = 3601),
      'token_max_ttl is 3601 (between 1 and 3600)',
    ],
    ['a long max TTL as a string', (r) => (r.token_max_ttl = '86400'), 'token_max_ttl is 86400 (between 1 and 3600)'],
    ['no TTL', (r) => delete r.token_ttl, "token_ttl is not set (Vault's default is 32 days; at most 900)"],
    [
      'no max TTL',
      (r) => delete r.token_max_ttl,
      "token_max_ttl is not set (Vault's default is 32 days; at most 3600)",
    ],
    [
      'a period',
      (r) => (r.token_period = 86400),
      'token_period is 86400 (a periodic token never expires while it is renewed)',
    ],
    [
      'the default policy',
      (r) => (r.token_no_default_policy = false),
      "token_no_default_policy is false (it must be true: Vault's default policy reaches sys/ and the token store)",
    ],
    [
      'token_no_default_policy unset',
      (r) => delete r.token_no_default_policy,
      "token_no_default_policy is not set (it must be true: Vault's default policy reaches sys/ and the token store)",
    ],
    [
      "another tenant's policy",
      (r) => (r.token_policies = ['mcp-globex-server']),
      "token_policies names 'mcp-globex-server', a policy of tenant 'globex', not of tenant 'acme'",
    ],
    [
      'a policy the app does not declare, beside one that cannot be read',
      (r) => (r.token_policies = ['${vault_policy.acme_ServerPolicy_x.name}', 'admin']),
      "token_policies names 'admin', which no stack of the app declares as a vault_policy",
    ],
    ['no policy', (r) => (r.token_policies = []), 'token_policies is empty (the tenant policy must be named)'],
  ])('non-compliant: %s', (_name, change, detail) => {
    expect(problems(evaluate(MCP_SEC_2, withAcmeRole(change)))).toEqual([['non-compliant', detail]]);
  });

  test("non-compliant: the tenant policy plus Vault's admin policy", () => {
    const tampered = withAcmeRole((r) => (r.token_policies = [...(r.token_policies as string[]), 'admin']));
    expect(problems(evaluate(MCP_SEC_2, tampered))).toEqual([
      ['non-compliant', "token_policies names 'admin', which no stack of the app declares as a vault_policy"],
    ]);
  });

  test('non-compliant: a shared policy the app declares', () => {
    const tampered = withAcmeRole((r) => (r.token_policies = ['ops']));
    addResource(tampered, 'vault_policy', 'ops', {
      name: 'ops',
      policy: 'path "secret/*" {\n  capabilities = ["read"]\n}\n',
    });
    expect(problems(evaluate(MCP_SEC_2, tampered))).toEqual([
      ['non-compliant', "token_policies names 'ops', a policy of no tenant, not of tenant 'acme'"],
    ]);
  });

  test('follows references to the namespace and service account of the same stack', () => {
    const stack = newStack();
    const ns = new NamespaceV1(stack, 'Namespace', { metadata: { name: 'mcp-acme' } });
    const sa = new ServiceAccountV1(stack, 'ServiceAccount', {
      metadata: { name: 'mcp-server', namespace: ns.metadata.name },
    });
    const auth = new VaultKubernetesAuth(stack, 'Auth', { existingPath: 'kubernetes' });
    const workload = { tenantId: 'acme', namespace: ns.metadata.name, serviceAccountName: sa.metadata.name };
    new TenantVaultSecrets(stack, 'acme', mountProps(auth, 'acme', { workload }));
    expect(problems(evaluate(MCP_SEC_2, rawJson(stack)))).toEqual([]);
    ns.addOverride('metadata.name', '*');
    expect(problems(evaluate(MCP_SEC_2, rawJson(stack)))).toEqual([
      ['non-compliant', "bound_service_account_namespaces includes '*' (one exact name, no wildcard)"],
    ]);
  });

  test('judges a TTL from a variable by its literal default', () => {
    const tampered = withAcmeRole((r) => (r.token_ttl = '${var.ttl}'));
    tampered.variable = { ttl: { type: 'number', default: 7200 } };
    expect(problems(evaluate(MCP_SEC_2, tampered))).toEqual([
      ['non-compliant', "token_ttl is 7200 (read from '${var.ttl}') (between 1 and 900)"],
    ]);
    (tampered.variable as Record<string, JsonObject>).ttl.default = 900;
    expect(problems(evaluate(MCP_SEC_2, tampered))).toEqual([]);
  });

  test('follows a TTL read from another stack of the app through remote state', () => {
    const tampered = withAcmeRole((r) => (r.token_ttl = '${data.terraform_remote_state.base.outputs.ttl}'));
    addResource(tampered, 'vault_audit', 'x', {});
    (tampered.data as unknown) = {
      terraform_remote_state: { base: { backend: 'local', config: { path: 'base.tfstate' } } },
    };
    const base = {
      terraform: { backend: { local: { path: 'base.tfstate' } } },
      output: { ttl: { value: 3600 } },
    };
    expect(problems(evaluateIn(MCP_SEC_2, { cells: tampered, base }, 'cells'))).toEqual([
      [
        'non-compliant',
        "token_ttl is 3600 (read from '${data.terraform_remote_state.base.outputs.ttl}') (between 1 and 900)",
      ],
    ]);
  });

  test('compliant: token_period 0 (not periodic)', () => {
    expect(
      problems(
        evaluate(
          MCP_SEC_2,
          withAcmeRole((r) => (r.token_period = 0)),
        ),
      ),
    ).toEqual([]);
  });

  test('compliant: the tenant policy named in both token_policies and the legacy policies', () => {
    const tampered = withAcmeRole((r) => (r.policies = [...(r.token_policies as string[])]));
    expect(problems(evaluate(MCP_SEC_2, tampered))).toEqual([]);
  });

  test('compliant: the tenant policy named in the legacy policies only', () => {
    const tampered = withAcmeRole((r) => {
      r.policies = r.token_policies;
      delete r.token_policies;
    });
    expect(problems(evaluate(MCP_SEC_2, tampered))).toEqual([]);
  });

  test('undecided (an error): a token_policies list that cannot be read, and no legacy policies', () => {
    const tampered = withAcmeRole((r) => (r.token_policies = '${var.policies}'));
    expect(problems(evaluate(MCP_SEC_2, tampered))).toEqual([
      ['undecided', "token_policies cannot be read: '${var.policies}' names a variable this stack does not declare"],
    ]);
  });

  test('undecided (an error): a legacy policies list that cannot be read, beside the tenant policy', () => {
    const tampered = withAcmeRole((r) => (r.policies = '${var.policies}'));
    expect(problems(evaluate(MCP_SEC_2, tampered))).toEqual([
      ['undecided', "policies cannot be read: '${var.policies}' names a variable this stack does not declare"],
    ]);
  });

  test('undecided (an error): a policy name that cannot be read', () => {
    const tampered = withAcmeRole((r) => (r.token_policies = ['${vault_policy.acme_ServerPolicy_x.name}']));
    expect(problems(evaluate(MCP_SEC_2, tampered))).toEqual([
      [
        'undecided',
        "token_policies[0] cannot be read: '${vault_policy.acme_ServerPolicy_x.name}' references vault_policy.acme_ServerPolicy_x, which no stack of the app declares",
      ],
    ]);
  });

  test('undecided (an error): a binding or TTL known only at plan time', () => {
    const stack = newStack();
    const auth = new VaultKubernetesAuth(stack, 'Auth', { existingPath: 'kubernetes' });
    const ns = new TerraformVariable(stack, 'namespace', { type: 'string' }).stringValue;
    const ttl = new TerraformVariable(stack, 'ttl', { type: 'number' }).numberValue;
    const workload = { tenantId: 'acme', namespace: ns, serviceAccountName: 'mcp-server' };
    new TenantVaultSecrets(stack, 'acme', mountProps(auth, 'acme', { workload, tokenTtlSeconds: ttl }));
    expect(problems(evaluate(MCP_SEC_2, rawJson(stack)))).toEqual([
      [
        'undecided',
        "bound_service_account_namespaces[0] cannot be read: variable 'namespace' has no default: its value comes at plan time; " +
          "token_ttl cannot be read: variable 'ttl' has no default: its value comes at plan time",
      ],
    ]);
  });

  test.each<[string, (role: JsonObject) => void, [string, string][]]>([
    [
      'a namespaces list that cannot be read',
      (r) => (r.bound_service_account_namespaces = '${var.nope}'),
      [
        [
          'undecided',
          "bound_service_account_namespaces cannot be read: '${var.nope}' names a variable this stack does not declare",
        ],
      ],
    ],
    [
      'a names list that cannot be read',
      (r) => (r.bound_service_account_names = '${var.nope}'),
      [
        [
          'undecided',
          "bound_service_account_names cannot be read: '${var.nope}' names a variable this stack does not declare",
        ],
      ],
    ],
    [
      'a namespace that cannot be read',
      (r) => (r.bound_service_account_namespaces = ['${var.nope}']),
      [
        [
          'undecided',
          "bound_service_account_namespaces[0] cannot be read: '${var.nope}' names a variable this stack does not declare",
        ],
      ],
    ],
    [
      'an empty service account name',
      (r) => (r.bound_service_account_names = ['']),
      [['non-compliant', "bound_service_account_names includes '' (one exact name, no wildcard)"]],
    ],
    [
      'an empty namespace (no other problem: the role keeps its tenant from its name)',
      (r) => (r.bound_service_account_namespaces = ['']),
      [['non-compliant', "bound_service_account_namespaces includes '' (one exact name, no wildcard)"]],
    ],
    [
      "the tenant's namespace after another's (the first of several is not the binding)",
      (r) => (r.bound_service_account_namespaces = ['mcp-globex', 'mcp-acme']),
      [['non-compliant', 'bound_service_account_namespaces has 2 entries (mcp-globex, mcp-acme) (exactly one)']],
    ],
    [
      'null service account names',
      (r) => (r.bound_service_account_names = null),
      [['non-compliant', 'bound_service_account_names has 0 entries (exactly one)']],
    ],
    [
      'null namespaces',
      (r) => (r.bound_service_account_namespaces = null),
      [['non-compliant', 'bound_service_account_namespaces has 0 entries (exactly one)']],
    ],
    [
      'empty namespaces',
      (r) => (r.bound_service_account_namespaces = []),
      [['non-compliant', 'bound_service_account_namespaces has 0 entries (exactly one)']],
    ],
    [
      'absent namespaces',
      (r) => delete r.bound_service_account_namespaces,
      [['non-compliant', 'bound_service_account_namespaces has 0 entries (exactly one)']],
    ],
    [
      'a namespace selector that cannot be read',
      (r) => (r.bound_service_account_namespace_selector = '${var.nope}'),
      [
        [
          'undecided',
          "bound_service_account_namespace_selector cannot be read: '${var.nope}' names a variable this stack does not declare",
        ],
      ],
    ],
    [
      'an audience that cannot be read',
      (r) => (r.audience = '${var.nope}'),
      [['undecided', "audience cannot be read: '${var.nope}' names a variable this stack does not declare"]],
    ],
    [
      'a null audience (unset)',
      (r) => (r.audience = null),
      [
        [
          'non-compliant',
          "audience is not set (Vault then accepts a service-account token of any audience; it must be 'vault')",
        ],
      ],
    ],
    [
      'a wrong audience',
      (r) => (r.audience = 'vault2'),
      [['non-compliant', "audience is 'vault2' (it must be 'vault', the projected token's audience)"]],
    ],
  ])('the acme role with %s', (_name, change, expected) => {
    expect(problems(evaluate(MCP_SEC_2, withAcmeRole(change)))).toEqual(expected);
  });

  test.each<[string, unknown]>([
    ['an empty namespace selector', ''],
    ['a null namespace selector', null],
  ])('compliant: %s', (_name, selector) => {
    const tampered = withAcmeRole((r) => (r.bound_service_account_namespace_selector = selector));
    expect(problems(evaluate(MCP_SEC_2, tampered))).toEqual([]);
  });

  describe('a role with no recorded owner (role_name ci, plain JSON)', () => {
    const role = (namespaces: unknown): JsonObject =>
      plainStack({
        vault_kubernetes_auth_backend_role: {
          ci: {
            role_name: 'ci',
            bound_service_account_names: ['mcp-server'],
            ...(namespaces === undefined ? {} : { bound_service_account_namespaces: namespaces }),
            audience: 'vault',
            token_ttl: 900,
            token_max_ttl: 3600,
            token_no_default_policy: true,
            token_policies: ['mcp-acme-server'],
          },
        },
        vault_policy: {
          acme: { name: 'mcp-acme-server', policy: 'path "secret/tenants/acme/*" {\n  capabilities = ["read"]\n}\n' },
        },
      });

    test('compliant: its namespace mcp-acme names the tenant, whose policy it carries', () => {
      expect(problems(evaluate(MCP_SEC_2, role(['mcp-acme'])))).toEqual([]);
    });

    test("non-compliant: its namespace names no tenant, so no tenant's policy is its own", () => {
      expect(problems(evaluate(MCP_SEC_2, role(['ci'])))).toEqual([
        [
          'non-compliant',
          "bound_service_account_namespaces is 'ci', which is no tenant's namespace (mcp-<t>); token_policies names 'mcp-acme-server', but the role names no tenant (role_name mcp-<t>)",
        ],
      ]);
    });

    test.each<[string, unknown]>([
      ['absent', undefined],
      ['null', null],
      ['empty', []],
    ])('non-compliant: namespaces %s (no namespace to name a tenant, and none blamed)', (_name, namespaces) => {
      expect(problems(evaluate(MCP_SEC_2, role(namespaces)))).toEqual([
        [
          'non-compliant',
          "bound_service_account_namespaces has 0 entries (exactly one); token_policies names 'mcp-acme-server', but the role names no tenant (role_name mcp-<t>)",
        ],
      ]);
    });

    test('non-compliant: two namespaces, the first naming a tenant, give the role no tenant', () => {
      expect(problems(evaluate(MCP_SEC_2, role(['mcp-acme', 'mcp-globex'])))).toEqual([
        [
          'non-compliant',
          "bound_service_account_namespaces has 2 entries (mcp-acme, mcp-globex) (exactly one); token_policies names 'mcp-acme-server', but the role names no tenant (role_name mcp-<t>)",
        ],
      ]);
    });
  });

  test('undecided (an error): a token_policies list that cannot be read, beside the tenant policy in the legacy list', () => {
    const tampered = withAcmeRole((r) => {
      r.policies = r.token_policies;
      r.token_policies = '${var.policies}';
    });
    expect(problems(evaluate(MCP_SEC_2, tampered))).toEqual([
      ['undecided', "token_policies cannot be read: '${var.policies}' names a variable this stack does not declare"],
    ]);
  });

  test('judges Kubernetes roles of any stack: a role of no tenant binds no tenant policy', () => {
    const plain = plainStack({
      vault_kubernetes_auth_backend_role: {
        ci: {
          role_name: 'ci',
          bound_service_account_names: ['*'],
          bound_service_account_namespaces: ['ci'],
          audience: 'vault',
          token_ttl: 900,
          token_max_ttl: 3600,
          token_no_default_policy: true,
          token_policies: ['ci'],
        },
      },
      vault_policy: { ci: { name: 'ci', policy: 'path "secret/ci/*" {\n  capabilities = ["read"]\n}\n' } },
    });
    expect(evaluate(MCP_SEC_2, plain)).toEqual([
      {
        address: 'vault_kubernetes_auth_backend_role.ci',
        status: 'non-compliant',
        detail:
          "bound_service_account_names includes '*' (one exact name, no wildcard); bound_service_account_namespaces is 'ci', which is no tenant's namespace (mcp-<t>); token_policies names 'ci', but the role names no tenant (role_name mcp-<t>)",
      },
    ]);
  });
});

describe('values', () => {
  const stack = new SynthesizedStack({});

  /** What a helper returns, and the verdict it left: `[status, detail]`. */
  function judged(judge: (verdict: Verdict) => unknown): [unknown, [string, string | undefined]] {
    const verdict = new Verdict('r.x');
    const out = judge(verdict);
    const { status, detail } = verdict.result();
    return [out, [status, detail]];
  }

  test('judgeNumber: unset or null is "<name> is not set" by default; null with missing null is fine', () => {
    expect(judged((v) => judgeNumber(v, stack, 'n', undefined, () => true, 'any'))).toEqual([
      undefined,
      ['non-compliant', 'n is not set'],
    ]);
    expect(judged((v) => judgeNumber(v, stack, 'n', null, () => true, 'any'))).toEqual([
      undefined,
      ['non-compliant', 'n is not set'],
    ]);
    expect(judged((v) => judgeNumber(v, stack, 'n', null, () => false, 'any', null))).toEqual([
      undefined,
      ['compliant', undefined],
    ]);
    expect(judged((v) => judgeNumber(v, stack, 'n', '7', (n) => n === 7, 'seven'))).toEqual([
      7,
      ['compliant', undefined],
    ]);
  });

  test('judgeBoolean: null counts as unset', () => {
    expect(judged((v) => judgeBoolean(v, stack, 'b', null, true, 'why'))).toEqual([
      undefined,
      ['compliant', undefined],
    ]);
    expect(judged((v) => judgeBoolean(v, stack, 'b', null, true, 'why', false))).toEqual([
      undefined,
      ['non-compliant', 'b is not set (it must be true: why)'],
    ]);
  });

  test('readString: null is unset, a non-string is refused, a string is returned', () => {
    expect(judged((v) => readString(v, stack, 's', null))).toEqual([undefined, ['compliant', undefined]]);
    expect(judged((v) => readString(v, stack, 's', 5))).toEqual([null, ['non-compliant', 's is 5 (a string)']]);
    expect(judged((v) => readString(v, stack, 's', 'x'))).toEqual(['x', ['compliant', undefined]]);
  });

  test('readStringList: unreadable is null (undecided), null is empty, a single string is a list of one', () => {
    expect(judged((v) => readStringList(v, stack, 'l', '${var.nope}'))).toEqual([
      null,
      ['undecided', "l cannot be read: '${var.nope}' names a variable this stack does not declare"],
    ]);
    expect(judged((v) => readStringList(v, stack, 'l', null))).toEqual([[], ['compliant', undefined]]);
    expect(judged((v) => readStringList(v, stack, 'l', 'a'))).toEqual([['a'], ['compliant', undefined]]);
    expect(judged((v) => readStringList(v, stack, 'l', ['a', 5]))).toEqual([
      ['a', null],
      ['non-compliant', 'l[1] is 5 (a string)'],
    ]);
  });
});
