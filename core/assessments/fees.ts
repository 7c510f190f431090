/**
 * The expected fee of a request, from the AufenthV schedule in force (fee-schedule.ts): the amount,
 * the legal reference, the reductions that applied, what is due even when the application is
 * refused (§ 49 AufenthV), and how fees are paid at this site (the installation's configuration,
 * core/authority.ts `payment`). An estimate for the visitor before they apply: the authority
 * fixes the fee. Amounts in euro cents; codes, never sentences.
 *
 * Order of the rules: an exemption (§§ 52, 52a Abs. 3, 53) makes the fee 0; otherwise the
 * association rule for Turkish nationals (§ 52a Abs. 2) replaces the amount with the Personalausweis
 * fee, which already depends on age, so it is not halved again for a minor; otherwise a minor pays
 * half (§ 50 Abs. 1) where § 50 reaches.
 */
import type { CodedError, Result } from '../../common/result.ts';
import type { AuthorityFacts } from '../authority.ts';
import { berlinDay, within } from './dates.ts';
import {
  type CardReissueReason,
  type FeeEntry,
  type FeeItem,
  type FeeSchedule,
  feeRules,
  feeSchedules,
} from './fee-schedule.ts';

export type FeeRequest =
  | { readonly kind: 'residencePermit' }
  | { readonly kind: 'extension'; readonly furtherStay: 'upToThreeMonths' | 'moreThanThreeMonths' }
  | { readonly kind: 'purposeChange' }
  | {
      readonly kind: 'settlementPermit';
      readonly variant?: 'general' | 'highlyQualified' | 'selfEmployed' | 'childSection35';
    }
  | { readonly kind: 'euLongTermResidence' }
  | { readonly kind: 'cardReissue'; readonly reason: CardReissueReason | 'other'; readonly misuse?: boolean }
  | { readonly kind: 'fictionCertificate' }
  | { readonly kind: 'commitment' }
  | { readonly kind: 'photoAtAuthority' }
  /** Aufenthaltskarte for family members of EU citizens (§ 47 Abs. 3 AufenthV). */
  | { readonly kind: 'residenceCardEuFamily' };

export interface FeeApplicant {
  /** Completed years on the day of the application (`ageOn` in dates.ts). */
  readonly ageYears: number;
  /** Entitled under the EU–Turkey association (ARB 1/80), § 52a AufenthV. */
  readonly turkishAssociation?: boolean;
  /** Asylum, refugee or subsidiary protection, or resettlement (§ 52 Abs. 3 AufenthV). */
  readonly protection?: boolean;
  /** Lives on SGB II, SGB XII or AsylbLG benefits (§ 53 Abs. 1 AufenthV). */
  readonly receivesBenefits?: boolean;
  /** Holds a scholarship from public funds (§ 52 Abs. 5 AufenthV). */
  readonly publicScholarship?: boolean;
}

export type FeeReductionCode =
  | 'protection_exempt'
  | 'benefits_exempt'
  | 'scholarship_exempt'
  | 'turkish_association_exempt'
  | 'turkish_association_identity_card_fee'
  | 'minor_half'
  | 'chip_defect_waived';

export interface FeeQuote {
  readonly item: FeeItem;
  readonly amountCents: number;
  /** The amount before reductions. */
  readonly baseAmountCents: number;
  readonly reference: string;
  readonly reductions: readonly { readonly code: FeeReductionCode; readonly reference: string }[];
  /** The authority may reduce further at its discretion (codes to tell the visitor so). */
  readonly mayBeReduced: readonly { readonly code: 'benefits_discretion'; readonly reference: string }[];
  /** The processing fee (§ 49 AufenthV): due when applying, also if the application is refused. */
  readonly dueIfRefusedCents: number;
  readonly dueIfRefusedReference: string;
  /** Refused for these reasons only, or withdrawn in time: no processing fee (§ 49 Abs. 3). */
  readonly noProcessingFeeWhen: readonly ('authority_not_competent' | 'withdrawn_before_processing')[];
  readonly noProcessingFeeReference: string;
  /** How to pay here: the installation's configuration (`authority.payment`). */
  readonly payment: { readonly methods: AuthorityFacts['payment']; readonly configKey: 'authority.payment' };
  readonly schedule: { readonly id: string; readonly checkedOn: string; readonly validTo: string | null };
}

export type FeeErrorCode = 'fee.schedule_expired' | 'fee.not_in_schedule' | 'fee.invalid_applicant';
export type FeeResult = Result<FeeQuote, FeeErrorCode>;

export interface FeeContext {
  /** Now (epoch ms): the schedule in force on this Berlin calendar day is used. */
  readonly at: number;
  readonly authority: Pick<AuthorityFacts, 'payment'>;
  /** The schedules to choose from (tests pass their own). */
  readonly schedules?: readonly FeeSchedule[];
}

const fail = (code: FeeErrorCode, message: string): { ok: false; error: CodedError<FeeErrorCode> } => ({
  ok: false,
  error: { code, message },
});

function itemOf(request: FeeRequest): FeeItem | null {
  switch (request.kind) {
    case 'extension':
      return request.furtherStay === 'upToThreeMonths'
        ? 'extensionUpToThreeMonths'
        : 'extensionMoreThanThreeMonths';
    case 'settlementPermit':
      switch (request.variant ?? 'general') {
        case 'highlyQualified':
          return 'settlementPermitHighlyQualified';
        case 'selfEmployed':
          return 'settlementPermitSelfEmployed';
        case 'childSection35':
          return 'settlementPermitChildSection35';
        default:
          return 'settlementPermit';
      }
    case 'cardReissue':
      return request.reason === 'other' ? null : 'cardReissue';
    case 'residenceCardEuFamily':
      return null; // priced as a Personalausweis below
    default:
      return request.kind;
  }
}

/** The schedule in force on a day, or null. */
export function feeScheduleOn(
  at: number,
  schedules: readonly FeeSchedule[] = feeSchedules,
): FeeSchedule | null {
  const day = berlinDay(at);
  return schedules.find((s) => within(day, s.validity)) ?? null;
}

/** The fee a request is expected to cost this applicant here, or why none can be named. */
export function expectedFee(request: FeeRequest, applicant: FeeApplicant, context: FeeContext): FeeResult {
  if (!Number.isInteger(applicant.ageYears) || applicant.ageYears < 0 || applicant.ageYears > 130) {
    return fail('fee.invalid_applicant', 'the age must be a whole number of years');
  }
  const schedule = feeScheduleOn(context.at, context.schedules);
  if (!schedule)
    return fail(
      'fee.schedule_expired',
      'no fee schedule in force today: it must be checked and entered again',
    );
  const idCard = (age: number): FeeEntry =>
    age < feeRules.turkishAssociation.identityCardReducedUnderAge
      ? schedule.entries.identityCardUnder24
      : schedule.entries.identityCard;

  let item: FeeItem;
  let entry: FeeEntry;
  if (request.kind === 'residenceCardEuFamily') {
    // § 47 Abs. 3: the fee a German pays for a Personalausweis, at the age when applying.
    entry = idCard(applicant.ageYears);
    item = entry === schedule.entries.identityCard ? 'identityCard' : 'identityCardUnder24';
    entry = { ...entry, section: '47(3)', reference: `§ 47 Abs. 3 AufenthV i. V. m. ${entry.reference}` };
  } else {
    const found = itemOf(request);
    if (found === null)
      return fail('fee.not_in_schedule', `the schedule prices no ${request.kind} of this kind`);
    item = found;
    entry = schedule.entries[item];
  }

  const reductions: { code: FeeReductionCode; reference: string }[] = [];
  const mayBeReduced: { code: 'benefits_discretion'; reference: string }[] = [];
  let amount = entry.amountCents;

  const reissueReason = request.kind === 'cardReissue' ? request.reason : null;
  const exemptionReaches = (items: readonly FeeItem[]): boolean =>
    items.includes(item) &&
    (item !== 'cardReissue' ||
      (reissueReason !== null &&
        reissueReason !== 'other' &&
        feeRules.exemptions.cardReissueReasons.includes(reissueReason)));

  if (request.kind === 'cardReissue' && request.reason === 'chipDefect' && request.misuse !== true) {
    amount = 0;
    reductions.push({ code: 'chip_defect_waived', reference: feeRules.chipDefectWaived.reference });
  } else if (applicant.protection && exemptionReaches(feeRules.exemptions.protection.items)) {
    amount = 0;
    reductions.push({ code: 'protection_exempt', reference: feeRules.exemptions.protection.reference });
  } else if (applicant.receivesBenefits && exemptionReaches(feeRules.exemptions.benefits.items)) {
    amount = 0;
    reductions.push({ code: 'benefits_exempt', reference: feeRules.exemptions.benefits.reference });
  } else if (applicant.publicScholarship && exemptionReaches(feeRules.exemptions.scholarship.items)) {
    amount = 0;
    reductions.push({ code: 'scholarship_exempt', reference: feeRules.exemptions.scholarship.reference });
  } else if (applicant.turkishAssociation && feeRules.turkishAssociation.exempt.items.includes(item)) {
    amount = 0;
    reductions.push({
      code: 'turkish_association_exempt',
      reference: feeRules.turkishAssociation.exempt.reference,
    });
  } else if (
    applicant.turkishAssociation &&
    feeRules.turkishAssociation.identityCardSections.includes(entry.section)
  ) {
    amount = idCard(applicant.ageYears).amountCents;
    reductions.push({
      code: 'turkish_association_identity_card_fee',
      reference: `${feeRules.turkishAssociation.reference} i. V. m. ${idCard(applicant.ageYears).reference}`,
    });
  } else if (
    applicant.ageYears < feeRules.minorHalf.adultAgeYears &&
    feeRules.minorHalf.sections.includes(entry.section)
  ) {
    amount = Math.round(amount / 2);
    reductions.push({ code: 'minor_half', reference: feeRules.minorHalf.reference });
  }
  if (applicant.receivesBenefits && amount > 0) {
    mayBeReduced.push({
      code: 'benefits_discretion',
      reference: feeRules.exemptions.benefits.mayReduceReference,
    });
  }

  const half = feeRules.processing.halfSections.includes(entry.section);
  return {
    ok: true,
    value: {
      item,
      amountCents: amount,
      baseAmountCents: entry.amountCents,
      reference: entry.reference,
      reductions,
      mayBeReduced,
      dueIfRefusedCents: half ? Math.round(amount / 2) : amount,
      dueIfRefusedReference: half ? feeRules.processing.halfReference : feeRules.processing.fullReference,
      noProcessingFeeWhen: ['authority_not_competent', 'withdrawn_before_processing'],
      noProcessingFeeReference: feeRules.processing.noneReference,
      payment: { methods: context.authority.payment, configKey: 'authority.payment' },
      schedule: { id: schedule.id, checkedOn: schedule.checkedOn, validTo: schedule.validity.to },
    },
  };
}
