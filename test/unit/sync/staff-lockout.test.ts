import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migration } from '../../../sync/migrations/003-staff-lockout.ts';
import { LOCKOUT_DB_FILE, openLockoutFile, sqliteLockoutStore } from '../../../sync/staff-lockout.ts';
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

describe('migration 003: staff_lockout', () => {
  it('is version 3 of the queue database, applied once', () => {
    const store = queue();
    expect(migration).toMatchObject({ version: 3, name: 'staff-lockout' });
    expect(store.db.prepare('SELECT name FROM schema_migrations WHERE version = 3').get()).toEqual({
      name: 'staff-lockout',
    });
    const columns = store.db.prepare('PRAGMA table_info(staff_lockout)').all() as { name: string }[];
    expect(columns.map((c) => c.name)).toEqual(['key', 'failures', 'locked_until', 'updated_at']);
  });

  it('takes only a keyed badge hash or "terminal" as key, and only a JSON array of failures', () => {
    const { db } = queue();
    const insert = db.prepare(
      'INSERT INTO staff_lockout (key, failures, locked_until, updated_at) VALUES (?, ?, ?, 1)',
    );
    insert.run(badge, '[1,2]', null);
    insert.run('terminal', '[]', 5);
    for (const [key, failures] of [
      ['ST-000417', '[]'], // a badge code in plain text
      ['AB'.repeat(32), '[]'],
      ['ab'.repeat(31), '[]'],
      ['cd'.repeat(32), '{"a":1}'],
      ['ef'.repeat(32), 'not json'],
    ]) {
      expect(() => insert.run(key, failures, null), `${key} ${failures}`).toThrow(/CHECK constraint failed/);
    }
  });
});

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
