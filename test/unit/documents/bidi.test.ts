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

  it('drops explicit direction marks after using them', () => {
    expect(toVisual('\u200Fabc\u200E', 'ltr')).toBe('abc');
    expect(stripFormatting('a\u202Bb\u202Cc\u2067d\u2069')).toBe('abcd');
  });
});
