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
  // E10: for a child, the texts speak of the child, not of the parent at the screen.
  wording: { field: 'applicantRole', equals: 'child', context: 'child' },
  steps: [
    {
      id: 'request',
      kind: 'form',
      fields: [
        {
          // The tracks: each its own legal basis, fee and receipt, asked on the same screens.
          id: 'request',
          type: 'choice',
          required: true,
          options: ['permit', 'settlement', 'euLongTerm', 'euFamilyCard', 'temporaryProtection', 'cardOnly'],
        },
        {
          // E10: a parent or guardian applies for a child; the child is the applicant. Left
          // unanswered, the visitor applies for themselves.
          id: 'applicantRole',
          type: 'choice',
          required: false,
          options: ['self', 'child'],
        },
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
          options: [
            'lost',
            'cardExpiring',
            'newPassport',
            'changedData',
            'changedAddress',
            'defect',
            'other',
          ],
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
        // Settlement permit (§ 9 AufenthG): years with a title, pension contributions, German.
        {
          id: 'settlementYears',
          type: 'number',
          required: true,
          min: 0,
          max: 80,
          visibleIf: { field: 'request', equals: 'settlement' },
        },
        {
          id: 'pensionMonths',
          type: 'number',
          required: true,
          min: 0,
          max: 960,
          visibleIf: { field: 'request', equals: 'settlement' },
        },
        {
          id: 'germanLevel',
          type: 'choice',
          required: true,
          options: ['none', 'a1', 'a2', 'b1', 'b2OrHigher'],
          visibleIf: { field: 'request', equals: 'settlement' },
        },
        // EU long-term residence (§ 9a AufenthG): five years of lawful stay.
        {
          id: 'euResidenceYears',
          type: 'number',
          required: true,
          min: 0,
          max: 80,
          visibleIf: { field: 'request', equals: 'euLongTerm' },
        },
        // Residence card for a family member of a Union citizen (§ 5 Abs. 1 FreizügG/EU).
        {
          id: 'unionCitizenName',
          type: 'name',
          required: true,
          sensitive: true,
          visibleIf: { field: 'request', equals: 'euFamilyCard' },
        },
        {
          id: 'unionCitizenNationality',
          type: 'country',
          required: true,
          sensitive: true,
          visibleIf: { field: 'request', equals: 'euFamilyCard' },
        },
        {
          id: 'unionCitizenRelation',
          type: 'choice',
          required: true,
          options: ['spouse', 'partner', 'child', 'parent'],
          visibleIf: { field: 'request', equals: 'euFamilyCard' },
        },
        // Temporary protection (§ 24 AufenthG, Council Implementing Decision (EU) 2022/382).
        {
          id: 'protectionGround',
          type: 'choice',
          required: true,
          options: ['ukrainianNational', 'protectedInUkraine', 'familyMember'],
          visibleIf: { field: 'request', equals: 'temporaryProtection' },
        },
        {
          id: 'entryDate',
          type: 'date',
          required: true,
          dateRange: 'past',
          visibleIf: { field: 'request', equals: 'temporaryProtection' },
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
      // E11: a new address is written to the chip and a sticker goes on the card: no new card, no fee.
      stops: [{ field: 'cardReason', equals: 'changedAddress', code: 'addressChangeNoNewCard' }],
    },
    {
      // § 81 Abs. 4: in time, in the last days, or expired (flagged to staff); the certificate on request.
      id: 'timeliness',
      kind: 'assessment',
      showIf: { field: 'permitRequest', equals: 'extend' },
      fields: [
        { id: 'fictionCertificate', type: 'choice', required: true, options: ['no', 'yes'] },
        {
          id: 'fictionReason',
          type: 'choice',
          required: true,
          options: ['travel', 'employer', 'benefitsOffice', 'landlordOrBank', 'other'],
          visibleIf: { field: 'fictionCertificate', equals: 'yes' },
        },
      ],
    },
    {
      // E10: the parent or guardian who applies for a child (procedural capacity from 18, § 80
      // AufenthG); the next step reads the child's passport. Children from six attend in person
      // for their fingerprints (the fee step says so from the child's age).
      id: 'representative',
      kind: 'document',
      readerOptional: true,
      showIf: { field: 'applicantRole', equals: 'child' },
      fields: [
        { id: 'representativeLastName', type: 'name', required: true, fillFrom: 'lastName', sensitive: true },
        {
          id: 'representativeFirstNames',
          type: 'name',
          required: true,
          fillFrom: 'firstNames',
          sensitive: true,
        },
        {
          id: 'representativeBirthDate',
          type: 'date',
          required: true,
          dateRange: 'past',
          fillFrom: 'birthDate',
          sensitive: true,
        },
        {
          id: 'representativeRelation',
          type: 'choice',
          required: true,
          options: ['mother', 'father', 'guardian'],
        },
        { id: 'soleCustody', type: 'choice', required: true, options: ['no', 'yes'] },
      ],
    },
    {
      // `birthDate` makes status lookups work; the sex comes from the document read.
      id: 'personal',
      kind: 'document',
      readerOptional: true,
      fields: [
        ...identityFields,
        { id: 'sex', type: 'choice', required: true, options: ['F', 'M', 'X'], fillFrom: 'sex' },
      ],
    },
    {
      // The federal application form (Antrag auf Erteilung eines Aufenthaltstitels): birth,
      // family status, earlier stays, health insurance and housing.
      id: 'background',
      kind: 'form',
      fields: [
        { id: 'birthName', type: 'name', required: false },
        { id: 'birthPlace', type: 'text', required: true, maxLength: 80 },
        { id: 'birthCountry', type: 'country', required: true },
        {
          id: 'maritalStatus',
          type: 'choice',
          required: true,
          options: ['single', 'married', 'partnership', 'divorced', 'widowed', 'separated'],
        },
        { id: 'previousStays', type: 'choice', required: true, options: ['no', 'yes'] },
        {
          id: 'previousStaysDetails',
          type: 'text',
          required: true,
          maxLength: 200,
          visibleIf: { field: 'previousStays', equals: 'yes' },
        },
        {
          id: 'healthInsurance',
          type: 'choice',
          required: true,
          options: ['statutory', 'private', 'family', 'none'],
        },
        {
          id: 'housing',
          type: 'choice',
          required: true,
          options: ['rented', 'owned', 'withFamily', 'accommodation', 'other'],
        },
      ],
    },
    {
      // The form's questions on convictions and expulsions (§ 5, § 54 AufenthG): asked as the
      // form asks them; the clerk, not the terminal, weighs the answer.
      id: 'record',
      kind: 'form',
      fields: [
        { id: 'convictions', type: 'choice', required: true, options: ['no', 'yes'], sensitive: true },
        {
          id: 'convictionsDetails',
          type: 'text',
          required: true,
          maxLength: 200,
          sensitive: true,
          visibleIf: { field: 'convictions', equals: 'yes' },
        },
        { id: 'expulsions', type: 'choice', required: true, options: ['no', 'yes'], sensitive: true },
        {
          id: 'expulsionsDetails',
          type: 'text',
          required: true,
          maxLength: 200,
          sensitive: true,
          visibleIf: { field: 'expulsions', equals: 'yes' },
        },
      ],
    },
    {
      id: 'address',
      kind: 'form',
      fields: addressFields,
    },
    {
      // Since 1 May 2025: no paper photos. The certified provider's code, scanned (format and age
      // checked), or the authority's photo station (its place and fee on the fee step).
      id: 'photo',
      kind: 'form',
      fields: [
        { id: 'photoSource', type: 'choice', required: true, options: ['code', 'station'] },
        {
          id: 'photoCode',
          type: 'photoCode',
          required: true,
          visibleIf: { field: 'photoSource', equals: 'code' },
        },
      ],
    },
    {
      // E9: the authority's invitation names the place and time; a proxy with a power of attorney
      // may collect. Only the visitor's wish is asked, nothing is decided here.
      id: 'card',
      kind: 'form',
      fields: [{ id: 'pickupBy', type: 'choice', required: true, options: ['self', 'proxy'] }],
    },
    // The expected fee with its reductions and how to pay here, before anything is submitted.
    { id: 'fee', kind: 'assessment', fields: [] },
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
