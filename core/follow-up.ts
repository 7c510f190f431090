import type { JourneyResult, StatusView } from '../api/contract.ts';
import type { FieldValues } from '../api/forms.ts';
import type { Clock } from '../common/clock.ts';
import { type Envelope, err as fail, ok } from '../common/result.ts';
import {
  type CaseEvent,
  caseReferenceSchema,
  FOLLOW_UP_SERVICE,
  type FollowUpCase,
  type FollowUpData,
  MISSING_DOCUMENTS,
} from '../sync/protocol/index.ts';
import type { Terminal } from '../sync/terminal.ts';
import { type ChecklistItem, defaultCatalog, trackingQrPayload } from './documents/index.ts';
import { isPaperItem } from './documents/paper-items.ts';
import { caseStatusView } from './documents/status-sheet.ts';
import type { Journey } from './forms/journey.ts';
import type { ValidationCode } from './forms/validate.ts';
import type { JourneySubmitter } from './journeys.ts';
import type { Logger } from './log.ts';
import type { PrintOutcome } from './printing/index.ts';
import type { SessionService } from './session.ts';
import { documentPartId, type SubmissionDocuments } from './submit.ts';

/**
 * Documents handed in later (issue 14): the visitor names a case whose status says documents are
 * missing (the receipt's or the letter's QR, or tracking number or case reference typed) with the
 * birth date; the terminal looks the case up (the portal's signed answer, verified as the status
 * lookup does) and offers exactly the documents the case misses to the documents step. The
 * follow-up is sealed like an application (one part per document, with purpose and hash), queued
 * in the same outbox and filed by the portal under the case (sync/protocol/follow-up.ts).
 *
 * What the lookup found is kept beside the journey in memory only and forgotten with it.
 */

export const followUpErrors = {
  /** Submitted before the case was found (or after it was forgotten). */
  noCase: 'followup.no_case',
  /** Nothing captured: a follow-up carries at least one document. */
  noDocuments: 'followup.no_documents',
} as const;

/** The case step's fields (core/services/documents-followup.ts). */
export const FOLLOW_UP_CASE_STEP = 'case';

interface Found {
  readonly named: FollowUpCase;
  readonly caseReference: string;
  readonly birthDate: string;
  readonly missing: readonly ChecklistItem[];
}

export interface FollowUpDeps {
  /** The visitor's session: the case a status answer named is kept there (memory only). */
  readonly sessions: SessionService;
  readonly terminal: () => Terminal | null;
  readonly documents: SubmissionDocuments;
  readonly clock: Clock;
  readonly log: Logger;
  /** Prints the follow-up's receipt (a status paper in the visitor's language, with its QR). */
  readonly print: (view: StatusView, language: string, qr: string) => Promise<PrintOutcome>;
}

const missingIds: readonly string[] = MISSING_DOCUMENTS;

/** The session's key for the case a status answer named. */
const namedKey = 'followUpCase';

/** The documents the case's last `documents_missing` event names, in the checklist's words. */
function missingOf(events: readonly CaseEvent[]): ChecklistItem[] {
  const last = events.findLast((e) => e.status === 'documents_missing');
  if (last?.status !== 'documents_missing') return [];
  return last.documents.filter((d) => missingIds.includes(d)) as ChecklistItem[];
}

export class FollowUps {
  readonly #deps: FollowUpDeps;
  readonly #found = new WeakMap<Journey, Found>();

  constructor(deps: FollowUpDeps) {
    this.#deps = deps;
  }

  /**
   * Remembers the case a status answer said misses documents (its reference and the birth date
   * it was looked up with), so the follow-up offered from that answer starts with them filled in.
   */
  answered(journey: Journey, result: Envelope<JourneyResult>): void {
    const data = this.#deps.sessions.data();
    if (!data || journey.definition.submission !== 'lookup' || !result.ok) return;
    const answer = result.value;
    const birthDate = journey.values().birthDate;
    if (
      answer.kind === 'status' &&
      answer.handInService === FOLLOW_UP_SERVICE &&
      typeof birthDate === 'string'
    ) {
      data.set(namedKey, { trackingNumber: answer.trackingNumber, birthDate });
    } else data.delete(namedKey);
  }

  /** The case the last status answer named as missing documents, for the follow-up's first step. */
  named(): FieldValues {
    const kept = this.#deps.sessions.data()?.get(namedKey) as FieldValues | undefined;
    return kept ? { ...kept } : {};
  }

  /** Whether a journey is a follow-up. */
  static is(journey: Journey): boolean {
    return journey.serviceId === FOLLOW_UP_SERVICE;
  }

  /**
   * After the case step: looks the case up and keeps what it misses. Null when the case waits
   * for documents; otherwise the problem to show at the reference field.
   */
  async find(journey: Journey): Promise<ValidationCode | null> {
    this.#found.delete(journey);
    const terminal = this.#deps.terminal();
    if (!terminal) return 'portal_unreachable';
    const values = journey.values();
    const asked = String(values.trackingNumber ?? '')
      .trim()
      .toUpperCase();
    const birthDate = String(values.birthDate ?? '');
    const named: FollowUpCase = caseReferenceSchema.safeParse(asked).success
      ? { caseReference: asked }
      : { trackingNumber: asked };
    const answer = await terminal.lookupCase({ ...named, birthDate });
    switch (answer.kind) {
      case 'unavailable':
        return 'portal_unreachable';
      case 'not_found':
        return 'case_not_found';
      // still in this terminal's queue: the authority has asked for nothing yet
      case 'queued':
        return 'case_not_awaiting_documents';
      case 'found': {
        const { summary, events } = answer.case;
        const missing = missingOf(events);
        if (summary.status !== 'documents_missing' || missing.length === 0)
          return 'case_not_awaiting_documents';
        this.#found.set(journey, { named, caseReference: summary.caseReference, birthDate, missing });
        return null;
      }
    }
  }

  /** The documents a follow-up journey offers (those the case misses); undefined for other journeys. */
  items(journey: Journey): ChecklistItem[] | undefined {
    if (!FollowUps.is(journey)) return undefined;
    return (this.#found.get(journey)?.missing ?? []).filter(isPaperItem);
  }

  /**
   * Seals and queues the follow-up (exactly once per journey: the submitter guards repeats), then
   * prints its receipt: the case, what was handed in, what is still missing, and the follow-up's
   * tracking number with its QR.
   */
  async submit(journey: Journey, language: string): Promise<Envelope<JourneyResult>> {
    const { clock, log } = this.#deps;
    const found = this.#found.get(journey);
    if (!found) return fail(followUpErrors.noCase, 'no case was found for this follow-up');
    const terminal = this.#deps.terminal();
    if (!terminal) return fail('terminal.not_enrolled', 'this terminal is not enrolled with a portal');
    const submittedAt = new Date(clock.now());
    const handed = await this.#deps.documents.forSubmission(journey, submittedAt);
    if (!handed.ok) {
      log.error('followup.documents_refused', { code: handed.error.code });
      return fail(handed.error.code, 'the documents could not be prepared');
    }
    const { documents, handedIn } = handed.value;
    // still missing: what the case misses and this follow-up did not bring (papers or not)
    const missing = found.missing.filter((item) => !handedIn.some((d) => d.itemId === item));
    if (documents.length === 0) return fail(followUpErrors.noDocuments, 'no document was captured');
    const trackingNumber = terminal.reserveTrackingNumber();
    const data: FollowUpData = {
      serviceId: FOLLOW_UP_SERVICE,
      kind: 'follow-up',
      case: found.named,
      applicant: { birthDate: found.birthDate },
      documents: documents.map((d) => d.itemId) as FollowUpData['documents'],
      stillMissing: missing as FollowUpData['stillMissing'],
      language,
    };
    const submitted = await terminal.submit({
      serviceId: FOLLOW_UP_SERVICE,
      data,
      trackingNumber,
      attachments: documents.map((d) => ({
        partId: documentPartId(d.itemId),
        mediaType: 'application/pdf',
        content: d.pdf.pdf,
        checklistItem: d.itemId,
      })),
    });
    if (!submitted.ok) {
      log.error('followup.not_queued', { code: submitted.error.code });
      return fail(submitted.error.code, 'the follow-up could not be stored');
    }
    log.info('followup.queued', { documents: documents.length, missing: missing.length });
    // sealed and committed: the pages in memory are overwritten and dropped
    this.#deps.documents.drop();
    const queued = submitted.value.queuedOffline;
    const qr = trackingQrPayload(trackingNumber);
    const view = receiptView({
      caseReference: found.caseReference,
      trackingNumber,
      handedIn,
      missing,
      queued,
      language,
      at: submittedAt,
    });
    const print: PrintOutcome =
      view === null
        ? { state: 'failed', code: 'locale.unknown' }
        : await this.#deps.print(view, language, qr);
    this.#found.delete(journey);
    journey.forget();
    return ok({
      kind: 'receipt',
      serviceId: FOLLOW_UP_SERVICE,
      trackingNumber,
      createdAt: submittedAt.toISOString(),
      queued,
      print,
      qr,
    });
  }
}

/**
 * The follow-up's receipt as a status paper: the case, the documents handed in (with page counts)
 * and those still missing, in the visitor's language; null for a language without texts.
 */
export function receiptView(input: {
  caseReference: string;
  trackingNumber: string;
  handedIn: readonly { readonly itemId: ChecklistItem; readonly pages: number }[];
  missing: readonly ChecklistItem[];
  queued: boolean;
  language: string;
  at: Date;
}): StatusView | null {
  const catalog = defaultCatalog();
  const locale = catalog.get(input.language);
  if (!locale.ok) return null;
  const { receipt, checklist, status } = locale.value;
  const view = caseStatusView(
    {
      status: 'documents_received',
      reference: input.caseReference,
      referenceKind: 'caseReference',
      since: input.at,
      details: null,
      language: input.language,
    },
    catalog,
  );
  if (!view.ok) return null;
  const pages = (n: number) => receipt.pageCount.replace('{count}', String(n));
  return {
    ...view.value,
    sections: [
      {
        heading: receipt.handedIn,
        items: input.handedIn.map((d) => `${checklist[d.itemId]} (${pages(d.pages)})`),
      },
      ...(input.missing.length === 0
        ? []
        : [{ heading: status.missingHeading, items: input.missing.map((id) => checklist[id]) }]),
    ],
    notes: [
      `${receipt.trackingNumber}: ${input.trackingNumber}`,
      ...(input.queued ? [receipt.queuedOffline] : []),
    ],
  };
}

/**
 * The journeys' submitter: a follow-up goes to `followUps` (one submission per journey: a second
 * call while the first runs, or after it succeeded, gets the first one's answer), every other
 * journey to `others`.
 */
export function followUpsFirst(followUps: FollowUps, others: JourneySubmitter): JourneySubmitter {
  const submitting = new WeakMap<Journey, Promise<Envelope<JourneyResult>>>();
  return {
    submit(journey, language) {
      if (!FollowUps.is(journey))
        return others.submit(journey, language).then((result) => {
          followUps.answered(journey, result);
          return result;
        });
      const running = submitting.get(journey);
      if (running !== undefined) return running;
      const answer = followUps.submit(journey, language).then(
        (result) => {
          if (!result.ok) submitting.delete(journey);
          return result;
        },
        (error: unknown) => {
          submitting.delete(journey);
          throw error;
        },
      );
      submitting.set(journey, answer);
      return answer;
    },
  };
}
