import { describe, expect, it } from 'vitest';
import { mrzForms, namesMatch } from '../../../core/activation/names.ts';

const doc = (lastName: string, firstNames: string, truncated = false) => ({
  lastName,
  firstNames,
  truncated,
});
const account = (latinName: string, displayName = latinName) => ({ latinName, displayName });

describe('MRZ forms of a name (ICAO 9303 part 3 transliteration)', () => {
  it.each([
    ['Müller', ['MUELLER', 'MULLER']],
    ['Straße', ['STRASSE']],
    ['Ayşe Yılmaz', ['AYSE YILMAZ']],
    ['Øster-Ålund', ['OESTER AALUND', 'OESTER ALUND']],
    ['Олександр Шевченко', ['OLEKSANDR SHEVCHENKO']],
    ['Григорий', ['GRIGORII', 'HRYHORYI']],
    ['Γεώργιος Παπαδόπουλος', ['GEORGIOS PAPADOPOULOS']],
    ["D'Angelo", ['DANGELO']],
    ['محمد', []],
  ])('%s → %j', (name, forms) => {
    expect(mrzForms(name)).toEqual(forms);
  });
});

describe('does the document name belong to the account?', () => {
  it.each([
    ['same parts, other order', doc('YILMAZ', 'AYSE'), account('AYSE YILMAZ', 'Ayşe Yılmaz'), true],
    [
      'only the display name in Cyrillic',
      doc('SHEVCHENKO', 'OLEKSANDR'),
      account('', 'Олександр Шевченко'),
      true,
    ],
    [
      'umlaut written as AE on the passport',
      doc('MUELLER', 'JOERG'),
      account('MUELLER JOERG', 'Jörg Müller'),
      true,
    ],
    ['umlaut written as A on an older document', doc('MULLER', 'JORG'), account('', 'Jörg Müller'), true],
    [
      'a middle name only on the document',
      doc('GARCIA LOPEZ', 'MARIA JOSE'),
      account('MARIA GARCIA LOPEZ'),
      true,
    ],
    [
      'part of the surname missing in the account',
      doc('GARCIA LOPEZ', 'MARIA'),
      account('MARIA GARCIA'),
      false,
    ],
    ['another person', doc('YILMAZ', 'MEHMET'), account('AYSE YILMAZ'), false],
    ['a given name the document does not have', doc('YILMAZ', 'AYSE'), account('AYSE NUR YILMAZ'), false],
    ['a clerk typed it with diacritics', doc('Yılmaz', 'Ayşe'), account('AYSE YILMAZ'), true],
    [
      'truncated by the issuer',
      doc('PAPADOPOULOS', 'GEORGIOS KONSTANTI', true),
      account('GEORGIOS KONSTANTINOS PAPADOPOULOS'),
      true,
    ],
    [
      'the same cut short without the truncation mark',
      doc('PAPADOPOULOS', 'GEORGIOS KONSTANTI'),
      account('GEORGIOS KONSTANTINOS PAPADOPOULOS'),
      false,
    ],
    ['no surname at all', doc('', 'AYSE'), account('AYSE'), false],
  ])('%s', (_case, document, acc, expected) => {
    expect(namesMatch(document, acc)).toBe(expected);
  });
});
