import { compactVerify, importJWK } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import {
  activateAccountResponseSchema,
  callbackResponseSchema,
  errorBodySchema,
  pendingAccountSchema,
  type StatusEvent,
  statusEventSchema,
  statusEventsResponseSchema,
  trackingLookupResponseSchema,
} from '../../../sync/protocol/index.ts';
import { deliver, type Harness, makePortal, TestTerminal } from './harness.ts';

let h: Harness;
afterEach(async () => {
  await h.close();
});

function error(res: { json(): unknown }) {
  return errorBodySchema.parse(res.json()).error;
}

async function events(t: TestTerminal, after?: string): Promise<{ events: StatusEvent[]; cursor: string }> {
  const res = await t.get(`/v1/status-events${after === undefined ? '' : `?after=${after}`}`);
  const body = statusEventsResponseSchema.parse(res.json());
  const key = await importJWK(h.portal.signingKey, 'ES256');
  const decoded: StatusEvent[] = [];
  for (const jws of body.events) {
    const { payload, protectedHeader } = await compactVerify(jws, key);
    expect(protectedHeader).toMatchObject({ alg: 'ES256', kid: h.portal.signingKey.kid, typ: 'status+jwt' });
    decoded.push(statusEventSchema.parse(JSON.parse(new TextDecoder().decode(payload))));
  }
  return { events: decoded, cursor: body.cursor };
}

describe('status events', () => {
  it('logs the decisions as signed events a terminal reads with a cursor', async () => {
    h = await makePortal();
    const t = await TestTerminal.enrolled(h.portal, h.clock);
    const sealed = await t.seal();
    await deliver(t, sealed);
    const first = await events(t);
    expect(first.events.map((e) => e.status)).toEqual(['received']);

    expect(h.portal.decide(sealed.submissionId, 'in_review').ok).toBe(true);
    expect(h.portal.decide(sealed.submissionId, 'accepted').ok).toBe(true);
    const next = await events(t, first.cursor);
    expect(next.events.map((e) => e.status)).toEqual(['in_review', 'accepted']);
    expect(next.events.every((e) => e.trackingNumber === sealed.trackingNumber)).toBe(true);
    // nothing new: the cursor stays
    const none = await events(t, next.cursor);
    expect(none).toEqual({ events: [], cursor: next.cursor });

    // a decided case cannot be rejected afterwards; unknown ids are refused
    expect(h.portal.decide(sealed.submissionId, 'rejected')).toMatchObject({
      ok: false,
      error: { code: 'status.transition' },
    });
    expect(h.portal.decide('nope', 'accepted')).toMatchObject({
      ok: false,
      error: { code: 'submission.not_found' },
    });
    // another terminal sees none of it
    const other = await TestTerminal.enrolled(h.portal, h.clock);
    expect((await events(other)).events).toEqual([]);
  });

  it('a tampered event does not verify', async () => {
    h = await makePortal();
    const t = await TestTerminal.enrolled(h.portal, h.clock);
    await deliver(t, await t.seal());
    const body = statusEventsResponseSchema.parse((await t.get('/v1/status-events')).json());
    const [header, payload, signature] = (body.events[0] ?? '').split('.');
    const changed = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as StatusEvent;
    const forged = `${header}.${Buffer.from(JSON.stringify({ ...changed, status: 'accepted' })).toString('base64url')}.${signature}`;
    const key = await importJWK(h.portal.signingKey, 'ES256');
    await expect(compactVerify(forged, key)).rejects.toThrow();
  });

  it('demo auto-acceptance follows the injected clock', async () => {
    h = await makePortal({ autoAcceptAfterMs: 30_000 });
    const t = await TestTerminal.enrolled(h.portal, h.clock);
    const sealed = await t.seal();
    await deliver(t, sealed);
    h.clock.advance(29_999);
    expect((await events(t)).events.map((e) => e.status)).toEqual(['received']);
    h.clock.advance(1);
    const after = await events(t);
    expect(after.events.map((e) => e.status)).toEqual(['received', 'in_review', 'accepted']);
    const received = Date.parse(after.events[0]?.at ?? '');
    expect(Date.parse(after.events[2]?.at ?? '')).toBe(received + 30_000);
  });

  it('validates the cursor', async () => {
    h = await makePortal();
    const t = await TestTerminal.enrolled(h.portal, h.clock);
    const res = await t.get('/v1/status-events?after=abc');
    expect(res.statusCode).toBe(400);
  });
});

describe('tracking lookup', () => {
  it('answers the status for the right pair and one 404 for either half wrong', async () => {
    h = await makePortal();
    const t = await TestTerminal.enrolled(h.portal, h.clock);
    const sealed = await t.seal({ birthDate: '1979-11-02' });
    await deliver(t, sealed);
    h.portal.decide(sealed.submissionId, 'in_review');
    const right = await t.post('/v1/tracking/lookup', {
      trackingNumber: sealed.trackingNumber,
      birthDate: '1979-11-02',
    });
    expect(right.statusCode).toBe(200);
    expect(trackingLookupResponseSchema.parse(right.json())).toMatchObject({
      trackingNumber: sealed.trackingNumber,
      status: 'in_review',
      serviceId: 'residence-permit-extension',
    });
    const wrongDate = await t.post('/v1/tracking/lookup', {
      trackingNumber: sealed.trackingNumber,
      birthDate: '1979-11-03',
    });
    const otherNumber = sealed.trackingNumber === 'ST-0000000000R' ? 'ST-0000000001U' : 'ST-00000000000';
    const wrongNumber = await t.post('/v1/tracking/lookup', {
      trackingNumber: otherNumber,
      birthDate: '1979-11-02',
    });
    expect(wrongDate.statusCode).toBe(404);
    expect(wrongNumber.statusCode).toBe(404);
    expect(wrongDate.json()).toEqual(wrongNumber.json());
    expect(error(wrongDate).code).toBe('tracking.not_found');
  });

  it('limits lookups per terminal with 429 and Retry-After', async () => {
    h = await makePortal({ trackingRateLimit: { max: 3, windowMs: 60_000 } });
    const t = await TestTerminal.enrolled(h.portal, h.clock);
    const ask = () =>
      t.post('/v1/tracking/lookup', { trackingNumber: 'ST-00000000000', birthDate: '2000-01-01' });
    for (let i = 0; i < 3; i++) expect((await ask()).statusCode).toBe(404);
    const limited = await ask();
    expect(limited.statusCode).toBe(429);
    expect(error(limited)).toMatchObject({ code: 'rate_limited', retryable: true });
    expect(Number(limited.headers['retry-after'])).toBe(60);
    // another terminal is not affected
    const other = await TestTerminal.enrolled(h.portal, h.clock);
    expect(
      (await other.post('/v1/tracking/lookup', { trackingNumber: 'ST-00000000000', birthDate: '2000-01-01' }))
        .statusCode,
    ).toBe(404);
    h.clock.advance(60_001);
    expect((await ask()).statusCode).toBe(404);
  });

  it('finds the demo history', async () => {
    h = await makePortal({ demo: true });
    const t = await TestTerminal.enrolled(h.portal, h.clock);
    for (const demo of h.portal.demoTracking) {
      const res = await t.post('/v1/tracking/lookup', {
        trackingNumber: demo.trackingNumber,
        birthDate: demo.birthDate,
      });
      expect(trackingLookupResponseSchema.parse(res.json()).status).toBe(demo.status);
    }
  });
});

describe('service accounts pending activation', () => {
  it('finds the one account by name in its own script, without diacritics, or in the MRZ form, with its birth date', async () => {
    h = await makePortal({ demo: true });
    const t = await TestTerminal.enrolled(h.portal, h.clock);
    const find = async (name: string, birthDate: string) => {
      const res = await t.post('/v1/accounts/pending/search', { name, birthDate });
      return res.statusCode === 200 ? pendingAccountSchema.parse(res.json()).accountId : error(res).code;
    };
    expect(await find('Олександр Шевченко', '1979-11-02')).toBe('acc-demo-oleksandr');
    expect(await find('SHEVCHENKO OLEKSANDR', '1979-11-02')).toBe('acc-demo-oleksandr');
    expect(await find('yilmaz ayse', '1988-03-14')).toBe('acc-demo-ayse');
    expect(await find('محمد الأحمد', '1992-07-21')).toBe('acc-demo-mohammad');
    expect(await find('Nguyen Thi Minh Khai', '1995-01-30')).toBe('acc-demo-nguyen');
    expect(await find('Γεώργιος Παπαδόπουλος', '1983-05-09')).toBe('acc-demo-georgios');
    expect(await find('李明', '1990-12-24')).toBe('acc-demo-li');
    h.clock.advance(10 * 60_000);
    expect(await find('Maria Jose Garcia Lopez', '2001-09-17')).toBe('acc-demo-maria');
    // a part of a name, another birth date, a LIKE wildcard: nothing
    expect(await find('Garcia', '2001-09-17')).toBe('account.not_found');
    expect(await find('Schmidt', '2001-09-17')).toBe('account.not_found');
    expect(await find('%%', '2001-09-17')).toBe('account.not_found');
    const one = await t.post('/v1/accounts/pending/search', { name: 'Ayse Yilmaz', birthDate: '1988-03-14' });
    expect(pendingAccountSchema.parse(one.json()).emailHint).toBe('a***@example.org');
    expect(one.json()).not.toHaveProperty('accounts');
    h.clock.advance(10 * 60_000);
    expect(
      (await t.post('/v1/accounts/pending/search', { name: 'a', birthDate: '1988-03-14' })).statusCode,
    ).toBe(400);
    expect((await t.get('/v1/accounts/pending?name=Ayse')).statusCode).toBe(404);
  });

  it("activates with the clerk's confirmation once", async () => {
    h = await makePortal({ demo: true });
    const t = await TestTerminal.enrolled(h.portal, h.clock);
    const request = {
      clerk: { staffId: 'clerk-0042', method: 'badge+pin' },
      document: { kind: 'passport', checkedBy: 'mrz' },
    };
    const res = await t.post('/v1/accounts/acc-demo-ayse/activate', request, {
      'idempotency-key': 'activate-ayse-1',
    });
    expect(res.statusCode).toBe(200);
    expect(activateAccountResponseSchema.parse(res.json()).status).toBe('active');
    // a repeat with the same key is the same answer; without it, the account is no longer pending
    const replay = await t.post('/v1/accounts/acc-demo-ayse/activate', request, {
      'idempotency-key': 'activate-ayse-1',
    });
    expect(replay.json()).toEqual(res.json());
    const again = await t.post('/v1/accounts/acc-demo-ayse/activate', request);
    expect(again.statusCode).toBe(409);
    expect(error(again).code).toBe('account.not_pending');
    const gone = await t.post('/v1/accounts/pending/search', {
      name: 'Ayşe Yılmaz',
      birthDate: '1988-03-14',
    });
    expect(error(gone).code).toBe('account.not_found');
    expect((await t.post('/v1/accounts/acc-nobody/activate', request)).statusCode).toBe(404);
    const noClerk = await t.post('/v1/accounts/acc-demo-li/activate', { document: request.document });
    expect(noClerk.statusCode).toBe(400);
  });
});

describe('call-back tickets', () => {
  it('creates a ticket and refuses an invalid phone number', async () => {
    h = await makePortal();
    const t = await TestTerminal.enrolled(h.portal, h.clock);
    const res = await t.post('/v1/callbacks', {
      serviceId: 'residence-permit-extension',
      language: 'tr',
      name: 'Ayşe Yılmaz',
      phone: '+49 170 1234567',
      preferredSlots: ['morning'],
    });
    expect(res.statusCode).toBe(201);
    expect(callbackResponseSchema.parse(res.json()).ticketNumber).toMatch(/^R-\d+$/);
    const bad = await t.post('/v1/callbacks', {
      serviceId: 'x',
      language: 'de',
      name: 'A',
      phone: 'call me',
    });
    expect(bad.statusCode).toBe(400);
    expect(error(bad).code).toBe('request.invalid');
  });
});
