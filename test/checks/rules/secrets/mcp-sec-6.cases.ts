import { runChecks } from '../../../../lib/checks/engine';
import { SECRETS_RULES } from '../../../../lib/checks/rules/secrets';
import { MCP_SEC_6 } from '../../../../lib/checks/rules/secrets/mcp-sec-6';
import { recordSuppression } from '../../../../lib/core/stack-metadata';
import { SynthesizedStack, type JsonObject } from '../../../../lib/model/stack';
import { TenantVaultSecrets } from '../../../../lib/secrets/tenant-vault-secrets';
import { VaultAuditDevice } from '../../../../lib/secrets/vault-audit-device';
import { VaultKubernetesAuth } from '../../../../lib/secrets/vault-kubernetes-auth';
import { newStack, rawJson } from '../../../helpers';
import { mountProps, secretsStack } from '../../../secrets/fixtures';
import { evaluate, evaluateIn, plainStack, problems } from './fixtures';

/** Three tenants' mounts, with no audit device. */
function withoutDevice() {
  const stack = newStack();
  const auth = new VaultKubernetesAuth(stack, 'Auth', { existingPath: 'kubernetes' });
  for (const t of ['acme', 'globex', 'initech']) new TenantVaultSecrets(stack, t, mountProps(auth, t));
  return stack;
}

/** The MCP-SEC-6 findings of the secrets rules on one stack, as `[level, suppressed]`. */
function sec6(json: JsonObject): { findings: string[]; suppressed: string[] } {
  const report = runChecks(new SynthesizedStack(json), SECRETS_RULES);
  return {
    findings: report.findings.filter((f) => f.ruleId === 'MCP-SEC-6').map((f) => f.level),
    suppressed: report.suppressed.filter((f) => f.ruleId === 'MCP-SEC-6').map((f) => f.reason),
  };
}

describe('MCP-SEC-6', () => {
  test('compliant: tenant mounts and a declared audit device, one evaluation per stack', () => {
    const results = evaluate(MCP_SEC_6, secretsStack(['acme', 'globex']).json);
    expect(results).toHaveLength(1);
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
        detail: "6 tenant mounts in this stack and no vault_audit device in any of the app's 1 stacks",
      },
    ]);
  });

  describe('across the stacks of an app (a fleet)', () => {
    test("compliant: a cell stack's tenant mounts count the foundation's audit device", () => {
      const foundation = plainStack({ vault_audit: { device: { type: 'file', path: 'mcp-audit', options: {} } } });
      const cells = rawJson(withoutDevice());
      expect(problems(evaluateIn(MCP_SEC_6, { foundation, cells }, 'cells'))).toEqual([]);
      expect(evaluateIn(MCP_SEC_6, { foundation, cells }, 'foundation')).toEqual([]);
    });

    test('non-compliant: no stack of the app has one', () => {
      const other = plainStack({ vault_mount: { kv: { path: 'secret', type: 'kv' } } });
      const cells = rawJson(withoutDevice());
      expect(problems(evaluateIn(MCP_SEC_6, { other, cells }, 'cells'))).toEqual([
        ['non-compliant', "6 tenant mounts in this stack and no vault_audit device in any of the app's 2 stacks"],
      ]);
    });
  });

  test('tenant mounts by name: a mount path from a variable default that names tenants/', () => {
    const plain = plainStack({ vault_mount: { kv: { path: '${var.kv}', type: 'kv' } } });
    plain.variable = { kv: { type: 'string', default: 'tenants/acme/kv' } };
    expect(problems(evaluate(MCP_SEC_6, plain))).toEqual([
      ['non-compliant', "1 tenant mounts in this stack and no vault_audit device in any of the app's 1 stacks"],
    ]);
  });

  test("tenant mounts by name: a path under tenants/ whose tenant id is not valid ('tenants/ACME/kv')", () => {
    const plain = plainStack({ vault_mount: { kv: { path: 'tenants/ACME/kv', type: 'kv' } } });
    expect(evaluate(MCP_SEC_6, plain)).toEqual([
      {
        address: 'vault_mount.kv',
        status: 'non-compliant',
        detail: "1 tenant mounts in this stack and no vault_audit device in any of the app's 1 stacks",
      },
    ]);
  });

  test.each<[string, JsonObject]>([
    ['no path', { type: 'kv' }],
    ['a path that is a number', { path: 42, type: 'kv' }],
    ['a path that is a list', { path: ['tenants/acme/kv'], type: 'kv' }],
  ])('not applicable: a mount with %s is no tenant mount', (_name, body) => {
    expect(evaluate(MCP_SEC_6, plainStack({ vault_mount: { kv: body } }))).toEqual([]);
  });

  test('the finding sits on the first tenant mount by address, whatever the order of the JSON', () => {
    const plain = plainStack({
      vault_mount: {
        zeta: { path: 'tenants/acme/kv', type: 'kv' },
        alpha: { path: 'tenants/globex/kv', type: 'kv' },
      },
    });
    expect(evaluate(MCP_SEC_6, plain)).toEqual([
      {
        address: 'vault_mount.alpha',
        status: 'non-compliant',
        detail: "2 tenant mounts in this stack and no vault_audit device in any of the app's 1 stacks",
      },
    ]);
  });

  test('a warning, silenced by a recorded suppression with a reason', () => {
    const stack = withoutDevice();
    expect(sec6(rawJson(stack))).toEqual({ findings: ['warning'], suppressed: [] });
    recordSuppression(stack, 'MCP-SEC-6', 'audit device managed by the platform team');
    expect(sec6(rawJson(stack))).toEqual({ findings: [], suppressed: ['audit device managed by the platform team'] });
  });

  test('the same, through VaultAuditDevice.assumeAuditDevice', () => {
    const stack = withoutDevice();
    new VaultAuditDevice(stack, 'VaultAudit', {
      assumeAuditDevice: { reason: 'audit device managed by the platform' },
    });
    expect(sec6(rawJson(stack))).toEqual({ findings: [], suppressed: ['audit device managed by the platform'] });
  });

  test('never undecided: a mount whose path cannot be read counts as a tenant mount only when its cell says so', () => {
    const plain = plainStack({ vault_mount: { kv: { path: '${var.kv}', type: 'kv' } } });
    plain.variable = { kv: { type: 'string' } };
    expect(evaluate(MCP_SEC_6, plain)).toEqual([]);
    const { stack, mounts } = secretsStack(['acme']);
    mounts[0].kvMount.addOverride('path', '${var.kv}');
    const json = rawJson(stack);
    delete (json.resource as Record<string, unknown>).vault_audit;
    expect(problems(evaluate(MCP_SEC_6, json))).toEqual([
      ['non-compliant', "2 tenant mounts in this stack and no vault_audit device in any of the app's 1 stacks"],
    ]);
  });
});
