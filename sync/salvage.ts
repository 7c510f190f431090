/**
 * Salvage of a damaged queue database: one bad page must not empty the queue.
 *
 * The damaged file has been moved aside (store.ts). A scratch copy of it (with its -wal) is read
 * table by table; where a whole-table read stops at a damaged page, row by row by rowid, so only
 * the rows on damaged pages are lost. (The `.recover` of Debian's `sqlite3` 3.40 shell cannot be
 * used: that build lacks the `sqlite_dbpage` table it needs and answers "SQL logic error" even
 * for a healthy file.) What is read back is copied into the fresh store:
 *
 * - applications whose outbox row and sealed data are complete are queued again, also those that
 *   were `delivered` (the damage may have cost a later state; delivery is idempotent by key, so
 *   the portal answers a repeat without a second application); accepted and quarantined items
 *   keep their state; the engine checks every sealed item's signature before it sends it;
 * - the bookkeeping in `sync_state` (status cursor, authority keys, configuration, heartbeat
 *   acknowledgements), except the sender lease;
 * - what could not be recovered is named: the tracking numbers of applications whose row or
 *   sealed data was lost (tracking numbers are not personal data), and the count of applications
 *   known only from the recovered audit log.
 *
 * The scratch copy is deleted afterwards; the damaged copy stays for the administrator (a wipe
 * deletes it). When nothing can be read (the schema page itself is gone) the report says so.
 */
import { copyFileSync, existsSync, rmSync } from 'node:fs';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { SENDER_LEASE_KEY } from './sender-lease.ts';

export interface SalvageReport {
  /** `recovered`: the damaged copy was read; `failed`: nothing could be read from it. */
  readonly outcome: 'recovered' | 'failed';
  /** Applications queued again (or kept in their final state) in the fresh store. */
  readonly recovered: number;
  /** Tracking numbers of applications that could not be recovered. */
  readonly unrecovered: readonly string[];
  /** Applications known only by id from the recovered audit log (their tracking number was lost too). */
  readonly lostUnknown: number;
  readonly reason?: string;
}

/** A row-by-row read stops after this many rowids in a row that do not exist or cannot be read. */
const MAX_ROWID_GAP = 5000;

interface SubmissionRow {
  id: string;
  tracking_number: string;
  authority_kid: string;
  metadata_jwe: string | null;
  manifest_signature: string;
  sha512_metadata: string;
  sealed_bytes: number;
  created_at: number;
}

interface OutboxRow {
  submission_id: string;
  idempotency_key: string;
  state: string;
  attempts: number;
  last_attempt_at: number | null;
  delivered_at: number | null;
  portal_received_at: string | null;
  tracking_status: string | null;
  status_at: number | null;
  reject_source: string | null;
  reject_code: string | null;
  purge_after: number | null;
  purged_at: number | null;
}

interface PartRow {
  submission_id: string;
  part_id: string;
  seq: number;
  kind: string;
  media_type: string;
  sealed_size: number;
  sha512_sealed: string;
  jwe: string | null;
}

const REQUEUE = new Set(['queued', 'sending', 'delivered']);
const KEEP = new Set(['accepted', 'rejected', 'purged']);

function hasTable(db: Database, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
}

/** Every readable row of `table`: at once, or (past a damaged page) one rowid at a time. */
function rowsOf<T>(db: Database, table: string): T[] {
  try {
    if (!hasTable(db, table)) return [];
  } catch {
    return [];
  }
  try {
    return db.prepare(`SELECT * FROM "${table}"`).all() as T[];
  } catch {
    // a damaged page on the way: read around it
  }
  const one = db.prepare(`SELECT * FROM "${table}" WHERE rowid = ?`);
  const rows: T[] = [];
  for (let rowid = 1, gap = 0; gap < MAX_ROWID_GAP; rowid++) {
    try {
      const row = one.get(rowid) as T | undefined;
      if (row === undefined) gap++;
      else {
        rows.push(row);
        gap = 0;
      }
    } catch {
      gap++; // a row on a damaged page: lost; the table may go on after it
    }
  }
  return rows;
}

/**
 * Recovers what can be read from `damagedPath` into `target` (a fresh, migrated store). Never
 * throws; the report says what happened.
 */
export function salvageInto(target: Database, damagedPath: string, now: number): SalvageReport {
  const none = { recovered: 0, unrecovered: [], lostUnknown: 0 };
  const source = `${damagedPath}.salvage`;
  const scratchFiles = [source, `${source}-wal`, `${source}-shm`, `${source}-journal`];
  let damaged: Database | undefined;
  try {
    // the salvage reads a copy: the damaged file itself stays exactly as it was found
    copyFileSync(damagedPath, source);
    if (existsSync(`${damagedPath}-wal`)) copyFileSync(`${damagedPath}-wal`, `${source}-wal`);
    damaged = new BetterSqlite3(source, { fileMustExist: true });
    damaged.pragma('query_only = ON');
    if (!hasTable(damaged, 'outbox') || !hasTable(damaged, 'submissions'))
      return { outcome: 'failed', ...none, reason: 'the queue tables cannot be found' };
    return copyRecovered(damaged, target, now);
  } catch (e) {
    const code = (e as { code?: unknown } | null)?.code;
    return { outcome: 'failed', ...none, reason: typeof code === 'string' ? code : 'unreadable' };
  } finally {
    try {
      damaged?.close();
    } catch {
      // nothing to do
    }
    for (const f of scratchFiles) rmSync(f, { force: true });
  }
}

function copyRecovered(from: Database, to: Database, now: number): SalvageReport {
  const submissions = new Map(
    rowsOf<SubmissionRow>(from, 'submissions')
      .filter((s) => typeof s.id === 'string' && typeof s.tracking_number === 'string')
      .map((s) => [s.id, s]),
  );
  const partsOf = new Map<string, PartRow[]>();
  for (const p of rowsOf<PartRow>(from, 'parts')) {
    if (typeof p.submission_id !== 'string') continue;
    partsOf.set(p.submission_id, [...(partsOf.get(p.submission_id) ?? []), p]);
  }
  const outbox = rowsOf<OutboxRow>(from, 'outbox').filter(
    (o) => typeof o.submission_id === 'string' && typeof o.idempotency_key === 'string',
  );
  const insertSubmission = to.prepare(
    `INSERT INTO submissions (id, tracking_number, authority_kid, metadata_jwe, manifest_signature,
      sha512_metadata, sealed_bytes, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertPart = to.prepare(
    `INSERT INTO parts (submission_id, part_id, seq, kind, media_type, sealed_size, sha512_sealed, jwe)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertOutbox = to.prepare(
    `INSERT INTO outbox (submission_id, idempotency_key, state, attempts, last_attempt_at, next_attempt_at,
      last_error_code, delivered_at, portal_received_at, tracking_status, status_at, reject_source, reject_code,
      purge_after, purged_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const copied = new Set<string>();
  let count = 0;
  for (const o of outbox) {
    const s = submissions.get(o.submission_id);
    if (s === undefined) continue;
    const parts = (partsOf.get(s.id) ?? []).sort((a, b) => a.seq - b.seq);
    const requeue = REQUEUE.has(o.state);
    if (!requeue && !KEEP.has(o.state)) continue;
    // a queued item needs its whole sealed submission; the manifest lists the part count
    const complete =
      s.metadata_jwe !== null && parts.length > 0 && parts.every((p) => p.jwe !== null && p.seq >= 0);
    if (requeue && (!complete || !manifestMatches(s, parts))) continue;
    try {
      to.transaction(() => {
        insertSubmission.run(
          s.id,
          s.tracking_number,
          s.authority_kid,
          s.metadata_jwe,
          s.manifest_signature,
          s.sha512_metadata,
          s.sealed_bytes,
          s.created_at,
        );
        for (const p of parts) {
          insertPart.run(
            p.submission_id,
            p.part_id,
            p.seq,
            p.kind,
            p.media_type,
            p.sealed_size,
            p.sha512_sealed,
            p.jwe,
          );
        }
        insertOutbox.run(
          o.submission_id,
          o.idempotency_key,
          requeue ? 'queued' : o.state,
          Number.isInteger(o.attempts) ? o.attempts : 0,
          o.last_attempt_at,
          now,
          requeue ? 'store.salvaged' : null,
          requeue ? null : o.delivered_at,
          requeue ? null : o.portal_received_at,
          o.tracking_status,
          o.status_at,
          o.reject_source,
          o.reject_code,
          o.purge_after,
          o.purged_at,
          now,
        );
      })();
      copied.add(s.id);
      count++;
    } catch {
      // a row the damage garbled (a constraint refuses it): not recovered
    }
  }
  const unrecovered = [...submissions.values()]
    .filter((s) => !copied.has(s.id) && s.metadata_jwe !== null)
    .map((s) => s.tracking_number)
    .sort();
  // applications the recovered audit log knows of, with neither row recovered
  const enqueued = new Set<string>();
  const purged = new Set<string>();
  for (const a of rowsOf<{ event: string; submission_id: string | null }>(from, 'audit')) {
    if (typeof a.submission_id !== 'string') continue;
    if (a.event === 'enqueued') enqueued.add(a.submission_id);
    if (a.event === 'purged') purged.add(a.submission_id);
  }
  let lostUnknown = 0;
  for (const id of enqueued) if (!submissions.has(id) && !purged.has(id)) lostUnknown++;
  const setState = to.prepare(
    'INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
  );
  for (const r of rowsOf<{ key: unknown; value: unknown }>(from, 'sync_state')) {
    if (typeof r.key !== 'string' || typeof r.value !== 'string' || r.key === SENDER_LEASE_KEY) continue;
    try {
      setState.run(r.key, r.value);
    } catch {
      // skipped
    }
  }
  return { outcome: 'recovered', recovered: count, unrecovered, lostUnknown };
}

/** The parts recovered are the ones the sealed submission was made with (sizes add up). */
function manifestMatches(s: SubmissionRow, parts: readonly PartRow[]): boolean {
  const total = (s.metadata_jwe?.length ?? 0) + parts.reduce((n, p) => n + p.sealed_size, 0);
  return total === s.sealed_bytes;
}
