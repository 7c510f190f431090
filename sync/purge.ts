/**
 * The purge: sealed data leaves the terminal once the retention after the authority's decision has
 * ended (`purge_after`, set by the outbox when a final status arrives). What stays is a tombstone
 * in the audit log: the hashes and sizes of what was sent and when. Items quarantined on the
 * terminal or by the portal are kept for the administrator.
 */
import type { AuditLog } from './audit.ts';
import type { OutboxState } from './outbox.ts';
import type { Database } from './store.ts';

interface DueRow {
  submission_id: string;
  sha512_metadata: string;
  created_at: number;
  delivered_at: number | null;
  status_at: number | null;
  state: OutboxState;
}

/** Purges every item whose retention has ended at `now`, one transaction each. Returns how many. */
export function purgeDue(db: Database, audit: AuditLog, now: number): number {
  const due = db
    .prepare(
      `SELECT o.submission_id, s.sha512_metadata, s.created_at, o.delivered_at, o.status_at, o.state
       FROM outbox o JOIN submissions s ON s.id = o.submission_id
       WHERE o.purge_after IS NOT NULL AND o.purge_after <= ?
         AND (o.state = 'accepted' OR (o.state = 'rejected' AND o.reject_source = 'authority'))`,
    )
    .all(now) as DueRow[];
  for (const d of due) {
    db.transaction(() => {
      const parts = db
        .prepare('SELECT part_id, sha512_sealed, sealed_size FROM parts WHERE submission_id = ? ORDER BY seq')
        .all(d.submission_id) as { part_id: string; sha512_sealed: string; sealed_size: number }[];
      db.prepare('UPDATE parts SET jwe = NULL WHERE submission_id = ?').run(d.submission_id);
      db.prepare('UPDATE submissions SET metadata_jwe = NULL WHERE id = ?').run(d.submission_id);
      db.prepare(
        "UPDATE outbox SET state = 'purged', purged_at = ?, updated_at = ? WHERE submission_id = ?",
      ).run(now, now, d.submission_id);
      audit.append(
        'purged',
        {
          tombstone: {
            finalState: d.state,
            sha512Metadata: d.sha512_metadata,
            parts: parts.map((p) => ({ partId: p.part_id, sha512: p.sha512_sealed, size: p.sealed_size })),
            createdAt: d.created_at,
            deliveredAt: d.delivered_at,
            statusAt: d.status_at,
            purgedAt: now,
          },
        },
        { submissionId: d.submission_id, state: 'purged' },
      );
    })();
  }
  return due.length;
}
