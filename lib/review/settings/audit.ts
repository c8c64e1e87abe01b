/** The review's audit settings. */
import { blocks, isExpression, nested } from '../../model/json';
import { DATA_BEARING_TYPES } from '../data-bearing';
import { readBoolean, readText } from '../values';
import { lowerIsWeaker, safeLost } from './comparators';
import type { SettingExtractor } from './extractor';
import { wholeBucketRetention, describeLockRule } from './readers';

/** Settings of the audit layer, in report order. */
export const AUDIT_SETTINGS: readonly SettingExtractor[] = [
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
