/**
 * The certified photo provider's code, scanned with the barcode reader: is it one of the known
 * formats (photo-code-formats.ts), read as QR or DataMatrix, and still fetchable (the cloud keeps
 * the photo six months, PassV § 7 Abs. 2)? If so, the reference to attach to the application (the
 * provider and the token: what the clerk's software fetches the photo with, never the photo).
 * Without a code: the authority's own photo station and its fee (§ 48 Abs. 1 Satz 1 Nr. 16
 * AufenthV), from the installation's configuration. Codes and numbers only.
 */
import type { AuthorityFacts } from '../authority.ts';
import { addMonths, berlinDay, dateOf, dayOf } from './dates.ts';
import type { FeeSchedule } from './fee-schedule.ts';
import { expectedFee, type FeeApplicant, type FeeResult } from './fees.ts';
import { type PhotoCodeFormat, photoCodeFormats, photoCodeRules } from './photo-code-formats.ts';

export interface PhotoReference {
  readonly format: string;
  readonly provider: string | null;
  readonly token: string;
  /** The day the photo reached the cloud. */
  readonly issuedOn: string;
  /** The last day it can be fetched (the day before six months are over). */
  readonly usableUntil: string;
}

export type PhotoCodeCheck =
  | {
      readonly outcome: 'ok';
      readonly reference: PhotoReference;
      readonly daysLeft: number;
      readonly expiresSoon: boolean;
    }
  | { readonly outcome: 'wrong_symbology'; readonly symbology: string }
  | { readonly outcome: 'unknown_format' }
  | { readonly outcome: 'invalid_issue_date' }
  | { readonly outcome: 'issued_in_future'; readonly issuedOn: string }
  | {
      readonly outcome: 'too_old';
      readonly issuedOn: string;
      readonly usableUntil: string;
      readonly reference: string;
    };

export interface PhotoCodeContext {
  /** Now (epoch ms); its Berlin calendar date counts. */
  readonly at: number;
  readonly formats?: readonly PhotoCodeFormat[];
}

/** Checks a scanned code (`text` without the AIM prefix, `symbology` as the reader named it). */
export function checkPhotoCode(
  read: { readonly text: string; readonly symbology: string },
  context: PhotoCodeContext,
): PhotoCodeCheck {
  const formats = context.formats ?? photoCodeFormats;
  const text = read.text.trim();
  const symbologyKnown = formats.some((f) => f.symbologies.includes(read.symbology));
  if (!symbologyKnown) return { outcome: 'wrong_symbology', symbology: read.symbology };
  if (text.length === 0 || text.length > photoCodeRules.maxLength) return { outcome: 'unknown_format' };
  for (const format of formats) {
    if (!format.symbologies.includes(read.symbology)) continue;
    const match = new RegExp(format.pattern, 'u').exec(text);
    const token = match?.groups?.token;
    const issuedText = match?.groups?.issued;
    if (!match || token === undefined || issuedText === undefined) continue;
    const issued = /^\d{8}$/.test(issuedText)
      ? dayOf(`${issuedText.slice(0, 4)}-${issuedText.slice(4, 6)}-${issuedText.slice(6, 8)}`)
      : null;
    if (issued === null) return { outcome: 'invalid_issue_date' };
    const today = berlinDay(context.at);
    if (issued > today) return { outcome: 'issued_in_future', issuedOn: dateOf(issued) };
    const gone = addMonths(issued, photoCodeRules.maxAgeMonths);
    const usableUntil = dateOf(gone - 1);
    if (today >= gone) {
      return {
        outcome: 'too_old',
        issuedOn: dateOf(issued),
        usableUntil,
        reference: photoCodeRules.reference,
      };
    }
    const daysLeft = gone - 1 - today;
    return {
      outcome: 'ok',
      reference: {
        format: format.id,
        provider: match.groups?.provider ?? null,
        token,
        issuedOn: dateOf(issued),
        usableUntil,
      },
      daysLeft,
      expiresSoon: daysLeft < photoCodeRules.warnDaysBeforeEnd,
    };
  }
  return { outcome: 'unknown_format' };
}

export interface PhotoWithoutCode {
  /** The authority's photo station, or null when it has none (then: a certified provider). */
  readonly station: { readonly place: string } | null;
  /** The fee for the photo taken there; null without a station. */
  readonly fee: FeeResult | null;
}

/** Where a visitor without a code has the photo taken here, and what it costs. */
export function photoWithoutCode(context: {
  readonly at: number;
  readonly authority: Pick<AuthorityFacts, 'payment' | 'photoStation'>;
  readonly applicant: FeeApplicant;
  readonly feeSchedules?: readonly FeeSchedule[];
}): PhotoWithoutCode {
  const station = context.authority.photoStation;
  if (station === null) return { station: null, fee: null };
  return {
    station: { place: station.place },
    fee: expectedFee({ kind: 'photoAtAuthority' }, context.applicant, {
      at: context.at,
      authority: context.authority,
      ...(context.feeSchedules ? { schedules: context.feeSchedules } : {}),
    }),
  };
}
