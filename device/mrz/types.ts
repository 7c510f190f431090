/** The public shapes of device/mrz. A result's JSON form is what `kiosk mrz` prints. */

export type MrzFormat = 'TD1' | 'TD2' | 'TD3' | 'MRVA' | 'MRVB' | 'FRENCH_ID';

/** `ok`: the check digit holds; `bad`: it does not; `absent`: the field is empty and its check digit is `<`. */
export type CheckVerdict = 'ok' | 'bad' | 'absent';

/** Fields protected by a check digit. Which of them a format has: see README.md. */
export type CheckedField = 'documentNumber' | 'birthDate' | 'expiryDate' | 'personalNumber' | 'composite';

export type MrzSex = 'M' | 'F' | 'X' | '<';

/** An error or a warning: `code` is stable (a UI translates it), `message` is English for logs and tools. */
export interface MrzIssue {
  readonly code: string;
  readonly message: string;
  /** The field concerned, where there is one. */
  readonly field?: string;
}

/**
 * A reading the parser offers but never applies: one character that OCR typically confuses
 * (O/0, I/1, B/8, S/5, Z/2, G/6), the only such substitution that makes the field's check digit hold.
 */
export interface MrzSuggestion {
  readonly field: CheckedField;
  /** The field as it reads with the substitution (dates as YYYY-MM-DD when they resolve). */
  readonly value: string;
  readonly reason: string;
  /** 1-based line and column of the character to substitute. */
  readonly line: number;
  readonly column: number;
  readonly found: string;
  readonly replacement: string;
}

export interface MrzResult {
  readonly valid: boolean;
  readonly format: MrzFormat | null;
  readonly documentCode: string | null;
  readonly issuingState: string | null;
  readonly documentNumber: string | null;
  readonly nationality: string | null;
  /** YYYY-MM-DD, or null when absent, partly unknown or invalid. */
  readonly birthDate: string | null;
  /** YYYY-MM-DD, or null when absent, invalid, or not in the format (FRENCH_ID). */
  readonly expiryDate: string | null;
  readonly sex: MrzSex | null;
  readonly lastName: string | null;
  /** Given names joined by one space. */
  readonly firstNames: string | null;
  /**
   * The optional data fields in MRZ order, fillers at both ends stripped: TD1 [line 1, line 2],
   * TD2/MRVA/MRVB [line 2], TD3 [personal number], FRENCH_ID [administrative code].
   */
  readonly optionalData: readonly string[];
  readonly checks: Readonly<Partial<Record<CheckedField, CheckVerdict>>>;
  readonly errors: readonly MrzIssue[];
  readonly warnings: readonly MrzIssue[];
  readonly suggestions: readonly MrzSuggestion[];
}

export interface ParseMrzOptions {
  /** The reference day for century resolution and expiry warnings (its UTC date); default: now. */
  readonly today?: Date;
}
