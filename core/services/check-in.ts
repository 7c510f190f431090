import { TICKET_TOPICS } from '../../sync/protocol/index.ts';
import type { ServiceDefinition } from '../forms/journey.ts';

/**
 * Check-in at a terminal in the authority's building: the invitation letter's QR (scanned; its
 * case reference shows in the field) or, without an invitation, the topic of a walk-in visit.
 * The portal answers a queue ticket (number, waiting area, a page to follow on a phone), printed
 * with the page's QR code.
 */
export const checkIn: ServiceDefinition = {
  id: 'check-in',
  icon: 'ticket',
  guestAllowed: true,
  submission: 'checkin',
  steps: [
    {
      id: 'arrival',
      kind: 'form',
      fields: [
        { id: 'arrival', type: 'choice', required: true, options: ['invitation', 'walkIn'] },
        {
          id: 'invitation',
          type: 'tracking',
          required: true,
          maxLength: 20,
          visibleIf: { field: 'arrival', equals: 'invitation' },
        },
        {
          id: 'walkInTopic',
          type: 'choice',
          required: true,
          options: [...TICKET_TOPICS],
          visibleIf: { field: 'arrival', equals: 'walkIn' },
        },
      ],
    },
  ],
};
