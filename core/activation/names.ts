/**
 * Does the name read from an identity document belong to the service account? Both sides are
 * brought into the form the MRZ uses (ICAO 9303 part 3, section 6: Latin capitals, diacritics
 * transliterated, Cyrillic and Greek transliterated by the ICAO tables) and compared as sets of
 * name parts, because a person may have registered "first last" and the document says
 * "LAST<<FIRST".
 *
 * A document may carry more given names than the account (people leave middle names out when
 * they register), but every part of the document's surname and every part of the account's name
 * must be found on the other side. A name the issuer truncated to fit the MRZ matches by prefix.
 */

/** Latin letters with diacritics whose ICAO transliteration is not just the base letter. */
const LATIN_SPECIAL: Readonly<Record<string, readonly string[]>> = {
  Ä: ['AE', 'A'],
  Å: ['AA', 'A'],
  Æ: ['AE'],
  Ö: ['OE', 'O'],
  Ø: ['OE'],
  Ü: ['UE', 'U'],
  ß: ['SS'],
  ẞ: ['SS'],
  Þ: ['TH'],
  Ð: ['D'],
  Đ: ['D'],
  Ł: ['L'],
  Ĳ: ['IJ'],
  Œ: ['OE'],
  Ñ: ['N', 'NXX'],
  ı: ['I'],
};

/** ICAO 9303 part 3, table for Cyrillic (Russian values; Ukrainian letters where they differ). */
const CYRILLIC: Readonly<Record<string, string>> = {
  А: 'A',
  Б: 'B',
  В: 'V',
  Г: 'G',
  Ґ: 'G',
  Д: 'D',
  Е: 'E',
  Ё: 'E',
  Є: 'IE',
  Ж: 'ZH',
  З: 'Z',
  И: 'I',
  І: 'I',
  Ї: 'I',
  Й: 'I',
  К: 'K',
  Л: 'L',
  М: 'M',
  Н: 'N',
  О: 'O',
  П: 'P',
  Р: 'R',
  С: 'S',
  Т: 'T',
  У: 'U',
  Ф: 'F',
  Х: 'KH',
  Ц: 'TS',
  Ч: 'CH',
  Ш: 'SH',
  Щ: 'SHCH',
  Ъ: 'IE',
  Ы: 'Y',
  Ь: '',
  Э: 'E',
  Ю: 'IU',
  Я: 'IA',
  Ў: 'U',
};

/** Where Ukrainian passports write a Cyrillic letter differently (national transliteration). */
const UKRAINIAN: Readonly<Record<string, string>> = {
  Г: 'H',
  И: 'Y',
  Х: 'KH',
  Й: 'I',
  Ю: 'IU',
  Я: 'IA',
  Є: 'IE',
  Ї: 'I',
};

/** ICAO 9303 part 3, table for Greek. */
const GREEK: Readonly<Record<string, string>> = {
  Α: 'A',
  Β: 'V',
  Γ: 'G',
  Δ: 'D',
  Ε: 'E',
  Ζ: 'Z',
  Η: 'I',
  Θ: 'TH',
  Ι: 'I',
  Κ: 'K',
  Λ: 'L',
  Μ: 'M',
  Ν: 'N',
  Ξ: 'X',
  Ο: 'O',
  Π: 'P',
  Ρ: 'R',
  Σ: 'S',
  Τ: 'T',
  Υ: 'Y',
  Φ: 'F',
  Χ: 'CH',
  Ψ: 'PS',
  Ω: 'O',
};

/**
 * The MRZ forms of a name written in any script: one per transliteration choice the tables allow
 * (Ä as AE or A, Cyrillic by the Russian or the Ukrainian values). At most a handful.
 */
export function mrzForms(name: string): string[] {
  const upper = name
    .normalize('NFD')
    .replace(/(\p{Script=Greek})\p{M}+/gu, '$1')
    .normalize('NFC')
    .toUpperCase()
    // Greek ΟΥ is one sound, written OU (ICAO 9303 part 3, table for Greek).
    .replace(/ΟΥ/g, 'OU');
  let forms = [''];
  for (const char of upper) {
    const options = transliterate(char);
    if (options.length === 1) {
      forms = forms.map((f) => f + options[0]);
    } else {
      forms = forms.flatMap((f) => options.map((o) => f + o)).slice(0, 16);
    }
  }
  const cleaned = forms.map(clean);
  if (/[ГИ]/u.test(upper))
    cleaned.push(clean([...upper].map((c) => UKRAINIAN[c] ?? transliterate(c)[0]).join('')));
  return [...new Set(cleaned.filter((f) => f !== ''))];
}

function transliterate(char: string): readonly string[] {
  const special = LATIN_SPECIAL[char];
  if (special) return special;
  const cyrillic = CYRILLIC[char];
  if (cyrillic !== undefined) return [cyrillic];
  const greek = GREEK[char.normalize('NFD').replace(/\p{M}/gu, '')];
  if (greek !== undefined) return [greek];
  const base = char.normalize('NFD').replace(/\p{M}/gu, '');
  return [base];
}

/** Capitals A–Z and single spaces: hyphens and fillers separate parts, apostrophes are dropped. */
function clean(value: string): string {
  return value
    .replace(/['’`]/g, '')
    .replace(/[^A-Z]+/g, ' ')
    .trim();
}

function parts(value: string): string[] {
  return value.split(' ').filter((p) => p.length > 0);
}

export interface DocumentName {
  /** As the document reader gives it (MRZ letters, fillers already turned into spaces). */
  readonly lastName: string;
  readonly firstNames: string;
  /** The MRZ name field is full: the issuer may have cut it. */
  readonly truncated: boolean;
}

export interface AccountName {
  /** The ICAO Latin form the portal keeps (as in the passport). */
  readonly latinName: string;
  /** As the person typed it when registering, in any script. */
  readonly displayName: string;
}

/** True when the document's name and the account's name are the same person's name. */
export function namesMatch(document: DocumentName, account: AccountName): boolean {
  // A clerk may have typed the name with its diacritics: the document side is transliterated too.
  const surnames = mrzForms(document.lastName).map(parts);
  const givens = document.firstNames.trim() === '' ? [[]] : mrzForms(document.firstNames).map(parts);
  const candidates = [...mrzForms(account.latinName), ...mrzForms(account.displayName)].map(parts);
  return surnames.some(
    (surname) =>
      surname.length > 0 &&
      givens.some((given) =>
        candidates.some((candidate) =>
          partsMatch([...surname, ...given], surname, candidate, document.truncated),
        ),
      ),
  );
}

function partsMatch(
  documentParts: readonly string[],
  surname: readonly string[],
  accountParts: readonly string[],
  truncated: boolean,
): boolean {
  if (accountParts.length === 0) return false;
  const same = (a: string, b: string) => a === b;
  // With a truncated field the last part of the document may be cut short.
  const last = documentParts.length - 1;
  const matches = (docIndex: number, accountPart: string) => {
    const doc = documentParts[docIndex] ?? '';
    return same(doc, accountPart) || (truncated && docIndex === last && accountPart.startsWith(doc));
  };
  const used = new Set<number>();
  for (const accountPart of accountParts) {
    const index = documentParts.findIndex((_, i) => !used.has(i) && matches(i, accountPart));
    if (index < 0) {
      // A part the truncated document no longer shows at all.
      if (truncated) continue;
      return false;
    }
    used.add(index);
  }
  // Every part of the surname must be in the account's name.
  return surname.every((_, i) => used.has(i));
}
