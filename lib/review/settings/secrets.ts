/** The review's secrets settings (Vault): every attribute the library writes is covered. */
import { parseVaultPolicy } from '../../core/vault-policy';
import { isExpression, isObject } from '../../model/json';
import type { ChangeClass, SettingValue } from '../model';
import { readEntries, readNumber, readText, splitEntry } from '../values';
import { durationMinutes } from '../../core/transport-defaults';
import { becameTrue, combine, grew, higherIsWeaker, members, numeric, perKey, safeLost } from './comparators';
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

/** Seconds of a Vault duration (`1h`, `15m`, `900s`, or seconds as a number); undefined when unreadable. */
function vaultSeconds(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (/^\d+$/.test(text.trim())) return Number(text);
  const minutes = durationMinutes(text.trim());
  return minutes === undefined ? undefined : minutes * 60;
}

/** Tuning keys whose lists name what is logged or passed in the clear: a longer list is weaker. */
const TUNE_LISTS = new Set([
  'audit_non_hmac_request_keys',
  'audit_non_hmac_response_keys',
  'passthrough_request_headers',
  'allowed_response_headers',
]);

/**
 * An auth backend's tuning, key by key: longer (or dropped) lease TTLs are weaker, as are more keys
 * logged unhashed or more headers passed through; any other tuning is for a person.
 */
function compareTune(before: SettingValue, after: SettingValue): ChangeClass {
  const [b, a] = [members(before), members(after)];
  if (b === undefined || a === undefined) return 'unclassified';
  const [bm, am] = [new Map(b.map(splitEntry)), new Map(a.map(splitEntry))];
  const verdicts: ChangeClass[] = [];
  for (const key of new Set([...bm.keys(), ...am.keys()])) {
    const [was, now] = [bm.get(key), am.get(key)];
    if (was === now) continue;
    if (key === 'default_lease_ttl' || key === 'max_lease_ttl') {
      const [w, n] = [vaultSeconds(was), vaultSeconds(now)];
      if (now === undefined) verdicts.push('weakened');
      else if (n === undefined) verdicts.push('unclassified');
      else if (was === undefined) verdicts.push('strengthened');
      else if (w === undefined) verdicts.push('unclassified');
      else verdicts.push(n > w ? 'weakened' : n < w ? 'strengthened' : 'neutral');
    } else if (TUNE_LISTS.has(key)) {
      const list = (v: string | undefined) => (v === undefined || v === '' ? [] : v.split(','));
      verdicts.push(grew(list(was), list(now)));
    } else if (key === 'listing_visibility') {
      verdicts.push(now === 'unauth' ? 'weakened' : was === 'unauth' ? 'strengthened' : 'unclassified');
    } else {
      verdicts.push('unclassified');
    }
  }
  return combine(verdicts);
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
      const other = Object.keys(options)
        .filter((k) => k !== 'version' && k !== '//')
        .sort()
        .map((k) => ` ${k}=${readText(options[k]) ?? JSON.stringify(options[k])}`)
        .join('');
      return `${readText(b.path) ?? 'not set'} (${readText(b.type) ?? 'no type'}${version}${other})`;
    },
    // A path or type change is a remount or a replacement, which the data-bearing section judges; a kv
    // mount that stops keeping versions (v2 -> v1) loses every earlier value at the next write.
    compare: (before, after) => {
      const v2 = (v: SettingValue) => typeof v === 'string' && / v2[ )]/.test(v);
      const options = (v: SettingValue) => (typeof v === 'string' ? v.replace(/^\S+ \(\S+/, '') : v);
      if (v2(before) && !v2(after)) return 'weakened';
      if (options(before) !== options(after) && !(v2(after) && !v2(before))) return 'unclassified';
      return 'neutral';
    },
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
  {
    id: 'secrets.auth-backend-tune',
    layer: 'secrets',
    label: 'auth backend tuning (lease TTLs, logged keys)',
    types: ['vault_auth_backend', 'vault_jwt_auth_backend'],
    attributes: ['tune'],
    rule: 'MCP-SEC-2',
    read: (b) => {
      const tune = Array.isArray(b.tune) ? b.tune[0] : b.tune;
      if (!isObject(tune)) return [];
      return Object.keys(tune)
        .filter((k) => k !== '//' && tune[k] !== null && tune[k] !== undefined)
        .sort()
        .map(
          (k) =>
            `${k}: ${Array.isArray(tune[k]) ? [...(tune[k] as unknown[])].map(String).sort().join(',') : (readText(tune[k]) ?? JSON.stringify(tune[k]))}`,
        );
    },
    compare: compareTune,
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
