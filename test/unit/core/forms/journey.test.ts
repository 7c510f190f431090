import { describe, expect, it } from 'vitest';
import type { MrzDocument } from '../../../../api/contract.ts';
import { fieldSchema, stepSchema } from '../../../../api/forms.ts';
import { Journey, type ServiceDefinition, titleCase } from '../../../../core/forms/journey.ts';
import { callbackRequest } from '../../../../core/services/callback-request.ts';
import { commitmentPrivate } from '../../../../core/services/commitment-private.ts';
import { serviceDefinitions } from '../../../../core/services/index.ts';

const today = () => '2026-11-29';

describe('service definitions', () => {
  for (const definition of serviceDefinitions.values()) {
    it(`${definition.id} is well formed`, () => {
      const ids = new Set<string>();
      for (const step of definition.steps) {
        expect(stepSchema.safeParse(step).success, step.id).toBe(true);
        for (const field of step.fields) {
          expect(fieldSchema.safeParse(field).success, field.id).toBe(true);
          expect(ids.has(field.id), `field id ${field.id} used twice`).toBe(false);
          ids.add(field.id);
          if (field.type === 'choice') expect(field.options?.length, field.id).toBeGreaterThan(0);
        }
      }
      for (const step of definition.steps) {
        for (const field of step.fields) {
          if (field.visibleIf)
            expect(ids.has(field.visibleIf.field), `${field.id} depends on a known field`).toBe(true);
        }
        for (const check of step.checks ?? []) {
          expect(step.fields.map((f) => f.id)).toEqual(expect.arrayContaining([check.field, check.other]));
        }
      }
      expect(new Set(definition.steps.map((s) => s.id)).size).toBe(definition.steps.length);
    });
  }
});

describe('Journey', () => {
  it('keeps invalid input, reports errors by field and advances only when the step holds', () => {
    const journey = new Journey(callbackRequest, today);
    journey.submitStep({ topic: 'residencePermit', urgency: 'deadline', deadline: '2026-11-01' });
    const state = journey.state();
    expect(state.index).toBe(0);
    expect(state.errors).toEqual({ deadline: 'date_in_past' });
    expect(state.values).toEqual({ topic: 'residencePermit', urgency: 'deadline', deadline: '2026-11-01' });
    journey.submitStep({ deadline: '2026-12-15' });
    expect(journey.state().index).toBe(1);
  });

  it('drops values of fields a condition hides', () => {
    const journey = new Journey(callbackRequest, today);
    journey.submitStep({ topic: 'other', urgency: 'deadline', deadline: '2026-12-15' });
    journey.back();
    journey.submitStep({ urgency: 'normal' });
    expect(journey.values()).toEqual({ topic: 'other', urgency: 'normal' });
  });

  it('shows a review of every step and jumps back only to steps already reached', () => {
    const journey = new Journey(callbackRequest, today);
    expect(journey.goto('contact')).toBe('journey.not_at_step');
    journey.submitStep({ topic: 'appointment', urgency: 'normal' });
    journey.submitStep({
      lastName: 'Kovalenko',
      phone: '+49 341 1234567',
      callLanguage: 'uk',
      timeWindow: 'any',
    });
    const review = journey.state();
    expect(review.step.kind).toBe('review');
    expect(review.summary).toEqual([
      {
        stepId: 'topic',
        fields: [
          { id: 'topic', type: 'choice', value: 'appointment' },
          { id: 'urgency', type: 'choice', value: 'normal' },
        ],
      },
      {
        stepId: 'contact',
        fields: [
          { id: 'lastName', type: 'name', value: 'Kovalenko' },
          { id: 'firstNames', type: 'name', value: null },
          { id: 'phone', type: 'phone', value: '+49 341 1234567' },
          { id: 'callLanguage', type: 'choice', value: 'uk' },
          { id: 'timeWindow', type: 'choice', value: 'any' },
        ],
      },
    ]);
    expect(journey.goto('topic')).toBeNull();
    expect(journey.state().index).toBe(0);
    expect(journey.goto('review')).toBeNull();
    expect(journey.goto('declarations')).toBe('journey.not_at_step');
    expect(journey.goto('nowhere')).toBe('journey.unknown_step');
  });

  it('is complete only when every step holds', () => {
    const journey = new Journey(callbackRequest, today);
    journey.submitStep({ topic: 'appointment', urgency: 'normal' });
    journey.submitStep({
      lastName: 'Kovalenko',
      phone: '+49 341 1234567',
      callLanguage: 'uk',
      timeWindow: 'any',
    });
    journey.submitStep({});
    expect(journey.atLastStep).toBe(true);
    expect(journey.firstInvalidStep()).toBe('declarations');
    journey.submitStep({ consentContact: true });
    expect(journey.firstInvalidStep()).toBeNull();
  });

  it('fills a document step from a read, names as people write them', () => {
    const journey = new Journey(commitmentPrivate, today);
    journey.submitStep({
      livesInCity: 'yes',
      residenceStatus: 'permit',
      titleValidUntil: '2028-06-30',
      stayLength: 'upTo90Days',
    });
    journey.submitStep({ liabilityAcknowledged: true });
    const filled = journey.fillFromDocument({
      valid: true,
      format: 'TD1',
      documentCode: 'ID',
      issuingState: 'D',
      documentNumber: 'L01X00T47',
      nationality: 'D',
      birthDate: '1964-08-12',
      expiryDate: '2031-10-31',
      sex: 'F',
      lastName: 'MUSTERMANN',
      firstNames: 'ERIKA',
      errors: [],
      warnings: [],
      suggestions: [],
    });
    expect(filled).toEqual(['lastName', 'firstNames', 'birthDate', 'nationality', 'documentNumber']);
    expect(journey.state().values).toMatchObject({
      lastName: 'Mustermann',
      firstNames: 'Erika',
      nationality: 'D',
    });
  });

  it('tells the screen the earlier answers its conditions depend on', () => {
    const definition = {
      ...callbackRequest,
      steps: [
        callbackRequest.steps[0],
        {
          id: 'later',
          kind: 'form' as const,
          fields: [
            {
              id: 'why',
              type: 'text' as const,
              required: true,
              visibleIf: { field: 'urgency', equals: 'deadline' },
            },
          ],
        },
      ],
    } as typeof callbackRequest;
    const journey = new Journey(definition, today);
    journey.submitStep({ topic: 'other', urgency: 'deadline', deadline: '2026-12-15' });
    expect(journey.state()).toMatchObject({ context: { urgency: 'deadline' }, values: { why: null } });
    journey.submitStep({});
    expect(journey.state().errors).toEqual({ why: 'required' });
  });

  it('forgets everything when told to', () => {
    const journey = new Journey(callbackRequest, today);
    journey.submitStep({ topic: 'appointment', urgency: 'normal' });
    journey.forget();
    expect(journey.values()).toEqual({});
    expect(journey.state().index).toBe(0);
  });

  it('title-cases MRZ names in any script', () => {
    expect(titleCase('ERIKSSON')).toBe('Eriksson');
    expect(titleCase('ANNA MARIA')).toBe('Anna Maria');
    expect(titleCase("O'BRIEN-SMITH")).toBe("O'Brien-Smith");
  });
});

/** A document step read by the reader or typed, then a form: the shape of a guest's passport step. */
const withDocument: ServiceDefinition = {
  id: 'commitment-private',
  icon: 'handshake',
  guestAllowed: true,
  submission: 'application',
  steps: [
    {
      id: 'guest',
      kind: 'document',
      readerOptional: true,
      fields: [
        { id: 'lastName', type: 'name', required: true, fillFrom: 'lastName' },
        { id: 'birthDate', type: 'date', required: true, dateRange: 'past', fillFrom: 'birthDate' },
      ],
    },
    { id: 'purpose', kind: 'form', fields: [{ id: 'why', type: 'text', required: true }] },
  ],
};

/** Only the reader fills the document, and a clerk's verification follows: account activation's shape. */
const readerOnly: ServiceDefinition = {
  id: 'account-activation',
  icon: 'id-card',
  guestAllowed: false,
  submission: 'activation',
  steps: [
    {
      id: 'document',
      kind: 'document',
      readerOnly: true,
      fields: [
        { id: 'docLastName', type: 'name', required: true, fillFrom: 'lastName' },
        { id: 'docExpiryDate', type: 'date', required: true, dateRange: 'any', fillFrom: 'expiryDate' },
      ],
    },
    { id: 'verification', kind: 'verification', fields: [] },
  ],
};

function passport(change: Partial<MrzDocument> = {}): MrzDocument {
  return {
    valid: true,
    format: 'TD3',
    documentCode: 'P',
    issuingState: 'UTO',
    documentNumber: 'L898902C3',
    nationality: 'UTO',
    birthDate: '1974-08-12',
    expiryDate: '2031-04-15',
    sex: 'F',
    lastName: 'ERIKSSON',
    firstNames: 'ANNA MARIA',
    errors: [],
    warnings: [],
    suggestions: [],
    ...change,
  };
}

describe('Journey: documents on the reader', () => {
  it('fills nothing on a reader-only step from a read whose check digits fail', () => {
    const journey = new Journey(readerOnly, today);
    expect(journey.fillFromDocument(passport({ valid: false }))).toEqual([]);
    expect(journey.state().values).toEqual({ docLastName: null, docExpiryDate: null });
    expect(journey.fillFromDocument(passport())).toEqual(['docLastName', 'docExpiryDate']);
  });

  it('holds a step with an expired document until a clerk accepts it, and keeps the note with the data', () => {
    const journey = new Journey(withDocument, today);
    journey.fillFromDocument(passport({ expiryDate: '2012-04-15' }));
    expect(journey.state().document).toEqual({ expired: true, accepted: false });
    journey.submitStep({});
    expect(journey.state()).toMatchObject({ index: 0, errors: {} });
    expect(journey.firstInvalidStep()).toBe('guest');
    expect(journey.acceptExpiredDocument()).toBe(true);
    expect(journey.acceptExpiredDocument()).toBe(false);
    journey.submitStep({});
    expect(journey.state().index).toBe(1);
    expect(journey.state().document).toBeUndefined();
    expect(journey.expiredDocuments()).toEqual(['guest']);
    // Back on the step, the note is still there beside the data it belongs to.
    journey.back();
    expect(journey.state()).toMatchObject({
      document: { expired: true, accepted: true },
      values: { lastName: 'Eriksson' },
    });
    // Another document, valid this time, replaces the data and the note.
    journey.fillFromDocument(passport({ expiryDate: '2030-01-01', lastName: 'MUSTERMANN' }));
    expect(journey.state().document).toBeUndefined();
    expect(journey.expiredDocuments()).toEqual([]);
    journey.forget();
    journey.fillFromDocument(passport({ expiryDate: '2026-11-28' }));
    expect(journey.state().document).toEqual({ expired: true, accepted: false });
  });

  it('counts a document valid through today as not expired', () => {
    const journey = new Journey(withDocument, today);
    journey.fillFromDocument(passport({ expiryDate: '2026-11-29' }));
    expect(journey.state().document).toBeUndefined();
    journey.submitStep({});
    expect(journey.state().index).toBe(1);
  });

  it("leaves the decision on an expired document to the clerk's verification where one follows", () => {
    const journey = new Journey(readerOnly, today);
    journey.fillFromDocument(passport({ expiryDate: '2012-04-15' }));
    expect(journey.state().document).toEqual({ expired: true, accepted: false });
    journey.submitStep({});
    expect(journey.state().index).toBe(1);
  });
});

describe('Journey: checks after a step', () => {
  it('reopens the step just left with the problem a later check found', () => {
    const journey = new Journey(callbackRequest, today);
    journey.submitStep({ topic: 'appointment', urgency: 'normal' });
    journey.reopen('contact', { topic: 'account_not_found' });
    expect(journey.state().index).toBe(1);
    journey.reopen('topic', { topic: 'account_not_found' });
    expect(journey.state()).toMatchObject({
      index: 0,
      errors: { topic: 'account_not_found' },
      values: { topic: 'appointment' },
    });
  });
});
