/** Inputs and results of the document builders. Plain data: the caller supplies clock values and text. */
import type { Result } from '../../common/result.ts';
import type { AuthorityFacts } from '../authority.ts';

export type { AuthorityFacts } from '../authority.ts';

/** Language codes used project-wide; `de-x-ls` is German in plain language (Leichte Sprache). */
export type LanguageCode = string;

/** The case types the authority offers at the terminal; their texts live in the locale files. */
export const CASE_TYPES = [
  /** A residence permit for the first time (or for a new purpose). Receipts only: no information sheet. */
  'residence-permit-first',
  'residence-permit-extension',
  /** Only a new card (eAT) for a title the visitor holds. */
  'electronic-residence-permit',
  'declaration-of-commitment-private',
  'declaration-of-commitment-company',
  /** A call-back from the phone service centre: nothing to bring, so its receipt has no "bring" list. */
  'callback-request',
  /** The tracks of issue 15, receipts only (no information sheet yet). */
  'settlement-permit',
  'eu-long-term-residence',
  'residence-card-eu-family',
  'temporary-protection',
] as const;
export type CaseType = (typeof CASE_TYPES)[number];

/** Cases printed on receipts only: they have no information sheet. */
export const RECEIPT_ONLY_CASES: readonly CaseType[] = [
  'residence-permit-first',
  'settlement-permit',
  'eu-long-term-residence',
  'residence-card-eu-family',
  'temporary-protection',
];

/** Things a visitor brings (core/documents/checklists.ts says which, per case). */
export const CHECKLIST_ITEMS = [
  'passport',
  'currentTitle',
  /** The photo rule in force since 1 May 2025: a digital photo code or the photo taken at the authority. */
  'photoCode',
  'incomeInsurance',
  'tenancy',
  'purposeDocuments',
  'policeReport',
  'policeReportIfLost',
  'identity',
  'payslips',
  'rental',
  'guestPassportCopy',
  'registerExtract',
  'authorisation',
  'solvency',
  'callbackTracking',
  'callbackDocument',
  'callbackLetters',
  'fee',
  'feeUpTo',
  'pensionRecord',
  'germanCertificate',
  'unionCitizenDocuments',
  'relationshipProof',
  'protectionProof',
  /** The employer's "Erklärung zum Beschäftigungsverhältnis" (employment purpose, E20). */
  'employmentDeclaration',
] as const;
export type ChecklistItem = (typeof CHECKLIST_ITEMS)[number];

export type PaperSize = 'a4' | 'roll80';

export type DocumentResult = Result<Uint8Array, DocumentErrorCode>;

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
  /** Answers that shape the bring-list (a lost card needs the police certificate). */
  readonly answers: { readonly cardReason?: string | undefined; readonly purpose?: string | undefined };
  /** The installation's facts: fees, the service centre's number and hours. */
  readonly authority: AuthorityFacts;
  /**
   * The documents handed in at the terminal with the application (with their page counts) and
   * those still missing; left out where the terminal takes no documents.
   */
  readonly documents?: {
    readonly handedIn: readonly { readonly itemId: ChecklistItem; readonly pages: number }[];
    readonly missing: readonly ChecklistItem[];
  };
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
  /** The service portal the visitor signs in at. */
  readonly authority: AuthorityFacts;
}

export interface InfoSheetInput {
  readonly caseType: CaseType;
  readonly language: LanguageCode;
  /** Printing date shown as "as of" (from the injected clock). */
  readonly printedAt: Date;
  readonly authority: AuthorityFacts;
  /** The terminal's paper; A4 unless it has only a receipt printer (roll80). */
  readonly paper?: PaperSize;
}
