import { describe, expect, it } from 'vitest';
import { stripFormatting, toVisual } from '../../../core/documents/text/bidi.ts';

/** Reverses a string by code points. */
const rev = (s: string) => Array.from(s).reverse().join('');

describe('toVisual', () => {
  it('leaves left-to-right text alone', () => {
    expect(toVisual('Vorgangsnummer ST-2025-000123', 'ltr')).toBe('Vorgangsnummer ST-2025-000123');
  });

  it('reverses an Arabic line and keeps numbers and Latin words left to right', () => {
    // Logical: "5 مارس 2025 في 2:07 م" — read right to left, so visually the first word is rightmost.
    const visual = toVisual('5 مارس 2025 في 2:07 م', 'rtl');
    expect(visual).toBe(`م 2:07 ${rev('في')} 2025 ${rev('مارس')} 5`);
  });

  it('keeps a multi-word Latin phrase in its own order inside Arabic', () => {
    const visual = toVisual('الجهاز: Bürgerbüro Mitte, Erdgeschoss', 'rtl');
    expect(visual).toBe(`Bürgerbüro Mitte, Erdgeschoss :${rev('الجهاز')}`);
  });

  it('mirrors brackets around a Latin abbreviation in Arabic', () => {
    const visual = toVisual('البطاقة (eAT)', 'rtl');
    expect(visual).toBe(`(eAT) ${rev('البطاقة')}`);
  });

  it('keeps Persian digits left to right inside a Persian line (they are European numbers to bidi)', () => {
    // Logical "۵ مارس ۲۰۲۵ ساعت ۱۴:۰۷": the time is leftmost, each number in its own order.
    expect(toVisual('۵ مارس ۲۰۲۵ ساعت ۱۴:۰۷', 'rtl')).toBe(`۱۴:۰۷ ${rev('ساعت')} ۲۰۲۵ ${rev('مارس')} ۵`);
    // A Latin tracking number and a Persian count in one line
    expect(toVisual('شماره ST-2025-000123 ظرف ۳ روز', 'rtl')).toBe(
      `${rev('روز')} ۳ ${rev('ظرف')} ST-2025-000123 ${rev('شماره')}`,
    );
  });

  it('reads a Persian hours range from the right: ۰۸:۰۰ first', () => {
    // The dash between two numbers takes the paragraph's direction: visually 16:00 is left of 08:00.
    expect(toVisual('ساعت ۰۸:۰۰–۱۶:۰۰', 'rtl')).toBe(`۱۶:۰۰–۰۸:۰۰ ${rev('ساعت')}`);
  });

  it('drops explicit direction marks after using them', () => {
    expect(toVisual('\u200Fabc\u200E', 'ltr')).toBe('abc');
    expect(stripFormatting('a\u202Bb\u202Cc\u2067d\u2069')).toBe('abcd');
  });
});
