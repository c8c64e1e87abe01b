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
 * lets a token write objects; scoped to one bucket resource it reaches no other bucket. Permission
 * group ids are global (the same in every account).
 */
export const R2_BUCKET_ITEM_WRITE_PERMISSION_GROUP_ID = '2efd5506f9c8494dacb1fa10a3e7d5b6';

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
  actor_id: "string: the caller, the token's `sub` (Okta user id)",
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

/**
 * The audit shipper's default image: Vector 0.57.0, distroless-static (no shell), pinned by digest.
 * The digest is the one public manifests pin for this tag; verify it with `crane digest` before use.
 */
export const VECTOR_IMAGE =
  'timberio/vector:0.57.0-distroless-static@sha256:d96454c4e64db59234d9a2b973b02c3b9b09a0674eef685b3955ef7cd03f70a0';

/** Path of the Vector binary in the official images. */
export const VECTOR_BINARY = '/usr/local/bin/vector';

/** UID and GID the shipper runs as (the distroless `nonroot` user; the image defaults to root). */
export const SHIPPER_RUN_AS_USER = 65532;

/** Name of the shipper container (the ports layer adds it to the MCP pod). */
export const AUDIT_SHIPPER_CONTAINER_NAME = 'audit-shipper';

/** Names of the config map and of the secret the ports layer creates for the shipper (distinct names). */
export const AUDIT_SHIPPER_CONFIG_MAP_NAME = 'audit-shipper-config';
export const AUDIT_SHIPPER_SECRET_NAME = 'audit-shipper-credentials';

/** The shipper's configuration file (a key of its config map). */
export const VECTOR_CONFIG_FILE = 'vector.json';
/** Where the config map is mounted in the shipper. */
export const VECTOR_CONFIG_DIR = '/etc/vector';
/** Where Vector keeps its checkpoints (an emptyDir: the root filesystem is read-only). */
export const VECTOR_DATA_DIR = '/var/lib/vector';
/** Where the webhook secret is mounted for Vector's `directory` secret backend. */
export const VECTOR_SECRETS_DIR = '/etc/vector-secrets';
/** Name of that secret backend in the Vector config (`SECRET[alert.<key>]`). */
export const VECTOR_SECRET_BACKEND = 'alert';

/** Keys of the shipper's secret. */
export const R2_ACCESS_KEY_ID_ENV = 'AWS_ACCESS_KEY_ID';
export const R2_SECRET_ACCESS_KEY_ENV = 'AWS_SECRET_ACCESS_KEY';
export const ALERT_WEBHOOK_SECRET_KEY = 'alert_webhook_url';

/** The shared in-memory volume the MCP server writes its audit lines to. */
export const AUDIT_LOG_DIR = '/var/run/mcp-audit';
/** The file the MCP server appends to (it may rotate it to `audit.jsonl.1`). */
export const AUDIT_LOG_FILE = 'audit.jsonl';
/** Environment variable that tells the MCP server where to write its audit lines. */
export const MCP_AUDIT_LOG_PATH_ENV = 'MCP_AUDIT_LOG_PATH';

/** Pod volume names the audit addon adds. */
export const AUDIT_VOLUMES = {
  log: 'audit-log',
  config: 'audit-shipper-config',
  data: 'audit-shipper-data',
  secrets: 'audit-shipper-secrets',
} as const;

/** Size caps of the addon's emptyDir volumes (the log one is memory and counts against the pod's limit). */
export const AUDIT_LOG_SIZE_LIMIT = '32Mi';
export const VECTOR_DATA_SIZE_LIMIT = '256Mi';

/** Shipper requests and limits; the limit leaves room for the exec probe's second `vector` process. */
export const SHIPPER_RESOURCES = {
  requests: { cpu: '50m', memory: '64Mi' },
  limits: { cpu: '500m', memory: '256Mi' },
} as const;

/** Longest a record waits in the shipper before it is written to the bucket, in seconds. */
export const SHIPPER_BATCH_TIMEOUT_SECONDS = 60;

/** Vector component names the rules and tests look for. */
export const VECTOR_COMPONENTS = {
  source: 'audit_log',
  records: 'audit_records',
  route: 'audit_alerts',
  crossTenantRoute: 'cross_tenant',
  bucketSink: 'audit_bucket',
  alertSink: 'cross_tenant_alert',
  stdoutSink: 'audit_stdout',
} as const;

/** Vector sink types: the bucket sink, and the alert sink MCP-AUD-4 looks for. */
export const VECTOR_BUCKET_SINK_TYPE = 'aws_s3';
export const VECTOR_ALERT_SINK_TYPE = 'http';
