/**
 * The terminal's audit log: append-only, hash-chained, no personal data. One entry per staff or
 * administrator action and per queue event, in the queue's database.
 *
 * The parts, one job each:
 * - audit-chain.ts: how an entry is hashed and chained (format v1), and why a plain hash;
 * - audit-detail.ts: what may go in (the shape rule that keeps personal data out);
 * - audit-sql.ts: the tables, the triggers that keep them append-only, the statements;
 * - audit-verify.ts: recomputing the chain against the local and the recorded anchors;
 * - audit-export.ts: the JSON lines export and the parser that verifies one on its own.
 *
 * `head()` is what the heartbeat sends to the portal; `verify({ anchors })` checks the heads the
 * portal recorded.
 */
import { existsSync } from 'node:fs';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { err, ok, type Result } from '../common/result.ts';
import { type AuditHead, entryHash } from './audit-chain.ts';
import { type AuditDetail, auditDetailText, checkAuditLabels } from './audit-detail.ts';
import { exportLine } from './audit-export.ts';
import { type AuditFilter, type AuditRow, AuditTable, hasChainedLog } from './audit-sql.ts';
import { type AuditVerification, type VerifyOptions, verifyTable } from './audit-verify.ts';

export interface AuditEntry {
  readonly seq: number;
  /** Wall clock, epoch milliseconds. */
  readonly at: number;
  readonly event: string;
  readonly submissionId: string | null;
  readonly state: string | null;
  readonly detail: AuditDetail;
  readonly prevHash: string;
  readonly hash: string;
}

export interface AppendOptions {
  readonly submissionId?: string | null;
  readonly state?: string | null;
}

export interface AuditLogOptions {
  /** Wall clock in epoch milliseconds. */
  readonly now?: () => number;
}

function toEntry(r: AuditRow): AuditEntry {
  return {
    seq: r.seq,
    at: r.at,
    event: r.event,
    submissionId: r.submission_id,
    state: r.state,
    detail: JSON.parse(r.detail) as AuditDetail,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

export class AuditLog {
  readonly #table: AuditTable;
  readonly #now: () => number;

  constructor(db: Database, options: AuditLogOptions = {}) {
    this.#table = new AuditTable(db);
    this.#now = options.now ?? Date.now;
  }

  /**
   * Appends one entry. Inside a caller's transaction it becomes part of it (the outbox writes
   * submission, outbox entry and audit entry in one); otherwise it commits on its own.
   * Throws `AuditInputError` for fields outside the rule (audit-detail.ts).
   */
  append(event: string, fields: AuditDetail = {}, options: AppendOptions = {}): AuditEntry {
    const submissionId = options.submissionId ?? null;
    const state = options.state ?? null;
    checkAuditLabels(event, submissionId, state);
    const detail = auditDetailText(fields);
    return this.#table.write(() => {
      const head = this.#table.anchor();
      if (head === undefined) throw new Error('the audit anchor is missing; the log was tampered with');
      const seq = head.seq + 1;
      const at = Math.floor(this.#now());
      const hash = entryHash({ seq, at, event, submissionId, state, detail, prevHash: head.hash });
      const row = { seq, at, event, submission_id: submissionId, state, detail, prev_hash: head.hash, hash };
      this.#table.insert(row);
      return toEntry(row);
    });
  }

  /** The newest entry (as the local anchor records it), or null while the log is empty. */
  head(): AuditHead | null {
    const row = this.#table.anchor();
    return row === undefined || row.seq === 0 ? null : { seq: row.seq, hash: row.hash };
  }

  /** Entries in order, optionally those of one submission or from a seq on. */
  entries(filter: AuditFilter = {}): AuditEntry[] {
    return this.#table.select(filter).map(toEntry);
  }

  /** The whole log as JSON lines (no trailing newline per item), oldest first, streamed. */
  *exportLines(): Generator<string> {
    for (const r of this.#table.rows()) yield exportLine(r);
  }

  /** The whole log as JSON lines, for the administrators' log export. */
  export(): string {
    let out = '';
    for (const line of this.exportLines()) out += `${line}\n`;
    return out;
  }

  /** Checks the chain and its anchors (audit-verify.ts). Never throws. */
  verify(options: VerifyOptions = {}): AuditVerification {
    return verifyTable(this.#table, options);
  }
}

export type AuditOpenErrorCode = 'audit.no_store' | 'audit.open_failed' | 'audit.not_chained';

export interface ReadOnlyAuditLog {
  readonly log: AuditLog;
  close(): void;
}

/**
 * Opens the audit log of a queue database read-only (for `kiosk audit`): evidence is not
 * migrated, repaired or moved aside, and nothing can be written through this handle.
 */
export function openAuditLogReadOnly(path: string): Result<ReadOnlyAuditLog, AuditOpenErrorCode> {
  if (!existsSync(path)) return err('audit.no_store', `no queue database at ${path}`);
  let db: Database;
  try {
    db = new BetterSqlite3(path, { readonly: true, fileMustExist: true });
    db.pragma('busy_timeout = 5000');
  } catch (e) {
    return err('audit.open_failed', `the queue database cannot be opened: ${(e as Error).message}`);
  }
  try {
    if (!hasChainedLog(db)) {
      db.close();
      return err(
        'audit.not_chained',
        'the queue database predates the chained audit log; start the kiosk once to migrate it',
      );
    }
  } catch (e) {
    db.close();
    return err('audit.open_failed', `the queue database cannot be read: ${(e as Error).message}`);
  }
  return ok({ log: new AuditLog(db), close: () => db.close() });
}
