/**
 * Line geometry of each format (ICAO Doc 9303 parts 4-7; the French national ID card of before
 * 2021), and the detection of a format from normalised lines.
 */
import type { MrzFormat } from './types.ts';

export interface MrzLineLength {
  readonly lines: number;
  readonly length: number;
}

/** Lines and characters per line of each format. */
export const mrzLineLengths: Readonly<Record<MrzFormat, MrzLineLength>> = {
  TD1: { lines: 3, length: 30 },
  TD2: { lines: 2, length: 36 },
  TD3: { lines: 2, length: 44 },
  MRVA: { lines: 2, length: 44 },
  MRVB: { lines: 2, length: 36 },
  FRENCH_ID: { lines: 2, length: 36 },
};

/** Characters per line -> lines of a complete document of that width. */
const LINES_BY_LENGTH: ReadonlyMap<number, number> = new Map([
  [30, 3],
  [36, 2],
  [44, 2],
]);

/** The French card shares TD2's geometry; its line 2 has digits where TD2 has the nationality. */
function looksFrench(line1: string, line2: string): boolean {
  return line1.startsWith('IDFRA') && !/^[A-Z<]{3}$/.test(line2.slice(10, 13));
}

/** The format of upper-case, trimmed lines, or null when their count and lengths fit none. */
export function detectFormat(lines: readonly string[]): MrzFormat | null {
  const [first, second] = lines;
  if (first === undefined || second === undefined) return null;
  const length = first.length;
  if (lines.some((l) => l.length !== length) || LINES_BY_LENGTH.get(length) !== lines.length) return null;
  const visa = first.startsWith('V');
  if (length === 30) return 'TD1';
  if (length === 44) return visa ? 'MRVA' : 'TD3';
  if (visa) return 'MRVB';
  return looksFrench(first, second) ? 'FRENCH_ID' : 'TD2';
}

export type MrzLinesState =
  | { readonly state: 'complete'; readonly format: MrzFormat }
  | { readonly state: 'partial' }
  | { readonly state: 'invalid' };

/**
 * Whether lines received so far form a complete document, the beginning of one (wait for more
 * lines), or cannot be one. For drivers that receive an MRZ line by line (keyboard-mode readers).
 * Lines are trimmed; case is ignored; characters are not checked here.
 */
export function classifyMrzLines(lines: readonly string[]): MrzLinesState {
  const clean = lines.map((l) => l.trim().toUpperCase()).filter((l) => l.length > 0);
  const first = clean[0];
  if (first === undefined) return { state: 'partial' };
  const needed = LINES_BY_LENGTH.get(first.length);
  if (needed === undefined || clean.some((l) => l.length !== first.length) || clean.length > needed) {
    return { state: 'invalid' };
  }
  if (clean.length < needed) return { state: 'partial' };
  const format = detectFormat(clean);
  return format === null ? { state: 'invalid' } : { state: 'complete', format };
}
