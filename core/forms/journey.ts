import type { MrzDocument, ServiceId } from '../../api/contract.ts';
import type { FieldValues, JourneyState, StepDefinition } from '../../api/forms.ts';
import { isVisible } from '../../common/visibility.ts';
import { normalise, type ValidationCode, validateStep } from './validate.ts';

/** What a service produces when the visitor submits. */
export type SubmissionKind =
  | 'application'
  | 'callback'
  | 'lookup'
  | 'information'
  | 'activation'
  | 'ticket'
  | 'checkin'
  /** Documents handed in later for a case (core/follow-up.ts). */
  | 'follow-up';

export interface ServiceDefinition {
  readonly id: ServiceId;
  readonly icon: string;
  readonly guestAllowed: boolean;
  readonly submission: SubmissionKind;
  readonly steps: readonly StepDefinition[];
  /** While an answer has this value, the texts take the variant named `context` (`…_child`). */
  readonly wording?: { readonly field: string; readonly equals: string; readonly context: string };
}

export type JourneyError = 'journey.not_at_step' | 'journey.incomplete' | 'journey.unknown_step';

/**
 * One visitor's way through a service: the values typed or read so far (memory only, in the
 * session), the current step, and the errors of the last attempt to leave it.
 */
export class Journey {
  readonly #definition: ServiceDefinition;
  readonly #today: () => string;
  readonly #values: FieldValues = {};
  #index = 0;
  #furthest = 0;
  #errors: Record<string, ValidationCode> = {};
  /**
   * Document steps whose fields hold an expired document, and whether a clerk let it pass. The
   * note stays with the data: on Back and Forward, until another document replaces it.
   */
  readonly #expired = new Map<string, { accepted: boolean }>();
  /** The code of the stop rule the current step's answers met, if any. */
  #stop: string | null = null;

  constructor(definition: ServiceDefinition, today: () => string) {
    this.#definition = definition;
    this.#today = today;
  }

  get serviceId(): ServiceId {
    return this.#definition.id;
  }

  get definition(): ServiceDefinition {
    return this.#definition;
  }

  #step(): StepDefinition {
    const step = this.#definition.steps[this.#index];
    if (!step) throw new Error('journey index out of range');
    return step;
  }

  /** Whether a step belongs to the journey with the answers so far (its `showIf`). */
  #shown(step: StepDefinition): boolean {
    return !step.showIf || this.#values[step.showIf.field] === step.showIf.equals;
  }

  /** The steps that belong to the journey with the answers so far. */
  #shownSteps(): StepDefinition[] {
    return this.#definition.steps.filter((s) => this.#shown(s));
  }

  /** The next (or previous, `direction` -1) step index that belongs to the journey, or -1. */
  #neighbour(direction: 1 | -1): number {
    for (let i = this.#index + direction; i >= 0 && i < this.#definition.steps.length; i += direction) {
      const step = this.#definition.steps[i];
      if (step && this.#shown(step)) return i;
    }
    return -1;
  }

  /** The stop rule these answers meet on a step, if any. */
  #stopOf(step: StepDefinition): string | null {
    return step.stops?.find((rule) => this.#values[rule.field] === rule.equals)?.code ?? null;
  }

  state(): JourneyState {
    const step = this.#step();
    const shown = this.#shownSteps();
    const values: FieldValues = {};
    for (const field of step.fields) {
      if (isVisible(field, this.#values)) values[field.id] = this.#values[field.id] ?? null;
    }
    const own = new Set(step.fields.map((f) => f.id));
    const context: FieldValues = {};
    for (const field of step.fields) {
      const other = field.visibleIf?.field;
      if (other && !own.has(other)) context[other] = this.#values[other] ?? null;
    }
    return {
      serviceId: this.#definition.id,
      steps: shown.map((s) => ({ id: s.id, kind: s.kind })),
      index: Math.max(0, shown.indexOf(step)),
      step,
      values,
      ...(Object.keys(context).length > 0 ? { context } : {}),
      ...(this.#stop ? { stop: this.#stop } : {}),
      errors: { ...this.#errors },
      ...(step.kind === 'review' ? { summary: this.summary() } : {}),
      ...this.#documentNote(step),
      ...this.#wording(),
    };
  }

  #wording(): Pick<JourneyState, 'wording'> {
    const rule = this.#definition.wording;
    return rule && this.#values[rule.field] === rule.equals ? { wording: rule.context } : {};
  }

  /**
   * The steps of the journey whose document had expired and that a clerk let pass, for the
   * authority: the note goes with the sealed data (D17).
   */
  expiredDocuments(): string[] {
    return this.#shownSteps()
      .filter((step) => this.#expired.get(step.id)?.accepted === true)
      .map((step) => step.id);
  }

  #documentNote(step: StepDefinition): Pick<JourneyState, 'document'> {
    const expired = this.#expired.get(step.id);
    return expired ? { document: { expired: true, accepted: expired.accepted } } : {};
  }

  /**
   * Whether an expired document holds this step until a clerk decides. Where a later step is a
   * clerk's verification (account activation), the clerk decides there, with the document beside.
   */
  #heldByExpiry(step: StepDefinition): boolean {
    const expired = this.#expired.get(step.id);
    if (!expired || expired.accepted) return false;
    return !this.#definition.steps.some((s) => s.kind === 'verification');
  }

  /** A clerk saw the expired document on the step on screen and lets the visitor go on with it. */
  acceptExpiredDocument(): boolean {
    const expired = this.#expired.get(this.#step().id);
    if (!expired || expired.accepted) return false;
    expired.accepted = true;
    return true;
  }

  /** Every earlier step's visible fields with their values, for the review screen's edit links. */
  summary(): NonNullable<JourneyState['summary']> {
    return this.#shownSteps()
      .filter((s) => s.fields.length > 0 && s.kind !== 'declarations' && s.kind !== 'acknowledge')
      .map((s) => ({
        stepId: s.id,
        fields: s.fields
          .filter((f) => isVisible(f, this.#values))
          .map((f) => ({ id: f.id, type: f.type, value: this.#values[f.id] ?? null })),
      }));
  }

  /**
   * Takes the values of the current step. Values the visitor typed are kept even when invalid,
   * so a mistake costs one correction, not the whole form; the step is left only when all hold.
   */
  submitStep(input: FieldValues): { advanced: boolean } {
    const step = this.#step();
    const merged: FieldValues = { ...this.#values };
    for (const field of step.fields) {
      if (step.readerOnly) break;
      if (Object.hasOwn(input, field.id)) merged[field.id] = normalise(input[field.id]);
    }
    // Fields a condition hides are dropped, so nothing stale is submitted.
    for (const field of step.fields) if (!isVisible(field, merged)) delete merged[field.id];
    for (const key of Object.keys(this.#values)) delete this.#values[key];
    Object.assign(this.#values, merged);
    this.#errors = validateStep(step, this.#values, this.#today());
    this.#stop = Object.keys(this.#errors).length > 0 ? null : this.#stopOf(step);
    if (Object.keys(this.#errors).length > 0 || this.#stop !== null || this.#heldByExpiry(step)) {
      return { advanced: false };
    }
    const next = this.#neighbour(1);
    if (next >= 0) {
      this.#index = next;
      this.#furthest = Math.max(this.#furthest, this.#index);
    }
    return { advanced: true };
  }

  back(): boolean {
    const previous = this.#neighbour(-1);
    if (previous < 0) return false;
    this.#index = previous;
    this.#errors = {};
    this.#stop = null;
    return true;
  }

  /**
   * Returns to the step just left and marks its fields: a check the core made after the step
   * (an account looked up at the portal) did not hold. The values stay for the visitor to correct.
   */
  reopen(stepId: string, errors: Readonly<Record<string, ValidationCode>>): void {
    const target = this.#definition.steps.findIndex((s) => s.id === stepId);
    if (target < 0 || target > this.#index) return;
    this.#index = target;
    this.#errors = { ...errors };
  }

  /** Jumps to a step already reached (the review's edit links). */
  goto(stepId: string): JourneyError | null {
    const target = this.#definition.steps.findIndex((s) => s.id === stepId);
    const step = this.#definition.steps[target];
    if (!step || !this.#shown(step)) return 'journey.unknown_step';
    if (target > this.#furthest) return 'journey.not_at_step';
    this.#index = target;
    this.#errors = {};
    this.#stop = null;
    return null;
  }

  /**
   * Fills fields of any step that are still empty (what a signed-in account already tells, such
   * as the birth date); the visitor sees and can change them on their step.
   */
  prefill(values: FieldValues): void {
    for (const step of this.#definition.steps) {
      for (const field of step.fields) {
        if (Object.hasOwn(values, field.id) && this.#values[field.id] == null) {
          this.#values[field.id] = normalise(values[field.id]);
        }
      }
    }
  }

  /** Sets fields of the current step (e.g. from a scanned code) without leaving it. */
  fill(values: FieldValues): string[] {
    const filled: string[] = [];
    for (const field of this.#step().fields) {
      if (!Object.hasOwn(values, field.id)) continue;
      this.#values[field.id] = normalise(values[field.id]);
      delete this.#errors[field.id];
      filled.push(field.id);
    }
    return filled;
  }

  /**
   * Fills the current step's reader fields from a document read; returns the ids filled. On a
   * step only the reader fills, a read whose check digits fail fills nothing: its data would be
   * shown as if they were right, and nobody there may correct them.
   */
  fillFromDocument(document: MrzDocument): string[] {
    const filled: string[] = [];
    const step = this.#step();
    if (step.readerOnly && !document.valid) return filled;
    if (document.expiryDate && document.expiryDate < this.#today())
      this.#expired.set(step.id, { accepted: false });
    else this.#expired.delete(step.id);
    for (const field of step.fields) {
      if (!field.fillFrom) continue;
      const value = document[field.fillFrom];
      // A choice takes only one of its options (the MRZ's "<" for an unspecified sex is none).
      if (field.type === 'choice' && !field.options?.includes(String(value))) continue;
      if (typeof value === 'string' && value !== '') {
        this.#values[field.id] = field.type === 'name' ? titleCase(value) : value;
        delete this.#errors[field.id];
        filled.push(field.id);
      }
    }
    return filled;
  }

  /** The first step whose visible fields do not all hold, or null when the journey is complete. */
  firstInvalidStep(): string | null {
    for (const step of this.#shownSteps()) {
      if (Object.keys(validateStep(step, this.#values, this.#today())).length > 0) return step.id;
      if (this.#heldByExpiry(step) || this.#stopOf(step) !== null) return step.id;
    }
    return null;
  }

  get currentStep(): StepDefinition {
    return this.#step();
  }

  get atLastStep(): boolean {
    return this.#neighbour(1) < 0;
  }

  /** The visible values of every step that belongs to the journey, for the submission. */
  values(): FieldValues {
    const result: FieldValues = {};
    for (const step of this.#shownSteps()) {
      for (const field of step.fields) {
        if (isVisible(field, this.#values) && this.#values[field.id] !== undefined) {
          result[field.id] = this.#values[field.id] ?? null;
        }
      }
    }
    return result;
  }

  /** Forgets everything the visitor entered. */
  forget(): void {
    for (const key of Object.keys(this.#values)) delete this.#values[key];
    this.#errors = {};
    this.#expired.clear();
    this.#stop = null;
    this.#index = 0;
    this.#furthest = 0;
  }
}

/** MRZ names are upper case; forms show them as people write them ("ANNA MARIA" → "Anna Maria"). */
export function titleCase(value: string): string {
  return value
    .toLowerCase()
    .replace(/(^|[\s'-])(\p{L})/gu, (_m, sep: string, letter: string) => sep + letter.toUpperCase());
}
