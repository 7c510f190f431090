/**
 * Every specimen of test/fixtures/mrz-specimens.json (published specimen MRZs with their expected
 * fields and per-field verdicts, and deliberately corrupted copies that must be invalid).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type CheckVerdict, type MrzFormat, parseMrz } from '../../../device/mrz/index.ts';

interface Specimen {
  readonly id: string;
  readonly format: string;
  readonly lines: readonly string[];
  readonly valid: boolean;
  readonly checks: Readonly<Record<string, string>>;
  readonly expected: Readonly<Record<string, string | boolean | null>>;
  readonly issues: readonly string[];
}

const specimens = JSON.parse(
  readFileSync(new URL('../../fixtures/mrz-specimens.json', import.meta.url), 'utf8'),
) as Specimen[];

const TODAY = new Date(Date.UTC(2025, 5, 15));

const formatOf = (f: string): MrzFormat => (f === 'FRENCH_NATIONAL_ID' ? 'FRENCH_ID' : (f as MrzFormat));

/** The fixture writes 'ok' or 'expected X, found Y'; an empty field with '<' as its check digit is 'absent' here. */
function expectedChecks(s: Specimen, personalNumberEmpty: boolean): Record<string, CheckVerdict> {
  const out: Record<string, CheckVerdict> = {};
  for (const [key, value] of Object.entries(s.checks)) {
    if (key === 'longDocNumberVariant') continue;
    const field = key === 'longDocNumber' ? 'documentNumber' : key;
    let verdict: CheckVerdict = value === 'ok' ? 'ok' : 'bad';
    if (field === 'personalNumber' && personalNumberEmpty && s.lines[1]?.charAt(42) === '<')
      verdict = 'absent';
    out[field] = verdict;
  }
  return out;
}

/** YYMMDD of an ISO date, or the raw value for what the parser reports as null. */
const yymmdd = (iso: string | null): string | null =>
  iso === null ? null : iso.slice(2).replaceAll('-', '');

describe('published specimens', () => {
  it('the fixture holds specimens of every format, valid and invalid', () => {
    const formats = new Set(specimens.map((s) => formatOf(s.format)));
    expect([...formats].sort()).toEqual(['FRENCH_ID', 'MRVA', 'MRVB', 'TD1', 'TD2', 'TD3']);
    expect(specimens.filter((s) => !s.valid).length).toBeGreaterThan(10);
  });

  for (const s of specimens) {
    it(`${s.id}: ${s.valid ? 'valid' : 'invalid'} ${s.format}`, () => {
      const r = parseMrz(s.lines, { today: TODAY });
      expect(r.format).toBe(formatOf(s.format));
      expect(r.valid).toBe(s.valid);
      expect(r.valid).toBe(r.errors.length === 0);
      const e = s.expected;
      const personalNumberEmpty = e.personalNumber === '';
      expect(r.checks).toEqual(expectedChecks(s, personalNumberEmpty));
      if (!s.valid) {
        expect(r.errors.length).toBeGreaterThan(0);
        for (const [field, verdict] of Object.entries(r.checks)) {
          if (verdict === 'bad')
            expect(r.errors.some((x) => x.code === 'mrz.check_digit' && x.field === field)).toBe(true);
        }
      }
      // Corrupted copies ("--derived") carry the fields of their uncorrupted original.
      if (s.id.includes('--derived')) return;
      expect(r.documentCode).toBe(e.documentCode);
      expect(r.issuingState).toBe(e.issuingState);
      expect(r.documentNumber).toBe(e.documentNumber);
      expect(r.nationality).toBe(e.nationality);
      expect(r.sex).toBe(e.sex);
      expect(r.lastName).toBe(e.lastName);
      expect(r.firstNames).toBe(e.firstNames);
      const birthKnown =
        /^[0-9]{6}$/.test(String(e.birthDate)) && r.errors.every((x) => x.code !== 'mrz.date_invalid');
      if (birthKnown) expect(yymmdd(r.birthDate)).toBe(e.birthDate);
      else expect(r.birthDate).toBeNull();
      if (e.expiryDate === null) expect(r.expiryDate).toBeNull();
      else if (/^[0-9]{6}$/.test(String(e.expiryDate)) && r.expiryDate !== null) {
        expect(yymmdd(r.expiryDate)).toBe(e.expiryDate);
      }
      const optional = r.format === 'TD3' ? [e.personalNumber] : [e.optionalData1, e.optionalData2];
      expect(r.optionalData).toEqual(optional.filter((x) => x !== undefined));
      if (e.nameTruncated !== undefined) {
        expect(r.warnings.some((w) => w.code === 'mrz.name_truncated')).toBe(e.nameTruncated);
      }
      if (s.valid && s.issues.length > 0) expect(r.warnings.length).toBeGreaterThan(0);
    });
  }

  it('the German 2021 ID card with O/I/E transcription errors stays invalid, never silently corrected', () => {
    const s = specimens.find((x) => x.id === 'de-idcard-2021-bad-transcription');
    const r = parseMrz(s?.lines ?? [], { today: TODAY });
    expect(r.valid).toBe(false);
    expect(r.documentNumber).toBe('LOIXPVMEJ');
  });
});
