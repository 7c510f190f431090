import type { DeviceRead, JourneyResult, ReadKind, ServiceId } from '../api/contract.ts';
import type { AssessmentNote, FieldDefinition, FieldValues, JourneyState } from '../api/forms.ts';
import type { ManualDocument } from '../api/staff.ts';
import { berlinDate, type Clock } from '../common/clock.ts';
import { type Envelope, err as fail, ok } from '../common/result.ts';
import type { AccountLookup, ActivationService } from './activation/service.ts';
import { photoCodeFormats } from './assessments/photo-code-formats.ts';
import { isOffered } from './catalogue.ts';
import type { EventBus } from './events.ts';
import { Journey } from './forms/journey.ts';
import type { ValidationCode } from './forms/validate.ts';
import type { JourneyUsage, UsageJourney } from './metrics/usage.ts';
import type { ReaderService } from './readers.ts';
import { serviceDefinitions } from './services/index.ts';
import type { SessionService } from './session.ts';

/** What a finished journey turns into: handed in by the composition root (queue, portal, printer). */
export interface JourneySubmitter {
  submit(journey: Journey, language: string): Promise<Envelope<JourneyResult>>;
}

/** A receipt's QR code: `ST1:` and the tracking number (core/documents makes and reads it). */
export type TrackingQrParser = (text: string) => string | null;
/** The QR on a service account's confirmation letter: the account's id, or null. */
export type AccountQrParser = (text: string) => string | null;

const journeyKey = 'journey';

export const journeyErrors = {
  none: 'journey.none',
  notOffered: 'journey.not_offered',
  incomplete: 'journey.incomplete',
  notAtStep: 'journey.not_at_step',
  needsClerk: 'journey.needs_clerk',
  unknownStep: 'journey.unknown_step',
  noExpiredDocument: 'journey.no_expired_document',
} as const;

/**
 * The visitor's journey through a service, kept in the session (memory only) and forgotten with it.
 * It tells the readers what the current step can use: a document step takes a document read,
 * a step with a tracking number takes a scanned receipt.
 */
export interface JourneyServiceDeps {
  sessions: SessionService;
  readers: ReaderService;
  events: EventBus;
  clock: Clock;
  disabled: readonly ServiceId[];
  submitter: JourneySubmitter;
  parseTrackingQr: TrackingQrParser;
  parseAccountQr: AccountQrParser;
  /**
   * Values already known for a new journey of `serviceId`: what a signed-in service account tells
   * (birth date), the case a status answer just named; empty for a guest.
   */
  prefill?: (serviceId: ServiceId) => FieldValues;
  /** Account activation: its document check and the clerk's decision. */
  activation?: ActivationService;
  /** The usage figures (core/metrics/usage.ts): journeys started, completed, abandoned, prints. */
  usage?: JourneyUsage;
  /** Whether the visitor signed in with a service account (else a guest), for the usage figures. */
  signedIn?: () => boolean;
  /** A checklist step's items for the answers so far, in the session's language (core/submit.ts). */
  checklist?: (serviceId: ServiceId, values: FieldValues, language: string) => string[];
  /**
   * A check the core makes when a step is left (a case looked up at the portal): the problem for
   * one of the step's fields, which reopens the step, or null.
   */
  afterStep?: (journey: Journey, stepId: string) => Promise<{ field: string; code: ValidationCode } | null>;
  /** An assessment step's notes for the answers so far (core/assessments/journey-notes.ts). */
  assess?: (serviceId: ServiceId, stepId: string, values: FieldValues) => AssessmentNote[];
}

export class JourneyService {
  readonly #deps: JourneyServiceDeps;
  readonly #unsubscribe: () => void;
  /** The journey on screen as the usage figures follow it, until it completes or is left. */
  #open: { readonly journey: Journey; readonly usage: UsageJourney } | null = null;

  constructor(deps: JourneyServiceDeps) {
    this.#deps = deps;
    this.#unsubscribe = deps.events.subscribe((event) => {
      if (event.name === 'device.read') this.#onRead(event.payload);
      else if (event.name === 'session.ended') this.#left();
    });
    if (deps.activation) deps.activation.onChanged = () => this.#emitUpdate();
  }

  /** The journey of the visitor session on screen, for staff actions on it. */
  journey(): Journey | null {
    return this.#journey();
  }

  #state(journey: Journey): JourneyState {
    const plain = journey.state();
    const checklist = this.#deps.checklist;
    const language = this.#deps.sessions.current()?.language;
    const assess = this.#deps.assess;
    const state =
      plain.step.kind === 'checklist' && checklist && language
        ? { ...plain, checklist: checklist(journey.definition.id, journey.values(), language) }
        : plain.step.kind === 'assessment' && assess
          ? { ...plain, assessment: assess(journey.definition.id, plain.step.id, journey.values()) }
          : plain;
    return this.#deps.activation ? this.#deps.activation.decorate(journey, state) : state;
  }

  #emitUpdate(): void {
    const journey = this.#journey();
    if (journey) this.#deps.events.emit('journey.updated', this.#state(journey));
  }

  #journey(): Journey | null {
    const journey = this.#deps.sessions.data()?.get(journeyKey);
    return journey instanceof Journey ? journey : null;
  }

  #answer(journey: Journey): Envelope<JourneyState> {
    this.#expectReads(journey);
    this.#deps.activation?.prepare(journey);
    return ok(this.#state(journey));
  }

  start(serviceId: ServiceId): Envelope<JourneyState> {
    const data = this.#deps.sessions.data();
    if (!data) return fail('session.none', 'no session');
    const definition = serviceDefinitions.get(serviceId);
    if (!definition || !isOffered(serviceId, this.#deps.disabled)) {
      return fail(journeyErrors.notOffered, 'service not offered at this terminal');
    }
    this.#left();
    this.#journey()?.forget();
    const journey = new Journey(definition, () => berlinDate(this.#deps.clock.now()));
    if (definition.submission !== 'activation') journey.prefill(this.#deps.prefill?.(serviceId) ?? {});
    data.set(journeyKey, journey);
    const usage = this.#deps.usage?.journeyStarted(
      serviceId,
      this.#deps.sessions.current()?.language ?? '',
      this.#deps.signedIn?.() ? 'account' : 'guest',
    );
    if (usage) this.#open = { journey, usage };
    this.#deps.sessions.touch();
    return this.#answer(journey);
  }

  current(): JourneyState | null {
    const journey = this.#journey();
    return journey ? this.#state(journey) : null;
  }

  /** A clerk typed the document data on a document step (the reader could not read it). */
  enterDocument(entry: ManualDocument): Envelope<JourneyState> {
    const journey = this.#journey();
    const activation = this.#deps.activation;
    if (!journey || !activation) return fail(journeyErrors.none, 'no journey');
    const filled = activation.enterManually(journey, entry);
    if (!filled.ok) return filled;
    this.#deps.sessions.touch();
    const answer = this.#answer(journey);
    // The visitor's screen shows what the clerk typed, as it shows a document read.
    this.#emitUpdate();
    return answer;
  }

  /** A clerk lets the visitor go on with the expired document on the step on screen. */
  acceptExpiredDocument(): Envelope<JourneyState> {
    const journey = this.#journey();
    if (!journey) return fail(journeyErrors.none, 'no journey');
    if (!journey.acceptExpiredDocument())
      return fail(journeyErrors.noExpiredDocument, 'no expired document here');
    this.#deps.sessions.touch();
    this.#emitUpdate();
    return ok(this.#state(journey));
  }

  async step(values: FieldValues): Promise<Envelope<JourneyState>> {
    const journey = this.#journey();
    if (!journey) return fail(journeyErrors.none, 'no journey');
    const left = journey.currentStep;
    const { advanced } = journey.submitStep(values);
    const activation = this.#deps.activation;
    if (advanced && activation && journey.serviceId === 'account-activation' && left.id === 'find') {
      // The account is looked up before the visitor lays a document on the reader.
      const problem = lookupProblem(await activation.findAccount(journey.values()));
      // The visitor may have left (or the session ended) while the portal answered.
      if (this.#journey() !== journey) return fail(journeyErrors.none, 'no journey');
      if (problem) {
        const field = journey.values().findBy === 'letter' ? 'accountCode' : 'accountName';
        journey.reopen(left.id, { [field]: problem });
      }
    }
    if (advanced && this.#deps.afterStep) {
      const problem = await this.#deps.afterStep(journey, left.id);
      if (this.#journey() !== journey) return fail(journeyErrors.none, 'no journey');
      if (problem) journey.reopen(left.id, { [problem.field]: problem.code });
    }
    return this.#answer(journey);
  }

  back(): Envelope<JourneyState> {
    const journey = this.#journey();
    if (!journey) return fail(journeyErrors.none, 'no journey');
    journey.back();
    return this.#answer(journey);
  }

  goto(stepId: string): Envelope<JourneyState> {
    const journey = this.#journey();
    if (!journey) return fail(journeyErrors.none, 'no journey');
    const error = journey.goto(stepId);
    return error ? fail(error, 'cannot go to that step') : this.#answer(journey);
  }

  cancel(): boolean {
    const journey = this.#journey();
    if (!journey) return false;
    this.#left();
    journey.forget();
    this.#deps.sessions.data()?.delete(journeyKey);
    this.#deps.readers.cancel();
    return true;
  }

  async submit(): Promise<Envelope<JourneyResult>> {
    const journey = this.#journey();
    const session = this.#deps.sessions.current();
    if (!journey || !session) return fail(journeyErrors.none, 'no journey');
    if (journey.definition.submission === 'activation') {
      return fail(journeyErrors.needsClerk, 'a clerk confirms an activation');
    }
    if (!journey.atLastStep || journey.firstInvalidStep() !== null) {
      return fail(journeyErrors.incomplete, 'the journey is not complete');
    }
    this.#deps.readers.cancel();
    const result = await this.#deps.submitter.submit(journey, session.language);
    this.concluded(journey, result);
    return result;
  }

  /** A journey's end (a submission, or a clerk's decision on an activation), for the usage figures. */
  concluded(journey: Journey | null, result: Envelope<JourneyResult>): void {
    const open = this.#open;
    if (!result.ok || !open || open.journey !== journey) return;
    const value = result.value;
    if (value.kind === 'activation_refused') return;
    this.#open = null;
    open.usage.completed();
    if (value.kind === 'receipt' || value.kind === 'information' || value.kind === 'activation')
      this.#deps.usage?.printed(value.kind, value.print.state);
  }

  /** The journey on screen is left unfinished: at the step it shows. */
  #left(): void {
    const open = this.#open;
    this.#open = null;
    open?.usage.abandoned(open.journey.currentStep.id);
  }

  dispose(): void {
    this.#unsubscribe();
    this.#open = null;
  }

  #wantedReads(journey: Journey): ReadKind[] {
    const step = journey.currentStep;
    if (step.kind === 'document') return ['mrz'];
    if (step.fields.some((f) => f.type === 'tracking' || f.type === 'account' || f.type === 'photoCode'))
      return ['barcode'];
    return [];
  }

  #expectReads(journey: Journey): void {
    const kinds = this.#wantedReads(journey);
    if (kinds.length > 0) this.#deps.readers.expect(kinds);
    else this.#deps.readers.cancel();
  }

  #onRead(read: DeviceRead): void {
    const journey = this.#journey();
    if (!journey) return;
    let filled: string[] = [];
    if (read.kind === 'mrz' && journey.currentStep.kind === 'document') {
      filled = journey.fillFromDocument(read.document);
      this.#deps.activation?.documentRead(journey, read.document);
    } else if (read.kind === 'barcode') {
      const fields = journey.currentStep.fields;
      const tracking = this.#deps.parseTrackingQr(read.text);
      const trackingField = fields.find((f) => f.type === 'tracking');
      const account = this.#deps.parseAccountQr(read.text);
      const accountField = fields.find((f) => f.type === 'account');
      const photoField = fields.find((f) => f.type === 'photoCode');
      if (tracking && trackingField) filled = journey.fill(revealing(trackingField, tracking));
      else if (account && accountField) filled = journey.fill(revealing(accountField, account));
      else if (photoField && photoCodeFormats.some((f) => f.symbologies.includes(read.symbology)))
        filled = journey.fill(revealing(photoField, read.text.trim()));
    }
    if (filled.length > 0) {
      this.#deps.sessions.touch();
      this.#emitUpdate();
    }
  }
}

/** Why the account asked for on the first step cannot be activated here, or null when it was found. */
function lookupProblem(lookup: AccountLookup): ValidationCode | null {
  switch (lookup.kind) {
    case 'found':
      return null;
    case 'not_found':
      return 'account_not_found';
    case 'ambiguous':
      return 'account_ambiguous';
    case 'offline':
      return 'portal_unreachable';
  }
}

/**
 * A scanned value for a field, with the answer that makes the field visible: scanning the QR of
 * a letter answers "how do you want to find your account?" by itself.
 */
function revealing(field: FieldDefinition, value: string): FieldValues {
  const condition = field.visibleIf;
  return condition ? { [condition.field]: condition.equals, [field.id]: value } : { [field.id]: value };
}
