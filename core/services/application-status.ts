import type { ServiceDefinition } from '../forms/journey.ts';

/** Status of an application: tracking number (typed or scanned from the receipt) and birth date. */
export const applicationStatus: ServiceDefinition = {
  id: 'application-status',
  icon: 'search',
  guestAllowed: true,
  submission: 'lookup',
  steps: [
    {
      id: 'lookup',
      kind: 'form',
      fields: [
        { id: 'trackingNumber', type: 'tracking', required: true, maxLength: 20 },
        { id: 'birthDate', type: 'date', required: true, dateRange: 'past' },
      ],
    },
  ],
};
