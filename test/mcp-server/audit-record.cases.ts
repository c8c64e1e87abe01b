import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv-provider.js';
import { AUDIT_OUTCOMES, AUDIT_RECORD_FIELDS, auditRecordsLua, SHIPPER_FIELDS } from '../../lib/core/audit-defaults';
import {
  AUDIT_ACTOR_TYPES,
  AUDIT_RECORD_FIELD_NAMES,
  AUDIT_RECORD_SCHEMA,
  auditRecordProblems,
} from '../../lib/core/audit-record';
import { auditRecord } from '../../examples/mcp-server/src/audit-log';

const VALID = {
  time: '2026-12-02T09:14:07.412Z',
  request_id: '3f1c6a52-5d0e-4f2a-9b8e-2f8a1c4d7e90',
  tenant_id: 'acme',
  actor_id: '00u1a2b3c4d5e6f7g8h9',
  actor_type: 'human',
  tool: 'describe_secret',
  downstream: 'vault',
  outcome: 'cross_tenant_denied',
  reason: 'argument path names tenant globex',
};

describe('the audit record schema', () => {
  test('lists every documented field, plus actor_type, all required, and nothing else', () => {
    expect(new Set(AUDIT_RECORD_FIELD_NAMES)).toEqual(new Set([...Object.keys(AUDIT_RECORD_FIELDS), 'actor_type']));
    expect(AUDIT_RECORD_FIELD_NAMES).toHaveLength(new Set(AUDIT_RECORD_FIELD_NAMES).size);
    expect(AUDIT_RECORD_SCHEMA.required).toEqual(AUDIT_RECORD_FIELD_NAMES);
    expect(Object.keys(AUDIT_RECORD_SCHEMA.properties).sort()).toEqual([...AUDIT_RECORD_FIELD_NAMES].sort());
    expect(AUDIT_RECORD_SCHEMA.additionalProperties).toBe(false);
    expect(AUDIT_RECORD_SCHEMA.properties.outcome.enum).toEqual([...AUDIT_OUTCOMES]);
    expect(AUDIT_RECORD_SCHEMA.properties.actor_type.enum).toEqual(['human', 'service']);
    expect(AUDIT_ACTOR_TYPES).toEqual(['human', 'service']);
  });

  test('a valid record has no problems', () => {
    expect(auditRecordProblems(VALID)).toEqual([]);
    expect(auditRecordProblems({ ...VALID, request_id: '01JX3K8Q4W6M2R5T7V9Y1B3D5F', actor_type: 'service' })).toEqual(
      [],
    );
  });

  test('each problem is named, with the rule and the value received', () => {
    expect(auditRecordProblems('a line')).toEqual([
      'an audit record must be a JSON object, but string "a line" was provided',
    ]);
    expect(auditRecordProblems([])).toEqual(['an audit record must be a JSON object, but a list was provided']);
    const withoutActorType: Record<string, unknown> = { ...VALID, extra: 1 };
    delete withoutActorType.actor_type;
    expect(auditRecordProblems(withoutActorType)).toEqual([
      'actor_type is required',
      'extra is not a field of the audit record',
    ]);
    expect(
      auditRecordProblems({
        ...VALID,
        time: '2026-02-30T09:14:07.412Z',
        request_id: '42',
        tenant_id: 'Acme',
        actor_type: 'robot',
        outcome: 'malformed',
        reason: '',
        tool: 7,
      }),
    ).toEqual([
      'time must be RFC 3339 in UTC with milliseconds, but "2026-02-30T09:14:07.412Z" was provided',
      'request_id must be a UUID or a ULID, but "42" was provided',
      'tenant_id must be a tenant id, but "Acme" was provided',
      'actor_type must be human or service, but "robot" was provided',
      'outcome must be one of allowed, denied, cross_tenant_denied, error, but "malformed" was provided',
      'tool must be a string, but number 7 was provided',
      'reason must be 1 to 1024 characters, but "" was provided',
    ]);
    expect(auditRecordProblems({ ...VALID, time: '2026-12-02T09:14:07Z' })).toEqual([
      'time must be RFC 3339 in UTC with milliseconds, but "2026-12-02T09:14:07Z" was provided',
    ]);
  });

  test('the hand-written validator and a JSON Schema engine (ajv, from the MCP SDK) agree', () => {
    const validate = new AjvJsonSchemaValidator().getValidator(
      AUDIT_RECORD_SCHEMA as unknown as Parameters<AjvJsonSchemaValidator['getValidator']>[0],
    );
    const cases: unknown[] = [
      VALID,
      { ...VALID, actor_type: 'service', outcome: 'allowed' },
      { ...VALID, outcome: 'malformed' },
      { ...VALID, actor_type: 'robot' },
      { ...VALID, time: '2026-12-02 09:14:07.412Z' },
      { ...VALID, time: '2026-12-02T09:14:07.412+01:00' },
      { ...VALID, request_id: 'not-an-id' },
      { ...VALID, tenant_id: 'a' },
      { ...VALID, reason: 'x'.repeat(1025) },
      { ...VALID, reason: 'x'.repeat(1024) },
      { ...VALID, downstream: '' },
      { ...VALID, cross_tenant: true },
      Object.fromEntries(Object.entries(VALID).filter(([k]) => k !== 'tool')),
      null,
      'text',
    ];
    for (const record of cases) {
      expect([JSON.stringify(record), validate(record).valid]).toEqual([
        JSON.stringify(record),
        auditRecordProblems(record).length === 0,
      ]);
    }
  });
});

describe('both sides of the schema', () => {
  test("the server's records are valid records", () => {
    const record = auditRecord({
      requestId: '3f1c6a52-5d0e-4f2a-9b8e-2f8a1c4d7e90',
      tenantId: 'acme',
      actorId: 'svc-acme',
      actorType: 'service',
      tool: 'whoami',
      downstream: 'none',
      outcome: 'allowed',
      reason: 'scope mcp:acme:use',
    });
    expect(Object.keys(record).sort()).toEqual([...AUDIT_RECORD_FIELD_NAMES].sort());
    expect(auditRecordProblems(record)).toEqual([]);
  });

  test("the shipper's program reads only fields of the schema and flags the schema's cross-tenant outcome", () => {
    const program = auditRecordsLua('acme');
    const fields = [...program.matchAll(/\bout\.([a-z_]+)/g)].map((m) => m[1]);
    // The shipper adds its own fields (SHIPPER_FIELDS), and `raw` on a line that is not a JSON object.
    for (const field of fields) {
      expect([...AUDIT_RECORD_FIELD_NAMES, ...Object.keys(SHIPPER_FIELDS), 'raw']).toContain(field);
    }
    expect(fields).toEqual(expect.arrayContaining(['tenant_id', 'outcome']));
    expect(program).toContain('out.outcome == "cross_tenant_denied"');
    expect(AUDIT_RECORD_SCHEMA.properties.outcome.enum).toContain('cross_tenant_denied');
    // A line the shipper cannot parse becomes `malformed`, an outcome no valid record has.
    expect(program).toContain('"malformed"');
    expect(AUDIT_RECORD_SCHEMA.properties.outcome.enum).not.toContain('malformed');
    // The shipper's fields never collide with the server's.
    for (const field of Object.keys(SHIPPER_FIELDS)) expect(AUDIT_RECORD_FIELD_NAMES).not.toContain(field);
  });
});
