/**
 * The authority's cases: a case reference (Aktenzeichen) for every case, whether it came from a
 * terminal (then also its tracking number), from the portal or from the counter; the status as a
 * log of signed events (`case-event+jwt`) that may only move as case-states.ts allows; and the
 * lookup a terminal makes with a reference and a birth date.
 *
 * No birth date is stored: a case keeps `hmac-sha256:<key id>:<hex>` of it under a key in its own
 * file beside the database (`lookup.key`, 0600), so the database alone cannot be searched for a
 * date. A terminal case's changes are mirrored into the older status feed (status.ts) as the older
 * status they correspond to, so terminals that know only that feed keep working.
 */
import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { join } from 'node:path';
import type { Clock } from '../common/clock.ts';
import { err, ok, type Result } from '../common/result.ts';
import {
  CASE_EVENT_JWS_TYPE,
  CASE_JWS_TYPE,
  type CaseEvent,
  type CaseEventDetails,
  type CaseLookupRequest,
  type CaseLookupResponse,
  type CaseOrigin,
  type CaseStatus,
  type CaseSummary,
  caseEventSchema,
  caseReferenceSchema,
  INVITATION_JWS_TYPE,
  INVITATION_QR_PREFIX,
  type Invitation,
  legacyStatusOf,
  type StatusKind,
} from '../sync/protocol/index.ts';
import { validateTrackingNumber } from '../sync/tracking.ts';
import { FIRST_CASE_STATUS, mayFollow } from './case-states.ts';
import type { Db } from './db.ts';
import { getMeta, setMeta } from './db.ts';
import { iso } from './deps.ts';
import { loadOrCreateKey } from './document-ref.ts';
import { type Answer, answer, failure, rateLimited } from './http.ts';
import { type SigningKey, signCompactEs256 } from './keys.ts';
import type { StatusLog } from './status.ts';
import { type RateLimit, SlidingWindowLimiter } from './tracking.ts';

export const LOOKUP_KEY_FILE = 'lookup.key';
/** The authority's office code in case references. */
export const DEFAULT_CASE_OFFICE = 'ABH';
export const DEFAULT_CASE_LOOKUP_LIMIT: RateLimit = { max: 10, windowMs: 60_000 };

export interface CaseRow {
  readonly case_id: string;
  readonly case_reference: string;
  readonly origin: CaseOrigin;
  readonly submission_id: string | null;
  readonly terminal_id: string | null;
  readonly tracking_number: string | null;
  readonly service_id: string;
  readonly birth_date_hash: string | null;
  readonly status: CaseStatus;
  readonly status_at: number;
  readonly created_at: number;
}

/** A case as an administrator sees it: no birth date or hash, the events decoded. */
export interface CaseInfo {
  readonly caseReference: string;
  readonly origin: CaseOrigin;
  readonly trackingNumber: string | null;
  readonly terminalId: string | null;
  readonly serviceId: string;
  readonly status: CaseStatus;
  readonly updatedAt: string;
  readonly events: readonly CaseEvent[];
}

export interface NewCase {
  readonly origin: CaseOrigin;
  readonly serviceId: string;
  /** YYYY-MM-DD; kept only as its keyed hash. Without it the case cannot be looked up by date. */
  readonly birthDate?: string | undefined;
  readonly submission?: {
    readonly submissionId: string;
    readonly terminalId: string;
    readonly trackingNumber: string;
  };
}

export type MoveErrorCode = 'case.not_found' | 'case.transition';

export interface CasesDeps {
  readonly db: Db;
  readonly dataDir: string;
  readonly signingKey: SigningKey;
  readonly clock: Clock;
  /** The older status feed, into which terminal cases are mirrored. */
  readonly status: StatusLog;
  readonly lookupLimit?: RateLimit;
  readonly office?: string;
}

export class Cases {
  readonly #deps: CasesDeps;
  readonly #key: Buffer;
  readonly #keyId: string;
  readonly #limiter: SlidingWindowLimiter;

  constructor(deps: CasesDeps) {
    this.#deps = deps;
    this.#key = loadOrCreateKey(join(deps.dataDir, LOOKUP_KEY_FILE));
    this.#keyId = createHash('sha256').update(this.#key).digest('hex').slice(0, 8);
    this.#limiter = new SlidingWindowLimiter(deps.lookupLimit ?? DEFAULT_CASE_LOOKUP_LIMIT, deps.clock);
  }

  /** The keyed hash a case keeps instead of the birth date. */
  birthDateHash(birthDate: string): string {
    const mac = createHmac('sha256', this.#key).update(`birth-date:${birthDate}`).digest('hex');
    return `hmac-sha256:${this.#keyId}:${mac}`;
  }

  /** Files a new case (`submitted`) and returns it. Runs in its own transaction, or the caller's. */
  create(input: NewCase, at = this.#deps.clock.now()): CaseRow {
    const { db } = this.#deps;
    return db.transaction((): CaseRow => {
      const caseId = randomUUID();
      const reference = this.#nextReference(at);
      db.prepare(
        'INSERT INTO cases (case_id, case_reference, origin, submission_id, terminal_id, tracking_number, service_id, birth_date_hash, status, status_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ).run(
        caseId,
        reference,
        input.origin,
        input.submission?.submissionId ?? null,
        input.submission?.terminalId ?? null,
        input.submission?.trackingNumber ?? null,
        input.serviceId,
        input.birthDate === undefined ? null : this.birthDateHash(input.birthDate),
        FIRST_CASE_STATUS,
        at,
        at,
      );
      const row = this.#row(caseId) as CaseRow;
      this.#append(row, { status: 'submitted', channel: input.origin }, at);
      return this.#row(caseId) as CaseRow;
    })();
  }

  /**
   * The case of a submission a terminal delivered: filed and received at once. Called inside the
   * delivery's transaction, which has already put `received` into the older feed.
   */
  fromDelivery(
    submission: { submissionId: string; terminalId: string; trackingNumber: string; serviceId: string },
    birthDate: string | null,
    at: number,
  ): CaseRow {
    const row = this.create(
      {
        origin: 'terminal',
        serviceId: submission.serviceId,
        ...(birthDate === null ? {} : { birthDate }),
        submission,
      },
      at,
    );
    this.#append(row, { status: 'received' }, at);
    return this.#row(row.case_id) as CaseRow;
  }

  /**
   * Moves a case (by case reference or tracking number) to the status of `details`, if the
   * process allows it: one signed event, and for a terminal case the older feed's status too.
   */
  move(
    reference: string,
    details: CaseEventDetails,
    at = this.#deps.clock.now(),
  ): Result<CaseEvent, MoveErrorCode> {
    const { db } = this.#deps;
    return db.transaction((): Result<CaseEvent, MoveErrorCode> => {
      this.#deps.status.advance();
      const row = this.#find(reference);
      if (row === undefined) return err('case.not_found', 'No case has this reference or tracking number.');
      if (!mayFollow(row.status, details.status)) {
        return err('case.transition', `A case that is ${row.status} cannot become ${details.status}.`);
      }
      const event = this.#append(row, details, at);
      const legacy = legacyStatusOf(details.status);
      if (row.submission_id !== null && legacy !== undefined) {
        const current = db
          .prepare('SELECT status FROM submissions WHERE submission_id = ?')
          .get(row.submission_id) as { status: StatusKind | null } | undefined;
        if (current !== undefined && current.status !== legacy) {
          this.#deps.status.append(row.submission_id, legacy, at);
        }
      }
      return ok(event);
    })();
  }

  /**
   * Follows a decision given through the older `decide` (already in the older feed) in the case,
   * where the process allows it; nothing is mirrored back.
   */
  followDecision(submissionId: string, decision: 'in_review' | 'accepted' | 'rejected' | 'decided'): void {
    const row = this.#deps.db.prepare('SELECT * FROM cases WHERE submission_id = ?').get(submissionId) as
      | CaseRow
      | undefined;
    if (row === undefined) return;
    const details: CaseEventDetails =
      decision === 'rejected'
        ? { status: 'rejected', problems: ['other'], letterFollows: true }
        : decision === 'decided'
          ? { status: 'decided', letterFollows: true }
          : { status: decision };
    if (mayFollow(row.status, details.status)) this.#append(row, details, this.#deps.clock.now());
  }

  /** A terminal's lookup: one exact match of reference and birth date, or one 404. */
  lookup(terminalId: string, request: CaseLookupRequest): Answer {
    const waitMs = this.#limiter.hit(terminalId);
    if (waitMs > 0) {
      return rateLimited(waitMs, 'Too many lookups from this terminal; try again shortly.');
    }
    this.#deps.status.advance();
    let row: CaseRow | undefined;
    if ('trackingNumber' in request) {
      const canonical = validateTrackingNumber(request.trackingNumber);
      row = canonical.ok
        ? (this.#deps.db.prepare('SELECT * FROM cases WHERE tracking_number = ?').get(canonical.value) as
            | CaseRow
            | undefined)
        : undefined;
    } else {
      row = this.#deps.db
        .prepare('SELECT * FROM cases WHERE case_reference = ?')
        .get(request.caseReference) as CaseRow | undefined;
    }
    // compare even when nothing was found, so both misses take the same path
    const given = Buffer.from(this.birthDateHash(request.birthDate));
    const stored = Buffer.from(row?.birth_date_hash ?? this.birthDateHash('0000-00-00'));
    const matches = given.length === stored.length && timingSafeEqual(given, stored);
    if (row === undefined || row.birth_date_hash === null || !matches) {
      return failure(404, 'case.not_found', 'No case matches this reference and birth date.');
    }
    const events = this.#deps.db
      .prepare('SELECT jws FROM case_events WHERE case_id = ? ORDER BY case_seq')
      .all(row.case_id) as { jws: string }[];
    const now = this.#deps.clock.now();
    const summary: CaseSummary = {
      caseReference: row.case_reference,
      ...(row.tracking_number === null ? {} : { trackingNumber: row.tracking_number }),
      serviceId: row.service_id,
      origin: row.origin,
      status: row.status,
      updatedAt: iso(row.status_at),
      events: events.length,
      terminalId,
      iat: Math.floor(now / 1000),
    };
    const body: CaseLookupResponse = {
      case: signCompactEs256(this.#deps.signingKey, summary, CASE_JWS_TYPE),
      events: events.map((e) => e.jws),
    };
    return answer(200, body);
  }

  /**
   * The QR text of the invitation letter of a case that is `invitation_sent`: the case reference
   * and the appointment, signed (`invitation+jwt`), valid until the day after the appointment.
   */
  invitationQr(reference: string): string | undefined {
    const row = this.#find(reference);
    if (row === undefined || row.status !== 'invitation_sent') return undefined;
    const last = this.#deps.db
      .prepare('SELECT details FROM case_events WHERE case_id = ? ORDER BY case_seq DESC LIMIT 1')
      .get(row.case_id) as { details: string };
    const details = JSON.parse(last.details) as Extract<CaseEventDetails, { status: 'invitation_sent' }>;
    const invitation: Invitation = {
      caseReference: row.case_reference,
      appointment: details.appointment,
      iat: Math.floor(this.#deps.clock.now() / 1000),
      exp: Math.floor(Date.parse(details.appointment.at) / 1000) + 24 * 3600,
    };
    return INVITATION_QR_PREFIX + signCompactEs256(this.#deps.signingKey, invitation, INVITATION_JWS_TYPE);
  }

  /** A case by reference or tracking number, for administrators. */
  info(reference: string): CaseInfo | undefined {
    this.#deps.status.advance();
    const row = this.#find(reference);
    if (row === undefined) return undefined;
    const events = (
      this.#deps.db
        .prepare('SELECT jws FROM case_events WHERE case_id = ? ORDER BY case_seq')
        .all(row.case_id) as {
        jws: string;
      }[]
    ).map((e) =>
      caseEventSchema.parse(JSON.parse(Buffer.from(e.jws.split('.')[1] ?? '', 'base64url').toString())),
    );
    return {
      caseReference: row.case_reference,
      origin: row.origin,
      trackingNumber: row.tracking_number,
      terminalId: row.terminal_id,
      serviceId: row.service_id,
      status: row.status,
      updatedAt: iso(row.status_at),
      events,
    };
  }

  #find(reference: string): CaseRow | undefined {
    const { db } = this.#deps;
    if (caseReferenceSchema.safeParse(reference).success) {
      return db.prepare('SELECT * FROM cases WHERE case_reference = ?').get(reference) as CaseRow | undefined;
    }
    const tracking = validateTrackingNumber(reference);
    if (!tracking.ok) return undefined;
    return db.prepare('SELECT * FROM cases WHERE tracking_number = ?').get(tracking.value) as
      | CaseRow
      | undefined;
  }

  #row(caseId: string): CaseRow | undefined {
    return this.#deps.db.prepare('SELECT * FROM cases WHERE case_id = ?').get(caseId) as CaseRow | undefined;
  }

  /** Signs and stores one event and sets the case's status. Call inside a transaction. */
  #append(row: CaseRow, details: CaseEventDetails, at: number): CaseEvent {
    const { db } = this.#deps;
    const seq = (
      db
        .prepare('SELECT COALESCE(MAX(case_seq), 0) + 1 AS next FROM case_events WHERE case_id = ?')
        .get(row.case_id) as { next: number }
    ).next;
    const event = caseEventSchema.parse({
      eventId: randomUUID(),
      caseReference: row.case_reference,
      ...(row.tracking_number === null ? {} : { trackingNumber: row.tracking_number }),
      seq,
      at: iso(at),
      ...details,
    });
    const jws = signCompactEs256(this.#deps.signingKey, event, CASE_EVENT_JWS_TYPE);
    db.prepare(
      'INSERT INTO case_events (event_id, case_id, case_seq, status, details, at, jws) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ).run(event.eventId, row.case_id, seq, details.status, JSON.stringify(details), at, jws);
    db.prepare('UPDATE cases SET status = ?, status_at = ? WHERE case_id = ?').run(
      details.status,
      at,
      row.case_id,
    );
    return event;
  }

  #nextReference(at: number): string {
    const year = new Date(at).getUTCFullYear();
    const key = `case_serial:${year}`;
    const serial = Number(getMeta(this.#deps.db, key) ?? '0') + 1;
    setMeta(this.#deps.db, key, String(serial));
    return `${this.#deps.office ?? DEFAULT_CASE_OFFICE}-${year}-${String(serial).padStart(6, '0')}`;
  }
}
