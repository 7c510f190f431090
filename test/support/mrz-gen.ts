/**
 * fast-check arbitraries for random VALID machine readable zones (ICAO Doc 9303 parts 4-7):
 * TD1 (3×30), TD2 (2×36), TD3 (2×44), MRV-A (2×44) and MRV-B (2×36), every check digit correct.
 *
 * Each value is `{ format, lines, expected }`; `expected` holds the fields as `parseMrz` reports
 * them (fillers stripped, names with spaces, dates as YYYY-MM-DD, per-field check verdicts).
 *
 * The check digit is computed here independently of device/mrz, so tests that feed these
 * documents to the parser do not check the parser against itself.
 *
 * Dates are chosen so that their century resolves the same for any "today" from 2020-01-01 to
 * 2030-12-31: birth years 1931-2019 (a two-digit year 31-99 can only be 19xx, 00-19 only 20xx),
 * expiry years 2000-2069 (inside a ±50-year window around any such today). Pass
 * `MRZ_GEN_TODAY` (or any date in that range) as `today` when parsing.
 */
import fc from 'fast-check';

export type GeneratedMrzFormat = 'TD1' | 'TD2' | 'TD3' | 'MRVA' | 'MRVB';
export type GeneratedCheckVerdict = 'ok' | 'absent';

export interface GeneratedMrzExpected {
  readonly documentCode: string;
  readonly issuingState: string;
  readonly documentNumber: string;
  readonly nationality: string;
  /** YYYY-MM-DD */
  readonly birthDate: string;
  /** YYYY-MM-DD */
  readonly expiryDate: string;
  readonly sex: 'M' | 'F' | 'X' | '<';
  readonly lastName: string;
  /** Given names joined by one space ('' when the document has none). */
  readonly firstNames: string;
  /** Optional data fields in MRZ order, trailing fillers stripped (TD1: two fields, others: one). */
  readonly optionalData: readonly string[];
  /** Per-field check verdicts the parser must report. */
  readonly checks: Readonly<Record<string, GeneratedCheckVerdict>>;
  /** True when the document number is longer than 9 characters (continued in the optional data). */
  readonly longDocumentNumber: boolean;
}

export interface GeneratedMrz {
  readonly format: GeneratedMrzFormat;
  readonly lines: readonly string[];
  readonly expected: GeneratedMrzExpected;
}

/** A "today" for which every generated document's dates resolve as `expected` says. */
export const MRZ_GEN_TODAY = new Date(Date.UTC(2025, 5, 15));

export const MRZ_GEN_FORMATS: readonly GeneratedMrzFormat[] = ['TD1', 'TD2', 'TD3', 'MRVA', 'MRVB'];

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const DIGITS = '0123456789';
const ALNUM = LETTERS + DIGITS;

/** ICAO 9303-3 §4.9: weights 7,3,1; digits their value, A-Z 10-35, '<' 0. */
export function mrzCheckDigit(text: string): string {
  let sum = 0;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    let v: number;
    if (c >= 48 && c <= 57) v = c - 48;
    else if (c >= 65 && c <= 90) v = c - 55;
    else if (c === 60) v = 0;
    else throw new Error(`mrzCheckDigit: not an MRZ character: ${text[i]}`);
    sum += v * ([7, 3, 1][i % 3] as number);
  }
  return String(sum % 10);
}

/** Codes the generator uses for issuing state and nationality, as written in the MRZ (3 chars). */
export const MRZ_GEN_COUNTRIES: readonly string[] = [
  'D<<',
  'UTO',
  'XXA',
  'XXB',
  'XXC',
  'XXX',
  'FRA',
  'TUR',
  'SYR',
  'UKR',
  'AFG',
  'POL',
  'ROU',
  'ITA',
  'IRQ',
  'GBR',
  'USA',
  'NLD',
  'BEL',
  'ESP',
  'RKS',
  'EUE',
];

const DOCUMENT_CODES: Record<GeneratedMrzFormat, readonly string[]> = {
  TD1: ['I<', 'ID', 'IR', 'AR', 'A<', 'C<', 'IT', 'AF'],
  TD2: ['I<', 'ID', 'IR', 'AR', 'A<', 'C<'],
  TD3: ['P<', 'PP', 'PD', 'PO', 'PT'],
  MRVA: ['V<', 'VA', 'VC', 'VD'],
  MRVB: ['V<', 'VB', 'VC', 'VD'],
};

interface Layout {
  readonly lineLength: number;
  readonly nameLength: number;
  readonly optionalLength: number;
}

const LAYOUT: Record<Exclude<GeneratedMrzFormat, 'TD1'>, Layout> = {
  TD2: { lineLength: 36, nameLength: 31, optionalLength: 7 },
  TD3: { lineLength: 44, nameLength: 39, optionalLength: 14 },
  MRVA: { lineLength: 44, nameLength: 39, optionalLength: 16 },
  MRVB: { lineLength: 36, nameLength: 31, optionalLength: 8 },
};

const pad = (text: string, length: number): string => text + '<'.repeat(Math.max(0, length - text.length));
const strip = (code: string): string => code.replace(/<+$/, '');

function charsOf(alphabet: string, minLength: number, maxLength: number): fc.Arbitrary<string> {
  return fc.string({ unit: fc.constantFrom(...alphabet.split('')), minLength, maxLength });
}

/** Optional data: alphanumerics, sometimes with one inner filler (like "010195<112X"); never a filler at either end. */
function optionalText(maxLength: number): fc.Arbitrary<string> {
  if (maxLength <= 0) return fc.constant('');
  return fc
    .tuple(charsOf(ALNUM, 0, maxLength), fc.nat({ max: 20 }))
    .map(([text, at]) =>
      text.length >= 3 && at < text.length - 1 && at > 0
        ? `${text.slice(0, at)}<${text.slice(at + 1)}`
        : text,
    );
}

interface Names {
  readonly primary: readonly string[];
  readonly secondary: readonly string[];
}

const nameWord = charsOf(LETTERS, 1, 9);
const namesArb: fc.Arbitrary<Names> = fc.record({
  primary: fc.array(nameWord, { minLength: 1, maxLength: 3 }),
  secondary: fc.array(nameWord, { minLength: 0, maxLength: 3 }),
});

/** Fits the names into `length` characters with at least one trailing filler (so: not truncated). */
function fitNames(names: Names, length: number): { field: string; lastName: string; firstNames: string } {
  const primary = [...names.primary];
  const secondary = [...names.secondary];
  const render = () =>
    secondary.length > 0 ? `${primary.join('<')}<<${secondary.join('<')}` : primary.join('<');
  while (render().length > length - 1 && secondary.length > 0) secondary.pop();
  while (render().length > length - 1 && primary.length > 1) primary.pop();
  if (render().length > length - 1) primary[0] = (primary[0] ?? 'A').slice(0, length - 1);
  return { field: pad(render(), length), lastName: primary.join(' '), firstNames: secondary.join(' ') };
}

interface YearMonthDay {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

function dateArb(minYear: number, maxYear: number): fc.Arbitrary<YearMonthDay> {
  return fc
    .record({
      year: fc.integer({ min: minYear, max: maxYear }),
      month: fc.integer({ min: 1, max: 12 }),
      day: fc.integer({ min: 1, max: 31 }),
    })
    .map(({ year, month, day }) => {
      const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
      const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] as number;
      return { year, month, day: Math.min(day, days) };
    });
}

const two = (n: number): string => String(n).padStart(2, '0');
const yymmdd = (d: YearMonthDay): string => `${two(d.year % 100)}${two(d.month)}${two(d.day)}`;
const iso = (d: YearMonthDay): string => `${d.year}-${two(d.month)}-${two(d.day)}`;

interface Common {
  readonly code: string;
  readonly issuer: string;
  readonly nationality: string;
  readonly names: Names;
  readonly birth: YearMonthDay;
  readonly expiry: YearMonthDay;
  readonly sex: 'M' | 'F' | 'X' | '<';
  readonly documentNumber: string;
}

function commonArb(format: GeneratedMrzFormat, documentNumber: fc.Arbitrary<string>): fc.Arbitrary<Common> {
  return fc.record({
    code: fc.constantFrom(...DOCUMENT_CODES[format]),
    issuer: fc.constantFrom(...MRZ_GEN_COUNTRIES),
    nationality: fc.constantFrom(...MRZ_GEN_COUNTRIES),
    names: namesArb,
    birth: dateArb(1931, 2019),
    expiry: dateArb(2000, 2069),
    sex: fc.constantFrom('M' as const, 'F' as const, 'X' as const, '<' as const),
    documentNumber,
  });
}

function baseExpected(c: Common, name: { lastName: string; firstNames: string }) {
  return {
    documentCode: strip(c.code),
    issuingState: strip(c.issuer),
    documentNumber: c.documentNumber,
    nationality: strip(c.nationality),
    birthDate: iso(c.birth),
    expiryDate: iso(c.expiry),
    sex: c.sex,
    lastName: name.lastName,
    firstNames: name.firstNames,
  };
}

function td1Arb(): fc.Arbitrary<GeneratedMrz> {
  const documentNumber = fc.oneof(charsOf(ALNUM, 1, 9), charsOf(ALNUM, 10, 14));
  return fc
    .tuple(commonArb('TD1', documentNumber), optionalText(15), optionalText(11))
    .map(([c, opt1Raw, opt2]) => {
      const long = c.documentNumber.length > 9;
      const check = mrzCheckDigit(c.documentNumber);
      let numberField: string;
      let optional1Field: string;
      let optional1: string;
      if (long) {
        numberField = `${c.documentNumber.slice(0, 9)}<`;
        optional1Field = pad(`${c.documentNumber.slice(9)}${check}`, 15);
        optional1 = '';
      } else {
        numberField = `${pad(c.documentNumber, 9)}${check}`;
        optional1 = opt1Raw;
        optional1Field = pad(opt1Raw, 15);
      }
      const line1 = `${c.code}${c.issuer}${numberField}${optional1Field}`;
      const birth = yymmdd(c.birth);
      const expiry = yymmdd(c.expiry);
      const line2Head = `${birth}${mrzCheckDigit(birth)}${c.sex}${expiry}${mrzCheckDigit(expiry)}${c.nationality}${pad(opt2, 11)}`;
      const composite = mrzCheckDigit(
        line1.slice(5, 30) + line2Head.slice(0, 7) + line2Head.slice(8, 15) + line2Head.slice(18, 29),
      );
      const name = fitNames(c.names, 30);
      return {
        format: 'TD1' as const,
        lines: [line1, `${line2Head}${composite}`, name.field],
        expected: {
          ...baseExpected(c, name),
          optionalData: [optional1, opt2],
          checks: { documentNumber: 'ok', birthDate: 'ok', expiryDate: 'ok', composite: 'ok' },
          longDocumentNumber: long,
        },
      };
    });
}

function twoLineArb(format: Exclude<GeneratedMrzFormat, 'TD1'>): fc.Arbitrary<GeneratedMrz> {
  const layout = LAYOUT[format];
  const personalNumberLength = format === 'TD3' ? layout.optionalLength : 0;
  return fc
    .tuple(
      commonArb(format, charsOf(ALNUM, 1, 9)),
      optionalText(format === 'TD3' ? personalNumberLength : layout.optionalLength),
      fc.boolean(),
    )
    .map(([c, optional, zeroForEmpty]) => {
      const name = fitNames(c.names, layout.nameLength);
      const line1 = `${c.code}${c.issuer}${name.field}`;
      const birth = yymmdd(c.birth);
      const expiry = yymmdd(c.expiry);
      let line2 = `${pad(c.documentNumber, 9)}${mrzCheckDigit(c.documentNumber)}${c.nationality}${birth}${mrzCheckDigit(birth)}${c.sex}${expiry}${mrzCheckDigit(expiry)}`;
      const checks: Record<string, GeneratedCheckVerdict> = {
        documentNumber: 'ok',
        birthDate: 'ok',
        expiryDate: 'ok',
      };
      if (format === 'TD3') {
        // 9303-4: an unused personal number has '<' or '0' as its check digit.
        const personalCheck = optional === '' ? (zeroForEmpty ? '0' : '<') : mrzCheckDigit(optional);
        checks.personalNumber = personalCheck === '<' ? 'absent' : 'ok';
        line2 += `${pad(optional, 14)}${personalCheck}`;
      } else {
        line2 += pad(optional, layout.optionalLength);
      }
      if (format === 'TD2' || format === 'TD3') {
        line2 += mrzCheckDigit(line2.slice(0, 10) + line2.slice(13, 20) + line2.slice(21));
        checks.composite = 'ok';
      }
      return {
        format,
        lines: [line1, line2],
        expected: {
          ...baseExpected(c, name),
          optionalData: [optional],
          checks,
          longDocumentNumber: false,
        },
      };
    });
}

/** A random valid MRZ document of the given format, or of any of the five formats. */
export function mrzDocument(format?: GeneratedMrzFormat): fc.Arbitrary<GeneratedMrz> {
  if (format === undefined) return fc.oneof(...MRZ_GEN_FORMATS.map((f) => mrzDocument(f)));
  return format === 'TD1' ? td1Arb() : twoLineArb(format);
}

/** Every character an MRZ line may hold. */
export const MRZ_ALPHABET = `${ALNUM}<`;
