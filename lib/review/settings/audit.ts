/**
 * The review's audit settings (R2 and S3 Object Lock buckets, locks, Logpush, writer tokens and
 * roles, their rotation, the audit shipper): every attribute the library writes is covered.
 */
import { AUDIT_SHIPPER_CONTAINER_NAME, R2_BUCKET_ITEM_WRITE_PERMISSION_GROUP_ID } from '../../core/audit-defaults';
import { parseImageReference } from '../../core/formats';
import { blocks, isExpression, isObject, nested, type JsonObject } from '../../model/json';
import { DATA_BEARING_TYPES } from '../data-bearing';
import type { ChangeClass, SettingValue } from '../model';
import { readBoolean, readNumber, readText } from '../values';
import { combine, grew, higherIsWeaker, lowerIsWeaker, members, safeLost, shrank } from './comparators';
import { one } from './define';
import type { SettingExtractor } from './extractor';
import { containersOf, describeLockRule, wholeBucketRetention } from './readers';

const unclassified = (): ChangeClass => 'unclassified';
const DEPLOYMENT = ['kubernetes_deployment_v1', 'kubernetes_deployment'];
const TOKENS = ['cloudflare_account_token', 'cloudflare_api_token'];
const OBJECT_LOCK = ['aws_s3_bucket_object_lock_configuration'];

/** Resources besides the data-bearing ones that the library protects with `prevent_destroy`. */
const GUARDED_TYPES = [
  'okta_authenticator',
  'vault_audit',
  'vault_transit_secret_backend_key',
  'aws_s3_bucket_policy',
  'aws_s3_bucket_public_access_block',
  'aws_s3_bucket_ownership_controls',
  'aws_s3_bucket_server_side_encryption_configuration',
];

/** Names of well-known permission groups in the report. */
const PERMISSION_GROUPS: Readonly<Record<string, string>> = {
  [R2_BUCKET_ITEM_WRITE_PERMISSION_GROUP_ID]: 'Workers R2 Storage Bucket Item Write',
};

/**
 * Grants, one entry each (`allow <what> on <where>`): a new allow or a lost deny is weaker, a lost
 * allow or a new deny stronger. Used for writer tokens, IAM policies and bucket policies.
 */
export function compareGrants(before: SettingValue, after: SettingValue): ChangeClass {
  const [b, a] = [members(before), members(after)];
  if (b === undefined || a === undefined) return 'unclassified';
  const verdicts: ChangeClass[] = [];
  const effect = (e: string) => e.split(' ')[0].toLowerCase();
  for (const entry of a.filter((e) => !b.includes(e))) {
    verdicts.push(effect(entry) === 'deny' ? 'strengthened' : effect(entry) === 'allow' ? 'weakened' : 'unclassified');
  }
  for (const entry of b.filter((e) => !a.includes(e))) {
    verdicts.push(effect(entry) === 'deny' ? 'weakened' : effect(entry) === 'allow' ? 'strengthened' : 'unclassified');
  }
  return combine(verdicts);
}

/** A writer token's grants: `allow <permission group> on <resource>=<scope>`, one per pair. */
function tokenGrants(b: JsonObject): SettingValue {
  if (isExpression(b.policies)) return b.policies;
  const entries: string[] = [];
  for (const policy of blocks(b.policies)) {
    const groups = blocks(policy.permission_groups).map((g) => {
      const id = readText(g.id) ?? '?';
      return PERMISSION_GROUPS[id] ? `${PERMISSION_GROUPS[id]} (${id})` : id;
    });
    let resources: string[];
    const raw = policy.resources;
    try {
      const parsed: unknown = typeof raw === 'string' ? JSON.parse(raw) : raw;
      resources = isObject(parsed)
        ? Object.keys(parsed)
            .sort()
            .map((k) => `${k}=${typeof parsed[k] === 'string' ? parsed[k] : JSON.stringify(parsed[k])}`)
        : [String(raw)];
    } catch {
      resources = [`unreadable ${String(raw)}`];
    }
    const effect = readText(policy.effect) ?? 'allow';
    for (const g of groups) for (const r of resources) entries.push(`${effect} ${g} on ${r}`);
  }
  return entries.sort();
}

/** Statements of an IAM or bucket policy: `<Effect> <principal> <action> on <resource>[ if <condition>]`, one per action and resource. */
export function iamStatements(text: unknown): SettingValue {
  if (text === undefined || text === null) return null;
  let parsed: unknown;
  try {
    parsed = typeof text === 'string' ? JSON.parse(text) : text;
  } catch {
    return typeof text === 'string' ? `unreadable: ${text}` : null;
  }
  if (!isObject(parsed)) return typeof text === 'string' ? `unreadable: ${text}` : null;
  const list = (v: unknown): string[] =>
    v === undefined ? ['*'] : (Array.isArray(v) ? v : [v]).map((x) => (typeof x === 'string' ? x : JSON.stringify(x)));
  const entries: string[] = [];
  for (const statement of Array.isArray(parsed.Statement) ? parsed.Statement : [parsed.Statement]) {
    if (!isObject(statement)) continue;
    const principal = statement.Principal === undefined ? '' : ` ${JSON.stringify(statement.Principal)}`;
    const condition = statement.Condition === undefined ? '' : ` if ${JSON.stringify(statement.Condition)}`;
    const negated = statement.NotAction !== undefined || statement.NotResource !== undefined ? ' (Not*)' : '';
    const actions = list(statement.Action ?? statement.NotAction);
    const resources =
      statement.Resource === undefined && statement.NotResource === undefined
        ? ['']
        : list(statement.Resource ?? statement.NotResource);
    for (const action of actions) {
      for (const resource of resources) {
        entries.push(
          `${readText(statement.Effect) ?? '?'}${principal} ${action}${resource === '' ? '' : ` on ${resource}`}${condition}${negated}`,
        );
      }
    }
  }
  return entries.sort();
}

/** Hours of the margin in `timeadd(<rotation>, "<n>h")`, the writer token's expiry; unset: never expires. */
function expiryHours(v: SettingValue): number | undefined {
  if (v === null) return Number.POSITIVE_INFINITY;
  if (typeof v !== 'string') return undefined;
  const m = /^\$\{timeadd\([^,]+,\s*"(\d+)h"\)\}$/.exec(v);
  return m ? Number(m[1]) : undefined;
}

/** A rotation schedule as hours (`time_rotating`: minutes, hours, days, months, years). */
function rotationHours(b: JsonObject): SettingValue {
  const parts: [string, number][] = [
    ['rotation_minutes', 1 / 60],
    ['rotation_hours', 1],
    ['rotation_days', 24],
    ['rotation_months', 24 * 31],
    ['rotation_years', 24 * 366],
  ];
  let hours: number | undefined;
  for (const [key, factor] of parts) {
    const n = readNumber(b[key]);
    if (typeof n === 'string') return n;
    if (typeof n === 'number') hours = Math.min(hours ?? Number.POSITIVE_INFINITY, n * factor);
  }
  if (b.rotation_rfc3339 !== undefined) return `until ${readText(b.rotation_rfc3339) ?? '?'}`;
  return hours ?? null;
}

/** The audit shipper containers of a pod, with their image repository. */
function shippers(b: JsonObject): SettingValue {
  return containersOf(b)
    .filter((c) => c.name === AUDIT_SHIPPER_CONTAINER_NAME)
    .map((c) => {
      const image = typeof c.image === 'string' ? parseImageReference(c.image) : undefined;
      return `${AUDIT_SHIPPER_CONTAINER_NAME} (${image?.repository ?? readText(c.image) ?? 'no image'})`;
    });
}

/** The shipper's pipeline: inputs, filters and outputs by name and alias, outputs with their bucket. */
function shipperPipeline(b: JsonObject): SettingValue {
  const data = nested(b, 'data');
  if (!data) return null;
  const entries: string[] = [];
  for (const key of Object.keys(data)
    .filter((k) => k !== '//')
    .sort()) {
    const text = data[key];
    let config: unknown;
    try {
      config = typeof text === 'string' ? JSON.parse(text) : undefined;
    } catch {
      config = undefined;
    }
    const pipeline = isObject(config) && isObject(config.pipeline) ? config.pipeline : undefined;
    if (!pipeline) {
      entries.push(`${key}: not a pipeline the review reads`);
      continue;
    }
    for (const section of ['inputs', 'filters', 'outputs'] as const) {
      const plugins = Array.isArray(pipeline[section]) ? (pipeline[section] as unknown[]) : [];
      for (const p of plugins.filter(isObject)) {
        const target =
          section === 'outputs'
            ? ` -> ${readText(p.bucket) ?? readText(p.host) ?? readText(p.uri) ?? '?'} matching ${readText(p.match) ?? readText(p.match_regex) ?? '?'}`
            : '';
        entries.push(
          `${key}: ${section.slice(0, -1)} ${readText(p.name) ?? '?'} ${readText(p.alias) ?? ''}${target}`.trim(),
        );
      }
    }
  }
  return entries.sort();
}

/** Object Lock retention in days (`years` as 365 days each); `null` when no default retention. */
function lockDays(b: JsonObject): SettingValue {
  const retention = nested(b, 'rule', 'default_retention');
  if (!retention) return null;
  const days = readNumber(retention.days);
  const years = readNumber(retention.years);
  if (typeof days === 'string') return days;
  if (typeof years === 'string') return years;
  if (typeof days === 'number') return days;
  if (typeof years === 'number') return years * 365;
  return null;
}

const LOCK_MODE_RANK: Readonly<Record<string, number>> = { GOVERNANCE: 1, COMPLIANCE: 2 };

/** Settings of the audit layer, in report order. */
export const AUDIT_SETTINGS: readonly SettingExtractor[] = [
  {
    id: 'audit.bucket',
    layer: 'audit',
    label: 'audit bucket',
    types: ['cloudflare_r2_bucket', 'aws_s3_bucket'],
    attributes: ['name', 'bucket', 'account_id', 'jurisdiction', 'location', 'storage_class', 'bucket_prefix'],
    rule: 'MCP-AUD-1',
    table: true,
    read: (b) => readText(b.name) ?? readText(b.bucket),
    // A new name or jurisdiction replaces the bucket: the data-bearing section judges it.
    compare: () => 'neutral',
  },
  {
    id: 'audit.lock-rules',
    layer: 'audit',
    label: 'bucket lock rules',
    types: ['cloudflare_r2_bucket_lock'],
    attributes: ['rules', 'bucket_name', 'account_id', 'jurisdiction'],
    rule: 'MCP-AUD-1',
    read: (b) => (isExpression(b.rules) ? b.rules : blocks(b.rules).map(describeLockRule)),
    // The whole-bucket rule's age is judged by the retention below; any other change of the rules
    // (a rule for part of the bucket, a date, a rule disabled) is for a person.
    compare: (before, after) => {
      const [b, a] = [members(before), members(after)];
      if (b === undefined || a === undefined) return 'unclassified';
      const shape = (rules: string[]) =>
        rules
          .map((r) => r.replace(/^(.*: enabled, prefix ""), Age [\d.]+ d$/, '$1, Age'))
          .sort()
          .join('\n');
      return shape(a) === shape(b) ? 'neutral' : 'unclassified';
    },
  },
  {
    id: 'audit.lock-retention',
    layer: 'audit',
    label: 'whole-bucket lock retention (days)',
    types: ['cloudflare_r2_bucket_lock'],
    attributes: ['rules'],
    rule: 'MCP-AUD-1',
    table: true,
    read: wholeBucketRetention,
    compare: lowerIsWeaker((v) =>
      v === null ? 0 : v === 'Indefinite' ? Number.POSITIVE_INFINITY : typeof v === 'number' ? v : undefined,
    ),
  },
  {
    id: 'audit.object-lock-retention',
    layer: 'audit',
    label: 'Object Lock default retention (days)',
    types: OBJECT_LOCK,
    attributes: ['rule.default_retention.days', 'rule.default_retention.years'],
    rule: 'MCP-AUD-1',
    table: true,
    read: lockDays,
    compare: lowerIsWeaker((v) => (v === null ? 0 : typeof v === 'number' ? v : undefined)),
  },
  one(
    'audit',
    'object-lock-mode',
    'Object Lock mode',
    OBJECT_LOCK,
    'rule.default_retention.mode',
    'text',
    // Compliance: nobody can shorten or remove a lock; governance: a privileged user can.
    lowerIsWeaker((v) => (v === null ? 0 : typeof v === 'string' ? LOCK_MODE_RANK[v] : undefined)),
    { rule: 'MCP-AUD-1', table: true },
  ),
  one(
    'audit',
    'object-lock-enabled',
    'Object Lock enabled',
    [...OBJECT_LOCK, 'aws_s3_bucket'],
    'object_lock_enabled',
    'text',
    (b, a) => {
      const on = (v: unknown) => v === 'Enabled' || v === 'true';
      return on(b) && !on(a) ? 'weakened' : !on(b) && on(a) ? 'strengthened' : 'unclassified';
    },
    { rule: 'MCP-AUD-1' },
  ),
  one(
    'audit',
    'versioning',
    'bucket versioning',
    ['aws_s3_bucket_versioning'],
    'versioning_configuration.status',
    'text',
    safeLost('Enabled'),
    { rule: 'MCP-AUD-1' },
  ),
  {
    id: 'audit.versioning-mfa',
    layer: 'audit',
    label: 'bucket versioning (MFA delete, owner)',
    types: ['aws_s3_bucket_versioning'],
    attributes: ['versioning_configuration.mfa_delete', 'mfa', 'expected_bucket_owner', 'bucket'],
    read: (b) =>
      `${readText(b.bucket) ?? '?'} mfa_delete ${readText(nested(b, 'versioning_configuration')?.mfa_delete) ?? 'not set'}`,
    compare: unclassified,
  },
  one('audit', 'force-destroy', 'bucket force_destroy', ['aws_s3_bucket'], 'force_destroy', 'flag', (b, a) =>
    a === true ? 'weakened' : b === true ? 'strengthened' : 'neutral',
  ),
  {
    id: 'audit.bucket-policy',
    layer: 'audit',
    label: 'bucket policy statements',
    types: ['aws_s3_bucket_policy'],
    attributes: ['policy', 'bucket'],
    rule: 'MCP-AUD-8',
    read: (b) => iamStatements(b.policy),
    compare: compareGrants,
  },
  {
    id: 'audit.public-access-block',
    layer: 'audit',
    label: 'public access block',
    types: ['aws_s3_bucket_public_access_block'],
    attributes: ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'],
    rule: 'MCP-AUD-8',
    normalizes: true,
    read: (b) =>
      ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'].filter(
        (k) => readBoolean(b[k]) === true,
      ),
    compare: shrank,
  },
  one(
    'audit',
    'object-ownership',
    'object ownership',
    ['aws_s3_bucket_ownership_controls'],
    'rule.object_ownership',
    'text',
    safeLost('BucketOwnerEnforced'),
    { rule: 'MCP-AUD-8' },
  ),
  {
    id: 'audit.encryption',
    layer: 'audit',
    label: 'default encryption',
    types: ['aws_s3_bucket_server_side_encryption_configuration'],
    attributes: ['rule'],
    rule: 'MCP-AUD-8',
    read: (b) => {
      const rule = nested(b, 'rule');
      const byDefault = nested(rule, 'apply_server_side_encryption_by_default');
      return `${readText(byDefault?.sse_algorithm) ?? 'none'}${byDefault?.kms_master_key_id !== undefined ? ` key ${readText(byDefault.kms_master_key_id)}` : ''}`;
    },
    compare: (before, after) =>
      typeof after === 'string' && after.startsWith('none')
        ? 'weakened'
        : typeof before === 'string' && before.startsWith('none')
          ? 'strengthened'
          : 'unclassified',
  },
  {
    id: 'audit.prevent-destroy',
    layer: 'audit',
    label: 'prevent_destroy',
    types: DATA_BEARING_TYPES,
    attributes: ['lifecycle.prevent_destroy'],
    rule: 'MCP-AUD-2',
    table: true,
    read: (b) => readBoolean(nested(b, 'lifecycle')?.prevent_destroy),
    compare: safeLost(true),
  },
  {
    id: 'audit.prevent-destroy-guard',
    layer: 'audit',
    label: 'prevent_destroy (guards)',
    types: GUARDED_TYPES,
    attributes: ['lifecycle.prevent_destroy'],
    read: (b) => readBoolean(nested(b, 'lifecycle')?.prevent_destroy),
    compare: safeLost(true),
  },
  one(
    'audit',
    'logpush-enabled',
    'Logpush job enabled',
    ['cloudflare_logpush_job'],
    'enabled',
    'flag',
    safeLost(true),
    { rule: 'MCP-AUD-3' },
  ),
  one(
    'audit',
    'logpush-fields',
    'Logpush fields',
    ['cloudflare_logpush_job'],
    'output_options.field_names',
    'set',
    (b, a) => grew(a, b),
    { rule: 'MCP-AUD-3' },
  ),
  {
    id: 'audit.logpush-job',
    layer: 'audit',
    label: 'Logpush job (dataset, destination, filter)',
    types: ['cloudflare_logpush_job'],
    attributes: [
      'dataset',
      'destination_conf',
      'output_options',
      'logpull_options',
      'filter',
      'frequency',
      'kind',
      'max_upload_bytes',
      'max_upload_interval_seconds',
      'max_upload_records',
      'name',
      'ownership_challenge',
      'account_id',
      'zone_id',
    ],
    rule: 'MCP-AUD-3',
    read: (b) =>
      `${readText(b.dataset) ?? '?'} -> ${readText(b.destination_conf) ?? '?'}${b.filter !== undefined ? ` filter ${readText(b.filter) ?? JSON.stringify(b.filter)}` : ''}`,
    // Where the edge's records go and which are kept: a person reads it (the fields and the switch are judged above).
    compare: unclassified,
  },
  {
    id: 'audit.writer-token',
    layer: 'audit',
    label: 'writer token grants',
    types: TOKENS,
    attributes: ['policies', 'condition', 'status', 'account_id', 'name'],
    rule: 'MCP-AUD-5',
    read: tokenGrants,
    // Each edge of a fleet is its own Cloudflare account: the bucket's account is not part of the posture.
    posture: (display) => display.replace(/(r2\.bucket\.|api\.account\.)[0-9a-f]{32}/g, '$1<account>'),
    compare: compareGrants,
  },
  one(
    'audit',
    'writer-token-condition',
    'writer token conditions (client addresses)',
    TOKENS,
    'condition',
    'text',
    unclassified,
    { rule: 'MCP-AUD-5' },
  ),
  one(
    'audit',
    'writer-token-expiry',
    'writer token expiry',
    TOKENS,
    'expires_on',
    'text',
    // A later expiry after each rotation (or none) leaves a leaked token valid longer.
    higherIsWeaker(expiryHours),
    { rule: 'MCP-AUD-5' },
  ),
  one(
    'audit',
    'writer-token-rotation',
    'writer token replaced on rotation',
    TOKENS,
    'lifecycle.replace_triggered_by',
    'set',
    (b, a) => grew(a, b),
    { rule: 'MCP-AUD-5' },
  ),
  {
    id: 'audit.rotation',
    layer: 'audit',
    label: 'writer rotation (hours)',
    types: ['time_rotating'],
    attributes: [
      'rotation_minutes',
      'rotation_hours',
      'rotation_days',
      'rotation_months',
      'rotation_years',
      'rotation_rfc3339',
      'rfc3339',
    ],
    rule: 'MCP-AUD-5',
    read: rotationHours,
    show: (v) => (typeof v === 'number' ? `${v} h (${Math.round((v / 24) * 100) / 100} d)` : String(v ?? 'not set')),
    // Rotated less often, a writer credential lives longer.
    compare: higherIsWeaker((v) => (v === null ? Number.POSITIVE_INFINITY : typeof v === 'number' ? v : undefined)),
  },
  {
    id: 'audit.writer-role-policy',
    layer: 'audit',
    label: 'writer role policy',
    types: ['aws_iam_role_policy'],
    attributes: ['policy', 'role', 'name'],
    rule: 'MCP-AUD-5',
    read: (b) => iamStatements(b.policy),
    compare: compareGrants,
  },
  {
    id: 'audit.writer-role-trust',
    layer: 'audit',
    label: 'writer role trust (who may assume it)',
    types: ['aws_iam_role'],
    attributes: ['assume_role_policy', 'name', 'path', 'permissions_boundary'],
    rule: 'MCP-AUD-5',
    read: (b) => iamStatements(b.assume_role_policy),
    compare: compareGrants,
  },
  one(
    'audit',
    'writer-role-session',
    'writer role session (s)',
    ['aws_iam_role'],
    'max_session_duration',
    'number',
    // AWS's default session is one hour.
    higherIsWeaker((v) => (v === null ? 3600 : typeof v === 'number' ? v : undefined)),
    { rule: 'MCP-AUD-5' },
  ),
  {
    id: 'audit.shipper',
    layer: 'audit',
    label: 'audit shipper sidecar',
    types: DEPLOYMENT,
    attributes: ['spec.template.spec.container.name', 'spec.template.spec.container.image'],
    rule: 'MCP-AUD-6',
    table: true,
    read: shippers,
    // Without the shipper, the MCP server's per-call records never reach the bucket.
    compare: (before, after) => {
      const [b, a] = [members(before), members(after)];
      if (b === undefined || a === undefined) return 'unclassified';
      if (b.length > 0 && a.length === 0) return 'weakened';
      if (b.length === 0 && a.length > 0) return 'strengthened';
      return grew(a, b) === 'neutral' ? 'neutral' : 'unclassified';
    },
  },
  {
    id: 'audit.shipper-config',
    layer: 'audit',
    label: 'audit shipper pipeline',
    types: ['kubernetes_config_map_v1', 'kubernetes_config_map'],
    attributes: ['data', 'binary_data'],
    rule: 'MCP-AUD-6',
    read: shipperPipeline,
    // An output that no longer ships records is weaker; any other change of the pipeline is for a person.
    compare: (before, after) => {
      const outputs = (v: SettingValue) => (members(v) ?? []).filter((e) => / output /.test(e));
      if (outputs(before).some((o) => !outputs(after).includes(o))) return 'weakened';
      return 'unclassified';
    },
  },
];
