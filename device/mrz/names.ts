/** Names of the holder (ICAO Doc 9303 part 3 §4.6): primary and secondary identifiers. */

export interface NameReading {
  /** Primary identifier (surname), components joined by one space. */
  readonly lastName: string;
  /** Secondary identifiers (given names) joined by one space. */
  readonly firstNames: string;
  /** The field is filled to its last character: the issuer may have truncated the name. */
  readonly truncated: boolean;
  /** Characters other than A-Z and the filler (typically OCR noise such as 0 for O). */
  readonly foreignCharacters: boolean;
}

const words = (text: string): string =>
  text
    .split('<')
    .filter((w) => w.length > 0)
    .join(' ');

/** Reads a name field: primary identifier, `<<`, secondary identifiers; `<` between components. */
export function readName(field: string): NameReading {
  const separator = field.indexOf('<<');
  const primary = separator === -1 ? field : field.slice(0, separator);
  const secondary = separator === -1 ? '' : field.slice(separator + 2);
  return {
    lastName: words(primary),
    firstNames: words(secondary),
    truncated: field.length > 0 && !field.endsWith('<'),
    foreignCharacters: /[^A-Z<]/.test(field),
  };
}

/** Reads a field that holds only one kind of identifier (components separated by one or more fillers). */
export function readNameComponents(field: string): string {
  return words(field);
}
