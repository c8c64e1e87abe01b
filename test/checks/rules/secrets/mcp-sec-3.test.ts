import type { JsonObject } from '../../../../lib/model/stack';
import { MCP_SEC_3 } from '../../../../lib/checks/rules/secrets/mcp-sec-3';
import { TerraformVariable } from '../../../../lib/core/cdktf';
import { clone, newStack, rawJson } from '../../../helpers';
import { secretsStack } from '../../../secrets/fixtures';
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

  test('compliant: a shorter rotation', () => {
    expect(problems(evaluate(MCP_SEC_3, secretsStack(['acme'], { keyRotationDays: 1 }).json))).toEqual([]);
  });

  test('not applicable: an empty stack', () => {
    expect(evaluate(MCP_SEC_3, rawJson(newStack()))).toEqual([]);
  });

  test.each<[string, (key: JsonObject) => void, string]>([
    [
      'rotation switched off',
      (k) => (k.auto_rotate_period = 0),
      'auto_rotate_period is 0 (between 1 and 2592000 seconds, 30 days; 0 switches rotation off)',
    ],
    [
      'a 90-day rotation',
      (k) => (k.auto_rotate_period = 7776000),
      'auto_rotate_period is 7776000 (between 1 and 2592000 seconds, 30 days; 0 switches rotation off)',
    ],
    ['no rotation set', (k) => delete k.auto_rotate_period, 'auto_rotate_period is not set (the key never rotates)'],
    ['an exportable key', (k) => (k.exportable = true), 'exportable is true'],
    ['plaintext backup', (k) => (k.allow_plaintext_backup = 'true'), 'allow_plaintext_backup is true'],
    ['a deletable key', (k) => (k.deletion_allowed = true), 'deletion_allowed is true'],
  ])('non-compliant: %s', (_name, change, detail) => {
    expect(problems(evaluate(MCP_SEC_3, withAcmeKey(change)))).toEqual([['non-compliant', detail]]);
  });

  test('non-compliant: a key made exportable by override', () => {
    const { stack, mounts } = secretsStack(['acme']);
    mounts[0].transitKey.addOverride('exportable', true);
    expect(problems(evaluate(MCP_SEC_3, rawJson(stack)))).toEqual([['non-compliant', 'exportable is true']]);
  });

  test('undecided: a rotation period from a variable', () => {
    const { stack, mounts } = secretsStack(['acme']);
    mounts[0].transitKey.autoRotatePeriod = new TerraformVariable(stack, 'period', { type: 'number' }).numberValue;
    expect(problems(evaluate(MCP_SEC_3, rawJson(stack)))).toEqual([
      ['undecided', 'auto_rotate_period is an unresolved expression'],
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
