import type { JsonObject } from '../../../../lib/model/stack';
import { MCP_SEC_3 } from '../../../../lib/checks/rules/secrets/mcp-sec-3';
import { TerraformVariable } from '../../../../lib/core/cdktf';
import { clone, newStack, rawJson } from '../../../helpers';
import { TenantVaultSecrets } from '../../../../lib/secrets/tenant-vault-secrets';
import { VaultKubernetesAuth } from '../../../../lib/secrets/vault-kubernetes-auth';
import { mountProps, secretsStack } from '../../../secrets/fixtures';
import { bodyOf, evaluate, plainStack, problems } from './fixtures';

describe('MCP-SEC-3', () => {
  let json: JsonObject;
  beforeAll(() => {
    json = secretsStack(['acme', 'globex']).json;
  });

  function withAcmeKey(change: (key: JsonObject) => void): JsonObject {
    const tampered = clone(json);
    change(bodyOf(tampered, 'vault_transit_secret_backend_key', 'acme_'));
    return tampered;
  }

  test('compliant: each tenant key rotates every 30 days and never leaves Vault', () => {
    const results = evaluate(MCP_SEC_3, json);
    expect(results).toHaveLength(2);
    expect(problems(results)).toEqual([]);
  });

  test.each([
    ['1 day (keyRotationDays 1)', 1],
    ['29 days (keyRotationDays 29)', 29],
    ['30 days (keyRotationDays 30, the limit)', 30],
  ])('compliant: a rotation of %s', (_name, days) => {
    const built = secretsStack(['acme'], { keyRotationDays: days }).json;
    expect(bodyOf(built, 'vault_transit_secret_backend_key', 'acme_').auto_rotate_period).toBe(days * 86400);
    expect(problems(evaluate(MCP_SEC_3, built))).toEqual([]);
  });

  test.each([
    ['2592000 s (30 days, the limit)', 2592000],
    ['1 s', 1],
  ])('compliant: auto_rotate_period %s', (_name, seconds) => {
    expect(
      problems(
        evaluate(
          MCP_SEC_3,
          withAcmeKey((k) => (k.auto_rotate_period = seconds)),
        ),
      ),
    ).toEqual([]);
  });

  test.each([
    ['"2592000" (30 days, the limit, as a numeric string)', '2592000'],
    ['"1" (the lower limit, as a numeric string)', '1'],
  ])('compliant: auto_rotate_period %s', (_name, seconds) => {
    expect(
      problems(
        evaluate(
          MCP_SEC_3,
          withAcmeKey((k) => (k.auto_rotate_period = seconds)),
        ),
      ),
    ).toEqual([]);
  });

  test('compliant: the flags unset (Vault defaults them to false)', () => {
    const tampered = withAcmeKey((k) => {
      delete k.exportable;
      delete k.allow_plaintext_backup;
      delete k.deletion_allowed;
    });
    expect(problems(evaluate(MCP_SEC_3, tampered))).toEqual([]);
  });

  test('not applicable: an empty stack', () => {
    expect(evaluate(MCP_SEC_3, rawJson(newStack()))).toEqual([]);
  });

  const BOUND = 'between 1 and 2592000 seconds, 30 days; 0 switches rotation off';
  test.each<[string, (key: JsonObject) => void, string]>([
    ['rotation switched off', (k) => (k.auto_rotate_period = 0), `auto_rotate_period is 0 (${BOUND})`],
    [
      '2592001 s (one past 30 days)',
      (k) => (k.auto_rotate_period = 2592001),
      `auto_rotate_period is 2592001 (${BOUND})`,
    ],
    ['31 days', (k) => (k.auto_rotate_period = 31 * 86400), `auto_rotate_period is 2678400 (${BOUND})`],
    [
      '"2592001" (one past 30 days, as a numeric string)',
      (k) => (k.auto_rotate_period = '2592001'),
      `auto_rotate_period is 2592001 (${BOUND})`,
    ],
    [
      "'2592000s' (a Vault duration string: the provider's auto_rotate_period is a number of seconds)",
      (k) => (k.auto_rotate_period = '2592000s'),
      `auto_rotate_period is "2592000s" (a number: ${BOUND})`,
    ],
    ["'30d'", (k) => (k.auto_rotate_period = '30d'), `auto_rotate_period is "30d" (a number: ${BOUND})`],
    ['-1 (one below 0)', (k) => (k.auto_rotate_period = -1), `auto_rotate_period is -1 (${BOUND})`],
    ['a 90-day rotation', (k) => (k.auto_rotate_period = 7776000), `auto_rotate_period is 7776000 (${BOUND})`],
    ['no rotation set', (k) => delete k.auto_rotate_period, 'auto_rotate_period is not set (the key never rotates)'],
    [
      'a rotation that is not a number',
      (k) => (k.auto_rotate_period = '720h'),
      `auto_rotate_period is "720h" (a number: ${BOUND})`,
    ],
    [
      'an exportable key',
      (k) => (k.exportable = true),
      'exportable is true (it must be false or unset: key material could leave Vault; Vault cannot undo it)',
    ],
    [
      'plaintext backup',
      (k) => (k.allow_plaintext_backup = 'true'),
      'allow_plaintext_backup is "true" (it must be false or unset: a backup would hold the key in the clear; Vault cannot undo it)',
    ],
    [
      'a deletable key',
      (k) => (k.deletion_allowed = true),
      'deletion_allowed is true (it must be false or unset: deleting the key makes every ciphertext unreadable)',
    ],
  ])('non-compliant: %s', (_name, change, detail) => {
    expect(problems(evaluate(MCP_SEC_3, withAcmeKey(change)))).toEqual([['non-compliant', detail]]);
  });

  test('non-compliant: a key made exportable by override', () => {
    const { stack, mounts } = secretsStack(['acme']);
    mounts[0].transitKey.addOverride('exportable', true);
    expect(problems(evaluate(MCP_SEC_3, rawJson(stack)))).toEqual([
      [
        'non-compliant',
        'exportable is true (it must be false or unset: key material could leave Vault; Vault cannot undo it)',
      ],
    ]);
  });

  test('a rotation period from a variable with a literal default is judged by that default', () => {
    const tampered = withAcmeKey((k) => (k.auto_rotate_period = '${var.period}'));
    tampered.variable = { period: { type: 'number', default: 7776000 } };
    expect(problems(evaluate(MCP_SEC_3, tampered))).toEqual([
      ['non-compliant', `auto_rotate_period is 7776000 (read from '\${var.period}') (${BOUND})`],
    ]);
  });

  test('undecided (an error): a rotation period from a variable without a default', () => {
    const { stack, mounts } = secretsStack(['acme']);
    mounts[0].transitKey.autoRotatePeriod = new TerraformVariable(stack, 'period', { type: 'number' }).numberValue;
    expect(problems(evaluate(MCP_SEC_3, rawJson(stack)))).toEqual([
      [
        'undecided',
        "auto_rotate_period cannot be read: variable 'period' has no default: its value comes at plan time",
      ],
    ]);
  });

  test('undecided (an error): a days prop from a variable, multiplied at plan time', () => {
    const stack = newStack();
    const auth = new VaultKubernetesAuth(stack, 'Auth', { existingPath: 'kubernetes' });
    const days = new TerraformVariable(stack, 'days', { type: 'number', default: 7 }).numberValue;
    new TenantVaultSecrets(stack, 'acme', mountProps(auth, 'acme', { keyRotationDays: days }));
    expect(problems(evaluate(MCP_SEC_3, rawJson(stack)))).toEqual([
      [
        'undecided',
        "auto_rotate_period cannot be read: '${(var.days * 86400)}' is an expression the rules cannot evaluate",
      ],
    ]);
  });

  test('judges transit keys of any stack', () => {
    const plain = plainStack({
      vault_transit_secret_backend_key: { k: { backend: 'transit', name: 'k', auto_rotate_period: 86400 } },
    });
    expect(evaluate(MCP_SEC_3, plain)).toEqual([
      { address: 'vault_transit_secret_backend_key.k', status: 'compliant' },
    ]);
  });
});
