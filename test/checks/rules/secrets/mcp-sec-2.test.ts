import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { ServiceAccountV1 } from '@cdktf/provider-kubernetes/lib/service-account-v1';
import type { JsonObject } from '../../../../lib/model/stack';
import { MCP_SEC_2 } from '../../../../lib/checks/rules/secrets/mcp-sec-2';
import { TerraformVariable } from '../../../../lib/core/cdktf';
import { TenantVaultSecrets } from '../../../../lib/secrets/tenant-vault-secrets';
import { VaultKubernetesAuth } from '../../../../lib/secrets/vault-kubernetes-auth';
import { clone, newStack, rawJson } from '../../../helpers';
import { mountProps, secretsStack } from '../../../secrets/fixtures';
import { bodyOf, evaluate, plainStack, problems } from './fixtures';

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

  test('compliant: each tenant role binds one service account in its namespace, 900 s / 3600 s', () => {
    const results = evaluate(MCP_SEC_2, json);
    expect(results).toHaveLength(2);
    expect(problems(results)).toEqual([]);
  });

  test('not applicable: an empty stack', () => {
    expect(evaluate(MCP_SEC_2, rawJson(newStack()))).toEqual([]);
  });

  test('non-compliant: a role widened to * by override (cdktf appends to the list)', () => {
    const { stack, mounts } = secretsStack(['acme']);
    mounts[0].kubernetesRole.addOverride('bound_service_account_names', ['*']);
    mounts[0].kubernetesRole.addOverride('bound_service_account_namespaces', ['*']);
    expect(problems(evaluate(MCP_SEC_2, rawJson(stack)))).toEqual([
      [
        'non-compliant',
        "bound_service_account_names has 2 entries (exactly one); bound_service_account_names includes '*' (one exact name, no wildcard); " +
          "bound_service_account_namespaces has 2 entries (exactly one); bound_service_account_namespaces includes '*' (one exact name, no wildcard)",
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
      'bound_service_account_names has 2 entries (exactly one)',
    ],
    [
      'a namespace label selector',
      (r) => (r.bound_service_account_namespace_selector = '{"matchLabels":{"team":"x"}}'),
      'bound_service_account_namespace_selector is set (it admits every namespace its labels match)',
    ],
    [
      "another tenant's namespace",
      (r) => (r.bound_service_account_namespaces = ['mcp-globex']),
      "bound_service_account_namespaces is 'mcp-globex', not tenant acme's namespace",
    ],
    ['a long TTL', (r) => (r.token_ttl = 3600), 'token_ttl is 3600 (between 1 and 900)'],
    ['a long max TTL', (r) => (r.token_max_ttl = '86400'), 'token_max_ttl is 86400 (between 1 and 3600)'],
    ['no TTL', (r) => delete r.token_ttl, "token_ttl is not set (Vault's default is 32 days; at most 900)"],
    [
      'a period',
      (r) => (r.token_period = 86400),
      'token_period is 86400 (a periodic token never expires while it is renewed)',
    ],
  ])('non-compliant: %s', (_name, change, detail) => {
    expect(problems(evaluate(MCP_SEC_2, withAcmeRole(change)))).toEqual([['non-compliant', detail]]);
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

  test('undecided: a binding or TTL known only at plan time', () => {
    const stack = newStack();
    const auth = new VaultKubernetesAuth(stack, 'Auth', { existingPath: 'kubernetes' });
    const ns = new TerraformVariable(stack, 'namespace', { type: 'string' }).stringValue;
    const ttl = new TerraformVariable(stack, 'ttl', { type: 'number' }).numberValue;
    const workload = { tenantId: 'acme', namespace: ns, serviceAccountName: 'mcp-server' };
    new TenantVaultSecrets(stack, 'acme', mountProps(auth, 'acme', { workload, tokenTtlSeconds: ttl }));
    expect(problems(evaluate(MCP_SEC_2, rawJson(stack)))).toEqual([
      [
        'undecided',
        'bound_service_account_namespaces is an unresolved expression; token_ttl is an unresolved expression',
      ],
    ]);
  });

  test('judges Kubernetes roles of any stack', () => {
    const plain = plainStack({
      vault_kubernetes_auth_backend_role: {
        ci: {
          role_name: 'ci',
          bound_service_account_names: ['*'],
          bound_service_account_namespaces: ['ci'],
          token_ttl: 900,
          token_max_ttl: 3600,
        },
      },
    });
    expect(evaluate(MCP_SEC_2, plain)).toEqual([
      {
        address: 'vault_kubernetes_auth_backend_role.ci',
        status: 'non-compliant',
        detail: "bound_service_account_names includes '*' (one exact name, no wildcard)",
      },
    ]);
  });
});
