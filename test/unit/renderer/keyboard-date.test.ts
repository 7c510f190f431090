import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  allowedDateDigits,
  applyDateKey,
  canAdvanceDate,
  type DateDraft,
  type DateKey,
  type DateLimits,
  dateDraftFromIso,
  dateDraftToIso,
  dateLimits,
  defaultDateLimits,
  emptyDateDraft,
  formatIsoDate,
  isIsoDate,
} from '../../../renderer/keyboard/editor.ts';

/** Types a string on the date pad: digits, `.` for the dot key, `<` for backspace. */
function typeDate(
  keys: string,
  from: DateDraft = emptyDateDraft,
  limits: DateLimits = defaultDateLimits,
): DateDraft {
  let draft = from;
  for (const c of keys) {
    const key: DateKey =
      c === '.' ? { type: 'next' } : c === '<' ? { type: 'backspace' } : { type: 'digit', digit: c };
    draft = applyDateKey(draft, key, limits);
  }
  return draft;
}
const iso = (keys: string, limits: DateLimits = defaultDateLimits) =>
  dateDraftToIso(typeDate(keys, emptyDateDraft, limits), limits);

describe('date pad', () => {
  it('turns DD MM YYYY digits into an ISO date', () => {
    expect(iso('31011990')).toBe('1990-01-31');
    expect(iso('01.01.2000')).toBe('2000-01-01');
    expect(typeDate('3101')).toMatchObject({ day: '31', month: '01', year: '', part: 'year' });
  });

  it('takes one-digit days and months with the dot key, or alone when no second digit fits', () => {
    expect(iso('3.4.1990')).toBe('1990-04-03');
    expect(typeDate('7')).toMatchObject({ day: '07', part: 'month' });
    expect(typeDate('72')).toMatchObject({ day: '07', month: '02', part: 'year' });
    expect(iso('9121985')).toBe('1985-12-09');
    expect(canAdvanceDate(typeDate('0'))).toBe(false);
    expect(typeDate('0.')).toMatchObject({ day: '0', part: 'day' });
    // The dot after a complete part is swallowed, a dot in an empty part does nothing.
    expect(iso('31.12.1999')).toBe('1999-12-31');
    expect(iso('..31..12..1999')).toBe('1999-12-31');
    expect(dateDraftToIso(typeDate('15.05.1990', dateDraftFromIso('1990-04-30')))).toBe('1990-05-15');
  });

  it('refuses 31.02, 30.02, 31.04 and 29.02 of a common year', () => {
    expect(typeDate('3102')).toMatchObject({ day: '31', month: '0', part: 'month' });
    expect(allowedDateDigits(typeDate('310'))).toEqual(new Set(['1', '3', '5', '7', '8']));
    expect(allowedDateDigits(typeDate('300')).has('2')).toBe(false);
    expect(allowedDateDigits(typeDate('3'))).toEqual(new Set(['0', '1']));
    expect(iso('3104')).toBeNull();
    expect(iso('29022023')).toBeNull();
    expect(typeDate('29022023')).toMatchObject({ year: '202' });
    expect(iso('29022024')).toBe('2024-02-29');
    expect(iso('29021900')).toBeNull();
    expect(iso('29022000')).toBe('2000-02-29');
    expect(iso('00')).toBeNull();
    expect(typeDate('00')).toMatchObject({ day: '0' });
    expect(typeDate('1300')).toMatchObject({ day: '13', month: '0' });
  });

  it('keeps dates within the limits (birth date: not after today)', () => {
    const birth = dateLimits(undefined, '2025-06-15');
    expect(iso('15062025', birth)).toBe('2025-06-15');
    expect(iso('16062025', birth)).toBeNull();
    expect(allowedDateDigits(typeDate('1606202', emptyDateDraft, birth), birth).has('5')).toBe(false);
    expect(allowedDateDigits(typeDate('010120', emptyDateDraft, birth), birth)).toEqual(
      new Set(['0', '1', '2']),
    );
    const future = dateLimits('2025-06-15', '2035-12-31');
    expect(allowedDateDigits(typeDate('0101', emptyDateDraft, future), future)).toEqual(new Set(['2']));
    expect(dateLimits('nonsense', '2025-02-30')).toEqual(defaultDateLimits);
  });

  it('steps back across parts with backspace', () => {
    let draft = typeDate('31121990');
    draft = typeDate('<<<<<', draft);
    expect(draft).toMatchObject({ day: '31', month: '1', year: '', part: 'month' });
    draft = typeDate('<<<<', draft);
    expect(draft).toMatchObject({ day: '', month: '', year: '', part: 'day' });
  });

  it('lets the visitor correct one part; later parts that no longer fit are cleared', () => {
    const prefilled = dateDraftFromIso('1990-04-30');
    expect(prefilled).toMatchObject({ day: '30', month: '04', year: '1990', part: 'day', fresh: true });
    // Typing overwrites the selected part.
    const yearFixed = typeDate('1991', applyDateKey(prefilled, { type: 'select', part: 'year' }));
    expect(dateDraftToIso(yearFixed)).toBe('1991-04-30');
    // Day 31 does not fit April: the month is cleared, the day kept.
    const day31 = typeDate('31', prefilled);
    expect(day31).toMatchObject({ day: '31', month: '', year: '1990', part: 'month' });
    expect(dateDraftToIso(typeDate('05', day31))).toBe('1990-05-31');
    // Leaving a one-digit part writes it with two digits.
    const one = applyDateKey(typeDate('2', dateDraftFromIso('1990-04-30')), { type: 'select', part: 'year' });
    expect(one).toMatchObject({ day: '02', part: 'year', fresh: true });
  });

  it('reads and writes ISO dates only', () => {
    expect(dateDraftFromIso('2024-02-30')).toEqual(emptyDateDraft);
    expect(dateDraftFromIso('31.01.1990')).toEqual(emptyDateDraft);
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2023-02-29')).toBe(false);
    expect(isIsoDate('1990-13-01')).toBe(false);
    expect(formatIsoDate('1990-04-03')).toBe('03.04.1990');
    expect(formatIsoDate('')).toBe('');
  });

  it('never yields anything but a real date within the limits (any key sequence)', () => {
    const key: fc.Arbitrary<DateKey> = fc.oneof(
      fc.integer({ min: 0, max: 9 }).map((n) => ({ type: 'digit', digit: String(n) }) as const),
      fc.constant({ type: 'backspace' } as const),
      fc.constant({ type: 'next' } as const),
      fc.constantFrom('day', 'month', 'year').map((part) => ({ type: 'select', part }) as const),
    );
    const limits = fc
      .tuple(fc.integer({ min: 1900, max: 2100 }), fc.integer({ min: 0, max: 3000 }))
      .map(([year, span]) => {
        const min = new Date(Date.UTC(year, 0, 1));
        const max = new Date(min.getTime() + span * 86_400_000);
        return dateLimits(min.toISOString().slice(0, 10), max.toISOString().slice(0, 10));
      });
    fc.assert(
      fc.property(fc.array(key, { maxLength: 40 }), limits, (keys, bounds) => {
        let draft = emptyDateDraft;
        for (const k of keys) {
          draft = applyDateKey(draft, k, bounds);
          expect(draft.day.length).toBeLessThanOrEqual(2);
          expect(draft.month.length).toBeLessThanOrEqual(2);
          expect(draft.year.length).toBeLessThanOrEqual(4);
          const out = dateDraftToIso(draft, bounds);
          if (out !== null) {
            expect(isIsoDate(out)).toBe(true);
            expect(out >= bounds.min && out <= bounds.max).toBe(true);
          }
        }
        // Whatever was typed, the pad can still reach a valid date from here.
        const digits = allowedDateDigits(draft, bounds);
        const complete = dateDraftToIso(draft, bounds) !== null;
        expect(complete || digits.size > 0 || canAdvanceDate(draft, bounds) || draft.part !== 'day').toBe(
          true,
        );
      }),
      { numRuns: 300 },
    );
  });

  it('types every day of a leap year and of a common year', () => {
    for (const year of [2024, 2023]) {
      for (let t = Date.UTC(year, 0, 1); t < Date.UTC(year + 1, 0, 1); t += 86_400_000) {
        const date = new Date(t).toISOString().slice(0, 10);
        const keys = `${date.slice(8, 10)}${date.slice(5, 7)}${date.slice(0, 4)}`;
        expect(iso(keys)).toBe(date);
      }
    }
  });
});
