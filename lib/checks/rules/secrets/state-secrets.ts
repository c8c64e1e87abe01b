/**
 * The resources whose Terraform state holds a secret value (MCP-SEC-7 warns when such a stack keeps
 * its state unencrypted; MCP-SEC-5 requires an output that carries one to be sensitive).
 */
import { publicness } from '../../../model/okta';
import { asBoolean } from '../../../model/vault';
import type { ResourceEntry, SynthesizedStack } from '../../../model/stack';

/** A resource type (`data.<type>` for data sources) and the attribute of its state that holds a secret. */
export interface StateSecret {
  readonly type: string;
  readonly attribute: string;
  /** What the value is, for findings. */
  readonly what: string;
  /** When only some instances hold it (e.g. a confidential client); undefined: always. */
  readonly holds?: (stack: SynthesizedStack, entry: ResourceEntry) => boolean;
}

const isSet = (attribute: string) => (_stack: SynthesizedStack, entry: ResourceEntry) =>
  entry.body[attribute] !== undefined && entry.body[attribute] !== null && entry.body[attribute] !== '';

/** Every resource type known to keep a secret in state. */
export const STATE_SECRETS: readonly StateSecret[] = [
  { type: 'data.cloudflare_zero_trust_tunnel_cloudflared_token', attribute: 'token', what: 'the tunnel token' },
  { type: 'cloudflare_account_token', attribute: 'value', what: 'the audit writer token' },
  { type: 'cloudflare_api_token', attribute: 'value', what: 'an API token' },
  {
    type: 'cloudflare_zero_trust_access_service_token',
    attribute: 'client_secret',
    what: "a service account's Access client secret",
  },
  {
    type: 'okta_app_oauth',
    attribute: 'client_secret',
    what: 'the client secret of a confidential app',
    // A public client (PKCE, no secret) keeps none; `omit_secret` keeps Okta's secret out of state.
    holds: (stack, entry) => publicness(stack, entry) !== 'public' && asBoolean(entry.body.omit_secret) !== true,
  },
  {
    type: 'cloudflare_zero_trust_tunnel_cloudflared',
    attribute: 'tunnel_secret',
    what: 'a tunnel secret',
    holds: isSet('tunnel_secret'),
  },
  {
    type: 'vault_kubernetes_auth_backend_config',
    attribute: 'token_reviewer_jwt',
    what: 'the token reviewer JWT',
    holds: isSet('token_reviewer_jwt'),
  },
  { type: 'kubernetes_secret_v1', attribute: 'data', what: 'secret data (not write-only)', holds: isSet('data') },
  { type: 'kubernetes_secret', attribute: 'data', what: 'secret data (not write-only)', holds: isSet('data') },
  { type: 'vault_token', attribute: 'client_token', what: 'a Vault token' },
  { type: 'vault_approle_auth_backend_role_secret_id', attribute: 'secret_id', what: 'an AppRole secret id' },
  { type: 'random_password', attribute: 'result', what: 'a generated password' },
  { type: 'tls_private_key', attribute: 'private_key_pem', what: 'a private key' },
  { type: 'data.vault_kv_secret_v2', attribute: 'data', what: 'a secret read from Vault' },
  { type: 'data.vault_generic_secret', attribute: 'data', what: 'a secret read from Vault' },
];

/** The state secrets a stack holds, as `<address>.<attribute>` with what each is. */
export function stateSecretsOf(stack: SynthesizedStack): { readonly address: string; readonly what: string }[] {
  const found: { address: string; what: string }[] = [];
  for (const secret of STATE_SECRETS) {
    for (const entry of stack.ofType(secret.type)) {
      if (secret.holds === undefined || secret.holds(stack, entry)) {
        found.push({ address: `${entry.address}.${secret.attribute}`, what: secret.what });
      }
    }
  }
  return found;
}

/** Matches a reference to a state secret inside an expression, e.g. `cloudflare_account_token.x.value`. */
export const STATE_SECRET_REFERENCE = new RegExp(
  `(?<![\\w.])(${STATE_SECRETS.map((s) => `${s.type.replace(/\./g, '\\.')}\\.[A-Za-z_][A-Za-z0-9_-]*\\.${s.attribute}`).join('|')})\\b`,
);
