import { describe, expect, it } from 'vitest';
import { verifyExport } from '../../../sync/audit-export.ts';
import { auditFixtures } from './audit-fixture.ts';

const f = auditFixtures();

describe('export', () => {
  it('gives JSON lines that verify on their own, and are checked against recorded heads', () => {
    f().appendSome(6);
    const text = f().log.export();
    const lines = text.trim().split('\n');
    expect(lines).toHaveLength(6);
    const first = JSON.parse(lines[0] ?? '');
    expect(first).toMatchObject({ seq: 1, event: 'staff.action', detail: { n: 1, code: 'c-1' } });
    expect(first.time).toBe(new Date(first.at).toISOString());
    expect(verifyExport(text, { anchors: [f().log.head() as { seq: number; hash: string }] })).toMatchObject({
      ok: true,
      entries: 6,
    });
    const edited = text.replace('"code":"c-3"', '"code":"c-9"');
    expect(verifyExport(edited)).toMatchObject({ ok: false, problems: [{ kind: 'edited', seq: 3 }] });
    const dropped = lines.filter((_, i) => i !== 2).join('\n');
    expect(verifyExport(dropped)).toMatchObject({ ok: false, problems: [{ kind: 'gap', seq: 3 }] });
    const cut = lines.slice(0, 4).join('\n');
    expect(verifyExport(cut, { anchors: [{ seq: 6, hash: f().log.head()?.hash ?? '' }] })).toMatchObject({
      ok: false,
      problems: [{ kind: 'truncated', seq: 5, count: 2 }],
    });
  });
});

describe('verifyExport', () => {
  it('names every line that is not an entry, without throwing', () => {
    f().appendSome(2);
    const [one, two] = f().log.export().trim().split('\n');
    const text = [one, 'not json', 'null', '42', '{"seq":2}', two].join('\n');
    const v = verifyExport(text);
    expect(v).toMatchObject({ ok: false, entries: 2 });
    if (!v.ok) {
      expect(v.problems.map((p) => p.message)).toEqual([
        'line 2 is not JSON',
        'line 3 is not an audit entry',
        'line 4 is not an audit entry',
        'line 5 is not an audit entry',
      ]);
    }
  });
});
