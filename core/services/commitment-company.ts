import type { ServiceDefinition } from '../forms/journey.ts';
import { commitmentClosingSteps, commitmentEstimateStep, guestSteps } from './commitment-private.ts';
import { addressFields, identityFields } from './common.ts';

/**
 * Declaration of commitment (Verpflichtungserklärung, § 68 AufenthG) by a company for a business
 * visitor. The company is liable; the person at the terminal declares for it and confirms that
 * they may. The guest, the stay and the closing steps are those of the private declaration.
 */
export const commitmentCompany: ServiceDefinition = {
  id: 'commitment-company',
  icon: 'building',
  guestAllowed: true,
  submission: 'application',
  steps: [
    {
      id: 'eligibility',
      kind: 'form',
      fields: [
        {
          id: 'companySeat',
          type: 'choice',
          required: true,
          options: ['inCity', 'branchInCity', 'elsewhere'],
        },
        { id: 'stayLength', type: 'choice', required: true, options: ['upTo90Days', 'longer'] },
      ],
      // E6: a company seated elsewhere declares at the authority of its seat.
      stops: [{ field: 'companySeat', equals: 'elsewhere', code: 'seatElsewhere' }],
    },
    {
      id: 'liability',
      kind: 'acknowledge',
      fields: [{ id: 'liabilityAcknowledged', type: 'boolean', required: true }],
    },
    {
      id: 'company',
      kind: 'form',
      fields: [
        { id: 'companyName', type: 'text', required: true, maxLength: 120 },
        {
          id: 'legalForm',
          type: 'choice',
          required: true,
          options: ['gmbh', 'ag', 'ug', 'ek', 'kg', 'ohg', 'gbr', 'other'],
        },
        {
          id: 'legalFormOther',
          type: 'text',
          required: true,
          maxLength: 60,
          visibleIf: { field: 'legalForm', equals: 'other' },
        },
        // Whether there is a register entry at all: a GbR, for one, often has none.
        { id: 'registered', type: 'choice', required: true, options: ['yes', 'no'] },
        {
          id: 'registerCourt',
          type: 'text',
          required: true,
          maxLength: 60,
          visibleIf: { field: 'registered', equals: 'yes' },
        },
        {
          id: 'registerNumber',
          type: 'text',
          required: true,
          maxLength: 20,
          visibleIf: { field: 'registered', equals: 'yes' },
        },
      ],
    },
    {
      id: 'companyAddress',
      kind: 'form',
      fields: addressFields,
    },
    {
      // The person who makes the declaration for the company; `birthDate` makes status lookups work.
      id: 'representative',
      kind: 'document',
      readerOptional: true,
      fields: identityFields,
    },
    {
      id: 'role',
      kind: 'form',
      fields: [
        {
          id: 'representativeRole',
          type: 'choice',
          required: true,
          options: ['managingDirector', 'owner', 'prokurist', 'powerOfAttorney', 'other'],
        },
        { id: 'authorityToAct', type: 'boolean', required: true },
      ],
    },
    ...guestSteps,
    commitmentEstimateStep,
    ...commitmentClosingSteps,
  ],
};
