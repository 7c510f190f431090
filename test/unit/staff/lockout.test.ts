import { describe, expect, it } from 'vitest';
import {
  DEFAULT_LOCKOUT,
  Lockout,
  type LockoutEntry,
  type LockoutStore,
  lockoutDelayMs,
  TERMINAL_LOCKOUT_KEY,
} from '../../../core/staff/lockout.ts';

describe('lockoutDelayMs', () => {
  it('is 0 before the fifth failure, 30 s at it, then doubles up to 15 min', () => {
    const seconds = Array.from({ length: 13 }, (_, i) => lockoutDelayMs(i + 1) / 1000);
    expect(seconds).toEqual([0, 0, 0, 0, 30, 60, 120, 240, 480, 900, 900, 900, 900]);
    expect(lockoutDelayMs(1_000_000)).toBe(DEFAULT_LOCKOUT.maxDelayMs);
  });
});

describe('Lockout', () => {
  it('counts per badge and per terminal, and a success resets only the badge', () => {
    let now = 0;
    const lockout = new Lockout(() => now);
    for (let i = 0; i < 3; i += 1) lockout.recordFailure('a');
    lockout.recordFailure('b');
    expect(lockout.failures('a')).toEqual({ badge: 3, terminal: 4 });
    lockout.recordSuccess('a');
    expect(lockout.failures('a')).toEqual({ badge: 0, terminal: 4 });
    expect(lockout.check('c')).toEqual({ locked: false });
    const fifth = lockout.recordFailure('c');
    expect(fifth).toEqual({ badgeFailures: 1, terminalFailures: 5, lockedForMs: 30_000 });
    expect(lockout.check('d')).toEqual({ locked: true, scope: 'terminal', retryAfterMs: 30_000 });
    now = 30_000;
    expect(lockout.check('d')).toEqual({ locked: false });
  });

  it('reports the longer of a badge and a terminal lock', () => {
    let now = 0;
    const lockout = new Lockout(() => now, { terminalThreshold: 7 });
    for (let i = 0; i < 5; i += 1) lockout.recordFailure('a');
    expect(lockout.check('a')).toEqual({ locked: true, scope: 'badge', retryAfterMs: 30_000 });
    expect(lockout.check('b')).toEqual({ locked: false });
    now = 30_000;
    lockout.recordFailure('a');
    lockout.recordFailure('b');
    // badge a: 6 failures (60 s); terminal: 7 failures (30 s, its own threshold)
    expect(lockout.check('a')).toEqual({ locked: true, scope: 'badge', retryAfterMs: 60_000 });
    expect(lockout.check('b')).toEqual({ locked: true, scope: 'terminal', retryAfterMs: 30_000 });
  });

  it('forgets failures older than the window, never shorter than the longest delay', () => {
    let now = 0;
    const lockout = new Lockout(() => now, { windowMs: 1 });
    for (let i = 0; i < 12; i += 1) {
      lockout.recordFailure('a');
      now += 60_000;
    }
    // Twelve failures a minute apart all still count: the window is at least 15 min.
    expect(lockout.failures('a').badge).toBe(12);
    now += 15 * 60_000;
    expect(lockout.failures('a')).toEqual({ badge: 0, terminal: 0 });
    expect(lockout.check('a')).toEqual({ locked: false });
  });

  it('tracks a bounded number of badges, forgetting the quietest first', () => {
    let now = 0;
    const lockout = new Lockout(() => now, { maxTrackedBadges: 10, terminalThreshold: 1_000_000 });
    for (let i = 0; i < 50; i += 1) {
      lockout.recordFailure(`badge-${i}`);
      now += 1;
    }
    expect(lockout.trackedBadges).toBe(10);
    expect(lockout.failures('badge-49').badge).toBe(1);
    expect(lockout.failures('badge-0').badge).toBe(0);
  });
});

describe('Lockout with a store', () => {
  function memoryStore() {
    const rows = new Map<string, LockoutEntry>();
    const store: LockoutStore = {
      load: () => [...rows.values()],
      save: (entry) => void rows.set(entry.key, entry),
      remove: (key) => void rows.delete(key),
    };
    return { rows, store };
  }
  const key = 'ab'.repeat(32);

  it('a restart (a new Lockout on the same store, a new monotonic clock) keeps counts and locks', () => {
    const { store } = memoryStore();
    let wall = 1_700_000_000_000;
    let mono = 5_000;
    const first = new Lockout(() => mono, {}, { store, wallNow: () => wall });
    for (let i = 0; i < 5; i += 1) first.recordFailure(key);
    expect(first.check(key)).toEqual({ locked: true, scope: 'badge', retryAfterMs: 30_000 });
    // the process starts again 10 s later: the monotonic clock is back near 0
    wall += 10_000;
    mono = 0;
    const second = new Lockout(() => mono, {}, { store, wallNow: () => wall });
    expect(second.check(key)).toEqual({ locked: true, scope: 'badge', retryAfterMs: 20_000 });
    expect(second.failures(key)).toEqual({ badge: 5, terminal: 5 });
    const sixth = second.recordFailure(key);
    expect(sixth).toMatchObject({ badgeFailures: 6, lockedForMs: 60_000 });
    // without the store the same restart would have forgotten everything
    expect(new Lockout(() => mono).check(key)).toEqual({ locked: false });
  });

  it('a success forgets the badge in the store too; the terminal counter stays', () => {
    const { rows, store } = memoryStore();
    const lockout = new Lockout(() => 0, {}, { store, wallNow: () => 1_000_000 });
    lockout.recordFailure(key);
    expect([...rows.keys()].sort()).toEqual([key, TERMINAL_LOCKOUT_KEY].sort());
    lockout.recordSuccess(key);
    expect([...rows.keys()]).toEqual([TERMINAL_LOCKOUT_KEY]);
  });

  it('a wall clock stepped back never makes a stored lock longer than the longest delay', () => {
    const { store } = memoryStore();
    store.save({ key, failures: [5_000_000, 5_000_001], lockedUntil: 9_000_000_000 });
    const lockout = new Lockout(() => 0, {}, { store, wallNow: () => 1_000 });
    expect(lockout.check(key)).toEqual({
      locked: true,
      scope: 'badge',
      retryAfterMs: DEFAULT_LOCKOUT.maxDelayMs,
    });
    expect(lockout.failures(key).badge).toBe(2);
  });

  it('forgets stored counters whose window has passed', () => {
    const { rows, store } = memoryStore();
    store.save({ key, failures: [0], lockedUntil: null });
    new Lockout(() => 0, {}, { store, wallNow: () => DEFAULT_LOCKOUT.windowMs + 1 });
    expect(rows.has(key)).toBe(false);
  });

  it('a failing store is reported and the counters go on in memory', () => {
    const errors: string[] = [];
    const broken: LockoutStore = {
      load: () => {
        throw new Error('disk');
      },
      save: () => {
        throw new Error('disk');
      },
      remove: () => {
        throw new Error('disk');
      },
    };
    const lockout = new Lockout(
      () => 0,
      {},
      { store: broken, wallNow: () => 0, onError: (op) => errors.push(op) },
    );
    for (let i = 0; i < 5; i += 1) lockout.recordFailure(key);
    lockout.recordSuccess(key);
    expect(errors).toEqual(['load', ...Array(10).fill('save'), 'remove']);
    expect(lockout.check(key)).toEqual({ locked: true, scope: 'terminal', retryAfterMs: 30_000 });
  });
});
