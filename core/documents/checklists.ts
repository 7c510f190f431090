/**
 * What a visitor brings, per request type: one list for the journey's checklist step on screen,
 * the receipt's "please bring" and the information sheet's checklist. The items are ids; their
 * words live once per language in the document locales (`checklist`), and the city's facts (fees,
 * how to pay) come from the installation's configuration.
 */
import { type DocumentLocale, defaultCatalog, type LocaleCatalog } from './locale.ts';
import type { AuthorityFacts, CaseType, ChecklistItem } from './types.ts';

export { CHECKLIST_ITEMS, type ChecklistItem } from './types.ts';

/** Which fee of the configuration a case charges, and whether the amount is a maximum. */
const caseFee: Partial<Record<CaseType, { fee: keyof AuthorityFacts['fees']; upTo: boolean }>> = {
  'residence-permit-first': { fee: 'firstPermit', upTo: true },
  'residence-permit-extension': { fee: 'extension', upTo: true },
  'electronic-residence-permit': { fee: 'newCard', upTo: false },
  'declaration-of-commitment-private': { fee: 'commitment', upTo: false },
  'declaration-of-commitment-company': { fee: 'commitment', upTo: false },
};

/** Answers that change the list: only a lost or stolen card needs the police certificate. */
export interface ChecklistAnswers {
  readonly cardReason?: string | undefined;
  /** The purpose of a residence permit: employment needs the employer's declaration (E20). */
  readonly purpose?: string | undefined;
}

/**
 * The items for a case. `answers` null: the list as an information sheet gives it to someone who
 * has not answered anything yet (conditional items say their condition).
 */
export function checklistItems(caseType: CaseType, answers: ChecklistAnswers | null): ChecklistItem[] {
  const permit: ChecklistItem[] = [
    'passport',
    'currentTitle',
    'photoCode',
    'incomeInsurance',
    'tenancy',
    'purposeDocuments',
  ];
  switch (caseType) {
    case 'residence-permit-first':
    case 'residence-permit-extension': {
      const employer: ChecklistItem[] =
        answers === null || answers.purpose === 'employment' ? ['employmentDeclaration'] : [];
      return [...permit, ...employer, 'feeUpTo'];
    }
    case 'settlement-permit':
    case 'eu-long-term-residence':
      return [...permit.filter((i) => i !== 'purposeDocuments'), 'pensionRecord', 'germanCertificate'];
    case 'residence-card-eu-family':
      return ['passport', 'photoCode', 'unionCitizenDocuments', 'relationshipProof'];
    case 'temporary-protection':
      return ['passport', 'photoCode', 'protectionProof'];
    case 'electronic-residence-permit': {
      const police: ChecklistItem[] =
        answers === null ? ['policeReportIfLost'] : answers.cardReason === 'lost' ? ['policeReport'] : [];
      return ['passport', 'currentTitle', 'photoCode', ...police, 'fee'];
    }
    case 'declaration-of-commitment-private':
      return ['identity', 'payslips', 'rental', 'guestPassportCopy', 'fee'];
    case 'declaration-of-commitment-company':
      return ['registerExtract', 'authorisation', 'identity', 'solvency', 'guestPassportCopy', 'fee'];
    case 'callback-request':
      // Nothing to bring for a call-back; the sheet lists what to have at hand for the call.
      return answers === null ? ['callbackTracking', 'callbackDocument', 'callbackLetters'] : [];
  }
}

/** Replaces `{name}` placeholders; a placeholder without a value is a programming error. */
export function fill(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`no value for ${whole}`);
    return value;
  });
}

/** An amount in euros as the language writes it ("96 €", "€96"). */
export function formatEuro(amount: number, locale: DocumentLocale): string {
  return new Intl.NumberFormat(locale.language.intl, {
    style: 'currency',
    currency: 'EUR',
    minimumFractionDigits: Number.isInteger(amount) ? 0 : 2,
  }).format(amount);
}

/** The service centre's opening hours as the language writes them ("Mo.–Fr., 08:00–16:00"). */
export function formatHours(hours: AuthorityFacts['serviceCentre'], locale: DocumentLocale): string {
  // 2024-01-01 was a Monday: day n of the week is 2024-01-0n.
  const index = { mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 } as const;
  const day = (d: keyof typeof index) =>
    new Intl.DateTimeFormat(locale.language.intl, { weekday: 'short', timeZone: 'UTC' }).format(
      new Date(Date.UTC(2024, 0, index[d])),
    );
  const days = hours.days;
  const first = days[0];
  const last = days.at(-1);
  const consecutive = days.every((d, i) => i === 0 || index[d] === index[days[i - 1] ?? d] + 1);
  const dayText =
    first === undefined || last === undefined
      ? ''
      : consecutive && days.length > 2
        ? `${day(first)}–${day(last)}`
        : days.map(day).join(', ');
  const time = (hhmm: string) => {
    const [h, m] = hhmm.split(':').map(Number);
    return new Intl.DateTimeFormat(locale.language.intl, {
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZone: 'UTC',
    }).format(new Date(Date.UTC(2024, 0, 1, h ?? 0, m ?? 0)));
  };
  return `${dayText} ${time(hours.opens)}–${time(hours.closes)}`;
}

/** The values every document text may use: the service centre, the portal, the callback promise. */
export function authorityValues(facts: AuthorityFacts, locale: DocumentLocale): Record<string, string> {
  return {
    // A phone number reads left to right inside any sentence, also an Arabic one.
    phone: `\u2066${facts.serviceCentre.phone}\u2069`,
    hours: formatHours(facts.serviceCentre, locale),
    // A count the visitor reads, in the language's digits (Persian ۳); phone and portal stay Latin.
    days: new Intl.NumberFormat(locale.language.intl).format(facts.serviceCentre.callbackWorkingDays),
    portal: facts.portal.url,
  };
}

/** The list in one language's words, with the fee of this installation filled in. */
export function checklistTexts(
  caseType: CaseType,
  answers: ChecklistAnswers | null,
  locale: DocumentLocale,
  facts: AuthorityFacts,
): string[] {
  const fee = caseFee[caseType];
  const values: Record<string, string> = {
    ...authorityValues(facts, locale),
    payment: locale.payment[facts.payment],
    fee: fee ? formatEuro(facts.fees[fee.fee], locale) : '',
  };
  return checklistItems(caseType, answers).map((item) => fill(locale.checklist[item], values));
}

/** The same list for the screen: in the visitor's language, or German where it has no document texts. */
export function checklistFor(
  caseType: CaseType,
  answers: ChecklistAnswers | null,
  language: string,
  facts: AuthorityFacts,
  catalog: LocaleCatalog = defaultCatalog(),
): string[] {
  const found = catalog.get(language);
  return checklistTexts(caseType, answers, found.ok ? found.value : catalog.german, facts);
}
