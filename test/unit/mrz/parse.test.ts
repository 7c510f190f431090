/** Hand-written cases for device/mrz: each format, each check digit, dates, names, codes, OCR, input. */
import { describe, expect, it } from 'vitest';
import {
  classifyMrzLines,
  computeCheckDigit,
  type MrzResult,
  mrzLineLengths,
  parseMrz,
} from '../../../device/mrz/index.ts';
import { mrzCheckDigit } from '../../support/mrz-gen.ts';

const TODAY = new Date(Date.UTC(2025, 5, 15));
const parse = (lines: string | readonly string[], today: Date = TODAY): MrzResult =>
  parseMrz(lines, { today });
const codes = (issues: readonly { code: string }[]): string[] => issues.map((i) => i.code);

/** Replaces the character at 0-based `column` of line `line` (0-based). */
function withChar(lines: readonly string[], line: number, column: number, char: string): string[] {
  return lines.map((l, i) => (i === line ? l.slice(0, column) + char + l.slice(column + 1) : l));
}

const TD1 = [
  'I<UTOD231458907<<<<<<<<<<<<<<<',
  '7408122F1204159UTO<<<<<<<<<<<6',
  'ERIKSSON<<ANNA<MARIA<<<<<<<<<<',
];
const TD2 = ['I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<', 'D231458907UTO7408122F1204159<<<<<<<6'];
const TD3 = ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'];
const MRVA = ['V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L8988901C4XXX4009078F96121096ZE184226B<<<<<<'];
const MRVB = ['V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<', 'L8988901C4XXX4009078F9612109<<<<<<<<'];
const FRENCH = ['IDFRABERTHIER<<<<<<<<<<<<<<<<<<<<<<<', '9409923102854CORINNE<<<<<<<6512068F4'];

describe('computeCheckDigit (ICAO 9303-3 §4.9)', () => {
  it('computes the 7-3-1 check digit of the ICAO examples', () => {
    expect(computeCheckDigit('L898902C3')).toBe(6);
    expect(computeCheckDigit('740812')).toBe(2);
    expect(computeCheckDigit('120415')).toBe(9);
    expect(computeCheckDigit('ZE184226B<<<<<')).toBe(1);
    expect(computeCheckDigit('')).toBe(0);
    expect(computeCheckDigit('<<<<')).toBe(0);
  });

  it('returns null for characters an MRZ cannot hold', () => {
    expect(computeCheckDigit('abc')).toBeNull();
    expect(computeCheckDigit('L89 902')).toBeNull();
    expect(computeCheckDigit('ÄÖÜ')).toBeNull();
  });
});

describe('formats', () => {
  it('TD1 (3×30)', () => {
    const r = parse(TD1);
    expect(r).toMatchObject({
      valid: true,
      format: 'TD1',
      documentCode: 'I',
      issuingState: 'UTO',
      documentNumber: 'D23145890',
      nationality: 'UTO',
      birthDate: '1974-08-12',
      expiryDate: '2012-04-15',
      sex: 'F',
      lastName: 'ERIKSSON',
      firstNames: 'ANNA MARIA',
      optionalData: ['', ''],
      checks: { documentNumber: 'ok', birthDate: 'ok', expiryDate: 'ok', composite: 'ok' },
      errors: [],
      suggestions: [],
    });
    expect(codes(r.warnings)).toEqual(['mrz.document_expired']);
  });

  it('TD2 (2×36)', () => {
    expect(parse(TD2)).toMatchObject({
      valid: true,
      format: 'TD2',
      documentNumber: 'D23145890',
      birthDate: '1974-08-12',
      expiryDate: '2012-04-15',
      lastName: 'ERIKSSON',
      firstNames: 'ANNA MARIA',
      optionalData: [''],
      checks: { documentNumber: 'ok', birthDate: 'ok', expiryDate: 'ok', composite: 'ok' },
    });
  });

  it('TD3 (2×44) with personal number', () => {
    expect(parse(TD3)).toMatchObject({
      valid: true,
      format: 'TD3',
      documentCode: 'P',
      documentNumber: 'L898902C3',
      optionalData: ['ZE184226B'],
      checks: {
        documentNumber: 'ok',
        birthDate: 'ok',
        expiryDate: 'ok',
        personalNumber: 'ok',
        composite: 'ok',
      },
    });
  });

  it('MRV-A (2×44) and MRV-B (2×36): no composite check digit', () => {
    const a = parse(MRVA);
    expect(a).toMatchObject({ valid: true, format: 'MRVA', documentCode: 'V', nationality: 'XXX' });
    expect(a.checks).toEqual({ documentNumber: 'ok', birthDate: 'ok', expiryDate: 'ok' });
    expect(a.optionalData).toEqual(['6ZE184226B']);
    expect(a.birthDate).toBe('1940-09-07');
    expect(a.expiryDate).toBe('1996-12-10');
    const b = parse(MRVB);
    expect(b).toMatchObject({ valid: true, format: 'MRVB', documentNumber: 'L8988901C', optionalData: [''] });
    expect(b.checks).toEqual({ documentNumber: 'ok', birthDate: 'ok', expiryDate: 'ok' });
  });

  it('the French national ID card of before 2021 (2×36)', () => {
    expect(parse(FRENCH)).toMatchObject({
      valid: true,
      format: 'FRENCH_ID',
      documentCode: 'ID',
      issuingState: 'FRA',
      documentNumber: '940992310285',
      nationality: 'FRA',
      birthDate: '1965-12-06',
      expiryDate: null,
      sex: 'F',
      lastName: 'BERTHIER',
      firstNames: 'CORINNE',
      checks: { documentNumber: 'ok', birthDate: 'ok', composite: 'ok' },
    });
    expect(parse(withChar(FRENCH, 1, 12, '5')).checks.documentNumber).toBe('bad');
  });

  it('a TD2 document issued by France is TD2, not the old French card', () => {
    const line2 = 'D231458907FRA7408122F1204159<<<<<<<';
    const lines = [
      'IDFRAERIKSSON<<ANNA<MARIA<<<<<<<<<<<',
      line2 + mrzCheckDigit(line2.slice(0, 10) + line2.slice(13, 20) + line2.slice(21)),
    ];
    const r = parse(lines);
    expect(r.format).toBe('TD2');
    expect(r.valid).toBe(true);
  });

  it('the JSON form has exactly the documented keys, in order', () => {
    expect(Object.keys(JSON.parse(JSON.stringify(parse(TD3))))).toEqual([
      'valid',
      'format',
      'documentCode',
      'issuingState',
      'documentNumber',
      'nationality',
      'birthDate',
      'expiryDate',
      'sex',
      'lastName',
      'firstNames',
      'optionalData',
      'checks',
      'errors',
      'warnings',
      'suggestions',
    ]);
  });
});

describe('check digits', () => {
  const cases: [string, readonly string[], number, number, string][] = [
    ['TD1 document number', TD1, 0, 14, 'documentNumber'],
    ['TD1 birth date', TD1, 1, 6, 'birthDate'],
    ['TD1 expiry date', TD1, 1, 14, 'expiryDate'],
    ['TD1 composite', TD1, 1, 29, 'composite'],
    ['TD2 document number', TD2, 1, 9, 'documentNumber'],
    ['TD2 birth date', TD2, 1, 19, 'birthDate'],
    ['TD2 expiry date', TD2, 1, 27, 'expiryDate'],
    ['TD2 composite', TD2, 1, 35, 'composite'],
    ['TD3 document number', TD3, 1, 9, 'documentNumber'],
    ['TD3 birth date', TD3, 1, 19, 'birthDate'],
    ['TD3 expiry date', TD3, 1, 27, 'expiryDate'],
    ['TD3 personal number', TD3, 1, 42, 'personalNumber'],
    ['TD3 composite', TD3, 1, 43, 'composite'],
    ['MRV-A document number', MRVA, 1, 9, 'documentNumber'],
    ['MRV-A birth date', MRVA, 1, 19, 'birthDate'],
    ['MRV-A expiry date', MRVA, 1, 27, 'expiryDate'],
    ['MRV-B document number', MRVB, 1, 9, 'documentNumber'],
    ['MRV-B birth date', MRVB, 1, 19, 'birthDate'],
    ['MRV-B expiry date', MRVB, 1, 27, 'expiryDate'],
    ['French document number', FRENCH, 1, 12, 'documentNumber'],
    ['French birth date', FRENCH, 1, 33, 'birthDate'],
    ['French composite', FRENCH, 1, 35, 'composite'],
  ];
  for (const [name, lines, line, column, field] of cases) {
    it(`${name}: a wrong digit is 'bad' and makes the document invalid`, () => {
      const digit = lines[line]?.charAt(column);
      const wrong = String((Number(digit) + 3) % 10);
      const r = parse(withChar(lines, line, column, wrong));
      expect(r.valid).toBe(false);
      expect(r.checks[field as keyof MrzResult['checks']]).toBe('bad');
      expect(r.errors).toContainEqual(expect.objectContaining({ code: 'mrz.check_digit', field }));
    });
  }

  it("a '<' after a filled field is 'bad'", () => {
    const r = parse(withChar(TD3, 1, 9, '<'));
    expect(r.checks.documentNumber).toBe('bad');
    expect(r.valid).toBe(false);
  });

  it("an empty personal number takes '<' (absent) or '0' (ok); any other digit is bad", () => {
    const empty = 'L898902C36UTO7408122F1204159<<<<<<<<<<<<<<';
    const withCheck = (c: string) => {
      const l = empty + c;
      return [TD3[0] as string, l + mrzCheckDigit(l.slice(0, 10) + l.slice(13, 20) + l.slice(21, 43))];
    };
    expect(parse(withCheck('<')).checks.personalNumber).toBe('absent');
    expect(parse(withCheck('<')).valid).toBe(true);
    expect(parse(withCheck('0')).checks.personalNumber).toBe('ok');
    expect(parse(withCheck('0')).optionalData).toEqual(['']);
    expect(parse(withCheck('5')).checks.personalNumber).toBe('bad');
    expect(parse(withCheck('5')).valid).toBe(false);
  });

  it("an empty document number with '<' as check digit is 'absent', and an error", () => {
    const l = '<<<<<<<<<<UTO7408122F1204159ZE184226B<<<<<1';
    const r = parse([
      TD3[0] as string,
      l + mrzCheckDigit(l.slice(0, 10) + l.slice(13, 20) + l.slice(21, 43)),
    ]);
    expect(r.checks.documentNumber).toBe('absent');
    expect(r.documentNumber).toBeNull();
    expect(codes(r.errors)).toEqual(['mrz.document_number_missing']);
  });
});

describe('long document numbers (TD1, TD2: continued in the optional data)', () => {
  const LONG = [
    'I<UTOD23145890<7349<<<<<<<<<<<',
    '3407127M9507122UTO<<<<<<<<<<<2',
    'STEVENSON<<PETER<JOHN<<<<<<<<<',
  ];

  it('reads the ICAO 9303-5 example D23145890734', () => {
    const r = parse(LONG);
    expect(r.valid).toBe(true);
    expect(r.documentNumber).toBe('D23145890734');
    expect(r.checks.documentNumber).toBe('ok');
    expect(r.optionalData).toEqual(['', '']);
    expect(r.warnings.map((w) => w.code)).not.toContain('mrz.long_document_number_check_variant');
  });

  it('a wrong check digit at the end of the continuation is bad', () => {
    const r = parse(withChar(LONG, 0, 18, '1'));
    expect(r.checks.documentNumber).toBe('bad');
    expect(r.valid).toBe(false);
  });

  it('keeps optional data after the continuation', () => {
    const line1 = 'I<UTOD23145890<7349<AB12<<<<<<';
    const line2 = `3407127M9507122UTO<<<<<<<<<<<`;
    const composite = mrzCheckDigit(
      line1.slice(5, 30) + line2.slice(0, 7) + line2.slice(8, 15) + line2.slice(18, 29),
    );
    const r = parse([line1, line2 + composite, LONG[2] as string]);
    expect(r.valid).toBe(true);
    expect(r.documentNumber).toBe('D23145890734');
    expect(r.optionalData).toEqual(['AB12', '']);
  });

  it("accepts, with a warning, a check digit computed with the '<' at position 15 counted", () => {
    // Belgian specimen: the check digit holds only over 592211692<174.
    const r = parse([
      'IDBEL592211692<1741<<<<<<<<<<<',
      '9003107F2509301BEL900310244094',
      'SPECIMEN<<SPECIMEN<<<<<<<<<<<<',
    ]);
    expect(r.valid).toBe(true);
    expect(r.documentNumber).toBe('592211692174');
    expect(r.checks.documentNumber).toBe('ok');
    expect(codes(r.warnings)).toContain('mrz.long_document_number_check_variant');
  });

  it('reads a long document number in TD2 too', () => {
    const line2 = `D23145890<UTO7408122F1204159${`734${mrzCheckDigit('D23145890734')}`.padEnd(7, '<')}`;
    const lines = [
      TD2[0] as string,
      line2 + mrzCheckDigit(line2.slice(0, 10) + line2.slice(13, 20) + line2.slice(21)),
    ];
    const r = parse(lines);
    expect(r.valid).toBe(true);
    expect(r.documentNumber).toBe('D23145890734');
  });
});

describe('dates', () => {
  /** A TD3 with the given birth and expiry dates and correct check digits. */
  function td3(birth: string, expiry: string): string[] {
    const l = `L898902C36UTO${birth}${mrzCheckDigit(birth)}F${expiry}${mrzCheckDigit(expiry)}<<<<<<<<<<<<<<<`;
    return [TD3[0] as string, l + mrzCheckDigit(l.slice(0, 10) + l.slice(13, 20) + l.slice(21, 43))];
  }

  it('a birth date is never in the future', () => {
    expect(parse(td3('250615', '300101')).birthDate).toBe('2025-06-15');
    expect(parse(td3('250616', '300101')).birthDate).toBe('1925-06-16');
    expect(parse(td3('991231', '300101')).birthDate).toBe('1999-12-31');
    expect(parse(td3('000101', '300101')).birthDate).toBe('2000-01-01');
    expect(parse(td3('250616', '300101'), new Date(Date.UTC(2025, 5, 16))).birthDate).toBe('2025-06-16');
  });

  it('an expiry date resolves forward, within 50 years either side of today', () => {
    expect(parse(td3('800101', '740101')).expiryDate).toBe('2074-01-01');
    expect(parse(td3('800101', '760101')).expiryDate).toBe('1976-01-01');
    expect(parse(td3('800101', '300101')).expiryDate).toBe('2030-01-01');
    expect(parse(td3('800101', '300101'), new Date(Date.UTC(2090, 0, 1))).expiryDate).toBe('2130-01-01');
  });

  it('warns when the document has expired, relative to the injected today', () => {
    expect(codes(parse(td3('800101', '250614')).warnings)).toContain('mrz.document_expired');
    expect(codes(parse(td3('800101', '250615')).warnings)).not.toContain('mrz.document_expired');
  });

  it('knows leap years of the resolved century', () => {
    expect(parse(td3('000229', '300101')).birthDate).toBe('2000-02-29');
    expect(parse(td3('040229', '300101')).birthDate).toBe('2004-02-29');
    const r = parse(td3('010229', '300101'));
    expect(r.birthDate).toBeNull();
    expect(r.valid).toBe(false);
    expect(r.errors).toContainEqual(
      expect.objectContaining({ code: 'mrz.date_invalid', field: 'birthDate' }),
    );
  });

  it('rejects months and days that do not exist', () => {
    for (const bad of ['801301', '800001', '800100', '800431', '800230']) {
      const r = parse(td3(bad, '300101'));
      expect(r.birthDate).toBeNull();
      expect(codes(r.errors)).toContain('mrz.date_invalid');
    }
    const r = parse(td3('800101', '300431'));
    expect(r.expiryDate).toBeNull();
    expect(r.valid).toBe(false);
  });

  it('an unknown or partly unknown birth date (fillers) is null with a warning, still valid', () => {
    const unknown = parse(td3('<<<<<<', '300101'));
    expect(unknown.valid).toBe(true);
    expect(unknown.birthDate).toBeNull();
    expect(codes(unknown.warnings)).toContain('mrz.birth_date_unknown');
    const partial = parse(td3('74<<<<', '300101'));
    expect(partial.valid).toBe(true);
    expect(codes(partial.warnings)).toContain('mrz.birth_date_partial');
    expect(parse(td3('7408<<', '300101')).birthDate).toBeNull();
  });

  it('a missing expiry date is a warning; a partial one is invalid', () => {
    const missing = parse(td3('800101', '<<<<<<'));
    expect(missing.expiryDate).toBeNull();
    expect(codes(missing.warnings)).toContain('mrz.expiry_date_missing');
    expect(parse(td3('800101', '30<<<<')).valid).toBe(false);
  });
});

describe('names', () => {
  /** A TD1 with the given name line. */
  const td1 = (name: string) => [TD1[0] as string, TD1[1] as string, name];

  it("splits primary and secondary identifiers at '<<' and turns '<' into spaces", () => {
    const r = parse(td1('DE<BRUIJN<<WILLEKE<LISELOTTE<<'));
    expect(r.lastName).toBe('DE BRUIJN');
    expect(r.firstNames).toBe('WILLEKE LISELOTTE');
    expect(codes(r.warnings)).not.toContain('mrz.name_truncated');
  });

  it('a name without secondary identifier has empty first names', () => {
    const r = parse(td1('ERIKSSON<<<<<<<<<<<<<<<<<<<<<<'));
    expect(r.lastName).toBe('ERIKSSON');
    expect(r.firstNames).toBe('');
    expect(r.valid).toBe(true);
  });

  it('a name filling its field may be truncated: a warning, not an error', () => {
    const r = parse(td1('CACADOR<DE<ARAUJO<<ANDRE<ESTEV'));
    expect(r.valid).toBe(true);
    expect(r.firstNames).toBe('ANDRE ESTEV');
    expect(r.warnings).toContainEqual(expect.objectContaining({ code: 'mrz.name_truncated', field: 'name' }));
  });

  it('digits in a name are a warning (OCR noise); an empty name is an error', () => {
    expect(codes(parse(td1('J0HN<<SM1TH<<<<<<<<<<<<<<<<<<<')).warnings)).toContain('mrz.name_characters');
    const empty = parse(td1('<'.repeat(30)));
    expect(empty.valid).toBe(false);
    expect(codes(empty.errors)).toContain('mrz.name_missing');
  });
});

describe('codes', () => {
  /** TD1 with another issuing State / nationality / document code (composite unaffected). */
  const td1 = (code: string, issuer: string, nationality: string) =>
    [
      `${code}${issuer}${TD1[0]?.slice(5)}`,
      `${TD1[1]?.slice(0, 15)}${nationality}${TD1[1]?.slice(18)}`,
      TD1[2] as string,
    ] as const;

  it('knows D<< (Germany), UTO and the XXA/XXB/XXC/XXX codes: no warning', () => {
    for (const c of ['D<<', 'UTO', 'XXA', 'XXB', 'XXC', 'XXX', 'EUE', 'TUR', 'SYR', 'UKR']) {
      const r = parse(td1('ID', c, c));
      expect(r.valid).toBe(true);
      expect(codes(r.warnings).filter((w) => w.startsWith('mrz.country'))).toEqual([]);
      expect(r.issuingState).toBe(c.replace(/<+$/, ''));
    }
  });

  it('an unknown country code is a warning, not an invalid document', () => {
    const r = parse(td1('ID', 'QQQ', 'CH<'));
    expect(r.valid).toBe(true);
    expect(r.issuingState).toBe('QQQ');
    expect(r.nationality).toBe('CH');
    expect(r.warnings).toContainEqual(
      expect.objectContaining({ code: 'mrz.country_unknown', field: 'issuingState' }),
    );
    expect(r.warnings).toContainEqual(
      expect.objectContaining({ code: 'mrz.country_unknown', field: 'nationality' }),
    );
    expect(codes(parse(td1('ID', 'DEU', 'D<<')).warnings)).toContain('mrz.country_unknown');
  });

  it('accepts the document codes of German and ICAO documents', () => {
    for (const code of ['ID', 'I<', 'IR', 'AR', 'A<', 'C<', 'IT']) {
      const r = parse(td1(code, 'D<<', 'D<<'));
      expect(r.valid).toBe(true);
      expect(r.documentCode).toBe(code.replace('<', ''));
      expect(codes(r.warnings)).not.toContain('mrz.document_code_unusual');
    }
    const pp = parse([
      'PPD<<FOLKS<<TALLULAH<<<<<<<<<<<<<<<<<<<<<<<<',
      '3113883489D<<9709155F1601013<<<<<<<<<<<<<<04',
    ]);
    expect(pp.documentCode).toBe('PP');
    expect(codes(pp.warnings)).not.toContain('mrz.document_code_unusual');
  });

  it('an unusual document code is a warning', () => {
    for (const code of ['IV', 'NF', 'P<']) {
      const r = parse(td1(code, 'UTO', 'UTO'));
      expect(r.valid).toBe(true);
      expect(codes(r.warnings)).toContain('mrz.document_code_unusual');
    }
  });

  it("sex is M, F, X or '<'; anything else is an error", () => {
    for (const sex of ['M', 'F', 'X', '<']) {
      const lines = withChar(TD1, 1, 7, sex);
      expect(parse(lines).sex).toBe(sex);
      expect(parse(lines).valid).toBe(true);
    }
    const r = parse(withChar(TD1, 1, 7, 'Q'));
    expect(r.sex).toBeNull();
    expect(codes(r.errors)).toContain('mrz.sex_invalid');
  });
});

describe('OCR suggestions', () => {
  it('offers the one O→0 reading of a document number that makes its check digit hold; never applies it', () => {
    const r = parse(withChar(TD3, 1, 5, 'O'));
    expect(r.valid).toBe(false);
    expect(r.documentNumber).toBe('L8989O2C3');
    expect(r.suggestions).toEqual([
      expect.objectContaining({
        field: 'documentNumber',
        value: 'L898902C3',
        line: 2,
        column: 6,
        found: 'O',
        replacement: '0',
      }),
    ]);
  });

  it('letter→digit in a date, and in a check digit', () => {
    const inDate = parse(withChar(TD3, 1, 15, 'O'));
    expect(inDate.birthDate).toBeNull();
    expect(inDate.suggestions).toEqual([
      expect.objectContaining({
        field: 'birthDate',
        value: '1974-08-12',
        found: 'O',
        replacement: '0',
        column: 16,
      }),
    ]);
    const inCheck = parse(withChar(TD3, 1, 19, 'Z'));
    expect(inCheck.suggestions).toEqual([
      expect.objectContaining({
        field: 'birthDate',
        value: '1974-08-12',
        found: 'Z',
        replacement: '2',
        column: 20,
      }),
    ]);
    const inComposite = parse(withChar(TD1, 1, 29, 'G'));
    expect(inComposite.suggestions).toEqual([
      expect.objectContaining({ field: 'composite', value: '6', found: 'G' }),
    ]);
  });

  it('never turns a digit into a letter in a numeric field', () => {
    // Birth date check digit 2 -> 5: digits only, nothing OCR could have confused: no suggestion.
    const r = parse(withChar(TD3, 1, 19, '5'));
    expect(r.checks.birthDate).toBe('bad');
    expect(r.suggestions).toEqual([]);
  });

  it('no suggestion when no confusable substitution works', () => {
    const r = parse(withChar(TD3, 1, 9, '7'));
    expect(r.checks.documentNumber).toBe('bad');
    expect(r.suggestions).toEqual([]);
  });

  it('no suggestion when two substitutions would both work', () => {
    // S0123456Z with check digit 3: both S01Z3456Z and S01234S6Z hold.
    const line2 = `S0123456Z3XXX4009078F96121096ZE184226B<<<<<<`;
    const r = parse([MRVA[0] as string, line2]);
    expect(r.checks.documentNumber).toBe('bad');
    expect(r.suggestions).toEqual([]);
    // The same number with a check digit that only one reading satisfies gets its suggestion.
    const one = parse([MRVA[0] as string, `S0I23456Z${mrzCheckDigit('S0123456Z')}${line2.slice(10)}`]);
    expect(one.suggestions).toEqual([
      expect.objectContaining({ value: 'S0123456Z', found: 'I', replacement: '1' }),
    ]);
  });
});

describe('input normalisation, never throws', () => {
  it('accepts CRLF, CR, surrounding spaces, blank lines, and arrays of lines with breaks', () => {
    for (const input of [
      `${TD3[0]}\r\n${TD3[1]}\r\n`,
      `  ${TD3[0]}  \r${TD3[1]}\n\n`,
      `\n\n${TD3[0]}\n\n${TD3[1]}`,
      [`${TD3[0]}\n${TD3[1]}`],
      [` ${TD3[0]}\r`, '', `${TD3[1]}\t`],
    ]) {
      const r = parse(input);
      expect(r.valid).toBe(true);
      expect(r.documentNumber).toBe('L898902C3');
    }
  });

  it('lower case is an error, but the fields are still read', () => {
    const r = parse(TD3.map((l) => l.toLowerCase()));
    expect(r.valid).toBe(false);
    expect(codes(r.errors)).toEqual(['mrz.lowercase']);
    expect(r.documentNumber).toBe('L898902C3');
  });

  it('wrong line counts and lengths give format null and an error', () => {
    for (const input of [
      [TD3[0] as string],
      [...TD1, TD1[0] as string],
      [TD3[0] as string, TD2[1] as string],
      [`${TD3[0]}<`, `${TD3[1]}<`],
    ]) {
      const r = parse(input);
      expect(r.valid).toBe(false);
      expect(r.format).toBeNull();
      expect(codes(r.errors)).toContain('mrz.format_unknown');
      expect(r.documentNumber).toBeNull();
    }
  });

  it('empty, garbage, unicode and non-string input', () => {
    expect(codes(parse('').errors)).toEqual(['mrz.empty']);
    expect(codes(parse([]).errors)).toEqual(['mrz.empty']);
    expect(codes(parse('   \n \r\n').errors)).toEqual(['mrz.empty']);
    const unicode = parse([`${TD3[0]?.slice(0, 43)}€`, TD3[1] as string]);
    expect(unicode.valid).toBe(false);
    expect(codes(unicode.errors)).toContain('mrz.invalid_character');
    const emoji = parse(['😀'.repeat(22), '😀'.repeat(22)]);
    expect(emoji.valid).toBe(false);
    for (const junk of [null, undefined, 42, {}, [1, 2], ['a', null]]) {
      const r = parseMrz(junk as unknown as string);
      expect(r.valid).toBe(false);
      expect(codes(r.errors)).toEqual(['mrz.input_type']);
    }
    expect(parseMrz(TD3, { today: new Date(Number.NaN) }).valid).toBe(true);
  });
});

describe('line grouping for line-by-line readers', () => {
  it('mrzLineLengths describes every format', () => {
    expect(mrzLineLengths).toEqual({
      TD1: { lines: 3, length: 30 },
      TD2: { lines: 2, length: 36 },
      TD3: { lines: 2, length: 44 },
      MRVA: { lines: 2, length: 44 },
      MRVB: { lines: 2, length: 36 },
      FRENCH_ID: { lines: 2, length: 36 },
    });
  });

  it('classifies lines received so far as complete, partial or invalid', () => {
    expect(classifyMrzLines([])).toEqual({ state: 'partial' });
    expect(classifyMrzLines([TD1[0] as string])).toEqual({ state: 'partial' });
    expect(classifyMrzLines(TD1.slice(0, 2))).toEqual({ state: 'partial' });
    expect(classifyMrzLines(TD1)).toEqual({ state: 'complete', format: 'TD1' });
    expect(classifyMrzLines([TD3[0] as string])).toEqual({ state: 'partial' });
    expect(classifyMrzLines(TD3)).toEqual({ state: 'complete', format: 'TD3' });
    expect(classifyMrzLines(MRVA.map((l) => `${l.toLowerCase()} `))).toEqual({
      state: 'complete',
      format: 'MRVA',
    });
    expect(classifyMrzLines(MRVB)).toEqual({ state: 'complete', format: 'MRVB' });
    expect(classifyMrzLines(TD2)).toEqual({ state: 'complete', format: 'TD2' });
    expect(classifyMrzLines(FRENCH)).toEqual({ state: 'complete', format: 'FRENCH_ID' });
    expect(classifyMrzLines([...TD3, TD3[0] as string])).toEqual({ state: 'invalid' });
    expect(classifyMrzLines([TD3[0] as string, TD2[1] as string])).toEqual({ state: 'invalid' });
    expect(classifyMrzLines(['HELLO'])).toEqual({ state: 'invalid' });
  });
});
