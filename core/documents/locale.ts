/**
 * Document texts, one JSON file per language in `locales/`. Adding a language is adding a file;
 * every file must carry every text (the schema rejects a file with a gap).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { Result } from '../../common/result.ts';
import {
  CASE_STATUSES,
  PICKUP_ITEMS,
  REJECTION_PROBLEMS,
  TICKET_STATUSES,
  TICKET_TOPICS,
} from '../../sync/protocol/index.ts';
import {
  CASE_TYPES,
  type CaseType,
  CHECKLIST_ITEMS,
  type ChecklistItem,
  type LanguageCode,
} from './types.ts';

const text = z.string().min(1);
const list = z.array(text).min(1);

/**
 * A case's words. What to bring is not here: it is the case's checklist (checklists.ts), one list
 * for the screen, the receipt and the sheet. Texts may use `{phone}`, `{hours}`, `{days}` and
 * `{portal}`: the installation's facts (core/authority.ts).
 */
const caseSchema = z.strictObject({
  name: text,
  nextSteps: list,
  /** The information sheet; a case without one is printed on receipts only. */
  sheet: z
    .strictObject({
      intro: text,
      sections: z.array(z.strictObject({ heading: text, paragraphs: list })).min(1),
    })
    .optional(),
});

/** One text for each of `keys`, no more and no fewer. */
function textsFor<const K extends string>(keys: readonly K[]) {
  return z.strictObject(Object.fromEntries(keys.map((k) => [k, text])) as Record<K, typeof text>);
}

/** What a status answer says: a case's status (or `queued`, still in the terminal) and its details. */
const STATUS_ANSWERS = ['queued', ...CASE_STATUSES] as const;

const statusSchema = z.strictObject({
  title: text,
  caseReference: text,
  /** `{date}`: when the case reached its status. */
  since: text,
  nextHeading: text,
  printedAt: text,
  headline: textsFor(STATUS_ANSWERS),
  next: textsFor(STATUS_ANSWERS),
  missingHeading: text,
  receivedHeading: text,
  dueBy: text,
  appointmentHeading: text,
  placeHeading: text,
  openingHoursHeading: text,
  bringHeading: text,
  readyBy: text,
  problemsHeading: text,
  bring: textsFor(PICKUP_ITEMS),
  problems: textsFor(REJECTION_PROBLEMS),
});

const ticketSchema = z.strictObject({
  title: text,
  ticketNumber: text,
  topicHeading: text,
  statusHeading: text,
  topics: textsFor(TICKET_TOPICS),
  status: textsFor(TICKET_STATUSES),
  constraintsHeading: text,
  titleExpires: text,
  travel: text,
  unsuitableDays: text,
  language: text,
  next: text,
  lookupHint: text,
});

export const localeSchema = z.strictObject({
  language: z.strictObject({
    code: text,
    /** The language's own name for itself. */
    name: text,
    direction: z.enum(['ltr', 'rtl']),
    /** BCP 47 tag for Intl date formatting. */
    intl: text,
  }),
  receipt: z.strictObject({
    title: text,
    /** While the application waits in the terminal's queue: not yet received by the authority. */
    titleQueued: text,
    trackingNumber: text,
    service: text,
    /** The filing time: when the visitor made the application at the terminal. */
    dateTime: text,
    location: text,
    nextSteps: text,
    bring: text,
    queuedOffline: text,
    qrHint: text,
    /** A call-back cannot be looked up at the terminal: the number is for the phone call. */
    callbackHint: text,
    keep: text,
    /** Residence permit receipts: this paper is not a Fiktionsbescheinigung. */
    notFiktion: text,
    serviceCentre: text,
    /** Documents handed in at the terminal with the application, and those still missing. */
    handedIn: text,
    stillMissing: text,
    /** A document's page count (`{count}`). */
    pageCount: text,
  }),
  activation: z.strictObject({
    title: text,
    intro: text,
    account: text,
    portal: text,
    activatedAt: text,
    location: text,
    nextStepsTitle: text,
    nextSteps: list,
    security: text,
  }),
  sheet: z.strictObject({
    infoTitle: text,
    checklistTitle: text,
    asOf: text,
    footer: text,
  }),
  /** Labels of the authority's application summary; only the German file needs them. */
  summary: z
    .strictObject({
      title: text,
      trackingNumber: text,
      service: text,
      submittedAt: text,
      terminal: text,
      visitorLanguage: text,
      empty: text,
      page: text,
    })
    .optional(),
  cases: z.strictObject(
    Object.fromEntries(CASE_TYPES.map((c) => [c, caseSchema])) as Record<CaseType, typeof caseSchema>,
  ),
  /** Every checklist item's words; `{fee}` and `{payment}` are filled from the configuration. */
  checklist: z.strictObject(
    Object.fromEntries(CHECKLIST_ITEMS.map((item) => [item, text])) as Record<ChecklistItem, typeof text>,
  ),
  payment: z.strictObject({ card: text, cardOrCash: text }),
  /** A case's status as the screen shows it and the status paper prints it. */
  status: statusSchema,
  /** A Service-Center ticket (an appointment wish) on screen and on paper. */
  ticket: ticketSchema,
  /** A queue ticket from the check-in in the building; `{area}`: where to wait. */
  queue: z.strictObject({
    title: text,
    number: text,
    headline: text,
    waitingArea: text,
    called: text,
    phone: text,
  }),
});

export type DocumentLocale = z.infer<typeof localeSchema>;

export type LocaleResult = Result<DocumentLocale, 'document.unknown_language'>;

export const LOCALES_DIR = join(dirname(fileURLToPath(import.meta.url)), 'locales');

/** All document languages, read and checked once. A broken file is a programming error: it throws at load. */
export class LocaleCatalog {
  private readonly locales: ReadonlyMap<LanguageCode, DocumentLocale>;

  constructor(locales: Iterable<DocumentLocale>) {
    this.locales = new Map([...locales].map((l) => [l.language.code, l]));
  }

  /** Reads every `<code>.json` in the folder and validates it against the schema. */
  static load(dir: string = LOCALES_DIR): LocaleCatalog {
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort();
    return new LocaleCatalog(files.map((f) => parseLocaleFile(join(dir, f), f.slice(0, -'.json'.length))));
  }

  get codes(): LanguageCode[] {
    return [...this.locales.keys()];
  }

  get(code: LanguageCode): LocaleResult {
    const locale = this.locales.get(code);
    if (locale) return { ok: true, value: locale };
    return {
      ok: false,
      error: { code: 'document.unknown_language', message: `No document texts for language "${code}"` },
    };
  }

  /** German: the authority's language, printed on every receipt. */
  get german(): DocumentLocale {
    const de = this.locales.get('de');
    if (!de) throw new Error('The document locales must include German (de.json)');
    return de;
  }
}

function parseLocaleFile(path: string, code: string): DocumentLocale {
  const parsed = localeSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success)
    throw new Error(`Locale file ${code}.json is invalid: ${z.prettifyError(parsed.error)}`);
  if (parsed.data.language.code !== code) {
    throw new Error(`Locale file ${code}.json declares language "${parsed.data.language.code}"`);
  }
  return parsed.data;
}

let shared: LocaleCatalog | undefined;

/** The catalog of the shipped locale files, loaded on first use. */
export function defaultCatalog(): LocaleCatalog {
  shared ??= LocaleCatalog.load();
  return shared;
}

/** Date and time in Europe/Berlin, written the way the language writes it. */
export function formatDateTime(date: Date, locale: DocumentLocale): string {
  return new Intl.DateTimeFormat(locale.language.intl, {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: 'Europe/Berlin',
  }).format(date);
}

export function formatDate(date: Date, locale: DocumentLocale): string {
  return new Intl.DateTimeFormat(locale.language.intl, {
    dateStyle: 'long',
    timeZone: 'Europe/Berlin',
  }).format(date);
}
