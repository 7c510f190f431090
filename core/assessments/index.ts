/**
 * Honest assessments, never decisions: pure functions over dated data, for the journeys to show
 * before a visitor applies. Each returns codes and numbers (amounts in euro cents); the screens say
 * them in the visitor's language. Nothing here throws or reads the clock: the caller passes `at`.
 */
export {
  type CommitmentEstimate,
  type CommitmentInput,
  estimateCommitment,
  type GuarantorStatus,
  garnishableCents,
} from './commitment.ts';
export { ageOn, berlinDay, dayOf } from './dates.ts';
export { expectedFee, type FeeApplicant, type FeeQuote, type FeeRequest, type FeeResult } from './fees.ts';
export { checkPhotoCode, type PhotoCodeCheck, type PhotoReference, photoWithoutCode } from './photo-code.ts';
export { assessTimeliness, type Timeliness, type TimelinessInput } from './timeliness.ts';
