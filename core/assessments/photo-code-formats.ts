/**
 * The codes certified photo providers hand out since 1 May 2025, as data (photo-code.ts checks a
 * scanned code against them).
 *
 * What is public (PassV §§ 4–7, applied to the residence title by § 60 Abs. 2 AufenthV and § 6
 * Abs. 2 Satz 3 PassG; text as on gesetze-im-internet.de, mirror github.com/kmein/gesetze
 * laws/PassV-BJNR238610007.md): the provider uploads the photo to a cloud provider and gives the
 * visitor a code, with which the authority fetches it (§ 5 Abs. 1–2); the photo is bound to the
 * provider's pseudonym (§ 6 Abs. 5–6); the cloud deletes it at the latest six months after it
 * arrived (§ 7 Abs. 2). Providers print the code as a DataMatrix (some say QR) holding a token and
 * the photographer's pseudonym (e.g. foto-hoerl.de: "DataMatrix-Code mit einem Token (eindeutiger
 * Code)"; the transfer follows BSI TR-03170).
 *
 * What is not public: the byte layout of the code. The one format below is therefore a structure
 * this terminal defines and documents — prefix and version, provider, token, day of upload — not a
 * provider's real layout (`verified: false`). A real provider's layout is added as another entry
 * once the provider or the cloud operator gives it; until then a real code is reported as
 * `unknown_format` and the clerk reads it at the counter, as without a terminal.
 */

export interface PhotoCodeFormat {
  readonly id: string;
  readonly provider: string;
  /** Symbologies (device/aim.ts names) the code comes as. */
  readonly symbologies: readonly string[];
  /**
   * A regular expression over the whole text, with named groups `token` and `issued`
   * (YYYYMMDD, the day the photo reached the cloud) and optionally `provider`.
   */
  readonly pattern: string;
  readonly verified: boolean;
  readonly source: string;
}

export const photoCodeFormats: readonly PhotoCodeFormat[] = [
  {
    id: 'epb1',
    provider: 'structure defined by this terminal (provider id in the code)',
    symbologies: ['datamatrix', 'gs1-datamatrix', 'qr', 'gs1-qr'],
    pattern: '^EPB1\\*(?<provider>[A-Z0-9]{2,12})\\*(?<token>[A-Z0-9]{16,64})\\*(?<issued>\\d{8})$',
    verified: false,
    source: 'core/assessments/photo-code-formats.ts (assumed structure; the providers’ layout is not public)',
  },
];

export const photoCodeRules = {
  /** The cloud deletes a photo six months after it arrived (PassV § 7 Abs. 2). */
  maxAgeMonths: 6,
  /** Fewer days left than this: still usable, but the visitor is told it expires soon. */
  warnDaysBeforeEnd: 14,
  /** Longest text taken as a code at all. */
  maxLength: 512,
  reference: '§ 7 Abs. 2 PassV i. V. m. § 60 Abs. 2 AufenthV',
} as const;
