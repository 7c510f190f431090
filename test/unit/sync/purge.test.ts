import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { purgeDue } from '../../../sync/purge.ts';
import { application, type Harness, makeHarness } from './harness.ts';

let h: Harness;
beforeEach(async () => {
  h = await makeHarness({ retentionMs: 60_000 });
});
afterEach(() => h.dispose());

async function enqueue(marker = 'x') {
  const r = await h.outbox.enqueue(application(marker));
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}

const purge = () => purgeDue(h.store.db, h.outbox.auditLog, h.clock.now());

describe('purgeDue', () => {
  it('purges after the retention period, leaving a tombstone', async () => {
    const e = await enqueue();
    const sealed = h.outbox.loadSealed(e.submissionId);
    h.outbox.beginAttempt(e.submissionId);
    h.outbox.markDelivered(e.submissionId, '2025-03-01T09:00:01.000Z');
    expect(h.outbox.applyStatus(e.submissionId, 'accepted', h.clock.now())).toBe(true);
    expect(h.outbox.get(e.submissionId)?.state).toBe('accepted');
    h.clock.advance(59_999);
    expect(purge()).toBe(0);
    h.clock.advance(1);
    expect(purge()).toBe(1);
    expect(h.outbox.get(e.submissionId)?.state).toBe('purged');
    expect(h.outbox.loadSealed(e.submissionId)).toBeUndefined();
    const rows = h.store.db.prepare('SELECT jwe FROM parts').all() as { jwe: string | null }[];
    expect(rows.every((r) => r.jwe === null)).toBe(true);
    const tomb = h.outbox.auditLog
      .entries({ submissionId: e.submissionId })
      .find((a) => a.event === 'purged');
    expect(tomb?.detail.tombstone).toMatchObject({
      finalState: 'accepted',
      parts: [{ partId: 'data', sha512: sealed?.parts[0]?.sha512OfSealed }],
    });
    expect(h.outbox.applyStatus(e.submissionId, 'decided', h.clock.now())).toBe(false);
    expect(purge()).toBe(0);
  });

  it('purges what the authority rejected, too', async () => {
    const e = await enqueue();
    h.outbox.beginAttempt(e.submissionId);
    h.outbox.markDelivered(e.submissionId, '2025-03-01T09:00:01.000Z');
    h.outbox.applyStatus(e.submissionId, 'rejected', h.clock.now());
    h.clock.advance(60_000);
    expect(purge()).toBe(1);
    expect(h.outbox.get(e.submissionId)?.state).toBe('purged');
  });

  it('does not purge items quarantined on the terminal or by the portal', async () => {
    const e = await enqueue();
    h.outbox.markRejected(e.submissionId, 'terminal', 'seal.hash_mismatch');
    const f = await enqueue('f');
    h.outbox.markRejected(f.submissionId, 'portal', 'seal.bad_signature');
    h.clock.advance(10 * 86_400_000);
    expect(purge()).toBe(0);
    expect(h.outbox.loadSealed(e.submissionId)).toBeDefined();
    expect(h.outbox.loadSealed(f.submissionId)).toBeDefined();
  });
});
