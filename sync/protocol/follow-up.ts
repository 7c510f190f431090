/**
 * Documents handed in later: a follow-up is a submission like an application (its own tracking
 * number, one sealed part per document with its purpose and hash), whose sealed data names the
 * case it belongs to instead of describing a new one. The portal files it under that case when
 * the case exists, the birth date matches and the case is waiting for documents; it records a
 * signed `documents_received` event. Otherwise the submission is refused (`submission.rejected`
 * with reason `case.not_found` or `case.transition`) and the terminal keeps it for staff.
 */
import { z } from 'zod';
import { caseReferenceSchema, missingDocumentSchema } from './cases.ts';
import { isoDate, trackingNumberSchema } from './common.ts';

/** The service id of a follow-up submission (`serviceId` in the sealed metadata). */
export const FOLLOW_UP_SERVICE = 'documents-followup';

/** The case a follow-up names: by the receipt's tracking number or the letter's case reference. */
export const followUpCaseSchema = z.union([
  z.object({ trackingNumber: trackingNumberSchema }).strict(),
  z.object({ caseReference: caseReferenceSchema }).strict(),
]);
export type FollowUpCase = z.infer<typeof followUpCaseSchema>;

/** The sealed data of a follow-up submission. */
export const followUpDataSchema = z.looseObject({
  serviceId: z.literal(FOLLOW_UP_SERVICE),
  kind: z.literal('follow-up'),
  case: followUpCaseSchema,
  /** The birth date the case is checked against (the portal keeps only its keyed hash). */
  applicant: z.looseObject({ birthDate: isoDate }),
  /** The checklist items handed in with this follow-up, one sealed part each. */
  documents: z.array(missingDocumentSchema).min(1).max(14),
  /** What the case still misses after this follow-up, as the terminal's receipt printed it. */
  stillMissing: z.array(missingDocumentSchema).max(14),
  language: z.string().min(2).max(16),
});
export type FollowUpData = z.infer<typeof followUpDataSchema>;
