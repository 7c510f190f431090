import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AssembledTerminal } from '../../../sync/terminal.ts';
import { applicationWith, makeRig, type Rig } from './setup.ts';

let rig: Rig;
let terminal: AssembledTerminal;

beforeEach(async () => {
  rig = await makeRig({ caseLookupLimit: { max: 4, windowMs: 60_000 } });
  terminal = await rig.open();
});

afterEach(async () => {
  await rig.dispose();
});

describe('a visitor case looked up by the terminal', () => {
  it('is queued here until delivered, then the signed case with its log', async () => {
    const queued = await terminal.outbox.enqueue(applicationWith('case', '1990-01-31'));
    if (!queued.ok) throw new Error(queued.error.code);
    const { trackingNumber } = queued.value;
    expect(await terminal.lookupCase({ trackingNumber, birthDate: '1990-01-31' })).toEqual({
      kind: 'queued',
    });
    await terminal.engine.runPass();
    const found = await terminal.lookupCase({ trackingNumber, birthDate: '1990-01-31' });
    if (found.kind !== 'found') throw new Error(found.kind);
    expect(found.case.summary).toMatchObject({ trackingNumber, status: 'received', origin: 'terminal' });
    expect(found.case.events.map((e) => e.status)).toEqual(['submitted', 'received']);
  });

  it('finds a counter case by its reference and tells what is missing', async () => {
    const reference = rig.portal.createCase({
      origin: 'counter',
      serviceId: 'residence-permit',
      birthDate: '1975-06-30',
    });
    rig.portal.moveCase(reference, { status: 'received' });
    rig.portal.moveCase(reference, {
      status: 'documents_missing',
      documents: ['tenancy'],
      dueBy: '2026-12-31',
    });
    const found = await terminal.lookupCase({ caseReference: reference, birthDate: '1975-06-30' });
    if (found.kind !== 'found') throw new Error(found.kind);
    expect(found.case.events.at(-1)).toMatchObject({ status: 'documents_missing', documents: ['tenancy'] });
    expect(await terminal.lookupCase({ caseReference: reference, birthDate: '1975-06-29' })).toEqual({
      kind: 'not_found',
    });
  });

  it('says why there is no answer: portal down, too many lookups', async () => {
    const reference = rig.portal.createCase({
      origin: 'portal',
      serviceId: 'residence-permit',
      birthDate: '1975-06-30',
    });
    const ask = () => terminal.lookupCase({ caseReference: reference, birthDate: '1975-06-30' });
    rig.portal.setFaults({ down: true });
    expect(await ask()).toEqual({ kind: 'unavailable', reason: 'offline' });
    rig.portal.setFaults({ down: false });
    for (let i = 0; i < 4; i++) expect((await ask()).kind).toBe('found');
    expect(await ask()).toEqual({ kind: 'unavailable', reason: 'rate_limited' });
  });
});

describe('a Service-Center ticket made and looked up by the terminal', () => {
  const wish = {
    topic: 'cardPickup' as const,
    constraints: { titleExpiresOn: '2027-01-15', unsuitableDays: ['fri' as const] },
    language: 'ar',
    contact: { phone: '+49 911 5550123' },
    birthDate: '1988-03-14',
  };

  it('is signed, checked, and found again by its number and the birth date', async () => {
    const made = await terminal.createTicket(wish, 'ticket-key-1');
    if (made.kind !== 'found') throw new Error(made.kind);
    expect(made.ticket).toMatchObject({ topic: 'cardPickup', status: 'open', language: 'ar' });
    const { ticketNumber } = made.ticket;
    const again = await terminal.lookupTicket({ ticketNumber, birthDate: '1988-03-14' });
    expect(again).toMatchObject({ kind: 'found', ticket: { ticketNumber, constraints: wish.constraints } });
    expect(await terminal.lookupTicket({ ticketNumber, birthDate: '1988-03-15' })).toEqual({
      kind: 'not_found',
    });
  });

  it('gives one ticket for a wish sent twice with one key', async () => {
    const first = await terminal.createTicket(wish, 'ticket-key-2');
    const second = await terminal.createTicket(wish, 'ticket-key-2');
    if (first.kind !== 'found' || second.kind !== 'found') throw new Error('no ticket');
    expect(second.ticket.ticketNumber).toBe(first.ticket.ticketNumber);
  });

  it('is refused, not retried, when the portal refuses the wish', async () => {
    const made = await terminal.createTicket(
      {
        ...wish,
        birthDate: '2099-01-01',
        constraints: { travel: [{ from: '2027-02-01', to: '2027-01-01' }] },
      },
      'ticket-key-3',
    );
    expect(made).toEqual({ kind: 'unavailable', reason: 'refused' });
  });
});
