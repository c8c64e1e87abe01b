/**
 * The audit file: one JSON record per line, appended (O_APPEND) to `MCP_AUDIT_LOG_PATH`, rotated to
 * `<path>.1` before it would grow past 8 MiB (one old file kept; the shipper reads `audit.jsonl*`,
 * so a rename loses nothing), created with mode 0644 so the shipper (another container) can read it.
 */
import * as fs from 'node:fs';
import {
  AUDIT_TEXT_MAX_LENGTH,
  type AuditActorType,
  type AuditOutcome,
  type AuditRecord,
} from '../../../lib/core/audit-record';

/** Rotation size: the volume is 32 MiB of memory, shared with the rotated file and the shipper's reads. */
export const AUDIT_ROTATE_BYTES = 8 * 1024 * 1024;
/** Mode of a new audit file: readable by the shipper, writable by the server only. */
export const AUDIT_FILE_MODE = 0o644;

/** Where audit records go. */
export interface AuditSink {
  /** Appends one record; throws when it cannot (the caller then refuses the call: fail closed). */
  write(record: AuditRecord): void;
}

/** Appends records to a file, rotating it by size. Writes are synchronous, so records never interleave. */
export class AuditLog implements AuditSink {
  private fd: number | undefined;
  private size = 0;

  constructor(
    readonly path: string,
    private readonly rotateBytes: number = AUDIT_ROTATE_BYTES,
  ) {}

  /** Opens (or creates) the file; throws when it cannot, so that a server without an audit trail never starts. */
  open(): void {
    if (this.fd !== undefined) return;
    const { O_WRONLY, O_APPEND, O_CREAT, O_EXCL } = fs.constants;
    let fd: number;
    try {
      fd = fs.openSync(this.path, O_WRONLY | O_APPEND | O_CREAT | O_EXCL, AUDIT_FILE_MODE);
      // The umask may have narrowed the mode of the file just created; an existing file keeps its mode.
      fs.fchmodSync(fd, AUDIT_FILE_MODE);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      fd = fs.openSync(this.path, O_WRONLY | O_APPEND);
    }
    this.fd = fd;
    this.size = fs.fstatSync(fd).size;
  }

  write(record: AuditRecord): void {
    const line = Buffer.from(`${JSON.stringify(record)}\n`, 'utf8');
    this.open();
    if (this.size > 0 && this.size + line.length > this.rotateBytes) this.rotate();
    fs.writeSync(this.fd!, line);
    this.size += line.length;
  }

  /** Bytes in the current file. */
  get bytes(): number {
    return this.size;
  }

  close(): void {
    if (this.fd === undefined) return;
    fs.closeSync(this.fd);
    this.fd = undefined;
  }

  private rotate(): void {
    this.close();
    fs.renameSync(this.path, `${this.path}.1`);
    this.open();
  }
}

/** The facts of one decision, from which {@link auditRecord} builds the record. */
export interface AuditFacts {
  readonly requestId: string;
  readonly tenantId: string;
  readonly actorId: string;
  readonly actorType: AuditActorType;
  readonly tool: string;
  readonly downstream: string;
  readonly outcome: AuditOutcome;
  readonly reason: string;
}

/** A record in the documented schema: fields in the documented order, free text on one bounded line. */
export function auditRecord(facts: AuditFacts, now: Date = new Date()): AuditRecord {
  return {
    time: now.toISOString(),
    request_id: facts.requestId,
    tenant_id: facts.tenantId,
    actor_id: oneLine(facts.actorId),
    actor_type: facts.actorType,
    tool: oneLine(facts.tool),
    downstream: oneLine(facts.downstream),
    outcome: facts.outcome,
    reason: oneLine(facts.reason),
  };
}

function oneLine(text: string): string {
  const flat = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  const bounded = flat.length > AUDIT_TEXT_MAX_LENGTH ? `${flat.slice(0, AUDIT_TEXT_MAX_LENGTH - 3)}...` : flat;
  return bounded === '' ? '-' : bounded;
}
