/**
 * Time for device code: a monotonic `now()` and one-shot timers. Drivers, transports and the
 * reader manager take a Clock so tests and replays run on a `VirtualClock` without sleeping.
 */
export type Cancel = () => void;

export interface Clock {
  /** Monotonic milliseconds (not wall-clock time). */
  now(): number;
  /** Runs `fn` once after `delayMs`; the returned function cancels it (idempotent). */
  setTimer(delayMs: number, fn: () => void): Cancel;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  setTimer(delayMs, fn) {
    const handle = setTimeout(fn, Math.max(0, delayMs));
    return () => clearTimeout(handle);
  },
};

interface VirtualTimer {
  readonly at: number;
  readonly seq: number;
  readonly fn: () => void;
}

/**
 * A clock that moves only when told to. Timers fire in order of due time (then creation order)
 * while `advanceTo`/`advanceBy`/`runAll` move the time forward.
 */
export class VirtualClock implements Clock {
  #now: number;
  #seq = 0;
  readonly #timers = new Map<number, VirtualTimer>();

  constructor(start = 0) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimer(delayMs: number, fn: () => void): Cancel {
    const seq = this.#seq++;
    this.#timers.set(seq, { at: this.#now + Math.max(0, delayMs), seq, fn });
    return () => {
      this.#timers.delete(seq);
    };
  }

  /** Timers scheduled and not yet fired or cancelled. */
  pendingTimers(): number {
    return this.#timers.size;
  }

  /** Due time of the next timer, if any. */
  nextDue(): number | undefined {
    return this.#next()?.at;
  }

  advanceBy(ms: number): void {
    this.advanceTo(this.#now + ms);
  }

  /** Moves to `time`, firing every timer due on the way (including ones those timers schedule). */
  advanceTo(time: number): void {
    for (;;) {
      const next = this.#next();
      if (!next || next.at > time) break;
      this.#timers.delete(next.seq);
      if (next.at > this.#now) this.#now = next.at;
      next.fn();
    }
    if (time > this.#now) this.#now = time;
  }

  /** Fires timers until none is left (at most `limit`, against timers that reschedule forever). */
  runAll(limit = 100_000): void {
    for (let i = 0; i < limit; i++) {
      const next = this.#next();
      if (!next) return;
      this.advanceTo(next.at);
    }
  }

  #next(): VirtualTimer | undefined {
    let best: VirtualTimer | undefined;
    for (const t of this.#timers.values()) {
      if (!best || t.at < best.at || (t.at === best.at && t.seq < best.seq)) best = t;
    }
    return best;
  }
}
