import { describe, expect, it } from 'vitest';
import { DEFAULT_LOCKOUT, Lockout, lockoutDelayMs } from '../../../core/staff/lockout.ts';

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
