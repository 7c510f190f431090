import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SyncState } from '../../../sync/state.ts';
import { STATUS_CURSOR_KEY, StatusPull } from '../../../sync/status-pull.ts';
import { FakePortal, serverError } from './fakes.ts';
import { application, type Harness, makeHarness } from './harness.ts';
import { type DeviceKeyPair, makeDeviceKey } from './keys.ts';

let h: Harness;
let portal: FakePortal;
let portalKey: DeviceKeyPair;
let state: SyncState;
let pull: StatusPull;

beforeEach(async () => {
  h = await makeHarness();
  portal = new FakePortal((id) => h.outbox.get(id)?.trackingNumber);
  portalKey = await makeDeviceKey('portal');
  state = new SyncState(h.store.db);
  pull = new StatusPull({
    outbox: h.outbox,
    state,
    alarms: h.alarms,
    api: portal,
    clock: h.clock,
    terminalId: 'T-1',
    portalSigningKey: portalKey.publicJwk,
    reconcileAfterMs: 10 * 60_000,
    stopped: () => false,
  });
});
afterEach(() => h.dispose());

/** Enqueues an application and records it delivered (as delivery.ts would). */
async function delivered(marker = 'x') {
  const r = await h.outbox.enqueue(application(marker));
  if (!r.ok) throw new Error(r.error.code);
  h.outbox.beginAttempt(r.value.submissionId);
  h.outbox.markDelivered(r.value.submissionId, '2025-03-01T09:00:01.000Z');
  return r.value;
}

function event(e: { submissionId: string; trackingNumber: string }, status: 'accepted' | 'rejected') {
  return {
    terminalId: 'T-1',
    submissionId: e.submissionId,
    trackingNumber: e.trackingNumber,
    status,
    at: '2025-03-01T10:00:00.000Z',
  };
}

describe('StatusPull.pull', () => {
  it('applies signed status events, keeps its cursor, and refuses one with a bad signature', async () => {
    const e = await delivered();
    await portal.addEvent(portalKey.privateJwk, event(e, 'accepted'));
    expect(await pull.pull()).toBe(1);
    expect(h.outbox.get(e.submissionId)?.state).toBe('accepted');
    expect(state.getState(STATUS_CURSOR_KEY)).toBe('1');
    // nothing new: nothing applied, the cursor stays
    expect(await pull.pull()).toBe(0);
    expect(state.getState(STATUS_CURSOR_KEY)).toBe('1');
    const forger = await makeDeviceKey('forger');
    const f = await delivered('f');
    await portal.addEvent(forger.privateJwk, event(f, 'rejected'));
    expect(await pull.pull()).toBe(0);
    expect(h.outbox.get(f.submissionId)?.state).toBe('delivered');
    expect(h.alarms.isOpen('sync.integrity')).toBe(true);
    expect(state.getState(STATUS_CURSOR_KEY)).toBe('1');
  });

  it('refuses a status event without the status type (a command or configuration passed off as one)', async () => {
    const e = await delivered();
    await portal.addEvent(portalKey.privateJwk, event(e, 'rejected'), 'command+jwt');
    expect(await pull.pull()).toBe(0);
    expect(h.outbox.get(e.submissionId)?.state).toBe('delivered');
    expect(h.alarms.isOpen('sync.integrity')).toBe(true);
    portal.events.length = 0;
    await portal.addEvent(portalKey.privateJwk, event(e, 'rejected'), '');
    expect(await pull.pull()).toBe(0);
    expect(h.outbox.get(e.submissionId)?.state).toBe('delivered');
  });

  it("passes over another terminal's events and moves its cursor past them", async () => {
    const e = await delivered();
    await portal.addEvent(portalKey.privateJwk, { ...event(e, 'accepted'), terminalId: 'T-2' });
    expect(await pull.pull()).toBe(0);
    expect(h.outbox.get(e.submissionId)?.state).toBe('delivered');
    expect(state.getState(STATUS_CURSOR_KEY)).toBe('1');
  });

  it('raises the re-enrolment alarm when the portal refuses the terminal', async () => {
    portal.fail('statusEvents', { kind: 'auth', code: 'auth.invalid', message: '', status: 401 });
    expect(await pull.pull()).toBe(0);
    expect(h.alarms.isOpen('sync.auth')).toBe(true);
  });
});

describe('StatusPull.reconcile', () => {
  /** The portal holds what the terminal delivered. */
  async function deliveredToPortal(marker: string) {
    const e = await delivered(marker);
    const sealed = h.outbox.loadSealed(e.submissionId);
    if (sealed === undefined) throw new Error('not sealed');
    await portal.createSubmission(e.idempotencyKey, {
      submissionId: e.submissionId,
      metadata: sealed.metadata,
      parts: sealed.parts.map(({ jwe: _, ...p }) => p),
      manifestSignature: sealed.manifestSignature,
    });
    return e;
  }

  it('queues again, with its key, what the portal no longer holds, after the interval only', async () => {
    const kept = await deliveredToPortal('kept');
    const lost = await deliveredToPortal('lost');
    portal.submissions.delete(lost.submissionId);
    expect(await pull.reconcile()).toBe(0);
    expect(h.outbox.get(lost.submissionId)?.state).toBe('delivered');
    h.clock.advance(10 * 60_000);
    expect(await pull.reconcile()).toBe(1);
    expect(h.outbox.get(lost.submissionId)).toMatchObject({
      state: 'queued',
      idempotencyKey: lost.idempotencyKey,
      lastErrorCode: 'portal.lost',
    });
    expect(h.outbox.get(kept.submissionId)?.state).toBe('delivered');
    const events = (id: string) => h.outbox.auditLog.entries({ submissionId: id }).map((a) => a.event);
    expect(events(lost.submissionId)).toContain('portal_lost');
    expect(events(kept.submissionId)).not.toContain('portal_lost');
    // the one still held is asked again only after the next interval
    const asked = portal.count('getPart');
    expect(await pull.reconcile()).toBe(0);
    expect(portal.count('getPart')).toBe(asked);
  });

  it('changes nothing when the portal does not answer clearly', async () => {
    const e = await deliveredToPortal('x');
    portal.submissions.delete(e.submissionId);
    h.clock.advance(10 * 60_000);
    portal.fail('getPart', serverError);
    expect(await pull.reconcile()).toBe(0);
    expect(h.outbox.get(e.submissionId)?.state).toBe('delivered');
  });
});
