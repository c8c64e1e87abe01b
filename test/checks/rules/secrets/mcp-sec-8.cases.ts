import { MCP_SEC_8 } from '../../../../lib/checks/rules/secrets/mcp-sec-8';
import type { JsonObject } from '../../../../lib/model/stack';
import { VaultAuditDevice } from '../../../../lib/secrets/vault-audit-device';
import { clone, newStack, rawJson } from '../../../helpers';
import { secretsStack } from '../../../secrets/fixtures';
import { bodyOf, evaluate, plainStack, problems } from './fixtures';

describe('MCP-SEC-8', () => {
  let json: JsonObject;
  beforeAll(() => {
    json = secretsStack(['acme']).json;
  });

  function withDevice(change: (options: JsonObject, device: JsonObject) => void): JsonObject {
    const tampered = clone(json);
    const device = bodyOf(tampered, 'vault_audit', 'VaultAudit_');
    change(device.options as JsonObject, device);
    return tampered;
  }

  test("compliant: VaultAuditDevice's file device", () => {
    const results = evaluate(MCP_SEC_8, json);
    expect(results).toHaveLength(1);
    expect(problems(results)).toEqual([]);
  });

  test.each([
    ['socket', { socket: { address: 'siem.example.com:9090' } }],
    ['syslog', { syslog: {} }],
  ])("compliant: VaultAuditDevice's %s device", (_name, props) => {
    const stack = newStack();
    new VaultAuditDevice(stack, 'Audit', props);
    expect(problems(evaluate(MCP_SEC_8, rawJson(stack)))).toEqual([]);
  });

  test('compliant: options unset (Vault defaults to log_raw off, hmac_accessor on)', () => {
    const plain = plainStack({ vault_audit: { s: { type: 'syslog', path: 'syslog' } } });
    expect(problems(evaluate(MCP_SEC_8, plain))).toEqual([]);
  });

  test('not applicable: no audit device', () => {
    expect(evaluate(MCP_SEC_8, rawJson(newStack()))).toEqual([]);
  });

  test.each<[string, (o: JsonObject, d: JsonObject) => void, string]>([
    [
      'log_raw true',
      (o) => (o.log_raw = 'true'),
      'options.log_raw is "true" (it must be false or unset: secrets and tokens are written to the log in the clear)',
    ],
    [
      'log_raw true as a boolean',
      (o) => (o.log_raw = true),
      'options.log_raw is true (it must be false or unset: secrets and tokens are written to the log in the clear)',
    ],
    [
      'hmac_accessor false',
      (o) => (o.hmac_accessor = 'false'),
      'options.hmac_accessor is "false" (it must be true or unset: token accessors are logged in the clear, and an accessor can revoke or look up its token)',
    ],
    [
      'a discarding file device',
      (o) => (o.file_path = 'discard'),
      "options.file_path is 'discard' (nothing is logged)",
    ],
    ['a file device without a path', (o) => delete o.file_path, 'options.file_path is not set'],
    ['a file device with an empty path', (o) => (o.file_path = ''), 'options.file_path is not set'],
    ['a log readable by others', (o) => (o.mode = '0644'), "options.mode is '0644' (others get no access, e.g. 0600)"],
    ['an unknown device type', (_o, d) => (d.type = 'webhook'), "type is 'webhook' (one of file, socket, syslog)"],
  ])('non-compliant: %s', (_name, change, detail) => {
    expect(problems(evaluate(MCP_SEC_8, withDevice(change)))).toEqual([['non-compliant', detail]]);
  });

  test('log_raw from a variable with a literal default is judged by that default', () => {
    const tampered = withDevice((o) => (o.log_raw = '${var.raw}'));
    tampered.variable = { raw: { type: 'bool', default: true } };
    expect(problems(evaluate(MCP_SEC_8, tampered))).toEqual([
      [
        'non-compliant',
        "options.log_raw is true (read from '${var.raw}') (it must be false or unset: secrets and tokens are written to the log in the clear)",
      ],
    ]);
  });

  test('undecided (an error): log_raw or the options known only at plan time', () => {
    const tampered = withDevice((o) => (o.log_raw = '${var.raw}'));
    tampered.variable = { raw: { type: 'bool' } };
    expect(problems(evaluate(MCP_SEC_8, tampered))).toEqual([
      ['undecided', "options.log_raw cannot be read: variable 'raw' has no default: its value comes at plan time"],
    ]);
    const whole = withDevice((_o, d) => (d.options = '${var.options}'));
    expect(problems(evaluate(MCP_SEC_8, whole))).toEqual([
      ['undecided', "options cannot be read: '${var.options}' names a variable this stack does not declare"],
    ]);
  });
  test('compliant: a file device that leaves the mode unset (Vault creates the log 0600)', () => {
    const tampered = withDevice((o) => delete o.mode);
    expect(bodyOf(tampered, 'vault_audit', 'VaultAudit_').type).toBe('file');
    expect(problems(evaluate(MCP_SEC_8, tampered))).toEqual([]);
  });

  test('undecided (an error), and nothing else: the device type known only at plan time', () => {
    const tampered = withDevice((_o, d) => (d.type = '${var.kind}'));
    tampered.variable = { kind: { type: 'string' } };
    expect(problems(evaluate(MCP_SEC_8, tampered))).toEqual([
      ['undecided', "type cannot be read: variable 'kind' has no default: its value comes at plan time"],
    ]);
  });
});
