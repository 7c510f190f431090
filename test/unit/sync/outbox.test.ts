import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Outbox } from '../../../sync/outbox.ts';
import { verifySealedIntegrity } from '../../../sync/sealing.ts';
import { validateTrackingNumber } from '../../../sync/tracking.ts';
import { application, type Harness, makeHarness } from './harness.ts';

let h: Harness;
beforeEach(async () => {
  h = await makeHarness({ retentionMs: 60_000 });
});
afterEach(() => h.dispose());

class Crash extends Error {}

function count(table: string): number {
  return (h.store.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
}

async function enqueue(marker = 'x') {
  const r = await h.outbox.enqueue(application(marker));
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}

describe('Outbox.enqueue', () => {
  it('writes submission, parts, outbox entry and audit in one go and returns a valid tracking number', async () => {
    const e = await enqueue();
    expect(validateTrackingNumber(e.trackingNumber).ok).toBe(true);
    expect(e.idempotencyKey).toMatch(/^idem-[0-9a-f]{48}$/);
    expect([count('submissions'), count('outbox'), count('parts'), count('audit')]).toEqual([1, 1, 1, 1]);
    const item = h.outbox.get(e.submissionId);
    expect(item).toMatchObject({ state: 'queued', attempts: 0, trackingNumber: e.trackingNumber });
    const audit = h.outbox.auditLog.entries({ submissionId: e.submissionId });
    expect(audit[0]).toMatchObject({ event: 'enqueued', state: 'queued' });
    expect(JSON.stringify(audit)).not.toMatch(/Name-x|1990-01-31|residence-permit/);
    const sealed = h.outbox.loadSealed(e.submissionId);
    expect(sealed).toBeDefined();
    if (sealed) expect((await verifySealedIntegrity(sealed, h.device.publicJwk)).ok).toBe(true);
  });

  it('stores attachments as separate sealed parts', async () => {
    const r = await h.outbox.enqueue({
      ...application(),
      attachments: [{ partId: 'summary', mediaType: 'application/pdf', content: new Uint8Array(5000) }],
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(h.outbox.loadSealed(r.value.submissionId)?.parts.map((p) => p.partId)).toEqual([
      'data',
      'summary',
    ]);
  });

  it.each(['sealed', 'written'] as const)(
    'leaves nothing behind when the process dies at %s',
    async (step) => {
      await enqueue('before');
      h.reopen({
        onStep: (s) => {
          if (s === step) throw new Crash(s);
        },
      });
      await expect(h.outbox.enqueue(application('lost'))).rejects.toBeInstanceOf(Crash);
      h.reopen();
      expect([count('submissions'), count('outbox'), count('parts')]).toEqual([1, 1, 1]);
      expect(count('audit')).toBe(1);
    },
  );

  it('keeps the complete item when the process dies right after the commit', async () => {
    h.reopen({
      onStep: (s) => {
        if (s === 'committed') throw new Crash(s);
      },
    });
    await expect(h.outbox.enqueue(application())).rejects.toBeInstanceOf(Crash);
    h.reopen();
    expect([count('submissions'), count('outbox'), count('parts'), count('audit')]).toEqual([1, 1, 1, 1]);
    const id = (h.store.db.prepare('SELECT submission_id FROM outbox').get() as { submission_id: string })
      .submission_id;
    expect(h.outbox.nextDue(h.clock.now())?.submissionId).toBe(id);
  });

  it('answers storage.full on SQLITE_FULL, raises an alarm and leaves the database intact', async () => {
    const earlier = [await enqueue('a'), await enqueue('b')];
    const pages = h.store.db.pragma('page_count', { simple: true }) as number;
    h.store.db.pragma(`max_page_count = ${pages}`);
    const alarms: string[] = [];
    h.alarms.onAlarm((a) => alarms.push(a.code));
    const big = await h.outbox.enqueue({
      ...application('c'),
      attachments: [{ partId: 'summary', mediaType: 'application/pdf', content: new Uint8Array(200 * 1024) }],
    });
    expect(big).toMatchObject({ ok: false, error: { code: 'storage.full' } });
    expect(alarms).toContain('storage.full');
    expect(h.store.db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(count('outbox')).toBe(2);
    for (const e of earlier) expect(h.outbox.loadSealed(e.submissionId)).toBeDefined();
    // after a restart the earlier items are still there and the store accepts items again
    h.reopen();
    expect(h.store.db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(count('outbox')).toBe(2);
    await enqueue('d');
    expect(count('outbox')).toBe(3);
    expect(h.alarms.isOpen('storage.full')).toBe(false);
  });

  it('refuses to enqueue through a read-only view of the queue', async () => {
    const view = new Outbox({ store: h.store, alarms: h.alarms, clock: h.clock });
    expect(await view.enqueue(application())).toMatchObject({
      ok: false,
      error: { code: 'outbox.read_only' },
    });
    await enqueue();
    expect(view.counts(h.clock.now()).pending).toBe(1);
  });

  it('refuses to enqueue without an authority key', async () => {
    h.reopen({ authorityKey: () => undefined });
    expect(await h.outbox.enqueue(application())).toMatchObject({
      ok: false,
      error: { code: 'outbox.no_authority_key' },
    });
  });
});

describe('Outbox states', () => {
  it('marks an attempt failed before it runs; a crash mid-send leaves it retryable with the same key', async () => {
    const e = await enqueue();
    expect(h.outbox.beginAttempt(e.submissionId)).toBe(1);
    expect(h.outbox.get(e.submissionId)).toMatchObject({
      state: 'sending',
      attempts: 1,
      lastErrorCode: 'attempt.interrupted',
    });
    h.reopen();
    expect(h.outbox.recoverInterrupted()).toBe(1);
    const item = h.outbox.get(e.submissionId);
    expect(item).toMatchObject({ state: 'queued', attempts: 1, idempotencyKey: e.idempotencyKey });
    expect(h.outbox.nextDue(h.clock.now())?.submissionId).toBe(e.submissionId);
  });

  it('schedules retries and picks the oldest due item', async () => {
    const a = await enqueue('a');
    h.clock.advance(10);
    const b = await enqueue('b');
    h.outbox.beginAttempt(a.submissionId);
    h.outbox.markRetry(a.submissionId, 'net.timeout', h.clock.now() + 5000);
    expect(h.outbox.nextDue(h.clock.now())?.submissionId).toBe(b.submissionId);
    expect(h.outbox.nextWakeAt()).toBe(b.createdAt);
    h.outbox.beginAttempt(b.submissionId);
    h.outbox.markDelivered(b.submissionId, '2025-03-01T09:00:01.000Z');
    expect(h.outbox.nextDue(h.clock.now())).toBeUndefined();
    expect(h.outbox.nextWakeAt()).toBe(h.clock.now() + 5000);
    h.outbox.makeAllDue(h.clock.now());
    expect(h.outbox.nextDue(h.clock.now())?.submissionId).toBe(a.submissionId);
  });

  it('quarantines an item: not due again, listed for the administrator, alarm raised', async () => {
    const e = await enqueue();
    h.outbox.beginAttempt(e.submissionId);
    h.outbox.markRejected(e.submissionId, 'portal', 'seal.bad_signature');
    expect(h.outbox.nextDue(h.clock.now() + 1e9)).toBeUndefined();
    expect(h.outbox.quarantined().map((i) => [i.submissionId, i.rejectCode])).toEqual([
      [e.submissionId, 'seal.bad_signature'],
    ]);
    expect(h.alarms.isOpen('sync.quarantined')).toBe(true);
  });

  it('accepts with a final status, and marks it for the purge after the retention period', async () => {
    const e = await enqueue();
    h.outbox.beginAttempt(e.submissionId);
    h.outbox.markDelivered(e.submissionId, '2025-03-01T09:00:01.000Z');
    expect(h.outbox.applyStatus(e.submissionId, 'in_review', h.clock.now())).toBe(true);
    expect(h.outbox.get(e.submissionId)).toMatchObject({ state: 'delivered', purgeAfter: null });
    expect(h.outbox.applyStatus(e.submissionId, 'accepted', h.clock.now())).toBe(true);
    expect(h.outbox.get(e.submissionId)).toMatchObject({
      state: 'accepted',
      trackingStatus: 'accepted',
      purgeAfter: h.clock.now() + 60_000,
    });
    expect(h.outbox.auditLog.entries({ submissionId: e.submissionId }).map((a) => a.event)).toEqual([
      'enqueued',
      'attempt',
      'delivered',
      'status',
      'status',
    ]);
  });

  it('treats a status for an item still queued as proof of delivery (lost acknowledgement)', async () => {
    const e = await enqueue();
    h.outbox.beginAttempt(e.submissionId);
    h.outbox.markRetry(e.submissionId, 'net.reset', h.clock.now());
    h.outbox.applyStatus(e.submissionId, 'received', h.clock.now());
    expect(h.outbox.get(e.submissionId)?.state).toBe('delivered');
    expect(h.outbox.nextDue(h.clock.now() + 1e9)).toBeUndefined();
  });

  it('counts by state with the oldest pending age and bytes', async () => {
    const a = await enqueue('a');
    h.clock.advance(1000);
    await enqueue('b');
    h.clock.advance(500);
    const counts = h.outbox.counts(h.clock.now());
    expect(counts.byState.queued).toBe(2);
    expect(counts.pending).toBe(2);
    expect(counts.oldestPendingAgeMs).toBe(1500);
    expect(counts.pendingBytes).toBeGreaterThan(1000);
    h.outbox.beginAttempt(a.submissionId);
    h.outbox.markDelivered(a.submissionId, '2025-03-01T09:00:01.000Z');
    const after = h.outbox.counts(h.clock.now());
    expect(after.byState).toMatchObject({ queued: 1, delivered: 1 });
    expect(after.oldestPendingAgeMs).toBe(500);
  });

  it('does not claim an item that is no longer queued, and records nothing for it', async () => {
    const e = await enqueue();
    h.outbox.markDelivered(e.submissionId, new Date(h.clock.now()).toISOString());
    const audited = h.outbox.auditLog.entries({ submissionId: e.submissionId }).length;
    expect(h.outbox.beginAttempt(e.submissionId)).toBeUndefined();
    expect(h.outbox.auditLog.entries({ submissionId: e.submissionId })).toHaveLength(audited);
    expect(h.outbox.get(e.submissionId)).toMatchObject({ state: 'delivered', attempts: 0 });
  });
});

describe('the outbox writes to the chained log', () => {
  it('in the same transaction as the change, and leaves the chain intact when it rolls back', async () => {
    const r = await h.outbox.enqueue(application());
    if (!r.ok) throw new Error(r.error.message);
    h.outbox.beginAttempt(r.value.submissionId);
    h.outbox.markDelivered(r.value.submissionId, '2025-03-01T09:00:01.000Z');
    const head = h.outbox.auditLog.head();
    expect(head?.seq).toBe(3);
    expect(h.outbox.auditLog.entries().map((e) => e.event)).toEqual(['enqueued', 'attempt', 'delivered']);
    h.reopen({
      onStep: (s) => {
        if (s === 'written') throw new Error('crash');
      },
    });
    await expect(h.outbox.enqueue(application('lost'))).rejects.toThrow('crash');
    expect(h.outbox.auditLog.head()).toEqual(head);
    expect(h.outbox.auditLog.verify()).toMatchObject({ ok: true, entries: 3 });
    expect(h.outbox.auditLog.export()).not.toMatch(/Name-x|1990-01-31/);
  });
});
