import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type SigningKey, signCompactEs256 } from '../../../portal/keys.ts';
import { verifyCaseAnswer, verifyTicket } from '../../../sync/case-answers.ts';
import {
  CASE_EVENT_JWS_TYPE,
  CASE_JWS_TYPE,
  type CaseEvent,
  type CaseSummary,
  TICKET_JWS_TYPE,
  type Ticket,
} from '../../../sync/protocol/index.ts';
import { makeTrackingNumber } from '../../../sync/tracking.ts';

function signingKey(kid: string): SigningKey {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const pub = createPublicKey(privateKey).export({ format: 'jwk' });
  return {
    kid,
    privateKey,
    publicJwk: { kty: 'EC', crv: 'P-256', x: String(pub.x), y: String(pub.y), kid, alg: 'ES256', use: 'sig' },
  };
}

const portal = signingKey('portal-a');
const stranger = signingKey('portal-b');
const expected = { terminalId: 'term-1', portalSigningKey: portal.publicJwk };
const reference = 'ABH-2026-000042';
const request = { caseReference: reference, birthDate: '1980-02-03' };

const events: CaseEvent[] = [
  {
    eventId: 'e-1',
    caseReference: reference,
    seq: 1,
    at: '2026-11-02T09:00:00.000Z',
    status: 'submitted',
    channel: 'counter',
  },
  { eventId: 'e-2', caseReference: reference, seq: 2, at: '2026-11-03T09:00:00.000Z', status: 'received' },
  {
    eventId: 'e-3',
    caseReference: reference,
    seq: 3,
    at: '2026-11-10T09:00:00.000Z',
    status: 'documents_missing',
    documents: ['passport', 'tenancy'],
  },
];

const summary: CaseSummary = {
  caseReference: reference,
  serviceId: 'residence-permit',
  origin: 'counter',
  status: 'documents_missing',
  updatedAt: '2026-11-10T09:00:00.000Z',
  events: 3,
  terminalId: 'term-1',
  iat: 1_795_000_000,
};

function answer(
  options: {
    summary?: Partial<CaseSummary>;
    events?: CaseEvent[];
    key?: SigningKey;
    eventKey?: SigningKey;
  } = {},
) {
  return {
    case: signCompactEs256(options.key ?? portal, { ...summary, ...options.summary }, CASE_JWS_TYPE),
    events: (options.events ?? events).map((e) =>
      signCompactEs256(options.eventKey ?? portal, e, CASE_EVENT_JWS_TYPE),
    ),
  };
}

describe('verifyCaseAnswer', () => {
  it('takes a case the portal signed for this terminal, with its unbroken log', async () => {
    const verified = await verifyCaseAnswer(answer(), request, expected);
    expect(verified).toMatchObject({ ok: true, value: { summary: { status: 'documents_missing' } } });
    if (verified.ok) expect(verified.value.events.map((e) => e.seq)).toEqual([1, 2, 3]);
  });

  it('matches a tracking number the way a visitor types it', async () => {
    const trackingNumber = makeTrackingNumber(() => new Uint8Array([1, 2, 3, 4, 5, 6, 7]));
    const typed = trackingNumber.toLowerCase().replace('-', ' ');
    const verified = await verifyCaseAnswer(
      answer({ summary: { trackingNumber }, events: events.map((e) => ({ ...e, trackingNumber })) }),
      { trackingNumber: typed, birthDate: '1980-02-03' },
      expected,
    );
    expect(verified.ok).toBe(true);
  });

  const refusals: [string, ReturnType<typeof answer>, object?][] = [
    ['a summary signed by another key', answer({ key: stranger })],
    ['an event signed by another key', answer({ eventKey: stranger })],
    ['a summary for another terminal', answer({ summary: { terminalId: 'term-2' } })],
    ['a summary of another case', answer({ summary: { caseReference: 'ABH-2026-000043' } })],
    [
      'an event of another case',
      answer({
        events: [
          events[0],
          { ...(events[1] as CaseEvent), caseReference: 'ABH-2026-000043' },
          events[2],
        ] as CaseEvent[],
      }),
    ],
    ['a log with a gap', answer({ events: [events[0], events[2]] as CaseEvent[], summary: { events: 2 } })],
    ['fewer events than the summary counts', answer({ events: events.slice(0, 2) })],
    ['a status the log does not end in', answer({ summary: { status: 'card_ready' } })],
    [
      'a summary given as an event',
      { case: signCompactEs256(portal, summary, CASE_EVENT_JWS_TYPE), events: answer().events },
    ],
    [
      'a tracking number asked, a case without one answered',
      answer(),
      { trackingNumber: makeTrackingNumber(() => new Uint8Array(7)), birthDate: '1980-02-03' },
    ],
  ];
  for (const [name, given, asked] of refusals) {
    it(`refuses ${name}`, async () => {
      const verified = await verifyCaseAnswer(given, (asked ?? request) as typeof request, expected);
      expect(verified).toMatchObject({ ok: false, error: { code: 'answer.unverified' } });
    });
  }
});

describe('verifyTicket', () => {
  const ticket: Ticket = {
    ticketNumber: 'SC-482193',
    topic: 'cardPickup',
    status: 'open',
    language: 'ar',
    constraints: { unsuitableDays: ['mon'] },
    createdAt: '2026-11-10T09:00:00.000Z',
    updatedAt: '2026-11-10T09:00:00.000Z',
    terminalId: 'term-1',
    iat: 1_795_000_000,
  };

  it('takes a ticket the portal signed for this terminal', async () => {
    const jws = signCompactEs256(portal, ticket, TICKET_JWS_TYPE);
    expect(await verifyTicket(jws, 'SC-482193', expected)).toMatchObject({ ok: true, value: ticket });
  });

  it.each([
    ['another key', signCompactEs256(stranger, ticket, TICKET_JWS_TYPE), 'SC-482193'],
    [
      'another terminal',
      signCompactEs256(portal, { ...ticket, terminalId: 'term-2' }, TICKET_JWS_TYPE),
      'SC-482193',
    ],
    ['another number', signCompactEs256(portal, ticket, TICKET_JWS_TYPE), 'SC-000001'],
    ['another type', signCompactEs256(portal, ticket, CASE_JWS_TYPE), 'SC-482193'],
  ])('refuses a ticket of %s', async (_name, jws, number) => {
    expect(await verifyTicket(jws, number, expected)).toMatchObject({
      ok: false,
      error: { code: 'answer.unverified' },
    });
  });
});
