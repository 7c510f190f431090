/**
 * The Service-Center's ticket system as the portal offers it to terminals: a ticket per
 * appointment wish (topic, constraints, preferred language, contact), signed when it is made and
 * when it is looked up (`ticket+jwt`, without the contact). The contact is kept as given (the
 * Service-Center calls or writes); the birth date only as the cases' keyed hash.
 */
import { randomInt, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../common/clock.ts';
import {
  TICKET_JWS_TYPE,
  type Ticket,
  type TicketConstraints,
  type TicketLookupRequest,
  type TicketLookupResponse,
  type TicketRequest,
  type TicketResponse,
} from '../sync/protocol/index.ts';
import type { Cases } from './cases.ts';
import type { Db } from './db.ts';
import { iso } from './deps.ts';
import { type Answer, answer, failure, type Outcome, rateLimited } from './http.ts';
import { type SigningKey, signCompactEs256 } from './keys.ts';
import { type RateLimit, SlidingWindowLimiter } from './tracking.ts';

export const DEFAULT_TICKET_LOOKUP_LIMIT: RateLimit = { max: 10, windowMs: 60_000 };

interface TicketRow {
  ticket_number: string;
  topic: Ticket['topic'];
  status: Ticket['status'];
  language: string;
  constraints: string;
  birth_date_hash: string;
  created_at: number;
  updated_at: number;
}

export class ServiceCenter {
  readonly #limiter: SlidingWindowLimiter;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly signingKey: SigningKey,
    private readonly cases: Cases,
    lookupLimit: RateLimit = DEFAULT_TICKET_LOOKUP_LIMIT,
  ) {
    this.#limiter = new SlidingWindowLimiter(lookupLimit, clock);
  }

  create(terminalId: string, request: TicketRequest): Outcome {
    return {
      commit: () => {
        const now = this.clock.now();
        let ticketNumber = '';
        do {
          ticketNumber = `SC-${String(randomInt(0, 1_000_000)).padStart(6, '0')}`;
        } while (
          this.db.prepare('SELECT 1 FROM tickets WHERE ticket_number = ?').get(ticketNumber) !== undefined
        );
        this.db
          .prepare(
            'INSERT INTO tickets (ticket_number, terminal_id, topic, status, language, constraints, contact, birth_date_hash, case_reference, tracking_number, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
          )
          .run(
            ticketNumber,
            terminalId,
            request.topic,
            'open',
            request.language,
            JSON.stringify(request.constraints),
            JSON.stringify(request.contact),
            this.cases.birthDateHash(request.birthDate),
            request.caseReference ?? null,
            request.trackingNumber ?? null,
            now,
            now,
          );
        const row = this.#row(ticketNumber) as TicketRow;
        const body: TicketResponse = { ticketNumber, ticket: this.#sign(row, terminalId) };
        return answer(201, body);
      },
    };
  }

  lookup(terminalId: string, request: TicketLookupRequest): Answer {
    const waitMs = this.#limiter.hit(terminalId);
    if (waitMs > 0) {
      return rateLimited(waitMs, 'Too many lookups from this terminal; try again shortly.');
    }
    const row = this.#row(request.ticketNumber);
    const given = Buffer.from(this.cases.birthDateHash(request.birthDate));
    const stored = Buffer.from(row?.birth_date_hash ?? this.cases.birthDateHash('0000-00-00'));
    const matches = given.length === stored.length && timingSafeEqual(given, stored);
    if (row === undefined || !matches) {
      return failure(404, 'ticket.not_found', 'No ticket matches this number and birth date.');
    }
    const body: TicketLookupResponse = { ticket: this.#sign(row, terminalId) };
    return answer(200, body);
  }

  /** The Service-Center's progress on a ticket (admin and tests); false for an unknown ticket. */
  setStatus(ticketNumber: string, status: Ticket['status']): boolean {
    return (
      this.db
        .prepare('UPDATE tickets SET status = ?, updated_at = ? WHERE ticket_number = ?')
        .run(status, this.clock.now(), ticketNumber).changes === 1
    );
  }

  #row(ticketNumber: string): TicketRow | undefined {
    return this.db.prepare('SELECT * FROM tickets WHERE ticket_number = ?').get(ticketNumber) as
      | TicketRow
      | undefined;
  }

  #sign(row: TicketRow, terminalId: string): string {
    const ticket: Ticket = {
      ticketNumber: row.ticket_number,
      topic: row.topic,
      status: row.status,
      language: row.language,
      constraints: JSON.parse(row.constraints) as TicketConstraints,
      createdAt: iso(row.created_at),
      updatedAt: iso(row.updated_at),
      terminalId,
      iat: Math.floor(this.clock.now() / 1000),
    };
    return signCompactEs256(this.signingKey, ticket, TICKET_JWS_TYPE);
  }
}
