import type { Migration } from './types.ts';

/**
 * The queue. Only ciphertexts (compact JWE) and non-personal facts are stored: ids, hashes,
 * sizes, times, states and error codes. Nothing a visitor typed or a reader read.
 */
export const migration: Migration = {
  version: 1,
  name: 'outbox',
  up(db) {
    db.exec(`
      CREATE TABLE submissions (
        id TEXT PRIMARY KEY,
        tracking_number TEXT NOT NULL UNIQUE,
        authority_kid TEXT NOT NULL,
        metadata_jwe TEXT,
        manifest_signature TEXT NOT NULL,
        sha512_metadata TEXT NOT NULL,
        sealed_bytes INTEGER NOT NULL,
        created_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE parts (
        submission_id TEXT NOT NULL REFERENCES submissions(id),
        part_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('data', 'attachment')),
        media_type TEXT NOT NULL,
        sealed_size INTEGER NOT NULL,
        sha512_sealed TEXT NOT NULL,
        jwe TEXT,
        PRIMARY KEY (submission_id, part_id)
      ) STRICT;

      CREATE TABLE outbox (
        submission_id TEXT PRIMARY KEY REFERENCES submissions(id),
        idempotency_key TEXT NOT NULL UNIQUE,
        state TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'delivered', 'accepted', 'rejected', 'purged')),
        attempts INTEGER NOT NULL DEFAULT 0,
        last_attempt_at INTEGER,
        next_attempt_at INTEGER NOT NULL,
        last_error_code TEXT,
        delivered_at INTEGER,
        portal_received_at TEXT,
        tracking_status TEXT,
        status_at INTEGER,
        reject_source TEXT CHECK (reject_source IN ('terminal', 'portal', 'authority')),
        reject_code TEXT,
        purge_after INTEGER,
        purged_at INTEGER,
        updated_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX outbox_due ON outbox(state, next_attempt_at);

      CREATE TABLE audit (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        at INTEGER NOT NULL,
        event TEXT NOT NULL,
        submission_id TEXT,
        state TEXT,
        detail TEXT NOT NULL DEFAULT '{}'
      ) STRICT;

      CREATE TABLE alarms (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at INTEGER NOT NULL,
        code TEXT NOT NULL,
        message TEXT NOT NULL,
        cleared_at INTEGER
      ) STRICT;

      CREATE TABLE sync_state (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;
    `);
  },
};
