import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { auditRecordProblems } from '../../lib/core/audit-record';
import { AuditLog, auditRecord, type AuditFacts } from '../../examples/mcp-server/src/audit-log';

const facts = (n: number, over: Partial<AuditFacts> = {}): AuditFacts => ({
  requestId: `3f1c6a52-5d0e-4f2a-9b8e-${String(n).padStart(12, '0')}`,
  tenantId: 'acme',
  actorId: '00u1a2b3c4',
  actorType: 'human',
  tool: 'whoami',
  downstream: 'none',
  outcome: 'allowed',
  reason: 'scope mcp:acme:use',
  ...over,
});

describe('the audit file', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-audit-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('appends one JSON line per record to a file readable by the shipper (0644, whatever the umask)', () => {
    const file = path.join(dir, 'audit.jsonl');
    const previous = process.umask(0o077);
    const log = new AuditLog(file);
    try {
      log.open();
    } finally {
      process.umask(previous);
    }
    log.write(auditRecord(facts(1)));
    log.write(auditRecord(facts(2, { outcome: 'denied', reason: 'tool server_status needs scope mcp:acme:admin' })));
    log.close();
    expect(fs.statSync(file).mode & 0o777).toBe(0o644);
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('');
    for (const line of lines.slice(0, 2)) expect(auditRecordProblems(JSON.parse(line))).toEqual([]);
  });

  test('appends to an existing file and keeps its mode', () => {
    const file = path.join(dir, 'audit.jsonl');
    fs.writeFileSync(file, '{"earlier":true}\n', { mode: 0o640 });
    const log = new AuditLog(file);
    log.write(auditRecord(facts(1)));
    log.close();
    expect(fs.statSync(file).mode & 0o777).toBe(0o640);
    expect(fs.readFileSync(file, 'utf8').split('\n')[0]).toBe('{"earlier":true}');
  });

  test('rotates before the file would pass the limit: renamed to .1, one old file kept, no record lost or split', () => {
    const file = path.join(dir, 'audit.jsonl');
    const lineLength = JSON.stringify(auditRecord(facts(1))).length + 1;
    const log = new AuditLog(file, lineLength * 3);
    for (let n = 1; n <= 8; n++) log.write(auditRecord(facts(n)));
    log.close();
    const read = (f: string) =>
      fs
        .readFileSync(f, 'utf8')
        .split('\n')
        .filter((l) => l !== '');
    const ids = (f: string) => read(f).map((l) => (JSON.parse(l) as { request_id: string }).request_id.slice(-1));
    expect(fs.readdirSync(dir).sort()).toEqual(['audit.jsonl', 'audit.jsonl.1']);
    // 1-3, then 4-6 (rotated to .1, replacing 1-3), then 7-8 in the current file.
    expect(ids(`${file}.1`)).toEqual(['4', '5', '6']);
    expect(ids(file)).toEqual(['7', '8']);
    for (const f of [file, `${file}.1`]) expect(fs.statSync(f).size).toBeLessThanOrEqual(lineLength * 3);
  });

  test('the default rotation size is 8 MiB', () => {
    const log = new AuditLog(path.join(dir, 'a.jsonl'));
    expect((log as unknown as { rotateBytes: number }).rotateBytes).toBe(8 * 1024 * 1024);
  });

  test('a file that cannot be opened fails the open (the server then refuses to start)', () => {
    expect(() => new AuditLog(path.join(dir, 'missing', 'audit.jsonl')).open()).toThrow(/ENOENT/);
  });

  test('free text stays on one bounded line', () => {
    const record = auditRecord(facts(1, { reason: `line one\nline two\t${'x'.repeat(2000)}`, actorId: '' }));
    expect(record.reason.startsWith('line one line two ')).toBe(true);
    expect(record.reason).toHaveLength(1024);
    expect(record.reason.endsWith('...')).toBe(true);
    expect(record.actor_id).toBe('-');
    expect(auditRecordProblems(record)).toEqual([]);
  });
});
