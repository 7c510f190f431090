import type { ServiceDefinition } from '../forms/journey.ts';
import { addressFields, identityFields } from './common.ts';

/**
 * Residence permit: a first permit or an extension, or only a new card (electronic residence
 * permit, eAT) for a title the visitor already holds.
 *
 * Every condition refers to a field of its own step: the screen decides what to show from the
 * values of the step it shows. So the request and the purpose, which decide what else is asked,
 * share the first step with the fields they reveal. "Only a new card" hides the purpose; since a
 * condition can only test for one value, the kind of permit request is a question of its own.
 */
export const residencePermit: ServiceDefinition = {
  id: 'residence-permit',
  icon: 'permit',
  guestAllowed: true,
  submission: 'application',
  steps: [
    {
      id: 'request',
      kind: 'form',
      fields: [
        { id: 'request', type: 'choice', required: true, options: ['permit', 'cardOnly'] },
        {
          id: 'permitRequest',
          type: 'choice',
          required: true,
          options: ['extend', 'firstPermit'],
          visibleIf: { field: 'request', equals: 'permit' },
        },
        {
          id: 'cardReason',
          type: 'choice',
          required: true,
          options: ['lost', 'cardExpiring', 'newPassport', 'changedData', 'defect', 'other'],
          visibleIf: { field: 'request', equals: 'cardOnly' },
        },
        {
          id: 'currentTitle',
          type: 'choice',
          required: true,
          options: ['residencePermit', 'visa', 'blueCard', 'settlementPermit', 'none'],
        },
        {
          // Any date: a title that ran out yesterday still has to be extended.
          id: 'currentTitleExpiry',
          type: 'date',
          required: true,
          dateRange: 'any',
          visibleIf: { field: 'permitRequest', equals: 'extend' },
        },
        {
          id: 'purpose',
          type: 'choice',
          required: true,
          options: ['employment', 'study', 'family', 'humanitarian', 'other'],
          visibleIf: { field: 'request', equals: 'permit' },
        },
        {
          id: 'employerName',
          type: 'text',
          required: true,
          maxLength: 120,
          visibleIf: { field: 'purpose', equals: 'employment' },
        },
        {
          id: 'jobTitle',
          type: 'text',
          required: true,
          maxLength: 100,
          visibleIf: { field: 'purpose', equals: 'employment' },
        },
        {
          id: 'grossSalary',
          type: 'money',
          required: true,
          min: 0,
          max: 1_000_000,
          visibleIf: { field: 'purpose', equals: 'employment' },
        },
        {
          id: 'university',
          type: 'text',
          required: true,
          maxLength: 120,
          visibleIf: { field: 'purpose', equals: 'study' },
        },
        {
          id: 'subject',
          type: 'text',
          required: true,
          maxLength: 100,
          visibleIf: { field: 'purpose', equals: 'study' },
        },
        {
          id: 'enrolledUntil',
          type: 'date',
          required: true,
          dateRange: 'future',
          visibleIf: { field: 'purpose', equals: 'study' },
        },
        {
          id: 'familyRelation',
          type: 'choice',
          required: true,
          options: ['spouse', 'parent', 'child', 'other'],
          visibleIf: { field: 'purpose', equals: 'family' },
        },
        {
          id: 'familyMemberName',
          type: 'name',
          required: true,
          sensitive: true,
          visibleIf: { field: 'purpose', equals: 'family' },
        },
        {
          id: 'familyMemberStatus',
          type: 'choice',
          required: true,
          options: ['german', 'eu', 'permit', 'settlement', 'protection', 'other'],
          sensitive: true,
          visibleIf: { field: 'purpose', equals: 'family' },
        },
        {
          id: 'fileNumber',
          type: 'text',
          required: false,
          maxLength: 30,
          visibleIf: { field: 'purpose', equals: 'humanitarian' },
        },
        {
          id: 'purposeDescription',
          type: 'text',
          required: true,
          maxLength: 200,
          visibleIf: { field: 'purpose', equals: 'other' },
        },
      ],
    },
    {
      // `birthDate` makes status lookups work.
      id: 'personal',
      kind: 'document',
      readerOptional: true,
      fields: identityFields,
    },
    {
      id: 'address',
      kind: 'form',
      fields: addressFields,
    },
    {
      // Since 1 May 2025: no paper photos, only digital ones transmitted electronically.
      id: 'photo',
      kind: 'acknowledge',
      fields: [{ id: 'photoRuleAcknowledged', type: 'boolean', required: true }],
    },
    {
      // The card is collected in person; the choice is where. The PIN letter is explained in the label.
      id: 'card',
      kind: 'form',
      fields: [
        { id: 'pickupLocation', type: 'choice', required: true, options: ['serviceMitte', 'serviceNord'] },
        { id: 'pinLetterAcknowledged', type: 'boolean', required: true },
      ],
    },
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
  ],
};
