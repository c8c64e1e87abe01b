/** The review's secrets settings (Vault): every attribute the library writes is covered. */
import { parseVaultPolicy } from '../../core/vault-policy';
import { isExpression, isObject } from '../../model/json';
import type { ChangeClass, SettingValue } from '../model';
import { readEntries, readNumber, readText } from '../values';
import { becameTrue, grew, higherIsWeaker, members, numeric, perKey, safeLost } from './comparators';
import { one } from './define';
import type { SettingExtractor } from './extractor';
import { days, UNSET_IS_LONGEST } from './readers';

const K8S_ROLE = ['vault_kubernetes_auth_backend_role'];
const JWT_ROLE = ['vault_jwt_auth_backend_role'];
const KEY = ['vault_transit_secret_backend_key'];
const unclassified = () => 'unclassified' as const;
const ttl = higherIsWeaker(numeric(UNSET_IS_LONGEST));

/** A Vault role's token settings, for both auth methods. */
function roleTokens(types: readonly string[], name: string, rule: string): SettingExtractor[] {
  return [
    one('secrets', `${name}-token-ttl`, `${name} role token_ttl (s)`, types, 'token_ttl', 'number', ttl, {
      rule,
      table: true,
    }),
    one('secrets', `${name}-token-max-ttl`, `${name} role token_max_ttl (s)`, types, 'token_max_ttl', 'number', ttl, {
      rule,
      table: true,
    }),
    // A period makes tokens that never expire while renewed: any period is weaker than none.
    one(
      'secrets',
      `${name}-token-period`,
      `${name} role token_period (s)`,
      types,
      'token_period',
      'number',
      higherIsWeaker((v) => (v === null || v === 0 ? 0 : typeof v === 'number' ? v : undefined)),
      { rule },
    ),
    one('secrets', `${name}-token-policies`, `${name} role policies`, types, 'token_policies', 'set', grew, {
      rule: 'MCP-SEC-1',
    }),
    one('secrets', `${name}-token-type`, `${name} role token type`, types, 'token_type', 'text', unclassified),
    one(
      'secrets',
      `${name}-default-policy`,
      `${name} role leaves out the default policy`,
      types,
      'token_no_default_policy',
      'flag',
      safeLost(true),
    ),
    {
      id: `secrets.${name}-token-limits`,
      layer: 'secrets',
      label: `${name} role token limits`,
      types,
      attributes: [
        'token_bound_cidrs',
        'token_explicit_max_ttl',
        'token_num_uses',
        'alias_name_source',
        'backend',
        'role_name',
      ],
      read: (b) =>
        readEntries(
          Object.fromEntries(
            Object.entries(b).filter(([k]) =>
              [
                'token_bound_cidrs',
                'token_explicit_max_ttl',
                'token_num_uses',
                'alias_name_source',
                'backend',
                'role_name',
              ].includes(k),
            ),
          ),
        ),
      compare: unclassified,
    },
  ];
}

/** A policy's grants: `<path>: <capabilities>` per stanza (an unreadable policy stays its text). */
function policyGrants(text: unknown): SettingValue {
  if (typeof text !== 'string') return null;
  if (isExpression(text)) return text;
  try {
    return parseVaultPolicy(text)
      .map((s) => `${s.path}: ${[...s.capabilities, ...(s.policy ? [`policy=${s.policy}`] : [])].sort().join(' ')}`)
      .sort();
  } catch {
    return `unreadable: ${text}`;
  }
}

/** A grant added (a new path, or a new capability on a path) is weaker; one removed stronger; `deny` the reverse. */
function compareGrants(before: SettingValue, after: SettingValue): ChangeClass {
  const [b, a] = [members(before), members(after)];
  if (b === undefined || a === undefined) return 'unclassified';
  return perKey((was, now) => {
    const [w, n] = [new Set(was.split(' ').filter((c) => c !== '')), new Set(now.split(' ').filter((c) => c !== ''))];
    if (w.has('deny') && !n.has('deny')) return 'weakened';
    if ([...n].some((c) => !w.has(c))) return n.has('deny') ? 'strengthened' : 'weakened';
    return [...w].some((c) => !n.has(c)) ? 'strengthened' : 'neutral';
  }, false)(b, a);
}

/** Settings of the secrets layer, in report order. */
export const SECRETS_SETTINGS: readonly SettingExtractor[] = [
  {
    id: 'secrets.mount',
    layer: 'secrets',
    label: 'Vault mount (path, type)',
    types: ['vault_mount'],
    attributes: ['path', 'type', 'options', 'local', 'seal_wrap', 'external_entropy_access', 'namespace'],
    rule: 'MCP-SEC-1',
    table: true,
    read: (b) => {
      const options = isObject(b.options) ? b.options : {};
      const version = options.version !== undefined ? ` v${readText(options.version)}` : '';
      return `${readText(b.path) ?? 'not set'} (${readText(b.type) ?? 'no type'}${version})`;
    },
    // A path or type change is a remount or a replacement: the data-bearing section judges it.
    compare: () => 'neutral',
  },
  one('secrets', 'mount-lease-ttl', 'mount lease TTLs', ['vault_mount'], 'max_lease_ttl_seconds', 'number', ttl),
  one(
    'secrets',
    'mount-default-lease-ttl',
    'mount default lease TTL',
    ['vault_mount'],
    'default_lease_ttl_seconds',
    'number',
    ttl,
  ),
  one(
    'secrets',
    'kv-max-versions',
    'KV versions kept',
    ['vault_kv_secret_backend_v2'],
    'max_versions',
    'number',
    higherIsWeaker(numeric(0)),
  ),
  one(
    'secrets',
    'kv-cas-required',
    'KV check-and-set required',
    ['vault_kv_secret_backend_v2'],
    'cas_required',
    'flag',
    safeLost(true),
  ),
  one(
    'secrets',
    'kv-delete-after',
    'KV delete_version_after',
    ['vault_kv_secret_backend_v2'],
    'delete_version_after',
    'number',
    unclassified,
  ),
  one('secrets', 'kv-mount', 'KV mount configured', ['vault_kv_secret_backend_v2'], 'mount', 'text', unclassified, {
    rule: 'MCP-TEN-1',
  }),
  {
    id: 'secrets.policy-grants',
    layer: 'secrets',
    label: 'policy grants (path: capabilities)',
    types: ['vault_policy'],
    attributes: ['policy'],
    rule: 'MCP-SEC-1',
    table: true,
    read: (b) => policyGrants(b.policy),
    compare: compareGrants,
  },
  one('secrets', 'policy-name', 'policy name', ['vault_policy'], 'name', 'text', unclassified, { rule: 'MCP-TEN-2' }),
  ...roleTokens(K8S_ROLE, 'kubernetes', 'MCP-SEC-2'),
  one(
    'secrets',
    'bound-service-accounts',
    'kubernetes role bound service accounts',
    K8S_ROLE,
    'bound_service_account_names',
    'set',
    grew,
    { rule: 'MCP-SEC-2', table: true },
  ),
  one(
    'secrets',
    'bound-namespaces',
    'kubernetes role bound namespaces',
    K8S_ROLE,
    'bound_service_account_namespaces',
    'set',
    grew,
    { rule: 'MCP-SEC-2', table: true },
  ),
  one(
    'secrets',
    'bound-namespace-selector',
    'kubernetes role namespace selector',
    K8S_ROLE,
    'bound_service_account_namespace_selector',
    'text',
    (b, a) => (a !== null && b === null ? 'weakened' : b !== null && a === null ? 'strengthened' : 'unclassified'),
    { rule: 'MCP-SEC-2' },
  ),
  one('secrets', 'kubernetes-audience', 'kubernetes role token audience', K8S_ROLE, 'audience', 'text', unclassified, {
    rule: 'MCP-SEC-2',
  }),
  ...roleTokens(JWT_ROLE, 'jwt', 'MCP-SEC-4'),
  one('secrets', 'jwt-bound-audiences', 'jwt role bound audiences', JWT_ROLE, 'bound_audiences', 'set', grew, {
    rule: 'MCP-SEC-4',
    table: true,
  }),
  {
    id: 'secrets.jwt-bound-claims',
    layer: 'secrets',
    label: 'jwt role bound claims',
    types: JWT_ROLE,
    attributes: ['bound_claims', 'bound_claims_type', 'bound_subject'],
    rule: 'MCP-SEC-4',
    table: true,
    read: (b) => {
      const claims = readEntries(b.bound_claims);
      const type = readText(b.bound_claims_type);
      return Array.isArray(claims)
        ? [
            ...claims,
            ...(type === 'glob' ? ['(glob matching)'] : []),
            ...(b.bound_subject !== undefined ? [`sub: ${readText(b.bound_subject)}`] : []),
          ]
        : claims;
    },
    compare: perKey(
      (was, now) =>
        now === ''
          ? 'weakened'
          : now.includes('*') || now.includes(',')
            ? 'weakened'
            : was === ''
              ? 'strengthened'
              : 'unclassified',
      true,
    ),
  },
  one('secrets', 'jwt-user-claim', 'jwt role user claim', JWT_ROLE, 'user_claim', 'text', unclassified),
  one('secrets', 'jwt-role-type', 'jwt role type', JWT_ROLE, 'role_type', 'text', unclassified),
  {
    id: 'secrets.jwt-backend',
    layer: 'secrets',
    label: 'jwt backend (issuer, discovery, algorithms)',
    types: ['vault_jwt_auth_backend'],
    attributes: [
      'bound_issuer',
      'oidc_discovery_url',
      'jwks_url',
      'jwt_validation_pubkeys',
      'jwt_supported_algs',
      'default_role',
      'path',
      'type',
      'tune',
      'oidc_client_id',
      'oidc_client_secret',
    ],
    rule: 'MCP-SEC-4',
    read: (b) =>
      `${readText(b.bound_issuer) ?? 'no bound issuer'} via ${readText(b.oidc_discovery_url) ?? readText(b.jwks_url) ?? 'keys'} (${JSON.stringify(b.jwt_supported_algs ?? null)})`,
    compare: unclassified,
  },
  one(
    'secrets',
    'key-rotation',
    'transit key auto_rotate_period',
    KEY,
    'auto_rotate_period',
    'number',
    // 0 (or unset) switches automatic rotation off: the weakest.
    higherIsWeaker((v) => (v === null || v === 0 ? UNSET_IS_LONGEST : typeof v === 'number' ? v : undefined)),
    { rule: 'MCP-SEC-3', table: true, show: days },
  ),
  one('secrets', 'key-exportable', 'transit key exportable', KEY, 'exportable', 'flag', becameTrue, {
    rule: 'MCP-SEC-3',
    table: true,
  }),
  one(
    'secrets',
    'key-plaintext-backup',
    'transit key plaintext backup',
    KEY,
    'allow_plaintext_backup',
    'flag',
    becameTrue,
    { rule: 'MCP-SEC-3' },
  ),
  one('secrets', 'key-deletion-allowed', 'transit key deletion_allowed', KEY, 'deletion_allowed', 'flag', becameTrue, {
    rule: 'MCP-SEC-3',
    table: true,
  }),
  {
    id: 'secrets.key-identity',
    layer: 'secrets',
    label: 'transit key (backend, name, type)',
    types: KEY,
    attributes: [
      'backend',
      'name',
      'type',
      'min_decryption_version',
      'min_encryption_version',
      'convergent_encryption',
      'derived',
    ],
    rule: 'MCP-SEC-3',
    read: (b) =>
      `${readText(b.backend) ?? '?'}/${readText(b.name) ?? '?'} ${readText(b.type) ?? ''} min decryption ${readNumber(b.min_decryption_version) ?? 'default'}`,
    compare: unclassified,
  },
  one(
    'secrets',
    'audit-log-raw',
    'Vault audit device logs raw secrets',
    ['vault_audit'],
    'options.log_raw',
    'flag',
    becameTrue,
    { rule: 'MCP-SEC-8' },
  ),
  one(
    'secrets',
    'audit-hmac-accessor',
    'Vault audit device hashes accessors',
    ['vault_audit'],
    'options.hmac_accessor',
    'flag',
    (b, a) => (a === false ? 'weakened' : b === false ? 'strengthened' : 'neutral'),
    { rule: 'MCP-SEC-8' },
  ),
  {
    id: 'secrets.audit-device',
    layer: 'secrets',
    label: 'Vault audit device',
    types: ['vault_audit'],
    attributes: ['type', 'path', 'options', 'local'],
    rule: 'MCP-SEC-6',
    read: (b) => `${readText(b.type) ?? '?'} at ${readText(b.path) ?? '?'} ${JSON.stringify(b.options ?? {})}`,
    compare: unclassified,
  },
  {
    id: 'secrets.kubernetes-backend',
    layer: 'secrets',
    label: 'kubernetes auth backend',
    types: ['vault_auth_backend', 'vault_kubernetes_auth_backend_config'],
    attributes: [
      'type',
      'path',
      'tune',
      'kubernetes_host',
      'kubernetes_ca_cert',
      'issuer',
      'disable_iss_validation',
      'disable_local_ca_jwt',
      'token_reviewer_jwt',
      'backend',
      'local',
    ],
    rule: 'MCP-SEC-2',
    read: (b) =>
      `${readText(b.type) ?? readText(b.backend) ?? '?'} ${readText(b.path) ?? ''} ${readText(b.kubernetes_host) ?? ''}`.trim(),
    compare: unclassified,
  },
];
