/** Inputs and results of the document builders. Plain data: the caller supplies clock values and text. */

/** Language codes used project-wide; `de-x-ls` is German in plain language (Leichte Sprache). */
export type LanguageCode = string;

/** The case types the authority offers at the terminal; their texts live in the locale files. */
export const CASE_TYPES = [
  'residence-permit-extension',
  'electronic-residence-permit',
  'declaration-of-commitment-private',
  'declaration-of-commitment-company',
  /** A call-back from the phone service centre: nothing to bring, so its receipt has no "bring" list. */
  'callback-request',
] as const;
export type CaseType = (typeof CASE_TYPES)[number];

export type PaperSize = 'a4' | 'roll80';

export type DocumentResult =
  | { readonly ok: true; readonly value: Uint8Array }
  | { readonly ok: false; readonly error: { readonly code: DocumentErrorCode; readonly message: string } };

export type DocumentErrorCode =
  | 'document.unknown_language'
  | 'document.unknown_case_type'
  | 'document.invalid_tracking_number'
  | 'document.failed';

export interface ReceiptInput {
  /** The tracking number the sync layer assigned when the submission was committed. */
  readonly trackingNumber: string;
  readonly caseType: CaseType;
  /** When the application was committed (from the injected clock). */
  readonly submittedAt: Date;
  /** Where the terminal stands, e.g. "Bürgerbüro Mitte, Erdgeschoss" (from configuration). */
  readonly terminalLocation: string;
  /** The visitor's language. */
  readonly language: LanguageCode;
  /** True while the application waits in the offline queue. */
  readonly queuedOffline: boolean;
  readonly paper: PaperSize;
}

/** One labelled value of a submission, as shown to the authority. */
export interface SummaryField {
  readonly label: string;
  /** Display value; several lines allowed. Empty values are shown as a dash. */
  readonly value: string;
}

export interface SummarySection {
  readonly title: string;
  readonly fields: readonly SummaryField[];
}

/** The application summary attached to a sealed submission (always German, always A4). */
export interface SummaryInput {
  readonly trackingNumber: string;
  /** Display name of the service, in German. */
  readonly serviceName: string;
  readonly submittedAt: Date;
  readonly terminalId: string;
  readonly terminalLocation: string;
  /** The language the visitor used at the terminal. */
  readonly visitorLanguage: LanguageCode;
  readonly sections: readonly SummarySection[];
}

export interface ActivationInput {
  /** The service account's user name or e-mail address as the visitor knows it. */
  readonly accountName: string;
  readonly activatedAt: Date;
  readonly terminalLocation: string;
  readonly language: LanguageCode;
  readonly paper: PaperSize;
}

export interface InfoSheetInput {
  readonly caseType: CaseType;
  readonly language: LanguageCode;
  /** Printing date shown as "as of" (from the injected clock). */
  readonly printedAt: Date;
}
