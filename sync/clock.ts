/** Time and timers, injected so tests run on fake time and never sleep. */

export interface Clock {
  /** Wall clock, epoch milliseconds (timestamps that are stored or sent). */
  now(): number;
  /** Monotonic milliseconds (timeouts and backoff); never jumps with the wall clock. */
  monotonic(): number;
}

export interface TimerHandle {
  cancel(): void;
}

export interface Scheduler {
  /** Runs `fn` once after `ms` monotonic milliseconds. */
  after(ms: number, fn: () => void): TimerHandle;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  monotonic: () => performance.now(),
};

export const systemScheduler: Scheduler = {
  after(ms, fn) {
    const t = setTimeout(fn, Math.max(0, ms));
    return { cancel: () => clearTimeout(t) };
  },
};

/** A random number in [0, 1). */
export type RandomUnit = () => number;
