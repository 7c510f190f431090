/**
 * Time for every layer: wall time for what people read and what is stored or sent, a monotonic
 * clock for timeouts, backoff and key timing, and timers that can be faked. Services take a
 * `Clock`; tests drive a `ManualClock` instead of sleeping. Runs in Node and in the browser
 * (`globalThis.performance`, no node: module).
 */
export interface Clock {
  /** Wall-clock time (ms since the epoch), for timestamps shown, stored or sent. */
  now(): number;
  /** Monotonic ms, for durations; never jumps when the system time is set. */
  monotonic(): number;
  /** Runs `callback` once after `ms` monotonic milliseconds. */
  setTimeout(callback: () => void, ms: number): TimerHandle;
}

/** The timer part of a clock, for code that sets timers and reads no time. */
export type Scheduler = Pick<Clock, 'setTimeout'>;

export interface TimerHandle {
  /** Idempotent; a timer that has fired or was cancelled stays quiet. */
  cancel(): void;
}

/** A random number in [0, 1). */
export type RandomUnit = () => number;

export const systemClock: Clock = {
  now: () => Date.now(),
  monotonic: () => globalThis.performance.now(),
  setTimeout(callback, ms) {
    // A pending timer keeps a Node process alive, as `setTimeout` does: the command-line tools
    // wait for a retry or a poll; a kiosk's owner cancels its timers when it closes.
    const handle = setTimeout(callback, Math.max(0, ms));
    return { cancel: () => clearTimeout(handle) };
  },
};

interface ManualTimer {
  readonly at: number;
  readonly callback: () => void;
}

/**
 * A clock that moves only when told to. Pending timers fire in order of due time (then creation
 * order) as time is advanced, including timers those timers set; the wall clock moves with the
 * monotonic one unless a test sets it (`setWall`, a step of the system time).
 */
export class ManualClock implements Clock {
  #wall: number;
  #mono: number;
  #nextId = 0;
  readonly #timers = new Map<number, ManualTimer>();

  constructor(startWallMs = Date.UTC(2026, 0, 15, 9, 0, 0), startMonotonicMs = 0) {
    this.#wall = startWallMs;
    this.#mono = startMonotonicMs;
  }

  now(): number {
    return this.#wall;
  }

  monotonic(): number {
    return this.#mono;
  }

  setTimeout(callback: () => void, ms: number): TimerHandle {
    const id = this.#nextId++;
    this.#timers.set(id, { at: this.#mono + Math.max(0, ms), callback });
    return { cancel: () => this.#timers.delete(id) };
  }

  /** Sets the wall clock (as an administrator or NTP would); the monotonic clock does not move. */
  setWall(epochMs: number): void {
    this.#wall = epochMs;
  }

  /** Timers set and not yet fired or cancelled. */
  get pendingTimers(): number {
    return this.#timers.size;
  }

  /** Monotonic time at which the next timer is due, if any. */
  nextDue(): number | undefined {
    return this.#next()?.[1].at;
  }

  advance(ms: number): void {
    this.advanceTo(this.#mono + ms);
  }

  /** Moves the monotonic clock to `monotonicMs`, firing every timer due on the way. */
  advanceTo(monotonicMs: number): void {
    for (;;) {
      const due = this.#next();
      if (!due || due[1].at > monotonicMs) break;
      this.#timers.delete(due[0]);
      this.#move(due[1].at);
      due[1].callback();
    }
    this.#move(monotonicMs);
  }

  /** Fires timers until none is left (at most `limit`, against timers that set themselves again). */
  runAll(limit = 100_000): void {
    for (let i = 0; i < limit; i++) {
      const due = this.#next();
      if (!due) return;
      this.advanceTo(due[1].at);
    }
  }

  #move(monotonicMs: number): void {
    if (monotonicMs <= this.#mono) return;
    this.#wall += monotonicMs - this.#mono;
    this.#mono = monotonicMs;
  }

  #next(): [number, ManualTimer] | undefined {
    let best: [number, ManualTimer] | undefined;
    for (const entry of this.#timers) if (!best || entry[1].at < best[1].at) best = entry;
    return best;
  }
}

/** Today's date where the authority is, as YYYY-MM-DD. */
export function berlinDate(epochMs: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(epochMs);
}
