/**
 * Time and timers, injected so that tests and capture replays run on a `ManualClock` and never
 * sleep. Wall time for what people read and what is stored or sent; monotonic time for timeouts,
 * backoff and durations, as it never jumps when the system time is set. No `node:` import: the
 * renderer runs on this clock too.
 */

export interface TimerHandle {
  /** Stops the timer if it has not fired; harmless to call again. */
  cancel(): void;
}

export interface Clock {
  /** Wall-clock time, ms since the epoch: timestamps shown, stored or sent. */
  now(): number;
  /** Monotonic ms: timeouts, backoff, durations. Its zero is arbitrary. */
  monotonic(): number;
  /** Runs `fn` once after `ms` monotonic milliseconds (a negative delay counts as none). */
  after(ms: number, fn: () => void): TimerHandle;
}

/** A clock's timers alone, for code that is handed its timers apart from its time. */
export type Scheduler = Pick<Clock, 'after'>;

export const systemClock: Clock = {
  now: () => Date.now(),
  monotonic: () => globalThis.performance.now(),
  after(ms, fn) {
    const handle = setTimeout(fn, Math.max(0, ms));
    return { cancel: () => clearTimeout(handle) };
  },
};

interface ManualTimer {
  readonly at: number;
  readonly seq: number;
  readonly fn: () => void;
}

/**
 * A clock that moves only when told to. Timers fire in order of due time (then of creation) as
 * time is advanced, wall and monotonic time moving together; `setWall` steps the wall clock alone,
 * as setting the system time does.
 */
export class ManualClock implements Clock {
  #wall: number;
  #mono: number;
  #seq = 0;
  readonly #timers = new Map<number, ManualTimer>();

  constructor(wallStart = Date.UTC(2026, 0, 15, 9, 0, 0), monotonicStart = 0) {
    this.#wall = wallStart;
    this.#mono = monotonicStart;
  }

  now(): number {
    return this.#wall;
  }

  monotonic(): number {
    return this.#mono;
  }

  after(ms: number, fn: () => void): TimerHandle {
    const seq = this.#seq++;
    this.#timers.set(seq, { at: this.#mono + Math.max(0, ms), seq, fn });
    return {
      cancel: () => {
        this.#timers.delete(seq);
      },
    };
  }

  /** Timers scheduled and neither fired nor cancelled. */
  get pendingTimers(): number {
    return this.#timers.size;
  }

  /** Monotonic time at which the next timer is due, if any. */
  nextDue(): number | undefined {
    return this.#next()?.at;
  }

  /** How long until each pending timer is due, soonest first (creation order on a tie). */
  pendingDelays(): number[] {
    return [...this.#timers.values()]
      .sort((a, b) => a.at - b.at || a.seq - b.seq)
      .map((t) => t.at - this.#mono);
  }

  /**
   * Moves time to the next pending timer and fires every timer due then; returns how far time
   * moved (0 for a timer already due), or undefined when no timer is pending and nothing moved.
   * A test steps through a schedule with it, one wake-up at a time.
   */
  runNext(): number | undefined {
    const at = this.nextDue();
    if (at === undefined) return undefined;
    const from = this.#mono;
    this.advanceTo(at);
    return at - from;
  }

  /** Moves time `ms` forward, firing every timer due on the way. */
  advance(ms: number): void {
    this.advanceTo(this.#mono + ms);
  }

  /**
   * Moves to monotonic time `time`, firing every timer due on the way in order (including ones
   * those timers schedule). Time never goes back.
   */
  advanceTo(time: number): void {
    for (;;) {
      const next = this.#next();
      if (!next || next.at > time) break;
      this.#timers.delete(next.seq);
      this.#moveTo(next.at);
      next.fn();
    }
    this.#moveTo(time);
  }

  /** Fires timers until none is left (at most `limit`, against timers that reschedule forever). */
  runAll(limit = 100_000): void {
    for (let i = 0; i < limit; i++) {
      const next = this.#next();
      if (!next) return;
      this.advanceTo(next.at);
    }
  }

  /** The system time is set (NTP, an administrator): the wall clock jumps, monotonic time stays. */
  setWall(wall: number): void {
    this.#wall = wall;
  }

  #moveTo(time: number): void {
    if (time <= this.#mono) return;
    this.#wall += time - this.#mono;
    this.#mono = time;
  }

  #next(): ManualTimer | undefined {
    let best: ManualTimer | undefined;
    for (const t of this.#timers.values()) {
      if (!best || t.at < best.at || (t.at === best.at && t.seq < best.seq)) best = t;
    }
    return best;
  }
}

/** Today's date where the authority is, as YYYY-MM-DD. */
export function berlinDate(epochMs: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(epochMs);
}

/** A random number in [0, 1), injected where jitter or faults must be repeatable in tests. */
export type RandomUnit = () => number;
