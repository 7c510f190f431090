/**
 * Parsing and validation of one machine readable zone. Never throws: whatever the input, the
 * result says what was read, what failed (errors, `valid: false`) and what is doubtful (warnings).
 */
import { checkVerdict } from './check-digit.ts';
import { isKnownCountryCode } from './countries.ts';
import {
  type CalendarDay,
  calendarDayOf,
  type DateReading,
  isBefore,
  readBirthDate,
  readExpiryDate,
} from './dates.ts';
import { detectFormat, mrzLineLengths } from './layout.ts';
import { readName, readNameComponents } from './names.ts';
import { type CheckedSpan, ocrSubstitutions, type Position } from './ocr.ts';
import type {
  CheckedField,
  CheckVerdict,
  MrzFormat,
  MrzIssue,
  MrzResult,
  MrzSex,
  MrzSuggestion,
  ParseMrzOptions,
} from './types.ts';

interface Span {
  readonly line: number;
  readonly start: number;
  readonly end: number;
}

const span = (line: number, start: number, end: number): Span => ({ line, start, end });

/** Field positions of the ICAO formats (0-based, end exclusive); parts 4-7 of Doc 9303. */
interface IcaoLayout {
  readonly code: Span;
  readonly issuer: Span;
  readonly name: Span;
  readonly number: Span;
  readonly numberCheck: Span;
  readonly nationality: Span;
  readonly birth: Span;
  readonly birthCheck: Span;
  readonly sex: Span;
  readonly expiry: Span;
  readonly expiryCheck: Span;
  readonly optional: readonly Span[];
  /** TD3: the check digit of the personal number (optional[0]). */
  readonly personalNumberCheck?: Span;
  readonly composite?: { readonly check: Span; readonly covers: readonly Span[] };
  /** Index into `optional` where a document number longer than 9 characters continues. */
  readonly longNumberIn?: number;
  /** First letters ICAO allows for the document code of this format. */
  readonly codeLetters: string;
}

const TD2_LIKE = {
  code: span(0, 0, 2),
  issuer: span(0, 2, 5),
  number: span(1, 0, 9),
  numberCheck: span(1, 9, 10),
  nationality: span(1, 10, 13),
  birth: span(1, 13, 19),
  birthCheck: span(1, 19, 20),
  sex: span(1, 20, 21),
  expiry: span(1, 21, 27),
  expiryCheck: span(1, 27, 28),
};

const LAYOUTS: Readonly<Record<Exclude<MrzFormat, 'FRENCH_ID'>, IcaoLayout>> = {
  // Doc 9303-5
  TD1: {
    code: span(0, 0, 2),
    issuer: span(0, 2, 5),
    number: span(0, 5, 14),
    numberCheck: span(0, 14, 15),
    optional: [span(0, 15, 30), span(1, 18, 29)],
    birth: span(1, 0, 6),
    birthCheck: span(1, 6, 7),
    sex: span(1, 7, 8),
    expiry: span(1, 8, 14),
    expiryCheck: span(1, 14, 15),
    nationality: span(1, 15, 18),
    composite: {
      check: span(1, 29, 30),
      covers: [span(0, 5, 30), span(1, 0, 7), span(1, 8, 15), span(1, 18, 29)],
    },
    name: span(2, 0, 30),
    longNumberIn: 0,
    codeLetters: 'ACI',
  },
  // Doc 9303-6
  TD2: {
    ...TD2_LIKE,
    name: span(0, 5, 36),
    optional: [span(1, 28, 35)],
    composite: { check: span(1, 35, 36), covers: [span(1, 0, 10), span(1, 13, 20), span(1, 21, 35)] },
    longNumberIn: 0,
    codeLetters: 'ACI',
  },
  // Doc 9303-4
  TD3: {
    ...TD2_LIKE,
    name: span(0, 5, 44),
    optional: [span(1, 28, 42)],
    personalNumberCheck: span(1, 42, 43),
    composite: { check: span(1, 43, 44), covers: [span(1, 0, 10), span(1, 13, 20), span(1, 21, 43)] },
    codeLetters: 'P',
  },
  // Doc 9303-7
  MRVA: { ...TD2_LIKE, name: span(0, 5, 44), optional: [span(1, 28, 44)], codeLetters: 'V' },
  MRVB: { ...TD2_LIKE, name: span(0, 5, 36), optional: [span(1, 28, 36)], codeLetters: 'V' },
};

/** The French national identity card issued until 2021 (2×36, not an ICAO layout). */
const FRENCH = {
  code: span(0, 0, 2),
  issuer: span(0, 2, 5),
  lastName: span(0, 5, 30),
  adminCode: span(0, 30, 36),
  number: span(1, 0, 12),
  numberCheck: span(1, 12, 13),
  firstNames: span(1, 13, 27),
  birth: span(1, 27, 33),
  birthCheck: span(1, 33, 34),
  sex: span(1, 34, 35),
  composite: { check: span(1, 35, 36), covers: [span(0, 0, 36), span(1, 0, 35)] },
};

const FIELD_LABEL: Readonly<Record<CheckedField, string>> = {
  documentNumber: 'document number',
  birthDate: 'birth date',
  expiryDate: 'expiry date',
  personalNumber: 'personal number',
  composite: 'composite',
};

const stripFillers = (text: string): string => text.replace(/^<+|<+$/g, '');
const stripTrailing = (text: string): string => text.replace(/<+$/, '');

function positions(s: Span): Position[] {
  const out: Position[] = [];
  for (let column = s.start; column < s.end; column += 1) out.push({ line: s.line, column });
  return out;
}

/** Collects what a parse finds; turns into the result at the end. */
class Findings {
  readonly errors: MrzIssue[] = [];
  readonly warnings: MrzIssue[] = [];
  readonly suggestions: MrzSuggestion[] = [];
  readonly checks: Partial<Record<CheckedField, CheckVerdict>> = {};

  error(code: string, message: string, field?: string): void {
    this.errors.push(field === undefined ? { code, message } : { code, message, field });
  }

  warn(code: string, message: string, field?: string): void {
    this.warnings.push(field === undefined ? { code, message } : { code, message, field });
  }
}

interface Fields {
  readonly documentCode: string | null;
  readonly issuingState: string | null;
  readonly documentNumber: string | null;
  readonly nationality: string | null;
  readonly birthDate: string | null;
  readonly expiryDate: string | null;
  readonly sex: MrzSex | null;
  readonly lastName: string | null;
  readonly firstNames: string | null;
  readonly optionalData: readonly string[];
}

const NO_FIELDS: Fields = {
  documentCode: null,
  issuingState: null,
  documentNumber: null,
  nationality: null,
  birthDate: null,
  expiryDate: null,
  sex: null,
  lastName: null,
  firstNames: null,
  optionalData: [],
};

function result(format: MrzFormat | null, fields: Fields, f: Findings): MrzResult {
  return {
    valid: f.errors.length === 0,
    format,
    documentCode: fields.documentCode,
    issuingState: fields.issuingState,
    documentNumber: fields.documentNumber,
    nationality: fields.nationality,
    birthDate: fields.birthDate,
    expiryDate: fields.expiryDate,
    sex: fields.sex,
    lastName: fields.lastName,
    firstNames: fields.firstNames,
    optionalData: fields.optionalData,
    checks: f.checks,
    errors: f.errors,
    warnings: f.warnings,
    suggestions: f.suggestions,
  };
}

// ---------------------------------------------------------------------------------------------
// Input normalisation

const LINE_BREAK = /\r\n|\r|\n/;

/** Splits, trims and drops empty lines; null when the input is neither a string nor strings. */
function splitInput(input: unknown): string[] | null {
  let parts: string[];
  if (typeof input === 'string') parts = input.split(LINE_BREAK);
  else if (Array.isArray(input) && input.every((x) => typeof x === 'string')) {
    parts = (input as string[]).flatMap((x) => x.split(LINE_BREAK));
  } else return null;
  return parts.map((l) => l.trim()).filter((l) => l.length > 0);
}

function describeShape(lines: readonly string[]): string {
  const lengths = lines.map((l) => l.length).join(', ');
  return `${lines.length} line${lines.length === 1 ? '' : 's'} of ${lengths} characters`;
}

const EXPECTED_SHAPES = Object.entries(mrzLineLengths)
  .map(([format, { lines, length }]) => `${format} ${lines}×${length}`)
  .join(', ');

// ---------------------------------------------------------------------------------------------
// Shared field readers

class Reader {
  /** The composite of the format, if it has one: a suggestion must also make it hold. */
  private compositeSpan: CheckedSpan | undefined;

  constructor(
    readonly lines: readonly string[],
    readonly today: CalendarDay,
    readonly f: Findings,
  ) {}

  setComposite(covers: readonly Span[], check: Span): void {
    this.compositeSpan = {
      value: covers.flatMap(positions),
      check: { line: check.line, column: check.start },
      numeric: false,
      substituteValue: false,
    };
  }

  text(s: Span): string {
    return (this.lines[s.line] ?? '').slice(s.start, s.end);
  }

  /** Records the verdict of a checked field, its error, and an OCR suggestion where exactly one exists. */
  check(
    field: CheckedField,
    value: string,
    checkSpan: CheckedSpan,
    display: (value: string) => string,
  ): CheckVerdict {
    const checkChar = (this.lines[checkSpan.check.line] ?? '').charAt(checkSpan.check.column);
    const verdict = checkVerdict(value, checkChar);
    this.f.checks[field] = verdict;
    if (verdict === 'bad') {
      this.f.error('mrz.check_digit', `The check digit of the ${FIELD_LABEL[field]} does not hold.`, field);
    }
    if (verdict === 'bad' || (checkSpan.numeric && /[^0-9<]/.test(value)))
      this.suggest(field, checkSpan, display);
    return verdict;
  }

  private suggest(field: CheckedField, checkSpan: CheckedSpan, display: (value: string) => string): void {
    const found = ocrSubstitutions(this.lines, checkSpan);
    const only = found[0];
    if (found.length !== 1 || only === undefined) return;
    const composite = this.compositeSpan;
    if (composite !== undefined && field !== 'composite') {
      // Offered only when the composite also holds with it: two check digits agree on the reading.
      const patched = this.lines.map((l, i) =>
        i === only.position.line
          ? l.slice(0, only.position.column) + only.replacement + l.slice(only.position.column + 1)
          : l,
      );
      const at = (p: Position) => (patched[p.line] ?? '').charAt(p.column);
      if (checkVerdict(composite.value.map(at).join(''), at(composite.check)) !== 'ok') return;
    }
    this.f.suggestions.push({
      field,
      value: field === 'composite' ? only.checkChar : display(only.value),
      reason: `'${only.found}' is often misread for '${only.replacement}'; with '${only.replacement}' the check digit of the ${FIELD_LABEL[field]} holds, and no other such reading does.`,
      line: only.position.line + 1,
      column: only.position.column + 1,
      found: only.found,
      replacement: only.replacement,
    });
  }

  dateSpan(value: Span, check: Span): CheckedSpan {
    return {
      value: positions(value),
      check: { line: check.line, column: check.start },
      numeric: true,
      substituteValue: true,
    };
  }

  alnumSpan(value: readonly Position[], check: Position): CheckedSpan {
    return { value, check, numeric: false, substituteValue: true };
  }

  composite(): void {
    const checkSpan = this.compositeSpan;
    if (checkSpan === undefined) return;
    const value = checkSpan.value.map((p) => (this.lines[p.line] ?? '').charAt(p.column)).join('');
    this.check('composite', value, checkSpan, (v) => v);
  }

  birthDate(valueSpan: Span, checkSpan: Span): string | null {
    const raw = this.text(valueSpan);
    this.check('birthDate', raw, this.dateSpan(valueSpan, checkSpan), (v) =>
      isoOr(readBirthDate(v, this.today), v),
    );
    const reading = readBirthDate(raw, this.today);
    switch (reading.kind) {
      case 'date':
        return reading.iso;
      case 'unknown':
        this.f.warn('mrz.birth_date_unknown', 'The birth date is unknown (all fillers).', 'birthDate');
        return null;
      case 'partial':
        this.f.warn('mrz.birth_date_partial', 'Only part of the birth date is known.', 'birthDate');
        return null;
      case 'invalid':
        this.f.error('mrz.date_invalid', 'The birth date is not a valid calendar date.', 'birthDate');
        return null;
    }
  }

  expiryDate(valueSpan: Span, checkSpan: Span): string | null {
    const raw = this.text(valueSpan);
    this.check('expiryDate', raw, this.dateSpan(valueSpan, checkSpan), (v) =>
      isoOr(readExpiryDate(v, this.today), v),
    );
    const reading = readExpiryDate(raw, this.today);
    switch (reading.kind) {
      case 'date':
        if (isBefore(reading.day, this.today)) {
          this.f.warn('mrz.document_expired', 'The document has expired.', 'expiryDate');
        }
        return reading.iso;
      case 'unknown':
        this.f.warn('mrz.expiry_date_missing', 'The document states no expiry date.', 'expiryDate');
        return null;
      case 'partial':
      case 'invalid':
        this.f.error('mrz.date_invalid', 'The expiry date is not a valid calendar date.', 'expiryDate');
        return null;
    }
  }

  sex(s: Span): MrzSex | null {
    const raw = this.text(s);
    if (raw === 'M' || raw === 'F' || raw === 'X' || raw === '<') return raw;
    this.f.error('mrz.sex_invalid', 'The sex field holds neither M, F, X nor <.', 'sex');
    return null;
  }

  country(s: Span, field: 'issuingState' | 'nationality'): string | null {
    const raw = this.text(s);
    const code = stripTrailing(raw);
    const label = field === 'issuingState' ? 'issuing State' : 'nationality';
    if (code === '') {
      this.f.warn('mrz.country_missing', `The ${label} code is empty.`, field);
      return null;
    }
    if (!/^[A-Z]{1,3}<*$/.test(raw) || !isKnownCountryCode(code)) {
      this.f.warn('mrz.country_unknown', `The ${label} code is not an ICAO 9303 or ISO 3166 code.`, field);
    }
    return code;
  }

  documentCode(s: Span, letters: string): string | null {
    const raw = this.text(s);
    const code = stripTrailing(raw);
    const first = raw.charAt(0);
    const second = raw.charAt(1);
    const usual =
      letters.includes(first) && /^[A-Z<]$/.test(second) && !(letters === 'ACI' && second === 'V');
    if (!usual) {
      this.f.warn(
        'mrz.document_code_unusual',
        `The document code does not follow ICAO 9303 for this format (first letter ${letters.split('').join(', ')}).`,
        'documentCode',
      );
    }
    return code === '' ? null : code;
  }

  names(s: Span): { lastName: string; firstNames: string } {
    const name = readName(this.text(s));
    this.nameFindings(name.lastName === '' && name.firstNames === '', name.truncated, name.foreignCharacters);
    return { lastName: name.lastName, firstNames: name.firstNames };
  }

  nameFindings(missing: boolean, truncated: boolean, foreign: boolean): void {
    if (missing) this.f.error('mrz.name_missing', 'The name field is empty.', 'name');
    if (truncated) {
      this.f.warn('mrz.name_truncated', 'The name fills its field: it may have been truncated.', 'name');
    }
    if (foreign) {
      this.f.warn(
        'mrz.name_characters',
        'The name holds characters other than letters (OCR noise?).',
        'name',
      );
    }
  }
}

function isoOr(reading: DateReading, raw: string): string {
  return reading.kind === 'date' ? reading.iso : raw;
}

// ---------------------------------------------------------------------------------------------
// Formats

function parseIcao(format: Exclude<MrzFormat, 'FRENCH_ID'>, r: Reader): Fields {
  const layout = LAYOUTS[format];
  if (layout.composite) r.setComposite(layout.composite.covers, layout.composite.check);
  const documentCode = r.documentCode(layout.code, layout.codeLetters);
  const issuingState = r.country(layout.issuer, 'issuingState');
  const optionalData = layout.optional.map((s) => stripFillers(r.text(s)));

  // Document number, possibly continued in the optional data (9303-5 and -6, note j).
  const numberCheckPos: Position = { line: layout.numberCheck.line, column: layout.numberCheck.start };
  const longIn = layout.longNumberIn;
  const longField = longIn === undefined ? undefined : layout.optional[longIn];
  const principal = r.text(layout.number);
  let documentNumber: string;
  if (
    longIn !== undefined &&
    longField !== undefined &&
    r.text(layout.numberCheck) === '<' &&
    !r.text(longField).startsWith('<')
  ) {
    const optional = r.text(longField);
    const filler = optional.indexOf('<');
    const end = filler === -1 ? optional.length : filler;
    const continuation = optional.slice(0, end - 1);
    const valuePositions = [
      ...positions(layout.number),
      ...positions({ ...longField, end: longField.start + end - 1 }),
    ];
    const checkPos: Position = { line: longField.line, column: longField.start + end - 1 };
    documentNumber = stripTrailing(principal) + continuation;
    optionalData.splice(longIn, 1, stripFillers(optional.slice(end)));
    const full = principal + continuation;
    const checkChar = optional.charAt(end - 1);
    if (
      checkVerdict(full, checkChar) === 'bad' &&
      checkVerdict(`${principal}<${continuation}`, checkChar) === 'ok'
    ) {
      // Some issuers compute the check digit with the filler of the check-digit position included.
      r.f.checks.documentNumber = 'ok';
      r.f.warn(
        'mrz.long_document_number_check_variant',
        'The check digit of the long document number holds only with the filler after its first nine characters counted, as some issuers compute it (ICAO 9303 leaves the filler out).',
        'documentNumber',
      );
    } else {
      r.check('documentNumber', full, r.alnumSpan(valuePositions, checkPos), (v) => stripTrailing(v));
    }
  } else {
    documentNumber = stripTrailing(principal);
    r.check('documentNumber', principal, r.alnumSpan(positions(layout.number), numberCheckPos), (v) =>
      stripTrailing(v),
    );
  }
  if (r.f.checks.documentNumber === 'absent') {
    r.f.error('mrz.document_number_missing', 'The document number is empty.', 'documentNumber');
  }

  const nationality = r.country(layout.nationality, 'nationality');
  const birthDate = r.birthDate(layout.birth, layout.birthCheck);
  const sex = r.sex(layout.sex);
  const expiryDate = r.expiryDate(layout.expiry, layout.expiryCheck);

  const personal = layout.personalNumberCheck;
  const personalField = layout.optional[0];
  if (personal !== undefined && personalField !== undefined) {
    r.check(
      'personalNumber',
      r.text(personalField),
      r.alnumSpan(positions(personalField), { line: personal.line, column: personal.start }),
      (v) => stripFillers(v),
    );
  }
  r.composite();

  const { lastName, firstNames } = r.names(layout.name);
  return {
    documentCode,
    issuingState,
    documentNumber: documentNumber === '' ? null : documentNumber,
    nationality,
    birthDate,
    expiryDate,
    sex,
    lastName,
    firstNames,
    optionalData,
  };
}

function parseFrench(r: Reader): Fields {
  r.setComposite(FRENCH.composite.covers, FRENCH.composite.check);
  const documentCode = stripTrailing(r.text(FRENCH.code));
  const issuingState = stripTrailing(r.text(FRENCH.issuer));
  const number = r.text(FRENCH.number);
  r.check(
    'documentNumber',
    number,
    r.alnumSpan(positions(FRENCH.number), {
      line: FRENCH.numberCheck.line,
      column: FRENCH.numberCheck.start,
    }),
    (v) => stripTrailing(v),
  );
  if (r.f.checks.documentNumber === 'absent') {
    r.f.error('mrz.document_number_missing', 'The document number is empty.', 'documentNumber');
  }
  const birthDate = r.birthDate(FRENCH.birth, FRENCH.birthCheck);
  const sex = r.sex(FRENCH.sex);
  r.composite();

  const lastField = r.text(FRENCH.lastName);
  const firstField = r.text(FRENCH.firstNames);
  const lastName = readNameComponents(lastField);
  const firstNames = readNameComponents(firstField);
  r.nameFindings(
    lastName === '',
    !lastField.endsWith('<') || !firstField.endsWith('<'),
    /[^A-Z<]/.test(lastField + firstField),
  );
  return {
    documentCode,
    issuingState,
    documentNumber: stripTrailing(number) || null,
    // The card was issued to French nationals only; its MRZ has no nationality field.
    nationality: 'FRA',
    birthDate,
    expiryDate: null,
    sex,
    lastName,
    firstNames,
    optionalData: [stripFillers(r.text(FRENCH.adminCode))],
  };
}

// ---------------------------------------------------------------------------------------------

function validToday(today: Date | undefined): Date {
  return today instanceof Date && !Number.isNaN(today.getTime()) ? today : new Date();
}

function parseUnchecked(input: unknown, options: ParseMrzOptions | undefined): MrzResult {
  const f = new Findings();
  const split = splitInput(input);
  if (split === null) {
    f.error('mrz.input_type', 'The input must be a string or an array of strings.');
    return result(null, NO_FIELDS, f);
  }
  if (split.length === 0) {
    f.error('mrz.empty', 'The input holds no MRZ lines.');
    return result(null, NO_FIELDS, f);
  }
  if (split.some((l) => /[a-z]/.test(l))) {
    f.error(
      'mrz.lowercase',
      'The MRZ holds lower-case letters; an MRZ is upper case only (is Caps Lock on?).',
    );
  }
  const lines = split.map((l) => l.replace(/[a-z]+/g, (s) => s.toUpperCase()));
  const foreign = lines.reduce((n, l) => n + (l.match(/[^A-Z0-9<]/g)?.length ?? 0), 0);
  if (foreign > 0) {
    f.error(
      'mrz.invalid_character',
      `The MRZ holds ${foreign} character${foreign === 1 ? '' : 's'} other than A-Z, 0-9 and <.`,
    );
  }
  const format = detectFormat(lines);
  if (format === null) {
    f.error(
      'mrz.format_unknown',
      `No MRZ format has ${describeShape(lines)} (expected: ${EXPECTED_SHAPES}).`,
    );
    return result(null, NO_FIELDS, f);
  }
  const reader = new Reader(lines, calendarDayOf(validToday(options?.today)), f);
  const fields = format === 'FRENCH_ID' ? parseFrench(reader) : parseIcao(format, reader);
  return result(format, fields, f);
}

/**
 * Parses and validates one MRZ: 2 or 3 lines as one string (any line breaks) or as an array.
 * Never throws.
 */
export function parseMrz(input: string | readonly string[], options?: ParseMrzOptions): MrzResult {
  try {
    return parseUnchecked(input, options);
  } catch {
    const f = new Findings();
    f.error('mrz.internal', 'The MRZ could not be parsed.');
    return result(null, NO_FIELDS, f);
  }
}
