import { describe, expect, it } from 'vitest';
import { migration } from '../../../../sync/migrations/001-outbox.ts';
import { rows, version, versionedStores } from './at-version.ts';
import { writeVersion1Rows } from './rows-v1.ts';

const versioned = versionedStores();

describe('migration 001: the queue', () => {
  it('turns an empty database into version 1 with the queue tables', () => {
    expect(migration).toMatchObject({ version: 1, name: 'outbox' });
    const store = versioned().migrate(0, () => undefined);
    expect(version(store.db)).toBe(1);
    const tables = store.db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
      )
      .all() as { name: string }[];
    expect(tables.map((t) => t.name)).toEqual([
      'alarms',
      'audit',
      'outbox',
      'parts',
      'schema_migrations',
      'submissions',
      'sync_state',
    ]);
  });

  it('takes a queued application and keeps it across a reopen', () => {
    const store = versioned().open(1);
    writeVersion1Rows(store.db);
    const written = ['submissions', 'parts', 'outbox', 'audit', 'alarms', 'sync_state'].map((t) => [
      t,
      rows(store.db, t),
    ]);
    store.close();
    const again = versioned().open(1);
    expect(
      ['submissions', 'parts', 'outbox', 'audit', 'alarms', 'sync_state'].map((t) => [t, rows(again.db, t)]),
    ).toEqual(written);
  });

  it('refuses states and part kinds it does not know', () => {
    const { db } = versioned().open(1);
    writeVersion1Rows(db);
    expect(() => db.prepare("UPDATE outbox SET state = 'lost'").run()).toThrow(/CHECK constraint failed/);
    expect(() => db.prepare("UPDATE parts SET kind = 'photo'").run()).toThrow(/CHECK constraint failed/);
  });
});
