/**
 * Sign-in lockout with a growing delay, per badge and per terminal. After the `threshold`-th
 * failure within the window, sign-in waits `baseDelayMs`; each further failure doubles the wait
 * up to `maxDelayMs`. Failures older than `windowMs` no longer count, so a busy counter's
 * occasional typos do not add up over weeks. A successful sign-in resets its badge's counter;
 * the terminal's counter is not reset by it (a colleague's sign-in must not hand an attacker
 * fresh attempts), it only forgets with the window.
 *
 * Times are monotonic milliseconds from the injected clock. Unknown badges get counters too
 * (keyed by their hash), so a lockout says nothing about whether a badge exists.
 *
 * With a `LockoutStore` the counters outlive the process: each change is written through (as
 * wall-clock times, since a monotonic clock starts again with the process) and the counters are
 * read back at construction, so a restart (or a crash provoked on purpose) gives nobody fresh
 * attempts. A lock read back never runs longer than `maxDelayMs` from now, whatever the wall
 * clock did meanwhile.
 */

export interface LockoutPolicy {
  /** Failures of one badge that start its lockout (the 5th failure waits `baseDelayMs`). */
  readonly threshold: number;
  /** Failures at this terminal, whatever the badge, that lock every badge out (default: `threshold`). */
  readonly terminalThreshold: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Failures older than this stop counting. Never shorter than `maxDelayMs`. */
  readonly windowMs: number;
  /** Badges tracked at most; the quietest are forgotten first. */
  readonly maxTrackedBadges: number;
}

export const DEFAULT_LOCKOUT: LockoutPolicy = Object.freeze({
  threshold: 5,
  terminalThreshold: 5,
  baseDelayMs: 30_000,
  maxDelayMs: 15 * 60_000,
  windowMs: 60 * 60_000,
  maxTrackedBadges: 1_000,
});

export type LockScope = 'badge' | 'terminal';

/** One counter as stored: failure times and the end of its lock, in wall-clock epoch ms. */
export interface LockoutEntry {
  /** A badge's keyed hash, or `TERMINAL_LOCKOUT_KEY`. */
  readonly key: string;
  readonly failures: readonly number[];
  readonly lockedUntil: number | null;
}

/** Where counters are kept across restarts (sync/staff-lockout.ts: a SQLite table). May throw. */
export interface LockoutStore {
  load(): readonly LockoutEntry[];
  save(entry: LockoutEntry): void;
  remove(key: string): void;
}

export interface LockoutPersistence {
  readonly store: LockoutStore;
  /** Wall clock, epoch ms. */
  readonly wallNow: () => number;
  /** A store that failed: the counters go on in memory; the caller logs. */
  readonly onError?: (operation: 'load' | 'save' | 'remove') => void;
}

/** The terminal-wide counter's key (a badge key is 64 hex characters, so they never meet). */
export const TERMINAL_LOCKOUT_KEY = 'terminal';

export type LockState =
  | { readonly locked: false }
  | { readonly locked: true; readonly scope: LockScope; readonly retryAfterMs: number };

export interface FailureOutcome {
  readonly badgeFailures: number;
  readonly terminalFailures: number;
  /** How long sign-in now waits (0 below the threshold). */
  readonly lockedForMs: number;
}

/** The wait after the n-th failure within the window (0 below `threshold`). */
export function lockoutDelayMs(
  failures: number,
  policy: Pick<LockoutPolicy, 'threshold' | 'baseDelayMs' | 'maxDelayMs'> = DEFAULT_LOCKOUT,
): number {
  if (failures < policy.threshold) return 0;
  const doublings = Math.min(failures - policy.threshold, 40);
  return Math.min(policy.baseDelayMs * 2 ** doublings, policy.maxDelayMs);
}

class Counter {
  /** Monotonic times of the failures in the window, oldest first (bounded). */
  private failures: number[] = [];
  lockedUntil = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly policy: LockoutPolicy,
    private readonly threshold: number,
  ) {}

  count(now: number): number {
    this.prune(now);
    return this.failures.length;
  }

  fail(now: number): { failures: number; lockedForMs: number } {
    this.prune(now);
    this.failures.push(now);
    // Past the cap the delay no longer grows; keeping more entries would only cost memory.
    const keep = this.threshold + 64;
    if (this.failures.length > keep) this.failures.splice(0, this.failures.length - keep);
    const lockedForMs = lockoutDelayMs(this.failures.length, { ...this.policy, threshold: this.threshold });
    if (lockedForMs > 0) this.lockedUntil = Math.max(this.lockedUntil, now + lockedForMs);
    return { failures: this.failures.length, lockedForMs };
  }

  remainingMs(now: number): number {
    return Math.max(0, this.lockedUntil - now);
  }

  lastFailureAt(): number {
    return this.failures.at(-1) ?? Number.NEGATIVE_INFINITY;
  }

  /** The counter's state for a store, with monotonic times mapped through `toWall`. */
  entry(key: string, now: number, toWall: (mono: number) => number): LockoutEntry {
    this.prune(now);
    const remaining = this.remainingMs(now);
    return {
      key,
      failures: this.failures.map(toWall),
      lockedUntil: remaining > 0 ? toWall(now + remaining) : null,
    };
  }

  /** Takes back a stored state (times already monotonic, oldest first). */
  restore(failures: readonly number[], lockedUntil: number | null): void {
    this.failures = [...failures].sort((a, b) => a - b).slice(-(this.threshold + 64));
    this.lockedUntil = lockedUntil ?? Number.NEGATIVE_INFINITY;
  }

  /** Nothing left to remember: no failure in the window and no lock running. */
  idle(now: number): boolean {
    return this.count(now) === 0 && this.remainingMs(now) === 0;
  }

  private prune(now: number): void {
    const horizon = now - this.policy.windowMs;
    let drop = 0;
    while (drop < this.failures.length && (this.failures[drop] as number) <= horizon) drop += 1;
    if (drop > 0) this.failures.splice(0, drop);
  }
}

export class Lockout {
  private readonly policy: LockoutPolicy;
  private readonly terminal: Counter;
  private readonly badges = new Map<string, Counter>();

  constructor(
    private readonly now: () => number,
    policy: Partial<LockoutPolicy> = {},
    private readonly persistence?: LockoutPersistence,
  ) {
    const merged = {
      ...DEFAULT_LOCKOUT,
      terminalThreshold: policy.threshold ?? DEFAULT_LOCKOUT.terminalThreshold,
      ...policy,
    };
    this.policy = { ...merged, windowMs: Math.max(merged.windowMs, merged.maxDelayMs) };
    this.terminal = new Counter(this.policy, this.policy.terminalThreshold);
    if (persistence) this.load(persistence);
  }

  private load(persistence: LockoutPersistence): void {
    let entries: readonly LockoutEntry[];
    try {
      entries = persistence.store.load();
    } catch {
      persistence.onError?.('load');
      return;
    }
    const now = this.now();
    const wall = persistence.wallNow();
    // A time ahead of the wall clock (it was stepped back) counts as now.
    const toMono = (at: number) => now - Math.max(0, wall - at);
    for (const stored of entries) {
      const lockedFor =
        stored.lockedUntil === null
          ? 0
          : Math.min(Math.max(0, stored.lockedUntil - wall), this.policy.maxDelayMs);
      const counter =
        stored.key === TERMINAL_LOCKOUT_KEY ? this.terminal : new Counter(this.policy, this.policy.threshold);
      counter.restore(
        stored.failures.filter((at) => Number.isFinite(at)).map(toMono),
        lockedFor > 0 ? now + lockedFor : null,
      );
      if (counter === this.terminal) continue;
      if (counter.idle(now)) this.forget(stored.key);
      else if (this.badges.size < this.policy.maxTrackedBadges) this.badges.set(stored.key, counter);
    }
  }

  private write(key: string, counter: Counter): void {
    const persistence = this.persistence;
    if (!persistence) return;
    const now = this.now();
    const wall = persistence.wallNow();
    try {
      persistence.store.save(counter.entry(key, now, (mono) => wall - (now - mono)));
    } catch {
      persistence.onError?.('save');
    }
  }

  private forget(key: string): void {
    const persistence = this.persistence;
    if (!persistence) return;
    try {
      persistence.store.remove(key);
    } catch {
      persistence.onError?.('remove');
    }
  }

  /** Whether a sign-in with this badge key may be tried now. */
  check(badgeKey: string): LockState {
    const now = this.now();
    const badge = this.badges.get(badgeKey)?.remainingMs(now) ?? 0;
    const terminal = this.terminal.remainingMs(now);
    if (badge === 0 && terminal === 0) return { locked: false };
    return badge >= terminal
      ? { locked: true, scope: 'badge', retryAfterMs: badge }
      : { locked: true, scope: 'terminal', retryAfterMs: terminal };
  }

  recordFailure(badgeKey: string): FailureOutcome {
    const now = this.now();
    let counter = this.badges.get(badgeKey);
    if (!counter) {
      this.evict(now);
      counter = new Counter(this.policy, this.policy.threshold);
      this.badges.set(badgeKey, counter);
    }
    const badge = counter.fail(now);
    const terminal = this.terminal.fail(now);
    this.write(badgeKey, counter);
    this.write(TERMINAL_LOCKOUT_KEY, this.terminal);
    return {
      badgeFailures: badge.failures,
      terminalFailures: terminal.failures,
      lockedForMs: Math.max(badge.lockedForMs, terminal.lockedForMs),
    };
  }

  /** A successful sign-in: the badge starts afresh. */
  recordSuccess(badgeKey: string): void {
    if (this.badges.delete(badgeKey)) this.forget(badgeKey);
  }

  /** Failures currently counted for a badge key and for the terminal (for tests and the admin view). */
  failures(badgeKey: string): { badge: number; terminal: number } {
    const now = this.now();
    return { badge: this.badges.get(badgeKey)?.count(now) ?? 0, terminal: this.terminal.count(now) };
  }

  get trackedBadges(): number {
    return this.badges.size;
  }

  private evict(now: number): void {
    if (this.badges.size < this.policy.maxTrackedBadges) return;
    for (const [key, counter] of this.badges) {
      if (!counter.idle(now)) continue;
      this.badges.delete(key);
      this.forget(key);
    }
    while (this.badges.size >= this.policy.maxTrackedBadges) {
      let quietest: [string, number] | undefined;
      for (const [key, counter] of this.badges) {
        const last = counter.lastFailureAt();
        if (!quietest || last < quietest[1]) quietest = [key, last];
      }
      if (!quietest) break;
      this.badges.delete(quietest[0]);
      this.forget(quietest[0]);
    }
  }
}
