/**
 * The assessments as a journey shows them: from a service's answers so far to the notes of an
 * `assessment` step (api/forms.ts `AssessmentNote`), codes and amounts the screen says in the
 * visitor's language. Which step shows what is the service definition's (its step ids); this
 * module only reads the answers. Never a decision: every note is an estimate or a fact of law.
 */
import type { AssessmentNote, FieldValues } from '../../api/forms.ts';
import type { AuthorityFacts } from '../authority.ts';
import { childRules, lostCardAdvice } from './card-data.ts';
import { type CommitmentEstimate, type CommitmentInput, estimateCommitment } from './commitment.ts';
import { ageOn, berlinDay, dayOf } from './dates.ts';
import type { FeeSchedule } from './fee-schedule.ts';
import { expectedFee, type FeeApplicant, type FeeRequest, type FeeResult } from './fees.ts';
import { photoWithoutCode } from './photo-code.ts';
import { assessTimeliness } from './timeliness.ts';
import type { CertificateReason } from './timeliness-data.ts';

export interface NotesContext {
  /** Now (epoch ms). */
  readonly at: number;
  readonly authority: Pick<AuthorityFacts, 'payment' | 'commitmentSecurities' | 'photoStation'>;
  readonly feeSchedules?: readonly FeeSchedule[];
}

const text = (values: FieldValues, id: string): string | null => {
  const value = values[id];
  return typeof value === 'string' ? value : null;
};

/** A money answer ("1234,56" or "1234.5") in cents, or null. */
export function centsOf(value: string | null): number | null {
  if (value === null || !/^\d{1,9}([.,]\d{1,2})?$/.test(value)) return null;
  const [whole = '0', part = ''] = value.split(/[.,]/);
  return Number(whole) * 100 + Number(part.padEnd(2, '0'));
}

const countOf = (value: string | null): number =>
  value !== null && /^\d{1,3}$/.test(value) ? Number(value) : 0;

/** Completed years on the Berlin day of `at`, from a `YYYY-MM-DD` answer; null when unknown. */
export function ageFrom(birthDate: string | null, at: number): number | null {
  const day = birthDate === null ? null : dayOf(birthDate);
  return day === null ? null : ageOn(day, berlinDay(at));
}

/** The fee as notes: the amount with its reductions, what is due if refused, and how to pay here. */
export function feeNotes(fee: FeeResult, code = 'fee', alternative?: FeeResult): AssessmentNote[] {
  if (!fee.ok) return [{ code: 'feeUnknown', tone: 'info' }];
  const quote = fee.value;
  const reductions = quote.reductions.map((r) => r.code);
  const other = alternative?.ok ? { alternative: alternative.value.amountCents } : {};
  const notes: AssessmentNote[] = [
    {
      code,
      tone: 'info',
      amounts: { amount: quote.amountCents, ...other },
      ...(reductions.length > 0 ? { items: reductions } : {}),
    },
  ];
  if (quote.amountCents > 0) {
    notes.push({ code: 'feeIfRefused', tone: 'info', amounts: { amount: quote.dueIfRefusedCents } });
    notes.push({ code: 'payment', tone: 'info', items: [quote.payment.methods] });
  }
  return notes;
}

const certificateReasonOf: Record<string, CertificateReason> = {
  travel: 'travel',
  employer: 'employer',
  benefitsOffice: 'benefits_office',
  landlordOrBank: 'landlord_or_bank',
  other: 'other',
};

/** The guarantor's answers as the estimate reads them, or null while an answer is missing. */
export function commitmentInput(values: FieldValues): CommitmentInput | null {
  const income = centsOf(text(values, 'netIncome'));
  const rent = centsOf(text(values, 'rent'));
  if (income === null || rent === null) return null;
  const status = text(values, 'residenceStatus');
  const guestAge = text(values, 'guestBirthDate');
  const guestIsMinor =
    guestAge !== null &&
    (ageFrom(guestAge, Date.parse(`${text(values, 'arrivalDate') ?? ''}T12:00:00Z`)) ?? 18) < 18;
  const children = countOf(text(values, 'coTravellingChildren'));
  const spouse = values.coTravellingSpouse === 'yes' ? 1 : 0;
  const titleValidUntil = text(values, 'titleValidUntil');
  const stayEnd = text(values, 'departureDate');
  const other = centsOf(text(values, 'otherObligations'));
  return {
    netIncomeCents: income,
    warmRentCents: rent,
    ...(other !== null ? { otherObligationsCents: other } : {}),
    dependants: countOf(text(values, 'dependants')),
    guests: { adults: (guestIsMinor ? 0 : 1) + spouse, minors: (guestIsMinor ? 1 : 0) + children },
    stay: text(values, 'stayLength') === 'longer' ? 'long' : 'short',
    ...(stayEnd !== null ? { stayEnd } : {}),
    guarantor: {
      status:
        status === 'german'
          ? 'german'
          : status === 'eu'
            ? 'eu'
            : status === 'permit'
              ? 'residencePermit'
              : status === 'tolerated'
                ? 'duldung'
                : 'other',
      livesInCity: text(values, 'livesInCity') !== 'no',
      ...(titleValidUntil !== null ? { titleValidUntil } : {}),
    },
  };
}

/** The estimate of a declaration of commitment as notes, the fee always last. */
export function commitmentNotes(estimate: CommitmentEstimate): AssessmentNote[] {
  switch (estimate.outcome) {
    case 'invalid_input':
      return [{ code: 'commitmentNoEstimate', tone: 'info' }];
    case 'table_expired':
      return [{ code: 'commitmentNoEstimate', tone: 'info' }, ...feeNotes(estimate.fee, 'feeCommitment')];
    case 'not_possible_here':
      return [
        { code: 'commitmentNotPossible', tone: 'stop', items: [estimate.reason, estimate.goTo] },
        ...feeNotes(estimate.fee, 'feeCommitment'),
      ];
    case 'likely_sufficient':
      return [
        {
          code: 'commitmentLikelySufficient',
          tone: 'ok',
          amounts: {
            garnishable: estimate.figures.garnishableCents,
            required: estimate.figures.requiredCents,
          },
        },
        ...estimate.cautions.map(
          (c): AssessmentNote => ({ code: 'commitmentCaution', tone: 'warning', items: [c] }),
        ),
        ...feeNotes(estimate.fee, 'feeCommitment'),
      ];
    case 'likely_insufficient':
      return [
        {
          code: 'commitmentLikelyInsufficient',
          tone: 'warning',
          amounts: {
            garnishable: estimate.figures.garnishableCents,
            required: estimate.figures.requiredCents,
            shortfall: estimate.shortfallCents,
          },
          items: estimate.options.flatMap((o) =>
            o.code === 'blocked_savings'
              ? o.accepted.map((security) => `blocked_savings_${security}`)
              : [o.code],
          ),
        },
        ...estimate.cautions.map(
          (c): AssessmentNote => ({ code: 'commitmentCaution', tone: 'warning', items: [c] }),
        ),
        ...feeNotes(estimate.fee, 'feeCommitment'),
      ];
  }
}

/** The fee request a residence-permit journey's answers make, or null when nothing is priced. */
export function residenceFeeRequest(values: FieldValues): FeeRequest | null {
  const request = text(values, 'request');
  if (request === 'cardOnly') {
    const reason = text(values, 'cardReason');
    const map: Record<string, FeeRequest> = {
      lost: { kind: 'cardReissue', reason: 'lost' },
      cardExpiring: { kind: 'cardReissue', reason: 'cardExpired' },
      newPassport: { kind: 'cardReissue', reason: 'passportExpired' },
      defect: { kind: 'cardReissue', reason: 'chipDefect' },
    };
    return (reason && map[reason]) || null;
  }
  switch (request) {
    case 'settlement':
      return { kind: 'settlementPermit' };
    case 'euLongTerm':
      return { kind: 'euLongTermResidence' };
    case 'euFamilyCard':
      return { kind: 'residenceCardEuFamily' };
    case 'temporaryProtection':
      return { kind: 'residencePermit' };
    default:
      break;
  }
  switch (text(values, 'permitRequest')) {
    case 'extend':
      return { kind: 'extension', furtherStay: 'moreThanThreeMonths' };
    case 'firstPermit':
      return { kind: 'residencePermit' };
    default:
      return null;
  }
}

/** Who pays, as far as the answers tell: the applicant's age, and § 24 protection. */
function applicantOf(values: FieldValues, at: number): FeeApplicant {
  const age = ageFrom(text(values, 'birthDate'), at) ?? 18;
  return {
    ageYears: age,
    ...(text(values, 'request') === 'temporaryProtection' ? { protection: true } : {}),
  };
}

/** The residence permit's fee step: the expected fee, and the photo station for those without a code. */
export function residenceFeeNotes(values: FieldValues, context: NotesContext): AssessmentNote[] {
  const request = residenceFeeRequest(values);
  const schedules = context.feeSchedules ? { schedules: context.feeSchedules } : {};
  const fees = { at: context.at, authority: context.authority, ...schedules };
  const applicant = applicantOf(values, context.at);
  const notes: AssessmentNote[] =
    request === null
      ? [{ code: 'feeUnknown', tone: 'info' }]
      : request.kind === 'extension'
        ? feeNotes(
            expectedFee(request, applicant, fees),
            'feeExtension',
            expectedFee({ kind: 'extension', furtherStay: 'upToThreeMonths' }, applicant, fees),
          )
        : feeNotes(expectedFee(request, applicant, fees));
  if (
    values.request === 'cardOnly' &&
    values.cardReason === 'lost' &&
    berlinDay(context.at) <= (dayOf(lostCardAdvice.checkedUntil) ?? 0)
  ) {
    // E11: block the online function at once and report the loss; the fee note says the rest.
    notes.unshift({
      code: 'lostCardBlock',
      tone: 'warning',
      facts: { hotline: lostCardAdvice.blockingHotline },
    });
  }
  if (values.applicantRole === 'child') {
    // E10: from six, a child gives fingerprints in person (§ 49 Abs. 6 AufenthG i. V. m. § 78 Abs. 1).
    const age = ageFrom(text(values, 'birthDate'), context.at);
    if (age !== null) {
      notes.push(
        age >= childRules.fingerprintsFromAge
          ? { code: 'childAttendsForFingerprints', tone: 'warning' }
          : { code: 'childUnderSixNoFingerprints', tone: 'info' },
      );
    }
  }
  if (values.photoSource === 'station') {
    const photo = photoWithoutCode({
      at: context.at,
      authority: context.authority,
      applicant,
      ...(context.feeSchedules ? { feeSchedules: context.feeSchedules } : {}),
    });
    notes.push(
      photo.station && photo.fee?.ok
        ? {
            code: 'photoStation',
            tone: 'info',
            amounts: { amount: photo.fee.value.amountCents },
            facts: { place: photo.station.place },
          }
        : { code: 'photoNoStation', tone: 'warning' },
    );
  }
  return notes;
}

/** The timeliness of an extension (§ 81 Abs. 4 AufenthG), with the certificate asked for. */
export function timelinessNotes(values: FieldValues, context: NotesContext): AssessmentNote[] {
  const expiry = text(values, 'currentTitleExpiry');
  if (expiry === null) return [];
  const reason = certificateReasonOf[text(values, 'fictionReason') ?? ''];
  const result = assessTimeliness(
    {
      titleExpiry: expiry,
      titleKind: text(values, 'currentTitle') === 'visa' ? 'nationalVisa' : 'residenceTitle',
      ...(values.fictionCertificate === 'yes' && reason ? { certificateReason: reason } : {}),
    },
    {
      at: context.at,
      authority: context.authority,
      applicant: applicantOf(values, context.at),
      ...(context.feeSchedules ? { feeSchedules: context.feeSchedules } : {}),
    },
  );
  if (result.status === 'invalid_input') return [];
  const certificateFee = result.certificate.fee?.ok ? result.certificate.fee.value.amountCents : null;
  const certificate: AssessmentNote[] =
    result.certificate.offer === 'no' || certificateFee === null
      ? []
      : [
          {
            code: result.certificate.offer === 'yes' ? 'fictionCertificate' : 'fictionCertificateIfOrdered',
            tone: 'info',
            amounts: { amount: certificateFee },
          },
        ];
  if (result.status === 'expired') {
    return [
      { code: 'titleExpired', tone: 'stop', dates: { expiry }, counts: { days: result.daysSince } },
      { code: 'titleExpiredFollowUp', tone: 'warning', items: [...result.followUp] },
      ...certificate,
    ];
  }
  return [
    result.status === 'timely'
      ? { code: 'titleTimely', tone: 'ok', dates: { expiry } }
      : { code: 'titleLastDays', tone: 'warning', dates: { expiry }, counts: { days: result.daysLeft } },
    ...certificate,
  ];
}

/** The notes of an assessment step, by service and step. Empty for a step this module does not know. */
export function journeyNotes(
  serviceId: string,
  stepId: string,
  values: FieldValues,
  context: NotesContext,
): AssessmentNote[] {
  if (serviceId === 'commitment-private' && stepId === 'estimate') {
    const input = commitmentInput(values);
    return input === null
      ? [{ code: 'commitmentNoEstimate', tone: 'info' }]
      : commitmentNotes(estimateCommitment(input, context));
  }
  if (serviceId === 'commitment-company' && stepId === 'estimate') {
    const schedules = context.feeSchedules ? { schedules: context.feeSchedules } : {};
    return feeNotes(
      expectedFee(
        { kind: 'commitment' },
        { ageYears: 18 },
        { at: context.at, authority: context.authority, ...schedules },
      ),
      'feeCommitment',
    );
  }
  if (serviceId === 'residence-permit' && stepId === 'timeliness') return timelinessNotes(values, context);
  if (serviceId === 'residence-permit' && stepId === 'fee') return residenceFeeNotes(values, context);
  return [];
}

/**
 * What a clerk must see at once in a submission: an extension applied for after the title ran out
 * (§ 81 Abs. 4 Satz 3: no fiction, the case goes to staff). Codes for the data set's `flags`.
 */
export function staffFlags(serviceId: string, values: FieldValues, at: number): string[] {
  if (serviceId !== 'residence-permit') return [];
  const expiry = text(values, 'currentTitleExpiry');
  if (expiry === null) return [];
  const result = assessTimeliness(
    { titleExpiry: expiry },
    { at, authority: { payment: 'card' }, applicant: { ageYears: 18 } },
  );
  return result.status === 'expired' ? ['title_expired'] : [];
}
