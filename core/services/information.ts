import type { ServiceDefinition } from '../forms/journey.ts';

/**
 * Information and checklists per case type: shown on screen and printed as an information sheet
 * (core/documents info sheets) in the visitor's language. Nothing is sent anywhere.
 */
export const information: ServiceDefinition = {
  id: 'information',
  icon: 'info',
  guestAllowed: true,
  submission: 'information',
  steps: [
    {
      id: 'topic',
      kind: 'form',
      fields: [
        {
          id: 'caseType',
          type: 'choice',
          required: true,
          options: [
            'residencePermitExtension',
            'electronicResidencePermit',
            'commitmentPrivate',
            'commitmentCompany',
          ],
        },
      ],
    },
  ],
};
