import { describe, expect, it } from 'vitest';
import { assessTimeliness, type TimelinessInput } from '../../../core/assessments/timeliness.ts';
import { defaultAuthorityFacts } from '../../../core/authority.ts';

const context = (at: number) => ({ at, authority: defaultAuthorityFacts, applicant: { ageYears: 30 } });
const at = (iso: string): number => Date.parse(iso);
const assess = (input: TimelinessInput, when: number) => assessTimeliness(input, context(when));
const expiry = { titleExpiry: '2026-12-15' } as const;

describe('around the last day of validity (Europe/Berlin dates)', () => {
  it('the day before: last days, one day left, the title continues', () => {
    expect(assess(expiry, at('2026-12-14T12:00:00+01:00'))).toMatchObject({
      status: 'last_days',
      daysLeft: 1,
      continues: true,
      reference: '§ 81 Abs. 4 Satz 1 AufenthG',
      flagStaff: false,
    });
  });

  it('the day itself: still in time (0 days left)', () => {
    expect(assess(expiry, at('2026-12-15T09:00:00+01:00'))).toMatchObject({
      status: 'last_days',
      daysLeft: 0,
      continues: true,
      today: '2026-12-15',
    });
  });

  it('the day after: expired, flagged to staff at once, and what follows', () => {
    expect(assess(expiry, at('2026-12-16T08:00:00+01:00'))).toEqual({
      status: 'expired',
      today: '2026-12-16',
      expiry: '2026-12-15',
      daysSince: 1,
      continues: false,
      followUp: ['no_fiction_late_application', 'authority_may_order_continuation'],
      reference: '§ 81 Abs. 4 Satz 3 AufenthG',
      flagStaff: true,
      certificate: expect.objectContaining({ offer: 'if_authority_orders' }),
    });
  });

  it('counts the Berlin calendar day, not UTC: 23:30 UTC on the last day is already the next day', () => {
    // winter, UTC+1
    expect(assess(expiry, at('2026-12-15T22:59:59Z'))).toMatchObject({ status: 'last_days', daysLeft: 0 });
    expect(assess(expiry, at('2026-12-15T23:00:00Z'))).toMatchObject({ status: 'expired', daysSince: 1 });
    // summer, UTC+2
    const july = { titleExpiry: '2026-07-31' };
    expect(assess(july, at('2026-07-31T21:59:59Z'))).toMatchObject({ status: 'last_days', daysLeft: 0 });
    expect(assess(july, at('2026-07-31T22:00:00Z'))).toMatchObject({ status: 'expired', daysSince: 1 });
    // and early in the Berlin morning, when UTC is still the day before
    expect(assess(expiry, at('2026-12-14T23:30:00Z'))).toMatchObject({ status: 'last_days', daysLeft: 0 });
  });

  it('counts across a change to summer time without losing a day', () => {
    expect(assess({ titleExpiry: '2027-04-01' }, at('2027-03-27T12:00:00+01:00'))).toMatchObject({
      daysLeft: 5,
    });
  });

  it('reports days since expiry for a title long gone', () => {
    expect(assess({ titleExpiry: '2026-10-01' }, at('2026-12-10T12:00:00+01:00'))).toMatchObject({
      status: 'expired',
      daysSince: 70,
    });
  });
});

describe('timely or last days: the recommended lead time is data (8 weeks)', () => {
  const today = at('2026-12-10T12:00:00+01:00');
  it('more than 56 days before: timely', () => {
    expect(assess({ titleExpiry: '2027-02-05' }, today)).toMatchObject({ status: 'timely', daysLeft: 57 });
  });
  it('56 days before: last days', () => {
    expect(assess({ titleExpiry: '2027-02-04' }, today)).toMatchObject({ status: 'last_days', daysLeft: 56 });
  });
  it('another lead time when the installation gives one', () => {
    const result = assessTimeliness(
      { titleExpiry: '2027-02-04' },
      { ...context(today), recommendedLeadDays: 42 },
    );
    expect(result.status).toBe('timely');
  });
});

describe('the Fiktionsbescheinigung', () => {
  const today = at('2026-12-10T12:00:00+01:00');
  it('is offered where the title continues, with the visitor’s reason and its fee', () => {
    expect(assess({ titleExpiry: '2027-01-10', certificateReason: 'travel' }, today)).toMatchObject({
      status: 'last_days',
      certificate: {
        offer: 'yes',
        requested: true,
        reason: 'travel',
        reference: '§ 81 Abs. 5 AufenthG',
        fee: { ok: true, value: { amountCents: 1_300, reference: '§ 47 Abs. 1 Nr. 8 AufenthV' } },
      },
    });
  });

  it('is free for a Turkish national under the association, half for a minor', () => {
    const turkish = assessTimeliness(
      { titleExpiry: '2027-01-10' },
      { ...context(today), applicant: { ageYears: 30, turkishAssociation: true } },
    );
    expect(turkish).toMatchObject({ certificate: { fee: { ok: true, value: { amountCents: 0 } } } });
    const minor = assessTimeliness(
      { titleExpiry: '2027-01-10' },
      { ...context(today), applicant: { ageYears: 9 } },
    );
    expect(minor).toMatchObject({ certificate: { fee: { ok: true, value: { amountCents: 650 } } } });
  });

  it('after expiry only if the authority orders the title to continue', () => {
    expect(assess({ titleExpiry: '2026-12-01', certificateReason: 'employer' }, today)).toMatchObject({
      status: 'expired',
      certificate: { offer: 'if_authority_orders', requested: true, reason: 'employer' },
    });
  });

  it('not for a Schengen visa, which never continues (§ 81 Abs. 4 Satz 2)', () => {
    expect(assess({ titleExpiry: '2027-01-10', titleKind: 'schengenVisa' }, today)).toMatchObject({
      status: 'last_days',
      continues: false,
      reference: '§ 81 Abs. 4 Satz 2 AufenthG',
      certificate: { offer: 'no', fee: null },
    });
    expect(assess({ titleExpiry: '2027-01-10', titleKind: 'nationalVisa' }, today)).toMatchObject({
      continues: true,
    });
  });
});

describe('input', () => {
  it('answers a date that does not exist with the field, never a throw', () => {
    expect(assess({ titleExpiry: '2026-02-30' }, at('2026-12-10T12:00:00Z'))).toEqual({
      status: 'invalid_input',
      problems: ['titleExpiry'],
    });
    expect(
      assess(
        { titleExpiry: '2027-01-10', certificateReason: 'holiday' as never },
        at('2026-12-10T12:00:00Z'),
      ),
    ).toEqual({ status: 'invalid_input', problems: ['certificateReason'] });
  });
});
