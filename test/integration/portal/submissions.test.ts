import { createHash } from 'node:crypto';
import { compactVerify, importJWK } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createSubmissionResponseSchema,
  errorBodySchema,
  partResponseSchema,
  statusEventSchema,
  statusEventsResponseSchema,
  submitResponseSchema,
} from '../../../sync/protocol/index.ts';
import { createBody, deliver, type Harness, keysOf, makePortal, TestTerminal } from './harness.ts';

let h: Harness;
let t: TestTerminal;
beforeEach(async () => {
  h = await makePortal();
  t = await TestTerminal.enrolled(h.portal, h.clock);
});
afterEach(async () => {
  await h.close();
});

function error(res: { json(): unknown }) {
  return errorBodySchema.parse(res.json()).error;
}

describe('authority keys', () => {
  it('publishes at least two valid keys, newest first, and a rotation puts the new one first', async () => {
    const before = keysOf(await t.get('/v1/authority-keys'));
    expect(before.length).toBeGreaterThanOrEqual(2);
    const kid = await h.portal.rotateAuthorityKeys();
    const after = keysOf(await t.get('/v1/authority-keys'));
    expect(after[0]?.kid).toBe(kid);
    expect(after.map((k) => k.kid)).toEqual(expect.arrayContaining(before.map((k) => k.kid)));
    // older keys now expire within the overlap period
    for (const k of after.slice(1))
      expect(Date.parse(k.notAfter)).toBeLessThanOrEqual(h.clock.now() + 30 * 86_400_000);
  });

  it('still opens an item sealed to the old key after a rotation', async () => {
    const sealed = await t.seal();
    await h.portal.rotateAuthorityKeys();
    const res = await deliver(t, sealed);
    expect(res.statusCode).toBe(200);
    expect(h.portal.submission(sealed.submissionId)?.authorityKid).toBe(sealed.authorityKid);
  });
});

describe('creating a submission with an Idempotency-Key', () => {
  it('answers the same for the same key and body, and 422 for the same key with another body', async () => {
    const sealed = await t.seal();
    const body = createBody(sealed);
    const first = await t.post('/v1/submissions', body, { 'idempotency-key': 'key-aaaa-0001' });
    expect(first.statusCode).toBe(201);
    const state = createSubmissionResponseSchema.parse(first.json());
    expect(state.parts.map((p) => p.received)).toEqual([0, 0]);
    const again = await t.post('/v1/submissions', body, { 'idempotency-key': 'key-aaaa-0001' });
    expect(again.statusCode).toBe(201);
    expect(again.json()).toEqual(first.json());
    expect(again.headers['idempotent-replayed']).toBe('true');
    const other = await t.seal();
    const mismatch = await t.post('/v1/submissions', createBody(other), {
      'idempotency-key': 'key-aaaa-0001',
    });
    expect(mismatch.statusCode).toBe(422);
    expect(error(mismatch).code).toBe('idempotency.mismatch');
    expect(h.portal.submission(other.submissionId)).toBeUndefined();
  });

  it('requires the key', async () => {
    const res = await t.post('/v1/submissions', createBody(await t.seal()));
    expect(res.statusCode).toBe(400);
    expect(error(res).code).toBe('idempotency.key_required');
  });

  it('answers concurrent requests with one key: exactly one 201, the others 409 in flight', async () => {
    // a slow portal: a request waits inside, after claiming its key, until the test releases it
    const waiting: (() => void)[] = [];
    await h.close();
    h = await makePortal({
      sleep: () =>
        new Promise<void>((resolve) => {
          waiting.push(resolve);
        }),
    });
    t = await TestTerminal.enrolled(h.portal, h.clock);
    const body = createBody(await t.seal());
    h.portal.setFaults({ latencyMs: 50 });
    let settled = 0;
    const requests = Array.from({ length: 5 }, () =>
      t.post('/v1/submissions', body, { 'idempotency-key': 'key-concurrent-1' }).finally(() => {
        settled += 1;
      }),
    );
    // four are answered while the first holds the key
    while (settled < 4) await new Promise((r) => setImmediate(r));
    expect(waiting).toHaveLength(1);
    waiting.splice(0).forEach((release) => {
      release();
    });
    const answers = await Promise.all(requests);
    const statuses = answers.map((a) => a.statusCode).sort();
    expect(statuses).toEqual([201, 409, 409, 409, 409]);
    for (const a of answers.filter((x) => x.statusCode === 409)) {
      expect(error(a)).toMatchObject({ code: 'idempotency.in_flight', retryable: true });
      expect(a.headers['retry-after']).toBe('1');
    }
    // afterwards the key answers with the stored 201
    h.portal.setFaults({ latencyMs: 0 });
    const after = await t.post('/v1/submissions', body, { 'idempotency-key': 'key-concurrent-1' });
    expect(after.statusCode).toBe(201);
    expect(after.json()).toEqual(answers.find((a) => a.statusCode === 201)?.json());
  });

  it('refuses a part manifest that differs from the signed manifest', async () => {
    const sealed = await t.seal();
    const body = createBody(sealed);
    const forged = { ...body, parts: body.parts.map((p) => ({ ...p, sealedSize: p.sealedSize + 1 })) };
    const res = await t.post('/v1/submissions', forged, { 'idempotency-key': 'key-forged-01' });
    expect(res.statusCode).toBe(422);
    expect(error(res)).toMatchObject({ code: 'submission.rejected', reason: 'seal.hash_mismatch' });
  });

  it('refuses another submission under an existing id', async () => {
    const a = await t.seal();
    const b = await t.seal();
    expect(
      (await t.post('/v1/submissions', createBody(a), { 'idempotency-key': 'key-a-000001' })).statusCode,
    ).toBe(201);
    const clash = { ...createBody(b), submissionId: a.submissionId, manifestSignature: undefined };
    const res = await t.post('/v1/submissions', clash, { 'idempotency-key': 'key-b-000001' });
    expect(res.statusCode).toBe(409);
    expect(error(res).code).toBe('submission.exists');
  });
});

describe('chunked parts', () => {
  it('resumes by offset, acknowledges a repeated chunk, refuses gaps, differing overlaps and excess', async () => {
    const sealed = await t.seal({ attachmentBytes: 5000 });
    await t.post('/v1/submissions', createBody(sealed), { 'idempotency-key': 'key-chunks-01' });
    const part = sealed.parts.find((p) => p.partId === 'summary');
    if (part === undefined) throw new Error('no attachment part');
    const bytes = Buffer.from(part.jwe);
    const id = sealed.submissionId;

    const first = await t.putChunk(id, 'summary', 0, bytes.subarray(0, 1000));
    expect(partResponseSchema.parse(first.json())).toMatchObject({ received: 1000, complete: false });
    // the answer was lost; the terminal asks how much arrived
    const probe = await t.get(`/v1/submissions/${id}/parts/summary`);
    expect(partResponseSchema.parse(probe.json()).received).toBe(1000);
    // a resend of the same chunk is acknowledged without growing the part
    const resend = await t.putChunk(id, 'summary', 0, bytes.subarray(0, 1000));
    expect(resend.statusCode).toBe(200);
    expect(partResponseSchema.parse(resend.json()).received).toBe(1000);
    // a gap
    const gap = await t.putChunk(id, 'summary', 2000, bytes.subarray(2000, 3000));
    expect(gap.statusCode).toBe(409);
    expect(error(gap)).toMatchObject({ code: 'part.gap', received: 1000 });
    // an overlap with different bytes
    const changed = Buffer.from(bytes.subarray(500, 1500));
    changed[0] = changed[0] === 0x41 ? 0x42 : 0x41;
    const overlap = await t.putChunk(id, 'summary', 500, changed);
    expect(overlap.statusCode).toBe(409);
    expect(error(overlap)).toMatchObject({ code: 'part.overlap', received: 1000 });
    // an overlap with the same bytes appends only the new tail
    const tail = await t.putChunk(id, 'summary', 500, bytes.subarray(500, 1500));
    expect(partResponseSchema.parse(tail.json()).received).toBe(1500);
    // beyond the declared size
    const excess = await t.putChunk(
      id,
      'summary',
      1500,
      Buffer.concat([bytes.subarray(1500), Buffer.from('xx')]),
    );
    expect(excess.statusCode).toBe(413);
    expect(error(excess).code).toBe('part.too_large');
    const rest = await t.putChunk(id, 'summary', 1500, bytes.subarray(1500));
    expect(partResponseSchema.parse(rest.json())).toMatchObject({ received: bytes.length, complete: true });
    // submit without the data part: incomplete
    const early = await t.post(`/v1/submissions/${id}/submit`, {});
    expect(early.statusCode).toBe(409);
    expect(error(early)).toMatchObject({ code: 'submission.incomplete', missingParts: ['data'] });
  });

  it('answers 404 for unknown submissions and parts, and for another terminal', async () => {
    const sealed = await t.seal();
    await t.post('/v1/submissions', createBody(sealed), { 'idempotency-key': 'key-404-0001' });
    expect(error(await t.get(`/v1/submissions/${sealed.submissionId}/parts/nope`)).code).toBe(
      'part.not_found',
    );
    expect(error(await t.get('/v1/submissions/unknown/parts/data')).code).toBe('submission.not_found');
    const other = await TestTerminal.enrolled(h.portal, h.clock);
    expect((await other.get(`/v1/submissions/${sealed.submissionId}/parts/data`)).statusCode).toBe(404);
  });

  it('refuses a chunk that is not application/octet-stream', async () => {
    const sealed = await t.seal();
    await t.post('/v1/submissions', createBody(sealed), { 'idempotency-key': 'key-ctype-001' });
    const res = await h.portal.app.inject({
      method: 'PUT',
      url: `/v1/submissions/${sealed.submissionId}/parts/data?offset=0`,
      headers: await t.headers({ 'content-type': 'text/plain' }),
      payload: 'hello',
    });
    expect(res.statusCode).toBe(415);
  });
});

describe('submit', () => {
  it('opens a valid sealed submission, stores it, answers the same on repeat, and logs a signed event', async () => {
    const sealed = await t.seal({ birthDate: '1990-05-17', attachmentBytes: 4096 });
    const res = await deliver(t, sealed, 700);
    expect(res.statusCode).toBe(200);
    const delivered = submitResponseSchema.parse(res.json());
    expect(delivered.trackingNumber).toBe(sealed.trackingNumber);
    const info = h.portal.submission(sealed.submissionId);
    expect(info).toMatchObject({
      state: 'delivered',
      status: 'received',
      serviceId: 'residence-permit-extension',
    });
    expect(info?.application).toMatchObject({ applicant: { birthDate: '1990-05-17', givenNames: 'Ayşe' } });
    expect(info?.attachments).toEqual([{ partId: 'summary', mediaType: 'application/pdf', size: 4096 }]);
    const again = await t.post(`/v1/submissions/${sealed.submissionId}/submit`, {});
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(res.json());
    // a late chunk for a delivered submission changes nothing
    const late = await t.putChunk(sealed.submissionId, 'data', 0, Buffer.from('x'));
    expect(partResponseSchema.parse(late.json()).complete).toBe(true);

    const events = statusEventsResponseSchema.parse((await t.get('/v1/status-events')).json());
    expect(events.events).toHaveLength(1);
    const key = await importJWK(h.portal.signingKey, 'ES256');
    const { payload } = await compactVerify(events.events[0] ?? '', key);
    const event = statusEventSchema.parse(JSON.parse(new TextDecoder().decode(payload)));
    expect(event).toMatchObject({
      submissionId: sealed.submissionId,
      status: 'received',
      terminalId: t.terminalId,
    });
  });

  it('rejects tampered ciphertext permanently with submission.rejected and a reason', async () => {
    const sealed = await t.seal();
    // flip one character in the attachment's ciphertext, keeping the upload consistent with the manifest
    const parts = sealed.parts.map((p) => {
      if (p.partId !== 'summary') return p;
      const pieces = p.jwe.split('.');
      const ct = pieces[3] ?? '';
      pieces[3] = `${ct[0] === 'A' ? 'B' : 'A'}${ct.slice(1)}`;
      const jwe = pieces.join('.');
      return { ...p, jwe, sha512OfSealed: sha512(jwe) };
    });
    const tampered = { ...sealed, parts, manifestSignature: '' };
    const body = { ...createBody(tampered) };
    delete body.manifestSignature;
    expect((await t.post('/v1/submissions', body, { 'idempotency-key': 'key-tamper-01' })).statusCode).toBe(
      201,
    );
    for (const p of parts)
      expect((await t.putChunk(sealed.submissionId, p.partId, 0, Buffer.from(p.jwe))).statusCode).toBe(200);
    const res = await t.post(`/v1/submissions/${sealed.submissionId}/submit`, {});
    expect(res.statusCode).toBe(422);
    expect(error(res)).toMatchObject({
      code: 'submission.rejected',
      retryable: false,
      reason: 'seal.hash_mismatch',
    });
    expect(h.portal.submission(sealed.submissionId)).toMatchObject({
      state: 'rejected',
      rejectCode: 'seal.hash_mismatch',
    });
    const again = await t.post(`/v1/submissions/${sealed.submissionId}/submit`, {});
    expect(again.statusCode).toBe(422);
    expect(error(again).reason).toBe('seal.hash_mismatch');
  });

  it('rejects a part that is not ASCII as malformed, once its bytes match the declared hash', async () => {
    const sealed = await t.seal();
    const parts = sealed.parts.map((p) => {
      if (p.partId !== 'summary') return p;
      const jwe = `${p.jwe.slice(0, -1)}é`;
      return { ...p, jwe, sealedSize: Buffer.byteLength(jwe), sha512OfSealed: sha512(jwe) };
    });
    const body = { ...createBody({ ...sealed, parts, manifestSignature: '' }) };
    delete body.manifestSignature;
    expect((await t.post('/v1/submissions', body, { 'idempotency-key': 'key-ascii-01' })).statusCode).toBe(
      201,
    );
    for (const p of parts)
      expect((await t.putChunk(sealed.submissionId, p.partId, 0, Buffer.from(p.jwe))).statusCode).toBe(200);
    const res = await t.post(`/v1/submissions/${sealed.submissionId}/submit`, {});
    expect(res.statusCode).toBe(422);
    expect(error(res)).toMatchObject({ code: 'submission.rejected', reason: 'seal.malformed' });
  });

  it('rejects a submission signed by a key other than the terminal’s', async () => {
    const impostor = await TestTerminal.create(h.portal, h.clock);
    // sealed with another device key but claiming this terminal and its key id
    const forgedSealer = Object.assign(Object.create(Object.getPrototypeOf(impostor)), impostor, {
      terminalId: t.terminalId,
      keyId: t.keyId,
    }) as TestTerminal;
    const sealed = await forgedSealer.seal({ authority: await t.authorityKey() });
    const body = createBody(sealed);
    delete (body as { manifestSignature?: string }).manifestSignature;
    await t.post('/v1/submissions', body, { 'idempotency-key': 'key-forged-sig1' });
    for (const p of sealed.parts) await t.putChunk(sealed.submissionId, p.partId, 0, Buffer.from(p.jwe));
    const res = await t.post(`/v1/submissions/${sealed.submissionId}/submit`, {});
    expect(res.statusCode).toBe(422);
    expect(error(res).reason).toBe('seal.bad_signature');
  });
});

function sha512(s: string): string {
  return createHash('sha512').update(s).digest('hex');
}
