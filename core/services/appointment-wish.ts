import { TICKET_TOPICS, WEEKDAYS } from '../../sync/protocol/index.ts';
import type { ServiceDefinition } from '../forms/journey.ts';

/**
 * An appointment wish for the Service-Center: it becomes a ticket in the Service-Center's ticket
 * system (POST /v1/tickets), with the topic, the visitor's dates (title expiry, a journey, a
 * weekday that does not suit), the preferred language and a phone number. The ticket number is
 * shown and printed and can be looked up like a case, with the birth date.
 */
export const appointmentWish: ServiceDefinition = {
  id: 'appointment-wish',
  icon: 'calendar',
  guestAllowed: true,
  submission: 'ticket',
  steps: [
    {
      id: 'wish',
      kind: 'form',
      fields: [
        { id: 'topic', type: 'choice', required: true, options: [...TICKET_TOPICS] },
        { id: 'titleExpiresOn', type: 'date', required: false, dateRange: 'future' },
        { id: 'travelFrom', type: 'date', required: false, dateRange: 'future' },
        { id: 'travelTo', type: 'date', required: false, dateRange: 'future' },
        { id: 'unsuitableDay', type: 'choice', required: false, options: ['none', ...WEEKDAYS] },
      ],
      checks: [{ kind: 'notBefore', field: 'travelTo', other: 'travelFrom' }],
    },
    {
      id: 'contact',
      kind: 'form',
      fields: [
        { id: 'phone', type: 'phone', required: true },
        {
          id: 'language',
          type: 'choice',
          required: true,
          options: ['de', 'en', 'tr', 'uk', 'ru', 'ar', 'fa', 'fr'],
        },
        { id: 'birthDate', type: 'date', required: true, dateRange: 'past' },
      ],
    },
    {
      id: 'declarations',
      kind: 'declarations',
      fields: [{ id: 'consentContact', type: 'boolean', required: true }],
    },
  ],
};
