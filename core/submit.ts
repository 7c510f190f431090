import type { JourneyResult, TrackingStatus } from '../api/contract.ts';
import type { FieldValue, FieldValues } from '../api/forms.ts';
import type { Clock } from '../common/clock.ts';
import { type Envelope, err as fail, ok } from '../common/result.ts';
import type { Terminal } from '../sync/terminal.ts';
import type { AuthorityFacts } from './authority.ts';
import {
  buildInfoSheet,
  buildReceipt,
  buildSummary,
  type CaseType,
  checklistFor,
  type SummarySection,
  summaryLabels,
  trackingQrPayload,
} from './documents/index.ts';
import type { Journey, ServiceDefinition } from './forms/journey.ts';
import type { AccountProfile } from './identify.ts';
import type { JourneySubmitter } from './journeys.ts';
import type { Logger } from './log.ts';
import { buildAndPrint, type Printer, type PrintOutcome } from './printing/index.ts';

/**
 * The application as the authority reads it: every visible field under its step's title, in
 * German, with the labels of the documents' own table (core/documents/summary-labels.ts).
 */
export function summarySections(definition: ServiceDefinition, values: FieldValues): SummarySection[] {
  const service = definition.id;
  const show = (type: string, id: string, value: FieldValue | undefined): string => {
    if (value === undefined || value === null) return '';
    if (typeof value === 'boolean') return value ? summaryLabels.yes : summaryLabels.no;
    if (type === 'choice') return summaryLabels.option(service, id, value);
    if (type === 'date') return value.split('-').reverse().join('.');
    return value;
  };
  return definition.steps
    .filter((step) => step.fields.length > 0)
    .map((step) => ({
      title: summaryLabels.step(service, step.id),
      fields: step.fields
        .filter((field) => Object.hasOwn(values, field.id))
        .map((field) => ({
          label: summaryLabels.field(service, field.id),
          value: show(field.type, field.id, values[field.id]),
        })),
    }));
}

export interface SubmitterDeps {
  /** The enrolled terminal's queue and portal client; null until the terminal is enrolled. */
  terminal: () => Terminal | null;
  printer: Printer | null;
  paper: 'a4' | 'roll80';
  clock: Clock;
  location: string;
  /** The installation's facts on the papers (service centre, fees, portal). */
  authority: AuthorityFacts;
  log: Logger;
  /**
   * The service account the visitor signed in with, for the authority to file the application
   * under, and how the sign-in identified its holder.
   */
  account?: () => SignedInAccount | null;
  /** The authority's summary; the shipped builder unless a test passes another. */
  buildSummary?: typeof buildSummary;
}

/**
 * The case a receipt (and a checklist) is about, from the service and the visitor's answers: a
 * residence permit is a first permit, an extension or only a new card, each with its own title,
 * next steps and list. Null for services without a receipt.
 */
export function receiptCase(serviceId: ServiceDefinition['id'], values: FieldValues): CaseType | null {
  switch (serviceId) {
    case 'commitment-private':
      return 'declaration-of-commitment-private';
    case 'commitment-company':
      return 'declaration-of-commitment-company';
    case 'callback-request':
      return 'callback-request';
    case 'residence-permit':
      if (values.request === 'cardOnly') return 'electronic-residence-permit';
      return values.permitRequest === 'firstPermit' ? 'residence-permit-first' : 'residence-permit-extension';
    default:
      return null;
  }
}

/** The answers that shape a checklist (a lost card needs the police certificate). */
export function checklistAnswers(values: FieldValues): { cardReason?: string } {
  return typeof values.cardReason === 'string' ? { cardReason: values.cardReason } : {};
}

/** A journey's checklist step on screen: the list its receipt will print, in the visitor's language. */
export function journeyChecklist(
  serviceId: ServiceDefinition['id'],
  values: FieldValues,
  language: string,
  authority: AuthorityFacts,
): string[] {
  const caseType = receiptCase(serviceId, values);
  return caseType ? checklistFor(caseType, checklistAnswers(values), language, authority) : [];
}

/** Topics of the information service and the information sheet each prints. */
const informationCase: Record<string, CaseType> = {
  residencePermitExtension: 'residence-permit-extension',
  electronicResidencePermit: 'electronic-residence-permit',
  commitmentPrivate: 'declaration-of-commitment-private',
  commitmentCompany: 'declaration-of-commitment-company',
};

/**
 * Turns a finished journey into what the visitor leaves with. An application is sealed and
 * committed to the queue first; only then does a tracking number exist, and only then is the
 * receipt printed. A failed print loses nothing: the number and its QR are on the screen.
 */
export class KioskSubmitter implements JourneySubmitter {
  readonly #deps: SubmitterDeps;
  /**
   * One submission per journey (a visitor's double tap, a repeated call): a second call while the
   * first runs, or after it succeeded, gets the first one's answer, so one application is queued
   * and one receipt printed. A failed submission may be tried again.
   */
  readonly #submitting = new WeakMap<Journey, Promise<Envelope<JourneyResult>>>();

  constructor(deps: SubmitterDeps) {
    this.#deps = deps;
  }

  submit(journey: Journey, language: string): Promise<Envelope<JourneyResult>> {
    const running = this.#submitting.get(journey);
    if (running !== undefined) return running;
    const answer = this.#submitOnce(journey, language).then(
      (result) => {
        if (!result.ok) this.#submitting.delete(journey);
        return result;
      },
      (error: unknown) => {
        this.#submitting.delete(journey);
        throw error;
      },
    );
    this.#submitting.set(journey, answer);
    return answer;
  }

  async #submitOnce(journey: Journey, language: string): Promise<Envelope<JourneyResult>> {
    if (journey.definition.submission === 'information') return this.#information(journey, language);
    const terminal = this.#deps.terminal();
    if (!terminal) return fail('terminal.not_enrolled', 'this terminal is not enrolled with a portal');
    return journey.definition.submission === 'lookup'
      ? this.#lookup(terminal, journey.values())
      : this.#apply(terminal, journey, language);
  }

  async #apply(terminal: Terminal, journey: Journey, language: string): Promise<Envelope<JourneyResult>> {
    const { clock, log } = this.#deps;
    const definition = journey.definition;
    const values = journey.values();
    const submittedAt = new Date(clock.now());
    // The number exists before the summary that shows it: sync never calls back into the core.
    const trackingNumber = terminal.reserveTrackingNumber();
    let submitted: Awaited<ReturnType<Terminal['submit']>>;
    try {
      const summary = await (this.#deps.buildSummary ?? buildSummary)({
        trackingNumber,
        serviceName: summaryLabels.service(definition.id),
        submittedAt,
        terminalId: terminal.terminalId,
        terminalLocation: this.#deps.location,
        visitorLanguage: language,
        sections: summarySections(definition, values),
      });
      if (!summary.ok) throw new Error(`${summary.error.code}: ${summary.error.message}`);
      submitted = await terminal.submit({
        serviceId: definition.id,
        data: applicationData(definition, values, language, this.#deps.account?.() ?? null),
        trackingNumber,
        attachments: [{ partId: 'summary.pdf', mediaType: 'application/pdf', content: summary.value }],
      });
    } catch (error) {
      // The submission could not be prepared (its summary, say): nothing was written, and the
      // visitor's input stays in the session for another try or for staff.
      const name = error instanceof Error ? error.name : 'unknown';
      log.error('submission.not_prepared', { service: definition.id, error: name });
      return fail('submission.failed', 'the application could not be prepared');
    }
    if (!submitted.ok) {
      log.error('submission.not_queued', { service: definition.id, code: submitted.error.code });
      return fail(submitted.error.code, 'the application could not be stored');
    }
    log.info('submission.queued', { service: definition.id });
    const queued = submitted.value.queuedOffline;
    const print = await this.#printReceipt(definition, values, trackingNumber, submittedAt, language, queued);
    journey.forget();
    return ok({
      kind: 'receipt',
      serviceId: definition.id,
      trackingNumber,
      createdAt: submittedAt.toISOString(),
      queued,
      print,
      qr: trackingQrPayload(trackingNumber),
    });
  }

  /** An information sheet in the visitor's language: printed, and its checklist shown on screen. */
  async #information(journey: Journey, language: string): Promise<Envelope<JourneyResult>> {
    const topic = String(journey.values().caseType ?? '');
    const caseType = informationCase[topic];
    if (!caseType) return fail('journey.incomplete', 'no topic chosen');
    journey.forget();
    const { authority } = this.#deps;
    const print = await buildAndPrint(
      this.#deps.printer,
      () =>
        buildInfoSheet({
          caseType,
          language,
          printedAt: new Date(this.#deps.clock.now()),
          authority,
          paper: this.#deps.paper,
        }),
      { jobName: 'Merkblatt' },
    );
    // The screen shows the list the sheet prints: one source (core/documents/checklists.ts).
    const checklist = checklistFor(caseType, null, language, authority);
    return ok({ kind: 'information', topic, print, checklist });
  }

  async #printReceipt(
    definition: ServiceDefinition,
    values: FieldValues,
    trackingNumber: string,
    submittedAt: Date,
    language: string,
    queuedOffline: boolean,
  ): Promise<PrintOutcome> {
    const caseType = receiptCase(definition.id, values);
    if (!caseType) return { state: 'no_printer' };
    const print = await buildAndPrint(
      this.#deps.printer,
      () =>
        buildReceipt({
          trackingNumber,
          caseType,
          submittedAt,
          terminalLocation: this.#deps.location,
          language,
          queuedOffline,
          paper: this.#deps.paper,
          answers: checklistAnswers(values),
          authority: this.#deps.authority,
        }),
      { jobName: 'Quittung' },
    );
    if (print.state === 'failed') {
      // a printer's trouble is a warning; a receipt that cannot be made is an error
      if (print.code?.startsWith('printer.'))
        this.#deps.log.warn('receipt.not_printed', { code: print.code });
      else this.#deps.log.error('receipt.failed', { code: print.code ?? 'unknown' });
    }
    return print;
  }

  async #lookup(terminal: Terminal, values: FieldValues): Promise<Envelope<JourneyResult>> {
    const trackingNumber = String(values.trackingNumber ?? '').toUpperCase();
    const birthDate = String(values.birthDate ?? '');
    const answer = await terminal.lookup(trackingNumber, birthDate);
    const found = answer.kind === 'found';
    return ok({
      kind: 'status',
      trackingNumber,
      status: answer.kind === 'queued' ? 'queued' : found ? (answer.status as TrackingStatus) : null,
      offline: answer.kind === 'offline',
      updatedAt: found ? answer.updatedAt : null,
    });
  }
}

/** What an application records of the account it is filed under. */
export type SignedInAccount = Pick<AccountProfile, 'accountId' | 'authentication' | 'assurance'>;

/**
 * The application data as sealed for the authority: the service, the visitor's language, the
 * applicant (the portal's status lookup needs the birth date) and every visible field.
 */
export function applicationData(
  definition: ServiceDefinition,
  values: FieldValues,
  language: string,
  account: SignedInAccount | null = null,
) {
  const applicant =
    typeof values.birthDate === 'string'
      ? {
          birthDate: values.birthDate,
          lastName: values.lastName ?? null,
          firstNames: values.firstNames ?? null,
        }
      : undefined;
  return {
    serviceId: definition.id,
    language,
    ...(applicant ? { applicant } : {}),
    // The account it is filed under, and how strongly the sign-in identified its holder (E16).
    ...(account
      ? {
          account: {
            accountId: account.accountId,
            authentication: account.authentication,
            assurance: account.assurance,
          },
        }
      : {}),
    values,
  };
}
