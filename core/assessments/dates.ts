/**
 * Calendar dates for the assessments: the authority decides by the Europe/Berlin calendar date,
 * whatever the terminal's time zone. Dates are `YYYY-MM-DD` strings outside and day numbers
 * (days since 1970-01-01) inside, so that comparing and counting days never meets a daylight
 * saving change.
 */
import { berlinDate } from '../../common/clock.ts';

const isoDate = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** The day number of a real calendar date `YYYY-MM-DD`, or null (malformed or no such day). */
export function dayOf(date: string): number | null {
  const m = isoDate.exec(date);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
  return ms / DAY_MS;
}

export function dateOf(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** The Berlin calendar day at an instant (epoch ms). */
export function berlinDay(at: number): number {
  return dayOf(berlinDate(at)) as number;
}

/** The same day `months` later; the last day of the month where that month is shorter (31 Aug + 6 → 28/29 Feb). */
export function addMonths(day: number, months: number): number {
  const d = new Date(day * DAY_MS);
  const total = d.getUTCMonth() + months;
  const year = d.getUTCFullYear() + Math.floor(total / 12);
  const month = ((total % 12) + 12) % 12;
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return Date.UTC(year, month, Math.min(d.getUTCDate(), last)) / DAY_MS;
}

/** Completed years of age on `today` (a birthday on 29 February counts on 1 March in other years). */
export function ageOn(birthDay: number, today: number): number {
  const b = new Date(birthDay * DAY_MS);
  const t = new Date(today * DAY_MS);
  let age = t.getUTCFullYear() - b.getUTCFullYear();
  const before =
    t.getUTCMonth() < b.getUTCMonth() ||
    (t.getUTCMonth() === b.getUTCMonth() && t.getUTCDate() < b.getUTCDate());
  if (before) age -= 1;
  return age;
}

/** Whether `day` lies within a validity period (both ends included; an open end is null). */
export function within(
  day: number,
  validity: { readonly from: string; readonly to: string | null },
): boolean {
  const from = dayOf(validity.from);
  const to = validity.to === null ? null : dayOf(validity.to);
  return from !== null && day >= from && (to === null || day <= to);
}
