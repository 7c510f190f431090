import { canonicalJson, entryHash, GENESIS_HASH } from '../audit-chain.ts';
import { AUDIT_TRIGGERS } from '../audit-sql.ts';
import type { Migration } from './types.ts';

interface OldRow {
  seq: number;
  at: number;
  event: string;
  submission_id: string | null;
  state: string | null;
  detail: string;
}

/** Old detail text in canonical form; text that is not JSON is kept as it is. */
function canonicalDetail(text: string): string {
  try {
    return canonicalJson(JSON.parse(text));
  } catch {
    return text;
  }
}

/**
 * The audit log becomes append-only and hash-chained (sync/audit.ts): the table is rebuilt with
 * `prev_hash` and `hash`, the entries written before this step are chained in order of seq (their
 * seq numbers kept), the local anchor `audit_head` records the last one, and triggers refuse
 * UPDATE and DELETE and any insert that does not continue the chain.
 */
export const migration: Migration = {
  version: 2,
  name: 'audit-chain',
  up(db) {
    db.exec(`
      CREATE TABLE audit_chained (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        at INTEGER NOT NULL,
        event TEXT NOT NULL,
        submission_id TEXT,
        state TEXT,
        detail TEXT NOT NULL DEFAULT '{}',
        prev_hash TEXT NOT NULL CHECK (length(prev_hash) = 64),
        hash TEXT NOT NULL CHECK (length(hash) = 64)
      ) STRICT;
    `);
    const insert = db.prepare(
      `INSERT INTO audit_chained (seq, at, event, submission_id, state, detail, prev_hash, hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const page = db.prepare('SELECT * FROM audit WHERE seq > ? ORDER BY seq LIMIT 1000');
    let head = { seq: 0, hash: GENESIS_HASH, at: null as number | null };
    // In pages: better-sqlite3 cannot insert while a statement is still iterating.
    for (let rows = page.all(0) as OldRow[]; rows.length > 0; rows = page.all(head.seq) as OldRow[]) {
      for (const r of rows) {
        const detail = canonicalDetail(r.detail);
        const fields = {
          seq: r.seq,
          at: r.at,
          event: r.event,
          submissionId: r.submission_id,
          state: r.state,
          detail,
          prevHash: head.hash,
        };
        const hash = entryHash(fields);
        insert.run(r.seq, r.at, r.event, r.submission_id, r.state, detail, head.hash, hash);
        head = { seq: r.seq, hash, at: r.at };
      }
    }
    db.exec(`
      DROP TABLE audit;
      ALTER TABLE audit_chained RENAME TO audit;
      CREATE INDEX audit_submission ON audit(submission_id);
      CREATE TABLE audit_head (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        seq INTEGER NOT NULL,
        hash TEXT NOT NULL CHECK (length(hash) = 64),
        at INTEGER
      ) STRICT;
    `);
    db.prepare('INSERT INTO audit_head (id, seq, hash, at) VALUES (1, ?, ?, ?)').run(
      head.seq,
      head.hash,
      head.at,
    );
    for (const sql of Object.values(AUDIT_TRIGGERS)) db.exec(sql);
  },
};
