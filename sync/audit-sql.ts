/**
 * The audit log's SQL: the table and its local anchor (`audit`, `audit_head`, created by migration
 * 002), the triggers that keep them append-only, and every statement the log runs.
 *
 * - `audit_head` is advanced by a trigger on every insert, never moved back, never deleted;
 *   with `sqlite_sequence` it anchors the end of the log locally.
 * - The triggers refuse UPDATE and DELETE on `audit` and an insert that does not continue the
 *   chain; verification reports them missing or changed, so dropping them to edit is visible.
 */
import type { Database, Statement } from 'better-sqlite3';
import type { AuditHead } from './audit-chain.ts';

/**
 * The triggers the log expects, by name. A change to them needs a new migration that installs
 * the new ones (a migration keeps its own frozen copy of what it installs).
 */
export const AUDIT_TRIGGERS: Readonly<Record<string, string>> = {
  audit_no_update: `CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
    BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END`,
  audit_no_delete: `CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
    BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END`,
  audit_chain_link: `CREATE TRIGGER audit_chain_link BEFORE INSERT ON audit
    WHEN NEW.seq IS NOT (SELECT seq + 1 FROM audit_head WHERE id = 1)
      OR NEW.prev_hash IS NOT (SELECT hash FROM audit_head WHERE id = 1)
    BEGIN SELECT RAISE(ABORT, 'an audit entry must continue the chain'); END`,
  audit_head_advance: `CREATE TRIGGER audit_head_advance AFTER INSERT ON audit
    BEGIN UPDATE audit_head SET seq = NEW.seq, hash = NEW.hash, at = NEW.at WHERE id = 1; END`,
  audit_head_no_delete: `CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head
    BEGIN SELECT RAISE(ABORT, 'the audit anchor cannot be removed'); END`,
  audit_head_forward_only: `CREATE TRIGGER audit_head_forward_only BEFORE UPDATE ON audit_head
    WHEN NEW.id IS NOT OLD.id OR NEW.seq <= OLD.seq
      OR NEW.hash IS NOT (SELECT hash FROM audit WHERE seq = NEW.seq)
    BEGIN SELECT RAISE(ABORT, 'the audit anchor only moves forward to an existing entry'); END`,
};

/** One row of the `audit` table as stored. */
export interface AuditRow {
  seq: number;
  at: number;
  event: string;
  submission_id: string | null;
  state: string | null;
  detail: string;
  prev_hash: string;
  hash: string;
}

export interface AuditFilter {
  readonly submissionId?: string;
  readonly fromSeq?: number;
  readonly limit?: number;
}

const SELECT_ALL = 'SELECT * FROM audit ORDER BY seq';

/** The audit tables of one database. Statements are prepared on first use. */
export class AuditTable {
  readonly #db: Database;
  #head: Statement<[], { seq: number; hash: string }> | undefined;
  #insert:
    | Statement<[number, number, string, string | null, string | null, string, string, string]>
    | undefined;

  constructor(db: Database) {
    this.#db = db;
  }

  /** The local anchor (seq 0 and the genesis hash while the log is empty), undefined if it is gone. */
  anchor(): AuditHead | undefined {
    this.#head ??= this.#db.prepare('SELECT seq, hash FROM audit_head WHERE id = 1');
    return this.#head.get();
  }

  insert(r: AuditRow): void {
    this.#insert ??= this.#db.prepare(
      `INSERT INTO audit (seq, at, event, submission_id, state, detail, prev_hash, hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.#insert.run(r.seq, r.at, r.event, r.submission_id, r.state, r.detail, r.prev_hash, r.hash);
  }

  /** Runs `write` in the caller's transaction, or in an immediate one of its own. */
  write<T>(write: () => T): T {
    return this.#db.inTransaction ? write() : this.#db.transaction(write).immediate();
  }

  /** Runs `read` on one consistent snapshot. */
  snapshot<T>(read: () => T): T {
    return this.#db.transaction(read)();
  }

  select(filter: AuditFilter = {}): AuditRow[] {
    const where: string[] = [];
    const params: (string | number)[] = [];
    if (filter.submissionId !== undefined) {
      where.push('submission_id = ?');
      params.push(filter.submissionId);
    }
    if (filter.fromSeq !== undefined) {
      where.push('seq >= ?');
      params.push(filter.fromSeq);
    }
    const sql = `SELECT * FROM audit ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq${
      filter.limit === undefined ? '' : ` LIMIT ${Math.max(0, Math.floor(filter.limit))}`
    }`;
    return this.#db.prepare(sql).all(...params) as AuditRow[];
  }

  /** Every row, oldest first, streamed. */
  rows(): IterableIterator<AuditRow> {
    return this.#db.prepare(SELECT_ALL).iterate() as IterableIterator<AuditRow>;
  }

  tableNames(): Set<string> {
    const rows = this.#db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as {
      name: string;
    }[];
    return new Set(rows.map((t) => t.name));
  }

  /** The triggers in the database, name to SQL text. */
  triggers(): Map<string, string> {
    const rows = this.#db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").all() as {
      name: string;
      sql: string | null;
    }[];
    return new Map(rows.map((t) => [t.name, t.sql ?? '']));
  }

  /** The highest seq SQLite ever handed out for `audit` (0 when none). */
  sequence(): number {
    const row = this.#db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'audit'").get() as
      | { seq: number }
      | undefined;
    return row?.seq ?? 0;
  }
}

/** Whether a queue database has the chained log (migration 002 applied). */
export function hasChainedLog(db: Database): boolean {
  const hasMigrations = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")
    .get();
  return (
    hasMigrations !== undefined &&
    db.prepare('SELECT 1 FROM schema_migrations WHERE version = 2').get() !== undefined
  );
}
