/**
 * What the audit rules need to know about any stack: which R2 buckets hold audit records, which locks
 * target them, which Logpush jobs and Vector shippers write into them. Computed once per stack.
 */
import { R2_S3_HOST_SUFFIX, VECTOR_BUCKET_SINK_TYPE } from '../core/audit-defaults';
import { block, isExpression, isObject, literalString, referencesIn } from './json';

export { literalString } from './json';
import type { JsonObject, ResourceEntry, SynthesizedStack } from './stack';

export const R2_BUCKET_TYPE = 'cloudflare_r2_bucket';
export const R2_BUCKET_LOCK_TYPE = 'cloudflare_r2_bucket_lock';
export const LOGPUSH_JOB_TYPE = 'cloudflare_logpush_job';
export const CONFIG_MAP_TYPES: readonly string[] = ['kubernetes_config_map_v1', 'kubernetes_config_map'];
export const ACCESS_APPLICATION_TYPES: readonly string[] = [
  'cloudflare_zero_trust_access_application',
  'cloudflare_access_application',
];
export const ACCESS_IDENTITY_PROVIDER_TYPES: readonly string[] = [
  'cloudflare_zero_trust_access_identity_provider',
  'cloudflare_access_identity_provider',
];

/** A Vector configuration found in a config map. */
export interface VectorConfigEntry {
  readonly entry: ResourceEntry;
  /** The data key that holds it. */
  readonly key: string;
  /** The parsed configuration, or `expression` when the whole value is unresolved. */
  readonly config: JsonObject | 'expression';
}

/** The audit view of one stack. */
export interface AuditView {
  /** Every R2 bucket that holds audit records, by address, with why it counts as one. */
  readonly auditBuckets: ReadonlyMap<string, { readonly entry: ResourceEntry; readonly why: string }>;
  /** Locks by the address of the bucket they target (in this stack). */
  readonly locksByBucket: ReadonlyMap<string, readonly ResourceEntry[]>;
  /** Vector configurations that ship records into R2 (audit shippers). */
  readonly shippers: readonly VectorConfigEntry[];
}

/** The jurisdiction of a bucket or lock body (`default` when unset); an expression as is. */
export function jurisdictionOf(body: JsonObject): string {
  const j = body.jurisdiction;
  return typeof j === 'string' && j !== '' ? j : 'default';
}

/**
 * Resolves a bucket name as written in another resource (a literal, or `${cloudflare_r2_bucket.x.name}`)
 * to the buckets of the stack it names.
 */
function bucketsNamed(
  value: unknown,
  byAddress: ReadonlyMap<string, ResourceEntry>,
  byName: ReadonlyMap<string, ResourceEntry[]>,
): ResourceEntry[] {
  if (typeof value !== 'string' || value === '') return [];
  if (isExpression(value)) {
    return referencesIn(value)
      .map((ref) => byAddress.get(ref))
      .filter((e): e is ResourceEntry => e !== undefined);
  }
  return byName.get(value) ?? [];
}

/** The bucket part of a Logpush destination writing into R2 (`r2://b/...`, or `s3://b/...` on an R2 host). */
export function logpushDestinationBucket(destination: unknown): string | undefined {
  if (typeof destination !== 'string') return undefined;
  const r2 = /^r2:\/\/([^/?]+)/.exec(destination);
  if (r2) return r2[1];
  const s3 = /^s3:\/\/([^/?]+)/.exec(destination);
  if (s3 && new RegExp(`[?&]endpoint=[^&]*${R2_S3_HOST_SUFFIX.replace(/\./g, '\\.')}`).test(destination)) {
    return s3[1];
  }
  return undefined;
}

/** True for a Vector config: an object with `sources` and `sinks` objects. */
function isVectorConfig(value: unknown): value is JsonObject {
  return isObject(value) && isObject(value.sources) && isObject(value.sinks);
}

const VECTOR_CONFIG_KEY = /(^|[./_-])vector\.(json|ya?ml|toml)$/;

/** Vector configurations held in config maps (JSON ones are parsed; a whole-value expression is kept as such). */
export function vectorConfigs(stack: SynthesizedStack): VectorConfigEntry[] {
  const found: VectorConfigEntry[] = [];
  for (const type of CONFIG_MAP_TYPES) {
    for (const entry of stack.ofType(type)) {
      const data = entry.body.data;
      if (!isObject(data)) continue;
      for (const [key, value] of Object.entries(data)) {
        if (typeof value !== 'string') continue;
        const trimmed = value.trim();
        if (trimmed.startsWith('${') && trimmed.endsWith('}') && VECTOR_CONFIG_KEY.test(key)) {
          found.push({ entry, key, config: 'expression' });
          continue;
        }
        if (!trimmed.startsWith('{')) continue;
        try {
          const parsed: unknown = JSON.parse(trimmed);
          if (isVectorConfig(parsed)) found.push({ entry, key, config: parsed });
        } catch {
          // Not JSON: not a configuration the rules can read.
        }
      }
    }
  }
  return found;
}

/** The `aws_s3` sinks of a Vector config that write to R2. */
export function r2Sinks(config: JsonObject): JsonObject[] {
  const sinks = isObject(config.sinks) ? Object.values(config.sinks) : [];
  return sinks.filter(
    (s): s is JsonObject =>
      isObject(s) &&
      s.type === VECTOR_BUCKET_SINK_TYPE &&
      typeof s.endpoint === 'string' &&
      s.endpoint.includes(R2_S3_HOST_SUFFIX),
  );
}

const views = new WeakMap<SynthesizedStack, AuditView>();

/**
 * The audit view of a stack. An R2 bucket holds audit records when a Logpush job writes into it, a
 * Vector shipper writes into it, or its name says `audit`; a bucket lock alone does not make one
 * (so removing the lock cannot make a bucket stop counting).
 */
export function auditView(stack: SynthesizedStack): AuditView {
  const cached = views.get(stack);
  if (cached) return cached;

  const buckets = stack.ofType(R2_BUCKET_TYPE);
  const byAddress = new Map<string, ResourceEntry>();
  const byName = new Map<string, ResourceEntry[]>();
  for (const b of buckets) {
    byAddress.set(b.address, b);
    const name = literalString(b.body.name);
    if (name !== undefined) {
      const list = byName.get(name);
      if (list) list.push(b);
      else byName.set(name, [b]);
    }
  }

  const auditBuckets = new Map<string, { entry: ResourceEntry; why: string }>();
  const mark = (entries: ResourceEntry[], why: string): void => {
    for (const e of entries) if (!auditBuckets.has(e.address)) auditBuckets.set(e.address, { entry: e, why });
  };
  for (const job of stack.ofType(LOGPUSH_JOB_TYPE)) {
    mark(
      bucketsNamed(logpushDestinationBucket(job.body.destination_conf), byAddress, byName),
      `${job.address} writes into it`,
    );
  }
  const shippers = vectorConfigs(stack).filter((v) => v.config === 'expression' || r2Sinks(v.config).length > 0);
  for (const s of shippers) {
    if (s.config === 'expression') continue;
    for (const sink of r2Sinks(s.config)) {
      mark(bucketsNamed(sink.bucket, byAddress, byName), `the Vector shipper in ${s.entry.address} writes into it`);
    }
  }
  for (const b of buckets) {
    if (literalString(b.body.name)?.includes('audit')) mark([b], 'its name says audit');
  }

  const locksByBucket = new Map<string, ResourceEntry[]>();
  for (const lock of stack.ofType(R2_BUCKET_LOCK_TYPE)) {
    for (const target of bucketsNamed(lock.body.bucket_name, byAddress, byName)) {
      const list = locksByBucket.get(target.address);
      if (list) list.push(lock);
      else locksByBucket.set(target.address, [lock]);
    }
  }

  const view: AuditView = { auditBuckets, locksByBucket, shippers };
  views.set(stack, view);
  return view;
}

/** The `lifecycle` block of a resource. */
export function lifecycleOf(body: JsonObject): JsonObject {
  return block(body.lifecycle);
}
