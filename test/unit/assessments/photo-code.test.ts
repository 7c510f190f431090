import { describe, expect, it } from 'vitest';
import { checkPhotoCode, photoWithoutCode } from '../../../core/assessments/photo-code.ts';
import type { PhotoCodeFormat } from '../../../core/assessments/photo-code-formats.ts';
import { defaultAuthorityFacts } from '../../../core/authority.ts';

const on = (date: string): number => Date.parse(`${date}T11:00:00Z`);
const TOKEN = 'K7Q2M9X4P8R3T6W1';
const code = (issued: string, provider = 'ALFO') => `EPB1*${provider}*${TOKEN}*${issued}`;
const check = (text: string, date = '2026-12-10', symbology = 'datamatrix') =>
  checkPhotoCode({ text, symbology }, { at: on(date) });

describe('a certified photo provider’s code', () => {
  it('in the known structure, read as DataMatrix, gives the reference to attach', () => {
    expect(check(code('20261201'))).toEqual({
      outcome: 'ok',
      reference: {
        format: 'epb1',
        provider: 'ALFO',
        token: TOKEN,
        issuedOn: '2026-12-01',
        usableUntil: '2027-05-31',
      },
      daysLeft: 172,
      expiresSoon: false,
    });
  });

  it('read as QR too, with the spaces a reader adds around it', () => {
    expect(check(`  ${code('20261201')}\r\n`, '2026-12-10', 'qr').outcome).toBe('ok');
  });

  it('is usable until the day before six months are over (the cloud deletes it then, PassV § 7 Abs. 2)', () => {
    // uploaded 11 June: gone on 11 December, usable through 10 December
    expect(check(code('20260611'))).toMatchObject({
      outcome: 'ok',
      daysLeft: 0,
      expiresSoon: true,
      reference: { usableUntil: '2026-12-10' },
    });
    expect(check(code('20260610'))).toEqual({
      outcome: 'too_old',
      issuedOn: '2026-06-10',
      usableUntil: '2026-12-09',
      reference: '§ 7 Abs. 2 PassV i. V. m. § 60 Abs. 2 AufenthV',
    });
  });

  it('at the end of a month counts to the last day of the shorter month', () => {
    // 31 August + 6 months = 28 February 2027: usable through 27 February
    expect(check(code('20260831'), '2027-02-27')).toMatchObject({ outcome: 'ok', daysLeft: 0 });
    expect(check(code('20260831'), '2027-02-28')).toMatchObject({
      outcome: 'too_old',
      usableUntil: '2027-02-27',
    });
  });

  it('warns two weeks before the end', () => {
    expect(check(code('20260624'))).toMatchObject({ outcome: 'ok', daysLeft: 13, expiresSoon: true });
    expect(check(code('20260625'))).toMatchObject({ outcome: 'ok', daysLeft: 14, expiresSoon: false });
  });

  it('refuses a day that does not exist or lies ahead', () => {
    expect(check(code('20261332'))).toEqual({ outcome: 'invalid_issue_date' });
    expect(check(code('20261211'))).toEqual({ outcome: 'issued_in_future', issuedOn: '2026-12-11' });
  });

  it('takes the Berlin day: uploaded "today" late in the UTC evening is not in the future', () => {
    const late = checkPhotoCode(
      { text: code('20261211'), symbology: 'datamatrix' },
      { at: Date.parse('2026-12-10T23:30:00Z') },
    );
    expect(late.outcome).toBe('ok');
  });

  it('is another symbology or another text: no reference', () => {
    expect(check(code('20261201'), '2026-12-10', 'ean-13')).toEqual({
      outcome: 'wrong_symbology',
      symbology: 'ean-13',
    });
    for (const text of [
      'https://stadt.example/termin?id=42',
      'ST1:ST-9G7D352Q37N',
      `EPB1*ALFO*${TOKEN.toLowerCase()}*20261201`,
      `EPB1*ALFO*SHORT*20261201`,
      `EPB2*ALFO*${TOKEN}*20261201`,
      '',
      'X'.repeat(600),
    ]) {
      expect(check(text)).toEqual({ outcome: 'unknown_format' });
    }
  });

  it('recognises further provider formats added as data', () => {
    const provider: PhotoCodeFormat = {
      id: 'example-cloud',
      provider: 'Example Cloud',
      symbologies: ['qr'],
      pattern: '^https://photo\\.example/c/(?<token>[a-z0-9]{20})\\?d=(?<issued>\\d{8})$',
      verified: false,
      source: 'test',
    };
    const result = checkPhotoCode(
      { text: 'https://photo.example/c/abcdefghij0123456789?d=20261130', symbology: 'qr' },
      { at: on('2026-12-10'), formats: [provider] },
    );
    expect(result).toMatchObject({
      outcome: 'ok',
      reference: {
        format: 'example-cloud',
        provider: null,
        token: 'abcdefghij0123456789',
        issuedOn: '2026-11-30',
      },
    });
  });
});

describe('without a code', () => {
  it('names the authority’s photo station and the fee of § 48 Abs. 1 Satz 1 Nr. 16 AufenthV', () => {
    expect(
      photoWithoutCode({
        at: on('2026-12-10'),
        authority: defaultAuthorityFacts,
        applicant: { ageYears: 30 },
      }),
    ).toEqual({
      station: { place: 'Servicebereich Mitte, Fotostation' },
      fee: expect.objectContaining({
        ok: true,
        value: expect.objectContaining({ amountCents: 600, reference: '§ 48 Abs. 1 Satz 1 Nr. 16 AufenthV' }),
      }),
    });
  });

  it('says so where the authority takes no photos', () => {
    expect(
      photoWithoutCode({
        at: on('2026-12-10'),
        authority: { ...defaultAuthorityFacts, photoStation: null },
        applicant: { ageYears: 30 },
      }),
    ).toEqual({ station: null, fee: null });
  });
});
