import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import {
  PROBLEM_MEDIA_TYPE,
  problemDetailsSchema,
  TICKET_JWS_TYPE,
  ticketLookupResponseSchema,
  ticketResponseSchema,
  ticketSchema,
  verifyPortalSigned,
} from '../../../sync/protocol/index.ts';
import { type Harness, makePortal, TestTerminal } from './harness.ts';

let h: Harness;
afterEach(async () => {
  await h.close();
});

const wish = {
  topic: 'permitExtension',
  constraints: {
    titleExpiresOn: '2026-05-31',
    travel: [{ from: '2026-04-02', to: '2026-04-20' }],
    unsuitableDays: ['mon', 'fri'],
  },
  language: 'uk',
  contact: { phone: '+49 151 2345678' },
  birthDate: '1986-10-19',
} as const;

async function verified(jws: string) {
  const r = await verifyPortalSigned(jws, TICKET_JWS_TYPE, ticketSchema, h.portal.signingKey);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

describe('Service-Center tickets', () => {
  it('turns an appointment wish into a signed ticket, looked up by number and birth date', async () => {
    h = await makePortal();
    const t = await TestTerminal.enrolled(h.portal, h.clock);
    const res = await t.post('/v1/tickets', wish);
    expect(res.statusCode).toBe(201);
    const created = ticketResponseSchema.parse(res.json());
    expect(created.ticketNumber).toMatch(/^SC-\d{6}$/);
    const ticket = await verified(created.ticket);
    expect(ticket).toMatchObject({
      ticketNumber: created.ticketNumber,
      topic: 'permitExtension',
      status: 'open',
      language: 'uk',
      constraints: wish.constraints,
      terminalId: t.terminalId,
    });
    expect(JSON.stringify(ticket)).not.toContain('2345678');

    h.clock.advance(3_600_000);
    expect(h.portal.setTicketStatus(created.ticketNumber, 'scheduled')).toBe(true);
    const look = await t.post('/v1/tickets/lookup', {
      ticketNumber: created.ticketNumber,
      birthDate: wish.birthDate,
    });
    expect(look.statusCode).toBe(200);
    const later = await verified(ticketLookupResponseSchema.parse(look.json()).ticket);
    expect(later).toMatchObject({ ticketNumber: created.ticketNumber, status: 'scheduled' });
    expect(Date.parse(later.updatedAt) - Date.parse(later.createdAt)).toBe(3_600_000);

    for (const wrong of [
      { ticketNumber: created.ticketNumber, birthDate: '1986-10-20' },
      { ticketNumber: 'SC-000000', birthDate: wish.birthDate },
    ]) {
      const miss = await t.post('/v1/tickets/lookup', wrong);
      expect(miss.statusCode).toBe(404);
      expect(String(miss.headers['content-type'])).toContain(PROBLEM_MEDIA_TYPE);
      expect(problemDetailsSchema.parse(miss.json())).toMatchObject({
        code: 'ticket.not_found',
        status: 404,
      });
    }

    const db = new Database(join(h.portal.dataDir, 'portal.sqlite'), { readonly: true });
    try {
      const row = db.prepare('SELECT * FROM tickets').get() as Record<string, unknown>;
      expect(JSON.stringify(row)).not.toContain(wish.birthDate);
    } finally {
      db.close();
    }
  });

  it('answers a repeated wish with its Idempotency-Key with the first ticket', async () => {
    h = await makePortal();
    const t = await TestTerminal.enrolled(h.portal, h.clock);
    const first = await t.post('/v1/tickets', wish, { 'idempotency-key': 'ticket-key-0001' });
    const again = await t.post('/v1/tickets', wish, { 'idempotency-key': 'ticket-key-0001' });
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(ticketResponseSchema.parse(again.json()).ticketNumber).toBe(
      ticketResponseSchema.parse(first.json()).ticketNumber,
    );
  });

  it('refuses a wish without a way to reach the visitor, or with a travel that ends before it starts', async () => {
    h = await makePortal();
    const t = await TestTerminal.enrolled(h.portal, h.clock);
    for (const bad of [
      { ...wish, contact: {} },
      { ...wish, constraints: { travel: [{ from: '2026-04-20', to: '2026-04-02' }] } },
      { ...wish, topic: 'holiday' },
    ]) {
      const res = await t.post('/v1/tickets', bad);
      expect(res.statusCode).toBe(400);
      expect(problemDetailsSchema.parse(res.json()).code).toBe('request.invalid');
    }
  });

  it('limits lookups per terminal', async () => {
    h = await makePortal({ ticketLookupLimit: { max: 1, windowMs: 60_000 } });
    const t = await TestTerminal.enrolled(h.portal, h.clock);
    const request = { ticketNumber: 'SC-000001', birthDate: wish.birthDate };
    expect((await t.post('/v1/tickets/lookup', request)).statusCode).toBe(404);
    const limited = await t.post('/v1/tickets/lookup', request);
    expect(limited.statusCode).toBe(429);
    expect(problemDetailsSchema.parse(limited.json()).code).toBe('rate_limited');
  });
});
