import { describe, expect, it } from 'vitest';
import { AuditLog } from '../../../../sync/audit.ts';
import { migration } from '../../../../sync/migrations/003-staff-lockout.ts';
import { rows, version, versionedStores } from './at-version.ts';
import { VERSION_1_TABLES, writeVersion1Rows } from './rows-v1.ts';

const versioned = versionedStores();

const badge = 'ab'.repeat(32);

describe('migration 003: staff_lockout', () => {
  it('keeps the rows and the audit chain of version 2', () => {
    expect(migration).toMatchObject({ version: 3, name: 'staff-lockout' });
    versioned().migrate(1, writeVersion1Rows).close();
    const before = versioned().open(2);
    new AuditLog(before.db, { now: () => 5000 }).append('staff.action', { action: 'print_test' });
    const kept = [...VERSION_1_TABLES, 'audit', 'audit_head'].map((t) => [t, rows(before.db, t)]);
    before.close();
    const after = versioned().open(3);
    expect(version(after.db)).toBe(3);
    expect([...VERSION_1_TABLES, 'audit', 'audit_head'].map((t) => [t, rows(after.db, t)])).toEqual(kept);
    expect(new AuditLog(after.db).verify()).toMatchObject({ ok: true, entries: 4 });
  });

  it('is applied once, with the lockout table', () => {
    const store = versioned().migrate(2, () => undefined);
    expect(store.db.prepare('SELECT name FROM schema_migrations WHERE version = 3').get()).toEqual({
      name: 'staff-lockout',
    });
    const columns = store.db.prepare('PRAGMA table_info(staff_lockout)').all() as { name: string }[];
    expect(columns.map((c) => c.name)).toEqual(['key', 'failures', 'locked_until', 'updated_at']);
  });

  it('takes only a keyed badge hash or "terminal" as key, and only a JSON array of failures', () => {
    const { db } = versioned().migrate(2, () => undefined);
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
