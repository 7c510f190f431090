import { describe, expect, it } from 'vitest';
import { berlinDate, ManualClock } from '../../../common/clock.ts';

describe('ManualClock', () => {
  it('moves wall and monotonic time together, and only when told to', () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 15, 9), 1_000);
    expect([clock.now(), clock.monotonic()]).toEqual([Date.UTC(2026, 0, 15, 9), 1_000]);
    clock.advance(250);
    expect([clock.now(), clock.monotonic()]).toEqual([Date.UTC(2026, 0, 15, 9) + 250, 1_250]);
    clock.setWall(0);
    clock.advance(50);
    expect([clock.now(), clock.monotonic()]).toEqual([50, 1_300]);
    clock.advanceTo(1_000);
    expect(clock.monotonic()).toBe(1_300);
  });

  it('fires timers in order of due time, then of creation, including ones they schedule', () => {
    const clock = new ManualClock();
    const fired: string[] = [];
    clock.after(20, () => fired.push('b'));
    clock.after(10, () => {
      fired.push('a');
      clock.after(5, () => fired.push('a+5'));
    });
    clock.after(20, () => fired.push('c'));
    const cancelled = clock.after(15, () => fired.push('cancelled'));
    cancelled.cancel();
    cancelled.cancel();
    clock.advance(20);
    expect(fired).toEqual(['a', 'a+5', 'b', 'c']);
    expect(clock.pendingTimers).toBe(0);
  });

  it('lists how long each pending timer has to wait, soonest first', () => {
    const clock = new ManualClock();
    expect(clock.pendingDelays()).toEqual([]);
    clock.after(3_000, () => undefined);
    clock.after(-5, () => undefined);
    const later = clock.after(60_000, () => undefined);
    clock.after(3_000, () => undefined);
    expect(clock.pendingDelays()).toEqual([0, 3_000, 3_000, 60_000]);
    clock.advance(1_000);
    later.cancel();
    expect(clock.pendingDelays()).toEqual([2_000, 2_000]);
    expect(clock.nextDue()).toBe(3_000);
  });

  it('steps to the next wake-up: fires what is due then, and says how far time moved', () => {
    const clock = new ManualClock(0, 0);
    expect(clock.runNext()).toBeUndefined();
    expect(clock.monotonic()).toBe(0);
    const fired: string[] = [];
    clock.after(500, () => fired.push('first'));
    clock.after(500, () => fired.push('same instant'));
    clock.after(2_000, () => fired.push('later'));
    expect(clock.runNext()).toBe(500);
    expect(fired).toEqual(['first', 'same instant']);
    expect([clock.monotonic(), clock.now()]).toEqual([500, 500]);
    clock.after(0, () => fired.push('due now'));
    expect(clock.runNext()).toBe(0);
    expect(fired).toEqual(['first', 'same instant', 'due now']);
    expect(clock.runNext()).toBe(1_500);
    expect(fired.at(-1)).toBe('later');
    expect(clock.runNext()).toBeUndefined();
    expect(clock.monotonic()).toBe(2_000);
  });

  it('runs every timer, and stops at its limit when timers reschedule forever', () => {
    const clock = new ManualClock(0, 0);
    let ticks = 0;
    const tick = () => {
      ticks++;
      clock.after(1_000, tick);
    };
    clock.after(1_000, tick);
    clock.runAll(5);
    expect(ticks).toBe(5);
    expect(clock.monotonic()).toBe(5_000);
    expect(clock.pendingTimers).toBe(1);
  });
});

describe('berlinDate', () => {
  it('is the date in Berlin, not in UTC', () => {
    expect(berlinDate(Date.UTC(2026, 0, 15, 23, 30))).toBe('2026-01-16');
    expect(berlinDate(Date.UTC(2026, 6, 15, 21, 59))).toBe('2026-07-15');
    expect(berlinDate(Date.UTC(2026, 6, 15, 22, 0))).toBe('2026-07-16');
  });
});
