/**
 * The review's extractor table: one small extractor per security-relevant setting, naming its layer,
 * label, resource types, how to read it from a resource's synthesized body and (where a change can
 * weaken security) a comparator that says whether going from one value to another is a weakening.
 */
import { SECONDS_PER_DAY } from '../core/audit-defaults';
import { REFRESH_TOKEN_ROTATION } from '../core/identity-defaults';
import { HARDWARE_KEY_AUTH_METHOD } from '../core/transport-defaults';
import { MCP_ENV, POD_SECURITY_LABEL_PREFIX, REQUIRED_ZERO_QUOTA_KEYS } from '../core/ports-defaults';
import { blocks, isExpression } from '../model/json';
import type { JsonObject } from '../model/stack';
import { DATA_BEARING_TYPES } from './data-bearing';
import type { ReviewLayer, SettingValue } from './model';
import {
  goDurationMinutes,
  isLoopbackAddress,
  isLoopbackService,
  isObject,
  isoDurationMinutes,
  isUnresolved,
  nested,
  readBoolean,
  readEntries,
  readList,
  readNumber,
  readSet,
  readText,
  showValue,
  splitEntry,
} from './values';

/** One security-relevant setting: where it lives and how to judge a change of it. */
export interface SettingExtractor {
  /** Stable id, `<layer>.<setting>`. */
  readonly id: string;
  readonly layer: ReviewLayer;
  /** What the report calls it, with its unit. */
  readonly label: string;
  /** Terraform resource types that carry it. */
  readonly types: readonly string[];
  /** Reads the setting from one resource body: `null` when absent. */
  read(body: JsonObject): SettingValue;
  /** Renders a value (default: lists joined, `not set` for null). */
  show?(value: SettingValue): string;
  /** True when `before` -> `after` weakens security. Absent: a change is never a weakening. */
  weaker?(before: SettingValue, after: SettingValue): boolean;
}

// ---- comparators -------------------------------------------------------------------------------

/** A numeric rank of a value; `undefined` when it cannot be compared (an expression, an odd string). */
type Rank = (value: SettingValue) => number | undefined;

/** Ranks numbers as they are; `null` (unset) as `unset`. */
const numeric =
  (unset: number): Rank =>
  (v) =>
    v === null ? unset : typeof v === 'number' ? v : undefined;

/** Ranks duration strings by minutes; `null` as `unset`. */
const duration =
  (parse: (s: string) => number | undefined, unset: number): Rank =>
  (v) =>
    v === null ? unset : typeof v === 'string' ? parse(v) : typeof v === 'number' ? v : undefined;

/** A higher rank is weaker (a longer TTL or session). */
const higherIsWeaker =
  (rank: Rank) =>
  (before: SettingValue, after: SettingValue): boolean => {
    const [b, a] = [rank(before), rank(after)];
    return b !== undefined && a !== undefined && a > b;
  };

/** A lower rank is weaker (a shorter retention, a weaker Pod Security level). */
const lowerIsWeaker =
  (rank: Rank) =>
  (before: SettingValue, after: SettingValue): boolean => {
    const [b, a] = [rank(before), rank(after)];
    return b !== undefined && a !== undefined && a < b;
  };

/** Weaker when a value that held `safe` no longer does (rotation removed, prevent_destroy removed). */
const safeLost =
  (safe: string | boolean) =>
  (before: SettingValue, after: SettingValue): boolean =>
    before === safe && after !== safe && !isUnresolved(after);

/** Weaker when a flag whose safe value is false (or unset) becomes true (exportable, deletable). */
const becameTrue = (before: SettingValue, after: SettingValue): boolean =>
  (before === false || before === null) && after === true;

function members(value: SettingValue): string[] | undefined {
  return Array.isArray(value) ? value : value === null ? [] : undefined;
}

/** Weaker when the list gained a member (a grant type, a bound namespace, a declared port). */
const grew = (before: SettingValue, after: SettingValue): boolean => {
  const [b, a] = [members(before), members(after)];
  return b !== undefined && a !== undefined && a.some((m) => !b.includes(m));
};

/** Weaker when the list lost a member (a hardware-key requirement, a default-deny direction). */
const shrank = (before: SettingValue, after: SettingValue): boolean => grew(after, before);

/**
 * Compares `key: value` entries key by key: weaker when an entry's value got weaker, or (when
 * `missingIsWeaker`) when a key disappeared.
 */
const perKey =
  (weakerEntry: (before: string, after: string) => boolean, missingIsWeaker: boolean) =>
  (before: SettingValue, after: SettingValue): boolean => {
    const [b, a] = [members(before), members(after)];
    if (b === undefined || a === undefined) return false;
    const afterByKey = new Map(a.map((e) => splitEntry(e)));
    return b.some((e) => {
      const [key, was] = splitEntry(e);
      const now = afterByKey.get(key);
      return now === undefined ? missingIsWeaker : weakerEntry(was, now);
    });
  };

// ---- readers -----------------------------------------------------------------------------------

/** The containers of a Deployment-like body's pod template. */
function containersOf(body: JsonObject): JsonObject[] {
  const pod = nested(body, 'spec', 'template', 'spec');
  return pod ? blocks(pod.container) : [];
}

/** `container: value` for every container of the pod, sorted by container name. */
function perContainer(body: JsonObject, read: (container: JsonObject) => string): string[] {
  return containersOf(body)
    .map((c) => `${readText(c.name) ?? '?'}: ${read(c)}`)
    .sort();
}

function showFlag(value: unknown): string {
  const f = readBoolean(value);
  return f === null ? 'not set' : String(f);
}

/** Okta possession constraint keys that make a hardware-key rule, and how the report names them. */
const POSSESSION_REQUIREMENTS: readonly (readonly [string, string])[] = [
  ['phishingResistant', 'phishing-resistant'],
  ['hardwareProtection', 'hardware-protected'],
  ['userVerification', 'user verification'],
];

/** Possession requirements an Okta sign-on rule makes in every one of its constraint alternatives. */
function possessionRequirements(value: unknown): SettingValue {
  if (isExpression(value)) return value;
  const raw = readList(value);
  if (raw === null || typeof raw === 'string') return raw;
  let common: string[] | undefined;
  for (const constraint of raw) {
    if (isExpression(constraint)) return constraint;
    let parsed: unknown;
    try {
      parsed = JSON.parse(constraint);
    } catch {
      parsed = undefined;
    }
    const possession = isObject(parsed) && isObject(parsed.possession) ? parsed.possession : {};
    const met = POSSESSION_REQUIREMENTS.filter(([key]) => possession[key] === 'REQUIRED').map(([, name]) => name);
    common = common === undefined ? met : common.filter((m) => met.includes(m));
  }
  return common ?? [];
}

/** Names (or positions) of an Access application's inline policies that require a hardware key. */
function hardwareKeyPolicies(body: JsonObject): SettingValue {
  if (isExpression(body.policies)) return body.policies;
  return blocks(body.policies)
    .map((policy, i) => ({ name: readText(policy.name) ?? `#${i + 1}`, requires: requiresHardwareKey(policy) }))
    .filter((p) => p.requires)
    .map((p) => p.name)
    .sort();
}

function requiresHardwareKey(policy: JsonObject): boolean {
  return blocks(policy.require).some((r) =>
    blocks(r.auth_method).some((m) => m.auth_method === HARDWARE_KEY_AUTH_METHOD),
  );
}

/** Directions a network policy denies by default: selected by an empty selector, listed, with no rule. */
function defaultDenyDirections(body: JsonObject): SettingValue {
  if (isExpression(body.spec)) return body.spec;
  const spec = nested(body, 'spec');
  if (!spec) return null;
  const selector = blocks(spec.pod_selector)[0] ?? {};
  const selectsAll = Object.values(selector).every((v) =>
    isObject(v) ? Object.keys(v).length === 0 : blocks(v).length === 0,
  );
  const rules: Record<string, unknown> = { Ingress: spec.ingress, Egress: spec.egress };
  const listed = readList(spec.policy_types);
  if (typeof listed === 'string') return listed;
  if (!selectsAll) return [];
  // Kubernetes' default when policy_types is unset: Ingress, plus Egress when egress rules exist.
  const types = listed ?? (blocks(spec.egress).length > 0 ? ['Ingress', 'Egress'] : ['Ingress']);
  return types.filter((t) => t in rules && blocks(rules[t]).length === 0).sort();
}

/** The longest whole-bucket lock of an R2 lock: days, `Indefinite`, or `null` when nothing covers the bucket. */
function wholeBucketRetention(body: JsonObject): SettingValue {
  if (isExpression(body.rules)) return body.rules;
  let best: SettingValue = null;
  for (const rule of blocks(body.rules)) {
    const prefix = rule.prefix ?? '';
    if (readBoolean(rule.enabled) !== true || prefix !== '') continue;
    const condition = blocks(rule.condition)[0] ?? {};
    if (condition.type === 'Indefinite') return 'Indefinite';
    const seconds = readNumber(condition.max_age_seconds);
    if (condition.type === 'Age' && typeof seconds === 'number') {
      const days = seconds / SECONDS_PER_DAY;
      if (best === null || (typeof best === 'number' && days > best)) best = days;
    }
  }
  return best;
}

function describeLockRule(rule: JsonObject): string {
  const condition = blocks(rule.condition)[0] ?? {};
  const seconds = readNumber(condition.max_age_seconds);
  const age =
    condition.type === 'Age'
      ? `Age ${typeof seconds === 'number' ? `${seconds / SECONDS_PER_DAY} d` : showValue(seconds)}`
      : condition.type === 'Date'
        ? `Date ${readText(condition.date) ?? 'not set'}`
        : (readText(condition.type) ?? 'no condition');
  const enabled = readBoolean(rule.enabled) === true ? 'enabled' : 'disabled';
  return `${readText(rule.id) ?? '?'}: ${enabled}, prefix "${readText(rule.prefix) ?? ''}", ${age}`;
}

const POD_SECURITY_RANK: Record<string, number> = { privileged: 0, baseline: 1, restricted: 2 };

/** Vault and Okta fall back to long defaults when a TTL is unset: unset ranks as the weakest. */
const UNSET_IS_LONGEST = Number.POSITIVE_INFINITY;

const days = (v: SettingValue): string => (typeof v === 'number' ? `${v} s (${v / SECONDS_PER_DAY} d)` : showValue(v));

/** A Vault role's TTLs, for both auth methods. */
function roleTtls(type: string, name: string): SettingExtractor[] {
  return [
    {
      id: `secrets.${name}-token-ttl`,
      layer: 'secrets',
      label: `${name} role token_ttl (s)`,
      types: [type],
      read: (b) => readNumber(b.token_ttl),
      weaker: higherIsWeaker(numeric(UNSET_IS_LONGEST)),
    },
    {
      id: `secrets.${name}-token-max-ttl`,
      layer: 'secrets',
      label: `${name} role token_max_ttl (s)`,
      types: [type],
      read: (b) => readNumber(b.token_max_ttl),
      weaker: higherIsWeaker(numeric(UNSET_IS_LONGEST)),
    },
    {
      id: `secrets.${name}-token-period`,
      layer: 'secrets',
      label: `${name} role token_period (s)`,
      types: [type],
      read: (b) => readNumber(b.token_period),
      // A period makes tokens renewable forever: unset (or 0) is the safe value.
      weaker: higherIsWeaker(numeric(0)),
    },
  ];
}

// ---- the table ---------------------------------------------------------------------------------

/** Every setting the review reads, in report order within each layer. */
export const SETTINGS: readonly SettingExtractor[] = [
  // identity
  {
    id: 'identity.audience',
    layer: 'identity',
    label: 'audience',
    types: ['okta_auth_server'],
    read: (b) => readSet(b.audiences),
    weaker: grew,
  },
  {
    id: 'identity.access-token-lifetime',
    layer: 'identity',
    label: 'access token lifetime (min)',
    types: ['okta_auth_server_policy_rule'],
    read: (b) => readNumber(b.access_token_lifetime_minutes),
    // Okta's default is 60 minutes: unset is the weakest.
    weaker: higherIsWeaker(numeric(UNSET_IS_LONGEST)),
  },
  {
    id: 'identity.policy-grant-types',
    layer: 'identity',
    label: 'grant types (policy rule)',
    types: ['okta_auth_server_policy_rule'],
    read: (b) => readSet(b.grant_type_whitelist),
    weaker: grew,
  },
  {
    id: 'identity.client-grant-types',
    layer: 'identity',
    label: 'grant types (client)',
    types: ['okta_app_oauth'],
    read: (b) => readSet(b.grant_types),
    weaker: grew,
  },
  {
    id: 'identity.refresh-token-rotation',
    layer: 'identity',
    label: 'refresh token rotation',
    types: ['okta_app_oauth'],
    read: (b) => readText(b.refresh_token_rotation),
    weaker: safeLost(REFRESH_TOKEN_ROTATION),
  },
  {
    id: 'identity.hardware-key',
    layer: 'identity',
    label: 'hardware-key rule (possession)',
    types: ['okta_app_signon_policy_rule'],
    read: (b) => possessionRequirements(b.constraints),
    weaker: shrank,
  },
  {
    id: 'identity.re-authentication',
    layer: 'identity',
    label: 're-authentication frequency',
    types: ['okta_app_signon_policy_rule'],
    read: (b) => readText(b.re_authentication_frequency),
    weaker: higherIsWeaker(duration(isoDurationMinutes, UNSET_IS_LONGEST)),
  },
  // transport
  {
    id: 'transport.access-session',
    layer: 'transport',
    label: 'Access session duration',
    types: ['cloudflare_zero_trust_access_application'],
    read: (b) => readText(b.session_duration),
    // Cloudflare's default session is 24 h: unset is the weakest.
    weaker: higherIsWeaker(duration(goDurationMinutes, UNSET_IS_LONGEST)),
  },
  {
    id: 'transport.allowed-idps',
    layer: 'transport',
    label: 'allowed identity providers',
    types: ['cloudflare_zero_trust_access_application'],
    read: (b) => readSet(b.allowed_idps),
    // An empty list allows every identity provider of the account.
    weaker: (before, after) =>
      grew(before, after) || ((members(before)?.length ?? 0) > 0 && members(after)?.length === 0),
  },
  {
    id: 'transport.hardware-key-policies',
    layer: 'transport',
    label: 'policies requiring a hardware key (hwk)',
    types: ['cloudflare_zero_trust_access_application'],
    read: hardwareKeyPolicies,
    weaker: shrank,
  },
  {
    id: 'transport.policy-hardware-key',
    layer: 'transport',
    label: 'requires a hardware key (hwk)',
    types: ['cloudflare_zero_trust_access_policy'],
    read: (b) => requiresHardwareKey(b),
    weaker: safeLost(true),
  },
  {
    id: 'transport.ingress-services',
    layer: 'transport',
    label: 'tunnel ingress services',
    types: ['cloudflare_zero_trust_tunnel_cloudflared_config'],
    read: (b) => {
      if (isExpression(b.config)) return b.config;
      const ingress = nested(b, 'config')?.ingress;
      if (isExpression(ingress)) return ingress;
      return blocks(ingress).map((rule) => readText(rule.service) ?? 'not set');
    },
    // Weaker when a service leaves loopback.
    weaker: (before, after) => {
      const [b, a] = [members(before), members(after)];
      if (b === undefined || a === undefined) return false;
      return a.some((s) => !isLoopbackService(s) && !isExpression(s) && !b.includes(s));
    },
  },
  // ports
  {
    id: 'ports.bind-address',
    layer: 'ports',
    label: `bind address (${MCP_ENV.bindAddress})`,
    types: ['kubernetes_deployment_v1', 'kubernetes_deployment'],
    read: (b) =>
      containersOf(b)
        .flatMap((c) =>
          blocks(c.env)
            .filter((e) => e.name === MCP_ENV.bindAddress)
            .map((e) => `${readText(c.name) ?? '?'}: ${readText(e.value) ?? 'not set'}`),
        )
        .sort(),
    weaker: perKey((was, now) => isLoopbackAddress(was) && !isLoopbackAddress(now) && !isExpression(now), true),
  },
  {
    id: 'ports.declared-ports',
    layer: 'ports',
    label: 'declared container ports',
    types: ['kubernetes_deployment_v1', 'kubernetes_deployment'],
    read: (b) =>
      containersOf(b)
        .flatMap((c) => blocks(c.port).map((p) => `${readText(c.name) ?? '?'}: ${readText(p.container_port) ?? '?'}`))
        .sort(),
    weaker: grew,
  },
  {
    id: 'ports.run-as-non-root',
    layer: 'ports',
    label: 'pod run_as_non_root',
    types: ['kubernetes_deployment_v1', 'kubernetes_deployment'],
    read: (b) => readBoolean(nested(b, 'spec', 'template', 'spec', 'security_context')?.run_as_non_root),
    weaker: safeLost(true),
  },
  {
    id: 'ports.read-only-root-filesystem',
    layer: 'ports',
    label: 'read_only_root_filesystem',
    types: ['kubernetes_deployment_v1', 'kubernetes_deployment'],
    read: (b) => perContainer(b, (c) => showFlag(nested(c, 'security_context')?.read_only_root_filesystem)),
    weaker: perKey((was, now) => was === 'true' && now !== 'true', false),
  },
  {
    id: 'ports.allow-privilege-escalation',
    layer: 'ports',
    label: 'allow_privilege_escalation',
    types: ['kubernetes_deployment_v1', 'kubernetes_deployment'],
    read: (b) => perContainer(b, (c) => showFlag(nested(c, 'security_context')?.allow_privilege_escalation)),
    weaker: perKey((was, now) => was === 'false' && now !== 'false', false),
  },
  {
    id: 'ports.capabilities-drop',
    layer: 'ports',
    label: 'capabilities drop',
    types: ['kubernetes_deployment_v1', 'kubernetes_deployment'],
    read: (b) =>
      perContainer(b, (c) => {
        const drop = readList(nested(c, 'security_context', 'capabilities')?.drop);
        return Array.isArray(drop) ? (drop.length === 0 ? 'none' : drop.join(' ')) : showValue(drop);
      }),
    weaker: perKey((was, now) => was.split(' ').includes('ALL') && !now.split(' ').includes('ALL'), false),
  },
  {
    id: 'ports.pod-security',
    layer: 'ports',
    label: 'Pod Security enforce',
    types: ['kubernetes_namespace_v1', 'kubernetes_namespace'],
    read: (b) => {
      const labels = nested(b, 'metadata')?.labels;
      return isObject(labels) ? readText(labels[`${POD_SECURITY_LABEL_PREFIX}/enforce`]) : null;
    },
    // Without the label, Pod Security admission enforces `privileged` (nothing).
    weaker: lowerIsWeaker((v) => (v === null ? 0 : typeof v === 'string' ? POD_SECURITY_RANK[v] : undefined)),
  },
  {
    id: 'ports.default-deny',
    layer: 'ports',
    label: 'network policy: default deny',
    types: ['kubernetes_network_policy_v1', 'kubernetes_network_policy'],
    read: defaultDenyDirections,
    show: (v) => (Array.isArray(v) && v.length === 0 ? 'no (allow rules)' : showValue(v)),
    weaker: shrank,
  },
  {
    id: 'ports.services-quota',
    layer: 'ports',
    label: 'services quota',
    types: ['kubernetes_resource_quota_v1', 'kubernetes_resource_quota'],
    read: (b) => {
      const hard = nested(b, 'spec')?.hard;
      if (isExpression(hard)) return hard;
      const all = readEntries(hard);
      return Array.isArray(all) ? all.filter((e) => REQUIRED_ZERO_QUOTA_KEYS.includes(splitEntry(e)[0])) : all;
    },
    weaker: perKey((was, now) => Number(now) > Number(was), true),
  },
  // secrets
  {
    id: 'secrets.mount',
    layer: 'secrets',
    label: 'Vault mount (path, type)',
    types: ['vault_mount'],
    read: (b) => {
      const options = isObject(b.options) ? b.options : {};
      const version = options.version !== undefined ? ` v${readText(options.version)}` : '';
      return `${readText(b.path) ?? 'not set'} (${readText(b.type) ?? 'no type'}${version})`;
    },
  },
  ...roleTtls('vault_kubernetes_auth_backend_role', 'kubernetes'),
  {
    id: 'secrets.bound-service-accounts',
    layer: 'secrets',
    label: 'kubernetes role bound service accounts',
    types: ['vault_kubernetes_auth_backend_role'],
    read: (b) => readSet(b.bound_service_account_names),
    weaker: grew,
  },
  {
    id: 'secrets.bound-namespaces',
    layer: 'secrets',
    label: 'kubernetes role bound namespaces',
    types: ['vault_kubernetes_auth_backend_role'],
    read: (b) => readSet(b.bound_service_account_namespaces),
    weaker: grew,
  },
  ...roleTtls('vault_jwt_auth_backend_role', 'jwt'),
  {
    id: 'secrets.jwt-bound-audiences',
    layer: 'secrets',
    label: 'jwt role bound audiences',
    types: ['vault_jwt_auth_backend_role'],
    read: (b) => readSet(b.bound_audiences),
    weaker: grew,
  },
  {
    id: 'secrets.jwt-bound-claims',
    layer: 'secrets',
    label: 'jwt role bound claims',
    types: ['vault_jwt_auth_backend_role'],
    read: (b) => readEntries(b.bound_claims),
    weaker: perKey((was, now) => was !== now && now.includes('*'), true),
  },
  {
    id: 'secrets.key-rotation',
    layer: 'secrets',
    label: 'transit key auto_rotate_period',
    types: ['vault_transit_secret_backend_key'],
    read: (b) => readNumber(b.auto_rotate_period),
    show: days,
    // 0 (or unset) switches automatic rotation off: the weakest.
    weaker: higherIsWeaker((v) => (v === null || v === 0 ? UNSET_IS_LONGEST : typeof v === 'number' ? v : undefined)),
  },
  {
    id: 'secrets.key-exportable',
    layer: 'secrets',
    label: 'transit key exportable',
    types: ['vault_transit_secret_backend_key'],
    read: (b) => readBoolean(b.exportable),
    weaker: becameTrue,
  },
  {
    id: 'secrets.key-deletion-allowed',
    layer: 'secrets',
    label: 'transit key deletion_allowed',
    types: ['vault_transit_secret_backend_key'],
    read: (b) => readBoolean(b.deletion_allowed),
    weaker: becameTrue,
  },
  // audit
  {
    id: 'audit.bucket',
    layer: 'audit',
    label: 'R2 bucket',
    types: ['cloudflare_r2_bucket'],
    read: (b) => readText(b.name),
  },
  {
    id: 'audit.lock-rules',
    layer: 'audit',
    label: 'bucket lock rules',
    types: ['cloudflare_r2_bucket_lock'],
    read: (b) => (isExpression(b.rules) ? b.rules : blocks(b.rules).map(describeLockRule)),
  },
  {
    id: 'audit.lock-retention',
    layer: 'audit',
    label: 'whole-bucket lock retention (days)',
    types: ['cloudflare_r2_bucket_lock'],
    read: wholeBucketRetention,
    weaker: lowerIsWeaker((v) =>
      v === null ? 0 : v === 'Indefinite' ? Number.POSITIVE_INFINITY : typeof v === 'number' ? v : undefined,
    ),
  },
  {
    id: 'audit.prevent-destroy',
    layer: 'audit',
    label: 'prevent_destroy',
    types: DATA_BEARING_TYPES,
    read: (b) => readBoolean(nested(b, 'lifecycle')?.prevent_destroy),
    weaker: safeLost(true),
  },
];

/** The extractors of each resource type, indexed once. */
export const SETTINGS_BY_TYPE: ReadonlyMap<string, readonly SettingExtractor[]> = (() => {
  const byType = new Map<string, SettingExtractor[]>();
  for (const s of SETTINGS) {
    for (const t of s.types) {
      const l = byType.get(t);
      if (l) l.push(s);
      else byType.set(t, [s]);
    }
  }
  return byType;
})();

/** The report's rendering of one extractor's value. */
export function showSetting(extractor: SettingExtractor, value: SettingValue): string {
  return extractor.show ? extractor.show(value) : showValue(value);
}
