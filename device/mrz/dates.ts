/** YYMMDD dates of an MRZ (ICAO Doc 9303 part 3 §4.8), with century resolution against "today". */

export interface CalendarDay {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

export type DateReading =
  | { readonly kind: 'date'; readonly iso: string; readonly day: CalendarDay }
  /** All fillers: the date is unknown (birth) or not given. */
  | { readonly kind: 'unknown' }
  /** Digits with fillers for the unknown parts, e.g. `74<<<<`. */
  | { readonly kind: 'partial' }
  | { readonly kind: 'invalid'; readonly reason: string };

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && leap ? 29 : (DAYS[month - 1] ?? 0);
}

function compareDays(a: CalendarDay, b: CalendarDay): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}

export function calendarDayOf(date: Date): CalendarDay {
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

export function isBefore(a: CalendarDay, b: CalendarDay): boolean {
  return compareDays(a, b) < 0;
}

const two = (n: number): string => String(n).padStart(2, '0');
const isoOf = (d: CalendarDay): string => `${String(d.year).padStart(4, '0')}-${two(d.month)}-${two(d.day)}`;

/**
 * Reads a YYMMDD field. `resolveYear` picks the four-digit year for a two-digit one given the
 * month and day.
 */
function readDate(raw: string, resolveYear: (yy: number, month: number, day: number) => number): DateReading {
  if (/^<{6}$/.test(raw)) return { kind: 'unknown' };
  if (/^[0-9]{2}(?:<{4}|[0-9]{2}<<)$/.test(raw)) return { kind: 'partial' };
  if (!/^[0-9]{6}$/.test(raw)) return { kind: 'invalid', reason: `"${raw}" is not six digits` };
  const yy = Number(raw.slice(0, 2));
  const month = Number(raw.slice(2, 4));
  const day = Number(raw.slice(4, 6));
  if (month < 1 || month > 12) return { kind: 'invalid', reason: `month ${raw.slice(2, 4)} does not exist` };
  if (day < 1 || day > 31) return { kind: 'invalid', reason: `day ${raw.slice(4, 6)} does not exist` };
  const year = resolveYear(yy, month, day);
  if (day > daysInMonth(year, month)) {
    return { kind: 'invalid', reason: `${year}-${two(month)} has no day ${two(day)}` };
  }
  const resolved = { year, month, day };
  return { kind: 'date', iso: isoOf(resolved), day: resolved };
}

/** A birth date is never in the future: the latest century that puts it on or before today. */
export function readBirthDate(raw: string, today: CalendarDay): DateReading {
  return readDate(raw, (yy, month, day) => {
    const century = Math.floor(today.year / 100) * 100;
    const candidate = { year: century + yy, month, day };
    return compareDays(candidate, today) <= 0 ? candidate.year : candidate.year - 100;
  });
}

/**
 * An expiry date resolves forward: the century that puts the year within 50 years either side of
 * today's (a document read in 2025 with expiry year 74 expires in 2074, with 76 it expired in 1976).
 */
export function readExpiryDate(raw: string, today: CalendarDay): DateReading {
  return readDate(raw, (yy) => {
    const base = today.year - 50;
    return base + ((((yy - base) % 100) + 100) % 100);
  });
}
