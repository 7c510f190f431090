import type { ServiceDefinition } from '../forms/journey.ts';

/** Call-back or appointment wish for the phone service centre. */
export const callbackRequest: ServiceDefinition = {
  id: 'callback-request',
  icon: 'phone',
  guestAllowed: true,
  submission: 'callback',
  steps: [
    {
      id: 'topic',
      kind: 'form',
      fields: [
        {
          id: 'topic',
          type: 'choice',
          required: true,
          options: ['residencePermit', 'eatCard', 'commitment', 'appointment', 'other'],
        },
        { id: 'urgency', type: 'choice', required: true, options: ['normal', 'deadline'] },
        {
          id: 'deadline',
          type: 'date',
          required: true,
          dateRange: 'future',
          visibleIf: { field: 'urgency', equals: 'deadline' },
        },
      ],
    },
    {
      id: 'contact',
      kind: 'form',
      fields: [
        { id: 'lastName', type: 'name', required: true },
        { id: 'firstNames', type: 'name', required: false },
        { id: 'phone', type: 'phone', required: true },
        {
          id: 'callLanguage',
          type: 'choice',
          required: true,
          options: ['de', 'en', 'tr', 'uk', 'ru', 'ar', 'fa', 'fr'],
        },
        { id: 'timeWindow', type: 'choice', required: true, options: ['morning', 'afternoon', 'any'] },
      ],
    },
    { id: 'review', kind: 'review', fields: [] },
    {
      id: 'declarations',
      kind: 'declarations',
      fields: [{ id: 'consentContact', type: 'boolean', required: true }],
    },
  ],
};
