import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FieldValues, MrzField } from '../../../api/forms.ts';
import { defaultAuthorityFacts } from '../../../core/authority.ts';
import { Journey, type ServiceDefinition } from '../../../core/forms/journey.ts';
import { signInLevels } from '../../../core/identify.ts';
import { commitmentCompany } from '../../../core/services/commitment-company.ts';
import { commitmentClosingSteps, guestSteps } from '../../../core/services/commitment-private.ts';
import { serviceDefinitions } from '../../../core/services/index.ts';
import { residencePermit } from '../../../core/services/residence-permit.ts';
import { applicationData, journeyChecklist } from '../../../core/submit.ts';

const today = () => '2026-11-29';

type Tree = { [key: string]: unknown };
const LOCALES_DIR = join(import.meta.dirname, '../../../renderer/locales');
const locale = (code: string) => JSON.parse(readFileSync(join(LOCALES_DIR, `${code}.json`), 'utf8')) as Tree;

function text(tree: Tree, path: string): unknown {
  let node: unknown = tree;
  for (const part of path.split('.')) node = (node as Tree | undefined)?.[part];
  return node;
}

/** Walks a journey step by step with the given values per step; fails at the first step that does not hold. */
function walk(definition: ServiceDefinition, byStep: Record<string, FieldValues>): Journey {
  const journey = new Journey(definition, today);
  for (const step of definition.steps) {
    expect(journey.currentStep.id).toBe(step.id);
    const { advanced } = journey.submitStep(byStep[step.id] ?? {});
    expect(journey.state().errors, step.id).toEqual({});
    expect(advanced, step.id).toBe(true);
  }
  expect(journey.atLastStep).toBe(true);
  expect(journey.firstInvalidStep()).toBeNull();
  return journey;
}

/** The ids of the visible fields of the current step, as the engine shows them. */
const visibleIds = (journey: Journey) => Object.keys(journey.state().values);

const guestAndStay: Record<string, FieldValues> = {
  guest: {
    guestLastName: 'Nakamura',
    guestFirstNames: 'Haruto',
    guestBirthDate: '1985-03-14',
    guestNationality: 'JPN',
    guestPassportNumber: 'TR1234567',
    guestRelation: 'business',
  },
  stay: {
    arrivalDate: '2027-02-01',
    departureDate: '2027-02-14',
    stayPurpose: 'business',
    accommodation: 'other',
  },
  declarations: { truthful: true, privacy: true },
};

const company: Record<string, FieldValues> = {
  eligibility: { companySeat: 'inCity', stayLength: 'upTo90Days' },
  liability: { liabilityAcknowledged: true },
  company: {
    companyName: 'Muster Maschinenbau GmbH',
    legalForm: 'gmbh',
    registered: 'yes',
    registerCourt: 'Amtsgericht Leipzig',
    registerNumber: 'HRB 12345',
  },
  companyAddress: {
    street: 'Industriestraße',
    houseNumber: '7a',
    postcode: '04109',
    city: 'Leipzig',
    phone: '+49 341 1234567',
  },
  representative: {
    lastName: 'Mustermann',
    firstNames: 'Erika',
    birthDate: '1964-08-12',
    nationality: 'D',
    documentNumber: 'L01X00T47',
  },
  role: { representativeRole: 'managingDirector', authorityToAct: true },
  ...guestAndStay,
};

const permit: Record<string, FieldValues> = {
  request: {
    request: 'permit',
    permitRequest: 'extend',
    currentTitle: 'residencePermit',
    currentTitleExpiry: '2027-01-15',
    purpose: 'employment',
    employerName: 'Muster Logistik GmbH',
    jobTitle: 'Lagerlogistiker',
    grossSalary: '3200,50',
  },
  personal: {
    lastName: 'Öztürk',
    firstNames: 'Ayşe',
    birthDate: '1990-01-31',
    nationality: 'TUR',
    documentNumber: 'U12345678',
  },
  address: {
    street: 'Hauptstraße',
    houseNumber: '12',
    postcode: '04109',
    city: 'Leipzig',
    phone: '+49 341 7654321',
    email: 'ayse@beispiel.de',
  },
  photo: { photoRuleAcknowledged: true },
  card: { pickupLocation: 'serviceNord', pinLetterAcknowledged: true },
  declarations: { truthful: true, privacy: true },
};

describe('commitment by a company', () => {
  it('reuses the guest, stay and closing steps of the private declaration', () => {
    const ids = commitmentCompany.steps.map((s) => s.id);
    expect(ids.slice(-5)).toEqual([...guestSteps, ...commitmentClosingSteps].map((s) => s.id));
    expect(commitmentCompany.steps.slice(-5)).toEqual([...guestSteps, ...commitmentClosingSteps]);
  });

  it('is complete with a registered company and a managing director', () => {
    const journey = walk(commitmentCompany, company);
    const values = journey.values();
    expect(values).toMatchObject({ legalForm: 'gmbh', registerNumber: 'HRB 12345', authorityToAct: true });
    // The representative's birth date makes the status lookup work.
    expect(applicationData(commitmentCompany, values, 'de').applicant).toEqual({
      birthDate: '1964-08-12',
      lastName: 'Mustermann',
      firstNames: 'Erika',
    });
    expect(applicationData(commitmentCompany, values, 'de')).not.toHaveProperty('account');
    // Signed in with a service account: the authority files the application under it, and knows
    // how strongly the sign-in identified its holder (E16): a password alone identifies nobody;
    // with the code sent to the account's phone, two factors make it substantial.
    for (const level of Object.values(signInLevels)) {
      expect(
        applicationData(commitmentCompany, values, 'de', { accountId: 'acc-demo-kemal', ...level }).account,
      ).toEqual({ accountId: 'acc-demo-kemal', ...level });
    }
    expect(signInLevels['password+mtan']).toEqual({
      authentication: 'password+mtan',
      assurance: 'substantial',
    });
    expect(signInLevels.password).toEqual({ authentication: 'password', assurance: 'low' });
  });

  it('asks for the register entry only when there is one, and for the legal form only when it is another', () => {
    const journey = new Journey(commitmentCompany, today);
    journey.submitStep(company.eligibility ?? {});
    journey.submitStep(company.liability ?? {});
    journey.submitStep({ companyName: 'Muster & Partner GbR', legalForm: 'gbr', registered: 'no' });
    expect(journey.state().errors).toEqual({});
    expect(journey.currentStep.id).toBe('companyAddress');
    journey.back();
    expect(visibleIds(journey)).toEqual(['companyName', 'legalForm', 'registered']);
    journey.submitStep({ legalForm: 'other', registered: 'yes' });
    expect(journey.state().errors).toEqual({
      legalFormOther: 'required',
      registerCourt: 'required',
      registerNumber: 'required',
    });
    journey.submitStep({
      legalFormOther: 'eG',
      registerCourt: 'Amtsgericht Leipzig',
      registerNumber: 'GnR 1',
    });
    expect(journey.currentStep.id).toBe('companyAddress');
  });

  it('keeps the register number short', () => {
    const journey = new Journey(commitmentCompany, today);
    journey.submitStep(company.eligibility ?? {});
    journey.submitStep(company.liability ?? {});
    journey.submitStep({ ...company.company, registerNumber: 'HRB '.padEnd(21, '1') });
    expect(journey.state().errors).toEqual({ registerNumber: 'too_long' });
  });

  it('does not go on until the representative confirms the authority to act', () => {
    const journey = new Journey(commitmentCompany, today);
    for (const id of ['eligibility', 'liability', 'company', 'companyAddress', 'representative']) {
      journey.submitStep(company[id] ?? {});
    }
    journey.submitStep({ representativeRole: 'powerOfAttorney' });
    expect(journey.state().errors).toEqual({ authorityToAct: 'must_accept' });
    journey.submitStep({ authorityToAct: true });
    expect(journey.currentStep.id).toBe('guest');
  });
});

describe('residence permit', () => {
  it('is complete for an extension for employment', () => {
    const journey = walk(residencePermit, permit);
    expect(journey.values()).toMatchObject({
      request: 'permit',
      permitRequest: 'extend',
      currentTitleExpiry: '2027-01-15',
      grossSalary: '3200,50',
      pickupLocation: 'serviceNord',
    });
    expect(applicationData(residencePermit, journey.values(), 'tr').applicant).toEqual({
      birthDate: '1990-01-31',
      lastName: 'Öztürk',
      firstNames: 'Ayşe',
    });
  });

  it('is complete for a new card only, without purpose or expiry', () => {
    const journey = walk(residencePermit, {
      ...permit,
      request: { request: 'cardOnly', cardReason: 'lost', currentTitle: 'settlementPermit' },
    });
    const values = journey.values();
    expect(values.request).toBe('cardOnly');
    for (const hidden of ['permitRequest', 'purpose', 'currentTitleExpiry', 'employerName']) {
      expect(values, hidden).not.toHaveProperty(hidden);
    }
  });

  it('is complete for a first permit for studies, family reunification, humanitarian and other purposes', () => {
    const first = { request: 'permit', permitRequest: 'firstPermit', currentTitle: 'visa' };
    walk(residencePermit, {
      ...permit,
      request: {
        ...first,
        purpose: 'study',
        university: 'Universität Leipzig',
        subject: 'Informatik',
        enrolledUntil: '2027-03-31',
      },
    });
    walk(residencePermit, {
      ...permit,
      request: {
        ...first,
        purpose: 'family',
        familyRelation: 'spouse',
        familyMemberName: 'Mehmet Öztürk',
        familyMemberStatus: 'settlement',
      },
    });
    walk(residencePermit, {
      ...permit,
      request: { ...first, currentTitle: 'none', purpose: 'humanitarian' },
    });
    walk(residencePermit, {
      ...permit,
      request: { ...first, purpose: 'other', purposeDescription: 'Au-pair' },
    });
  });

  it('shows the fields of each purpose only for that purpose', () => {
    const byPurpose: Record<string, string[]> = {
      employment: ['employerName', 'jobTitle', 'grossSalary'],
      study: ['university', 'subject', 'enrolledUntil'],
      family: ['familyRelation', 'familyMemberName', 'familyMemberStatus'],
      humanitarian: ['fileNumber'],
      other: ['purposeDescription'],
    };
    const all = Object.values(byPurpose).flat();
    for (const [purpose, own] of Object.entries(byPurpose)) {
      const journey = new Journey(residencePermit, today);
      journey.submitStep({ request: 'permit', permitRequest: 'firstPermit', currentTitle: 'visa', purpose });
      // Only the file number (humanitarian) is optional: that purpose needs nothing more to go on.
      const required = own.filter((id) => id !== 'fileNumber');
      expect(Object.keys(journey.state().errors).sort(), purpose).toEqual([...required].sort());
      if (required.length === 0) {
        expect(journey.currentStep.id).toBe('personal');
        journey.back();
      }
      const shown = visibleIds(journey);
      expect(
        shown.filter((id) => all.includes(id)),
        purpose,
      ).toEqual(own);
    }
  });

  it('asks for the expiry only for an extension, and for the purpose only for a permit', () => {
    const journey = new Journey(residencePermit, today);
    journey.submitStep({ request: 'permit', permitRequest: 'extend', currentTitle: 'blueCard' });
    expect(journey.state().errors).toEqual({ currentTitleExpiry: 'required', purpose: 'choose_one' });
    journey.submitStep({ permitRequest: 'firstPermit' });
    expect(visibleIds(journey)).not.toContain('currentTitleExpiry');
    expect(journey.state().errors).toEqual({ purpose: 'choose_one' });
    journey.submitStep({ request: 'cardOnly' });
    expect(visibleIds(journey)).toEqual(['request', 'cardReason', 'currentTitle']);
    expect(journey.state().errors).toEqual({ cardReason: 'choose_one' });
  });

  it('drops what a changed answer hides, down the chain', () => {
    const journey = new Journey(residencePermit, today);
    journey.submitStep(permit.request ?? {});
    expect(journey.currentStep.id).toBe('personal');
    journey.back();
    // The screen still sends the old values of fields it no longer shows.
    journey.submitStep({ ...permit.request, request: 'cardOnly', cardReason: 'newPassport' });
    expect(journey.currentStep.id).toBe('personal');
    expect(journey.values()).toEqual({
      request: 'cardOnly',
      cardReason: 'newPassport',
      currentTitle: 'residencePermit',
    });
  });

  it('accepts an expiry already passed (the title must still be extended), but no past end of enrolment', () => {
    const journey = new Journey(residencePermit, today);
    journey.submitStep({ ...permit.request, currentTitleExpiry: '2026-11-01' });
    expect(journey.state().errors).toEqual({});
    journey.back();
    journey.submitStep({
      request: 'permit',
      permitRequest: 'firstPermit',
      currentTitle: 'visa',
      purpose: 'study',
      university: 'Universität Leipzig',
      subject: 'Informatik',
      enrolledUntil: '2026-09-30',
    });
    expect(journey.state().errors).toEqual({ enrolledUntil: 'date_in_past' });
  });

  it('does not go on without the photo rule and the PIN letter confirmed', () => {
    const journey = new Journey(residencePermit, today);
    for (const id of ['request', 'personal', 'address']) journey.submitStep(permit[id] ?? {});
    expect(journey.currentStep.id).toBe('photo');
    journey.submitStep({});
    expect(journey.state().errors).toEqual({ photoRuleAcknowledged: 'must_accept' });
    journey.submitStep({ photoRuleAcknowledged: true });
    journey.submitStep({ pickupLocation: 'serviceMitte' });
    expect(journey.state().errors).toEqual({ pinLetterAcknowledged: 'must_accept' });
  });
});

describe('conditions and reader fields', () => {
  for (const definition of serviceDefinitions.values()) {
    it(`${definition.id}: every condition refers to a field of its own step`, () => {
      // The screen decides what to show from the values of the step it shows.
      for (const step of definition.steps) {
        const own = step.fields.map((f) => f.id);
        for (const field of step.fields) {
          if (field.visibleIf) expect(own, `${step.id}.${field.id}`).toContain(field.visibleIf.field);
        }
      }
    });
  }

  it.each([commitmentCompany, residencePermit])(
    '$id reads the person from a document into birthDate',
    (d) => {
      const fills = new Map<MrzField, string>();
      for (const step of d.steps.filter((s) => s.kind === 'document' && !s.id.startsWith('guest'))) {
        for (const field of step.fields) if (field.fillFrom) fills.set(field.fillFrom, field.id);
      }
      expect(Object.fromEntries(fills)).toEqual({
        lastName: 'lastName',
        firstNames: 'firstNames',
        birthDate: 'birthDate',
        nationality: 'nationality',
        documentNumber: 'documentNumber',
      });
    },
  );
});

describe('texts of every registered service', () => {
  const shownText = new Set(['acknowledge', 'checklist', 'document', 'declarations']);
  for (const code of ['de', 'en']) {
    const tree = locale(code);
    for (const definition of serviceDefinitions.values()) {
      it(`${code}: ${definition.id} has a text for every step, field and option`, () => {
        const base = `services.${definition.id}`;
        const missing: string[] = [];
        const need = (path: string) => {
          const value = text(tree, path);
          if (typeof value !== 'string' || value.trim() === '') missing.push(path);
        };
        for (const key of ['title', 'text', 'instead']) need(`${base}.${key}`);
        for (const step of definition.steps) {
          need(`${base}.steps.${step.id}.title`);
          if (shownText.has(step.kind)) need(`${base}.steps.${step.id}.text`);
          if (step.kind === 'checklist') {
            // The items come from the core (core/documents/checklists.ts), the list the receipt prints.
            const items = journeyChecklist(definition.id, {}, code, defaultAuthorityFacts);
            if (items.length === 0) missing.push(`${definition.id}: checklist items`);
          }
          for (const field of step.fields) {
            need(`${base}.fields.${field.id}.label`);
            for (const option of field.options ?? []) need(`${base}.fields.${field.id}.options.${option}`);
          }
        }
        expect(missing).toEqual([]);
      });
    }
  }
});
