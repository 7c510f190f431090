import { randomUUID } from 'node:crypto';
import type { JourneyResult, ServiceId, TrackingStatus } from '../api/contract.ts';
import type { FieldValue, FieldValues } from '../api/forms.ts';
import type { Clock } from '../common/clock.ts';
import { type Envelope, err as fail, ok, type Result } from '../common/result.ts';
import { dataSetProblems } from '../sync/protocol/datasets.ts';
import {
  type CaseEvent,
  type CaseEventDetails,
  type CheckInRequest,
  caseReferenceSchema,
  ticketNumberSchema,
  ticketRequestSchema,
  ticketTopicSchema,
} from '../sync/protocol/index.ts';
import type { Terminal, TicketAnswer } from '../sync/terminal.ts';
import { staffFlags } from './assessments/journey-notes.ts';
import type { AuthorityFacts } from './authority.ts';
import { buildDataSet } from './dataset/index.ts';
import { dataSetSections } from './dataset/summary.ts';
import {
  buildInfoSheet,
  buildReceipt,
  buildSummary,
  type CaseType,
  type ChecklistItem,
  checklistFor,
  checklistItems,
  type ReceiptInput,
  type SummarySection,
  summaryLabels,
  trackingQrPayload,
} from './documents/index.ts';
import { isPaperItem } from './documents/paper-items.ts';
import {
  type CaseStatusInput,
  caseStatusView,
  queueTicketView,
  ticketView,
} from './documents/status-sheet.ts';
import type { Journey, ServiceDefinition } from './forms/journey.ts';
import type { AccountProfile } from './identify.ts';
import type { JourneySubmitter } from './journeys.ts';
import type { ScannedInvitations } from './letter-qr.ts';
import type { Logger } from './log.ts';
import { buildAndPrint, type Printer, type PrintOutcome } from './printing/index.ts';
import type { StatusAnswers } from './status-answers.ts';

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
  /** The status answer on screen, kept for printing on request; none: nothing to print. */
  answers?: StatusAnswers;
  /** Invitation letters scanned in the session, for a check-in. */
  invitations?: ScannedInvitations;
  /** The portal's address, under which a queue ticket's phone page lies. */
  portalUrl?: string | null;
  /** The service that takes missing documents at this terminal, when it is offered (else null). */
  handInService?: () => ServiceId | null;
  /** The authority's summary; the shipped builder unless a test passes another. */
  buildSummary?: typeof buildSummary;
  /** The documents handed in at the terminal with the application (one sealed part each). */
  documents?: SubmissionDocuments;
}

/** The documents of a submission: one PDF per item handed in, and the items still missing. */
export interface DocumentsForSubmission {
  readonly documents: readonly {
    readonly itemId: ChecklistItem;
    readonly pdf: { readonly pdf: Uint8Array; readonly sha256: string; readonly pages: number };
  }[];
  readonly handedIn: readonly { readonly itemId: ChecklistItem; readonly pages: number }[];
  readonly missing: readonly ChecklistItem[];
}

/** Where the documents handed in with a journey are held until it is sealed (core/handed-documents.ts). */
export interface SubmissionDocuments {
  forSubmission(journey: Journey, createdAt: Date): Promise<Result<DocumentsForSubmission>>;
  /** Overwrites and drops the pages once the application is sealed and committed. */
  drop(): void;
}

/** A document's part id in the submission: its checklist item, as the portal files it. */
export function documentPartId(itemId: string): string {
  return `document-${itemId}.pdf`;
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
      switch (values.request) {
        case 'cardOnly':
          return 'electronic-residence-permit';
        case 'settlement':
          return 'settlement-permit';
        case 'euLongTerm':
          return 'eu-long-term-residence';
        case 'euFamilyCard':
          return 'residence-card-eu-family';
        case 'temporaryProtection':
          return 'temporary-protection';
        default:
          return values.permitRequest === 'firstPermit'
            ? 'residence-permit-first'
            : 'residence-permit-extension';
      }
    default:
      return null;
  }
}

/** The answers that shape a checklist (a lost card needs the police certificate). */
export function checklistAnswers(values: FieldValues): { cardReason?: string; purpose?: string } {
  return {
    ...(typeof values.cardReason === 'string' ? { cardReason: values.cardReason } : {}),
    ...(typeof values.purpose === 'string' ? { purpose: values.purpose } : {}),
  };
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

/**
 * The papers of a journey's checklist a visitor can hand in at the terminal (one document each),
 * read through the same checklist the receipt prints.
 */
export function documentItemsFor(serviceId: ServiceDefinition['id'], values: FieldValues): ChecklistItem[] {
  const caseType = receiptCase(serviceId, values);
  return caseType ? checklistItems(caseType, checklistAnswers(values)).filter(isPaperItem) : [];
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
  /** The idempotency key of each appointment wish's ticket, the same for every try. */
  readonly #ticketKeys = new WeakMap<Journey, string>();

  constructor(deps: SubmitterDeps) {
    this.#deps = deps;
  }

  submit(journey: Journey, language: string): Promise<Envelope<JourneyResult>> {
    const running = this.#submitting.get(journey);
    if (running !== undefined) return running;
    // A lookup may be asked again with corrected values (D11): only one at a time, none remembered.
    const again = journey.definition.submission === 'lookup';
    const answer = this.#submitOnce(journey, language).then(
      (result) => {
        if (!result.ok || again) this.#submitting.delete(journey);
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
    if (journey.definition.submission === 'ticket') return this.#ticket(terminal, journey, language);
    if (journey.definition.submission === 'checkin') return this.#checkIn(terminal, journey, language);
    return journey.definition.submission === 'lookup'
      ? this.#lookup(terminal, journey.values(), language)
      : this.#apply(terminal, journey, language);
  }

  async #apply(terminal: Terminal, journey: Journey, language: string): Promise<Envelope<JourneyResult>> {
    const { clock, log } = this.#deps;
    const definition = journey.definition;
    const values = journey.values();
    const submittedAt = new Date(clock.now());
    const data = applicationData(definition, values, language, this.#deps.account?.() ?? null, [
      ...staffFlags(definition.id, values, clock.now()),
      // D17: a clerk let an expired document pass at the terminal; the authority sees which.
      ...journey.expiredDocuments().map((stepId) => `document_expired:${stepId}`),
    ]);
    // Checked against the published schema before anything is reserved or sealed: the portal
    // would refuse it (422).
    const problems = dataSetProblems(definition.id, data.dataSet);
    if (problems && problems.length > 0) {
      log.error('submission.invalid_data_set', {
        service: definition.id,
        problems: problems.map((p) => `${p.pointer} ${p.code}`).join(', '),
      });
      return fail('submission.invalid_data_set', 'the application does not fit its data set');
    }
    // The number exists before the summary that shows it: sync never calls back into the core.
    const trackingNumber = terminal.reserveTrackingNumber();
    let submitted: Awaited<ReturnType<Terminal['submit']>>;
    const handed = (await this.#deps.documents?.forSubmission(journey, submittedAt)) ?? {
      ok: true as const,
      value: { documents: [], handedIn: [], missing: [] },
    };
    if (!handed.ok) {
      log.error('submission.documents_refused', { service: definition.id, code: handed.error.code });
      return fail(handed.error.code, 'the documents could not be prepared');
    }
    try {
      // The authority's summary is read from the data set it receives, where the service has one.
      const summary = await (this.#deps.buildSummary ?? buildSummary)({
        trackingNumber,
        serviceName: summaryLabels.service(definition.id),
        submittedAt,
        terminalId: terminal.terminalId,
        terminalLocation: this.#deps.location,
        visitorLanguage: language,
        sections: data.dataSet
          ? dataSetSections(definition, data.dataSet)
          : summarySections(definition, values),
      });
      if (!summary.ok) throw new Error(`${summary.error.code}: ${summary.error.message}`);
      submitted = await terminal.submit({
        serviceId: definition.id,
        data,
        trackingNumber,
        attachments: [
          { partId: 'summary.pdf', mediaType: 'application/pdf', content: summary.value, purpose: 'report' },
          ...handed.value.documents.map((d) => ({
            partId: documentPartId(d.itemId),
            mediaType: 'application/pdf',
            content: d.pdf.pdf,
            checklistItem: d.itemId,
          })),
        ],
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
    log.info('submission.queued', { service: definition.id, documents: handed.value.documents.length });
    // sealed and committed: the pages in memory are overwritten and dropped
    this.#deps.documents?.drop();
    const queued = submitted.value.queuedOffline;
    const documents =
      this.#deps.documents === undefined
        ? undefined
        : { handedIn: handed.value.handedIn, missing: handed.value.missing };
    const print = await this.#printReceipt(
      definition,
      values,
      trackingNumber,
      submittedAt,
      language,
      queued,
      documents,
    );
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
    documents?: ReceiptInput['documents'],
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
          ...(documents === undefined ? {} : { documents }),
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

  async #lookup(terminal: Terminal, values: FieldValues, language: string): Promise<Envelope<JourneyResult>> {
    const asked = String(values.trackingNumber ?? '')
      .trim()
      .toUpperCase();
    const birthDate = String(values.birthDate ?? '');
    if (ticketNumberSchema.safeParse(asked).success) {
      return this.#ticketAnswer(
        await terminal.lookupTicket({ ticketNumber: asked, birthDate }),
        language,
        false,
        asked,
      );
    }
    const byReference = caseReferenceSchema.safeParse(asked).success;
    const answer = await terminal.lookupCase(
      byReference ? { caseReference: asked, birthDate } : { trackingNumber: asked, birthDate },
    );
    const nothing = {
      kind: 'status',
      trackingNumber: asked,
      status: null,
      offline: false,
      updatedAt: null,
      unavailable: null,
      view: null,
      handInService: null,
    } as const;
    const view = (input: Omit<CaseStatusInput, 'language'>) => {
      const made = caseStatusView({ ...input, language });
      this.#deps.answers?.show(made.ok ? made.value : null, language);
      return made.ok ? made.value : null;
    };
    switch (answer.kind) {
      case 'queued':
        return ok({
          ...nothing,
          status: 'queued',
          view: view({
            status: 'queued',
            reference: asked,
            referenceKind: 'trackingNumber',
            since: null,
            details: null,
          }),
        });
      case 'found': {
        const { summary, events } = answer.case;
        const last = events.at(-1);
        const details = last === undefined ? null : eventDetails(last);
        return ok({
          ...nothing,
          trackingNumber: summary.caseReference,
          status: summary.status,
          updatedAt: summary.updatedAt,
          view: view({
            status: summary.status,
            reference: summary.caseReference,
            referenceKind: 'caseReference',
            since: new Date(summary.updatedAt),
            details,
          }),
          handInService:
            summary.status === 'documents_missing' ? (this.#deps.handInService?.() ?? null) : null,
        });
      }
      case 'unavailable':
        this.#deps.answers?.show(null, language);
        return ok({ ...nothing, offline: true, unavailable: answer.reason });
      case 'not_found': {
        this.#deps.answers?.show(null, language);
        if (byReference) return ok(nothing);
        // an application delivered before the portal kept cases: its status in the older feed
        const older = await terminal.lookup(asked, birthDate);
        if (older.kind !== 'found') return ok(nothing);
        const status = older.status as TrackingStatus;
        return ok({
          ...nothing,
          status,
          updatedAt: older.updatedAt,
          view: view({
            status,
            reference: asked,
            referenceKind: 'trackingNumber',
            since: new Date(older.updatedAt),
            details: null,
          }),
        });
      }
    }
  }

  /**
   * An appointment wish becomes a Service-Center ticket: sent with one idempotency key per journey
   * (a repeat after a lost answer gets the same ticket), shown and printed; the wish is forgotten
   * once the ticket exists. Without the portal the wish stays for another try.
   */
  async #ticket(terminal: Terminal, journey: Journey, language: string): Promise<Envelope<JourneyResult>> {
    const v = journey.values();
    const text = (id: string) => (typeof v[id] === 'string' && v[id] !== '' ? (v[id] as string) : undefined);
    const from = text('travelFrom') ?? text('travelTo');
    const day = text('unsuitableDay');
    const expires = text('titleExpiresOn');
    const request = ticketRequestSchema.safeParse({
      topic: text('topic'),
      constraints: {
        ...(expires === undefined ? {} : { titleExpiresOn: expires }),
        ...(from === undefined ? {} : { travel: [{ from, to: text('travelTo') ?? from }] }),
        ...(day === undefined || day === 'none' ? {} : { unsuitableDays: [day] }),
      },
      language: text('language'),
      contact: { phone: text('phone') },
      birthDate: text('birthDate'),
    });
    if (!request.success) return fail('journey.incomplete', 'the wish is not complete');
    let key = this.#ticketKeys.get(journey);
    if (key === undefined) {
      key = randomUUID();
      this.#ticketKeys.set(journey, key);
    }
    const answer = await terminal.createTicket(request.data, key);
    if (answer.kind === 'found') {
      this.#deps.log.info('ticket.created', { topic: answer.ticket.topic });
      journey.forget();
    } else this.#deps.log.warn('ticket.not_created', { kind: answer.kind });
    return this.#ticketAnswer(answer, language, true);
  }

  /**
   * Check-in in the building: the invitation scanned in this session (a typed reference is not
   * enough: the portal wants the signed letter) or a walk-in topic becomes a queue ticket, shown
   * and printed with the QR code of its phone page.
   */
  async #checkIn(terminal: Terminal, journey: Journey, language: string): Promise<Envelope<JourneyResult>> {
    const v = journey.values();
    let request: CheckInRequest;
    if (v.arrival === 'invitation') {
      const jws = this.#deps.invitations?.jwsFor(String(v.invitation ?? '').toUpperCase());
      if (jws === undefined) return fail('checkin.scan_needed', 'the invitation letter was not scanned');
      request = { invitation: jws };
    } else {
      const topic = ticketTopicSchema.safeParse(v.walkInTopic);
      if (!topic.success) return fail('journey.incomplete', 'no topic chosen');
      request = { walkIn: topic.data };
    }
    const answer = await terminal.checkIn(request);
    if (answer.kind === 'refused') return fail(answer.code, 'the portal gave no queue ticket');
    if (answer.kind === 'unavailable') return fail('checkin.offline', 'the portal could not be asked');
    const view = queueTicketView(answer.ticket, language);
    if (!view.ok) return fail(view.error.code, view.error.message);
    const base = this.#deps.portalUrl;
    const followUrl = base ? new URL(answer.ticket.followPath, base).href : null;
    this.#deps.answers?.show(view.value, language, followUrl ?? undefined);
    const print = this.#deps.answers
      ? await this.#deps.answers.printView(view.value, language, followUrl ?? undefined)
      : null;
    this.#deps.log.info('checkin.ticket', { kind: answer.ticket.kind });
    journey.forget();
    return ok({
      kind: 'ticket',
      ticketNumber: answer.ticket.number,
      created: true,
      view: view.value,
      print,
      followUrl,
    });
  }

  /** A ticket made or looked up, shown and (when made) printed in the visitor's language. */
  async #ticketAnswer(
    answer: TicketAnswer,
    language: string,
    created: boolean,
    asked = '',
  ): Promise<Envelope<JourneyResult>> {
    if (answer.kind === 'not_found') {
      this.#deps.answers?.show(null, language);
      return ok({
        kind: 'status',
        trackingNumber: asked,
        status: null,
        offline: false,
        updatedAt: null,
        unavailable: null,
        view: null,
        handInService: null,
      });
    }
    if (answer.kind === 'unavailable') {
      this.#deps.answers?.show(null, language);
      if (created)
        return fail(answer.reason === 'refused' ? 'ticket.refused' : 'ticket.offline', 'no ticket was made');
      return ok({
        kind: 'status',
        trackingNumber: asked,
        status: null,
        offline: true,
        updatedAt: null,
        unavailable: answer.reason,
        view: null,
        handInService: null,
      });
    }
    const view = ticketView(answer.ticket, language);
    if (!view.ok) return fail(view.error.code, view.error.message);
    this.#deps.answers?.show(view.value, language);
    const print =
      created && this.#deps.answers ? await this.#deps.answers.printView(view.value, language) : null;
    return ok({
      kind: 'ticket',
      ticketNumber: answer.ticket.ticketNumber,
      created,
      view: view.value,
      print,
      followUrl: null,
    });
  }
}

/** What a case event says besides its head (id, case, number, sequence, time). */
function eventDetails(event: CaseEvent): CaseEventDetails {
  const {
    eventId: _id,
    caseReference: _case,
    trackingNumber: _tracking,
    seq: _seq,
    at: _at,
    ...details
  } = event;
  return details as CaseEventDetails;
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
  /** What a clerk must see at once (an extension applied for after expiry: `title_expired`). */
  flags: readonly string[] = [],
) {
  const dataSet = buildDataSet(definition, values);
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
    ...(flags.length > 0 ? { flags: [...flags] } : {}),
    // The standard data set (FIM/XAusländer names, versioned schema): what a Fachverfahren reads.
    ...(dataSet ? { dataSet } : {}),
    values,
  };
}
