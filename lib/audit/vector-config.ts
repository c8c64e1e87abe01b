/**
 * The audit shipper's Vector configuration, built from typed options and written as JSON
 * (`vector.json`). Only the Vector options this library uses are typed here.
 */
import {
  AUDIT_LOG_DIR,
  AUDIT_LOG_FILE,
  CROSS_TENANT_OUTCOME,
  MALFORMED_OUTCOME,
  SHIPPER_BATCH_TIMEOUT_SECONDS,
  VECTOR_ALERT_SINK_TYPE,
  VECTOR_BUCKET_SINK_TYPE,
  VECTOR_COMPONENTS,
  VECTOR_DATA_DIR,
  VECTOR_SECRET_BACKEND,
  VECTOR_SECRETS_DIR,
} from '../core/audit-defaults';

/** `file` source: tails the JSON lines the MCP server appends. */
export interface VectorFileSource {
  readonly type: 'file';
  readonly include: readonly string[];
  readonly read_from: 'beginning' | 'end';
}

/** `remap` transform: a VRL program. */
export interface VectorRemapTransform {
  readonly type: 'remap';
  readonly inputs: readonly string[];
  readonly source: string;
}

/** `route` transform: named outputs `<name>.<route>` selected by VRL conditions. */
export interface VectorRouteTransform {
  readonly type: 'route';
  readonly inputs: readonly string[];
  readonly route: Readonly<Record<string, string>>;
}

interface VectorEncoding {
  readonly codec: 'json';
}

interface VectorFraming {
  readonly method: 'newline_delimited';
}

/** `aws_s3` sink, pointed at R2's S3 API. Keys come from the AWS environment variables. */
export interface VectorAwsS3Sink {
  readonly type: typeof VECTOR_BUCKET_SINK_TYPE;
  readonly inputs: readonly string[];
  readonly bucket: string;
  readonly endpoint: string;
  readonly region: 'auto';
  readonly force_path_style: true;
  readonly key_prefix: string;
  readonly filename_append_uuid: true;
  readonly filename_extension: string;
  readonly compression: 'gzip';
  readonly content_type: string;
  readonly encoding: VectorEncoding;
  readonly framing: VectorFraming;
  readonly batch: { readonly timeout_secs: number };
  readonly acknowledgements: { readonly enabled: true };
  readonly healthcheck: { readonly enabled: boolean };
}

/** `http` sink: one POST per alert record. */
export interface VectorHttpSink {
  readonly type: typeof VECTOR_ALERT_SINK_TYPE;
  readonly inputs: readonly string[];
  readonly uri: string;
  readonly method: 'post';
  readonly encoding: VectorEncoding;
  readonly framing: VectorFraming;
  readonly batch: { readonly max_events: number };
  readonly healthcheck: { readonly enabled: boolean };
}

/** `console` sink: the records on the shipper's stdout, for `kubectl logs -f`. */
export interface VectorConsoleSink {
  readonly type: 'console';
  readonly inputs: readonly string[];
  readonly target: 'stdout';
  readonly encoding: VectorEncoding;
}

/** A `directory` secret backend: `SECRET[<backend>.<file name>]` reads one file of `path`. */
export interface VectorDirectorySecretBackend {
  readonly type: 'directory';
  readonly path: string;
  readonly remove_trailing_whitespace: true;
}

/** The whole shipper configuration. */
export interface VectorConfig {
  readonly data_dir: string;
  readonly api: { readonly enabled: false };
  readonly secret?: Readonly<Record<string, VectorDirectorySecretBackend>>;
  readonly sources: Readonly<Record<string, VectorFileSource>>;
  readonly transforms: Readonly<Record<string, VectorRemapTransform | VectorRouteTransform>>;
  readonly sinks: Readonly<Record<string, VectorAwsS3Sink | VectorHttpSink | VectorConsoleSink>>;
}

/** Where alerts go: a literal https URL, or a key of the shipper's secret read through the secret backend. */
export type AlertDestination = { readonly literalUrl: string } | { readonly secretKey: string };

/** Typed options of the shipper configuration. */
export interface ShipperConfigOptions {
  readonly tenantId: string;
  /** The tenant's bucket name (literal or reference). */
  readonly bucketName: string;
  /** R2 S3 endpoint URL. */
  readonly endpoint: string;
  /** Where cross-tenant alerts go; none: no alert sink (MCP-AUD-4 warns). */
  readonly alert?: AlertDestination;
  /** Also print every record on stdout (for `kubectl logs -f`). */
  readonly tailToStdout: boolean;
}

/** `SECRET[<backend>.<key>]`: Vector resolves it from the mounted secret file at load. */
export function vectorSecretReference(key: string): string {
  return `SECRET[${VECTOR_SECRET_BACKEND}.${key}]`;
}

/** Objects are written under the tenant's own literal prefix (templated key fields are restricted since 0.57). */
export function auditKeyPrefix(tenantId: string): string {
  return `tenant=${tenantId}/date=%F/`;
}

/**
 * VRL that parses each line, keeps what is not JSON as a `malformed` record (never drops it), keeps
 * the time the shipper read the line as `timestamp`, and stamps the tenant: a record that claims another tenant (or none) keeps the claim in
 * `claimed_tenant_id` and is flagged `cross_tenant`, like a `cross_tenant_denied` outcome.
 */
export function recordProgram(tenantId: string): string {
  const tenant = JSON.stringify(tenantId);
  return [
    'raw = string!(.message)',
    'read_at = .timestamp',
    'parsed, err = parse_json(raw)',
    'if err == null && is_object(parsed) {',
    '  . = object!(parsed)',
    '} else {',
    `  . = {"tenant_id": ${tenant}, "outcome": "${MALFORMED_OUTCOME}", "reason": "the line is not a JSON object", "raw": raw}`,
    '}',
    // The object key's date (`%F` in key_prefix) comes from the event timestamp: keep the read time.
    '.timestamp = read_at',
    `if .tenant_id != ${tenant} {`,
    '  .claimed_tenant_id = .tenant_id',
    `  .tenant_id = ${tenant}`,
    '  .cross_tenant = true',
    '} else {',
    `  .cross_tenant = .outcome == "${CROSS_TENANT_OUTCOME}"`,
    '}',
  ].join('\n');
}

/** The shipper's configuration for one tenant. */
export function buildShipperConfig(options: ShipperConfigOptions): VectorConfig {
  const c = VECTOR_COMPONENTS;
  const sinks: Record<string, VectorAwsS3Sink | VectorHttpSink | VectorConsoleSink> = {
    [c.bucketSink]: {
      type: VECTOR_BUCKET_SINK_TYPE,
      inputs: [c.records],
      bucket: options.bucketName,
      endpoint: options.endpoint,
      region: 'auto',
      force_path_style: true,
      key_prefix: auditKeyPrefix(options.tenantId),
      // A unique name per object: a locked object can never be overwritten, so never try.
      filename_append_uuid: true,
      filename_extension: 'jsonl.gz',
      compression: 'gzip',
      content_type: 'application/x-ndjson',
      encoding: { codec: 'json' },
      framing: { method: 'newline_delimited' },
      batch: { timeout_secs: SHIPPER_BATCH_TIMEOUT_SECONDS },
      // The file source advances its checkpoint only after R2 has acknowledged the write.
      acknowledgements: { enabled: true },
      // The write-only credential is not meant to read bucket metadata, which the health check does.
      healthcheck: { enabled: false },
    },
  };
  if (options.tailToStdout) {
    sinks[c.stdoutSink] = { type: 'console', inputs: [c.records], target: 'stdout', encoding: { codec: 'json' } };
  }
  const transforms: Record<string, VectorRemapTransform | VectorRouteTransform> = {
    [c.records]: { type: 'remap', inputs: [c.source], source: recordProgram(options.tenantId) },
  };
  if (options.alert) {
    transforms[c.route] = {
      type: 'route',
      inputs: [c.records],
      route: { [c.crossTenantRoute]: '.cross_tenant == true' },
    };
    sinks[c.alertSink] = {
      type: VECTOR_ALERT_SINK_TYPE,
      inputs: [`${c.route}.${c.crossTenantRoute}`],
      uri: 'literalUrl' in options.alert ? options.alert.literalUrl : vectorSecretReference(options.alert.secretKey),
      method: 'post',
      encoding: { codec: 'json' },
      framing: { method: 'newline_delimited' },
      batch: { max_events: 1 },
      // A webhook need not answer the health check's request; alerts are retried on failure.
      healthcheck: { enabled: false },
    };
  }
  const usesSecretBackend = options.alert !== undefined && 'secretKey' in options.alert;
  return {
    data_dir: VECTOR_DATA_DIR,
    // The API is unauthenticated and streams live events: keep it off.
    api: { enabled: false },
    ...(usesSecretBackend
      ? {
          secret: {
            [VECTOR_SECRET_BACKEND]: { type: 'directory', path: VECTOR_SECRETS_DIR, remove_trailing_whitespace: true },
          },
        }
      : {}),
    sources: {
      [c.source]: { type: 'file', include: [`${AUDIT_LOG_DIR}/${AUDIT_LOG_FILE}*`], read_from: 'beginning' },
    },
    transforms,
    sinks,
  };
}

/** The configuration as the config map holds it: stable key order, two-space indent. */
export function renderShipperConfig(config: VectorConfig): string {
  return JSON.stringify(config, null, 2);
}
