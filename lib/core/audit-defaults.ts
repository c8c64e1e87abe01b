/**
 * The audit layer's constants and names (R2 locks, Logpush, the audit shipper sidecar and the audit
 * record schema), used by both the constructs and the MCP-AUD rules, so the two cannot drift apart.
 */
import { AUDIT_RETENTION_DAYS_MIN } from './defaults';

/** Seconds in a day: R2 lock ages are given in seconds. */
export const SECONDS_PER_DAY = 24 * 60 * 60;

/** Shortest lock age an audit bucket may have, in seconds (30 days). */
export const AUDIT_RETENTION_SECONDS_MIN = AUDIT_RETENTION_DAYS_MIN * SECONDS_PER_DAY;

/** A Cloudflare account id: 32 lower-case hex characters. */
export const ACCOUNT_ID_PATTERN = /^[a-f0-9]{32}$/;

/** R2 bucket names: 3-63 lower-case letters, digits and hyphens, starting and ending with a letter or digit. */
export const R2_BUCKET_NAME_PATTERN = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;
/** The same rule in words, for validation messages. */
export const R2_BUCKET_NAME_RULE =
  '3-63 lower-case letters, digits or hyphens, starting and ending with a letter or digit';

/** R2 jurisdictions (where objects are guaranteed to be stored); `default` means none. */
export const R2_JURISDICTIONS = ['default', 'eu', 'fedramp'] as const;
export type R2Jurisdiction = (typeof R2_JURISDICTIONS)[number];

/** R2 location hints. */
export const R2_LOCATIONS = ['apac', 'eeur', 'enam', 'weur', 'wnam', 'oc'] as const;
export type R2Location = (typeof R2_LOCATIONS)[number];

/** Lock rule condition types R2 knows; an audit bucket needs `Age` (>= retention) or `Indefinite`. */
export const R2_LOCK_AGE = 'Age';
export const R2_LOCK_INDEFINITE = 'Indefinite';

/** Id of the one lock rule an audit bucket carries (it covers the whole bucket). */
export const AUDIT_LOCK_RULE_ID = 'audit-retention';

/**
 * Id of Cloudflare's "Workers R2 Storage Bucket Item Write" permission group, the narrowest group that
 * lets a token write objects. Cloudflare documents four R2 permission groups
 * (developers.cloudflare.com/r2/api/tokens/): "Workers R2 Storage Write" (account: create, list and
 * delete buckets, edit bucket configuration, plus read, write and list objects), "Workers R2 Storage
 * Read" (account, read only), "Workers R2 Storage Bucket Item Write" (per bucket: "read, write, and
 * list objects in specific buckets") and "Workers R2 Storage Bucket Item Read" (per bucket, read
 * only). None writes without reading: Bucket Item Write scoped to one bucket is the narrowest group
 * that can write, and it can read and list that one bucket too, so the token is bounded in time
 * (see {@link WRITER_ROTATION_DAYS}). Permission group ids are global (the same in every account).
 */
export const R2_BUCKET_ITEM_WRITE_PERMISSION_GROUP_ID = '2efd5506f9c8494dacb1fa10a3e7d5b6';

/** Ids of the other R2 permission groups, which a writer token must never carry (they read or administer). */
export const R2_OTHER_PERMISSION_GROUP_IDS: Readonly<Record<string, string>> = {
  /** Workers R2 Storage Bucket Item Read (per bucket, read only). */
  '6a018a9f2fc74eb6b293b0c548f38b39': 'Workers R2 Storage Bucket Item Read',
  /** Workers R2 Storage Write (account-wide admin). */
  bf7481a1826f439697cb59a20b22293e: 'Workers R2 Storage Write',
};

/** Prefix of the token policy resource key that names one R2 bucket. */
export const R2_BUCKET_RESOURCE_PREFIX = 'com.cloudflare.edge.r2.bucket.';

/**
 * Days between rotations of an R2 writer token: `time_rotating` (hashicorp/time) is replaced by the
 * first apply after this many days, and the token with it (`replace_triggered_by`).
 */
export const WRITER_ROTATION_DAYS = 30;
/** Longest rotation period a writer token may have (MCP-AUD-7). */
export const WRITER_ROTATION_DAYS_MAX = 90;
/**
 * Days a writer token stays valid after its rotation is due: the token expires this long after the
 * rotation time, so an apply that comes a little late still finds a valid token, and a leaked token
 * works at most rotation + margin days.
 */
export const WRITER_EXPIRY_MARGIN_DAYS = 15;
/** Longest expiry margin a writer token may have (MCP-AUD-7). */
export const WRITER_EXPIRY_MARGIN_DAYS_MAX = 30;
/** Hours in a day: `timeadd()` takes durations in hours. */
export const HOURS_PER_DAY = 24;

/** Key of the audit layer's own hints in the stack's Terraform comment block (`"//"`). */
export const AUDIT_METADATA_KEY = 'mcp_access_audit';

/** The token policy resource naming exactly one R2 bucket. */
export function r2BucketResourceKey(accountId: string, jurisdiction: R2Jurisdiction, bucketName: string): string {
  return `com.cloudflare.edge.r2.bucket.${accountId}_${jurisdiction}_${bucketName}`;
}

/** Host of R2's S3 API for an account (jurisdiction buckets have their own host). */
export function r2S3Host(accountId: string, jurisdiction: R2Jurisdiction): string {
  return jurisdiction === 'default'
    ? `${accountId}.r2.cloudflarestorage.com`
    : `${accountId}.${jurisdiction}.r2.cloudflarestorage.com`;
}

/** Endpoint URL of R2's S3 API for an account. */
export function r2S3Endpoint(accountId: string, jurisdiction: R2Jurisdiction): string {
  return `https://${r2S3Host(accountId, jurisdiction)}`;
}

/** Suffix every R2 S3 API host ends with (how rules recognise an S3 endpoint as R2). */
export const R2_S3_HOST_SUFFIX = 'r2.cloudflarestorage.com';

/** Name of a tenant's audit bucket. */
export function tenantAuditBucketName(tenantId: string): string {
  return `mcp-audit-${tenantId}`;
}

/** Name of the token that writes a tenant's audit records. */
export function tenantAuditWriterName(tenantId: string): string {
  return `mcp-audit-${tenantId}-writer`;
}

/** Default name of the account bucket that holds the Access request logs. */
export const ACCESS_REQUESTS_BUCKET_NAME = 'mcp-audit-access-requests';

/** Name of the token Logpush writes the Access request logs with. */
export const ACCESS_REQUESTS_WRITER_NAME = 'mcp-audit-access-requests-writer';

/** Logpush dataset of Cloudflare Access login and request events. */
export const ACCESS_REQUESTS_DATASET = 'access_requests';

/** Name of the Logpush job. */
export const ACCESS_REQUESTS_JOB_NAME = 'mcp-access-requests';

/** Object path of the Access request logs inside their bucket; `{DATE}` gives daily folders. */
export const ACCESS_REQUESTS_PATH = 'access-requests/{DATE}';

/**
 * Fields of the `access_requests` dataset that name who (Email, UserUID), when (CreatedAt), which
 * application (AppUUID, AppDomain) and whether it was allowed (Allowed): MCP-AUD-3 requires them.
 */
export const ACCESS_REQUESTS_REQUIRED_FIELDS: readonly string[] = [
  'CreatedAt',
  'Email',
  'UserUID',
  'AppUUID',
  'AppDomain',
  'Allowed',
];

/** Every field the Logpush job pushes (the required ones plus context for an investigation). */
export const ACCESS_REQUESTS_FIELDS: readonly string[] = [
  'CreatedAt',
  'Email',
  'UserUID',
  'AppUUID',
  'AppDomain',
  'Allowed',
  'Action',
  'Connection',
  'Country',
  'IPAddress',
  'RayID',
];

/** The audit record the MCP server writes, one JSON object per line: field name -> meaning. */
export const AUDIT_RECORD_FIELDS = {
  time: 'string: when the call was decided, RFC 3339 in UTC with milliseconds',
  request_id: 'string: unique id of the call (the MCP JSON-RPC id is not unique enough: use a UUID or ULID)',
  tenant_id: "string: the server's own tenant id (the shipper checks it)",
  actor_id:
    "string: the caller: a person's Okta user id (the token's `uid`; `sub` is their login, which can change), a service's client id (its token's `sub` and `cid`)",
  actor_type:
    'string: `human` (authorization-code token, actor_id = Okta user id) or `service` (client-credentials token, actor_id = client id)',
  tool: 'string: the MCP tool name called',
  downstream: 'string: the system the tool reached (`vault`, `kubernetes`, ...), or `none`',
  outcome: 'string: one of `allowed`, `denied`, `cross_tenant_denied`, `error`',
  reason: 'string: why, in one line (for a denial: which check failed)',
} as const;

/** Outcomes an audit record may carry. */
export const AUDIT_OUTCOMES = ['allowed', 'denied', 'cross_tenant_denied', 'error'] as const;

/** The outcome of a call refused because a token, argument or route named another tenant. */
export const CROSS_TENANT_OUTCOME = 'cross_tenant_denied';

/** Outcome the shipper gives a line that is not a JSON object (kept, never dropped). */
export const MALFORMED_OUTCOME = 'malformed';

/** Fields the shipper adds to every record (the record schema itself is the MCP server's). */
export const SHIPPER_FIELDS = {
  timestamp: 'string: when the shipper read the line, RFC 3339 in UTC with milliseconds',
  cross_tenant: 'boolean: the record claims another tenant (or none), or its outcome is `cross_tenant_denied`',
  claimed_tenant_id: 'the tenant the record named (null when it named none); only on records that named another',
} as const;

// ---------------------------------------------------------------------------------------------
// The audit shipper: Fluent Bit.
//
// Vector's aws_s3 sink cannot write to R2 today: it sends Content-MD5 while its AWS SDK adds an
// x-amz-checksum-crc32 header, and R2 refuses every PutObject ("You can only specify one non-default
// checksum at a time": vectordotdev/vector issue 23029, fix PR 25803 unmerged; the SDK change is
// awslabs/aws-sdk-rust issue 1240). Fluent Bit's s3 output signs requests with its own SigV4 code,
// not an AWS SDK, and sends no x-amz-checksum-* header: Content-MD5 only, with send_content_md5
// (plugins/out_s3/s3.c, create_headers; the option exists because Object Lock buckets require it,
// fluent/fluent-bit PR 3333). R2 accepts Content-MD5 on PutObject (developers.cloudflare.com/r2/api/s3/api/).
// ---------------------------------------------------------------------------------------------

/**
 * The audit shipper's default image: Fluent Bit 5.0.9, the production image (distroless: no shell).
 * 5.0 is the first release with the `fluentbit_logs` input the delivery watchdog reads
 * (docs.fluentbit.io, upgrade notes, "Fluent Bit v5.0: New internal logs input").
 * PLACEHOLDER DIGEST: no public manifest pinning this tag's digest could be found offline; the digest
 * below is all zeros, so a deployment fails to pull (loudly) until it is replaced with the output of
 * `crane digest cr.fluentbit.io/fluent/fluent-bit:5.0.9` before release.
 */
export const FLUENT_BIT_IMAGE =
  'cr.fluentbit.io/fluent/fluent-bit:5.0.9@sha256:0000000000000000000000000000000000000000000000000000000000000000';

/** Path of the Fluent Bit binary in the official images. */
export const FLUENT_BIT_BINARY = '/fluent-bit/bin/fluent-bit';

/** UID and GID the shipper runs as (the distroless `nonroot` user). */
export const SHIPPER_RUN_AS_USER = 65532;

/** Name of the shipper container (the ports layer adds it to the MCP pod). */
export const AUDIT_SHIPPER_CONTAINER_NAME = 'audit-shipper';

/** Names of the config map and of the secret the ports layer creates for the shipper (distinct names). */
export const AUDIT_SHIPPER_CONFIG_MAP_NAME = 'audit-shipper-config';
export const AUDIT_SHIPPER_SECRET_NAME = 'audit-shipper-credentials';

/**
 * The shipper's configuration file (a key of its config map). Written as JSON, which is YAML (a
 * flow-style document; YAML 1.2 is a superset of JSON and libyaml, which Fluent Bit uses, reads flow
 * style), so that the rule pack, which has no YAML parser at run time, reads exactly what Fluent Bit reads.
 */
export const FLUENT_BIT_CONFIG_FILE = 'fluent-bit.yaml';
/** Where the config map is mounted in the shipper. */
export const FLUENT_BIT_CONFIG_DIR = '/fluent-bit/etc/mcp';
/** The shipper's writable data directory (an emptyDir: the root filesystem is read-only). */
export const FLUENT_BIT_DATA_DIR = '/var/lib/fluent-bit';
/** Fluent Bit's chunk storage (filesystem buffering of every input). */
export const FLUENT_BIT_STORAGE_PATH = `${FLUENT_BIT_DATA_DIR}/storage`;
/** The s3 output's own buffer directory. */
export const FLUENT_BIT_S3_STORE_DIR = `${FLUENT_BIT_DATA_DIR}/s3`;
/** The tail input's offsets database (survives container restarts). */
export const FLUENT_BIT_TAIL_DB = `${FLUENT_BIT_DATA_DIR}/tail.db`;

/** Keys of the shipper's secret (R2 keys reach Fluent Bit's standard AWS credential chain as environment). */
export const R2_ACCESS_KEY_ID_ENV = 'AWS_ACCESS_KEY_ID';
export const R2_SECRET_ACCESS_KEY_ENV = 'AWS_SECRET_ACCESS_KEY';
/**
 * The alert webhook, split for Fluent Bit's http output (which takes a host, a port and a URI, not
 * a URL); the config reads them as `${ALERT_WEBHOOK_HOST}`, ... from the environment, so a webhook
 * URL that carries a credential never enters the config map.
 */
export const ALERT_WEBHOOK_ENV = {
  host: 'ALERT_WEBHOOK_HOST',
  port: 'ALERT_WEBHOOK_PORT',
  uri: 'ALERT_WEBHOOK_URI',
} as const;

/** The shared in-memory volume the MCP server writes its audit lines to. */
export const AUDIT_LOG_DIR = '/var/run/mcp-audit';
/** The file the MCP server appends to (it may rotate it to `audit.jsonl.1`). */
export const AUDIT_LOG_FILE = 'audit.jsonl';
/** What the shipper tails: the file and its rotated predecessor. */
export const AUDIT_LOG_GLOB = `${AUDIT_LOG_DIR}/${AUDIT_LOG_FILE}*`;
/** Environment variable that tells the MCP server where to write its audit lines. */
export const MCP_AUDIT_LOG_PATH_ENV = 'MCP_AUDIT_LOG_PATH';

/** Pod volume names the audit addon adds. */
export const AUDIT_VOLUMES = {
  log: 'audit-log',
  config: 'audit-shipper-config',
  data: 'audit-shipper-data',
  awsToken: 'audit-shipper-aws-token',
} as const;

/**
 * Size caps. The log volume is memory and counts against the pod's limit. The data volume holds
 * Fluent Bit's chunks and the s3 output's buffer; its cap is larger than every Fluent Bit limit added
 * up (a disk-backed emptyDir over its sizeLimit gets the pod evicted, and the buffer with it), see
 * {@link SHIPPER_BUFFER_LIMITS}.
 */
export const AUDIT_LOG_SIZE_LIMIT = '32Mi';
export const SHIPPER_DATA_SIZE_LIMIT = '1Gi';

/**
 * Fluent Bit's buffer limits, in its own units (K/M/G are powers of 1024). Records wait in the s3
 * output's store_dir while the bucket is unreachable (nothing is discarded before it is full: a full
 * store refuses new chunks with a retry, flb: s3.c buffer_chunk); then in Fluent Bit's chunk storage
 * for the s3 output, which drops its OLDEST chunk only when `storage.total_limit_size` is reached.
 * So 512M + 256M = 768 MiB of records (about 1.3 million records of 600 bytes: 35 hours at a
 * sustained 10 audited calls per second, 15 days at 1 per second) are kept through an outage before
 * the first record is lost; the delivery alert fires after 5 minutes.
 */
export const SHIPPER_BUFFER_LIMITS = {
  storeDirLimitSize: '512M',
  bucketStorageLimitSize: '256M',
  alertStorageLimitSize: '32M',
  backlogMemLimit: '16M',
  maxChunksUp: '16',
} as const;

/**
 * Upload attempts of the s3 output before it gives a buffered file up. `retry_limit no_limits` would
 * NOT mean unlimited here: the s3 output replaces a negative retry_limit with MAX_UPLOAD_ERRORS (5)
 * (plugins/out_s3/s3.c, cb_s3_init; fluent/fluent-bit issue 8595, PR 10825), which loses a file after a
 * few minutes of outage. The largest value Fluent Bit reads (INT_MAX) never runs out; the wait between
 * attempts grows by 2 s per failure, so after a day of outage the next attempt comes within 10 minutes.
 */
export const S3_UPLOAD_ATTEMPTS = '2147483647';
/** The floor MCP-AUD-6 requires for the s3 output's retry_limit and delivery attempt limits. */
export const S3_UPLOAD_ATTEMPTS_MIN = 1_000_000;

/** Seconds between uploads of buffered records (an object per minute at most per pod). */
export const SHIPPER_UPLOAD_TIMEOUT = '60s';
/** Largest object the shipper writes, uncompressed (PutObject, so that Content-MD5 covers it whole). */
export const SHIPPER_TOTAL_FILE_SIZE = '8M';

/** Health check thresholds (Fluent Bit's built-in HTTP server on loopback, `/api/v1/health`). */
export const SHIPPER_HEALTH = {
  listen: '127.0.0.1',
  port: '2020',
  errorsCount: '5',
  retryFailureCount: '5',
  periodSeconds: '60',
} as const;

/** A delivery failure lasting this long raises an alert (the "more than 5 minutes"). */
export const DELIVERY_ALERT_AFTER_SECONDS = 300;
/** Records waiting this long without any successful upload raise the same alert (5 min + one upload period). */
export const DELIVERY_PENDING_ALERT_AFTER_SECONDS = 360;
/** While delivery keeps failing, the alert repeats this often. */
export const DELIVERY_ALERT_REPEAT_SECONDS = 3600;
/** How often the watchdog is woken up when nothing else happens. */
export const DELIVERY_WATCHDOG_TICK_SECONDS = '15';

/** Shipper requests and limits; the limit leaves room for the exec probe's second `fluent-bit` process. */
export const SHIPPER_RESOURCES = {
  requests: { cpu: '50m', memory: '64Mi' },
  limits: { cpu: '500m', memory: '256Mi' },
} as const;

/** Tags of the shipper's pipeline. */
export const SHIPPER_TAGS = {
  /** Audit records read from the MCP server's file. */
  records: 'audit.records',
  /** Fluent Bit's own logs and the watchdog's clock, reduced to delivery alerts. */
  health: 'shipper.health',
} as const;

/** Names (aliases) of the shipper's plugins, which the rules and tests look for. */
export const SHIPPER_COMPONENTS = {
  recordsInput: 'audit_log',
  logsInput: 'shipper_logs',
  tickInput: 'shipper_tick',
  recordsFilter: 'audit_records',
  watchdogFilter: 'delivery_watchdog',
  bucketOutput: 'audit_bucket',
  stdoutOutput: 'audit_stdout',
  crossTenantOutput: 'cross_tenant_alert',
  crossTenantProcessor: 'cross_tenant_only',
  deliveryAlertOutput: 'delivery_alert',
  deliveryStdoutOutput: 'delivery_alert_stdout',
} as const;

/** The JSON parser the tail input applies to each line (a line that does not parse stays raw). */
export const SHIPPER_JSON_PARSER = 'mcp_audit_json';
/** Key under which the tail input keeps a line that is not a JSON object. */
export const SHIPPER_RAW_LINE_KEY = 'mcp_audit_raw_line';

/** Lua function names of the three scripts. */
export const SHIPPER_LUA_CALLS = {
  records: 'mcp_audit_record',
  crossTenantOnly: 'mcp_cross_tenant_only',
  watchdog: 'mcp_delivery_watchdog',
} as const;

/** Phrases of Fluent Bit's s3 output log lines (plugins/out_s3/s3.c, s3_put_object) the watchdog reads. */
export const S3_LOG_PHRASES = {
  success: 'Successfully uploaded object',
  failure: 'PutObject request failed',
  bufferFull: 'Could not buffer chunk',
} as const;

/** Alert kinds the watchdog emits. */
export const DELIVERY_ALERTS = {
  failure: 'audit_delivery_failure',
  recovered: 'audit_delivery_recovered',
} as const;

const LUA_ISO_TIME = [
  'local function iso(ts)',
  '  local sec = math.floor(ts)',
  '  local ms = math.floor((ts - sec) * 1000 + 0.5)',
  '  if ms >= 1000 then sec = sec + 1; ms = ms - 1000 end',
  '  return os.date("!%Y-%m-%dT%H:%M:%S", sec) .. string.format(".%03dZ", ms)',
  'end',
];

/** A Lua string literal (the tenant id is a literal of the tenant-id pattern; quoted anyway). */
function luaString(value: string): string {
  return JSON.stringify(value);
}

/**
 * The Lua filter that turns each line into the stored record, for one tenant: a line that is not a
 * JSON object becomes a `malformed` record that keeps the line (never dropped); every record gets
 * `timestamp` (when the shipper read it); a record that names another tenant, or none, keeps the
 * claim in `claimed_tenant_id` (null when none), gets the shipper's own tenant and `cross_tenant`
 * true; otherwise `cross_tenant` is whether its outcome is `cross_tenant_denied`. It always returns
 * code 2 (record replaced), never -1 (drop). Runs with `enable_flb_null` (a JSON null is `flb_null`).
 */
export function auditRecordsLua(tenantId: string): string {
  return [
    `local TENANT = ${luaString(tenantId)}`,
    `local RAW = ${luaString(SHIPPER_RAW_LINE_KEY)}`,
    ...LUA_ISO_TIME,
    `function ${SHIPPER_LUA_CALLS.records}(tag, ts, record)`,
    '  local keys = 0',
    '  for _ in pairs(record) do keys = keys + 1 end',
    '  local out = record',
    '  if keys == 1 and type(record[RAW]) == "string" then',
    `    out = { tenant_id = TENANT, outcome = ${luaString(MALFORMED_OUTCOME)}, reason = "the line is not a JSON object", raw = record[RAW] }`,
    '  end',
    '  out.timestamp = iso(ts)',
    '  local claimed = out.tenant_id',
    '  if claimed ~= TENANT then',
    '    if claimed == nil then claimed = flb_null end',
    '    out.claimed_tenant_id = claimed',
    '    out.tenant_id = TENANT',
    '    out.cross_tenant = true',
    '  else',
    `    out.cross_tenant = out.outcome == ${luaString(CROSS_TENANT_OUTCOME)}`,
    '  end',
    '  return 2, ts, out',
    'end',
    '',
  ].join('\n');
}

/** The Lua processor of the cross-tenant alert output: only cross-tenant records reach the webhook. */
export function crossTenantOnlyLua(): string {
  return [
    `function ${SHIPPER_LUA_CALLS.crossTenantOnly}(tag, ts, record)`,
    '  if record.cross_tenant == true then return 0, ts, record end',
    '  return -1, ts, record',
    'end',
    '',
  ].join('\n');
}

/**
 * The delivery watchdog, for one tenant: a Lua filter on the audit records (it only notes that
 * records wait, and passes them on unchanged: code 0) and on `shipper.health` (Fluent Bit's own log
 * lines and a clock tick, which it consumes: code -1). It raises `audit_delivery_failure` when the s3
 * output has failed for {@link DELIVERY_ALERT_AFTER_SECONDS}, or records have waited
 * {@link DELIVERY_PENDING_ALERT_AFTER_SECONDS} without any successful upload (a stuck output logs no
 * failure), repeats it every {@link DELIVERY_ALERT_REPEAT_SECONDS}, and sends `audit_delivery_recovered`
 * at the next successful upload. Time is the records' own timestamps, so the logic is testable.
 */
export function deliveryWatchdogLua(tenantId: string): string {
  return [
    `local TENANT = ${luaString(tenantId)}`,
    `local RECORDS = ${luaString(SHIPPER_TAGS.records)}`,
    `local FAIL_AFTER = ${DELIVERY_ALERT_AFTER_SECONDS}`,
    `local PENDING_AFTER = ${DELIVERY_PENDING_ALERT_AFTER_SECONDS}`,
    `local REPEAT_EVERY = ${DELIVERY_ALERT_REPEAT_SECONDS}`,
    'local failing_since = nil',
    'local pending_since = nil',
    'local alerted_at = nil',
    'local last_error = nil',
    ...LUA_ISO_TIME,
    'local function alert(kind, now, since, detail)',
    '  return { alert = kind, tenant_id = TENANT, time = iso(now), since = iso(since), seconds = math.floor(now - since), detail = detail }',
    'end',
    `function ${SHIPPER_LUA_CALLS.watchdog}(tag, ts, record)`,
    '  if tag == RECORDS then',
    '    if pending_since == nil then pending_since = ts end',
    '    return 0, ts, record',
    '  end',
    '  local msg = record.message',
    '  if type(msg) == "string" then',
    `    if string.find(msg, ${luaString(S3_LOG_PHRASES.success)}, 1, true) then`,
    '      local was = alerted_at',
    '      local since = failing_since or pending_since or ts',
    '      failing_since = nil; pending_since = nil; alerted_at = nil; last_error = nil',
    `      if was ~= nil then return 2, ts, alert(${luaString(DELIVERY_ALERTS.recovered)}, ts, since, "uploads succeed again") end`,
    '      return -1, ts, record',
    '    end',
    `    if string.find(msg, ${luaString(S3_LOG_PHRASES.failure)}, 1, true) or string.find(msg, ${luaString(S3_LOG_PHRASES.bufferFull)}, 1, true) then`,
    '      if failing_since == nil then failing_since = ts end',
    '      last_error = msg',
    '    end',
    '  end',
    '  local since = nil',
    '  if failing_since ~= nil and ts - failing_since >= FAIL_AFTER then since = failing_since end',
    '  if since == nil and pending_since ~= nil and ts - pending_since >= PENDING_AFTER then since = pending_since end',
    '  if since ~= nil and (alerted_at == nil or ts - alerted_at >= REPEAT_EVERY) then',
    '    alerted_at = ts',
    `    return 2, ts, alert(${luaString(DELIVERY_ALERTS.failure)}, ts, since, last_error or ("no successful upload since " .. iso(since)))`,
    '  end',
    '  return -1, ts, record',
    'end',
    '',
  ].join('\n');
}

/** Object key format of the shipper: the tenant's literal prefix, then the UTC date (strftime), then a unique name. */
export function shipperKeyFormat(tenantId: string): string {
  return `/tenant=${tenantId}/date=%Y-%m-%d/%H%M%S-$UUID.jsonl.gz`;
}

// ---------------------------------------------------------------------------------------------
// The second backend: AWS S3 with Object Lock in compliance mode.
// ---------------------------------------------------------------------------------------------

/** Object Lock mode no one can shorten, root included (docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html). */
export const S3_OBJECT_LOCK_MODE = 'COMPLIANCE';

/** Actions the audit bucket's policy denies to every principal (deletes and lock changes). */
export const S3_DENIED_ACTIONS: readonly string[] = [
  's3:DeleteObject',
  's3:DeleteObjectVersion',
  's3:DeleteBucket',
  's3:PutBucketObjectLockConfiguration',
  's3:PutObjectRetention',
  's3:PutObjectLegalHold',
  's3:BypassGovernanceRetention',
  's3:PutLifecycleConfiguration',
];

/** The one action a writer identity may have. */
export const S3_WRITER_ACTION = 's3:PutObject';

/** Audience of the projected service-account token the shipper exchanges for AWS credentials (IRSA). */
export const AWS_WEB_IDENTITY_AUDIENCE = 'sts.amazonaws.com';
/** Where that token is mounted in the shipper (the path the AWS SDKs and Fluent Bit conventionally use). */
export const AWS_WEB_IDENTITY_TOKEN_DIR = '/var/run/secrets/eks.amazonaws.com/serviceaccount';
/** Lifetime of that token, in seconds (the kubelet renews it before it expires). */
export const AWS_WEB_IDENTITY_TOKEN_SECONDS = 3600;
/** The service principal EKS Pod Identity assumes roles as. */
export const EKS_POD_IDENTITY_PRINCIPAL = 'pods.eks.amazonaws.com';

/** Cloudflare Logpush's AWS principal, which must be allowed to put objects (developers.cloudflare.com/logs/logpush/logpush-job/enable-destinations/aws-s3/). */
export const CLOUDFLARE_LOGPUSH_AWS_PRINCIPAL = 'arn:aws:iam::391854517948:user/cloudflare-logpush';

/** S3 bucket names: 3-63 lower-case letters, digits, hyphens and dots. */
export const S3_BUCKET_NAME_PATTERN = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
