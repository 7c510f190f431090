import { describe, expect, it } from 'vitest';
import type { FieldValues } from '../../../api/forms.ts';
import { estimateCommitment } from '../../../core/assessments/commitment.ts';
import {
  centsOf,
  commitmentInput,
  journeyNotes,
  residenceFeeRequest,
  staffFlags,
} from '../../../core/assessments/journey-notes.ts';
import { defaultAuthorityFacts } from '../../../core/authority.ts';

/** Noon in Berlin on a calendar day. */
const on = (date: string): number => Date.parse(`${date}T11:00:00Z`);
const AT = on('2026-12-10');
const context = { at: AT, authority: defaultAuthorityFacts };
const codes = (notes: readonly { code: string }[]) => notes.map((n) => n.code);

/** A private guarantor's answers as the journey holds them (money as typed, counts as text). */
const guarantor: FieldValues = {
  livesInCity: 'yes',
  residenceStatus: 'permit',
  titleValidUntil: '2029-01-31',
  stayLength: 'upTo90Days',
  birthDate: '1980-05-05',
  netIncome: '3000',
  rent: '900,50',
  dependants: '2',
  otherObligations: '50',
  guestBirthDate: '1955-01-01',
  coTravellingSpouse: 'yes',
  coTravellingChildren: '1',
  arrivalDate: '2027-02-01',
  departureDate: '2027-02-20',
};

describe('the declaration of commitment: answers to the estimate', () => {
  it('reads money, counts, the guests with spouse and children, and the guarantor', () => {
    expect(commitmentInput(guarantor)).toEqual({
      netIncomeCents: 300_000,
      warmRentCents: 90_050,
      otherObligationsCents: 5_000,
      dependants: 2,
      guests: { adults: 2, minors: 1 },
      stay: 'short',
      stayEnd: '2027-02-20',
      guarantor: { status: 'residencePermit', livesInCity: true, titleValidUntil: '2029-01-31' },
    });
  });

  it('counts a guest under 18 on the day of arrival as a minor, and a longer stay as long', () => {
    const input = commitmentInput({
      ...guarantor,
      guestBirthDate: '2009-02-02',
      coTravellingSpouse: 'no',
      coTravellingChildren: '0',
      stayLength: 'longer',
    });
    expect(input?.guests).toEqual({ adults: 0, minors: 1 });
    expect(input?.stay).toBe('long');
    expect(commitmentInput({ ...guarantor, guestBirthDate: '2009-02-01' })?.guests.adults).toBe(2);
  });

  it('has no input while the income is missing or not an amount', () => {
    expect(commitmentInput({ ...guarantor, netIncome: null })).toBeNull();
    expect(commitmentInput({ ...guarantor, netIncome: '3.000,00' })).toBeNull();
    expect(
      journeyNotes('commitment-private', 'estimate', { ...guarantor, netIncome: null }, context),
    ).toEqual([{ code: 'commitmentNoEstimate', tone: 'info' }]);
  });

  it('says likely sufficient with the figures of the estimate, and the fee due even when refused', () => {
    const wellOff = { ...guarantor, netIncome: '5000' };
    const notes = journeyNotes('commitment-private', 'estimate', wellOff, context);
    const input = commitmentInput(wellOff);
    if (!input) throw new Error('no input');
    const estimate = estimateCommitment(input, context);
    if (estimate.outcome !== 'likely_sufficient') throw new Error(estimate.outcome);
    expect(notes[0]).toEqual({
      code: 'commitmentLikelySufficient',
      tone: 'ok',
      amounts: { garnishable: estimate.figures.garnishableCents, required: estimate.figures.requiredCents },
    });
    expect(codes(notes)).toEqual(['commitmentLikelySufficient', 'feeCommitment', 'feeIfRefused', 'payment']);
    expect(notes[1]?.amounts).toEqual({ amount: 2_900 });
    // § 49 Abs. 2 AufenthV: the whole fee is due when the declaration is refused
    expect(notes[2]?.amounts).toEqual({ amount: 2_900 });
    expect(notes[3]?.items).toEqual([defaultAuthorityFacts.payment]);
  });

  it('says likely not sufficient with the shortfall and the options this authority accepts', () => {
    const notes = journeyNotes(
      'commitment-private',
      'estimate',
      { ...guarantor, netIncome: '1800' },
      context,
    );
    expect(notes[0]).toMatchObject({ code: 'commitmentLikelyInsufficient', tone: 'warning' });
    expect(notes[0]?.amounts?.shortfall).toBe(
      (notes[0]?.amounts?.required ?? 0) - (notes[0]?.amounts?.garnishable ?? 0),
    );
    expect(notes[0]?.items).toEqual([
      'declare_with_spouse',
      'blocked_savings_savingsBookBlocked',
      'company_declaration',
    ]);
    const noSecurities = journeyNotes(
      'commitment-private',
      'estimate',
      { ...guarantor, netIncome: '1800' },
      { ...context, authority: { ...defaultAuthorityFacts, commitmentSecurities: [] } },
    );
    expect(noSecurities[0]?.items).toEqual(['declare_with_spouse', 'company_declaration']);
  });

  it('says not possible here when the title ends before the visit', () => {
    const notes = journeyNotes(
      'commitment-private',
      'estimate',
      { ...guarantor, titleValidUntil: '2027-02-10' },
      context,
    );
    expect(notes[0]).toEqual({
      code: 'commitmentNotPossible',
      tone: 'stop',
      items: ['title_ends_before_stay', 'extend_title_first'],
    });
  });

  it('refuses to estimate with an expired table, and still names the fee', () => {
    const notes = journeyNotes('commitment-private', 'estimate', guarantor, {
      ...context,
      at: on('2027-01-04'),
    });
    expect(codes(notes)[0]).toBe('commitmentNoEstimate');
    expect(codes(notes)).toContain('feeCommitment');
  });

  it('names the fee of a company declaration', () => {
    expect(codes(journeyNotes('commitment-company', 'estimate', {}, context))).toEqual([
      'feeCommitment',
      'feeIfRefused',
      'payment',
    ]);
  });
});

describe('the residence permit: timeliness, fee, photo, lost card', () => {
  const extension: FieldValues = {
    request: 'permit',
    permitRequest: 'extend',
    currentTitle: 'residencePermit',
    currentTitleExpiry: '2027-06-30',
    birthDate: '1990-01-31',
  };

  it('is timely months ahead, in its last days eight weeks ahead, expired the day after', () => {
    expect(journeyNotes('residence-permit', 'timeliness', extension, context)[0]).toEqual({
      code: 'titleTimely',
      tone: 'ok',
      dates: { expiry: '2027-06-30' },
    });
    const lastDays = journeyNotes(
      'residence-permit',
      'timeliness',
      { ...extension, currentTitleExpiry: '2026-12-10' },
      context,
    );
    expect(lastDays[0]).toMatchObject({ code: 'titleLastDays', tone: 'warning', counts: { days: 0 } });
    const expired = journeyNotes(
      'residence-permit',
      'timeliness',
      { ...extension, currentTitleExpiry: '2026-12-09' },
      context,
    );
    expect(codes(expired)).toEqual(['titleExpired', 'titleExpiredFollowUp', 'fictionCertificateIfOrdered']);
    expect(expired[0]).toMatchObject({ tone: 'stop', counts: { days: 1 } });
    expect(expired[1]?.items).toEqual(['no_fiction_late_application', 'authority_may_order_continuation']);
  });

  it('offers the Fiktionsbescheinigung with its fee while the title continues', () => {
    const notes = journeyNotes('residence-permit', 'timeliness', extension, context);
    expect(notes[1]).toEqual({ code: 'fictionCertificate', tone: 'info', amounts: { amount: 1_300 } });
  });

  it('flags an expired title to staff, and nothing else', () => {
    expect(staffFlags('residence-permit', { ...extension, currentTitleExpiry: '2026-12-09' }, AT)).toEqual([
      'title_expired',
    ]);
    expect(staffFlags('residence-permit', { ...extension, currentTitleExpiry: '2026-12-10' }, AT)).toEqual(
      [],
    );
    expect(staffFlags('residence-permit', { request: 'cardOnly' }, AT)).toEqual([]);
    expect(staffFlags('commitment-private', { currentTitleExpiry: '2026-01-01' }, AT)).toEqual([]);
  });

  it('prices each request, an extension with both durations, a minor at half', () => {
    expect(residenceFeeRequest({ request: 'cardOnly', cardReason: 'changedData' })).toBeNull();
    expect(residenceFeeRequest({ request: 'cardOnly', cardReason: 'lost' })).toEqual({
      kind: 'cardReissue',
      reason: 'lost',
    });
    const adult = journeyNotes('residence-permit', 'fee', extension, context);
    expect(adult[0]).toEqual({
      code: 'feeExtension',
      tone: 'info',
      amounts: { amount: 9_300, alternative: 9_600 },
    });
    const minor = journeyNotes('residence-permit', 'fee', { ...extension, birthDate: '2012-03-03' }, context);
    expect(minor[0]).toMatchObject({ amounts: { amount: 4_650 }, items: ['minor_half'] });
    const first = journeyNotes(
      'residence-permit',
      'fee',
      { ...extension, permitRequest: 'firstPermit' },
      context,
    );
    expect(first[0]).toMatchObject({ code: 'fee', amounts: { amount: 10_000 } });
  });

  it('tells where the photo station is and what it costs, or that there is none', () => {
    const station = journeyNotes(
      'residence-permit',
      'fee',
      { ...extension, photoSource: 'station' },
      context,
    );
    expect(station.at(-1)).toEqual({
      code: 'photoStation',
      tone: 'info',
      amounts: { amount: 600 },
      facts: { place: 'Servicebereich Mitte, Fotostation' },
    });
    const none = journeyNotes(
      'residence-permit',
      'fee',
      { ...extension, photoSource: 'station' },
      { ...context, authority: { ...defaultAuthorityFacts, photoStation: null } },
    );
    expect(none.at(-1)).toEqual({ code: 'photoNoStation', tone: 'warning' });
  });

  it('tells a visitor who lost the card to block its online function first (E11)', () => {
    const notes = journeyNotes(
      'residence-permit',
      'fee',
      { request: 'cardOnly', cardReason: 'lost' },
      context,
    );
    expect(notes[0]).toEqual({ code: 'lostCardBlock', tone: 'warning', facts: { hotline: '116 116' } });
    expect(codes(notes)).toContain('fee');
  });

  it('reads money as typed', () => {
    expect(centsOf('1850')).toBe(185_000);
    expect(centsOf('1850,5')).toBe(185_050);
    expect(centsOf('1850.55')).toBe(185_055);
    // as the form's validation: a thousands separator is not an amount
    expect(centsOf('1.850')).toBeNull();
    expect(centsOf('abc')).toBeNull();
  });
});
