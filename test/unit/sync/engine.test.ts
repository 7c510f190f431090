import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Alarms } from '../../../sync/alarms.ts';
import type { DeliveryStep } from '../../../sync/delivery.ts';
import { type EngineOptions, SyncEngine } from '../../../sync/engine.ts';
import { Outbox } from '../../../sync/outbox.ts';
import { openStore } from '../../../sync/store.ts';
import { FakePortal, netError, serverError } from './fakes.ts';
import { application, type Harness, makeHarness } from './harness.ts';
import { type DeviceKeyPair, makeDeviceKey } from './keys.ts';

let h: Harness;
let portal: FakePortal;
let portalKey: DeviceKeyPair;
let engine: SyncEngine;
let random = 0.5;

beforeEach(async () => {
  h = await makeHarness();
  portal = new FakePortal((id) => h.outbox.get(id)?.trackingNumber);
  portalKey = await makeDeviceKey('portal');
  random = 0.5;
  engine = build();
});
afterEach(async () => {
  await engine.dispose();
  h.dispose();
});

function build(options: EngineOptions = {}, onStep?: (s: DeliveryStep, id: string) => void): SyncEngine {
  return new SyncEngine({
    outbox: h.outbox,
    alarms: h.alarms,
    api: portal,
    clock: h.clock,
    scheduler: h.clock,
    random: () => random,
    terminalId: 'T-1',
    devicePublicKey: h.device.publicJwk,
    portalSigningKey: portalKey.publicJwk,
    options: { baseDelayMs: 1000, maxDelayMs: 60_000, chunkBytes: 1000, ...options },
    ...(onStep ? { onStep } : {}),
  });
}

async function enqueue(marker = 'x', attachmentBytes = 0) {
  const r = await h.outbox.enqueue({
    ...application(marker),
    attachments:
      attachmentBytes > 0
        ? [
            {
              partId: 'summary',
              mediaType: 'application/pdf',
              content: new Uint8Array(attachmentBytes).fill(3),
            },
          ]
        : [],
  });
  if (!r.ok) throw new Error(r.error.code);
  return r.value;
}

class Crash extends Error {}

describe('SyncEngine', () => {
  it('delivers in chunks and records delivery', async () => {
    const e = await enqueue('a', 3000);
    const progress: number[] = [];
    engine.onProgress((p) => {
      if (p.current) progress.push(p.current.bytesSent);
    });
    const pass = await engine.runPass();
    expect(pass).toMatchObject({ attempted: 1, delivered: 1, pending: 0 });
    expect(h.outbox.get(e.submissionId)?.state).toBe('delivered');
    expect(portal.count('putPart')).toBeGreaterThan(4);
    expect(progress.length).toBe(portal.count('putPart'));
    expect(progress.at(-1)).toBe(
      h.outbox.loadSealed(e.submissionId)?.parts.reduce((n, p) => n + p.sealedSize, 0),
    );
    const [create] = portal.calls.filter((c) => c.method === 'createSubmission');
    expect(create?.args[0]).toBe(e.idempotencyKey);
  });

  it('resumes an interrupted upload from what the portal holds, resending at most one chunk', async () => {
    const e = await enqueue('a', 8000);
    const total = h.outbox.loadSealed(e.submissionId)?.parts.reduce((n, p) => n + p.sealedSize, 0) ?? 0;
    portal.calls.length = 0;
    // the 5th chunk is written by the portal but its answer is lost
    let puts = 0;
    const orig = portal.putPart.bind(portal);
    portal.putPart = async (...args) => {
      puts++;
      if (puts === 5) portal.lostAck.set('putPart', 1);
      return orig(...args);
    };
    const first = await engine.runPass();
    expect(first.delivered).toBe(0);
    h.clock.advance(60_000);
    const second = await engine.runPass();
    expect(second.delivered).toBe(1);
    expect(portal.bytesReceived - total).toBeLessThanOrEqual(1000);
    expect(portal.count('getPart')).toBeGreaterThan(0);
    expect(portal.deliveredCount).toBe(1);
  });

  it('retries a 5xx with full-jitter backoff and honours Retry-After', async () => {
    const e = await enqueue();
    portal.fail('createSubmission', serverError);
    await engine.runPass();
    expect(h.outbox.get(e.submissionId)).toMatchObject({
      state: 'queued',
      attempts: 1,
      lastErrorCode: 'server.error',
    });
    expect(h.outbox.get(e.submissionId)?.nextAttemptAt).toBe(h.clock.now() + 500);
    h.clock.advance(500);
    portal.fail('submit', {
      kind: 'retryable',
      code: 'rate_limited',
      message: '',
      status: 429,
      retryAfterMs: 30_000,
    });
    await engine.runPass();
    expect(h.outbox.get(e.submissionId)?.nextAttemptAt).toBe(h.clock.now() + 30_000);
    h.clock.advance(29_999);
    expect((await engine.runPass()).attempted).toBe(0);
    h.clock.advance(1);
    expect((await engine.runPass()).delivered).toBe(1);
    expect(portal.deliveredCount).toBe(1);
  });

  it('quarantines on a permanent refusal, raises an alarm and never retries it', async () => {
    const e = await enqueue();
    portal.fail('submit', {
      kind: 'permanent',
      code: 'submission.rejected',
      reason: 'seal.bad_signature',
      message: '',
      status: 422,
    });
    const pass = await engine.runPass();
    expect(pass.quarantined).toBe(1);
    expect(h.outbox.get(e.submissionId)).toMatchObject({
      state: 'rejected',
      rejectCode: 'seal.bad_signature',
    });
    expect(h.alarms.isOpen('sync.quarantined')).toBe(true);
    h.clock.advance(86_400_000);
    expect((await engine.runPass()).attempted).toBe(0);
  });

  it('detects a tampered ciphertext in its own queue, quarantines it and does not send it', async () => {
    const e = await enqueue();
    const row = h.store.db.prepare("SELECT jwe FROM parts WHERE part_id = 'data'").get() as { jwe: string };
    const tampered = `${row.jwe.slice(0, 200)}${row.jwe[200] === 'A' ? 'B' : 'A'}${row.jwe.slice(201)}`;
    h.store.db.prepare("UPDATE parts SET jwe = ? WHERE part_id = 'data'").run(tampered);
    const pass = await engine.runPass();
    expect(pass.quarantined).toBe(1);
    expect(portal.count('createSubmission')).toBe(0);
    expect(h.outbox.get(e.submissionId)).toMatchObject({
      state: 'rejected',
      rejectSource: 'terminal',
      rejectCode: 'seal.hash_mismatch',
    });
    expect(h.alarms.isOpen('sync.integrity')).toBe(true);
  });

  it('raises the re-enrolment alarm on an authentication failure and stops the pass', async () => {
    await enqueue('a');
    await enqueue('b');
    portal.fail('createSubmission', { kind: 'auth', code: 'auth.invalid', message: '', status: 401 });
    const pass = await engine.runPass();
    expect(pass).toMatchObject({ authFailed: true, attempted: 1 });
    expect(h.alarms.isOpen('sync.auth')).toBe(true);
    h.clock.advance(15 * 60_000);
    expect((await engine.runPass()).delivered).toBe(2);
    expect(h.alarms.isOpen('sync.auth')).toBe(false);
  });

  it('retries at once after a clock-skew answer and raises an alarm', async () => {
    const e = await enqueue();
    portal.fail('createSubmission', {
      kind: 'clock_skew',
      code: 'auth.clock_skew',
      message: '',
      status: 401,
    });
    const pass = await engine.runPass();
    expect(pass.delivered).toBe(1);
    expect(h.outbox.get(e.submissionId)?.attempts).toBe(2);
    expect(h.alarms.isOpen('sync.clock_skew')).toBe(true);
  });

  it('goes offline on a network failure, probes while items wait, and sends within 5 s of the network coming back', async () => {
    engine = build({ probeIntervalMs: 2000 });
    await enqueue();
    portal.fail('createSubmission', netError);
    portal.fail('health', netError, netError, netError);
    engine.start();
    h.clock.runNext(); // first pass: network error, probe fails → offline
    await engine.idle();
    expect(engine.offline).toBe(true);
    const wentOfflineAt = h.clock.monotonic();
    // two more probes fail, then the network is back
    for (let i = 0; i < 2; i++) {
      expect(h.clock.nextDue()).toBe(h.clock.monotonic() + 2000);
      h.clock.runNext();
      await engine.idle();
    }
    expect(portal.deliveredCount).toBe(0);
    const backAt = h.clock.monotonic();
    h.clock.runNext();
    await engine.idle();
    expect(portal.deliveredCount).toBe(1);
    expect(h.clock.monotonic() - backAt).toBeLessThanOrEqual(5000);
    expect(h.clock.monotonic()).toBeGreaterThan(wentOfflineAt);
  });

  it('keeps retrying within the backoff cap when the wall clock is stepped back 6 h, and raises an alarm', async () => {
    const e = await enqueue();
    portal.fail('createSubmission', serverError, serverError, serverError);
    engine.start();
    h.clock.runNext(); // first attempt fails; a retry waits
    await engine.idle();
    expect(h.outbox.get(e.submissionId)?.attempts).toBe(1);
    h.clock.setWall(h.clock.now() - 6 * 3_600_000);
    const steppedAt = h.clock.monotonic();
    const gaps: number[] = [];
    for (let i = 0; i < 10 && portal.deliveredCount === 0; i++) {
      const before = h.clock.monotonic();
      h.clock.runNext();
      await engine.idle();
      gaps.push(h.clock.monotonic() - before);
    }
    expect(portal.deliveredCount).toBe(1);
    expect(h.outbox.get(e.submissionId)).toMatchObject({ state: 'delivered', attempts: 4 });
    // every wait was at most the cap (60 s here), the whole recovery a few of them
    expect(Math.max(...gaps)).toBeLessThanOrEqual(60_000);
    expect(h.clock.monotonic() - steppedAt).toBeLessThanOrEqual(3 * 60_000);
    expect(h.alarms.open().find((a) => a.code === 'sync.clock_step')?.message).toContain('-360 min');
  });

  it('counts a retry time far beyond any backoff as due after a restart on a clock set back', async () => {
    const e = await enqueue();
    portal.fail('createSubmission', serverError);
    await engine.runPass();
    await engine.dispose();
    expect(h.outbox.get(e.submissionId)?.nextAttemptAt).toBe(h.clock.now() + 500);
    h.clock.setWall(h.clock.now() - 6 * 3_600_000);
    engine = build();
    expect((await engine.runPass()).delivered).toBe(1);
    // a retry time within the longest wait is still honoured
    const f = await enqueue('b');
    portal.fail('createSubmission', { ...serverError, retryAfterMs: 10 * 60_000 });
    await engine.runPass();
    expect(h.outbox.get(f.submissionId)?.state).toBe('queued');
    expect((await engine.runPass()).attempted).toBe(0);
  });

  it('lets one of two engines on one database send (the sender lease); the other finds it busy', async () => {
    const e = await enqueue();
    const opened = openStore({ path: h.dbPath, now: () => h.clock.now() });
    if (!opened.ok) throw new Error(opened.error.code);
    const alarmsB = new Alarms(opened.value.db, () => h.clock.now());
    const outboxB = new Outbox({ store: opened.value, alarms: alarmsB, clock: h.clock });
    const engineB = new SyncEngine({
      outbox: outboxB,
      alarms: alarmsB,
      api: portal,
      clock: h.clock,
      scheduler: h.clock,
      random: () => random,
      terminalId: 'T-1',
      devicePublicKey: h.device.publicJwk,
      portalSigningKey: portalKey.publicJwk,
    });
    let entered: () => void = () => undefined;
    const inside = new Promise<void>((r) => {
      entered = r;
    });
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const create = portal.createSubmission.bind(portal);
    portal.createSubmission = async (...args) => {
      entered();
      await gate;
      return create(...args);
    };
    try {
      const passA = engine.runPass();
      await inside; // A is sending
      expect(await engineB.runPass()).toMatchObject({ busy: true, attempted: 0 });
      // B did not put A's item back as interrupted
      expect(outboxB.get(e.submissionId)?.state).toBe('sending');
      release();
      expect(await passA).toMatchObject({ busy: false, delivered: 1 });
      expect(await engineB.runPass()).toMatchObject({ busy: false, attempted: 0 });
      expect(portal.calls.filter((c) => c.method === 'createSubmission')).toHaveLength(1);
    } finally {
      await engineB.dispose();
      opened.value.close();
    }
  });

  it('delivers again, once, what a portal restored from an older backup has lost', async () => {
    const kept = await enqueue('kept');
    const lost = await enqueue('lost');
    expect((await engine.runPass()).delivered).toBe(2);
    // the portal is restored from a backup taken before the second application arrived
    portal.submissions.delete(lost.submissionId);
    // not asked before the interval has passed
    await engine.runPass();
    expect(h.outbox.get(lost.submissionId)?.state).toBe('delivered');
    h.clock.advance(10 * 60_000);
    await engine.runPass();
    await engine.idle();
    expect(h.outbox.get(lost.submissionId)).toMatchObject({ state: 'delivered' });
    expect(h.outbox.auditLog.entries({ submissionId: lost.submissionId }).map((a) => a.event)).toContain(
      'portal_lost',
    );
    expect(h.outbox.auditLog.entries({ submissionId: kept.submissionId }).map((a) => a.event)).not.toContain(
      'portal_lost',
    );
    expect(portal.submissions.size).toBe(2);
    expect([...portal.submissions.values()].every((x) => x.delivered)).toBe(true);
    // a portal that does not answer clearly changes nothing
    h.clock.advance(10 * 60_000);
    portal.fail('getPart', serverError);
    await engine.runPass();
    expect(h.outbox.counts(h.clock.now()).byState.delivered).toBe(2);
  });

  it('sends at once when the host reports the network is up', async () => {
    await enqueue();
    portal.fail('createSubmission', netError);
    portal.fail('health', netError);
    await engine.runPass();
    expect(engine.offline).toBe(true);
    engine.networkChanged(true);
    await engine.idle();
    expect(portal.deliveredCount).toBe(1);
  });

  it('raises an alarm after N attempts and when the oldest item is too old, and keeps trying', async () => {
    engine = build({ alarmAfterAttempts: 3, oldestAlarmMs: 4 * 3_600_000 });
    await enqueue();
    for (let i = 0; i < 3; i++) {
      portal.fail('createSubmission', serverError);
      await engine.runPass();
      h.clock.advance(60_000);
    }
    expect(h.alarms.isOpen('sync.attempts_exceeded')).toBe(true);
    expect(h.alarms.isOpen('sync.oldest_too_old')).toBe(false);
    h.clock.advance(4 * 3_600_000);
    portal.fail('createSubmission', serverError);
    await engine.runPass();
    expect(h.alarms.isOpen('sync.oldest_too_old')).toBe(true);
    h.clock.advance(60_000);
    expect((await engine.runPass()).delivered).toBe(1);
    expect(h.alarms.isOpen('sync.oldest_too_old')).toBe(false);
  });

  it('does not mark an item delivered when the submit answer names another submission or tracking number', async () => {
    const e = await enqueue();
    portal.tamperSubmit = (a) => ({ ...a, trackingNumber: 'ST-0000000000Z' });
    expect(await engine.runPass()).toMatchObject({ delivered: 0, retried: 1 });
    expect(h.outbox.get(e.submissionId)).toMatchObject({
      state: 'queued',
      lastErrorCode: 'response.mismatch',
    });
    expect(h.alarms.isOpen('sync.integrity')).toBe(true);
    portal.tamperSubmit = (a) => ({ ...a, submissionId: 'someone-elses' });
    h.clock.advance(60_000);
    expect((await engine.runPass()).delivered).toBe(0);
    expect(h.outbox.get(e.submissionId)?.state).toBe('queued');
    portal.tamperSubmit = undefined;
    portal.tamperCreate = (a) => ({ ...a, submissionId: 'someone-elses' });
    h.clock.advance(60_000);
    expect((await engine.runPass()).delivered).toBe(0);
    expect(portal.count('submit')).toBe(2);
    portal.tamperCreate = undefined;
    h.clock.advance(60_000);
    expect((await engine.runPass()).delivered).toBe(1);
    expect(h.outbox.get(e.submissionId)?.state).toBe('delivered');
  });

  it('purges accepted items after the retention period', async () => {
    const e = await enqueue();
    await engine.runPass();
    await portal.addEvent(portalKey.privateJwk, {
      terminalId: 'T-1',
      submissionId: e.submissionId,
      trackingNumber: e.trackingNumber,
      status: 'accepted',
      at: '2025-03-01T10:00:00.000Z',
    });
    h.clock.advance(61_000);
    await engine.runPass();
    h.clock.advance(24 * 3_600_000);
    expect((await engine.runPass()).purged).toBe(1);
    expect(h.outbox.get(e.submissionId)?.state).toBe('purged');
  });

  it('shares one pass between concurrent callers (one sender at a time)', async () => {
    await enqueue('a');
    await enqueue('b');
    const [p1, p2] = [engine.runPass(), engine.runPass()];
    expect(p1).toBe(p2);
    await p1;
    expect(portal.count('createSubmission')).toBe(2);
    expect(portal.deliveredCount).toBe(2);
  });

  it('leaves no timers after dispose', async () => {
    await enqueue();
    engine.start();
    expect(h.clock.pendingTimers).toBe(1);
    h.clock.runNext();
    await engine.idle();
    expect(h.clock.pendingTimers).toBe(1);
    await engine.dispose();
    expect(h.clock.pendingTimers).toBe(0);
    engine.kick();
    engine.networkChanged(true);
    expect(h.clock.pendingTimers).toBe(0);
  });

  const steps: DeliveryStep[] = ['marked', 'created', 'chunk', 'parts_done', 'submitted', 'recorded'];
  it.each(steps)('delivers exactly once when the process dies at step %s', async (step) => {
    const e = await enqueue('crash', 2500);
    let crashed = false;
    engine = build({}, (s) => {
      if (s === step && !crashed) {
        crashed = true;
        throw new Crash(s);
      }
    });
    await expect(engine.runPass()).rejects.toBeInstanceOf(Crash);
    await engine.dispose();
    // restart: a new process opens the same file
    h.reopen();
    engine = build();
    engine.start();
    for (let i = 0; i < 10 && h.outbox.get(e.submissionId)?.state !== 'delivered'; i++) {
      h.clock.runNext();
      await engine.idle();
    }
    expect(h.outbox.get(e.submissionId)?.state).toBe('delivered');
    expect(portal.deliveredCount).toBe(1);
    expect(portal.submissions.size).toBe(1);
    const creates = portal.calls.filter((c) => c.method === 'createSubmission').map((c) => c.args[0]);
    expect(new Set(creates)).toEqual(new Set([e.idempotencyKey]));
  });
});

describe('SyncEngine after a local error', () => {
  let local: Harness;
  beforeEach(async () => {
    local = await makeHarness();
  });
  afterEach(() => local.dispose());

  it('retries an item cut off by a local error in the same process, and raises an alarm', async () => {
    const fake = new FakePortal((id) => local.outbox.get(id)?.trackingNumber);
    const key = await makeDeviceKey('portal');
    let fail = true;
    const e = await local.outbox.enqueue(application('local'));
    if (!e.ok) throw new Error(e.error.code);
    const eng = new SyncEngine({
      outbox: local.outbox,
      alarms: local.alarms,
      api: fake,
      clock: local.clock,
      scheduler: local.clock,
      random: () => 0.5,
      terminalId: 'T-1',
      devicePublicKey: local.device.publicJwk,
      portalSigningKey: key.publicJwk,
      onStep: (s) => {
        if (s === 'created' && fail) {
          fail = false;
          throw Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR' });
        }
      },
    });
    eng.start();
    local.clock.runNext();
    await eng.idle();
    expect(local.alarms.isOpen('storage.failed')).toBe(true);
    for (let i = 0; i < 5 && fake.deliveredCount === 0; i++) {
      local.clock.runNext();
      await eng.idle();
    }
    expect(fake.deliveredCount).toBe(1);
    expect(local.outbox.get(e.value.submissionId)?.state).toBe('delivered');
    await eng.dispose();
    expect(local.clock.pendingTimers).toBe(0);
  });
});
