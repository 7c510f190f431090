/** ICAO Doc 9303 part 3 §4.9: the 7-3-1 check digit. */

/** Value of one MRZ character: digits 0-9, A-Z 10-35, filler `<` 0; anything else null. */
export function mrzCharValue(char: string): number | null {
  const c = char.charCodeAt(0);
  if (char.length !== 1) return null;
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 90) return c - 55;
  if (c === 60) return 0;
  return null;
}

/** The check digit (0-9) of `text`, or null when it holds a character an MRZ cannot. */
export function computeCheckDigit(text: string): number | null {
  let sum = 0;
  for (let i = 0; i < text.length; i += 1) {
    const value = mrzCharValue(text.charAt(i));
    if (value === null) return null;
    sum += value * (i % 3 === 0 ? 7 : i % 3 === 1 ? 3 : 1);
  }
  return sum % 10;
}

/** True when the field is nothing but fillers (an empty field). */
export function isEmptyField(text: string): boolean {
  for (const ch of text) if (ch !== '<') return false;
  return true;
}

/** The verdict for a field and its check character (`<` after an empty field: `absent`). */
export function checkVerdict(text: string, checkChar: string): 'ok' | 'bad' | 'absent' {
  if (checkChar === '<' && isEmptyField(text)) return 'absent';
  const digit = computeCheckDigit(text);
  return digit !== null && checkChar === String(digit) ? 'ok' : 'bad';
}
