import type { ServiceDefinition } from '../forms/journey.ts';

/**
 * Documents handed in later (core/follow-up.ts): the case by the receipt's tracking number or a
 * letter's case reference (typed, or the QR scanned), and the birth date. When the case waits for
 * documents, the documents step offers those it misses; the follow-up is filed under the case.
 */
export const documentsFollowUp: ServiceDefinition = {
  id: 'documents-followup',
  icon: 'permit',
  guestAllowed: true,
  submission: 'follow-up',
  steps: [
    {
      id: 'case',
      kind: 'form',
      fields: [
        { id: 'trackingNumber', type: 'tracking', required: true, maxLength: 20 },
        { id: 'birthDate', type: 'date', required: true, dateRange: 'past' },
      ],
    },
  ],
};
