/**
 * The authority's side of a delivered submission: status events (received → in_review →
 * accepted | rejected → decided), each signed by the portal as a compact JWS and kept in an
 * ordered log a terminal reads with a cursor. A demo mode accepts submissions by itself a set
 * time after receipt; it is evaluated from the injected clock whenever the log is read, so no
 * timer is left running.
 */
import { randomUUID } from 'node:crypto';
import { STATUS_JWS_TYPE, type StatusEvent, type StatusKind } from '../sync/protocol/index.ts';
import type { Db } from './db.ts';
import type { PortalClock } from './deps.ts';
import { iso } from './deps.ts';
import { type SigningKey, signCompactEs256 } from './keys.ts';

/** The pseudo-terminal that owns the demo history (never enrolled; auto-acceptance leaves it alone). */
export const DEMO_TERMINAL_ID = 'T-demo-history';

export type Decision = 'in_review' | 'accepted' | 'rejected' | 'decided';

/** Which status may follow which. */
const NEXT: Readonly<Record<StatusKind, readonly StatusKind[]>> = {
  received: ['in_review', 'accepted', 'rejected'],
  in_review: ['accepted', 'rejected'],
  accepted: ['decided'],
  rejected: [],
  decided: [],
};

export type DecideResult =
  | { readonly ok: true; readonly value: StatusEvent }
  | {
      readonly ok: false;
      readonly error: {
        readonly code: 'submission.not_found' | 'status.transition';
        readonly message: string;
      };
    };

interface SubmissionRow {
  submission_id: string;
  terminal_id: string;
  tracking_number: string;
  status: StatusKind;
  received_at: number;
}

export class StatusLog {
  constructor(
    private readonly db: Db,
    private readonly signingKey: SigningKey,
    private readonly clock: PortalClock,
    /** Demo: accept delivered submissions this long after receipt; undefined = never by itself. */
    private readonly autoAcceptAfterMs: number | undefined,
  ) {}

  /** Appends one signed event and updates the submission's status. Call inside a transaction. */
  append(submissionId: string, status: StatusKind, at: number, reason?: string): StatusEvent {
    const row = this.db
      .prepare('SELECT terminal_id, tracking_number FROM submissions WHERE submission_id = ?')
      .get(submissionId) as { terminal_id: string; tracking_number: string };
    const eventId = randomUUID();
    const seq = (
      this.db.prepare('SELECT COALESCE(MAX(seq), 0) + 1 AS next FROM status_events').get() as { next: number }
    ).next;
    const event: StatusEvent = {
      eventId,
      cursor: String(seq),
      terminalId: row.terminal_id,
      submissionId,
      trackingNumber: row.tracking_number,
      status,
      ...(reason === undefined ? {} : { reason }),
      at: iso(at),
    };
    const jws = signCompactEs256(this.signingKey, event, STATUS_JWS_TYPE);
    this.db
      .prepare(
        'INSERT INTO status_events (seq, event_id, terminal_id, submission_id, status, reason, at, jws) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(seq, eventId, row.terminal_id, submissionId, status, reason ?? null, at, jws);
    this.db
      .prepare('UPDATE submissions SET status = ?, status_reason = ?, status_at = ? WHERE submission_id = ?')
      .run(status, reason ?? null, at, submissionId);
    return event;
  }

  /** An administrator's (or the authority's) decision on a delivered submission. */
  decide(submissionId: string, decision: Decision, reason?: string): DecideResult {
    return this.db.transaction((): DecideResult => {
      this.advance();
      const row = this.db
        .prepare("SELECT status FROM submissions WHERE submission_id = ? AND state = 'delivered'")
        .get(submissionId) as { status: StatusKind } | undefined;
      if (row === undefined) {
        return {
          ok: false,
          error: { code: 'submission.not_found', message: 'No delivered submission has this id.' },
        };
      }
      if (!NEXT[row.status].includes(decision)) {
        return {
          ok: false,
          error: {
            code: 'status.transition',
            message: `A submission that is ${row.status} cannot become ${decision}.`,
          },
        };
      }
      return { ok: true, value: this.append(submissionId, decision, this.clock.now(), reason) };
    })();
  }

  /** Demo auto-acceptance: accepts what has waited long enough, dated when it became due. */
  advance(): void {
    if (this.autoAcceptAfterMs === undefined) return;
    const due = this.clock.now() - this.autoAcceptAfterMs;
    const rows = this.db
      .prepare(
        "SELECT submission_id, terminal_id, tracking_number, status, received_at FROM submissions WHERE state = 'delivered' AND status IN ('received', 'in_review') AND received_at <= ? AND terminal_id <> ? ORDER BY received_at",
      )
      .all(due, DEMO_TERMINAL_ID) as SubmissionRow[];
    if (rows.length === 0) return;
    const after = this.autoAcceptAfterMs;
    this.db.transaction(() => {
      for (const row of rows) {
        const at = row.received_at + after;
        if (row.status === 'received') this.append(row.submission_id, 'in_review', at);
        this.append(row.submission_id, 'accepted', at);
      }
    })();
  }

  /** Events of one terminal after `cursor` (exclusive), oldest first. */
  after(terminalId: string, cursor: number, limit: number): { events: string[]; cursor: string } {
    this.advance();
    const rows = this.db
      .prepare('SELECT seq, jws FROM status_events WHERE terminal_id = ? AND seq > ? ORDER BY seq LIMIT ?')
      .all(terminalId, cursor, limit) as { seq: number; jws: string }[];
    const last = rows.at(-1);
    return { events: rows.map((r) => r.jws), cursor: String(last === undefined ? cursor : last.seq) };
  }
}
