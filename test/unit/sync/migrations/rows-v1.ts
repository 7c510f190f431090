/** Rows as a terminal at schema version 1 wrote them: one application delivered, its bookkeeping. */
import type { Database } from 'better-sqlite3';

export function writeVersion1Rows(db: Database): void {
  db.prepare(
    `INSERT INTO submissions (id, tracking_number, authority_kid, metadata_jwe, manifest_signature,
      sha512_metadata, sealed_bytes, created_at) VALUES ('sub-a', 'ST-0000000000Z', 'k1', 'jwe.meta', 'sig', ?, 42, 1000)`,
  ).run('a'.repeat(128));
  db.prepare(
    `INSERT INTO parts (submission_id, part_id, seq, kind, media_type, sealed_size, sha512_sealed, jwe)
     VALUES ('sub-a', 'data', 0, 'data', 'application/json', 34, ?, 'jwe.data')`,
  ).run('b'.repeat(128));
  db.prepare(
    `INSERT INTO outbox (submission_id, idempotency_key, state, attempts, next_attempt_at, delivered_at,
      portal_received_at, updated_at) VALUES ('sub-a', 'idem-a', 'delivered', 1, 1000, 3000, '2025-03-01T09:00:00.000Z', 3000)`,
  ).run();
  const audit = db.prepare(
    'INSERT INTO audit (at, event, submission_id, state, detail) VALUES (?, ?, ?, ?, ?)',
  );
  audit.run(1000, 'enqueued', 'sub-a', 'queued', '{"sealedBytes":42,"authorityKid":"k1"}');
  audit.run(2000, 'attempt', 'sub-a', 'sending', '{"attempt":1}');
  audit.run(3000, 'delivered', 'sub-a', 'delivered', '{"portalReceivedAt":"2025-03-01T09:00:00.000Z"}');
  db.prepare("INSERT INTO alarms (at, code, message) VALUES (2500, 'sync.auth', 'enrol again')").run();
  db.prepare("INSERT INTO sync_state (key, value) VALUES ('status_cursor', '17')").run();
}

/** The tables version 1 created, which every later version keeps row for row. */
export const VERSION_1_TABLES = ['submissions', 'parts', 'outbox', 'alarms', 'sync_state'] as const;
