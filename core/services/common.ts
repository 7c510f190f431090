import type { FieldDefinition } from '../../api/forms.ts';

/**
 * Field groups several services ask for in the same way. Field ids are shared on purpose: the
 * applicant's `birthDate` is what a status lookup checks (core/submit.ts `applicationData`).
 */

/** Address and contact of the applicant. */
export const addressFields: FieldDefinition[] = [
  { id: 'street', type: 'text', required: true, maxLength: 80 },
  { id: 'houseNumber', type: 'text', required: true, maxLength: 10 },
  { id: 'postcode', type: 'postcode', required: true },
  { id: 'city', type: 'text', required: true, maxLength: 60 },
  { id: 'phone', type: 'phone', required: true },
  { id: 'email', type: 'email', required: false },
];

/** The applicant's identity, read from the passport, ID card or residence permit (or typed). */
export const identityFields: FieldDefinition[] = [
  { id: 'lastName', type: 'name', required: true, fillFrom: 'lastName' },
  { id: 'firstNames', type: 'name', required: true, fillFrom: 'firstNames' },
  { id: 'birthDate', type: 'date', required: true, dateRange: 'past', fillFrom: 'birthDate' },
  { id: 'nationality', type: 'country', required: true, fillFrom: 'nationality' },
  {
    id: 'documentNumber',
    type: 'text',
    required: true,
    maxLength: 20,
    fillFrom: 'documentNumber',
    sensitive: true,
  },
];
