/**
 * A non-binding estimate for a declaration of commitment (Verpflichtungserklärung, § 68 AufenthG)
 * by a private person: is the guarantor's income likely to be enough for the guests they invite?
 * Never a decision: the authority checks the proofs and decides.
 *
 * The model, as the federal Merkblatt zur Verpflichtungserklärung describes the check
 * ("Bonitätsprüfung": the garnishment limits of §§ 850 ff. ZPO count, because income below them
 * cannot be reached when the declaration is enforced; the persons the guarantor maintains and the
 * number of guests count too):
 * 1. Whether the declaration can be made here at all: a guarantor with a Duldung, a Gestattung or
 *    a Fiktionsbescheinigung cannot vouch; one who lives elsewhere goes to the authority where
 *    they live (then no processing fee is due here, § 49 Abs. 3 AufenthV); a guarantor's title
 *    that ends before the stay does must be extended first.
 * 2. The garnishable part of the monthly net income (the average of the last months' pay), by
 *    the table in force (garnishment-tables.ts) and the rule of § 850c ZPO the table applies, for
 *    the number of persons the guarantor maintains by law.
 * 3. What the guests need per month (commitment-data.ts): per adult and per minor guest, for a
 *    visit of up to 90 days or a longer stay.
 * 4. Garnishable ≥ needed: `likely_sufficient`; otherwise `likely_insufficient`, with the options
 *    an authority may accept (declaring together with the spouse, a blocked savings account or
 *    savings book as this authority accepts them, a declaration by a company).
 * The warm rent and other regular obligations do not change the garnishable amount (the law's
 * protected amount is meant to pay for them); where they exceed what the guarantor keeps, the
 * estimate says so (`fixed_costs_exceed_protected_income`), as a clerk would ask about it.
 * Expired tables are never used: `table_expired`. The fee (29 €, § 47 Abs. 1 Nr. 12 AufenthV, due
 * on applying even when the declaration is not accepted, § 49 Abs. 2) comes with every answer.
 */
import type { AuthorityFacts } from '../authority.ts';
import {
  guestNeeds as defaultGuestNeeds,
  type GuestNeeds,
  insufficientOptions,
  statusesNotAccepted,
} from './commitment-data.ts';
import { berlinDay, dateOf, dayOf, within } from './dates.ts';
import type { FeeSchedule } from './fee-schedule.ts';
import { expectedFee, type FeeResult } from './fees.ts';
import {
  garnishmentTables as defaultTables,
  type GarnishmentTable,
  section850c,
} from './garnishment-tables.ts';

export type GuarantorStatus =
  | 'german'
  | 'eu'
  | 'settlementPermit'
  | 'euLongTermResidence'
  | 'residencePermit'
  | 'blueCard'
  | 'fiktionsbescheinigung'
  | 'duldung'
  | 'gestattung'
  | 'other';

export interface CommitmentInput {
  /** Monthly net income (the average of the last three months), euro cents. */
  readonly netIncomeCents: number;
  /** Monthly rent including heating and running costs, euro cents. */
  readonly warmRentCents: number;
  /** Other regular monthly obligations (loans, maintenance paid), euro cents. */
  readonly otherObligationsCents?: number;
  /** Persons the guarantor maintains by law (spouse, children). */
  readonly dependants: number;
  readonly guests: { readonly adults: number; readonly minors: number };
  /** Up to 90 days (a visit) or longer. */
  readonly stay: 'short' | 'long';
  /** The last day of the stay (`YYYY-MM-DD`), if known: compared with the guarantor's title. */
  readonly stayEnd?: string;
  readonly guarantor: {
    readonly status: GuarantorStatus;
    readonly livesInCity: boolean;
    /** The last day of the guarantor's residence title, for a non-German, non-EU guarantor. */
    readonly titleValidUntil?: string;
  };
}

export interface CommitmentContext {
  /** Now (epoch ms); the Berlin calendar day picks the tables in force. */
  readonly at: number;
  readonly authority: Pick<AuthorityFacts, 'payment' | 'commitmentSecurities'>;
  readonly tables?: readonly GarnishmentTable[];
  readonly needs?: readonly GuestNeeds[];
  readonly feeSchedules?: readonly FeeSchedule[];
}

export type CommitmentCaution =
  | 'fixed_costs_exceed_protected_income'
  | 'more_than_five_dependants'
  | 'status_checked_at_counter';

export type CommitmentOption =
  | { readonly code: 'declare_with_spouse' }
  | { readonly code: 'blocked_savings'; readonly accepted: AuthorityFacts['commitmentSecurities'] }
  | { readonly code: 'company_declaration' };

export interface CommitmentFigures {
  /** What can be garnished of the income per month (§ 850c ZPO). */
  readonly garnishableCents: number;
  /** What the guests need per month. */
  readonly requiredCents: number;
  /** What stays protected for the guarantor's household (the income minus the garnishable part). */
  readonly protectedCents: number;
  readonly perGuest: { readonly adultCents: number; readonly minorCents: number };
  readonly dependantsCounted: number;
  readonly table: { readonly id: string; readonly validTo: string; readonly source: string };
  readonly needs: { readonly id: string; readonly validTo: string };
}

export type CommitmentEstimate =
  | { readonly outcome: 'invalid_input'; readonly problems: readonly string[] }
  | {
      readonly outcome: 'table_expired';
      /** Which data ran out: the garnishment table or the guests' needs. */
      readonly table: 'garnishment' | 'guest_needs';
      /** The end of the last table of that kind, or null when there is none. */
      readonly lastValidTo: string | null;
      readonly today: string;
      readonly fee: FeeResult;
    }
  | {
      readonly outcome: 'not_possible_here';
      readonly reason: 'guarantor_status' | 'lives_outside_city' | 'title_ends_before_stay';
      readonly goTo: 'other_guarantor_or_company' | 'authority_of_residence' | 'extend_title_first';
      readonly fee: FeeResult;
      /** Whether applying here anyway would still cost the processing fee (§ 49 AufenthV). */
      readonly feeDueIfApplyingHere: boolean;
    }
  | {
      readonly outcome: 'likely_sufficient';
      readonly figures: CommitmentFigures;
      readonly marginCents: number;
      readonly cautions: readonly CommitmentCaution[];
      readonly fee: FeeResult;
    }
  | {
      readonly outcome: 'likely_insufficient';
      readonly figures: CommitmentFigures;
      readonly shortfallCents: number;
      readonly options: readonly CommitmentOption[];
      readonly cautions: readonly CommitmentCaution[];
      readonly fee: FeeResult;
    };

/** The protected amount (Abs. 1 and 2) for this many maintained persons (at most five count). */
export function protectedBaseCents(table: GarnishmentTable, dependants: number): number {
  const d = Math.min(Math.max(0, dependants), section850c.maxDependants);
  return (
    table.baseCents +
    (d >= 1 ? table.firstDependantCents : 0) +
    Math.max(0, d - 1) * table.furtherDependantCents
  );
}

/**
 * The garnishable part of a monthly net income, as the table of § 850c ZPO gives it: the income up
 * to the cap rounded down to its 10 € step, the excess over the protected amount garnishable by
 * the tenths for the persons maintained (rounded half up to the cent), and all of the income above
 * the cap.
 */
export function garnishableCents(
  table: GarnishmentTable,
  netIncomeCents: number,
  dependants: number,
): number {
  const d = Math.min(Math.max(0, dependants), section850c.maxDependants);
  const considered = Math.min(netIncomeCents, table.capCents);
  const aboveCap = Math.max(0, netIncomeCents - table.capCents);
  const stepped = Math.floor(considered / section850c.stepCents) * section850c.stepCents;
  const excess = Math.max(0, stepped - protectedBaseCents(table, d));
  const garnishableTenths = 10 - (section850c.protectedTenths[d] ?? 9);
  // excess × tenths / 10 in whole cents, half up
  const part = Math.floor((excess * garnishableTenths + 5) / 10);
  return part + aboveCap;
}

const cents = (n: unknown): n is number => Number.isInteger(n) && (n as number) >= 0;

function problemsOf(input: CommitmentInput): string[] {
  const problems: string[] = [];
  if (!cents(input.netIncomeCents)) problems.push('netIncomeCents');
  if (!cents(input.warmRentCents)) problems.push('warmRentCents');
  if (input.otherObligationsCents !== undefined && !cents(input.otherObligationsCents))
    problems.push('otherObligationsCents');
  if (!Number.isInteger(input.dependants) || input.dependants < 0 || input.dependants > 20)
    problems.push('dependants');
  const { adults, minors } = input.guests;
  if (
    !Number.isInteger(adults) ||
    adults < 0 ||
    !Number.isInteger(minors) ||
    minors < 0 ||
    adults + minors < 1
  )
    problems.push('guests');
  if (input.stayEnd !== undefined && dayOf(input.stayEnd) === null) problems.push('stayEnd');
  if (input.guarantor.titleValidUntil !== undefined && dayOf(input.guarantor.titleValidUntil) === null)
    problems.push('guarantor.titleValidUntil');
  return problems;
}

/** The estimate for this guarantor and these guests, today. Never throws. */
export function estimateCommitment(input: CommitmentInput, context: CommitmentContext): CommitmentEstimate {
  const problems = problemsOf(input);
  if (problems.length > 0) return { outcome: 'invalid_input', problems };

  const today = berlinDay(context.at);
  const fee = expectedFee(
    { kind: 'commitment' },
    { ageYears: 18 },
    {
      at: context.at,
      authority: context.authority,
      ...(context.feeSchedules ? { schedules: context.feeSchedules } : {}),
    },
  );
  const notHere = (
    reason: 'guarantor_status' | 'lives_outside_city' | 'title_ends_before_stay',
    goTo: 'other_guarantor_or_company' | 'authority_of_residence' | 'extend_title_first',
  ): CommitmentEstimate => ({
    outcome: 'not_possible_here',
    reason,
    goTo,
    fee,
    // refused only because another authority is competent: no processing fee (§ 49 Abs. 3 Nr. 1)
    feeDueIfApplyingHere: reason !== 'lives_outside_city',
  });
  const { guarantor } = input;
  if ((statusesNotAccepted as readonly string[]).includes(guarantor.status)) {
    return notHere('guarantor_status', 'other_guarantor_or_company');
  }
  if (!guarantor.livesInCity) return notHere('lives_outside_city', 'authority_of_residence');
  const titleEnd = guarantor.titleValidUntil === undefined ? null : dayOf(guarantor.titleValidUntil);
  const stayEnd = input.stayEnd === undefined ? null : dayOf(input.stayEnd);
  if (titleEnd !== null && stayEnd !== null && titleEnd < stayEnd) {
    return notHere('title_ends_before_stay', 'extend_title_first');
  }

  const tables = context.tables ?? defaultTables;
  const table = tables.find((t) => within(today, t.validity));
  if (!table) {
    return {
      outcome: 'table_expired',
      table: 'garnishment',
      lastValidTo: lastEnd(tables),
      today: dateOf(today),
      fee,
    };
  }
  const needsList = context.needs ?? defaultGuestNeeds;
  const needs = needsList.find((n) => within(today, n.validity));
  if (!needs) {
    return {
      outcome: 'table_expired',
      table: 'guest_needs',
      lastValidTo: lastEnd(needsList),
      today: dateOf(today),
      fee,
    };
  }

  const perGuest = input.stay === 'short' ? needs.shortStay : needs.longStay;
  const required = input.guests.adults * perGuest.adultCents + input.guests.minors * perGuest.minorCents;
  const garnishable = garnishableCents(table, input.netIncomeCents, input.dependants);
  const protectedCents = input.netIncomeCents - garnishable;
  const cautions: CommitmentCaution[] = [];
  if (input.warmRentCents + (input.otherObligationsCents ?? 0) > protectedCents) {
    cautions.push('fixed_costs_exceed_protected_income');
  }
  if (input.dependants > section850c.maxDependants) cautions.push('more_than_five_dependants');
  if (guarantor.status === 'other') cautions.push('status_checked_at_counter');
  const figures: CommitmentFigures = {
    garnishableCents: garnishable,
    requiredCents: required,
    protectedCents,
    perGuest,
    dependantsCounted: Math.min(input.dependants, section850c.maxDependants),
    table: { id: table.id, validTo: table.validity.to, source: table.source },
    needs: { id: needs.id, validTo: needs.validity.to },
  };
  if (garnishable >= required) {
    return { outcome: 'likely_sufficient', figures, marginCents: garnishable - required, cautions, fee };
  }
  const options: CommitmentOption[] = insufficientOptions.flatMap((code): CommitmentOption[] => {
    if (code !== 'blocked_savings') return [{ code }];
    const accepted = context.authority.commitmentSecurities;
    return accepted.length > 0 ? [{ code, accepted }] : [];
  });
  return {
    outcome: 'likely_insufficient',
    figures,
    shortfallCents: required - garnishable,
    options,
    cautions,
    fee,
  };
}

function lastEnd(list: readonly { readonly validity: { readonly to: string } }[]): string | null {
  return list.reduce<string | null>(
    (last, t) => (last === null || t.validity.to > last ? t.validity.to : last),
    null,
  );
}
