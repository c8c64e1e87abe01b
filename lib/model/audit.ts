/**
 * What the audit rules need to know about any stack: which buckets (R2 or S3) hold audit records,
 * which locks keep them, which Logpush jobs and Fluent Bit shippers write into them, and the
 * retention the stack was configured with. Computed once per stack.
 */
import {
  AUDIT_METADATA_KEY,
  AUDIT_SHIPPER_CONTAINER_NAME,
  FLUENT_BIT_CONFIG_FILE,
  R2_S3_HOST_SUFFIX,
} from '../core/audit-defaults';
import { block, blocks, isExpression, isObject, literalString, referencesIn } from './json';
import type { JsonObject, ResourceEntry, SynthesizedStack } from './stack';

export { literalString } from './json';

export const R2_BUCKET_TYPE = 'cloudflare_r2_bucket';
export const R2_BUCKET_LOCK_TYPE = 'cloudflare_r2_bucket_lock';
export const LOGPUSH_JOB_TYPE = 'cloudflare_logpush_job';
export const ACCOUNT_TOKEN_TYPES: readonly string[] = ['cloudflare_account_token', 'cloudflare_api_token'];
export const TIME_ROTATING_TYPE = 'time_rotating';
export const S3_BUCKET_TYPE = 'aws_s3_bucket';
export const S3_OBJECT_LOCK_TYPE = 'aws_s3_bucket_object_lock_configuration';
export const S3_VERSIONING_TYPE = 'aws_s3_bucket_versioning';
export const S3_PUBLIC_ACCESS_BLOCK_TYPE = 'aws_s3_bucket_public_access_block';
export const S3_OWNERSHIP_TYPE = 'aws_s3_bucket_ownership_controls';
export const S3_ENCRYPTION_TYPE = 'aws_s3_bucket_server_side_encryption_configuration';
export const S3_POLICY_TYPE = 'aws_s3_bucket_policy';
export const IAM_ROLE_TYPE = 'aws_iam_role';
export const IAM_ROLE_POLICY_TYPE = 'aws_iam_role_policy';
export const IAM_ACCESS_KEY_TYPE = 'aws_iam_access_key';
export const CONFIG_MAP_TYPES: readonly string[] = ['kubernetes_config_map_v1', 'kubernetes_config_map'];
export const ACCESS_APPLICATION_TYPES: readonly string[] = [
  'cloudflare_zero_trust_access_application',
  'cloudflare_access_application',
];
export const ACCESS_IDENTITY_PROVIDER_TYPES: readonly string[] = [
  'cloudflare_zero_trust_access_identity_provider',
  'cloudflare_access_identity_provider',
];

/** A Fluent Bit configuration found in a config map. */
export interface ShipperConfigEntry {
  readonly entry: ResourceEntry;
  /** The data key that holds it. */
  readonly key: string;
  /** The parsed configuration, or why it cannot be read. */
  readonly config: JsonObject | { readonly unreadable: string };
}

/** One bucket that holds audit records. */
export interface AuditBucket {
  readonly entry: ResourceEntry;
  readonly store: 'r2' | 's3';
  /** Why it counts as one. */
  readonly why: string;
}

/** The audit view of one stack. */
export interface AuditView {
  /** Every bucket that holds audit records, by address. */
  readonly auditBuckets: ReadonlyMap<string, AuditBucket>;
  /** R2 locks and S3 object lock configurations by the address of the bucket they target (in this stack). */
  readonly locksByBucket: ReadonlyMap<string, readonly ResourceEntry[]>;
  /** Fluent Bit configurations that write to a bucket, or cannot be read (audit shippers). */
  readonly shippers: readonly ShipperConfigEntry[];
}

/** The jurisdiction of a bucket or lock body (`default` when unset); an expression as is. */
export function jurisdictionOf(body: JsonObject): string {
  const j = body.jurisdiction;
  return typeof j === 'string' && j !== '' ? j : 'default';
}

/** `$${VAR}` (a Fluent Bit environment reference escaped for Terraform): not a Terraform expression. */
export function isFluentBitEnvReference(value: unknown): boolean {
  return typeof value === 'string' && /^\$\$\{[A-Z_][A-Z0-9_]*\}$/.test(value);
}

/** A string value of the JSON as a literal: a literal string, or what a whole-traversal reference resolves to. */
export function resolvedString(stack: SynthesizedStack, value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  if (!isExpression(value)) return value;
  const resolved = stack.resolve(value);
  return resolved.kind === 'literal' && typeof resolved.value === 'string' ? resolved.value : undefined;
}

/**
 * The resources of the stack a bucket value names (a literal name, `${cloudflare_r2_bucket.x.name}`,
 * `${aws_s3_bucket.x.id}` or `.bucket`), among `types`.
 */
export function bucketsNamed(stack: SynthesizedStack, value: unknown, types: readonly string[]): ResourceEntry[] {
  if (typeof value !== 'string' || value === '') return [];
  if (isExpression(value)) {
    return referencesIn(value)
      .map((ref) => stack.find(ref))
      .filter((e): e is ResourceEntry => e !== undefined && types.includes(e.type));
  }
  const index = bucketIndex(stack);
  return (index.get(value) ?? []).filter((b) => types.includes(b.type));
}

const bucketIndexes = new WeakMap<SynthesizedStack, Map<string, ResourceEntry[]>>();

/** R2 and S3 buckets of a stack by literal name (computed once per stack). */
function bucketIndex(stack: SynthesizedStack): Map<string, ResourceEntry[]> {
  let index = bucketIndexes.get(stack);
  if (!index) {
    index = new Map();
    for (const b of [...stack.ofType(R2_BUCKET_TYPE), ...stack.ofType(S3_BUCKET_TYPE)]) {
      const name = bucketName(stack, b);
      if (name === undefined) continue;
      const list = index.get(name);
      if (list) list.push(b);
      else index.set(name, [b]);
    }
    bucketIndexes.set(stack, index);
  }
  return index;
}

/** The literal name of an R2 or S3 bucket resource, when it can be read. */
export function bucketName(stack: SynthesizedStack, bucket: ResourceEntry): string | undefined {
  return resolvedString(stack, bucket.type === S3_BUCKET_TYPE ? bucket.body.bucket : bucket.body.name);
}

/** Why a shipper config cannot be read, or undefined when it was parsed. */
export function unreadable(entry: ShipperConfigEntry): string | undefined {
  const c = entry.config as { unreadable?: unknown };
  return typeof c.unreadable === 'string' && Object.keys(entry.config).length === 1 ? c.unreadable : undefined;
}

/** The parsed configuration of a readable shipper entry. */
export function configOf(entry: ShipperConfigEntry): JsonObject | undefined {
  return unreadable(entry) === undefined ? (entry.config as JsonObject) : undefined;
}

/** The bucket and store of a Logpush destination (`r2://b/...`, `s3://b/...` on R2's host or on AWS). */
export function logpushDestination(destination: unknown): { bucket: string; store: 'r2' | 's3' } | undefined {
  if (typeof destination !== 'string') return undefined;
  const r2 = /^r2:\/\/([^/?]+)/.exec(destination);
  if (r2) return { bucket: r2[1], store: 'r2' };
  const s3 = /^s3:\/\/([^/?]+)/.exec(destination);
  if (!s3) return undefined;
  const onR2 = new RegExp(`[?&]endpoint=[^&]*${R2_S3_HOST_SUFFIX.replace(/\./g, '\\.')}`).test(destination);
  const elsewhere = /[?&]endpoint=/.test(destination);
  if (onR2) return { bucket: s3[1], store: 'r2' };
  return elsewhere ? undefined : { bucket: s3[1], store: 's3' };
}

/** True for a Fluent Bit config: an object with a `pipeline` object. */
function isFluentBitConfig(value: unknown): value is JsonObject {
  return isObject(value) && isObject(value.pipeline);
}

const configsByStack = new WeakMap<SynthesizedStack, ShipperConfigEntry[]>();

/** Fluent Bit configurations held in config maps. A key named like the shipper's file that is not JSON is unreadable. */
export function shipperConfigs(stack: SynthesizedStack): ShipperConfigEntry[] {
  const cached = configsByStack.get(stack);
  if (cached) return cached;
  const found: ShipperConfigEntry[] = [];
  configsByStack.set(stack, found);
  for (const type of CONFIG_MAP_TYPES) {
    for (const entry of stack.ofType(type)) {
      const data = entry.body.data;
      if (isExpression(data)) {
        found.push({ entry, key: 'data', config: { unreadable: 'data is an unresolved expression' } });
        continue;
      }
      if (!isObject(data)) continue;
      for (const [key, value] of Object.entries(data)) {
        const named = key === FLUENT_BIT_CONFIG_FILE || /fluent-?bit/i.test(key);
        if (typeof value !== 'string') {
          if (named) found.push({ entry, key, config: { unreadable: `data.${key} is not a string` } });
          continue;
        }
        const trimmed = value.trim();
        let parsed: unknown;
        try {
          parsed = JSON.parse(trimmed);
        } catch {
          if (named) {
            found.push({
              entry,
              key,
              config: {
                unreadable: trimmed.startsWith('${')
                  ? `data.${key} is an unresolved expression`
                  : `data.${key} is not written as JSON (the YAML form the rules read)`,
              },
            });
          }
          continue;
        }
        if (isFluentBitConfig(parsed)) found.push({ entry, key, config: parsed });
        else if (named) found.push({ entry, key, config: { unreadable: `data.${key} holds no Fluent Bit pipeline` } });
      }
    }
  }
  return found;
}

/** The plugins of one section of the pipeline (`inputs`, `filters`, `outputs`). */
export function pipelinePlugins(config: JsonObject, section: 'inputs' | 'filters' | 'outputs'): JsonObject[] {
  const pipeline = isObject(config.pipeline) ? config.pipeline : {};
  return blocks(pipeline[section]);
}

/** A plugin's name (lower case), or '' when unset. */
export function pluginName(plugin: JsonObject): string {
  return typeof plugin.name === 'string' ? plugin.name.toLowerCase() : '';
}

/** How findings name a plugin: `output s3 'audit_bucket'`. */
export function pluginLabel(kind: string, plugin: JsonObject): string {
  return `${kind} ${pluginName(plugin) || '?'}${typeof plugin.alias === 'string' ? ` '${plugin.alias}'` : ''}`;
}

/** A Fluent Bit `match` pattern (`*` matches any run of characters) as a regex. */
function matchPattern(pattern: string): RegExp {
  return new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
}

/** True when a filter or output receives records of `tag` (`match` or `match_regex`). */
export function receives(plugin: JsonObject, tag: string): boolean {
  if (typeof plugin.match === 'string' && matchPattern(plugin.match).test(tag)) return true;
  if (typeof plugin.match_regex === 'string') {
    try {
      return new RegExp(plugin.match_regex).test(tag);
    } catch {
      return false;
    }
  }
  return false;
}

/** Fluent Bit's size notation (`512M`, `1G`, `100000`) in bytes; K, M and G are powers of 1024. */
export function fluentBitBytes(value: unknown): number | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([KMG])?B?\s*$/i.exec(String(value));
  if (!m) return undefined;
  const unit = { K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[(m[2] ?? '').toUpperCase() as 'K' | 'M' | 'G'] ?? 1;
  return Number(m[1]) * unit;
}

/** A Kubernetes quantity (`1Gi`, `512Mi`, `1G`) in bytes. */
export function kubernetesBytes(value: unknown): number | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(Ki|Mi|Gi|Ti|k|M|G|T)?\s*$/.exec(String(value));
  if (!m) return undefined;
  const units: Record<string, number> = {
    Ki: 1024,
    Mi: 1024 ** 2,
    Gi: 1024 ** 3,
    Ti: 1024 ** 4,
    k: 1e3,
    M: 1e6,
    G: 1e9,
    T: 1e12,
  };
  return Number(m[1]) * (m[2] ? units[m[2]] : 1);
}

/** True when a Fluent Bit boolean property is on. */
export function isOn(value: unknown): boolean {
  return typeof value === 'string' ? ['on', 'true', 'yes'].includes(value.toLowerCase()) : value === true;
}

/** The s3 outputs of a config whose endpoint is R2's, or AWS's (no endpoint). */
export function s3Outputs(config: JsonObject): { output: JsonObject; store: 'r2' | 's3' | 'elsewhere' }[] {
  return pipelinePlugins(config, 'outputs')
    .filter((o) => pluginName(o) === 's3')
    .map((output) => {
      const endpoint = output.endpoint;
      if (endpoint === undefined) return { output, store: 's3' as const };
      const onR2 = typeof endpoint === 'string' && endpoint.includes(R2_S3_HOST_SUFFIX);
      return { output, store: onR2 ? ('r2' as const) : ('elsewhere' as const) };
    });
}

/** The retention hint the audit layer recorded for a lock (by its construct path), if any. */
export function retentionHint(stack: SynthesizedStack, lock: ResourceEntry): number | 'indefinite' | undefined {
  const comment = isObject(stack.json['//']) ? stack.json['//'] : {};
  const audit = isObject(comment[AUDIT_METADATA_KEY]) ? comment[AUDIT_METADATA_KEY] : {};
  const retention = isObject(audit.retention) ? audit.retention : {};
  if (lock.path === undefined) return undefined;
  const hint = retention[lock.path];
  return typeof hint === 'number' || hint === 'indefinite' ? hint : undefined;
}

const views = new WeakMap<SynthesizedStack, AuditView>();

/**
 * The audit view of a stack. A bucket holds audit records when a Logpush job or a shipper writes into
 * it, its name says `audit`, or (S3) it has Object Lock enabled; a lock alone does not make one (so
 * removing the lock cannot make a bucket stop counting).
 */
export function auditView(stack: SynthesizedStack): AuditView {
  const cached = views.get(stack);
  if (cached) return cached;

  const auditBuckets = new Map<string, AuditBucket>();
  const mark = (entries: ResourceEntry[], store: 'r2' | 's3', why: string): void => {
    for (const e of entries) if (!auditBuckets.has(e.address)) auditBuckets.set(e.address, { entry: e, store, why });
  };
  const typesOf = (store: 'r2' | 's3') => (store === 'r2' ? [R2_BUCKET_TYPE] : [S3_BUCKET_TYPE]);
  for (const job of stack.ofType(LOGPUSH_JOB_TYPE)) {
    const destination = logpushDestination(job.body.destination_conf);
    if (destination) {
      mark(
        bucketsNamed(stack, destination.bucket, typesOf(destination.store)),
        destination.store,
        `${job.address} writes into it`,
      );
    }
  }
  const shippers = shipperConfigs(stack).filter((s) => {
    const config = configOf(s);
    return config === undefined || s3Outputs(config).length > 0;
  });
  for (const s of shippers) {
    const config = configOf(s);
    if (config === undefined) continue;
    for (const { output, store } of s3Outputs(config)) {
      if (store === 'elsewhere') continue;
      mark(
        bucketsNamed(stack, output.bucket, typesOf(store)),
        store,
        `the shipper in ${s.entry.address} writes into it`,
      );
    }
  }
  for (const b of stack.ofType(R2_BUCKET_TYPE)) {
    if (literalString(b.body.name)?.includes('audit')) mark([b], 'r2', 'its name says audit');
  }
  for (const b of stack.ofType(S3_BUCKET_TYPE)) {
    if (literalString(b.body.bucket)?.includes('audit')) mark([b], 's3', 'its name says audit');
    else if (b.body.object_lock_enabled === true) mark([b], 's3', 'it has Object Lock enabled');
  }

  const locksByBucket = new Map<string, ResourceEntry[]>();
  const addLock = (lock: ResourceEntry, targets: ResourceEntry[]): void => {
    for (const target of targets) {
      const list = locksByBucket.get(target.address);
      if (list) list.push(lock);
      else locksByBucket.set(target.address, [lock]);
    }
  };
  for (const lock of stack.ofType(R2_BUCKET_LOCK_TYPE))
    addLock(lock, bucketsNamed(stack, lock.body.bucket_name, [R2_BUCKET_TYPE]));
  for (const lock of stack.ofType(S3_OBJECT_LOCK_TYPE))
    addLock(lock, bucketsNamed(stack, lock.body.bucket, [S3_BUCKET_TYPE]));

  const view: AuditView = { auditBuckets, locksByBucket, shippers };
  views.set(stack, view);
  return view;
}

/** The resources of `types` that target a bucket (by its `bucket` attribute). */
export function bucketCompanions(stack: SynthesizedStack, bucket: ResourceEntry, type: string): ResourceEntry[] {
  return stack.ofType(type).filter((e) => bucketsNamed(stack, e.body.bucket, [S3_BUCKET_TYPE]).includes(bucket));
}

/** The `lifecycle` block of a resource. */
export function lifecycleOf(body: JsonObject): JsonObject {
  return block(body.lifecycle);
}

/** The container of a pod that is the audit shipper (by name). */
export const SHIPPER_CONTAINER = AUDIT_SHIPPER_CONTAINER_NAME;
