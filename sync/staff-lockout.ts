/**
 * The staff sign-in lockout counters in SQLite (table `staff_lockout`, migration 003): in the
 * queue database of an enrolled terminal, or, before enrolment (no queue yet), in a small
 * database of its own in the data folder (`staff-lockout.db`), opened with the same settings
 * (WAL, synchronous=FULL, 0600) and only this migration. Once the terminal is enrolled, the
 * counters of that small database are carried over into the queue (`carryOverLockoutFile`) and
 * the file deleted, so that a restart, which reads only the queue, still knows them.
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fsyncDir } from './keystore.ts';
import { migration as staffLockoutMigration } from './migrations/003-staff-lockout.ts';
import { err, ok, type Result } from './result.ts';
import { type Database, openStore, type Store } from './store.ts';

export const LOCKOUT_DB_FILE = 'staff-lockout.db';

/** One stored counter; the same shape as core/staff's `LockoutEntry`. */
export interface LockoutRow {
  readonly key: string;
  readonly failures: readonly number[];
  readonly lockedUntil: number | null;
}

export interface SqliteLockoutStore {
  load(): LockoutRow[];
  save(row: LockoutRow): void;
  remove(key: string): void;
}

export function sqliteLockoutStore(db: Database, now: () => number = Date.now): SqliteLockoutStore {
  const select = db.prepare('SELECT key, failures, locked_until FROM staff_lockout');
  const upsert = db.prepare(
    `INSERT INTO staff_lockout (key, failures, locked_until, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, locked_until = excluded.locked_until,
       updated_at = excluded.updated_at`,
  );
  const remove = db.prepare('DELETE FROM staff_lockout WHERE key = ?');
  return {
    load() {
      const rows = select.all() as { key: string; failures: string; locked_until: number | null }[];
      return rows.map((row) => {
        let failures: number[] = [];
        try {
          const parsed: unknown = JSON.parse(row.failures);
          if (Array.isArray(parsed)) failures = parsed.filter((t): t is number => typeof t === 'number');
        } catch {
          // the CHECK keeps it JSON; a row that is not counts no failures
        }
        return { key: row.key, failures, lockedUntil: row.locked_until };
      });
    },
    save(row) {
      upsert.run(
        row.key,
        JSON.stringify(row.failures.map(Math.round)),
        row.lockedUntil === null ? null : Math.round(row.lockedUntil),
        Math.round(now()),
      );
    },
    remove(key) {
      remove.run(key);
    },
  };
}

/** The lockout database of a terminal that has no queue yet. Never throws. */
export function openLockoutFile(
  dataDir: string,
  now: () => number = Date.now,
): Result<
  { readonly store: SqliteLockoutStore; readonly file: Store },
  'store.open_failed' | 'store.migration_failed'
> {
  const opened = openStore({
    path: join(dataDir, LOCKOUT_DB_FILE),
    now,
    migrations: [staffLockoutMigration],
  });
  if (!opened.ok) return err(opened.error.code, opened.error.message);
  try {
    return ok({ store: sqliteLockoutStore(opened.value.db, now), file: opened.value });
  } catch (e) {
    opened.value.close();
    return err('store.open_failed', e instanceof Error ? e.message : String(e));
  }
}

/** The stricter of two counters for one key: the failures of both, the later end of a lock. */
export function stricterRow(a: LockoutRow, b: LockoutRow): LockoutRow {
  const failures = [...new Set([...a.failures, ...b.failures])].sort((x, y) => x - y);
  const lockedUntil =
    a.lockedUntil === null
      ? b.lockedUntil
      : b.lockedUntil === null
        ? a.lockedUntil
        : Math.max(a.lockedUntil, b.lockedUntil);
  return { key: a.key, failures, lockedUntil };
}

export type LockoutCarryErrorCode =
  | 'store.open_failed'
  | 'store.migration_failed'
  | 'staff.lockout_carry_failed';

/**
 * Moves the counters kept before enrolment (`staff-lockout.db`) into the queue database `queue`
 * (one transaction; where both hold a counter for a key, the stricter one is kept), then deletes
 * the file. The file must not be open elsewhere. Without the file there is nothing to do. On a
 * failure the file stays as it was, so the next start carries it over. Never throws.
 */
export function carryOverLockoutFile(
  dataDir: string,
  queue: Database,
  now: () => number = Date.now,
): Result<{ readonly carried: number }, LockoutCarryErrorCode> {
  const path = join(dataDir, LOCKOUT_DB_FILE);
  if (!existsSync(path)) return ok({ carried: 0 });
  const opened = openLockoutFile(dataDir, now);
  if (!opened.ok) return opened;
  let rows: LockoutRow[];
  try {
    rows = opened.value.store.load();
  } catch (e) {
    return err('staff.lockout_carry_failed', e instanceof Error ? e.message : String(e));
  } finally {
    opened.value.file.close();
  }
  try {
    const target = sqliteLockoutStore(queue, now);
    queue.transaction(() => {
      const held = new Map(target.load().map((row) => [row.key, row]));
      for (const row of rows) {
        const other = held.get(row.key);
        target.save(other === undefined ? row : stricterRow(row, other));
      }
    })();
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
    fsyncDir(dataDir);
  } catch (e) {
    return err('staff.lockout_carry_failed', e instanceof Error ? e.message : String(e));
  }
  return ok({ carried: rows.length });
}
