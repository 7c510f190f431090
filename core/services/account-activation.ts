import type { ServiceDefinition } from '../forms/journey.ts';

/**
 * Activation of a city service account registered online: the visitor finds the account (the QR
 * on the confirmation letter, or name and birth date), the reader reads the identity document
 * (typing is for a clerk only), the terminal compares both, and a clerk confirms in person
 * (`staff.decideActivation`). Nothing is submitted by the visitor: the clerk's decision ends it.
 * The document number never becomes a field: it stays in the activation's memory for the
 * hash the portal keeps (core/activation).
 */
export const accountActivation: ServiceDefinition = {
  id: 'account-activation',
  icon: 'id-card',
  guestAllowed: false,
  submission: 'activation',
  steps: [
    {
      id: 'find',
      kind: 'form',
      fields: [
        { id: 'findBy', type: 'choice', required: true, options: ['letter', 'name'] },
        {
          id: 'accountCode',
          type: 'account',
          required: true,
          maxLength: 100,
          visibleIf: { field: 'findBy', equals: 'letter' },
        },
        { id: 'accountName', type: 'name', required: true, visibleIf: { field: 'findBy', equals: 'name' } },
        {
          id: 'accountBirthDate',
          type: 'date',
          required: true,
          dateRange: 'past',
          visibleIf: { field: 'findBy', equals: 'name' },
        },
      ],
    },
    {
      id: 'document',
      kind: 'document',
      readerOnly: true,
      fields: [
        { id: 'docLastName', type: 'name', required: true, fillFrom: 'lastName' },
        { id: 'docFirstNames', type: 'name', required: false, fillFrom: 'firstNames' },
        { id: 'docBirthDate', type: 'date', required: true, dateRange: 'past', fillFrom: 'birthDate' },
        { id: 'docExpiryDate', type: 'date', required: true, dateRange: 'any', fillFrom: 'expiryDate' },
      ],
    },
    { id: 'verification', kind: 'verification', fields: [] },
  ],
};
