import { createHash } from 'node:crypto';
import type { Migration } from './types.ts';

/*
 * Frozen in time: the hash format v1 and the triggers as this migration installs them. The live
 * code (sync/audit-chain.ts, sync/audit-sql.ts) may move on; a change there comes with a new
 * migration, and this one keeps doing what it did.
 */

const GENESIS_HASH = '0'.repeat(64);

function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v)).join(',')}]`;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`).join(',')}}`;
}

/** SHA-256 of "serviceterminal.audit.v1\n" + the JSON array of the entry's fields, in hex. */
function hashV1(
  fields: readonly [number, number, string, string | null, string | null, string, string],
): string {
  return createHash('sha256')
    .update(`serviceterminal.audit.v1\n${JSON.stringify(fields)}`, 'utf8')
    .digest('hex');
}

const TRIGGERS = [
  `CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
    BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END`,
  `CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
    BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END`,
  `CREATE TRIGGER audit_chain_link BEFORE INSERT ON audit
    WHEN NEW.seq IS NOT (SELECT seq + 1 FROM audit_head WHERE id = 1)
      OR NEW.prev_hash IS NOT (SELECT hash FROM audit_head WHERE id = 1)
    BEGIN SELECT RAISE(ABORT, 'an audit entry must continue the chain'); END`,
  `CREATE TRIGGER audit_head_advance AFTER INSERT ON audit
    BEGIN UPDATE audit_head SET seq = NEW.seq, hash = NEW.hash, at = NEW.at WHERE id = 1; END`,
  `CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head
    BEGIN SELECT RAISE(ABORT, 'the audit anchor cannot be removed'); END`,
  `CREATE TRIGGER audit_head_forward_only BEFORE UPDATE ON audit_head
    WHEN NEW.id IS NOT OLD.id OR NEW.seq <= OLD.seq
      OR NEW.hash IS NOT (SELECT hash FROM audit WHERE seq = NEW.seq)
    BEGIN SELECT RAISE(ABORT, 'the audit anchor only moves forward to an existing entry'); END`,
];

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
        const hash = hashV1([r.seq, r.at, r.event, r.submission_id, r.state, detail, head.hash]);
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
    for (const sql of TRIGGERS) db.exec(sql);
  },
};
