/**
 * Time for the kiosk's services. Wall time for what people read, a monotonic clock for timeouts
 * and backoff, and timers that can be faked: tests drive a `ManualClock` instead of sleeping.
 */
export interface Clock {
  /** Wall-clock time (ms since the epoch), for timestamps shown or recorded. */
  now(): number;
  /** Monotonic ms, for durations; never jumps when the system time is set. */
  monotonic(): number;
  setTimeout(callback: () => void, ms: number): TimerHandle;
}

export interface TimerHandle {
  cancel(): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  monotonic: () => performance.now(),
  setTimeout(callback, ms) {
    const handle = setTimeout(callback, ms);
    handle.unref?.();
    return { cancel: () => clearTimeout(handle) };
  },
};

/** A clock that moves only when told to; pending timers fire in order as time is advanced. */
export class ManualClock implements Clock {
  private wall: number;
  private mono = 0;
  private nextId = 0;
  private readonly timers = new Map<number, { at: number; callback: () => void }>();

  constructor(startWallMs = Date.UTC(2026, 0, 15, 9, 0, 0)) {
    this.wall = startWallMs;
  }

  now(): number {
    return this.wall;
  }

  monotonic(): number {
    return this.mono;
  }

  setTimeout(callback: () => void, ms: number): TimerHandle {
    const id = this.nextId++;
    this.timers.set(id, { at: this.mono + Math.max(0, ms), callback });
    return { cancel: () => this.timers.delete(id) };
  }

  get pendingTimers(): number {
    return this.timers.size;
  }

  advance(ms: number): void {
    const target = this.mono + ms;
    for (;;) {
      let due: [number, { at: number; callback: () => void }] | undefined;
      for (const entry of this.timers)
        if (entry[1].at <= target && (!due || entry[1].at < due[1].at)) due = entry;
      if (!due) break;
      this.timers.delete(due[0]);
      this.wall += due[1].at - this.mono;
      this.mono = due[1].at;
      due[1].callback();
    }
    this.wall += target - this.mono;
    this.mono = target;
  }
}

/** Today's date where the authority is, as YYYY-MM-DD. */
export function berlinDate(epochMs: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(epochMs);
}
