import { afterEach, describe, expect, it } from 'vitest';
import { caseLookupResponseSchema, parseInvitationQr } from '../../../sync/protocol/index.ts';
import { type Harness, makePortal, TestTerminal } from './harness.ts';

let h: Harness;
afterEach(async () => {
  await h.close();
});

describe('the demo portal', () => {
  it('files cases in the states a visitor asks about, each found by reference and birth date', async () => {
    h = await makePortal({ demo: true, caseLookupLimit: { max: 50, windowMs: 60_000 } });
    const cases = h.portal.demoCases;
    expect(cases.map((c) => c.status).sort()).toEqual(
      [
        'card_ordered',
        'card_ready',
        'closed',
        'submitted',
        'decided',
        'documents_missing',
        'in_review',
        'invitation_sent',
        'received',
        'rejected',
      ].sort(),
    );
    const terminal = await TestTerminal.enrolled(h.portal, h.clock);
    for (const demo of cases) {
      const res = await terminal.post('/v1/cases/lookup', {
        caseReference: demo.caseReference,
        birthDate: demo.birthDate,
      });
      expect(res.statusCode, demo.caseReference).toBe(200);
      expect(caseLookupResponseSchema.parse(res.json()).events.length).toBeGreaterThan(0);
    }
    const invited = cases.find((c) => c.status === 'invitation_sent');
    expect(parseInvitationQr(invited?.invitationQr ?? '')).toBeDefined();
    expect(cases.filter((c) => c.invitationQr !== undefined)).toHaveLength(1);
  });
});
