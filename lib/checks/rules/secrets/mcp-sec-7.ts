import { isObject } from '../../../model/json';
import { asBoolean } from '../../../model/vault';
import type { JsonObject, SynthesizedStack } from '../../../model/stack';
import { nonCompliant, compliant, type Evaluation, type Rule } from '../../rule';
import { stateSecretsOf } from './state-secrets';

/** How many state secrets a finding names before it counts the rest. */
const NAMED_IN_FINDING = 6;

/** A non-empty literal setting (a reference counts: the key comes from elsewhere). */
function isSet(value: unknown): boolean {
  return typeof value === 'string' ? value.trim() !== '' : value !== undefined && value !== null;
}

/**
 * The backends that keep state encrypted at rest, and when (undefined: not encrypted):
 * - `s3` with `encrypt = true` (server-side encryption of the state object; with `kms_key_id`, under a
 *   customer-managed KMS key whose key policy decides who can decrypt);
 * - `gcs` with `kms_encryption_key` (a customer-managed Cloud KMS key) or `encryption_key` (a
 *   customer-supplied key, from the environment): anyone with read access to the bucket reads state
 *   encrypted with Google's default keys, so a key of the user's is required;
 * - `azurerm`: Azure Storage encrypts every blob at rest and cannot be switched off;
 * - `remote` and `cloud` (HCP Terraform, Terraform Enterprise): state is encrypted at rest by the service.
 * Everything else is refused: `local` (or no backend, which is `local`) writes plaintext JSON to
 * disk, and `consul`, `pg`, `http`, `kubernetes` (a Secret, base64) and the others do not encrypt
 * by themselves.
 */
function encryption(type: string, config: JsonObject): { ok: boolean; why: string } {
  switch (type) {
    case 's3':
      return asBoolean(config.encrypt) === true
        ? { ok: true, why: 's3 with encrypt = true' }
        : { ok: false, why: 'backend s3 without encrypt = true' };
    case 'gcs':
      return isSet(config.kms_encryption_key) || isSet(config.encryption_key)
        ? { ok: true, why: 'gcs with a customer-managed key' }
        : { ok: false, why: 'backend gcs without kms_encryption_key (only Google-managed keys)' };
    case 'azurerm':
    case 'remote':
      return { ok: true, why: `${type} encrypts at rest` };
    case 'local':
      return { ok: false, why: 'backend local (plaintext JSON on disk)' };
    default:
      return { ok: false, why: `backend ${type} (not one that encrypts state by itself)` };
  }
}

/** MCP-SEC-7: a stack that keeps secret values in its state keeps that state encrypted. */
export const MCP_SEC_7: Rule = {
  id: 'MCP-SEC-7',
  level: 'warning',
  layer: 'secrets',
  cause: 'a stack keeps secret values in its Terraform state, and its backend does not encrypt state',
  explanation:
    "Some values cannot be kept out of Terraform state: the tunnel token (`data.cloudflare_zero_trust_tunnel_cloudflared_token`, which lets anyone run a connector for the tenant's hostname), the audit writer tokens (`cloudflare_account_token`), the client secret of a confidential Okta app, a Kubernetes secret's non-write-only `data`, a token reviewer JWT. Whoever reads the state reads them, so the state must be encrypted at rest, with access limited to the people who deploy. Accepted as encrypting: `s3` with `encrypt = true` (add `kms_key_id` for a customer-managed key), `gcs` with `kms_encryption_key` (or a customer-supplied `encryption_key`), `azurerm` (Azure Storage always encrypts), `remote` and `cloud` (HCP Terraform, Terraform Enterprise). The `local` backend, a missing backend (which is `local`), and every other backend (`consul`, `pg`, `http`, `kubernetes`, ...) are not. Suppress with a reason when state is encrypted another way (for example a local backend on an encrypted, access-controlled CI volume).",
  requires: [
    'no secret value in state (tunnel token, writer token, confidential client secret, ...), or',
    'a terraform cloud block (HCP Terraform, Terraform Enterprise), or',
    'backend s3 with encrypt = true (kms_key_id recommended), gcs with kms_encryption_key or encryption_key, azurerm, or remote',
  ],
  fix: 'give the stack an encrypted remote backend (for example S3Backend with encrypt: true and kmsKeyId, GcsBackend with kmsEncryptionKey, AzurermBackend, or CloudBackend), or suppress MCP-SEC-7 with the reason when state is encrypted another way',
  evaluate(stack: SynthesizedStack): Evaluation[] {
    const secrets = stateSecretsOf(stack);
    if (secrets.length === 0) return [];
    const terraform = isObject(stack.json.terraform) ? stack.json.terraform : {};
    const backend = stack.backend;
    const address = `terraform.backend.${backend.type}`;
    if (isObject(terraform.cloud) || Array.isArray(terraform.cloud)) return [compliant('terraform.cloud')];
    const verdict = encryption(backend.type, backend.config);
    if (verdict.ok) return [compliant(address)];
    const named = secrets
      .slice(0, NAMED_IN_FINDING)
      .map((s) => `${s.what} ${s.address}`)
      .join(', ');
    const more = secrets.length > NAMED_IN_FINDING ? ` and ${secrets.length - NAMED_IN_FINDING} more` : '';
    return [nonCompliant(address, `${verdict.why} keeps ${secrets.length} secret values in state: ${named}${more}`)];
  },
};
