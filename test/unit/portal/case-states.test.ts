import { describe, expect, it } from 'vitest';
import { FIRST_CASE_STATUS, mayFollow, NEXT_CASE_STATUS } from '../../../portal/case-states.ts';
import {
  CASE_STATUSES,
  type CaseStatus,
  legacyStatusOf,
  STATUS_KINDS,
} from '../../../sync/protocol/index.ts';

/** Statuses reachable from `from` by legal moves. */
function reachable(from: CaseStatus): Set<CaseStatus> {
  const seen = new Set<CaseStatus>([from]);
  const pending = [from];
  for (let s = pending.pop(); s !== undefined; s = pending.pop()) {
    for (const next of NEXT_CASE_STATUS[s]) {
      if (!seen.has(next)) {
        seen.add(next);
        pending.push(next);
      }
    }
  }
  return seen;
}

describe('the case process', () => {
  it('reaches every status from the first one, and every case can be closed', () => {
    expect([...reachable(FIRST_CASE_STATUS)].sort()).toEqual([...CASE_STATUSES].sort());
    for (const s of CASE_STATUSES) expect(reachable(s).has('closed'), s).toBe(true);
  });

  it('ends at closed, and goes back nowhere before a decision', () => {
    expect(NEXT_CASE_STATUS.closed).toEqual([]);
    for (const s of ['decided', 'card_ordered', 'card_ready', 'rejected', 'closed'] as const) {
      for (const before of [
        'submitted',
        'received',
        'documents_missing',
        'invitation_sent',
        'in_review',
      ] as const) {
        expect(mayFollow(s, before), `${s} → ${before}`).toBe(false);
      }
    }
  });

  it('takes documents handed in later only while documents are awaited', () => {
    expect(mayFollow('documents_missing', 'documents_received')).toBe(true);
    expect(mayFollow('documents_received', 'documents_received')).toBe(true);
    expect(mayFollow('documents_received', 'documents_missing')).toBe(true);
    expect(mayFollow('documents_received', 'in_review')).toBe(true);
    for (const s of ['submitted', 'received', 'invitation_sent', 'in_review', 'decided', 'closed'] as const)
      expect(mayFollow(s, 'documents_received'), s).toBe(false);
    expect(legacyStatusOf('documents_received')).toBe('in_review');
  });

  it('allows what the authority does and refuses the rest', () => {
    expect(mayFollow('received', 'documents_missing')).toBe(true);
    expect(mayFollow('documents_missing', 'documents_missing')).toBe(true);
    expect(mayFollow('invitation_sent', 'invitation_sent')).toBe(true);
    expect(mayFollow('in_review', 'decided')).toBe(true);
    expect(mayFollow('decided', 'card_ordered')).toBe(true);
    expect(mayFollow('card_ordered', 'card_ready')).toBe(true);
    expect(mayFollow('submitted', 'decided')).toBe(false);
    expect(mayFollow('received', 'card_ready')).toBe(false);
    expect(mayFollow('card_ordered', 'closed')).toBe(false);
    // the older words keep their meaning: accepted leads to decided only
    expect(NEXT_CASE_STATUS.accepted).toEqual(['decided']);
    expect(mayFollow('accepted', 'rejected')).toBe(false);
  });

  it('says each status in the older feed as a status that feed knows', () => {
    for (const s of CASE_STATUSES) {
      const legacy = legacyStatusOf(s);
      if (legacy !== undefined) expect(STATUS_KINDS).toContain(legacy);
    }
    expect(legacyStatusOf('documents_missing')).toBe('in_review');
    expect(legacyStatusOf('card_ready')).toBe('decided');
    expect(legacyStatusOf('submitted')).toBeUndefined();
  });
});
