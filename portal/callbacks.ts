/** Call-back tickets: a visitor asks the authority to call back; the ticket number goes on the receipt. */
import { randomInt, randomUUID } from 'node:crypto';
import type { CallbackRequest, CallbackResponse } from '../sync/protocol/index.ts';
import type { Db } from './db.ts';
import { iso } from './deps.ts';
import { answer, type Outcome } from './http.ts';

export class Callbacks {
  constructor(private readonly db: Db) {}

  create(terminalId: string, request: CallbackRequest, now: number): Outcome {
    const ticketId = randomUUID();
    return {
      commit: () => {
        let ticketNumber = '';
        do {
          ticketNumber = `R-${randomInt(1000, 10_000_000)}`;
        } while (
          this.db.prepare('SELECT 1 FROM callbacks WHERE ticket_number = ?').get(ticketNumber) !== undefined
        );
        this.db
          .prepare(
            'INSERT INTO callbacks (ticket_id, ticket_number, terminal_id, service_id, language, name, phone, preferred_slots, tracking_number, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
          )
          .run(
            ticketId,
            ticketNumber,
            terminalId,
            request.serviceId,
            request.language,
            request.name,
            request.phone,
            JSON.stringify(request.preferredSlots ?? []),
            request.trackingNumber ?? null,
            now,
          );
        const body: CallbackResponse = { ticketId, ticketNumber, createdAt: iso(now) };
        return answer(201, body);
      },
    };
  }
}
