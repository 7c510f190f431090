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
    ],
    checks: [{ kind: 'notBefore', field: 'departureDate', other: 'arrivalDate' }],
  },
];

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
          options: ['german', 'eu', 'permit', 'other'],
        },
        { id: 'stayLength', type: 'choice', required: true, options: ['upTo90Days', 'longer'] },
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
      fields: identityFields,
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
    ...commitmentClosingSteps,
  ],
};
