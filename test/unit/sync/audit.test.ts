import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  AUDIT_TRIGGERS,
  type AuditDetail,
  AuditInputError,
  AuditLog,
  type AuditProblem,
  GENESIS_HASH,
  openAuditLogReadOnly,
  verifyExport,
} from '../../../sync/audit.ts';
import { migration as m001 } from '../../../sync/migrations/001-outbox.ts';
import { openStore, type Store } from '../../../sync/store.ts';
import { application, makeHarness } from './harness.ts';

let dir: string;
let store: Store;
let log: AuditLog;
let clock: number;

function open(path = join(dir, 'kiosk.db')): Store {
  const r = openStore({ path, now: () => clock });
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'audit-test-'));
  clock = Date.UTC(2025, 2, 1, 9, 0, 0);
  store = open();
  log = new AuditLog(store.db, { now: () => clock });
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

function appendSome(n: number): void {
  for (let i = 1; i <= n; i++) {
    clock += 1000;
    log.append(
      i % 2 ? 'staff.action' : 'enqueued',
      { n: i, ok: i % 3 === 0, code: `c-${i}` },
      {
        submissionId: i % 2 ? null : `sub-${i}`,
        state: i % 2 ? null : 'queued',
      },
    );
  }
}

/** What someone with the file does first: the triggers are in the way. */
function dropTriggers(db = store.db): void {
  for (const name of Object.keys(AUDIT_TRIGGERS)) db.exec(`DROP TRIGGER IF EXISTS ${name}`);
}

function problemsOf(): AuditProblem[] {
  const v = log.verify();
  return v.ok ? [] : [...v.problems];
}

const kinds = (ps: readonly AuditProblem[]) => ps.map((p) => `${p.kind}@${p.seq}`);

/** An independent implementation of the documented v1 format, to pin it. */
function hashV1(e: {
  seq: number;
  at: number;
  event: string;
  submissionId: string | null;
  state: string | null;
  detail: unknown;
  prevHash: string;
}): string {
  const sortKeys = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sortKeys)
      : v !== null && typeof v === 'object'
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]),
          )
        : v;
  const body = JSON.stringify([
    e.seq,
    e.at,
    e.event,
    e.submissionId,
    e.state,
    JSON.stringify(sortKeys(e.detail)),
    e.prevHash,
  ]);
  return createHash('sha256').update(`serviceterminal.audit.v1\n${body}`).digest('hex');
}

describe('AuditLog.append', () => {
  it('chains every entry to the one before, from the genesis value, and the head follows', () => {
    expect(log.head()).toBeNull();
    const a = log.append('staff.sign_in_ok', { role: 'staff', badge: '0a1b2c3d', known: true });
    clock += 5;
    const b = log.append('enqueued', { sealedBytes: 1234 }, { submissionId: 'sub-1', state: 'queued' });
    expect(a).toMatchObject({ seq: 1, at: Date.UTC(2025, 2, 1, 9, 0, 0), prevHash: GENESIS_HASH });
    expect(b).toMatchObject({ seq: 2, prevHash: a.hash, submissionId: 'sub-1', state: 'queued' });
    expect(a.hash).toBe(hashV1(a));
    expect(b.hash).toBe(hashV1(b));
    expect(log.head()).toEqual({ seq: 2, hash: b.hash });
    expect(log.entries()).toEqual([a, b]);
    expect(log.entries({ submissionId: 'sub-1' })).toEqual([b]);
    expect(log.verify()).toEqual({ ok: true, entries: 2, head: { seq: 2, hash: b.hash } });
  });

  it('stores the detail canonically, whatever the key order it was given in', () => {
    const a = log.append('x', { b: 1, a: { d: [1, 'z'], c: null } });
    const raw = store.db.prepare('SELECT detail FROM audit WHERE seq = ?').get(a.seq) as { detail: string };
    expect(raw.detail).toBe('{"a":{"c":null,"d":[1,"z"]},"b":1}');
  });

  it('joins the caller’s transaction: rolled back with it, and the chain carries on unbroken', () => {
    const first = log.append('one', {});
    expect(() =>
      store.db.transaction(() => {
        log.append('two', {});
        throw new Error('the caller fails after the audit entry');
      })(),
    ).toThrow('the caller fails');
    expect(log.head()).toEqual({ seq: 1, hash: first.hash });
    const next = log.append('three', {});
    expect(next).toMatchObject({ seq: 2, prevHash: first.hash });
    expect(log.verify().ok).toBe(true);
  });

  it.each<[string, () => unknown]>([
    ['an upper-case event name', () => log.append('Staff.Login', {})],
    ['an event name with a space', () => log.append('staff login', {})],
    ['a too long event name', () => log.append(`e${'x'.repeat(64)}`, {})],
    ['a key that is not an identifier', () => log.append('e', { 'family name': 'x' })],
    ['a nested key that is not an identifier', () => log.append('e', { a: { 'b-c': 1 } })],
    ['a long free text', () => log.append('e', { note: 'x'.repeat(257) })],
    ['NaN', () => log.append('e', { n: Number.NaN })],
    ['undefined', () => log.append('e', { n: undefined as unknown as null })],
    ['a Date', () => log.append('e', { at: new Date() as unknown as string })],
    ['a Buffer', () => log.append('e', { b: Buffer.from('x') as unknown as string })],
    ['nesting four deep', () => log.append('e', { a: { b: { c: { d: { e: 1 } } } } })],
    ['a too long array', () => log.append('e', { a: Array.from({ length: 65 }, () => 1) })],
    [
      'more than 16 KiB',
      () => log.append('e', { a: Array.from({ length: 64 }, () => 'x'.repeat(256)), b: 'y'.repeat(200) }),
    ],
    ['a malformed submission id', () => log.append('e', {}, { submissionId: 'sub 1; drop' })],
    ['a malformed state', () => log.append('e', {}, { state: 'Queued!' })],
  ])('refuses %s, writing nothing', (_label, call) => {
    expect(call).toThrow(AuditInputError);
    expect(log.head()).toBeNull();
  });

  it('names the offending key but never repeats the value', () => {
    const secret = `Mustermann ${'x'.repeat(300)}`;
    let message = '';
    try {
      log.append('e', { familyName: secret });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('familyName');
    expect(message).not.toContain('Mustermann');
  });

  it('accepts what staff actions and the outbox record', () => {
    log.append('staff.sign_in_failed', { role: 'admin', badge: 'deadbeef', known: false, attempts: 3 });
    log.append(
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
    expect(log.verify().ok).toBe(true);
  });
});

describe('SQL triggers', () => {
  beforeEach(() => appendSome(3));

  it('refuse UPDATE and DELETE of entries', () => {
    expect(() => store.db.prepare("UPDATE audit SET event = 'x' WHERE seq = 2").run()).toThrow(/append-only/);
    expect(() => store.db.prepare('DELETE FROM audit WHERE seq = 3').run()).toThrow(/append-only/);
    expect(() => store.db.prepare('DELETE FROM audit').run()).toThrow(/append-only/);
    expect(log.verify()).toMatchObject({ ok: true, entries: 3 });
  });

  it('refuse an insert that does not continue the chain', () => {
    const head = log.head();
    const insert = store.db.prepare(
      'INSERT INTO audit (seq, at, event, detail, prev_hash, hash) VALUES (?, 0, ?, ?, ?, ?)',
    );
    expect(() => insert.run(9, 'skip', '{}', head?.hash, 'f'.repeat(64))).toThrow(/continue the chain/);
    expect(() => insert.run(4, 'fork', '{}', GENESIS_HASH, 'f'.repeat(64))).toThrow(/continue the chain/);
    expect(() =>
      store.db
        .prepare("INSERT INTO audit (at, event, prev_hash, hash) VALUES (0, 'auto', ?, ?)")
        .run(head?.hash, 'f'.repeat(64)),
    ).toThrow(/continue the chain/);
  });

  it('keep the local anchor from moving back or going away', () => {
    expect(() => store.db.prepare('UPDATE audit_head SET seq = 1, hash = ?').run(GENESIS_HASH)).toThrow(
      /only moves forward/,
    );
    expect(() => store.db.prepare('DELETE FROM audit_head').run()).toThrow(/cannot be removed/);
  });
});

describe('AuditLog.verify finds', () => {
  beforeEach(() => {
    appendSome(10);
    dropTriggers();
  });

  it('the triggers dropped, one line each', () => {
    expect(kinds(problemsOf())).toEqual(Object.keys(AUDIT_TRIGGERS).map(() => 'trigger_missing@null'));
    expect(problemsOf()[0]?.message).toBe('trigger audit_no_update is missing');
  });

  describe('(triggers put back after the tampering, so only the tampering shows)', () => {
    const restore = () => {
      for (const sql of Object.values(AUDIT_TRIGGERS)) store.db.exec(sql);
    };

    it('one edited field', () => {
      store.db.prepare("UPDATE audit SET detail = replace(detail, 'c-4', 'c-5') WHERE seq = 4").run();
      restore();
      expect(problemsOf()).toEqual([{ kind: 'edited', seq: 4, message: 'entry 4 was edited' }]);
    });

    it('an edit whose hash was recomputed: the next entry no longer follows it', () => {
      const e = log.entries({ fromSeq: 4, limit: 1 })[0];
      if (e === undefined) throw new Error('no entry 4');
      const forged = hashV1({ ...e, at: e.at + 1 });
      store.db.prepare('UPDATE audit SET at = at + 1, hash = ? WHERE seq = 4').run(forged);
      restore();
      expect(kinds(problemsOf())).toEqual(['broken_link@5']);
      expect(problemsOf()[0]?.message).toBe(
        'entry 5 does not follow entry 4 (reordered, or one was replaced)',
      );
    });

    it('two swapped entries', () => {
      store.db.exec('UPDATE audit SET seq = -1 WHERE seq = 3');
      store.db.exec('UPDATE audit SET seq = 3 WHERE seq = 6');
      store.db.exec('UPDATE audit SET seq = 6 WHERE seq = -1');
      restore();
      const found = kinds(problemsOf());
      expect(found).toContain('edited@3');
      expect(found).toContain('edited@6');
    });

    it('a removed middle entry', () => {
      store.db.exec('DELETE FROM audit WHERE seq = 5');
      restore();
      expect(problemsOf()).toEqual([{ kind: 'gap', seq: 5, count: 1, message: 'entry 5 is missing' }]);
    });

    it('a removed last entry', () => {
      store.db.exec('DELETE FROM audit WHERE seq = 10');
      restore();
      expect(problemsOf()).toEqual([
        {
          kind: 'truncated',
          seq: 10,
          count: 1,
          message: 'entry 10 is missing at the end (the local anchor shows 10 were written)',
        },
      ]);
    });

    it('the last entries removed with the local anchor moved back: sqlite_sequence still knows', () => {
      store.db.exec('DELETE FROM audit WHERE seq > 7');
      store.db.exec('UPDATE audit_head SET seq = 7, hash = (SELECT hash FROM audit WHERE seq = 7)');
      restore();
      expect(problemsOf()).toEqual([
        {
          kind: 'truncated',
          seq: 8,
          count: 3,
          message: 'entries 8 to 10 are missing at the end (sqlite_sequence shows 10 were written)',
        },
      ]);
    });

    it('the whole table emptied', () => {
      store.db.exec('DELETE FROM audit');
      restore();
      expect(problemsOf()).toEqual([
        {
          kind: 'truncated',
          seq: 1,
          count: 10,
          message: 'the audit log is empty but the local anchor shows 10 entries were written',
        },
      ]);
      expect(log.verify()).toMatchObject({ ok: false, entries: 0, head: null });
    });

    it('a changed trigger', () => {
      restore();
      store.db.exec('DROP TRIGGER audit_no_delete');
      store.db.exec('CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT 1; END');
      expect(problemsOf()).toEqual([
        { kind: 'trigger_missing', seq: null, message: 'trigger audit_no_delete was changed' },
      ]);
    });

    it('entries added behind the anchor', () => {
      const head = log.head();
      store.db
        .prepare(
          "INSERT INTO audit (seq, at, event, detail, prev_hash, hash) VALUES (11, 0, 'x', '{}', ?, ?)",
        )
        .run(head?.hash, 'e'.repeat(64));
      restore();
      expect(kinds(problemsOf())).toEqual(['edited@11', 'anchor_mismatch@11']);
    });

    it('a rewrite that recomputed the chain and the local anchor only against a recorded head', () => {
      const recorded = log.head();
      if (recorded === null) throw new Error('no head');
      const entries = log.entries();
      let prev = GENESIS_HASH;
      for (const e of entries) {
        const at = e.seq === 2 ? e.at - 60_000 : e.at;
        const hash = hashV1({ ...e, at, prevHash: prev });
        store.db
          .prepare('UPDATE audit SET at = ?, prev_hash = ?, hash = ? WHERE seq = ?')
          .run(at, prev, hash, e.seq);
        prev = hash;
      }
      store.db.prepare('UPDATE audit_head SET hash = ?').run(prev);
      restore();
      expect(log.verify().ok).toBe(true);
      expect(log.verify({ anchors: [recorded] })).toMatchObject({
        ok: false,
        problems: [{ kind: 'anchor_mismatch', seq: 10 }],
      });
      const later = { seq: 12, hash: 'a'.repeat(64) };
      expect(log.verify({ anchors: [later] })).toMatchObject({
        ok: false,
        problems: [{ kind: 'truncated', seq: 11, count: 2 }],
      });
    });

    it('tampering that later appends do not heal', () => {
      store.db.exec('DELETE FROM audit WHERE seq = 10');
      restore();
      log.append('after', {});
      expect(kinds(problemsOf())).toEqual(['gap@10']);
    });
  });

  it('a dropped table, without throwing', () => {
    store.db.exec('DROP TABLE audit');
    expect(kinds(problemsOf())).toContain('truncated@null');
  });

  it('caps the list of problems and counts the rest', () => {
    store.db.exec("UPDATE audit SET event = 'forged'");
    const v = log.verify({ maxProblems: 3 });
    expect(v).toMatchObject({ ok: false, omitted: 10 + Object.keys(AUDIT_TRIGGERS).length - 3 });
    if (!v.ok) expect(v.problems).toHaveLength(3);
  });
});

describe('export', () => {
  it('gives JSON lines that verify on their own, and are checked against recorded heads', () => {
    appendSome(6);
    const text = log.export();
    const lines = text.trim().split('\n');
    expect(lines).toHaveLength(6);
    const first = JSON.parse(lines[0] ?? '');
    expect(first).toMatchObject({ seq: 1, event: 'staff.action', detail: { n: 1, code: 'c-1' } });
    expect(first.time).toBe(new Date(first.at).toISOString());
    expect(verifyExport(text, { anchors: [log.head() as { seq: number; hash: string }] })).toMatchObject({
      ok: true,
      entries: 6,
    });
    const edited = text.replace('"code":"c-3"', '"code":"c-9"');
    expect(verifyExport(edited)).toMatchObject({ ok: false, problems: [{ kind: 'edited', seq: 3 }] });
    const dropped = lines.filter((_, i) => i !== 2).join('\n');
    expect(verifyExport(dropped)).toMatchObject({ ok: false, problems: [{ kind: 'gap', seq: 3 }] });
    const cut = lines.slice(0, 4).join('\n');
    expect(verifyExport(cut, { anchors: [{ seq: 6, hash: log.head()?.hash ?? '' }] })).toMatchObject({
      ok: false,
      problems: [{ kind: 'truncated', seq: 5, count: 2 }],
    });
  });
});

describe('migration 002', () => {
  it('chains the entries written before it, in order, keeping their seq numbers', () => {
    const path = join(dir, 'old.db');
    const old = openStore({ path, migrations: [m001] });
    if (!old.ok) throw new Error(old.error.message);
    const insert = old.value.db.prepare(
      'INSERT INTO audit (at, event, submission_id, state, detail) VALUES (?, ?, ?, ?, ?)',
    );
    insert.run(1000, 'enqueued', 'sub-a', 'queued', '{"sealedBytes":5,"authorityKid":"k1"}');
    insert.run(2000, 'attempt', 'sub-a', 'sending', '{"attempt":1}');
    insert.run(3000, 'delivered', 'sub-a', 'delivered', '{"portalReceivedAt":"2025-03-01T09:00:00.000Z"}');
    old.value.close();

    const migrated = open(path);
    try {
      const l = new AuditLog(migrated.db, { now: () => 4000 });
      const entries = l.entries();
      expect(entries.map((e) => [e.seq, e.event, e.at])).toEqual([
        [1, 'enqueued', 1000],
        [2, 'attempt', 2000],
        [3, 'delivered', 3000],
      ]);
      expect(entries[0]?.detail).toEqual({ authorityKid: 'k1', sealedBytes: 5 });
      expect(entries[0]?.prevHash).toBe(GENESIS_HASH);
      for (const e of entries) expect(e.hash).toBe(hashV1(e));
      expect(l.head()).toEqual({ seq: 3, hash: entries[2]?.hash });
      expect(l.verify()).toMatchObject({ ok: true, entries: 3 });
      const next = l.append('purged', {}, { submissionId: 'sub-a', state: 'purged' });
      expect(next).toMatchObject({ seq: 4, prevHash: entries[2]?.hash });
      expect(() => migrated.db.prepare('DELETE FROM audit WHERE seq = 1').run()).toThrow(/append-only/);
      expect(l.verify()).toMatchObject({ ok: true, entries: 4 });
    } finally {
      migrated.close();
    }
  });
});

describe('openAuditLogReadOnly', () => {
  it('opens without writing, and says when there is nothing to verify', () => {
    appendSome(2);
    const ro = openAuditLogReadOnly(store.path);
    if (!ro.ok) throw new Error(ro.error.message);
    try {
      expect(ro.value.log.verify()).toMatchObject({ ok: true, entries: 2 });
      expect(() => ro.value.log.append('x', {})).toThrow(/readonly/);
    } finally {
      ro.value.close();
    }
    expect(openAuditLogReadOnly(join(dir, 'none.db'))).toMatchObject({
      ok: false,
      error: { code: 'audit.no_store' },
    });
    const oldPath = join(dir, 'old.db');
    const old = openStore({ path: oldPath, migrations: [m001] });
    if (old.ok) old.value.close();
    expect(openAuditLogReadOnly(oldPath)).toMatchObject({ ok: false, error: { code: 'audit.not_chained' } });
  });
});

describe('the outbox writes to the chained log', () => {
  it('in the same transaction as the change, and leaves the chain intact when it rolls back', async () => {
    const h = await makeHarness();
    try {
      const r = await h.outbox.enqueue(application());
      if (!r.ok) throw new Error(r.error.message);
      h.outbox.beginAttempt(r.value.submissionId);
      h.outbox.markDelivered(r.value.submissionId, '2025-03-01T09:00:01.000Z');
      const head = h.outbox.auditLog.head();
      expect(head?.seq).toBe(3);
      expect(h.outbox.auditLog.entries().map((e) => e.event)).toEqual(['enqueued', 'attempt', 'delivered']);
      h.reopen({
        onStep: (s) => {
          if (s === 'written') throw new Error('crash');
        },
      });
      await expect(h.outbox.enqueue(application('lost'))).rejects.toThrow('crash');
      expect(h.outbox.auditLog.head()).toEqual(head);
      expect(h.outbox.auditLog.verify()).toMatchObject({ ok: true, entries: 3 });
      expect(h.outbox.auditLog.export()).not.toMatch(/Name-x|1990-01-31/);
    } finally {
      h.dispose();
    }
  });
});

describe('property: any single edit, swap or deletion is detected', () => {
  type Tamper =
    | {
        kind: 'edit';
        at: number;
        column: 'at' | 'event' | 'submission_id' | 'state' | 'detail' | 'prev_hash' | 'hash';
      }
    | { kind: 'swap'; a: number; b: number }
    | { kind: 'delete'; at: number };

  const detailArb: fc.Arbitrary<AuditDetail> = fc.dictionary(
    fc.stringMatching(/^[a-z][a-zA-Z0-9_]{0,8}$/),
    fc.oneof(
      fc.string({ maxLength: 20 }),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.array(fc.integer(), { maxLength: 3 }),
    ),
    { maxKeys: 4 },
  );
  const entryArb = fc.record({
    event: fc.stringMatching(/^[a-z][a-z0-9_.-]{0,10}$/),
    detail: detailArb,
    submissionId: fc.option(fc.stringMatching(/^sub-[0-9a-f]{1,6}$/), { nil: null }),
    state: fc.option(fc.constantFrom('queued', 'sending', 'delivered'), { nil: null }),
    dt: fc.nat(100_000),
  });
  const caseArb = fc.array(entryArb, { minLength: 2, maxLength: 12 }).chain((entries) => {
    const n = entries.length;
    const seq = fc.integer({ min: 1, max: n });
    const tamper: fc.Arbitrary<Tamper> = fc.oneof(
      fc.record({
        kind: fc.constant('edit' as const),
        at: seq,
        column: fc.constantFrom('at', 'event', 'submission_id', 'state', 'detail', 'prev_hash', 'hash'),
      }),
      fc
        .tuple(seq, seq)
        .filter(([a, b]) => a !== b)
        .map(([a, b]) => ({ kind: 'swap' as const, a: Math.min(a, b), b: Math.max(a, b) })),
      fc.record({ kind: fc.constant('delete' as const), at: seq }),
    );
    return fc.tuple(fc.constant(entries), tamper);
  });

  function apply(t: Tamper): void {
    const db = store.db;
    if (t.kind === 'delete') db.prepare('DELETE FROM audit WHERE seq = ?').run(t.at);
    else if (t.kind === 'swap') {
      db.prepare('UPDATE audit SET seq = -1 WHERE seq = ?').run(t.a);
      db.prepare('UPDATE audit SET seq = ? WHERE seq = ?').run(t.a, t.b);
      db.prepare('UPDATE audit SET seq = ? WHERE seq = -1').run(t.b);
    } else {
      const change: Record<typeof t.column, string> = {
        at: 'at = at + 1',
        event: "event = event || 'x'",
        submission_id: "submission_id = coalesce(submission_id || 'x', 'sub-x')",
        state: "state = CASE WHEN state IS NULL THEN 'queued' ELSE NULL END",
        detail: `detail = CASE WHEN detail = '{}' THEN '{"a":1}' ELSE '{}' END`,
        prev_hash:
          "prev_hash = CASE WHEN substr(prev_hash, 1, 1) = 'a' THEN 'b' ELSE 'a' END || substr(prev_hash, 2)",
        hash: "hash = CASE WHEN substr(hash, 1, 1) = 'a' THEN 'b' ELSE 'a' END || substr(hash, 2)",
      };
      db.prepare(`UPDATE audit SET ${change[t.column]} WHERE seq = ?`).run(t.at);
    }
  }

  it('holds for generated logs and tampering', () => {
    fc.assert(
      fc.property(caseArb, ([entries, tamper]) => {
        const db = store.db;
        db.exec('BEGIN');
        try {
          for (const e of entries) {
            clock += e.dt;
            log.append(e.event, e.detail, { submissionId: e.submissionId, state: e.state });
          }
          if (!log.verify().ok) return false;
          dropTriggers();
          apply(tamper);
          for (const sql of Object.values(AUDIT_TRIGGERS)) db.exec(sql);
          const v = log.verify();
          if (v.ok) return false;
          const seqs = v.problems.map((p) => p.seq);
          if (tamper.kind === 'edit')
            return v.problems.some((p) => p.kind === 'edited' && p.seq === tamper.at);
          if (tamper.kind === 'swap') return seqs.includes(tamper.a) && seqs.includes(tamper.b);
          return seqs.includes(tamper.at);
        } finally {
          db.exec('ROLLBACK');
        }
      }),
      { numRuns: 300 },
    );
  });
});
