/**
 * The shipper's Lua scripts, run in LuaJIT 2.1 (the Lua Fluent Bit embeds), exactly as the config
 * map holds them. What this cannot test offline: Fluent Bit itself (the tail input, the parser, the
 * msgpack <-> Lua conversion, `flb_null`, the s3 output); the harness below stands in for those with
 * the documented call convention (docs.fluentbit.io, filters/lua: `function(tag, timestamp, record)`
 * returning `code, timestamp, record`; -1 drops, 0 keeps, 1 and 2 replace) and a null sentinel.
 * Needs `luajit` on PATH (Debian: `apt-get install luajit`).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { auditRecordsLua, crossTenantOnlyLua, deliveryWatchdogLua } from '../../lib/core/audit-defaults';

/** A minimal JSON encoder for the harness's output (LuaJIT has none). */
const ENCODER = `
flb_null = setmetatable({}, { __tostring = function() return "null" end })
local function encode(v)
  if v == flb_null then return "null" end
  local t = type(v)
  if t == "string" then return string.format("%q", v):gsub("\\\\\\n", "\\\\n") end
  if t == "number" then return string.format("%.17g", v) end
  if t == "boolean" then return tostring(v) end
  if t == "nil" then return "null" end
  local keys = {}
  for k in pairs(v) do keys[#keys + 1] = k end
  table.sort(keys)
  local parts = {}
  for _, k in ipairs(keys) do parts[#parts + 1] = string.format("%q", k) .. ":" .. encode(v[k]) end
  return "{" .. table.concat(parts, ",") .. "}"
end
function emit(code, ts, record) print("[" .. code .. "," .. encode(ts) .. "," .. encode(record) .. "]") end
`;

/** Runs `calls` (Lua statements calling `emit(fn(...))`) after `script`, and returns each emitted [code, ts, record]. */
function runLua(script: string, calls: string): [number, number, Record<string, unknown>][] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-lua-'));
  try {
    const file = path.join(dir, 'run.lua');
    fs.writeFileSync(file, `${ENCODER}\n${script}\n${calls}\n`);
    const out = execFileSync('luajit', [file], { encoding: 'utf8' });
    return out
      .trim()
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as [number, number, Record<string, unknown>]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const T = 1748769247.412; // 2025-06-01T09:14:07.412Z

describe('the record script (filter audit_records)', () => {
  const records = (calls: string) => runLua(auditRecordsLua('acme'), calls);

  test('a record of its own tenant is kept, stamped with the read time and cross_tenant false', () => {
    expect(
      records(
        `emit(mcp_audit_record("audit.records", ${T}, { tenant_id = "acme", outcome = "allowed", tool = "whoami" }))`,
      ),
    ).toEqual([
      [
        2,
        T,
        {
          tenant_id: 'acme',
          outcome: 'allowed',
          tool: 'whoami',
          timestamp: '2025-06-01T09:14:07.412Z',
          cross_tenant: false,
        },
      ],
    ]);
  });

  test('a cross_tenant_denied outcome of its own tenant is flagged', () => {
    const [[, , r]] = records(
      `emit(mcp_audit_record("audit.records", ${T}, { tenant_id = "acme", outcome = "cross_tenant_denied" }))`,
    );
    expect(r).toMatchObject({ tenant_id: 'acme', cross_tenant: true });
    expect(r.claimed_tenant_id).toBeUndefined();
  });

  test('a record that claims another tenant keeps the claim, gets its own tenant and is flagged', () => {
    const [[code, , r]] = records(
      `emit(mcp_audit_record("audit.records", ${T}, { tenant_id = "globex", outcome = "allowed" }))`,
    );
    expect(code).toBe(2);
    expect(r).toMatchObject({ tenant_id: 'acme', claimed_tenant_id: 'globex', cross_tenant: true });
  });

  test('a record that names no tenant (missing or null) keeps claimed_tenant_id null and is flagged', () => {
    const out = records(
      [
        `emit(mcp_audit_record("audit.records", ${T}, { outcome = "allowed" }))`,
        `emit(mcp_audit_record("audit.records", ${T}, { tenant_id = flb_null, outcome = "allowed" }))`,
      ].join('\n'),
    );
    expect(out).toHaveLength(2);
    for (const [, , r] of out)
      expect(r).toMatchObject({ tenant_id: 'acme', claimed_tenant_id: null, cross_tenant: true });
  });

  test('a line that is not a JSON object is kept as a malformed record with the raw line, never dropped', () => {
    expect(records(`emit(mcp_audit_record("audit.records", ${T}, { mcp_audit_raw_line = "not json {" }))`)).toEqual([
      [
        2,
        T,
        {
          tenant_id: 'acme',
          outcome: 'malformed',
          reason: 'the line is not a JSON object',
          raw: 'not json {',
          timestamp: '2025-06-01T09:14:07.412Z',
          cross_tenant: false,
        },
      ],
    ]);
  });

  test('a JSON object that happens to have only the raw key besides others is not mistaken for a raw line', () => {
    const [[, , r]] = records(
      `emit(mcp_audit_record("audit.records", ${T}, { mcp_audit_raw_line = "x", tenant_id = "acme" }))`,
    );
    expect(r.outcome).toBeUndefined();
    expect(r.raw).toBeUndefined();
  });

  test('milliseconds round, carrying into the next second at .9996', () => {
    const [[, , r]] = records(`emit(mcp_audit_record("audit.records", 1748769247.9996, { tenant_id = "acme" }))`);
    expect(r.timestamp).toBe('2025-06-01T09:14:08.000Z');
  });

  test('it never returns -1 (drop) for any input', () => {
    expect(auditRecordsLua('acme')).not.toMatch(/return -1/);
  });
});

describe('the cross-tenant processor (output cross_tenant_alert)', () => {
  test('keeps cross-tenant records and drops the rest (for the webhook only)', () => {
    const out = runLua(
      crossTenantOnlyLua(),
      [
        'emit(mcp_cross_tenant_only("audit.records", 1, { cross_tenant = true }))',
        'emit(mcp_cross_tenant_only("audit.records", 2, { cross_tenant = false }))',
        'emit(mcp_cross_tenant_only("audit.records", 3, { }))',
      ].join('\n'),
    );
    expect(out.map(([code]) => code)).toEqual([0, -1, -1]);
  });
});

describe('the delivery watchdog (filter delivery_watchdog)', () => {
  const fail = '[error] [output:s3:audit_bucket] PutObject request failed';
  const ok = '[ info] [output:s3:audit_bucket] Successfully uploaded object /tenant=acme/date=2025-06-01/x.jsonl.gz';
  const log = (ts: number, message: string) =>
    `emit(mcp_delivery_watchdog("shipper.health", ${ts}, { level = "error", message = ${JSON.stringify(message)} }))`;
  const tick = (ts: number) => `emit(mcp_delivery_watchdog("shipper.health", ${ts}, { tick = true }))`;
  const record = (ts: number) => `emit(mcp_delivery_watchdog("audit.records", ${ts}, { tenant_id = "acme" }))`;
  const watch = (...calls: string[]) => runLua(deliveryWatchdogLua('acme'), calls.join('\n'));

  test('audit records pass unchanged (code 0); log lines and ticks are consumed (code -1)', () => {
    expect(watch(record(1000), tick(1010), log(1020, ok)).map(([code]) => code)).toEqual([0, -1, -1]);
  });

  test('failures for 299 s raise nothing; at 300 s one delivery alert with the last error', () => {
    const out = watch(log(1000, fail), tick(1299), tick(1300), tick(1315));
    expect(out.map(([code]) => code)).toEqual([-1, -1, 2, -1]);
    expect(out[2][2]).toEqual({
      alert: 'audit_delivery_failure',
      tenant_id: 'acme',
      time: '1970-01-01T00:21:40.000Z',
      since: '1970-01-01T00:16:40.000Z',
      seconds: 300,
      detail: fail,
    });
  });

  test('records waiting 360 s without any upload raise the alert even when nothing logs a failure', () => {
    const out = watch(record(1000), tick(1359), tick(1360));
    expect(out.map(([code]) => code)).toEqual([0, -1, 2]);
    expect(out[2][2]).toMatchObject({
      alert: 'audit_delivery_failure',
      seconds: 360,
      detail: 'no successful upload since 1970-01-01T00:16:40.000Z',
    });
  });

  test('a successful upload within the window resets it: no alert', () => {
    expect(watch(log(1000, fail), log(1200, ok), tick(1400), tick(1499)).map(([code]) => code)).toEqual([
      -1, -1, -1, -1,
    ]);
  });

  test('the alert repeats after an hour of failure, then recovery is announced once', () => {
    const out = watch(log(1000, fail), tick(1300), tick(4899), tick(4900), log(5000, ok), log(5100, ok));
    expect(out.map(([code]) => code)).toEqual([-1, 2, -1, 2, 2, -1]);
    expect(out[4][2]).toMatchObject({ alert: 'audit_delivery_recovered', since: '1970-01-01T00:16:40.000Z' });
  });

  test('a full buffer counts as a failure', () => {
    const out = watch(
      log(1000, '[ warn] [output:s3:audit_bucket] Could not buffer chunk. Data order preservation will be compromised'),
      tick(1300),
    );
    expect(out.map(([code]) => code)).toEqual([-1, 2]);
  });
});
