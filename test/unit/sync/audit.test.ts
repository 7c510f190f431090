import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { openAuditLogReadOnly } from '../../../sync/audit.ts';
import { GENESIS_HASH } from '../../../sync/audit-chain.ts';
import { AuditInputError } from '../../../sync/audit-detail.ts';
import { migration as m001 } from '../../../sync/migrations/001-outbox.ts';
import { openStore } from '../../../sync/store.ts';
import { auditFixtures, hashV1 } from './audit-fixture.ts';

const f = auditFixtures();

describe('AuditLog.append', () => {
  it('chains every entry to the one before, from the genesis value, and the head follows', () => {
    expect(f().log.head()).toBeNull();
    const a = f().log.append('staff.sign_in_ok', { role: 'staff', badge: '0a1b2c3d', known: true });
    f().clock += 5;
    const b = f().log.append('enqueued', { sealedBytes: 1234 }, { submissionId: 'sub-1', state: 'queued' });
    expect(a).toMatchObject({ seq: 1, at: Date.UTC(2025, 2, 1, 9, 0, 0), prevHash: GENESIS_HASH });
    expect(b).toMatchObject({ seq: 2, prevHash: a.hash, submissionId: 'sub-1', state: 'queued' });
    expect(a.hash).toBe(hashV1(a));
    expect(b.hash).toBe(hashV1(b));
    expect(f().log.head()).toEqual({ seq: 2, hash: b.hash });
    expect(f().log.entries()).toEqual([a, b]);
    expect(f().log.entries({ submissionId: 'sub-1' })).toEqual([b]);
    expect(f().log.verify()).toEqual({ ok: true, entries: 2, head: { seq: 2, hash: b.hash } });
  });

  it('stores the detail canonically, whatever the key order it was given in', () => {
    const a = f().log.append('x', { b: 1, a: { d: [1, 'z'], c: null } });
    const raw = f().store.db.prepare('SELECT detail FROM audit WHERE seq = ?').get(a.seq) as {
      detail: string;
    };
    expect(raw.detail).toBe('{"a":{"c":null,"d":[1,"z"]},"b":1}');
  });

  it('joins the caller’s transaction: rolled back with it, and the chain carries on unbroken', () => {
    const first = f().log.append('one', {});
    expect(() =>
      f().store.db.transaction(() => {
        f().log.append('two', {});
        throw new Error('the caller fails after the audit entry');
      })(),
    ).toThrow('the caller fails');
    expect(f().log.head()).toEqual({ seq: 1, hash: first.hash });
    const next = f().log.append('three', {});
    expect(next).toMatchObject({ seq: 2, prevHash: first.hash });
    expect(f().log.verify().ok).toBe(true);
  });

  it.each<[string, () => unknown]>([
    ['an upper-case event name', () => f().log.append('Staff.Login', {})],
    ['an event name with a space', () => f().log.append('staff login', {})],
    ['a too long event name', () => f().log.append(`e${'x'.repeat(64)}`, {})],
    ['a key that is not an identifier', () => f().log.append('e', { 'family name': 'x' })],
    ['a nested key that is not an identifier', () => f().log.append('e', { a: { 'b-c': 1 } })],
    ['a long free text', () => f().log.append('e', { note: 'x'.repeat(257) })],
    ['NaN', () => f().log.append('e', { n: Number.NaN })],
    ['undefined', () => f().log.append('e', { n: undefined as unknown as null })],
    ['a Date', () => f().log.append('e', { at: new Date() as unknown as string })],
    ['a Buffer', () => f().log.append('e', { b: Buffer.from('x') as unknown as string })],
    ['nesting four deep', () => f().log.append('e', { a: { b: { c: { d: { e: 1 } } } } })],
    ['a too long array', () => f().log.append('e', { a: Array.from({ length: 65 }, () => 1) })],
    [
      'more than 16 KiB',
      () => f().log.append('e', { a: Array.from({ length: 64 }, () => 'x'.repeat(256)), b: 'y'.repeat(200) }),
    ],
    ['a malformed submission id', () => f().log.append('e', {}, { submissionId: 'sub 1; drop' })],
    ['a malformed state', () => f().log.append('e', {}, { state: 'Queued!' })],
  ])('refuses %s, writing nothing', (_label, call) => {
    expect(call).toThrow(AuditInputError);
    expect(f().log.head()).toBeNull();
  });

  it('names the offending key but never repeats the value', () => {
    const secret = `Mustermann ${'x'.repeat(300)}`;
    let message = '';
    try {
      f().log.append('e', { familyName: secret });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('familyName');
    expect(message).not.toContain('Mustermann');
  });

  it('accepts what staff actions and the outbox record', () => {
    f().log.append('staff.sign_in_failed', { role: 'admin', badge: 'deadbeef', known: false, attempts: 3 });
    f().log.append(
      'purged',
      {
        tombstone: {
          finalState: 'accepted',
          parts: [{ partId: 'data', sha512: 'a'.repeat(128), size: 10 }],
          deliveredAt: null,
        },
      },
      { submissionId: 'sub-00ff', state: 'purged' },
    );
    expect(f().log.verify().ok).toBe(true);
  });
});

describe('SQL triggers', () => {
  beforeEach(() => f().appendSome(3));

  it('refuse UPDATE and DELETE of entries', () => {
    expect(() => f().store.db.prepare("UPDATE audit SET event = 'x' WHERE seq = 2").run()).toThrow(
      /append-only/,
    );
    expect(() => f().store.db.prepare('DELETE FROM audit WHERE seq = 3').run()).toThrow(/append-only/);
    expect(() => f().store.db.prepare('DELETE FROM audit').run()).toThrow(/append-only/);
    expect(f().log.verify()).toMatchObject({ ok: true, entries: 3 });
  });

  it('refuse an insert that does not continue the chain', () => {
    const head = f().log.head();
    const insert = f().store.db.prepare(
      'INSERT INTO audit (seq, at, event, detail, prev_hash, hash) VALUES (?, 0, ?, ?, ?, ?)',
    );
    expect(() => insert.run(9, 'skip', '{}', head?.hash, 'f'.repeat(64))).toThrow(/continue the chain/);
    expect(() => insert.run(4, 'fork', '{}', GENESIS_HASH, 'f'.repeat(64))).toThrow(/continue the chain/);
    expect(() =>
      f()
        .store.db.prepare("INSERT INTO audit (at, event, prev_hash, hash) VALUES (0, 'auto', ?, ?)")
        .run(head?.hash, 'f'.repeat(64)),
    ).toThrow(/continue the chain/);
  });

  it('keep the local anchor from moving back or going away', () => {
    expect(() => f().store.db.prepare('UPDATE audit_head SET seq = 1, hash = ?').run(GENESIS_HASH)).toThrow(
      /only moves forward/,
    );
    expect(() => f().store.db.prepare('DELETE FROM audit_head').run()).toThrow(/cannot be removed/);
  });
});

describe('openAuditLogReadOnly', () => {
  it('opens without writing, and says when there is nothing to verify', () => {
    f().appendSome(2);
    const ro = openAuditLogReadOnly(f().store.path);
    if (!ro.ok) throw new Error(ro.error.message);
    try {
      expect(ro.value.log.verify()).toMatchObject({ ok: true, entries: 2 });
      expect(() => ro.value.log.append('x', {})).toThrow(/readonly/);
    } finally {
      ro.value.close();
    }
    expect(openAuditLogReadOnly(join(f().dir, 'none.db'))).toMatchObject({
      ok: false,
      error: { code: 'audit.no_store' },
    });
    const oldPath = join(f().dir, 'old.db');
    const old = openStore({ path: oldPath, migrations: [m001] });
    if (old.ok) old.value.close();
    expect(openAuditLogReadOnly(oldPath)).toMatchObject({ ok: false, error: { code: 'audit.not_chained' } });
  });
});
