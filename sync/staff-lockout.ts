/**
 * The staff sign-in lockout counters in SQLite (table `staff_lockout`, migration 003): in the
 * queue database of an enrolled terminal, or, before enrolment (no queue yet), in a small
 * database of its own in the data folder (`staff-lockout.db`), opened with the same settings
 * (WAL, synchronous=FULL, 0600) and only this migration.
 */
import { join } from 'node:path';
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
