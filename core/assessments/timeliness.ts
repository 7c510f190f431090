/**
 * Is an application for an extension (or another title) in time? From the current title's last
 * day of validity and today's Europe/Berlin calendar date:
 * - `timely`: more than `recommendedLeadDays` before the expiry;
 * - `last_days`: from then up to and including the last day of validity — still in time: the title
 *   continues until the authority decides (§ 81 Abs. 4 Satz 1 AufenthG);
 * - `expired`: the day after the last day of validity or later. The application has no such effect
 *   (the authority may order the title to continue to avoid undue hardship, § 81 Abs. 4 Satz 3),
 *   and the case goes to staff at once (`flagStaff`).
 * A Schengen visa never continues (§ 81 Abs. 4 Satz 2). A visitor who needs the certificate of the
 * effect (Fiktionsbescheinigung, § 81 Abs. 5) can ask for it with a reason, e.g. a planned journey:
 * offered where the title continues, "if the authority orders it" after expiry. Codes and numbers
 * only; the screens say it in the visitor's language.
 */
import type { AuthorityFacts } from '../authority.ts';
import { berlinDay, dateOf, dayOf } from './dates.ts';
import type { FeeSchedule } from './fee-schedule.ts';
import { expectedFee, type FeeApplicant, type FeeResult } from './fees.ts';
import { type CertificateReason, certificateReasons, timelinessRules } from './timeliness-data.ts';

export interface TimelinessInput {
  /** The last day of validity printed on the current title (`YYYY-MM-DD`). */
  readonly titleExpiry: string;
  /** A residence title (default), a national visa (§ 6 Abs. 3) or a Schengen visa (§ 6 Abs. 1). */
  readonly titleKind?: 'residenceTitle' | 'nationalVisa' | 'schengenVisa';
  /** The visitor asks for a Fiktionsbescheinigung, for this reason. */
  readonly certificateReason?: CertificateReason;
}

export interface TimelinessContext {
  /** Now (epoch ms); only its Berlin calendar date counts. */
  readonly at: number;
  readonly authority: Pick<AuthorityFacts, 'payment'>;
  /** Who would pay the certificate (age, reductions), for its fee. */
  readonly applicant: FeeApplicant;
  readonly feeSchedules?: readonly FeeSchedule[];
  readonly recommendedLeadDays?: number;
}

export interface CertificateOffer {
  /** `yes`: it documents that the title continues; `if_authority_orders`: after expiry; `no`. */
  readonly offer: 'yes' | 'if_authority_orders' | 'no';
  readonly requested: boolean;
  readonly reason: CertificateReason | null;
  /** Its fee, when it can be issued. */
  readonly fee: FeeResult | null;
  readonly reference: string;
}

export type Timeliness =
  | { readonly status: 'invalid_input'; readonly problems: readonly string[] }
  | {
      readonly status: 'timely' | 'last_days';
      readonly today: string;
      readonly expiry: string;
      /** Days from today to the last day of validity (0 on that day). */
      readonly daysLeft: number;
      readonly continues: boolean;
      readonly reference: string;
      readonly flagStaff: false;
      readonly certificate: CertificateOffer;
    }
  | {
      readonly status: 'expired';
      readonly today: string;
      readonly expiry: string;
      /** Days since the last day of validity (1 on the day after). */
      readonly daysSince: number;
      readonly continues: false;
      /** What follows: no effect of the application; the authority may order it to continue. */
      readonly followUp: readonly ['no_fiction_late_application', 'authority_may_order_continuation'];
      readonly reference: string;
      readonly flagStaff: true;
      readonly certificate: CertificateOffer;
    };

/** Whether the application is in time, and what follows from it. Never throws. */
export function assessTimeliness(input: TimelinessInput, context: TimelinessContext): Timeliness {
  const expiry = dayOf(input.titleExpiry);
  const problems: string[] = [];
  if (expiry === null) problems.push('titleExpiry');
  if (input.certificateReason !== undefined && !certificateReasons.includes(input.certificateReason))
    problems.push('certificateReason');
  const lead = context.recommendedLeadDays ?? timelinessRules.recommendedLeadDays;
  if (!Number.isInteger(lead) || lead < 0) problems.push('recommendedLeadDays');
  if (expiry === null || problems.length > 0) return { status: 'invalid_input', problems };

  const today = berlinDay(context.at);
  const refs = timelinessRules.references;
  const fee = (): FeeResult =>
    expectedFee({ kind: 'fictionCertificate' }, context.applicant, {
      at: context.at,
      authority: context.authority,
      ...(context.feeSchedules ? { schedules: context.feeSchedules } : {}),
    });
  const certificate = (offer: CertificateOffer['offer']): CertificateOffer => ({
    offer,
    requested: input.certificateReason !== undefined,
    reason: input.certificateReason ?? null,
    fee: offer === 'no' ? null : fee(),
    reference: refs.certificate,
  });

  const daysLeft = expiry - today;
  if (daysLeft < 0) {
    return {
      status: 'expired',
      today: dateOf(today),
      expiry: input.titleExpiry,
      daysSince: -daysLeft,
      continues: false,
      followUp: ['no_fiction_late_application', 'authority_may_order_continuation'],
      reference: refs.lateMayBeContinued,
      flagStaff: true,
      certificate: certificate(input.titleKind === 'schengenVisa' ? 'no' : 'if_authority_orders'),
    };
  }
  const schengen = input.titleKind === 'schengenVisa';
  return {
    status: daysLeft > lead ? 'timely' : 'last_days',
    today: dateOf(today),
    expiry: input.titleExpiry,
    daysLeft,
    continues: !schengen,
    reference: schengen ? refs.noFictionForSchengenVisa : refs.timely,
    flagStaff: false,
    certificate: certificate(schengen ? 'no' : 'yes'),
  };
}
