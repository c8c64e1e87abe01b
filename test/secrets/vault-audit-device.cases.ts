import { runChecks } from '../../lib/checks/engine';
import { SECRETS_RULES } from '../../lib/checks/rules/secrets';
import { SynthesizedStack } from '../../lib/model/stack';
import type { JsonObject } from '../../lib/model/stack';
import { TenantVaultSecrets } from '../../lib/secrets/tenant-vault-secrets';
import { VaultAuditDevice, type VaultAuditDeviceProps } from '../../lib/secrets/vault-audit-device';
import { VaultKubernetesAuth } from '../../lib/secrets/vault-kubernetes-auth';
import { bodiesOf, newStack, rawJson } from '../helpers';
import { mountProps, problemsOf, warningsOf } from './fixtures';

function device(props?: VaultAuditDeviceProps): { json: JsonObject; audit: VaultAuditDevice } {
  const stack = newStack();
  const audit = new VaultAuditDevice(stack, 'VaultAudit', props);
  return { json: rawJson(stack), audit };
}

describe('VaultAuditDevice', () => {
  test('by default a file device writes JSON to stdout, never raw, accessors hashed, prevent_destroy', () => {
    const { json, audit } = device();
    expect(bodiesOf(json, 'vault_audit')).toEqual([
      expect.objectContaining({
        path: 'mcp-audit',
        type: 'file',
        options: { format: 'json', log_raw: 'false', hmac_accessor: 'true', file_path: 'stdout', mode: '0600' },
        lifecycle: { prevent_destroy: true },
      }),
    ]);
    expect(audit.assumed).toBe(false);
    expect(audit.path).toBe('mcp-audit');
  });

  test('a file at a path with a group-readable mode', () => {
    const { json } = device({ path: 'file-mcp', file: { filePath: '/vault/audit/audit.log', mode: '0640' } });
    expect(bodiesOf(json, 'vault_audit')[0]).toMatchObject({
      path: 'file-mcp',
      options: { file_path: '/vault/audit/audit.log', mode: '0640' },
    });
  });

  test('a socket device, tcp by default', () => {
    const { json, audit } = device({ socket: { address: 'audit.example.com:9090' } });
    expect(bodiesOf(json, 'vault_audit')[0]).toMatchObject({
      type: 'socket',
      options: {
        format: 'json',
        log_raw: 'false',
        hmac_accessor: 'true',
        address: 'audit.example.com:9090',
        socket_type: 'tcp',
      },
    });
    expect(warningsOf(audit)).toEqual([]);
  });

  test('a udp socket warns, naming default and value', () => {
    const { json, audit } = device({ socket: { address: 'audit.example.com:9090', socketType: 'udp' } });
    expect(bodiesOf(json, 'vault_audit')[0]).toMatchObject({ options: { socket_type: 'udp' } });
    expect(warningsOf(audit)).toEqual([
      "socket.socketType is 'udp' (default 'tcp'): audit records sent over UDP can be lost without Vault noticing",
    ]);
  });

  test('a syslog device', () => {
    const { json } = device({ syslog: {} });
    expect(bodiesOf(json, 'vault_audit')[0]).toMatchObject({
      type: 'syslog',
      options: { facility: 'AUTH', tag: 'vault', log_raw: 'false' },
    });
  });

  test('assumeAuditDevice creates nothing and silences MCP-SEC-6 with its reason', () => {
    const stack = newStack();
    const auth = new VaultKubernetesAuth(stack, 'Auth', { existingPath: 'kubernetes' });
    new TenantVaultSecrets(stack, 'acme', mountProps(auth));
    const reason = 'the platform Vault streams its audit log to the SIEM';
    const audit = new VaultAuditDevice(stack, 'VaultAudit', { assumeAuditDevice: { reason } });
    const json = rawJson(stack);
    expect(audit.assumed).toBe(true);
    expect(bodiesOf(json, 'vault_audit')).toEqual([]);
    const report = runChecks(new SynthesizedStack(json), SECRETS_RULES);
    expect(report.findings).toEqual([]);
    expect(report.suppressed.map((s) => [s.ruleId, s.reason])).toEqual([['MCP-SEC-6', reason]]);
  });

  test('without a device or an assumption, tenant mounts draw the MCP-SEC-6 warning', () => {
    const stack = newStack();
    const auth = new VaultKubernetesAuth(stack, 'Auth', { existingPath: 'kubernetes' });
    new TenantVaultSecrets(stack, 'acme', mountProps(auth));
    expect(
      runChecks(new SynthesizedStack(rawJson(stack)), SECRETS_RULES).findings.map((f) => [f.ruleId, f.level]),
    ).toEqual([['MCP-SEC-6', 'warning']]);
  });

  test.each<[VaultAuditDeviceProps, string]>([
    [
      { assumeAuditDevice: { reason: 'too short' } },
      "assumeAuditDevice.reason must be at least 10 characters, but 'too short' was provided",
    ],
    [
      { assumeAuditDevice: { reason: 'managed by the platform team' }, file: {}, path: 'x' },
      'assumeAuditDevice declares an existing device and cannot be combined with path, file, which create one, but both were provided',
    ],
    [{ file: {}, syslog: {} }, 'only one of file, socket, syslog may be given, but file, syslog were provided'],
    [
      { file: { filePath: 'discard' } },
      "file.filePath must be 'stdout' or an absolute path, but 'discard' was provided",
    ],
    [
      { file: { filePath: 'audit.log' } },
      "file.filePath must be 'stdout' or an absolute path, but 'audit.log' was provided",
    ],
    [
      { file: { mode: '0644' } },
      "file.mode must be an octal mode that gives others no access (e.g. '0600' or '0640'), but '0644' was provided",
    ],
    [{ socket: { address: '' } }, "socket.address is required, but '' was provided"],
    [
      { socket: { address: 'x:1', socketType: 'http' as 'tcp' } },
      "socket.socketType must be one of tcp, udp, unix, but 'http' was provided",
    ],
    [
      { path: 'audit/*' },
      "path must be an audit path (segments of letters, digits, '.', '_' or '-', no wildcard, no leading or trailing '/'), but 'audit/*' was provided",
    ],
  ])('fails when %j', (props, message) => {
    expect(problemsOf(() => new VaultAuditDevice(newStack(), 'VaultAudit', props))).toEqual([message]);
  });
});
