/**
 * The audit record an MCP server writes, one JSON object per line, as a JSON Schema (draft 2020-12)
 * and a validator. The reference server writes it, the shipper's configuration reads it, and the
 * tests check both sides against this one schema.
 */
import { AUDIT_OUTCOMES, AUDIT_RECORD_FIELDS } from './audit-defaults';
import { TENANT_ID_PATTERN } from './formats';

/** Who called: a person (authorization-code token) or a workload (client-credentials token). */
export const AUDIT_ACTOR_TYPES = ['human', 'service'] as const;
export type AuditActorType = (typeof AUDIT_ACTOR_TYPES)[number];

/** One of {@link AUDIT_OUTCOMES}. */
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

/** One audit record, as the MCP server writes it. */
export interface AuditRecord {
  readonly time: string;
  readonly request_id: string;
  readonly tenant_id: string;
  readonly actor_id: string;
  readonly actor_type: AuditActorType;
  readonly tool: string;
  readonly downstream: string;
  readonly outcome: AuditOutcome;
  readonly reason: string;
}

/** RFC 3339 in UTC with milliseconds, as `Date.prototype.toISOString` writes it. */
export const AUDIT_TIME_PATTERN = '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}Z$';
/** A UUID (any version, lower case) or a ULID (Crockford base32, upper case). */
export const AUDIT_REQUEST_ID_PATTERN =
  '^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9A-HJKMNP-TV-Z]{26})$';
/** Longest value of a free-text field, in characters (a line stays far below the 8 MiB rotation size). */
export const AUDIT_TEXT_MAX_LENGTH = 1024;

const fields: Record<string, string> = AUDIT_RECORD_FIELDS;
const describe = (name: string): string => (fields[name] ?? '').replace(/^string: /, '');
const text = (name: string) => ({
  type: 'string',
  minLength: 1,
  maxLength: AUDIT_TEXT_MAX_LENGTH,
  description: describe(name),
});

/** Names of the record's fields, in the order the server writes them; all are required. */
export const AUDIT_RECORD_FIELD_NAMES: readonly string[] = Object.keys(AUDIT_RECORD_FIELDS);

/** The audit record as a JSON Schema (draft 2020-12). No other field is allowed. */
export const AUDIT_RECORD_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'urn:cdktf-mcp-access:audit-record:1',
  title: 'MCP audit record',
  type: 'object',
  additionalProperties: false,
  required: AUDIT_RECORD_FIELD_NAMES,
  properties: {
    time: { type: 'string', format: 'date-time', pattern: AUDIT_TIME_PATTERN, description: describe('time') },
    request_id: { type: 'string', pattern: AUDIT_REQUEST_ID_PATTERN, description: describe('request_id') },
    tenant_id: { type: 'string', pattern: TENANT_ID_PATTERN.source, description: describe('tenant_id') },
    actor_id: text('actor_id'),
    actor_type: { type: 'string', enum: [...AUDIT_ACTOR_TYPES], description: describe('actor_type') },
    tool: text('tool'),
    downstream: text('downstream'),
    outcome: { type: 'string', enum: [...AUDIT_OUTCOMES], description: describe('outcome') },
    reason: text('reason'),
  },
} as const;

const TIME = new RegExp(AUDIT_TIME_PATTERN);
const REQUEST_ID = new RegExp(AUDIT_REQUEST_ID_PATTERN);

/** Every way `record` breaks {@link AUDIT_RECORD_SCHEMA}, one message per problem; empty when it is valid. */
// By hand: the one installed schema engine (ajv, inside the MCP SDK) is no dependency of lib/core and joins its errors into one string; a test proves both agree.
export function auditRecordProblems(record: unknown): string[] {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) {
    return [`an audit record must be a JSON object, but ${describeJson(record)} was provided`];
  }
  const r = record as Record<string, unknown>;
  const problems: string[] = [];
  for (const name of AUDIT_RECORD_FIELD_NAMES) {
    if (!(name in r)) problems.push(`${name} is required`);
  }
  for (const name of Object.keys(r)) {
    if (!AUDIT_RECORD_FIELD_NAMES.includes(name)) problems.push(`${name} is not a field of the audit record`);
  }
  const check = (name: string, ok: (v: string) => boolean, rule: string): void => {
    if (!(name in r)) return;
    const v = r[name];
    if (typeof v !== 'string') problems.push(`${name} must be a string, but ${describeJson(v)} was provided`);
    else if (!ok(v)) problems.push(`${name} must be ${rule}, but ${JSON.stringify(v)} was provided`);
  };
  check('time', (v) => TIME.test(v) && isCalendarTime(v), 'RFC 3339 in UTC with milliseconds');
  check('request_id', (v) => REQUEST_ID.test(v), 'a UUID or a ULID');
  check('tenant_id', (v) => TENANT_ID_PATTERN.test(v), 'a tenant id');
  check('actor_type', (v) => (AUDIT_ACTOR_TYPES as readonly string[]).includes(v), AUDIT_ACTOR_TYPES.join(' or '));
  check('outcome', (v) => (AUDIT_OUTCOMES as readonly string[]).includes(v), `one of ${AUDIT_OUTCOMES.join(', ')}`);
  for (const name of ['actor_id', 'tool', 'downstream', 'reason']) {
    check(name, (v) => v.length >= 1 && v.length <= AUDIT_TEXT_MAX_LENGTH, `1 to ${AUDIT_TEXT_MAX_LENGTH} characters`);
  }
  return problems;
}

/** True when the time names a real instant (not 2025-02-30). */
function isCalendarTime(value: string): boolean {
  const ms = Date.parse(value);
  return !Number.isNaN(ms) && new Date(ms).toISOString() === value;
}

function describeJson(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}
