import { KEY_ROTATION_DAYS, KEY_ROTATION_SECONDS } from '../../../core/defaults';
import { Verdict } from '../../verdict';
import type { ResourceEntry, SynthesizedStack } from '../../../model/stack';
import type { Evaluation, Rule } from '../../rule';
import { judgeBoolean, judgeNumber } from './values';

/** Flags that let key material leave Vault or the key be destroyed: each must stay off (unset is off). */
const MUST_BE_OFF: readonly [string, string][] = [
  ['exportable', 'key material could leave Vault; Vault cannot undo it'],
  ['allow_plaintext_backup', 'a backup would hold the key in the clear; Vault cannot undo it'],
  ['deletion_allowed', 'deleting the key makes every ciphertext unreadable'],
];

function judgeKey(stack: SynthesizedStack, entry: ResourceEntry): Evaluation {
  const verdict = new Verdict(entry.address);
  judgeNumber(
    verdict,
    stack,
    'auto_rotate_period',
    entry.body.auto_rotate_period,
    (n) => n >= 1 && n <= KEY_ROTATION_SECONDS,
    `between 1 and ${KEY_ROTATION_SECONDS} seconds, ${KEY_ROTATION_DAYS} days; 0 switches rotation off`,
    'auto_rotate_period is not set (the key never rotates)',
  );
  for (const [flag, why] of MUST_BE_OFF) judgeBoolean(verdict, stack, flag, entry.body[flag], false, why);
  return verdict.result();
}

/** MCP-SEC-3: transit keys rotate within 30 days, never leave Vault and cannot be deleted. */
export const MCP_SEC_3: Rule = {
  id: 'MCP-SEC-3',
  level: 'error',
  layer: 'secrets',
  cause:
    'a transit key does not auto-rotate every 30 days or less, or it is exportable, allows plaintext backup, or can be deleted',
  explanation:
    "A tenant's transit key protects its data: it must rotate automatically (`auto_rotate_period` between 1 s and 2592000 s, 30 days; 0 or unset never rotates), its material must never leave Vault (`exportable` and `allow_plaintext_backup` stay false: both are one-way switches that Vault cannot undo), and it must not be deletable (`deletion_allowed` false), since deleting it makes every ciphertext unreadable. Values are read through variables (their literal default), locals and references across the app; a value that cannot be read is an error.",
  requires: [
    `auto_rotate_period set, between 1 and ${KEY_ROTATION_SECONDS} seconds (${KEY_ROTATION_DAYS} days)`,
    'exportable unset or false',
    'allow_plaintext_backup unset or false',
    'deletion_allowed unset or false',
  ],
  fix: 'set keyRotationDays (TenantVaultSecrets) between 1 and 30 and remove overrides of auto_rotate_period, exportable, allow_plaintext_backup or deletion_allowed',
  evaluate(stack: SynthesizedStack): Evaluation[] {
    return stack.ofType('vault_transit_secret_backend_key').map((entry) => judgeKey(stack, entry));
  },
};
