import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CASE_EVENT_JWS_TYPE,
  CASE_JWS_TYPE,
  type CaseEvent,
  type CaseEventDetails,
  type CaseLookupRequest,
  caseEventSchema,
  caseLookupResponseSchema,
  caseSummarySchema,
  INVITATION_JWS_TYPE,
  invitationSchema,
  PROBLEM_MEDIA_TYPE,
  parseInvitationQr,
  problemDetailsSchema,
  STATUS_JWS_TYPE,
  statusEventSchema,
  statusEventsResponseSchema,
  verifyPortalSigned,
} from '../../../sync/protocol/index.ts';
import { deliver, type Harness, makePortal, TestTerminal } from './harness.ts';

let h: Harness;
afterEach(async () => {
  await h.close();
});

const BIRTH = '1979-11-02';

/** The admin's case routes. */
function admin(method: 'GET' | 'POST', url: string, payload?: unknown) {
  return h.portal.app.inject({
    method,
    url,
    headers: {
      authorization: `Bearer ${h.portal.adminToken}`,
      ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }),
  });
}

/** A lookup as a terminal makes it, verified with the protocol's verification code. */
async function lookup(t: TestTerminal, request: CaseLookupRequest) {
  const res = await t.post('/v1/cases/lookup', request);
  if (res.statusCode !== 200) return { res, summary: undefined, events: [] as CaseEvent[] };
  const body = caseLookupResponseSchema.parse(res.json());
  const summary = await verifyPortalSigned(body.case, CASE_JWS_TYPE, caseSummarySchema, h.portal.signingKey);
  if (!summary.ok) throw new Error(summary.error.message);
  const events: CaseEvent[] = [];
  for (const jws of body.events) {
    const e = await verifyPortalSigned(jws, CASE_EVENT_JWS_TYPE, caseEventSchema, h.portal.signingKey);
    if (!e.ok) throw new Error(e.error.message);
    events.push(e.value);
  }
  return { res, summary: summary.value, events };
}

function problemOf(res: { headers: Record<string, unknown>; json(): unknown }) {
  expect(String(res.headers['content-type'])).toContain(PROBLEM_MEDIA_TYPE);
  return problemDetailsSchema.parse(res.json());
}

const place = { id: 'abh-main', name: 'Ausländerbehörde', address: 'Beispielstraße 1, 12345 Stadt' };

/** Every status of the process with what it says, in an order the process allows. */
const journey: CaseEventDetails[] = [
  { status: 'documents_missing', documents: ['incomeInsurance', 'tenancy'], dueBy: '2026-04-01' },
  { status: 'in_review' },
  {
    status: 'invitation_sent',
    appointment: {
      appointmentId: 'apt-1',
      at: '2026-03-20T09:30:00.000Z',
      place: { ...place, room: 'Raum 2.14' },
    },
  },
  { status: 'in_review' },
  { status: 'decided', letterFollows: true },
  { status: 'card_ordered', expectedReadyBy: '2026-04-15' },
  {
    status: 'card_ready',
    pickup: {
      place,
      openingHours: [
        { day: 1, opens: '08:00', closes: '12:00' },
        { day: 4, opens: '13:00', closes: '18:00' },
      ],
      bring: ['pinLetter', 'oldCard', 'passport'],
    },
  },
  { status: 'closed' },
];

describe('cases', () => {
  it('files a delivered submission as a case with a reference, looked up by tracking number and birth date', async () => {
    h = await makePortal();
    const t = await TestTerminal.enrolled(h.portal, h.clock);
    const sealed = await t.seal({ birthDate: BIRTH });
    expect((await deliver(t, sealed)).statusCode).toBe(200);

    const found = await lookup(t, { trackingNumber: sealed.trackingNumber, birthDate: BIRTH });
    expect(found.res.statusCode).toBe(200);
    expect(found.summary).toMatchObject({
      trackingNumber: sealed.trackingNumber,
      serviceId: 'residence-permit-extension',
      origin: 'terminal',
      status: 'received',
      events: 2,
      terminalId: t.terminalId,
    });
    expect(found.summary?.caseReference).toMatch(/^ABH-\d{4}-\d{6}$/);
    expect(found.events.map((e) => [e.seq, e.status])).toEqual([
      [1, 'submitted'],
      [2, 'received'],
    ]);
    expect(found.events[0]).toMatchObject({ status: 'submitted', channel: 'terminal' });

    // the case reference works as well; the wrong birth date or reference is one 404
    const byReference = await lookup(t, {
      caseReference: found.summary?.caseReference ?? '',
      birthDate: BIRTH,
    });
    expect(byReference.summary?.trackingNumber).toBe(sealed.trackingNumber);
    for (const wrong of [
      { trackingNumber: sealed.trackingNumber, birthDate: '1979-11-03' },
      { caseReference: 'ABH-1999-000001', birthDate: BIRTH },
    ]) {
      const miss = await lookup(t, wrong);
      expect(miss.res.statusCode).toBe(404);
      expect(problemOf(miss.res)).toMatchObject({
        status: 404,
        code: 'case.not_found',
        type: 'urn:serviceterminal:problem:case.not_found',
        error: { code: 'case.not_found' },
      });
    }
  });

  it('moves a case through every status with signed events, mirrored into the older feed', async () => {
    h = await makePortal();
    const t = await TestTerminal.enrolled(h.portal, h.clock);
    const sealed = await t.seal({ birthDate: BIRTH });
    await deliver(t, sealed);
    for (const details of journey) {
      h.clock.advance(60_000);
      const res = await admin('POST', `/admin/v1/cases/${sealed.trackingNumber}/events`, details);
      expect(res.statusCode, details.status).toBe(200);
      const moved = res.json() as { event: unknown; invitationQr?: string };
      expect(caseEventSchema.parse(moved.event)).toMatchObject(details);
      if (details.status === 'invitation_sent') {
        // the letter's QR: the case reference and the appointment, signed by the portal
        const jws = parseInvitationQr(moved.invitationQr ?? '');
        expect(jws).toBeDefined();
        const invitation = await verifyPortalSigned(
          jws ?? '',
          INVITATION_JWS_TYPE,
          invitationSchema,
          h.portal.signingKey,
        );
        expect(invitation).toMatchObject({
          ok: true,
          value: {
            caseReference: h.portal.caseInfo(sealed.trackingNumber)?.caseReference,
            appointment: details.appointment,
            exp: Date.parse(details.appointment.at) / 1000 + 86_400,
          },
        });
      } else {
        expect(moved.invitationQr).toBeUndefined();
      }
    }
    const found = await lookup(t, { trackingNumber: sealed.trackingNumber, birthDate: BIRTH });
    expect(found.summary?.status).toBe('closed');
    expect(found.events.map((e) => e.status)).toEqual([
      'submitted',
      'received',
      ...journey.map((d) => d.status),
    ]);
    expect(found.events.map((e) => e.seq)).toEqual(found.events.map((_, i) => i + 1));
    expect(found.events[2]).toMatchObject({ documents: ['incomeInsurance', 'tenancy'] });
    expect(found.events.at(-2)).toMatchObject({ pickup: { bring: ['pinLetter', 'oldCard', 'passport'] } });

    // the older feed: each change once, as the older word
    const feed = statusEventsResponseSchema.parse((await t.get('/v1/status-events')).json());
    const legacy: string[] = [];
    for (const jws of feed.events) {
      const e = await verifyPortalSigned(jws, STATUS_JWS_TYPE, statusEventSchema, h.portal.signingKey);
      if (!e.ok) throw new Error(e.error.message);
      legacy.push(e.value.status);
    }
    expect(legacy).toEqual(['received', 'in_review', 'decided']);
  });

  it('refuses a move the process does not allow, and an unknown case, as problem details', async () => {
    h = await makePortal();
    const t = await TestTerminal.enrolled(h.portal, h.clock);
    const sealed = await t.seal({ birthDate: BIRTH });
    await deliver(t, sealed);
    const early = await admin('POST', `/admin/v1/cases/${sealed.trackingNumber}/events`, {
      status: 'card_ready',
      pickup: journey[6]?.status === 'card_ready' ? journey[6].pickup : undefined,
    });
    expect(early.statusCode).toBe(409);
    expect(problemOf(early)).toMatchObject({ code: 'case.transition', status: 409 });
    const unknown = await admin('POST', '/admin/v1/cases/ABH-2020-000009/events', { status: 'in_review' });
    expect(unknown.statusCode).toBe(404);
    expect(problemOf(unknown).code).toBe('case.not_found');
    const malformed = await admin('POST', `/admin/v1/cases/${sealed.trackingNumber}/events`, {
      status: 'documents_missing',
      documents: [],
    });
    expect(malformed.statusCode).toBe(400);
    expect(problemOf(malformed).code).toBe('request.invalid');
    const noToken = await h.portal.app.inject({
      method: 'GET',
      url: `/admin/v1/cases/${sealed.trackingNumber}`,
    });
    expect(noToken.statusCode).toBe(401);
    // the rejected path names its problems; a closed case takes nothing more
    expect(h.portal.moveCase(sealed.trackingNumber, { status: 'in_review' }).ok).toBe(true);
    expect(
      h.portal.moveCase(sealed.trackingNumber, {
        status: 'rejected',
        problems: ['documentsNotProvided'],
        letterFollows: true,
      }).ok,
    ).toBe(true);
    expect(h.portal.moveCase(sealed.trackingNumber, { status: 'closed' }).ok).toBe(true);
    expect(h.portal.moveCase(sealed.trackingNumber, { status: 'in_review' })).toMatchObject({
      ok: false,
      error: { code: 'case.transition' },
    });
  });

  it('files a counter case by the admin route, found by its reference, keeping no birth date', async () => {
    h = await makePortal();
    const t = await TestTerminal.enrolled(h.portal, h.clock);
    const created = await admin('POST', '/admin/v1/cases', {
      origin: 'counter',
      serviceId: 'electronic-residence-permit',
      birthDate: BIRTH,
    });
    expect(created.statusCode).toBe(201);
    const { caseReference } = created.json() as { caseReference: string };
    expect(caseReference).toMatch(/^ABH-\d{4}-\d{6}$/);
    expect((await admin('GET', `/admin/v1/cases/${caseReference}`)).json()).toMatchObject({
      origin: 'counter',
      status: 'submitted',
      trackingNumber: null,
    });
    expect(h.portal.moveCase(caseReference, { status: 'received' }).ok).toBe(true);
    const found = await lookup(t, { caseReference, birthDate: BIRTH });
    expect(found.summary).toMatchObject({ caseReference, origin: 'counter', status: 'received', events: 2 });
    expect(found.summary).not.toHaveProperty('trackingNumber');

    const db = new Database(join(h.portal.dataDir, 'portal.sqlite'), { readonly: true });
    try {
      const row = db.prepare('SELECT * FROM cases WHERE case_reference = ?').get(caseReference) as Record<
        string,
        unknown
      >;
      expect(String(row.birth_date_hash)).toMatch(/^hmac-sha256:[0-9a-f]{8}:[0-9a-f]{64}$/);
      expect(JSON.stringify(row)).not.toContain(BIRTH);
      const events = db.prepare('SELECT details FROM case_events').all() as { details: string }[];
      expect(JSON.stringify(events)).not.toContain(BIRTH);
    } finally {
      db.close();
    }
    const bad = await admin('POST', '/admin/v1/cases', {
      origin: 'terminal',
      serviceId: 'x',
      birthDate: BIRTH,
    });
    expect(bad.statusCode).toBe(400);
  });

  it('allows ten lookups a minute per terminal unless configured otherwise', async () => {
    h = await makePortal();
    const t = await TestTerminal.enrolled(h.portal, h.clock);
    const request = { caseReference: 'ABH-2026-000001', birthDate: BIRTH };
    for (let i = 0; i < 10; i++) expect((await t.post('/v1/cases/lookup', request)).statusCode).toBe(404);
    const limited = await t.post('/v1/cases/lookup', request);
    expect(limited.statusCode).toBe(429);
    expect(problemOf(limited).code).toBe('rate_limited');
    h.clock.advance(60_000);
    expect((await t.post('/v1/cases/lookup', request)).statusCode).toBe(404);
  });

  it('limits lookups per terminal with Retry-After, and validates the body', async () => {
    h = await makePortal({ caseLookupLimit: { max: 2, windowMs: 60_000 } });
    const t = await TestTerminal.enrolled(h.portal, h.clock);
    const request = { caseReference: 'ABH-2026-000001', birthDate: BIRTH };
    expect((await t.post('/v1/cases/lookup', request)).statusCode).toBe(404);
    expect((await t.post('/v1/cases/lookup', request)).statusCode).toBe(404);
    const limited = await t.post('/v1/cases/lookup', request);
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBe('60');
    expect(problemOf(limited).code).toBe('rate_limited');
    // another terminal has its own count
    const other = await TestTerminal.enrolled(h.portal, h.clock);
    expect((await other.post('/v1/cases/lookup', request)).statusCode).toBe(404);
    h.clock.advance(60_000);
    expect((await t.post('/v1/cases/lookup', request)).statusCode).toBe(404);
    // both references at once, or none, is not a lookup
    const both = await other.post('/v1/cases/lookup', { ...request, trackingNumber: 'ST-0000000000X' });
    expect(both.statusCode).toBe(400);
    expect(problemOf(both).code).toBe('request.invalid');
  });

  it('lists the lookup in the OpenAPI document with problem details', async () => {
    h = await makePortal();
    const doc = (await h.portal.app.inject({ method: 'GET', url: '/v1/openapi.json' })).json() as {
      paths: Record<
        string,
        Record<string, { responses: Record<string, { content: Record<string, unknown> }> }>
      >;
      components: { schemas: Record<string, unknown> };
    };
    const op = doc.paths['/v1/cases/lookup']?.post;
    expect(op?.responses['200']).toBeDefined();
    expect(Object.keys(op?.responses['404']?.content ?? {})).toEqual([PROBLEM_MEDIA_TYPE]);
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining(['ProblemDetails', 'CaseEvent', 'CaseSummary']),
    );
  });
});
