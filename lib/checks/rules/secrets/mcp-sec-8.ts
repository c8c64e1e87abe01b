import { VAULT_AUDIT_DEVICE_TYPES, VAULT_AUDIT_DISCARD } from '../../../core/secrets-defaults';
import { isObject } from '../../../model/json';
import { readValue } from '../../../model/vault';
import { Verdict } from '../../verdict';
import type { ResourceEntry, SynthesizedStack } from '../../../model/stack';
import type { Evaluation, Rule } from '../../rule';
import { judgeBoolean, readString } from './values';

/** A file mode that gives others no access (`0600`, `0640`); `0000` leaves the mode alone (Vault's 0600). */
const NO_ACCESS_FOR_OTHERS = /^0?[0-7][0-7]0$/;

/** An audit device: a type Vault has, logs secrets HMAC'd, accessors hashed, and a file device logs somewhere. */
function judgeDevice(stack: SynthesizedStack, entry: ResourceEntry): Evaluation {
  const verdict = new Verdict(entry.address);
  const type = readString(verdict, stack, 'type', entry.body.type);
  if (type !== null && (type === undefined || !VAULT_AUDIT_DEVICE_TYPES.includes(type))) {
    verdict.fail(
      `type is ${type === undefined ? 'not set' : `'${type}'`} (one of ${VAULT_AUDIT_DEVICE_TYPES.join(', ')})`,
    );
  }
  const read = readValue(stack, entry.body.options);
  if (!read.ok) return verdict.undecided(`options cannot be read: ${read.why}`).result();
  const options = isObject(read.value) ? read.value : {};
  judgeBoolean(
    verdict,
    stack,
    'options.log_raw',
    options.log_raw,
    false,
    'secrets and tokens are written to the log in the clear',
  );
  judgeBoolean(
    verdict,
    stack,
    'options.hmac_accessor',
    options.hmac_accessor,
    true,
    'token accessors are logged in the clear, and an accessor can revoke or look up its token',
  );
  if (type === 'file') {
    const path = readString(verdict, stack, 'options.file_path', options.file_path);
    if (path === VAULT_AUDIT_DISCARD) verdict.fail(`options.file_path is '${VAULT_AUDIT_DISCARD}' (nothing is logged)`);
    else if (path === undefined || path === '') verdict.fail('options.file_path is not set');
    const mode = readString(verdict, stack, 'options.mode', options.mode);
    if (typeof mode === 'string' && !NO_ACCESS_FOR_OTHERS.test(mode)) {
      verdict.fail(`options.mode is '${mode}' (others get no access, e.g. 0600)`);
    }
  }
  return verdict.result();
}

/** MCP-SEC-8: a Vault audit device never logs secrets or token accessors in the clear, and logs somewhere. */
export const MCP_SEC_8: Rule = {
  id: 'MCP-SEC-8',
  level: 'error',
  layer: 'secrets',
  cause:
    'a Vault audit device logs secrets or token accessors in the clear (log_raw, hmac_accessor = false), logs nothing, or is not a device type Vault has',
  explanation:
    "Vault's audit log records every request and response, each secret value HMAC'd. With `log_raw = true` the log holds every tenant's secrets and every token in the clear, so whoever reads the log (a log pipeline, a SIEM, an operator) reads every tenant; with `hmac_accessor = false` it holds token accessors, which can look up and revoke tokens. A file device writing to `discard` records nothing, and a log file readable by others leaks what it holds. Values are read through variables and references across the app; a value that cannot be read is an error. `VaultAuditDevice` writes `log_raw = false` and `hmac_accessor = true` always.",
  requires: [
    `type one of ${VAULT_AUDIT_DEVICE_TYPES.join(', ')}`,
    'options.log_raw unset or false',
    'options.hmac_accessor unset or true',
    `a file device: options.file_path set and not '${VAULT_AUDIT_DISCARD}'; options.mode unset or with no access for others`,
  ],
  fix: 'use VaultAuditDevice (vault.auditDevice of SecureMcpAccess or SecureMcpFoundation) and remove overrides of log_raw, hmac_accessor, file_path or mode',
  evaluate(stack: SynthesizedStack): Evaluation[] {
    return stack.ofType('vault_audit').map((entry) => judgeDevice(stack, entry));
  },
};
