import { spawnSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SENDER_LEASE_KEY, SenderLease } from '../../../sync/sender-lease.ts';
import { SyncState } from '../../../sync/state.ts';
import { type Harness, makeHarness } from './harness.ts';

let h: Harness;
let lease: SenderLease;
beforeEach(async () => {
  h = await makeHarness();
  lease = new SenderLease(h.store.db, () => h.clock.now());
});
afterEach(() => h.dispose());

const me = `${process.pid}-a`;
const other = `${process.pid}-b`;

describe('SenderLease', () => {
  it('is held by one owner at a time, renewed by it, and given up', () => {
    expect(lease.acquire(me, 120_000)).toBe(true);
    expect(lease.acquire(me, 120_000)).toBe(true);
    expect(lease.acquire(other, 120_000)).toBe(false);
    lease.release(other);
    expect(lease.acquire(other, 120_000)).toBe(false);
    lease.release(me);
    expect(lease.acquire(other, 120_000)).toBe(true);
  });

  it('is free once it expired, or when dated impossibly far ahead (the wall clock went back)', () => {
    expect(lease.acquire(other, 120_000)).toBe(true);
    expect(lease.acquire(me, 120_000)).toBe(false);
    h.clock.advance(120_001);
    expect(lease.acquire(me, 120_000)).toBe(true);
    h.clock.setWall(h.clock.now() - 6 * 3_600_000);
    expect(lease.acquire(`${process.pid}-c`, 120_000)).toBe(true);
  });

  it('is free when the process holding it was killed, or when it cannot be read', () => {
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    expect(lease.acquire(`${dead.stdout.toString()}-dead`, 120_000)).toBe(true);
    expect(lease.acquire(me, 120_000)).toBe(true);
    new SyncState(h.store.db).setState(SENDER_LEASE_KEY, 'not json');
    expect(lease.acquire(other, 120_000)).toBe(true);
  });

  it('is kept by a read while fresh, renewed after a quarter of its life, and lost to a takeover', () => {
    const expiry = () =>
      (JSON.parse(new SyncState(h.store.db).getState(SENDER_LEASE_KEY) ?? '{}') as { expiresAt?: number })
        .expiresAt;
    expect(lease.keep(me, 120_000)).toBe(true);
    const first = expiry();
    expect(first).toBe(h.clock.now() + 120_000);
    h.clock.advance(29_000);
    expect(lease.keep(me, 120_000)).toBe(true);
    expect(expiry()).toBe(first);
    h.clock.advance(2_000);
    expect(lease.keep(me, 120_000)).toBe(true);
    expect(expiry()).toBe(h.clock.now() + 120_000);
    expect(lease.keep(other, 120_000)).toBe(false);
    // the wall clock went back: the lease is dated too far ahead and renewed at once
    h.clock.setWall(h.clock.now() - 60_000);
    expect(lease.keep(me, 120_000)).toBe(true);
    expect(expiry()).toBe(h.clock.now() + 120_000);
    // another sender took it over (ours expired): keeping it fails without a write
    h.clock.advance(120_001);
    expect(lease.acquire(other, 120_000)).toBe(true);
    expect(lease.keep(me, 120_000)).toBe(false);
    expect(lease.acquire(other, 120_000)).toBe(true);
  });
});
