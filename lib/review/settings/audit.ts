/** The review's audit settings (buckets, locks, Logpush, writer tokens, shipper): every attribute the library writes is covered. */
import { blocks, isExpression, nested } from '../../model/json';
import { DATA_BEARING_TYPES } from '../data-bearing';
import { readBoolean, readSet, readText } from '../values';
import { grew, lowerIsWeaker, safeLost } from './comparators';
import { one } from './define';
import type { SettingExtractor } from './extractor';
import { describeLockRule, wholeBucketRetention } from './readers';

const unclassified = () => 'unclassified' as const;

/** Settings of the audit layer, in report order. */
export const AUDIT_SETTINGS: readonly SettingExtractor[] = [
  {
    id: 'audit.bucket',
    layer: 'audit',
    label: 'R2 bucket',
    types: ['cloudflare_r2_bucket'],
    attributes: ['name', 'account_id', 'jurisdiction', 'location', 'storage_class'],
    rule: 'MCP-AUD-1',
    table: true,
    read: (b) => readText(b.name),
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
    // The whole-bucket retention below judges the rules; this shows them.
    compare: () => 'neutral',
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
    id: 'audit.prevent-destroy',
    layer: 'audit',
    label: 'prevent_destroy',
    types: DATA_BEARING_TYPES,
    attributes: ['lifecycle'],
    rule: 'MCP-AUD-2',
    table: true,
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
    label: 'Logpush job (dataset, destination, format)',
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
      `${readText(b.dataset) ?? '?'} -> ${readText(b.destination_conf) ?? '?'}${b.filter !== undefined ? ` filter ${readText(b.filter)}` : ''}`,
    compare: unclassified,
  },
  {
    id: 'audit.writer-token',
    layer: 'audit',
    label: 'writer token (permission groups and resources)',
    types: ['cloudflare_account_token', 'cloudflare_api_token'],
    attributes: ['policies', 'condition', 'status', 'account_id'],
    rule: 'MCP-AUD-5',
    read: (b) =>
      blocks(b.policies).map(
        (p) =>
          `${readText(p.effect) ?? 'allow'} ${JSON.stringify(readSet(blocks(p.permission_groups).map((g) => g.id)))} on ${readText(p.resources) ?? '?'}`,
      ),
    compare: grew,
  },
  one(
    'audit',
    'writer-token-expiry',
    'writer token expiry',
    ['cloudflare_account_token', 'cloudflare_api_token'],
    'expires_on',
    'text',
    (b, a) => (a === null ? 'weakened' : b === null ? 'strengthened' : 'unclassified'),
    { rule: 'MCP-AUD-5' },
  ),
  one(
    'audit',
    'writer-token-lifecycle',
    'writer token rotation',
    ['cloudflare_account_token', 'cloudflare_api_token'],
    'lifecycle.replace_triggered_by',
    'set',
    (b, a) => grew(a, b),
    { rule: 'MCP-AUD-5' },
  ),
  {
    id: 'audit.shipper-config',
    layer: 'audit',
    label: 'audit shipper configuration',
    types: ['kubernetes_config_map_v1', 'kubernetes_config_map'],
    attributes: ['data', 'binary_data'],
    rule: 'MCP-AUD-6',
    read: (b) => {
      const data = nested(b, 'data');
      return data
        ? Object.keys(data)
            .filter((k) => k !== '//')
            .sort()
        : null;
    },
    // The shipper's pipeline decides what reaches the bucket: any change of it is for a reviewer.
    compare: unclassified,
  },
];
