import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { GENESIS_HASH } from '../../../sync/audit-chain.ts';
import type { AuditDetail } from '../../../sync/audit-detail.ts';
import { AUDIT_TRIGGERS } from '../../../sync/audit-sql.ts';
import { auditFixtures, hashV1, kinds } from './audit-fixture.ts';

const f = auditFixtures();

describe('AuditLog.verify finds', () => {
  beforeEach(() => {
    f().appendSome(10);
    f().dropTriggers();
  });

  it('the triggers dropped, one line each', () => {
    expect(kinds(f().problems())).toEqual(Object.keys(AUDIT_TRIGGERS).map(() => 'trigger_missing@null'));
    expect(f().problems()[0]?.message).toBe('trigger audit_no_update is missing');
  });

  describe('(triggers put back after the tampering, so only the tampering shows)', () => {
    const restore = () => f().restoreTriggers();

    it('one edited field', () => {
      f().store.db.prepare("UPDATE audit SET detail = replace(detail, 'c-4', 'c-5') WHERE seq = 4").run();
      restore();
      expect(f().problems()).toEqual([{ kind: 'edited', seq: 4, message: 'entry 4 was edited' }]);
    });

    it('an edit whose hash was recomputed: the next entry no longer follows it', () => {
      const e = f().log.entries({ fromSeq: 4, limit: 1 })[0];
      if (e === undefined) throw new Error('no entry 4');
      const forged = hashV1({ ...e, at: e.at + 1 });
      f().store.db.prepare('UPDATE audit SET at = at + 1, hash = ? WHERE seq = 4').run(forged);
      restore();
      expect(kinds(f().problems())).toEqual(['broken_link@5']);
      expect(f().problems()[0]?.message).toBe(
        'entry 5 does not follow entry 4 (reordered, or one was replaced)',
      );
    });

    it('two swapped entries', () => {
      f().store.db.exec('UPDATE audit SET seq = -1 WHERE seq = 3');
      f().store.db.exec('UPDATE audit SET seq = 3 WHERE seq = 6');
      f().store.db.exec('UPDATE audit SET seq = 6 WHERE seq = -1');
      restore();
      const found = kinds(f().problems());
      expect(found).toContain('edited@3');
      expect(found).toContain('edited@6');
    });

    it('a removed middle entry', () => {
      f().store.db.exec('DELETE FROM audit WHERE seq = 5');
      restore();
      expect(f().problems()).toEqual([{ kind: 'gap', seq: 5, count: 1, message: 'entry 5 is missing' }]);
    });

    it('a removed last entry', () => {
      f().store.db.exec('DELETE FROM audit WHERE seq = 10');
      restore();
      expect(f().problems()).toEqual([
        {
          kind: 'truncated',
          seq: 10,
          count: 1,
          message: 'entry 10 is missing at the end (the local anchor shows 10 were written)',
        },
      ]);
    });

    it('the last entries removed with the local anchor moved back: sqlite_sequence still knows', () => {
      f().store.db.exec('DELETE FROM audit WHERE seq > 7');
      f().store.db.exec('UPDATE audit_head SET seq = 7, hash = (SELECT hash FROM audit WHERE seq = 7)');
      restore();
      expect(f().problems()).toEqual([
        {
          kind: 'truncated',
          seq: 8,
          count: 3,
          message: 'entries 8 to 10 are missing at the end (sqlite_sequence shows 10 were written)',
        },
      ]);
    });

    it('the whole table emptied', () => {
      f().store.db.exec('DELETE FROM audit');
      restore();
      expect(f().problems()).toEqual([
        {
          kind: 'truncated',
          seq: 1,
          count: 10,
          message: 'the audit log is empty but the local anchor shows 10 entries were written',
        },
      ]);
      expect(f().log.verify()).toMatchObject({ ok: false, entries: 0, head: null });
    });

    it('a changed trigger', () => {
      restore();
      f().store.db.exec('DROP TRIGGER audit_no_delete');
      f().store.db.exec('CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT 1; END');
      expect(f().problems()).toEqual([
        { kind: 'trigger_missing', seq: null, message: 'trigger audit_no_delete was changed' },
      ]);
    });

    it('entries added behind the anchor', () => {
      const head = f().log.head();
      f()
        .store.db.prepare(
          "INSERT INTO audit (seq, at, event, detail, prev_hash, hash) VALUES (11, 0, 'x', '{}', ?, ?)",
        )
        .run(head?.hash, 'e'.repeat(64));
      restore();
      expect(kinds(f().problems())).toEqual(['edited@11', 'anchor_mismatch@11']);
    });

    it('a rewrite that recomputed the chain and the local anchor only against a recorded head', () => {
      const recorded = f().log.head();
      if (recorded === null) throw new Error('no head');
      const entries = f().log.entries();
      let prev = GENESIS_HASH;
      for (const e of entries) {
        const at = e.seq === 2 ? e.at - 60_000 : e.at;
        const hash = hashV1({ ...e, at, prevHash: prev });
        f()
          .store.db.prepare('UPDATE audit SET at = ?, prev_hash = ?, hash = ? WHERE seq = ?')
          .run(at, prev, hash, e.seq);
        prev = hash;
      }
      f().store.db.prepare('UPDATE audit_head SET hash = ?').run(prev);
      restore();
      expect(f().log.verify().ok).toBe(true);
      expect(f().log.verify({ anchors: [recorded] })).toMatchObject({
        ok: false,
        problems: [{ kind: 'anchor_mismatch', seq: 10 }],
      });
      const later = { seq: 12, hash: 'a'.repeat(64) };
      expect(f().log.verify({ anchors: [later] })).toMatchObject({
        ok: false,
        problems: [{ kind: 'truncated', seq: 11, count: 2 }],
      });
    });

    it('tampering that later appends do not heal', () => {
      f().store.db.exec('DELETE FROM audit WHERE seq = 10');
      restore();
      f().log.append('after', {});
      expect(kinds(f().problems())).toEqual(['gap@10']);
    });
  });

  it('a dropped table, without throwing', () => {
    f().store.db.exec('DROP TABLE audit');
    expect(kinds(f().problems())).toContain('truncated@null');
  });

  it('caps the list of problems and counts the rest', () => {
    f().store.db.exec("UPDATE audit SET event = 'forged'");
    const v = f().log.verify({ maxProblems: 3 });
    expect(v).toMatchObject({ ok: false, omitted: 10 + Object.keys(AUDIT_TRIGGERS).length - 3 });
    if (!v.ok) expect(v.problems).toHaveLength(3);
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
    const db = f().store.db;
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
        const db = f().store.db;
        db.exec('BEGIN');
        try {
          for (const e of entries) {
            f().clock += e.dt;
            f().log.append(e.event, e.detail, { submissionId: e.submissionId, state: e.state });
          }
          if (!f().log.verify().ok) return false;
          f().dropTriggers();
          apply(tamper);
          f().restoreTriggers();
          const v = f().log.verify();
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
