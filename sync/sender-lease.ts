/**
 * The sender lease: one sender per data folder (the kiosk and `kiosk sync` may both run). Kept in
 * the store's `sync_state` under `SENDER_LEASE_KEY` as `{ owner, expiresAt }`, where `owner` is
 * `<pid>-<random>`. A salvaged store starts without one.
 */
import type { Database } from 'better-sqlite3';

/** The `sync_state` key of the lease. */
export const SENDER_LEASE_KEY = 'sender_lease';

/**
 * Whether the process named in a lease owner (`<pid>-<random>`) still runs on this machine: a
 * killed kiosk's lease is free at once for its restart, not only when it expires.
 */
function holderAlive(owner: unknown): boolean {
  const pid = typeof owner === 'string' ? Number(owner.split('-')[0]) : Number.NaN;
  if (!Number.isInteger(pid) || pid <= 0) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

export class SenderLease {
  readonly #db: Database;
  /** Wall clock, epoch milliseconds. */
  readonly #now: () => number;

  constructor(db: Database, now: () => number) {
    this.#db = db;
    this.#now = now;
  }

  /**
   * Takes or renews the lease in one immediate transaction when it is free, ours, expired, held
   * by a process that no longer runs, or dated further ahead than a lease can be (the wall clock
   * went back). Returns whether `owner` holds it.
   */
  acquire(owner: string, ttlMs: number): boolean {
    const db = this.#db;
    const now = this.#now();
    return db
      .transaction(() => {
        const row = db.prepare('SELECT value FROM sync_state WHERE key = ?').get(SENDER_LEASE_KEY) as
          | { value: string }
          | undefined;
        if (row !== undefined) {
          let held: { owner?: unknown; expiresAt?: unknown } = {};
          try {
            held = JSON.parse(row.value) as typeof held;
          } catch {
            // an unreadable lease is free
          }
          const expiresAt = typeof held.expiresAt === 'number' ? held.expiresAt : 0;
          const live = expiresAt > now && expiresAt <= now + 2 * ttlMs && holderAlive(held.owner);
          if (live && held.owner !== owner) return false;
        }
        db.prepare(
          'INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
        ).run(SENDER_LEASE_KEY, JSON.stringify({ owner, expiresAt: now + ttlMs }));
        return true;
      })
      .immediate();
  }

  /**
   * Keeps the lease while sending (before every item and chunk): when `owner` holds it with more
   * than three quarters of `ttlMs` left, and not dated beyond `ttlMs` ahead (the wall clock went
   * back), a read suffices; otherwise it is renewed by `acquire`. A lease another sender took is
   * seen at once; a write (and its fsync) happens at most once a quarter of `ttlMs`.
   */
  keep(owner: string, ttlMs: number): boolean {
    const now = this.#now();
    const row = this.#db.prepare('SELECT value FROM sync_state WHERE key = ?').get(SENDER_LEASE_KEY) as
      | { value: string }
      | undefined;
    let held: { owner?: unknown; expiresAt?: unknown } = {};
    try {
      held = row === undefined ? {} : (JSON.parse(row.value) as typeof held);
    } catch {
      // an unreadable lease is renewed below
    }
    const expiresAt = typeof held.expiresAt === 'number' ? held.expiresAt : 0;
    if (held.owner === owner && expiresAt > now + (ttlMs * 3) / 4 && expiresAt <= now + ttlMs) return true;
    return this.acquire(owner, ttlMs);
  }

  /** Gives the lease up if `owner` holds it. */
  release(owner: string): void {
    this.#db
      .prepare("DELETE FROM sync_state WHERE key = ? AND json_extract(value, '$.owner') = ?")
      .run(SENDER_LEASE_KEY, owner);
  }
}
