import { describe, expect, it } from 'vitest';
import { expectedFee, type FeeApplicant, type FeeRequest } from '../../../core/assessments/fees.ts';
import { defaultAuthorityFacts } from '../../../core/authority.ts';

const on = (date: string): number => Date.parse(`${date}T11:00:00Z`);
const context = { at: on('2026-12-10'), authority: defaultAuthorityFacts };
const adult: FeeApplicant = { ageYears: 35 };

function quote(request: FeeRequest, applicant: FeeApplicant = adult) {
  const result = expectedFee(request, applicant, context);
  if (!result.ok) throw new Error(result.error.code);
  return result.value;
}

describe('the AufenthV fee for each request', () => {
  const cases: Array<[string, FeeRequest, number, string]> = [
    ['residence permit', { kind: 'residencePermit' }, 10_000, '§ 45 Nr. 1 AufenthV'],
    [
      'extension up to three months',
      { kind: 'extension', furtherStay: 'upToThreeMonths' },
      9_600,
      '§ 45 Nr. 2 Buchst. a AufenthV',
    ],
    [
      'extension for more than three months',
      { kind: 'extension', furtherStay: 'moreThanThreeMonths' },
      9_300,
      '§ 45 Nr. 2 Buchst. b AufenthV',
    ],
    ['change of purpose', { kind: 'purposeChange' }, 9_800, '§ 45 Nr. 3 AufenthV'],
    ['settlement permit', { kind: 'settlementPermit' }, 11_300, '§ 44 Nr. 3 AufenthV'],
    [
      'settlement permit, highly qualified',
      { kind: 'settlementPermit', variant: 'highlyQualified' },
      14_700,
      '§ 44 Nr. 1 AufenthV',
    ],
    [
      'settlement permit, self-employed',
      { kind: 'settlementPermit', variant: 'selfEmployed' },
      12_400,
      '§ 44 Nr. 2 AufenthV',
    ],
    ['EU long-term residence', { kind: 'euLongTermResidence' }, 10_900, '§ 44a AufenthV'],
    ['new card (lost)', { kind: 'cardReissue', reason: 'lost' }, 6_700, '§ 45c Abs. 1 AufenthV'],
    [
      'new card (new passport)',
      { kind: 'cardReissue', reason: 'passportExpired' },
      6_700,
      '§ 45c Abs. 1 AufenthV',
    ],
    ['Fiktionsbescheinigung', { kind: 'fictionCertificate' }, 1_300, '§ 47 Abs. 1 Nr. 8 AufenthV'],
    ['declaration of commitment', { kind: 'commitment' }, 2_900, '§ 47 Abs. 1 Nr. 12 AufenthV'],
    ['photo at the authority', { kind: 'photoAtAuthority' }, 600, '§ 48 Abs. 1 Satz 1 Nr. 16 AufenthV'],
    [
      'residence card, family of an EU citizen',
      { kind: 'residenceCardEuFamily' },
      4_600,
      '§ 47 Abs. 3 AufenthV i. V. m. § 1 Abs. 1 Nr. 2 PAuswGebV',
    ],
  ];
  for (const [name, request, amount, reference] of cases) {
    it(`${name}: ${amount / 100} €, ${reference}`, () => {
      expect(quote(request)).toMatchObject({
        amountCents: amount,
        baseAmountCents: amount,
        reference,
        reductions: [],
      });
    });
  }

  it('a child’s settlement permit under § 35 is 55 €', () => {
    expect(quote({ kind: 'settlementPermit', variant: 'childSection35' }, { ageYears: 16 })).toMatchObject({
      amountCents: 5_500,
      reference: '§ 50 Abs. 1 Satz 2 AufenthV',
    });
  });

  it('a chip that failed without misuse costs nothing; with misuse the full fee', () => {
    expect(quote({ kind: 'cardReissue', reason: 'chipDefect' })).toMatchObject({
      amountCents: 0,
      reductions: [{ code: 'chip_defect_waived', reference: '§ 45c Abs. 2 AufenthV' }],
    });
    expect(quote({ kind: 'cardReissue', reason: 'chipDefect', misuse: true }).amountCents).toBe(6_700);
  });

  it('names no fee for a request the schedule does not price', () => {
    expect(expectedFee({ kind: 'cardReissue', reason: 'other' }, adult, context)).toMatchObject({
      ok: false,
      error: { code: 'fee.not_in_schedule' },
    });
  });
});

describe('what is due when the application is refused (§ 49 AufenthV)', () => {
  it('the whole fee for a residence permit or a declaration of commitment', () => {
    expect(quote({ kind: 'commitment' })).toMatchObject({
      dueIfRefusedCents: 2_900,
      dueIfRefusedReference: '§ 49 Abs. 2 AufenthV',
      noProcessingFeeReference: '§ 49 Abs. 3 AufenthV',
    });
    expect(quote({ kind: 'residencePermit' }).dueIfRefusedCents).toBe(10_000);
  });

  it('half for a settlement permit and EU long-term residence', () => {
    expect(quote({ kind: 'settlementPermit' })).toMatchObject({
      dueIfRefusedCents: 5_650,
      dueIfRefusedReference: '§ 49 Abs. 1 AufenthV',
    });
    expect(quote({ kind: 'euLongTermResidence' }).dueIfRefusedCents).toBe(5_450);
  });
});

describe('reductions', () => {
  it('minors pay half where § 50 reaches: permits, extensions, new cards, Fiktionsbescheinigung', () => {
    const child: FeeApplicant = { ageYears: 12 };
    expect(quote({ kind: 'residencePermit' }, child)).toMatchObject({
      amountCents: 5_000,
      reductions: [{ code: 'minor_half', reference: '§ 50 Abs. 1 Satz 1 AufenthV' }],
      dueIfRefusedCents: 5_000,
    });
    expect(quote({ kind: 'extension', furtherStay: 'moreThanThreeMonths' }, child).amountCents).toBe(4_650);
    expect(quote({ kind: 'settlementPermit' }, child)).toMatchObject({
      amountCents: 5_650,
      dueIfRefusedCents: 2_825,
    });
    expect(quote({ kind: 'cardReissue', reason: 'lost' }, child).amountCents).toBe(3_350);
    expect(quote({ kind: 'fictionCertificate' }, child).amountCents).toBe(650);
    // 18 is of age
    expect(quote({ kind: 'residencePermit' }, { ageYears: 18 }).amountCents).toBe(10_000);
  });

  it('but not for EU long-term residence (§ 44a is not in § 50) nor for the photo (§ 48 Nr. 16)', () => {
    expect(quote({ kind: 'euLongTermResidence' }, { ageYears: 15 })).toMatchObject({
      amountCents: 10_900,
      reductions: [],
    });
    expect(quote({ kind: 'photoAtAuthority' }, { ageYears: 15 }).amountCents).toBe(600);
  });

  it('the residence card for an EU citizen’s family member costs what a Personalausweis does at that age', () => {
    expect(quote({ kind: 'residenceCardEuFamily' }, { ageYears: 23 })).toMatchObject({
      amountCents: 2_760,
      reference: '§ 47 Abs. 3 AufenthV i. V. m. § 1 Abs. 1 Nr. 1 PAuswGebV',
    });
  });

  it('Turkish nationals under the association pay the Personalausweis fee for titles and new cards (§ 52a)', () => {
    const turkish: FeeApplicant = { ageYears: 40, turkishAssociation: true };
    const idCard = {
      code: 'turkish_association_identity_card_fee',
      reference: '§ 52a Abs. 2 AufenthV i. V. m. § 1 Abs. 1 Nr. 2 PAuswGebV',
    };
    expect(quote({ kind: 'residencePermit' }, turkish)).toMatchObject({
      amountCents: 4_600,
      baseAmountCents: 10_000,
      reductions: [idCard],
    });
    expect(quote({ kind: 'extension', furtherStay: 'upToThreeMonths' }, turkish).amountCents).toBe(4_600);
    expect(quote({ kind: 'purposeChange' }, turkish).amountCents).toBe(4_600);
    expect(quote({ kind: 'settlementPermit' }, turkish)).toMatchObject({
      amountCents: 4_600,
      dueIfRefusedCents: 2_300,
    });
    expect(quote({ kind: 'euLongTermResidence' }, turkish).amountCents).toBe(4_600);
    expect(quote({ kind: 'cardReissue', reason: 'lost' }, turkish).amountCents).toBe(4_600);
    // under 24: that age's Personalausweis fee, not halved again for a minor
    expect(quote({ kind: 'residencePermit' }, { ageYears: 22, turkishAssociation: true }).amountCents).toBe(
      2_760,
    );
    expect(quote({ kind: 'residencePermit' }, { ageYears: 15, turkishAssociation: true })).toMatchObject({
      amountCents: 2_760,
      reductions: [{ code: 'turkish_association_identity_card_fee' }],
    });
  });

  it('Turkish nationals pay no Fiktionsbescheinigung, but the commitment and the photo as everyone', () => {
    const turkish: FeeApplicant = { ageYears: 40, turkishAssociation: true };
    expect(quote({ kind: 'fictionCertificate' }, turkish)).toMatchObject({
      amountCents: 0,
      reductions: [{ code: 'turkish_association_exempt', reference: '§ 52a Abs. 3 Nr. 2 AufenthV' }],
    });
    expect(quote({ kind: 'commitment' }, turkish).amountCents).toBe(2_900);
    expect(quote({ kind: 'photoAtAuthority' }, turkish).amountCents).toBe(600);
  });

  it('persons with protection are exempt from permit, extension, settlement and certificate fees (§ 52 Abs. 3)', () => {
    const protectedPerson: FeeApplicant = { ageYears: 30, protection: true };
    for (const request of [
      { kind: 'residencePermit' },
      { kind: 'extension', furtherStay: 'moreThanThreeMonths' },
      { kind: 'settlementPermit' },
      { kind: 'fictionCertificate' },
      { kind: 'cardReissue', reason: 'passportExpired' },
    ] as const) {
      expect(quote(request, protectedPerson)).toMatchObject({
        amountCents: 0,
        dueIfRefusedCents: 0,
        reductions: [{ code: 'protection_exempt', reference: '§ 52 Abs. 3 AufenthV' }],
      });
    }
    // not reached: the highly qualified settlement permit, a lost card, a change of purpose
    expect(quote({ kind: 'settlementPermit', variant: 'highlyQualified' }, protectedPerson).amountCents).toBe(
      14_700,
    );
    expect(quote({ kind: 'cardReissue', reason: 'lost' }, protectedPerson).amountCents).toBe(6_700);
    expect(quote({ kind: 'purposeChange' }, protectedPerson).amountCents).toBe(9_800);
  });

  it('persons on benefits are exempt where § 53 says, and may be granted less elsewhere', () => {
    const onBenefits: FeeApplicant = { ageYears: 30, receivesBenefits: true };
    expect(quote({ kind: 'extension', furtherStay: 'upToThreeMonths' }, onBenefits)).toMatchObject({
      amountCents: 0,
      reductions: [{ code: 'benefits_exempt', reference: '§ 53 Abs. 1 AufenthV' }],
      mayBeReduced: [],
    });
    expect(quote({ kind: 'settlementPermit' }, onBenefits)).toMatchObject({
      amountCents: 11_300,
      mayBeReduced: [{ code: 'benefits_discretion' }],
    });
  });

  it('holders of a public scholarship are exempt from permit and extension fees (§ 52 Abs. 5)', () => {
    const scholar: FeeApplicant = { ageYears: 26, publicScholarship: true };
    expect(quote({ kind: 'residencePermit' }, scholar)).toMatchObject({
      amountCents: 0,
      reductions: [{ code: 'scholarship_exempt', reference: '§ 52 Abs. 5 AufenthV' }],
    });
    expect(quote({ kind: 'settlementPermit' }, scholar).amountCents).toBe(11_300);
  });
});

describe('the installation and the dates', () => {
  it('says how to pay here, from the configuration', () => {
    const result = expectedFee({ kind: 'residencePermit' }, adult, {
      ...context,
      authority: { ...defaultAuthorityFacts, payment: 'card' },
    });
    expect(result).toMatchObject({
      ok: true,
      value: { payment: { methods: 'card', configKey: 'authority.payment' } },
    });
  });

  it('names the schedule it used, and none outside its validity', () => {
    expect(quote({ kind: 'commitment' }).schedule).toEqual({
      id: 'AufenthV 2026-08',
      checkedOn: '2026-08-12',
      validTo: '2027-06-30',
    });
    for (const day of ['2027-07-01', '2025-04-30']) {
      expect(expectedFee({ kind: 'commitment' }, adult, { ...context, at: on(day) })).toMatchObject({
        ok: false,
        error: { code: 'fee.schedule_expired' },
      });
    }
  });

  it('refuses an impossible age, never throws', () => {
    expect(expectedFee({ kind: 'commitment' }, { ageYears: -1 }, context)).toMatchObject({
      ok: false,
      error: { code: 'fee.invalid_applicant' },
    });
  });
});
