/** Property tests for device/mrz with fast-check (generated documents: test/support/mrz-gen.ts). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyMrzLines, parseMrz } from '../../../device/mrz/index.ts';
import { type GeneratedMrz, MRZ_ALPHABET, MRZ_GEN_TODAY, mrzDocument } from '../../support/mrz-gen.ts';

const today = MRZ_GEN_TODAY;

/** 0-9, A-Z 10-35, '<' 0 (ICAO 9303-3 §4.9). */
const charValue = (c: string): number => (c === '<' ? 0 : Number.parseInt(c, 36));

type Kind = 'alnum' | 'numeric' | 'check';
interface Cell {
  readonly line: number;
  readonly column: number;
  readonly kind: Kind;
}

const cells = (line: number, from: number, to: number, kind: Kind): Cell[] =>
  Array.from({ length: to - from }, (_, i) => ({ line, column: from + i, kind }));

/** Every position of a field protected by a check digit (value characters and check characters). */
function checkedCells(doc: GeneratedMrz): Cell[] {
  const { format, expected } = doc;
  if (format === 'TD1') {
    const continuation = expected.longDocumentNumber ? expected.documentNumber.length - 9 : 0;
    const number = expected.longDocumentNumber
      ? [
          ...cells(0, 5, 14, 'alnum'),
          ...cells(0, 15, 15 + continuation, 'alnum'),
          ...cells(0, 15 + continuation, 16 + continuation, 'check'),
        ]
      : [...cells(0, 5, 14, 'alnum'), ...cells(0, 14, 15, 'check')];
    return [
      ...number,
      ...cells(1, 0, 6, 'numeric'),
      ...cells(1, 6, 7, 'check'),
      ...cells(1, 8, 14, 'numeric'),
      ...cells(1, 14, 15, 'check'),
      ...cells(1, 29, 30, 'check'),
    ];
  }
  const out = [
    ...cells(1, 0, 9, 'alnum'),
    ...cells(1, 9, 10, 'check'),
    ...cells(1, 13, 19, 'numeric'),
    ...cells(1, 19, 20, 'check'),
    ...cells(1, 21, 27, 'numeric'),
    ...cells(1, 27, 28, 'check'),
  ];
  if (format === 'TD3' && expected.optionalData[0] !== '')
    out.push(...cells(1, 28, 42, 'alnum'), ...cells(1, 42, 43, 'check'));
  if (format === 'TD3') out.push(...cells(1, 43, 44, 'check'));
  if (format === 'TD2') out.push(...cells(1, 35, 36, 'check'));
  return out;
}

const replaceAt = (lines: readonly string[], cell: Cell, char: string): string[] =>
  lines.map((l, i) => (i === cell.line ? l.slice(0, cell.column) + char + l.slice(cell.column + 1) : l));

describe('generated valid documents', () => {
  it('parse back to their fields, valid, with the expected verdicts', () => {
    fc.assert(
      fc.property(mrzDocument(), (doc) => {
        const r = parseMrz(doc.lines, { today });
        const e = doc.expected;
        expect(r.errors).toEqual([]);
        expect(r.valid).toBe(true);
        expect(r.format).toBe(doc.format);
        expect({
          documentCode: r.documentCode,
          issuingState: r.issuingState,
          documentNumber: r.documentNumber,
          nationality: r.nationality,
          birthDate: r.birthDate,
          expiryDate: r.expiryDate,
          sex: r.sex,
          lastName: r.lastName,
          firstNames: r.firstNames,
          optionalData: r.optionalData,
          checks: r.checks,
        }).toEqual({
          documentCode: e.documentCode,
          issuingState: e.issuingState,
          documentNumber: e.documentNumber,
          nationality: e.nationality,
          birthDate: e.birthDate,
          expiryDate: e.expiryDate,
          sex: e.sex,
          lastName: e.lastName,
          firstNames: e.firstNames,
          optionalData: e.optionalData,
          checks: e.checks,
        });
        expect(r.suggestions).toEqual([]);
        expect(classifyMrzLines(doc.lines)).toEqual({ state: 'complete', format: doc.format });
        expect(classifyMrzLines(doc.lines.slice(0, -1))).toEqual({ state: 'partial' });
      }),
      { numRuns: 500 },
    );
  });

  it('resolve to the same fields for any today from 2020 to 2030', () => {
    fc.assert(
      fc.property(
        mrzDocument(),
        fc.date({
          min: new Date('2020-01-01T00:00:00Z'),
          max: new Date('2030-12-31T23:59:59Z'),
          noInvalidDate: true,
        }),
        (doc, day) => {
          const r = parseMrz(doc.lines, { today: day });
          expect(r.birthDate).toBe(doc.expected.birthDate);
          expect(r.expiryDate).toBe(doc.expected.expiryDate);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('single-character changes in checked fields', () => {
  it('are detected (except the changes no 7-3-1 check digit can see: values 10, 20, 30 apart)', () => {
    const arb = mrzDocument().chain((doc) =>
      fc.tuple(
        fc.constant(doc),
        fc.constantFrom(...checkedCells(doc)),
        fc.constantFrom(...MRZ_ALPHABET.split('')),
      ),
    );
    fc.assert(
      fc.property(arb, ([doc, cell, char]) => {
        const old = doc.lines[cell.line]?.charAt(cell.column) ?? '';
        fc.pre(char !== old);
        // In an alphanumeric field, 0, A, K, U and < (values 0, 10, 20, 30) weigh the same modulo 10.
        if (cell.kind === 'alnum') fc.pre((charValue(char) - charValue(old)) % 10 !== 0);
        // A < in the document number's check digit of a TD1 or TD2 marks a long document number
        // (ICAO 9303-5 and -6): the number is then read on into the optional data, another reading
        // of the same lines that checks out whenever the optional data happens to end as one does.
        const numberCheck =
          (doc.format === 'TD1' && cell.line === 0 && cell.column === 14) ||
          (doc.format === 'TD2' && cell.line === 1 && cell.column === 9);
        fc.pre(!(numberCheck && char === '<'));
        const r = parseMrz(replaceAt(doc.lines, cell, char), { today });
        expect(r.valid).toBe(false);
        expect(r.errors.length).toBeGreaterThan(0);
      }),
      { numRuns: 2000 },
    );
  });

  it('offered suggestions always make the failing check digit hold, and are never applied', () => {
    const swaps: Record<string, string> = {
      '0': 'O',
      '1': 'I',
      '8': 'B',
      '5': 'S',
      '2': 'Z',
      '6': 'G',
      O: '0',
      I: '1',
      B: '8',
      S: '5',
      Z: '2',
      G: '6',
    };
    const arb = mrzDocument().chain((doc) => {
      const candidates = checkedCells(doc).filter(
        (c) => swaps[doc.lines[c.line]?.charAt(c.column) ?? ''] !== undefined,
      );
      return fc.tuple(
        fc.constant(doc),
        candidates.length > 0 ? fc.constantFrom(...candidates) : fc.constant(null),
      );
    });
    fc.assert(
      fc.property(arb, ([doc, cell]) => {
        fc.pre(cell !== null);
        if (cell === null) return;
        const old = doc.lines[cell.line]?.charAt(cell.column) ?? '';
        const garbled = replaceAt(doc.lines, cell, swaps[old] as string);
        const r = parseMrz(garbled, { today });
        expect(r.suggestions.length).toBeLessThanOrEqual(r.errors.length);
        for (const s of r.suggestions) {
          const fixed = replaceAt(
            garbled,
            { line: s.line - 1, column: s.column - 1, kind: 'check' },
            s.replacement,
          );
          const after = parseMrz(fixed, { today });
          expect(after.checks[s.field]).toBe('ok');
          expect(garbled[s.line - 1]?.charAt(s.column - 1)).toBe(s.found);
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe('never throws', () => {
  const check = (input: unknown) => {
    const r = parseMrz(input as string, { today });
    expect(typeof r.valid).toBe('boolean');
    expect(r.valid).toBe(r.errors.length === 0);
    expect(() => JSON.stringify(r)).not.toThrow();
  };

  it('on random unicode strings and arrays of them', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), check), { numRuns: 500 });
    fc.assert(fc.property(fc.array(fc.string({ unit: 'binary', maxLength: 60 }), { maxLength: 5 }), check), {
      numRuns: 500,
    });
  });

  it('on random bytes read as text', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => check(Buffer.from(bytes).toString('latin1'))),
      { numRuns: 500 },
    );
  });

  it('on random lines of MRZ characters in the shapes of every format', () => {
    const shaped = fc.constantFrom([3, 30], [2, 36], [2, 44]).chain(([n, len]) =>
      fc.array(
        fc.string({
          unit: fc.constantFrom(...`${MRZ_ALPHABET}IDFRAV`.split('')),
          minLength: len,
          maxLength: len,
        }),
        {
          minLength: n,
          maxLength: n,
        },
      ),
    );
    fc.assert(fc.property(shaped, check), { numRuns: 2000 });
  });

  it('on generated documents with random characters replaced, cut or added', () => {
    const arb = fc.tuple(
      mrzDocument(),
      fc.nat(),
      fc.nat(),
      fc.string({ unit: 'binary', maxLength: 3 }),
      fc.boolean(),
    );
    fc.assert(
      fc.property(arb, ([doc, lineIndex, column, text, cut]) => {
        const lines = [...doc.lines];
        const i = lineIndex % lines.length;
        const line = lines[i] ?? '';
        const at = column % (line.length + 1);
        lines[i] = cut ? line.slice(0, at) + text : line.slice(0, at) + text + line.slice(at + 1);
        check(lines);
      }),
      { numRuns: 1000 },
    );
  });
});
