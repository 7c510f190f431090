import type { StepDefinition } from '../../api/forms.ts';
import type { ServiceDefinition } from '../forms/journey.ts';
import { addressFields, identityFields } from './common.ts';

/** The guest's data and the stay: the same for a private person and a company. */
export const guestSteps: readonly StepDefinition[] = [
  {
    id: 'guest',
    kind: 'document',
    readerOptional: true,
    fields: [
      { id: 'guestLastName', type: 'name', required: true, fillFrom: 'lastName', sensitive: true },
      { id: 'guestFirstNames', type: 'name', required: true, fillFrom: 'firstNames', sensitive: true },
      {
        id: 'guestBirthDate',
        type: 'date',
        required: true,
        dateRange: 'past',
        fillFrom: 'birthDate',
        sensitive: true,
      },
      { id: 'guestNationality', type: 'country', required: true, fillFrom: 'nationality', sensitive: true },
      {
        id: 'guestPassportNumber',
        type: 'text',
        required: true,
        maxLength: 20,
        fillFrom: 'documentNumber',
        sensitive: true,
      },
      {
        id: 'guestRelation',
        type: 'choice',
        required: true,
        options: ['family', 'friend', 'business', 'other'],
      },
      // The federal form's guest data (E7): the document read gives the sex, the rest is typed.
      {
        id: 'guestSex',
        type: 'choice',
        required: true,
        options: ['F', 'M', 'X'],
        fillFrom: 'sex',
        sensitive: true,
      },
      { id: 'guestBirthPlace', type: 'text', required: true, maxLength: 80, sensitive: true },
      { id: 'guestHomeAddress', type: 'text', required: true, maxLength: 200, sensitive: true },
      { id: 'coTravellingSpouse', type: 'choice', required: true, options: ['no', 'yes'] },
      { id: 'coTravellingChildren', type: 'number', required: true, min: 0, max: 10 },
    ],
  },
  {
    id: 'stay',
    kind: 'form',
    fields: [
      { id: 'arrivalDate', type: 'date', required: true, dateRange: 'future' },
      { id: 'departureDate', type: 'date', required: true, dateRange: 'future' },
      {
        id: 'stayPurpose',
        type: 'choice',
        required: true,
        options: ['visit', 'tourism', 'medical', 'business', 'other'],
      },
      { id: 'accommodation', type: 'choice', required: true, options: ['guarantorHome', 'other'] },
      {
        id: 'accommodationAddress',
        type: 'text',
        required: true,
        maxLength: 200,
        visibleIf: { field: 'accommodation', equals: 'other' },
      },
    ],
    checks: [
      { kind: 'notBefore', field: 'departureDate', other: 'arrivalDate' },
      // "Up to 90 days" must be what the dates say (E6).
      {
        kind: 'atMostDaysAfter',
        field: 'departureDate',
        other: 'arrivalDate',
        days: 90,
        when: { field: 'stayLength', equals: 'upTo90Days' },
      },
    ],
  },
];

/**
 * Before the checklist: what the declaration will likely come to (core/assessments/journey-notes.ts)
 * and its fee, said before anything is submitted.
 */
export const commitmentEstimateStep: StepDefinition = { id: 'estimate', kind: 'assessment', fields: [] };

export const commitmentClosingSteps: readonly StepDefinition[] = [
  { id: 'checklist', kind: 'checklist', fields: [] },
  { id: 'review', kind: 'review', fields: [] },
  {
    id: 'declarations',
    kind: 'declarations',
    fields: [
      { id: 'truthful', type: 'boolean', required: true },
      { id: 'privacy', type: 'boolean', required: true },
    ],
  },
];

/** Declaration of commitment (Verpflichtungserklärung, § 68 AufenthG) by a private person. */
export const commitmentPrivate: ServiceDefinition = {
  id: 'commitment-private',
  icon: 'handshake',
  guestAllowed: true,
  submission: 'application',
  steps: [
    {
      id: 'eligibility',
      kind: 'form',
      fields: [
        { id: 'livesInCity', type: 'choice', required: true, options: ['yes', 'no'] },
        {
          id: 'residenceStatus',
          type: 'choice',
          required: true,
          options: ['german', 'eu', 'permit', 'tolerated', 'other'],
        },
        {
          // The guarantor's title must outlast the guest's stay.
          id: 'titleValidUntil',
          type: 'date',
          required: true,
          dateRange: 'future',
          visibleIf: { field: 'residenceStatus', equals: 'permit' },
        },
        { id: 'stayLength', type: 'choice', required: true, options: ['upTo90Days', 'longer'] },
      ],
      // E6: another authority is competent, or a Duldung, Gestattung or Fiktionsbescheinigung cannot vouch.
      stops: [
        { field: 'livesInCity', equals: 'no', code: 'livesElsewhere' },
        { field: 'residenceStatus', equals: 'tolerated', code: 'statusNotSufficient' },
      ],
    },
    {
      id: 'liability',
      kind: 'acknowledge',
      fields: [{ id: 'liabilityAcknowledged', type: 'boolean', required: true }],
    },
    {
      id: 'guarantor',
      kind: 'document',
      readerOptional: true,
      fields: [...identityFields, { id: 'birthPlace', type: 'text', required: true, maxLength: 80 }],
    },
    { id: 'address', kind: 'form', fields: addressFields },
    {
      id: 'income',
      kind: 'form',
      fields: [
        {
          id: 'employment',
          type: 'choice',
          required: true,
          options: ['employed', 'selfEmployed', 'pension', 'other'],
        },
        { id: 'netIncome', type: 'money', required: true, min: 0, max: 1_000_000 },
        { id: 'rent', type: 'money', required: true, min: 0, max: 100_000 },
        { id: 'dependants', type: 'number', required: true, min: 0, max: 20 },
        { id: 'otherObligations', type: 'money', required: false, min: 0, max: 1_000_000 },
      ],
    },
    ...guestSteps,
    commitmentEstimateStep,
    ...commitmentClosingSteps,
  ],
};
