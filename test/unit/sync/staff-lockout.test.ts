import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  carryOverLockoutFile,
  LOCKOUT_DB_FILE,
  openLockoutFile,
  sqliteLockoutStore,
  stricterRow,
} from '../../../sync/staff-lockout.ts';
import { openStore, type Store } from '../../../sync/store.ts';

let dir: string;
const opened: Store[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'staff-lockout-'));
});
afterEach(() => {
  for (const s of opened.splice(0)) s.close();
  rmSync(dir, { recursive: true, force: true });
});

function queue(): Store {
  const result = openStore({ path: join(dir, 'kiosk.db') });
  if (!result.ok) throw new Error(result.error.message);
  opened.push(result.value);
  return result.value;
}

const badge = 'ab'.repeat(32);

describe('the SQLite lockout store', () => {
  it('saves, overwrites, loads and removes counters', () => {
    const { db } = queue();
    const store = sqliteLockoutStore(db, () => 1_000);
    store.save({ key: badge, failures: [10, 20], lockedUntil: null });
    store.save({ key: badge, failures: [10, 20, 30.4], lockedUntil: 90 });
    store.save({ key: 'terminal', failures: [30], lockedUntil: null });
    expect(sqliteLockoutStore(db).load()).toEqual([
      { key: badge, failures: [10, 20, 30], lockedUntil: 90 },
      { key: 'terminal', failures: [30], lockedUntil: null },
    ]);
    store.remove(badge);
    expect(store.load().map((r) => r.key)).toEqual(['terminal']);
  });

  it('before enrolment, lives in a file of its own in the data folder, created 0600 with only this table', () => {
    const first = openLockoutFile(dir);
    if (!first.ok) throw new Error(first.error.message);
    first.value.store.save({ key: badge, failures: [1], lockedUntil: 2 });
    first.value.file.close();
    expect(statSync(join(dir, LOCKOUT_DB_FILE)).mode & 0o777).toBe(0o600);
    const again = openLockoutFile(dir);
    if (!again.ok) throw new Error(again.error.message);
    opened.push(again.value.file);
    expect(again.value.store.load()).toEqual([{ key: badge, failures: [1], lockedUntil: 2 }]);
    const tables = again.value.file.db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .all() as { name: string }[];
    expect(tables.map((t) => t.name)).toEqual(['schema_migrations', 'staff_lockout']);
  });

  it('fails with a value when the data folder cannot hold it', () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, 'not a folder');
    const result = openLockoutFile(join(file, 'data'));
    expect(result).toMatchObject({ ok: false, error: { code: 'store.open_failed' } });
  });
});

describe('carrying the counters from before enrolment into the queue', () => {
  const other = 'cd'.repeat(32);

  function lockoutFileWith(rows: { key: string; failures: number[]; lockedUntil: number | null }[]) {
    const file = openLockoutFile(dir);
    if (!file.ok) throw new Error(file.error.message);
    for (const row of rows) file.value.store.save(row);
    file.value.file.close();
  }

  it('keeps the stricter counter: the failures of both, the later lock', () => {
    expect(
      stricterRow(
        { key: badge, failures: [5, 1], lockedUntil: null },
        { key: badge, failures: [1, 3], lockedUntil: 9 },
      ),
    ).toEqual({ key: badge, failures: [1, 3, 5], lockedUntil: 9 });
    expect(
      stricterRow(
        { key: badge, failures: [], lockedUntil: 12 },
        { key: badge, failures: [], lockedUntil: 9 },
      ),
    ).toEqual({ key: badge, failures: [], lockedUntil: 12 });
    expect(
      stricterRow(
        { key: badge, failures: [], lockedUntil: null },
        { key: badge, failures: [], lockedUntil: null },
      ),
    ).toEqual({ key: badge, failures: [], lockedUntil: null });
  });

  it('merges the file into the queue database, then deletes the file', () => {
    lockoutFileWith([
      { key: badge, failures: [10, 20], lockedUntil: 500 },
      { key: 'terminal', failures: [10, 20], lockedUntil: null },
    ]);
    const { db } = queue();
    const target = sqliteLockoutStore(db);
    target.save({ key: 'terminal', failures: [30], lockedUntil: 400 });
    target.save({ key: other, failures: [7], lockedUntil: null });
    expect(carryOverLockoutFile(dir, db)).toEqual({ ok: true, value: { carried: 2 } });
    expect(target.load().sort((a, b) => a.key.localeCompare(b.key))).toEqual([
      { key: badge, failures: [10, 20], lockedUntil: 500 },
      { key: other, failures: [7], lockedUntil: null },
      { key: 'terminal', failures: [10, 20, 30], lockedUntil: 400 },
    ]);
    for (const suffix of ['', '-wal', '-shm'])
      expect(existsSync(join(dir, `${LOCKOUT_DB_FILE}${suffix}`))).toBe(false);
    // nothing left to carry: a no-op, and no file created
    expect(carryOverLockoutFile(dir, db)).toEqual({ ok: true, value: { carried: 0 } });
    expect(existsSync(join(dir, LOCKOUT_DB_FILE))).toBe(false);
  });

  it('leaves the file where it was when the queue cannot take the counters', () => {
    lockoutFileWith([{ key: badge, failures: [10], lockedUntil: 500 }]);
    const store = queue();
    store.db.exec('DROP TABLE staff_lockout');
    const result = carryOverLockoutFile(dir, store.db);
    expect(result).toMatchObject({ ok: false, error: { code: 'staff.lockout_carry_failed' } });
    const kept = openLockoutFile(dir);
    if (!kept.ok) throw new Error(kept.error.message);
    opened.push(kept.value.file);
    expect(kept.value.store.load()).toEqual([{ key: badge, failures: [10], lockedUntil: 500 }]);
  });
});
