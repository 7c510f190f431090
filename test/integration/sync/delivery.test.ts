import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_CHUNK_BYTES } from '../../../sync/protocol/index.ts';
import { applicationWith, makeRig, type Rig } from './setup.ts';

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.dispose();
  rig = undefined;
});

describe('delivery to the reference portal', () => {
  it('delivers a queued application with an attachment, once, and the portal opens it', async () => {
    rig = await makeRig();
    const t = await rig.open({ engine: { chunkBytes: 64 * 1024 } });
    const pdf = Buffer.alloc(200 * 1024, 7);
    const e = await t.outbox.enqueue({
      ...applicationWith('one'),
      attachments: [{ partId: 'summary', mediaType: 'application/pdf', content: pdf }],
    });
    expect(e.ok).toBe(true);
    if (!e.ok) return;
    const pass = await t.engine.runPass();
    expect(pass).toMatchObject({ attempted: 1, delivered: 1, pending: 0 });
    expect(t.outbox.get(e.value.submissionId)?.state).toBe('delivered');
    const s = rig.portal.submission(e.value.submissionId);
    expect(s).toMatchObject({ state: 'delivered', trackingNumber: e.value.trackingNumber });
    expect(s?.attachments).toEqual([{ partId: 'summary', mediaType: 'application/pdf', size: pdf.length }]);
    expect(rig.portal.submissions()).toHaveLength(1);
  });

  it.each([
    ['by default', undefined],
    ['when configured larger', 8 * 1024 * 1024],
  ])("sends chunks of the protocol's largest size %s", async (_, chunkBytes) => {
    rig = await makeRig();
    let chunks = 0;
    const t = await rig.open({
      ...(chunkBytes === undefined ? {} : { engine: { chunkBytes } }),
      onDeliveryStep: (step) => {
        if (step === 'chunk') chunks++;
      },
    });
    const e = await t.outbox.enqueue({
      ...applicationWith('large'),
      attachments: [{ partId: 'scan', mediaType: 'application/pdf', content: randomBytes(2_500_000) }],
    });
    if (!e.ok) throw new Error(e.error.code);
    const sizes = t.outbox.loadSealed(e.value.submissionId)?.parts.map((p) => p.sealedSize) ?? [];
    expect(Math.max(...sizes)).toBeGreaterThan(3 * MAX_CHUNK_BYTES);
    const pass = await t.engine.runPass();
    expect(pass).toMatchObject({ delivered: 1, quarantined: 0 });
    expect(chunks).toBe(sizes.reduce((n, size) => n + Math.ceil(size / MAX_CHUNK_BYTES), 0));
    expect(rig.portal.submission(e.value.submissionId)?.attachments).toEqual([
      { partId: 'scan', mediaType: 'application/pdf', size: 2_500_000 },
    ]);
  });
});

describe('failure paths against the reference portal', () => {
  it('survives a lost acknowledgement: the retry with the same key gets the same answer, no duplicate', async () => {
    rig = await makeRig();
    const t = await rig.open({ engine: { baseDelayMs: 1, probeIntervalMs: 10 } });
    const e = await t.outbox.enqueue(applicationWith('lost-ack'));
    if (!e.ok) throw new Error(e.error.code);
    rig.portal.setFaults({ lostAckRate: 1 });
    const first = await t.engine.runPass();
    expect(first.delivered).toBe(0);
    expect(rig.portal.submissions()).toHaveLength(1);
    rig.portal.setFaults({ lostAckRate: 0 });
    for (let i = 0; i < 5 && t.outbox.get(e.value.submissionId)?.state !== 'delivered'; i++) {
      t.outbox.makeAllDue(Date.now());
      await t.engine.runPass();
    }
    expect(t.outbox.get(e.value.submissionId)?.state).toBe('delivered');
    expect(rig.portal.submissions()).toHaveLength(1);
    expect(rig.portal.submission(e.value.submissionId)?.state).toBe('delivered');
  });

  it('answers concurrent replays of one key the same way and stores one submission', async () => {
    rig = await makeRig();
    const t = await rig.open();
    const e = await t.outbox.enqueue(applicationWith('replay'));
    if (!e.ok) throw new Error(e.error.code);
    const sealed = t.outbox.loadSealed(e.value.submissionId);
    if (!sealed) throw new Error('no sealed');
    const body = {
      submissionId: sealed.submissionId,
      metadata: sealed.metadata,
      parts: sealed.parts.map(({ jwe: _jwe, ...p }) => p),
      manifestSignature: sealed.manifestSignature,
    };
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => t.client.createSubmission(e.value.idempotencyKey, body)),
    );
    for (const a of answers) {
      if (a.ok) expect(a.value.submissionId).toBe(sealed.submissionId);
      else expect(a.error.code).toBe('idempotency.in_flight');
    }
    expect(answers.some((a) => a.ok)).toBe(true);
    const otherBody = { ...body, parts: body.parts.map((p) => ({ ...p, mediaType: 'text/plain' })) };
    const other = await t.client.createSubmission(e.value.idempotencyKey, otherBody);
    expect(other).toMatchObject({ ok: false, error: { kind: 'permanent', code: 'idempotency.mismatch' } });
    const data = sealed.parts[0];
    if (!data) throw new Error('no part');
    await t.client.putPart(sealed.submissionId, data.partId, 0, new TextEncoder().encode(data.jwe));
    const submits = await Promise.all(Array.from({ length: 6 }, () => t.client.submit(sealed.submissionId)));
    const received = new Set(submits.flatMap((s) => (s.ok ? [s.value.receivedAt] : [])));
    expect(received.size).toBe(1);
    expect(rig.portal.submissions()).toHaveLength(1);
  });

  it('delivers items sealed under the old authority key after a rotation', async () => {
    rig = await makeRig();
    const t = await rig.open();
    const before = await t.outbox.enqueue(applicationWith('old-key'));
    const newKid = await rig.portal.rotateAuthorityKeys();
    const keys = await t.refreshAuthorityKeys();
    expect(keys.ok && keys.value[0]?.kid).toBe(newKid);
    const after = await t.outbox.enqueue(applicationWith('new-key'));
    if (!before.ok || !after.ok) throw new Error('enqueue failed');
    expect(t.outbox.loadSealed(after.value.submissionId)?.authorityKid).toBe(newKid);
    expect(t.outbox.loadSealed(before.value.submissionId)?.authorityKid).not.toBe(newKid);
    expect((await t.engine.runPass()).delivered).toBe(2);
    expect(rig.portal.submission(before.value.submissionId)?.state).toBe('delivered');
    expect(rig.portal.submission(after.value.submissionId)?.authorityKid).toBe(newKid);
  });

  it('counts a captive portal page as a failure and delivers once the real portal answers', async () => {
    rig = await makeRig();
    const t = await rig.open({ engine: { baseDelayMs: 1 } });
    const e = await t.outbox.enqueue(applicationWith('captive'));
    if (!e.ok) throw new Error(e.error.code);
    rig.portal.setFaults({ captive: true });
    const pass = await t.engine.runPass();
    expect(pass.delivered).toBe(0);
    expect(t.outbox.get(e.value.submissionId)?.lastErrorCode).toBe('response.invalid');
    rig.portal.setFaults({ captive: false });
    t.outbox.makeAllDue(Date.now());
    expect((await t.engine.runPass()).delivered).toBe(1);
  });

  it('applies the portal-signed decision to the tracking state', async () => {
    rig = await makeRig();
    const t = await rig.open({ engine: { statusPollMs: 0 } });
    const e = await t.outbox.enqueue(applicationWith('decided'));
    if (!e.ok) throw new Error(e.error.code);
    await t.engine.runPass();
    expect(rig.portal.decide(e.value.submissionId, 'accepted')).toMatchObject({ ok: true });
    await t.engine.runPass();
    expect(t.outbox.get(e.value.submissionId)).toMatchObject({
      state: 'accepted',
      trackingStatus: 'accepted',
    });
  });
});

describe('a crash at every step boundary of a delivery, against the reference portal', () => {
  const steps = ['marked', 'created', 'chunk', 'parts_done', 'submitted', 'recorded'] as const;
  it.each(steps)('delivers exactly once after the process dies at %s', async (step) => {
    rig = await makeRig();
    class Crash extends Error {}
    const dying = await rig.open({
      engine: { chunkBytes: 16 * 1024 },
      onDeliveryStep: (s) => {
        if (s === step) throw new Crash(s);
      },
    });
    const e = await dying.outbox.enqueue({
      ...applicationWith(`crash-${step}`),
      attachments: [{ partId: 'summary', mediaType: 'application/pdf', content: Buffer.alloc(40 * 1024, 1) }],
    });
    if (!e.ok) throw new Error(e.error.code);
    await expect(dying.engine.runPass()).rejects.toBeInstanceOf(Crash);
    await dying.close();
    // the next start opens the same files
    const t = await rig.open({ engine: { chunkBytes: 16 * 1024 } });
    t.outbox.recoverInterrupted();
    t.outbox.makeAllDue(Date.now());
    await t.engine.runPass();
    expect(t.outbox.get(e.value.submissionId)?.state).toBe('delivered');
    expect(rig.portal.submissions()).toHaveLength(1);
    expect(rig.portal.submission(e.value.submissionId)).toMatchObject({
      state: 'delivered',
      trackingNumber: e.value.trackingNumber,
    });
  });
});
