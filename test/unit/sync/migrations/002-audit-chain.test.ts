import { describe, expect, it } from 'vitest';
import { AuditLog } from '../../../../sync/audit.ts';
import { GENESIS_HASH } from '../../../../sync/audit-chain.ts';
import { migration } from '../../../../sync/migrations/002-audit-chain.ts';
import { hashV1 } from '../audit-fixture.ts';
import { rows, version, versionedStores } from './at-version.ts';
import { VERSION_1_TABLES, writeVersion1Rows } from './rows-v1.ts';

const versioned = versionedStores();

describe('migration 002: the chained audit log', () => {
  it('keeps the rows of version 1', () => {
    expect(migration).toMatchObject({ version: 2, name: 'audit-chain' });
    const before = versioned().open(1);
    writeVersion1Rows(before.db);
    const kept = VERSION_1_TABLES.map((t) => [t, rows(before.db, t)]);
    before.close();
    const after = versioned().open(2);
    expect(version(after.db)).toBe(2);
    expect(VERSION_1_TABLES.map((t) => [t, rows(after.db, t)])).toEqual(kept);
  });

  it('chains the entries written before it, in order, keeping their seq numbers', () => {
    const migrated = versioned().migrate(1, writeVersion1Rows);
    const log = new AuditLog(migrated.db, { now: () => 4000 });
    const entries = log.entries();
    expect(entries.map((e) => [e.seq, e.event, e.at])).toEqual([
      [1, 'enqueued', 1000],
      [2, 'attempt', 2000],
      [3, 'delivered', 3000],
    ]);
    expect(entries[0]?.detail).toEqual({ authorityKid: 'k1', sealedBytes: 42 });
    expect(entries[0]?.prevHash).toBe(GENESIS_HASH);
    for (const e of entries) expect(e.hash).toBe(hashV1(e));
    expect(log.head()).toEqual({ seq: 3, hash: entries[2]?.hash });
    expect(log.verify()).toMatchObject({ ok: true, entries: 3 });
    const next = log.append('purged', {}, { submissionId: 'sub-a', state: 'purged' });
    expect(next).toMatchObject({ seq: 4, prevHash: entries[2]?.hash });
    expect(() => migrated.db.prepare('DELETE FROM audit WHERE seq = 1').run()).toThrow(/append-only/);
    expect(log.verify()).toMatchObject({ ok: true, entries: 4 });
  });

  it('keeps a detail that is not JSON as it was, and chains it', () => {
    const migrated = versioned().migrate(1, (db) => {
      db.prepare("INSERT INTO audit (at, event, detail) VALUES (5, 'old', 'not json')").run();
    });
    const raw = migrated.db.prepare('SELECT detail FROM audit WHERE seq = 1').get() as { detail: string };
    expect(raw.detail).toBe('not json');
    expect(new AuditLog(migrated.db).verify()).toMatchObject({ ok: true, entries: 1 });
  });

  it('starts an empty log at the genesis value', () => {
    const migrated = versioned().migrate(1, () => undefined);
    const log = new AuditLog(migrated.db, { now: () => 1 });
    expect(log.head()).toBeNull();
    expect(log.append('first', {})).toMatchObject({ seq: 1, prevHash: GENESIS_HASH });
    expect(log.verify()).toMatchObject({ ok: true, entries: 1 });
  });
});
