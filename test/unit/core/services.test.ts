import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FieldValues, MrzField, StepDefinition } from '../../../api/forms.ts';
import { journeyNotes, residenceFeeRequest } from '../../../core/assessments/journey-notes.ts';
import { defaultAuthorityFacts } from '../../../core/authority.ts';
import { defaultCatalog } from '../../../core/documents/locale.ts';
import { Journey, type ServiceDefinition } from '../../../core/forms/journey.ts';
import { validateStep } from '../../../core/forms/validate.ts';
import { signInLevels } from '../../../core/identify.ts';
import { commitmentCompany } from '../../../core/services/commitment-company.ts';
import {
  commitmentClosingSteps,
  commitmentEstimateStep,
  commitmentPrivate,
  guestSteps,
} from '../../../core/services/commitment-private.ts';
import { serviceDefinitions } from '../../../core/services/index.ts';
import { residencePermit } from '../../../core/services/residence-permit.ts';
import { applicationData, journeyChecklist, receiptCase } from '../../../core/submit.ts';

const today = () => '2026-11-29';

type Tree = { [key: string]: unknown };
const LOCALES_DIR = join(import.meta.dirname, '../../../renderer/locales');
const locale = (code: string) => JSON.parse(readFileSync(join(LOCALES_DIR, `${code}.json`), 'utf8')) as Tree;

function text(tree: Tree, path: string): unknown {
  let node: unknown = tree;
  for (const part of path.split('.')) node = (node as Tree | undefined)?.[part];
  return node;
}

/**
 * Walks a journey step by step with the given values per step, through the steps its answers
 * make part of it; fails at the first step that does not hold.
 */
function walk(definition: ServiceDefinition, byStep: Record<string, FieldValues>): Journey {
  const journey = new Journey(definition, today);
  for (let last = false; !last; ) {
    const step = journey.currentStep;
    last = journey.atLastStep;
    const { advanced } = journey.submitStep(byStep[step.id] ?? {});
    expect(journey.state().errors, step.id).toEqual({});
    expect(journey.state().stop, step.id).toBeUndefined();
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
    guestSex: 'M',
    guestBirthPlace: 'Osaka',
    guestHomeAddress: '1-2-3 Umeda, Kita-ku, Osaka',
    coTravellingSpouse: 'no',
    coTravellingChildren: '0',
  },
  stay: {
    arrivalDate: '2027-02-01',
    departureDate: '2027-02-14',
    stayPurpose: 'business',
    accommodation: 'other',
    accommodationAddress: 'Hotel am Ring, Ringstraße 1, 04109 Leipzig',
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
    applicantRole: 'self',
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
    sex: 'F',
  },
  background: {
    birthName: 'Yıldız',
    birthPlace: 'Izmir',
    birthCountry: 'TUR',
    maritalStatus: 'married',
    previousStays: 'no',
    healthInsurance: 'statutory',
    housing: 'rented',
  },
  record: { convictions: 'no', expulsions: 'no' },
  address: {
    street: 'Hauptstraße',
    houseNumber: '12',
    postcode: '04109',
    city: 'Leipzig',
    phone: '+49 341 7654321',
    email: 'ayse@beispiel.de',
  },
  timeliness: { fictionCertificate: 'yes', fictionReason: 'travel' },
  photo: { photoSource: 'station' },
  card: { pickupBy: 'proxy' },
  declarations: { truthful: true, privacy: true },
};

describe('commitment by a company', () => {
  it('reuses the guest, stay and closing steps of the private declaration', () => {
    const shared = [...guestSteps, commitmentEstimateStep, ...commitmentClosingSteps];
    expect(commitmentCompany.steps.slice(-shared.length)).toEqual(shared);
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
      fictionCertificate: 'yes',
      fictionReason: 'travel',
      pickupBy: 'proxy',
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
    // The timeliness step belongs to an extension only: its answers are not submitted.
    for (const hidden of [
      'permitRequest',
      'purpose',
      'currentTitleExpiry',
      'employerName',
      'fictionCertificate',
    ]) {
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
    expect(visibleIds(journey)).toEqual(['request', 'applicantRole', 'cardReason', 'currentTitle']);
    expect(journey.state().errors).toEqual({ cardReason: 'choose_one' });
  });

  it('drops what a changed answer hides, down the chain', () => {
    const journey = new Journey(residencePermit, today);
    journey.submitStep(permit.request ?? {});
    expect(journey.currentStep.id).toBe('timeliness');
    journey.back();
    // The screen still sends the old values of fields it no longer shows.
    journey.submitStep({ ...permit.request, request: 'cardOnly', cardReason: 'newPassport' });
    expect(journey.currentStep.id).toBe('personal');
    expect(journey.values()).toEqual({
      request: 'cardOnly',
      applicantRole: 'self',
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

  it('asks how the photo comes, checks a photo code, and asks only who collects the card (E9)', () => {
    const journey = new Journey(residencePermit, today);
    for (const id of ['request', 'timeliness', 'personal', 'background', 'record', 'address'])
      journey.submitStep(permit[id] ?? {});
    expect(journey.currentStep.id).toBe('photo');
    journey.submitStep({});
    expect(journey.state().errors).toEqual({ photoSource: 'choose_one' });
    journey.submitStep({ photoSource: 'code' });
    expect(journey.state().errors).toEqual({ photoCode: 'required' });
    journey.submitStep({ photoCode: 'a photo from my phone' });
    expect(journey.state().errors).toEqual({ photoCode: 'photo_code_unknown' });
    journey.submitStep({ photoCode: 'EPB1*DM01*ABCDEFGHIJKLMNOP1234*20260301' });
    expect(journey.state().errors).toEqual({ photoCode: 'photo_code_too_old' });
    journey.submitStep({ photoCode: 'EPB1*DM01*ABCDEFGHIJKLMNOP1234*20261201' });
    expect(journey.state().errors).toEqual({ photoCode: 'photo_code_future' });
    journey.submitStep({ photoCode: 'EPB1*DM01*ABCDEFGHIJKLMNOP1234*20261020' });
    expect(journey.currentStep.id).toBe('card');
    // No place is chosen and nothing says "in person only": the invitation names place and time.
    expect(journey.currentStep.fields.map((f) => f.id)).toEqual(['pickupBy']);
    journey.submitStep({});
    expect(journey.state().errors).toEqual({ pickupBy: 'choose_one' });
    journey.submitStep({ pickupBy: 'self' });
    expect(journey.currentStep.id).toBe('fee');
  });

  it('stops at a new address: no paid new card, the chip is updated (E11)', () => {
    const journey = new Journey(residencePermit, today);
    journey.submitStep({
      request: 'cardOnly',
      cardReason: 'changedAddress',
      currentTitle: 'residencePermit',
    });
    expect(journey.state().errors).toEqual({});
    expect(journey.state().stop).toBe('addressChangeNoNewCard');
    expect(journey.currentStep.id).toBe('request');
    expect(journey.firstInvalidStep()).toBe('request');
    journey.submitStep({ cardReason: 'changedData' });
    expect(journey.state().stop).toBeUndefined();
    expect(journey.currentStep.id).toBe('personal');
  });

  it('asks about the Fiktionsbescheinigung only for an extension, with a reason only when wanted', () => {
    const journey = new Journey(residencePermit, today);
    journey.submitStep(permit.request ?? {});
    expect(journey.state().steps.map((s) => s.id)).toContain('timeliness');
    expect(journey.currentStep.id).toBe('timeliness');
    journey.submitStep({ fictionCertificate: 'yes' });
    expect(journey.state().errors).toEqual({ fictionReason: 'choose_one' });
    journey.submitStep({ fictionCertificate: 'no' });
    expect(journey.currentStep.id).toBe('personal');
    journey.back();
    journey.back();
    journey.submitStep({ permitRequest: 'firstPermit' });
    expect(journey.currentStep.id).toBe('personal');
    expect(journey.state().steps.map((s) => s.id)).not.toContain('timeliness');
    expect(journey.values()).not.toHaveProperty('fictionCertificate');
  });
});

describe('residence permit tracks (issue 15): each a set of answers, its own receipt and fee', () => {
  const tracks: { request: FieldValues; caseType: string; fee: string }[] = [
    {
      request: { request: 'settlement', settlementYears: '6', pensionMonths: '72', germanLevel: 'b1' },
      caseType: 'settlement-permit',
      fee: 'settlementPermit',
    },
    {
      request: { request: 'euLongTerm', euResidenceYears: '5' },
      caseType: 'eu-long-term-residence',
      fee: 'euLongTermResidence',
    },
    {
      request: {
        request: 'euFamilyCard',
        unionCitizenName: 'Marie Dubois',
        unionCitizenNationality: 'FRA',
        unionCitizenRelation: 'spouse',
      },
      caseType: 'residence-card-eu-family',
      fee: 'residenceCardEuFamily',
    },
    {
      request: {
        request: 'temporaryProtection',
        protectionGround: 'ukrainianNational',
        entryDate: '2026-03-01',
      },
      caseType: 'temporary-protection',
      fee: 'residencePermit',
    },
  ];

  it.each(tracks)(
    '$caseType: complete without purpose or expiry, with its own receipt',
    ({ request, caseType, fee }) => {
      const journey = walk(residencePermit, {
        ...permit,
        request: { applicantRole: 'self', currentTitle: 'residencePermit', ...request },
      });
      const values = journey.values();
      expect(values).toMatchObject(request);
      for (const hidden of ['permitRequest', 'purpose', 'fictionCertificate', 'representativeLastName'])
        expect(values, hidden).not.toHaveProperty(hidden);
      expect(receiptCase('residence-permit', values)).toBe(caseType);
      expect(residenceFeeRequest(values)?.kind).toBe(fee);
      expect(
        journeyChecklist('residence-permit', values, 'de', defaultAuthorityFacts).length,
      ).toBeGreaterThan(1);
    },
  );

  it('a child: the representative first, the child as the applicant, fingerprints from six (E10)', () => {
    const child = {
      ...permit,
      request: { ...permit.request, applicantRole: 'child' },
      representative: {
        representativeLastName: 'Öztürk',
        representativeFirstNames: 'Ayşe',
        representativeBirthDate: '1990-01-31',
        representativeRelation: 'mother',
        soleCustody: 'no',
      },
      personal: { ...permit.personal, firstNames: 'Elif', birthDate: '2018-05-02' },
    };
    const journey = walk(residencePermit, child);
    const values = journey.values();
    // The status lookup and the fee go by the child's birth date, not the parent's.
    expect(applicationData(residencePermit, values, 'tr').applicant).toMatchObject({
      birthDate: '2018-05-02',
      firstNames: 'Elif',
    });
    expect(values).toMatchObject({ representativeRelation: 'mother', soleCustody: 'no' });
    const at = Date.parse('2026-11-29T11:00:00Z');
    const notes = journeyNotes('residence-permit', 'fee', values, { at, authority: defaultAuthorityFacts });
    expect(notes.map((n) => n.code)).toContain('childAttendsForFingerprints');
    expect(notes[0]).toMatchObject({ items: ['minor_half'] });
    const toddler = { ...values, birthDate: '2022-01-01' };
    expect(
      journeyNotes('residence-permit', 'fee', toddler, { at, authority: defaultAuthorityFacts }).map(
        (n) => n.code,
      ),
    ).toContain('childUnderSixNoFingerprints');
    // A visitor applying for themselves never sees the representative step.
    const self = new Journey(residencePermit, today);
    self.submitStep({ ...permit.request, applicantRole: 'self' });
    expect(self.state().steps.map((s) => s.id)).not.toContain('representative');
  });

  it('speaks of the child, not of the parent at the screen, once the application is for a child (E10)', () => {
    const journey = new Journey(residencePermit, today);
    expect(journey.state().wording).toBeUndefined();
    journey.submitStep({ ...permit.request, applicantRole: 'child' });
    expect(journey.state()).toMatchObject({ step: { id: 'timeliness' }, wording: 'child' });
    journey.back();
    journey.submitStep({ ...permit.request, applicantRole: 'self' });
    expect(journey.state().wording).toBeUndefined();
  });

  it("asks the federal form's questions: birth, family status, earlier stays, insurance, housing, record", () => {
    const journey = new Journey(residencePermit, today);
    for (const id of ['request', 'timeliness', 'personal']) journey.submitStep(permit[id] ?? {});
    expect(journey.currentStep.id).toBe('background');
    journey.submitStep({});
    expect(journey.state().errors).toEqual({
      birthPlace: 'required',
      birthCountry: 'required',
      maritalStatus: 'choose_one',
      previousStays: 'choose_one',
      healthInsurance: 'choose_one',
      housing: 'choose_one',
    });
    journey.submitStep({ ...permit.background, previousStays: 'yes' });
    expect(journey.state().errors).toEqual({ previousStaysDetails: 'required' });
    journey.submitStep({ previousStaysDetails: '2015–2017 Leipzig, Studium' });
    expect(journey.currentStep.id).toBe('record');
    journey.submitStep({ convictions: 'yes', expulsions: 'yes' });
    expect(journey.state().errors).toEqual({ convictionsDetails: 'required', expulsionsDetails: 'required' });
    // Only the fields of a conviction or an expulsion are marked sensitive: never in a log.
    const record = residencePermit.steps.find((s) => s.id === 'record');
    expect(record?.fields.every((f) => f.sensitive)).toBe(true);
  });

  it('lists the employer declaration for employment only (E20)', () => {
    const de = defaultCatalog().german.checklist.employmentDeclaration;
    const list = (values: FieldValues) =>
      journeyChecklist('residence-permit', values, 'de', defaultAuthorityFacts);
    expect(list({ request: 'permit', permitRequest: 'extend', purpose: 'employment' })).toContain(de);
    expect(list({ request: 'permit', permitRequest: 'extend', purpose: 'study' })).not.toContain(de);
  });
});

describe('declaration of commitment: answers that rule it out here (E6)', () => {
  const eligible = { livesInCity: 'yes', residenceStatus: 'german', stayLength: 'upTo90Days' };

  it.each([
    [{ livesInCity: 'no' }, 'livesElsewhere'],
    [{ residenceStatus: 'tolerated' }, 'statusNotSufficient'],
  ])('stops at %o with where to go (%s)', (answer, code) => {
    const journey = new Journey(commitmentPrivate, today);
    journey.submitStep({ ...eligible, ...answer });
    expect(journey.state().stop).toBe(code);
    expect(journey.currentStep.id).toBe('eligibility');
    journey.submitStep(eligible);
    expect(journey.currentStep.id).toBe('liability');
  });

  it('stops a company seated elsewhere', () => {
    const journey = new Journey(commitmentCompany, today);
    journey.submitStep({ companySeat: 'elsewhere', stayLength: 'upTo90Days' });
    expect(journey.state().stop).toBe('seatElsewhere');
    journey.submitStep({ companySeat: 'branchInCity' });
    expect(journey.currentStep.id).toBe('liability');
  });

  it('asks a guarantor with a title until when it is valid', () => {
    const journey = new Journey(commitmentPrivate, today);
    journey.submitStep({ ...eligible, residenceStatus: 'permit' });
    expect(journey.state().errors).toEqual({ titleValidUntil: 'required' });
  });

  it('holds "up to 90 days" to the dates of the stay', () => {
    const journey = new Journey(commitmentPrivate, today);
    journey.submitStep(eligible);
    const stay = commitmentPrivate.steps.find((s) => s.id === 'stay');
    if (!stay) throw new Error('no stay step');
    const errors = (departureDate: string, stayLength = 'upTo90Days') =>
      validateStep(stay, { ...guestAndStay.stay, stayLength, departureDate }, '2026-11-29');
    expect(errors('2027-05-02')).toEqual({});
    expect(errors('2027-05-03')).toEqual({ departureDate: 'too_many_days_after' });
    expect(errors('2027-05-03', 'longer')).toEqual({});
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
      // the guest's documents and a child's representative's (a step shown on an answer) fill their own fields
      const applicant = (s: StepDefinition) =>
        s.kind === 'document' && !s.id.startsWith('guest') && !s.showIf;
      for (const step of d.steps.filter(applicant)) {
        for (const field of step.fields) if (field.fillFrom) fills.set(field.fillFrom, field.id);
      }
      expect(Object.fromEntries(fills)).toMatchObject({
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
