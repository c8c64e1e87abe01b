/**
 * The audit shipper's Fluent Bit configuration, built from typed options and written as JSON, which
 * is YAML (`fluent-bit.yaml`, see FLUENT_BIT_CONFIG_FILE). Only the Fluent Bit options this library
 * uses are typed here; every value is a string, as Fluent Bit reads them.
 *
 * The pipeline, per tenant:
 *   tail (audit.jsonl*, JSON parser, filesystem storage)      -> audit.records
 *   lua audit_records (stamp the tenant; malformed lines kept) on audit.records
 *   lua delivery_watchdog (notes waiting records, code 0)      on audit.records and shipper.health
 *   s3 audit_bucket (the tenant's bucket, Content-MD5, never gives up) <- audit.records
 *   stdout audit_stdout (optional)                             <- audit.records
 *   http cross_tenant_alert (+ lua cross_tenant_only)          <- audit.records (with a webhook)
 *   fluentbit_logs + dummy tick                                -> shipper.health -> delivery alerts
 *   http delivery_alert (with a webhook), stdout delivery_alert_stdout <- shipper.health
 */
import {
  ALERT_WEBHOOK_ENV,
  AUDIT_LOG_GLOB,
  auditRecordsLua,
  crossTenantOnlyLua,
  deliveryWatchdogLua,
  DELIVERY_WATCHDOG_TICK_SECONDS,
  FLUENT_BIT_S3_STORE_DIR,
  FLUENT_BIT_STORAGE_PATH,
  FLUENT_BIT_TAIL_DB,
  S3_UPLOAD_ATTEMPTS,
  SHIPPER_BUFFER_LIMITS,
  SHIPPER_COMPONENTS,
  SHIPPER_HEALTH,
  SHIPPER_JSON_PARSER,
  SHIPPER_LUA_CALLS,
  SHIPPER_RAW_LINE_KEY,
  SHIPPER_TAGS,
  SHIPPER_TOTAL_FILE_SIZE,
  SHIPPER_UPLOAD_TIMEOUT,
  shipperKeyFormat,
} from '../core/audit-defaults';

/** Properties of one section or plugin: Fluent Bit reads every value as a string. */
export type FluentBitProperties = Readonly<Record<string, string>>;

/** A plugin of the pipeline: its properties, plus processors attached to it. */
export interface FluentBitPlugin {
  readonly name: string;
  readonly alias: string;
  readonly [property: string]: string | FluentBitProcessors;
}

/** Processors attached to a plugin (they act on that plugin's records only). */
export interface FluentBitProcessors {
  readonly logs: readonly FluentBitProperties[];
}

/** The whole configuration file. */
export interface FluentBitConfig {
  readonly service: FluentBitProperties;
  readonly parsers: readonly FluentBitProperties[];
  readonly pipeline: {
    readonly inputs: readonly FluentBitPlugin[];
    readonly filters: readonly FluentBitPlugin[];
    readonly outputs: readonly FluentBitPlugin[];
  };
}

/** Where the alerts go: a literal https URL split into its parts, or the environment (a reference). */
export type AlertDestination =
  | { readonly literal: { readonly host: string; readonly port: string; readonly uri: string } }
  | { readonly fromEnvironment: true };

/** The properties of the s3 output that address the bucket (bucket, region, endpoint). */
export type BucketAddress = FluentBitProperties;

/** Typed options of the shipper configuration. */
export interface ShipperConfigOptions {
  readonly tenantId: string;
  /** The tenant's bucket: `bucket`, `region`, and `endpoint` for R2. */
  readonly bucket: BucketAddress;
  /** Where alerts go; none: alerts only on stdout (MCP-AUD-4 warns). */
  readonly alert?: AlertDestination;
  /** Also print every record on stdout (for `kubectl logs -f`). */
  readonly tailToStdout: boolean;
}

/**
 * `${VAR}` as Fluent Bit reads it from the environment, escaped for Terraform (`$${VAR}` renders as
 * `${VAR}`), because the config map's data is a Terraform string.
 */
export function fluentBitEnvReference(variable: string): string {
  return `$\${${variable}}`;
}

/** Splits a literal https URL into the http output's host, port and URI. */
export function splitWebhookUrl(url: string): { host: string; port: string; uri: string } {
  const u = new URL(url);
  return { host: u.hostname, port: u.port === '' ? '443' : u.port, uri: `${u.pathname}${u.search}` || '/' };
}

/** The http output's address for a destination. */
function webhookAddress(alert: AlertDestination): FluentBitProperties {
  if ('literal' in alert) return { host: alert.literal.host, port: alert.literal.port, uri: alert.literal.uri };
  return {
    host: fluentBitEnvReference(ALERT_WEBHOOK_ENV.host),
    port: fluentBitEnvReference(ALERT_WEBHOOK_ENV.port),
    uri: fluentBitEnvReference(ALERT_WEBHOOK_ENV.uri),
  };
}

/** An http output posting one JSON line per record to the webhook, retrying for ever. */
function httpAlertOutput(alias: string, match: string, alert: AlertDestination): FluentBitPlugin {
  return {
    name: 'http',
    alias,
    match,
    ...webhookAddress(alert),
    tls: 'on',
    'tls.verify': 'on',
    format: 'json_lines',
    json_date_key: 'false',
    header: 'Content-Type application/x-ndjson',
    // The http output leaves retries to the engine, which honours no_limits.
    retry_limit: 'no_limits',
    'storage.total_limit_size': SHIPPER_BUFFER_LIMITS.alertStorageLimitSize,
  };
}

/** The shipper's configuration for one tenant. */
export function buildShipperConfig(options: ShipperConfigOptions): FluentBitConfig {
  const c = SHIPPER_COMPONENTS;
  const outputs: FluentBitPlugin[] = [
    {
      name: 's3',
      alias: c.bucketOutput,
      match: SHIPPER_TAGS.records,
      ...options.bucket,
      // Every record, as NDJSON, gzipped, under the tenant's own literal prefix.
      s3_key_format: shipperKeyFormat(options.tenantId),
      compression: 'gzip',
      content_type: 'application/x-ndjson',
      json_date_key: 'false',
      // PutObject with Content-MD5, the one checksum R2 and Object Lock accept (no x-amz-checksum-*).
      use_put_object: 'on',
      send_content_md5: 'on',
      total_file_size: SHIPPER_TOTAL_FILE_SIZE,
      upload_timeout: SHIPPER_UPLOAD_TIMEOUT,
      preserve_data_ordering: 'on',
      // A bounded buffer on the data volume: a full store refuses chunks with a retry.
      store_dir: FLUENT_BIT_S3_STORE_DIR,
      store_dir_limit_size: SHIPPER_BUFFER_LIMITS.storeDirLimitSize,
      'storage.total_limit_size': SHIPPER_BUFFER_LIMITS.bucketStorageLimitSize,
      // Never give a buffered file up (no_limits would mean 5 attempts for this output).
      retry_limit: S3_UPLOAD_ATTEMPTS,
      file_delivery_attempt_limit: S3_UPLOAD_ATTEMPTS,
      part_delivery_attempt_limit: S3_UPLOAD_ATTEMPTS,
    },
  ];
  if (options.tailToStdout) {
    outputs.push({
      name: 'stdout',
      alias: c.stdoutOutput,
      match: SHIPPER_TAGS.records,
      format: 'json_lines',
      json_date_key: 'false',
    });
  }
  if (options.alert) {
    outputs.push({
      ...httpAlertOutput(c.crossTenantOutput, SHIPPER_TAGS.records, options.alert),
      // Only cross-tenant records reach the webhook; the bucket and stdout still get every record.
      processors: {
        logs: [
          {
            name: 'lua',
            alias: c.crossTenantProcessor,
            call: SHIPPER_LUA_CALLS.crossTenantOnly,
            code: crossTenantOnlyLua(),
          },
        ],
      },
    });
    outputs.push(httpAlertOutput(c.deliveryAlertOutput, SHIPPER_TAGS.health, options.alert));
  }
  outputs.push({
    name: 'stdout',
    alias: c.deliveryStdoutOutput,
    match: SHIPPER_TAGS.health,
    format: 'json_lines',
    json_date_key: 'false',
  });

  return {
    service: {
      flush: '1',
      // info: the watchdog reads the s3 output's "Successfully uploaded object" lines.
      log_level: 'info',
      // The health endpoint (/api/v1/health) on loopback only: it is unauthenticated.
      http_server: 'on',
      http_listen: SHIPPER_HEALTH.listen,
      http_port: SHIPPER_HEALTH.port,
      health_check: 'on',
      hc_errors_count: SHIPPER_HEALTH.errorsCount,
      hc_retry_failure_count: SHIPPER_HEALTH.retryFailureCount,
      hc_period: SHIPPER_HEALTH.periodSeconds,
      // Every chunk on the data volume, synced, checksummed: a restart resumes the backlog.
      'storage.path': FLUENT_BIT_STORAGE_PATH,
      'storage.sync': 'full',
      'storage.checksum': 'on',
      'storage.metrics': 'on',
      'storage.max_chunks_up': SHIPPER_BUFFER_LIMITS.maxChunksUp,
      'storage.backlog.mem_limit': SHIPPER_BUFFER_LIMITS.backlogMemLimit,
      // Retries at least once a minute, whatever the backoff.
      'scheduler.base': '5',
      'scheduler.cap': '60',
    },
    parsers: [{ name: SHIPPER_JSON_PARSER, format: 'json' }],
    pipeline: {
      inputs: [
        {
          name: 'tail',
          alias: c.recordsInput,
          tag: SHIPPER_TAGS.records,
          path: AUDIT_LOG_GLOB,
          read_from_head: 'true',
          db: FLUENT_BIT_TAIL_DB,
          'db.locking': 'true',
          parser: SHIPPER_JSON_PARSER,
          key: SHIPPER_RAW_LINE_KEY,
          // A line can be as long as the file (8 MiB before rotation): never stop following the file.
          buffer_max_size: '8M',
          skip_long_lines: 'on',
          'storage.type': 'filesystem',
          // Keep reading: the MCP server's file is the only copy upstream, and it rotates.
          'storage.pause_on_chunks_overlimit': 'off',
        },
        // Fluent Bit's own log lines and a clock tick feed the delivery watchdog.
        { name: 'fluentbit_logs', alias: c.logsInput, tag: SHIPPER_TAGS.health },
        {
          name: 'dummy',
          alias: c.tickInput,
          tag: SHIPPER_TAGS.health,
          dummy: '{"tick":true}',
          interval_sec: DELIVERY_WATCHDOG_TICK_SECONDS,
        },
      ],
      filters: [
        {
          name: 'lua',
          alias: c.recordsFilter,
          match: SHIPPER_TAGS.records,
          call: SHIPPER_LUA_CALLS.records,
          code: auditRecordsLua(options.tenantId),
          enable_flb_null: 'true',
        },
        {
          name: 'lua',
          alias: c.watchdogFilter,
          match_regex: `^(${escapeRegex(SHIPPER_TAGS.records)}|${escapeRegex(SHIPPER_TAGS.health)})$`,
          call: SHIPPER_LUA_CALLS.watchdog,
          code: deliveryWatchdogLua(options.tenantId),
        },
      ],
      outputs,
    },
  };
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The configuration as the config map holds it: JSON (valid YAML), stable key order, two-space indent. */
export function renderShipperConfig(config: FluentBitConfig): string {
  return `${JSON.stringify(config, null, 2)}\n`;
}
