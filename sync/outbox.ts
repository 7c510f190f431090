/**
 * The outbox: sealed submissions waiting for delivery, and their life afterwards.
 *
 *   queued → sending → delivered → accepted → purged
 *                    ↘ rejected (quarantined: shown to the administrator, never retried blindly)
 *
 * Enqueue seals first, then ONE transaction writes the sealed submission, its outbox entry and an
 * audit entry; the tracking number is returned only after that commit. Before every attempt the
 * item is marked `sending` with the attempt counted and the error preset to
 * `attempt.interrupted` (ODK Collect's lesson): if the process dies mid-send, the next start
 * finds it marked failed and sends it again with the same idempotency key.
 *
 * The database holds only JWE strings and non-personal facts (ids, hashes, sizes, times, states,
 * codes). Audit entries carry ids, hashes, times and states; they go to the hash-chained audit log
 * (audit.ts), inside the same transaction as the change they record.
 *
 * Beside the queue, not in it: the store's key-value state (state.ts), the sender lease
 * (sender-lease.ts) and the purge of what the authority has decided (purge.ts).
 */
import type { Clock } from '../common/clock.ts';
import { err, ok, type Result } from '../common/result.ts';
import type { Alarms } from './alarms.ts';
import { AuditLog } from './audit.ts';
import type { AuditDetail } from './audit-detail.ts';
import {
  type AttachmentInput,
  type AuthorityPublicKey,
  type DeviceSigningKey,
  type PartKind,
  type SealErrorCode,
  type SealedSubmission,
  sealSubmission,
  sha512Hex,
} from './sealing.ts';
import { isStorageFull, type Store, sqliteCode } from './store.ts';
import { defaultRandomBytes, makeTrackingNumber, type RandomBytes } from './tracking.ts';

export const OUTBOX_STATES = ['queued', 'sending', 'delivered', 'accepted', 'rejected', 'purged'] as const;
export type OutboxState = (typeof OUTBOX_STATES)[number];
export type RejectSource = 'terminal' | 'portal' | 'authority';
export type TrackingStatus = 'received' | 'in_review' | 'accepted' | 'rejected' | 'decided';

export const DEFAULT_RETENTION_MS = 24 * 60 * 60 * 1000;

/** Builds the attachments once the ids exist, e.g. a summary PDF that shows the tracking number. */
export type AttachmentBuilder = (ids: {
  readonly submissionId: string;
  readonly trackingNumber: string;
}) => Promise<readonly AttachmentInput[]>;

export interface EnqueueInput {
  readonly serviceId: string;
  readonly data: unknown;
  readonly attachments?: readonly AttachmentInput[] | AttachmentBuilder;
  /**
   * A tracking number reserved before the attachments were made (the summary shows it); one is
   * drawn here when it is left out.
   */
  readonly trackingNumber?: string;
}

export interface Enqueued {
  readonly submissionId: string;
  readonly trackingNumber: string;
  readonly idempotencyKey: string;
  readonly createdAt: number;
}

export type EnqueueErrorCode =
  | 'storage.full'
  | 'storage.failed'
  | 'outbox.no_authority_key'
  | 'outbox.read_only'
  | SealErrorCode;

/** Points of the enqueue path where tests inject a crash (a throw from the hook). */
export type EnqueueStep = 'sealed' | 'written' | 'committed';

export interface OutboxSealing {
  readonly terminalId: string;
  readonly deviceKey: DeviceSigningKey;
  /** The authority key new submissions are sealed to (the newest valid one). */
  readonly authorityKey: () => AuthorityPublicKey | undefined;
}

export interface OutboxDeps {
  readonly store: Store;
  readonly alarms: Alarms;
  readonly clock: Clock;
  /** The store's audit log the queue records its changes in (default: one on `store`). */
  readonly auditLog?: AuditLog;
  /** What enqueue seals with; a read-only view of the queue (e.g. `kiosk queue`) leaves it out. */
  readonly sealing?: OutboxSealing;
  readonly random?: RandomBytes;
  /** How long sealed data stays after the authority accepted it. */
  readonly retentionMs?: number | undefined;
  readonly onStep?: ((step: EnqueueStep) => void) | undefined;
}

export interface OutboxItem {
  readonly submissionId: string;
  readonly trackingNumber: string;
  readonly idempotencyKey: string;
  readonly state: OutboxState;
  readonly attempts: number;
  readonly createdAt: number;
  readonly nextAttemptAt: number;
  readonly lastErrorCode: string | null;
  readonly sealedBytes: number;
  readonly rejectSource: RejectSource | null;
  readonly rejectCode: string | null;
  readonly trackingStatus: TrackingStatus | null;
  readonly deliveredAt: number | null;
  readonly purgeAfter: number | null;
}

export interface QueueCounts {
  readonly byState: Readonly<Record<OutboxState, number>>;
  /** Items still to be delivered (queued + sending). */
  readonly pending: number;
  readonly pendingBytes: number;
  /** Age in ms of the oldest item still to be delivered, or null. */
  readonly oldestPendingAgeMs: number | null;
}

interface ItemRow {
  submission_id: string;
  tracking_number: string;
  idempotency_key: string;
  state: OutboxState;
  attempts: number;
  created_at: number;
  next_attempt_at: number;
  last_error_code: string | null;
  sealed_bytes: number;
  reject_source: RejectSource | null;
  reject_code: string | null;
  tracking_status: TrackingStatus | null;
  delivered_at: number | null;
  purge_after: number | null;
}

const ITEM_SELECT = `SELECT o.submission_id, s.tracking_number, o.idempotency_key, o.state, o.attempts,
  s.created_at, o.next_attempt_at, o.last_error_code, s.sealed_bytes, o.reject_source, o.reject_code,
  o.tracking_status, o.delivered_at, o.purge_after
  FROM outbox o JOIN submissions s ON s.id = o.submission_id`;

function toItem(r: ItemRow): OutboxItem {
  return {
    submissionId: r.submission_id,
    trackingNumber: r.tracking_number,
    idempotencyKey: r.idempotency_key,
    state: r.state,
    attempts: r.attempts,
    createdAt: r.created_at,
    nextAttemptAt: r.next_attempt_at,
    lastErrorCode: r.last_error_code,
    sealedBytes: r.sealed_bytes,
    rejectSource: r.reject_source,
    rejectCode: r.reject_code,
    trackingStatus: r.tracking_status,
    deliveredAt: r.delivered_at,
    purgeAfter: r.purge_after,
  };
}

function hexId(random: RandomBytes, bytes: number): string {
  return Buffer.from(random(bytes)).toString('hex');
}

export class Outbox {
  readonly #deps: OutboxDeps;
  readonly #random: RandomBytes;
  readonly #retentionMs: number;
  readonly #auditLog: AuditLog;

  constructor(deps: OutboxDeps) {
    this.#deps = deps;
    this.#random = deps.random ?? defaultRandomBytes;
    this.#retentionMs = deps.retentionMs ?? DEFAULT_RETENTION_MS;
    this.#auditLog = deps.auditLog ?? new AuditLog(deps.store.db, { now: () => this.#now() });
  }

  /** The store the queue lives in. */
  get store(): Store {
    return this.#deps.store;
  }

  /** The audit log the queue records in (the store's), for other writers and for `kiosk audit`. */
  get auditLog(): AuditLog {
    return this.#auditLog;
  }

  get #db() {
    return this.#deps.store.db;
  }

  #now(): number {
    return this.#deps.clock.now();
  }

  /** Appends to the audit log; called inside the transaction of the change it records. */
  #audit(event: string, submissionId: string | null, state: string | null, detail: AuditDetail): void {
    this.#auditLog.append(event, detail, { submissionId, state });
  }

  /**
   * Seals and queues a submission. On `storage.full` the caller keeps the visitor's input in
   * memory and tells the visitor; the database is left as it was.
   */
  async enqueue(input: EnqueueInput): Promise<Result<Enqueued, EnqueueErrorCode>> {
    const sealing = this.#deps.sealing;
    if (sealing === undefined) return err('outbox.read_only', 'this view of the queue cannot enqueue');
    const authority = sealing.authorityKey();
    if (authority === undefined)
      return err('outbox.no_authority_key', 'no authority encryption key is known');
    const createdAt = this.#now();
    for (let tries = 0; ; tries++) {
      const submissionId = `sub-${hexId(this.#random, 16)}`;
      const idempotencyKey = `idem-${hexId(this.#random, 24)}`;
      const trackingNumber = input.trackingNumber ?? makeTrackingNumber(this.#random);
      const attachments =
        typeof input.attachments === 'function'
          ? await input.attachments({ submissionId, trackingNumber })
          : (input.attachments ?? []);
      const sealed = await sealSubmission(
        {
          submissionId,
          serviceId: input.serviceId,
          terminalId: sealing.terminalId,
          createdAt: new Date(createdAt).toISOString(),
          trackingNumber,
          data: input.data,
          attachments,
        },
        authority,
        sealing.deviceKey,
      );
      if (!sealed.ok) return sealed;
      this.#deps.onStep?.('sealed');
      try {
        this.#write(sealed.value, trackingNumber, idempotencyKey, createdAt);
      } catch (e) {
        if (sqliteCode(e) === 'SQLITE_CONSTRAINT_UNIQUE' && tries < 3) continue;
        if (isStorageFull(e)) {
          this.#deps.alarms.raise(
            'storage.full',
            'The queue database is full; new applications cannot be stored.',
          );
          return err('storage.full', 'the storage is full');
        }
        // Anything that is not a storage error is a fault of the program (or a test's injected
        // crash): it propagates instead of being reported as a storage problem.
        if (!sqliteCode(e).startsWith('SQLITE_')) throw e;
        this.#deps.alarms.raise(
          'storage.failed',
          `Writing to the queue database failed (${sqliteCode(e) || 'error'}).`,
        );
        return err('storage.failed', 'the application could not be stored');
      }
      this.#deps.onStep?.('committed');
      for (const code of ['storage.full', 'storage.failed'] as const) {
        if (this.#deps.alarms.isOpen(code)) this.#deps.alarms.clear(code);
      }
      return ok({ submissionId, trackingNumber, idempotencyKey, createdAt });
    }
  }

  #write(sealed: SealedSubmission, trackingNumber: string, idempotencyKey: string, createdAt: number): void {
    const db = this.#db;
    const sealedBytes = sealed.metadata.length + sealed.parts.reduce((n, p) => n + p.sealedSize, 0);
    const sha512Metadata = sha512Hex(sealed.metadata);
    db.transaction(() => {
      db.prepare(
        `INSERT INTO submissions (id, tracking_number, authority_kid, metadata_jwe, manifest_signature,
          sha512_metadata, sealed_bytes, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        sealed.submissionId,
        trackingNumber,
        sealed.authorityKid,
        sealed.metadata,
        sealed.manifestSignature,
        sha512Metadata,
        sealedBytes,
        createdAt,
      );
      const insertPart = db.prepare(
        `INSERT INTO parts (submission_id, part_id, seq, kind, media_type, sealed_size, sha512_sealed, jwe)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      for (const [seq, p] of sealed.parts.entries()) {
        insertPart.run(
          sealed.submissionId,
          p.partId,
          seq,
          p.kind,
          p.mediaType,
          p.sealedSize,
          p.sha512OfSealed,
          p.jwe,
        );
      }
      db.prepare(
        `INSERT INTO outbox (submission_id, idempotency_key, state, next_attempt_at, updated_at)
         VALUES (?, ?, 'queued', ?, ?)`,
      ).run(sealed.submissionId, idempotencyKey, createdAt, createdAt);
      this.#audit('enqueued', sealed.submissionId, 'queued', {
        authorityKid: sealed.authorityKid,
        sha512Metadata,
        parts: sealed.parts.map((p) => ({ partId: p.partId, sha512: p.sha512OfSealed, size: p.sealedSize })),
        sealedBytes,
      });
      this.#deps.onStep?.('written');
    })();
  }

  /** At start-up: items left `sending` by a process that died count as a failed attempt. */
  recoverInterrupted(): number {
    const db = this.#db;
    return db.transaction(() => {
      const rows = db.prepare("SELECT submission_id FROM outbox WHERE state = 'sending'").all() as {
        submission_id: string;
      }[];
      for (const r of rows) {
        db.prepare(
          "UPDATE outbox SET state = 'queued', last_error_code = 'attempt.interrupted', updated_at = ? WHERE submission_id = ?",
        ).run(this.#now(), r.submission_id);
        this.#audit('attempt_interrupted', r.submission_id, 'queued', {});
      }
      return rows.length;
    })();
  }

  /** The item with this tracking number (a visitor's status lookup checks the queue first). */
  findByTracking(trackingNumber: string): OutboxItem | undefined {
    const row = this.#db.prepare(`${ITEM_SELECT} WHERE s.tracking_number = ?`).get(trackingNumber) as
      | ItemRow
      | undefined;
    return row ? toItem(row) : undefined;
  }

  get(submissionId: string): OutboxItem | undefined {
    const row = this.#db.prepare(`${ITEM_SELECT} WHERE o.submission_id = ?`).get(submissionId) as
      | ItemRow
      | undefined;
    return row ? toItem(row) : undefined;
  }

  /**
   * The next item due at `now` (oldest first). With `dueBeyond`, an item whose next attempt lies
   * after it is due too (its time was set before the wall clock went back).
   */
  nextDue(now: number, dueBeyond = Number.MAX_SAFE_INTEGER): OutboxItem | undefined {
    const row = this.#db
      .prepare(
        `${ITEM_SELECT} WHERE o.state = 'queued' AND (o.next_attempt_at <= ? OR o.next_attempt_at > ?)
         ORDER BY o.next_attempt_at, s.created_at LIMIT 1`,
      )
      .get(now, dueBeyond) as ItemRow | undefined;
    return row ? toItem(row) : undefined;
  }

  /** Moves every waiting item's next attempt by `deltaMs` (the wall clock stepped by that much). */
  shiftWaiting(deltaMs: number): void {
    this.#db
      .prepare("UPDATE outbox SET next_attempt_at = next_attempt_at + ? WHERE state = 'queued'")
      .run(Math.trunc(deltaMs));
  }

  /** When the next queued item becomes due, or undefined when none is queued. */
  nextWakeAt(): number | undefined {
    const row = this.#db
      .prepare("SELECT min(next_attempt_at) AS t FROM outbox WHERE state = 'queued'")
      .get() as {
      t: number | null;
    };
    return row.t ?? undefined;
  }

  /** Moves every queued item's next attempt to now (e.g. the network came back). */
  makeAllDue(now: number): void {
    this.#db
      .prepare("UPDATE outbox SET next_attempt_at = ? WHERE state = 'queued' AND next_attempt_at > ?")
      .run(now, now);
  }

  /**
   * Marks the item as being sent BEFORE the attempt: the attempt is counted and preset to
   * failed, so a crash during the attempt leaves it retryable. Returns the attempt number, or
   * undefined when the claim changed no row (the item is no longer queued: another sender took
   * it or it was delivered meanwhile); such an item must not be sent.
   */
  beginAttempt(submissionId: string): number | undefined {
    const now = this.#now();
    const db = this.#db;
    return db.transaction(() => {
      const claimed = db
        .prepare(
          `UPDATE outbox SET state = 'sending', attempts = attempts + 1, last_attempt_at = ?,
          last_error_code = 'attempt.interrupted', updated_at = ? WHERE submission_id = ? AND state = 'queued'`,
        )
        .run(now, now, submissionId).changes;
      if (claimed === 0) return undefined;
      const row = db.prepare('SELECT attempts FROM outbox WHERE submission_id = ?').get(submissionId) as {
        attempts: number;
      };
      this.#audit('attempt', submissionId, 'sending', { attempt: row.attempts });
      return row.attempts;
    })();
  }

  /** The sealed submission as stored, or undefined once purged. */
  loadSealed(submissionId: string): SealedSubmission | undefined {
    const s = this.#db
      .prepare('SELECT id, authority_kid, metadata_jwe, manifest_signature FROM submissions WHERE id = ?')
      .get(submissionId) as
      | { id: string; authority_kid: string; metadata_jwe: string | null; manifest_signature: string }
      | undefined;
    if (s === undefined || s.metadata_jwe === null) return undefined;
    const parts = this.#db
      .prepare(
        'SELECT part_id, kind, media_type, sealed_size, sha512_sealed, jwe FROM parts WHERE submission_id = ? ORDER BY seq',
      )
      .all(submissionId) as {
      part_id: string;
      kind: PartKind;
      media_type: string;
      sealed_size: number;
      sha512_sealed: string;
      jwe: string | null;
    }[];
    if (parts.some((p) => p.jwe === null)) return undefined;
    return {
      submissionId: s.id,
      authorityKid: s.authority_kid,
      metadata: s.metadata_jwe,
      manifestSignature: s.manifest_signature,
      parts: parts.map((p) => ({
        partId: p.part_id,
        kind: p.kind,
        mediaType: p.media_type,
        sealedSize: p.sealed_size,
        sha512OfSealed: p.sha512_sealed,
        jwe: p.jwe as string,
      })),
    };
  }

  /** A failed attempt that may be retried at `nextAttemptAt` (wall clock). */
  markRetry(submissionId: string, errorCode: string, nextAttemptAt: number): void {
    const db = this.#db;
    db.transaction(() => {
      db.prepare(
        `UPDATE outbox SET state = 'queued', last_error_code = ?, next_attempt_at = ?, updated_at = ?
         WHERE submission_id = ? AND state IN ('queued', 'sending')`,
      ).run(errorCode, nextAttemptAt, this.#now(), submissionId);
      this.#audit('attempt_failed', submissionId, 'queued', { code: errorCode, nextAttemptAt });
    })();
  }

  markDelivered(submissionId: string, portalReceivedAt: string): void {
    const db = this.#db;
    const now = this.#now();
    db.transaction(() => {
      const changed = db
        .prepare(
          `UPDATE outbox SET state = 'delivered', delivered_at = ?, portal_received_at = ?, last_error_code = NULL,
            updated_at = ? WHERE submission_id = ? AND state IN ('queued', 'sending')`,
        )
        .run(now, portalReceivedAt, now, submissionId).changes;
      if (changed > 0) this.#audit('delivered', submissionId, 'delivered', { portalReceivedAt });
    })();
  }

  /**
   * Delivered items not yet accepted whose last change is older than `before`: the portal is asked
   * whether it still holds them (one restored from an older backup may not). Oldest first.
   */
  deliveredToReconcile(before: number, limit: number): OutboxItem[] {
    return (
      this.#db
        .prepare(
          `${ITEM_SELECT} WHERE o.state = 'delivered' AND o.updated_at <= ? ORDER BY o.updated_at LIMIT ?`,
        )
        .all(before, limit) as ItemRow[]
    ).map(toItem);
  }

  /** The portal still holds a delivered item: asked again only after the next interval. */
  markReconciled(submissionId: string): void {
    this.#db
      .prepare("UPDATE outbox SET updated_at = ? WHERE submission_id = ? AND state = 'delivered'")
      .run(this.#now(), submissionId);
  }

  /**
   * The portal no longer knows a delivered item (restored from an older backup): it is queued
   * again, due now, with the same idempotency key. Returns whether it was.
   */
  requeueLost(submissionId: string): boolean {
    const db = this.#db;
    const now = this.#now();
    return db.transaction(() => {
      const changed = db
        .prepare(
          `UPDATE outbox SET state = 'queued', delivered_at = NULL, portal_received_at = NULL, next_attempt_at = ?,
            last_error_code = 'portal.lost', updated_at = ? WHERE submission_id = ? AND state = 'delivered'`,
        )
        .run(now, now, submissionId).changes;
      if (changed > 0) this.#audit('portal_lost', submissionId, 'queued', {});
      return changed > 0;
    })();
  }

  /** Quarantines an item: it is not retried; the administrator sees it. */
  markRejected(submissionId: string, source: RejectSource, code: string): void {
    const db = this.#db;
    const now = this.#now();
    db.transaction(() => {
      db.prepare(
        `UPDATE outbox SET state = 'rejected', reject_source = ?, reject_code = ?, last_error_code = ?, updated_at = ?
         WHERE submission_id = ? AND state IN ('queued', 'sending')`,
      ).run(source, code, code, now, submissionId);
      this.#audit('quarantined', submissionId, 'rejected', { source, code });
    })();
    this.#deps.alarms.raise(
      source === 'terminal' ? 'sync.integrity' : 'sync.quarantined',
      `A queued application was quarantined (${code}); see the quarantine list.`,
    );
  }

  /**
   * Applies a verified status event from the portal. A status for an item still marked queued or
   * sending proves it was delivered (a lost acknowledgement), so it is not sent again.
   */
  applyStatus(submissionId: string, status: TrackingStatus, eventAt: number): boolean {
    const db = this.#db;
    const now = this.#now();
    return db.transaction(() => {
      const row = db.prepare('SELECT state FROM outbox WHERE submission_id = ?').get(submissionId) as
        | { state: OutboxState }
        | undefined;
      if (row === undefined || row.state === 'purged') return false;
      if (row.state === 'rejected' && status !== 'rejected') return false;
      const final = status === 'accepted' || status === 'decided' || status === 'rejected';
      let state: OutboxState = row.state;
      if (status === 'rejected') state = 'rejected';
      else if (status === 'accepted' || status === 'decided') state = 'accepted';
      else if (state === 'queued' || state === 'sending') state = 'delivered';
      db.prepare(
        `UPDATE outbox SET state = ?, tracking_status = ?, status_at = ?,
          delivered_at = coalesce(delivered_at, ?),
          reject_source = CASE WHEN ? = 'rejected' THEN 'authority' ELSE reject_source END,
          reject_code = CASE WHEN ? = 'rejected' THEN 'authority.rejected' ELSE reject_code END,
          purge_after = CASE WHEN ? THEN coalesce(purge_after, ?) ELSE purge_after END,
          updated_at = ? WHERE submission_id = ?`,
      ).run(
        state,
        status,
        eventAt,
        now,
        status,
        status,
        final ? 1 : 0,
        now + this.#retentionMs,
        now,
        submissionId,
      );
      this.#audit('status', submissionId, state, { status, eventAt });
      return true;
    })();
  }

  counts(now: number): QueueCounts {
    const byState = Object.fromEntries(OUTBOX_STATES.map((s) => [s, 0])) as Record<OutboxState, number>;
    for (const r of this.#db.prepare('SELECT state, count(*) AS n FROM outbox GROUP BY state').all() as {
      state: OutboxState;
      n: number;
    }[]) {
      byState[r.state] = r.n;
    }
    const p = this.#db
      .prepare(
        `SELECT count(*) AS n, coalesce(sum(s.sealed_bytes), 0) AS bytes, min(s.created_at) AS oldest
         FROM outbox o JOIN submissions s ON s.id = o.submission_id WHERE o.state IN ('queued', 'sending')`,
      )
      .get() as { n: number; bytes: number; oldest: number | null };
    return {
      byState,
      pending: p.n,
      pendingBytes: p.bytes,
      oldestPendingAgeMs: p.oldest === null ? null : Math.max(0, now - p.oldest),
    };
  }

  /** Quarantined items for the administrator (no personal data). */
  quarantined(): OutboxItem[] {
    return (
      this.#db
        .prepare(
          `${ITEM_SELECT} WHERE o.state = 'rejected' AND o.reject_source != 'authority' ORDER BY s.created_at`,
        )
        .all() as ItemRow[]
    ).map(toItem);
  }
}
