/**
 * OCR suggestions: a character that OCR-B readers typically confuse (O/0, I/1, B/8, S/5, Z/2, G/6)
 * and whose substitution, alone among all such single substitutions, makes a check digit hold.
 * Suggestions are offered, never applied.
 */
import { checkVerdict } from './check-digit.ts';

const LETTER_TO_DIGIT: Readonly<Record<string, string>> = { O: '0', I: '1', B: '8', S: '5', Z: '2', G: '6' };
const DIGIT_TO_LETTER: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(LETTER_TO_DIGIT).map(([letter, digit]) => [digit, letter]),
);

export interface Position {
  /** 0-based line and column. */
  readonly line: number;
  readonly column: number;
}

/** A field and its check digit, as positions in the lines. */
export interface CheckedSpan {
  readonly value: readonly Position[];
  readonly check: Position;
  /**
   * Numeric fields (dates) take only the letter→digit direction and must end up all digits; others
   * take both directions. A check character is always numeric.
   */
  readonly numeric: boolean;
  /** False for the composite: only its check character may be substituted. */
  readonly substituteValue: boolean;
}

export interface Substitution {
  readonly position: Position;
  readonly found: string;
  readonly replacement: string;
  /** The field's characters with the substitution applied. */
  readonly value: string;
  readonly checkChar: string;
}

const charAt = (lines: readonly string[], p: Position): string => (lines[p.line] ?? '').charAt(p.column);

function alternatives(char: string, numeric: boolean): string[] {
  const out: string[] = [];
  const digit = LETTER_TO_DIGIT[char];
  if (digit !== undefined) out.push(digit);
  const letter = DIGIT_TO_LETTER[char];
  if (!numeric && letter !== undefined) out.push(letter);
  return out;
}

/**
 * Every single OCR-confusion substitution in the span that makes its check digit hold (and, for
 * numeric fields, leaves only digits and fillers). The caller offers a suggestion when exactly
 * one exists.
 */
export function ocrSubstitutions(lines: readonly string[], span: CheckedSpan): Substitution[] {
  const chars = span.value.map((p) => charAt(lines, p));
  const checkChar = charAt(lines, span.check);
  const wellFormed = (value: string) => !span.numeric || /^[0-9<]*$/.test(value);
  const found: Substitution[] = [];
  if (span.substituteValue) {
    chars.forEach((char, i) => {
      for (const replacement of alternatives(char, span.numeric)) {
        const next = [...chars];
        next[i] = replacement;
        const value = next.join('');
        if (wellFormed(value) && checkVerdict(value, checkChar) === 'ok') {
          found.push({ position: span.value[i] as Position, found: char, replacement, value, checkChar });
        }
      }
    });
  }
  const value = chars.join('');
  for (const replacement of alternatives(checkChar, true)) {
    if (wellFormed(value) && checkVerdict(value, replacement) === 'ok') {
      found.push({ position: span.check, found: checkChar, replacement, value, checkChar: replacement });
    }
  }
  return found;
}
