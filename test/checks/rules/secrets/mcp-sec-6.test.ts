import { McpAccessChecks } from '../../../../lib/checks/pack';
import { MCP_SEC_6 } from '../../../../lib/checks/rules/secrets/mcp-sec-6';
import { TenantVaultSecrets } from '../../../../lib/secrets/tenant-vault-secrets';
import { VaultAuditDevice } from '../../../../lib/secrets/vault-audit-device';
import { VaultKubernetesAuth } from '../../../../lib/secrets/vault-kubernetes-auth';
import { clone, newStack, rawJson } from '../../../helpers';
import { mountProps, secretsStack } from '../../../secrets/fixtures';
import { bodyOf, evaluate, plainStack, problems } from './fixtures';

/** Three tenants' mounts, with no audit device. */
function withoutDevice() {
  const stack = newStack();
  const auth = new VaultKubernetesAuth(stack, 'Auth', { existingPath: 'kubernetes' });
  for (const t of ['acme', 'globex', 'initech']) new TenantVaultSecrets(stack, t, mountProps(auth, t));
  return stack;
}

describe('MCP-SEC-6', () => {
  test('compliant: tenant mounts and a declared audit device', () => {
    const results = evaluate(MCP_SEC_6, secretsStack(['acme', 'globex']).json);
    expect(results).toHaveLength(2);
    expect(problems(results)).toEqual([]);
  });

  test('not applicable: an empty stack', () => {
    expect(evaluate(MCP_SEC_6, rawJson(newStack()))).toEqual([]);
  });

  test('not applicable: Vault mounts that are not tenant mounts', () => {
    expect(evaluate(MCP_SEC_6, plainStack({ vault_mount: { kv: { path: 'secret', type: 'kv' } } }))).toEqual([]);
  });

  test('non-compliant: tenant mounts and no audit device, reported once per stack on the first mount', () => {
    const results = evaluate(MCP_SEC_6, rawJson(withoutDevice()));
    expect(results).toEqual([
      {
        address: expect.stringMatching(/^vault_mount\.acme_KvMount_[0-9A-F]{8}$/),
        status: 'non-compliant',
        detail: '6 tenant mounts and no vault_audit device',
      },
    ]);
  });

  test('non-compliant: an audit device that logs raw secrets or plain accessors', () => {
    const json = clone(secretsStack(['acme']).json);
    Object.assign(bodyOf(json, 'vault_audit', 'VaultAudit_').options as object, {
      log_raw: 'true',
      hmac_accessor: 'false',
    });
    expect(problems(evaluate(MCP_SEC_6, json))).toEqual([
      [
        'non-compliant',
        'options.log_raw is true (secrets are written to the log in the clear); options.hmac_accessor is false (token accessors are logged in the clear)',
      ],
    ]);
  });

  test('a warning, silenced by a recorded assumption with a reason', () => {
    const stack = withoutDevice();
    const report = McpAccessChecks.check(rawJson(stack));
    expect(report.findings.map((f) => [f.ruleId, f.level])).toEqual([['MCP-SEC-6', 'warning']]);
    McpAccessChecks.suppress(stack, 'MCP-SEC-6', 'audit device declared in the foundation stack');
    const suppressed = McpAccessChecks.check(rawJson(stack));
    expect(suppressed.findings).toEqual([]);
    expect(suppressed.suppressed.map((s) => s.ruleId)).toEqual(['MCP-SEC-6']);
  });

  test('the same, through VaultAuditDevice.assumeAuditDevice', () => {
    const stack = withoutDevice();
    new VaultAuditDevice(stack, 'VaultAudit', {
      assumeAuditDevice: { reason: 'audit device managed by the platform' },
    });
    expect(McpAccessChecks.check(rawJson(stack)).findings).toEqual([]);
  });

  test('judges tenant mounts of any stack', () => {
    const plain = plainStack({ vault_mount: { kv: { path: 'tenants/acme/kv', type: 'kv' } } });
    expect(problems(evaluate(MCP_SEC_6, plain))).toEqual([
      ['non-compliant', '1 tenant mounts and no vault_audit device'],
    ]);
  });
});
