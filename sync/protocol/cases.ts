/**
 * The authority's case and its signed event log (as FIT-Connect's event log): every case has the
 * authority's case reference (printed on its letters) and, when it came from a terminal, the
 * terminal's tracking number. Each status change is one event, signed by the portal as a compact
 * JWS of type `case-event+jwt`; a lookup answers a signed summary (`case+jwt`) bound to the
 * terminal that asked, with the case's events. Details name documents, items and problems by id,
 * so a terminal says them in the visitor's language; no event carries a name or a birth date.
 *
 * The older feed (`status+jwt`, `STATUS_KINDS`) stays as it is: a terminal case's change is
 * mirrored there as the older status it corresponds to (`legacyStatusOf`).
 */
import { z } from 'zod';
import { compactJwsSchema, idSchema, isoDate, isoDateTime, trackingNumberSchema } from './common.ts';
import type { StatusKind } from './messages.ts';

/** `typ` of one signed case event. */
export const CASE_EVENT_JWS_TYPE = 'case-event+jwt';
/** `typ` of the signed summary a case lookup answers. */
export const CASE_JWS_TYPE = 'case+jwt';

export const CASE_STATUSES = [
  'submitted',
  'received',
  'documents_missing',
  /** Documents the case missed were handed in (a follow-up); the authority checks them. */
  'documents_received',
  'invitation_sent',
  'in_review',
  /** The older word for "complete, being decided"; kept for terminals that know only it. */
  'accepted',
  'decided',
  'card_ordered',
  'card_ready',
  'closed',
  'rejected',
] as const;
export const caseStatusSchema = z.enum(CASE_STATUSES);
export type CaseStatus = z.infer<typeof caseStatusSchema>;

/** Where a case was filed. */
export const CASE_ORIGINS = ['terminal', 'portal', 'counter'] as const;
export const caseOriginSchema = z.enum(CASE_ORIGINS);
export type CaseOrigin = z.infer<typeof caseOriginSchema>;

/** The authority's case reference (Aktenzeichen): office code, year, serial, e.g. `ABH-2026-004217`. */
export const caseReferenceSchema = z.string().regex(/^[A-Z]{2,5}-\d{4}-\d{6}$/);

/**
 * Documents a case may miss. The ids are the terminal's checklist item ids (its receipts and
 * information sheets name each of them in every visitor language, `checklist.<id>`).
 */
export const MISSING_DOCUMENTS = [
  'passport',
  'currentTitle',
  'photoCode',
  'incomeInsurance',
  'tenancy',
  'purposeDocuments',
  'policeReport',
  'identity',
  'payslips',
  'rental',
  'guestPassportCopy',
  'registerExtract',
  'authorisation',
  'solvency',
] as const;
export const missingDocumentSchema = z.enum(MISSING_DOCUMENTS);

/** What to bring when a card is picked up. */
export const PICKUP_ITEMS = ['pinLetter', 'oldCard', 'passport', 'pickupNotice'] as const;
export const pickupItemSchema = z.enum(PICKUP_ITEMS);

/** Why an application was rejected (the letter gives the full reasons). */
export const REJECTION_PROBLEMS = [
  'documentsNotProvided',
  'requirementsNotMet',
  'identityNotEstablished',
  'feeNotPaid',
  'appointmentMissed',
  'withdrawn',
  'notResponsible',
  'other',
] as const;
export const rejectionProblemSchema = z.enum(REJECTION_PROBLEMS);

const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/);

/** A place of the authority (never a person's address). */
export const placeSchema = z.object({
  id: idSchema,
  name: z.string().min(1).max(200),
  address: z.string().min(1).max(300),
  /** Room, floor or counter, e.g. `Raum 2.14`. */
  room: z.string().min(1).max(60).optional(),
});
export type Place = z.infer<typeof placeSchema>;

/** day 1 = Monday … 7 = Sunday; several intervals per day allowed. */
export const openingHoursSchema = z
  .array(z.object({ day: z.number().int().min(1).max(7), opens: clockTime, closes: clockTime }))
  .max(21);

export const appointmentSchema = z.object({
  appointmentId: idSchema,
  at: isoDateTime,
  place: placeSchema,
});
export type Appointment = z.infer<typeof appointmentSchema>;

/** What each status says besides itself; the discriminator is `status`. */
export const caseEventDetailsSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('submitted'), channel: caseOriginSchema }),
  z.object({ status: z.literal('received') }),
  z.object({
    status: z.literal('documents_missing'),
    documents: z.array(missingDocumentSchema).min(1).max(14),
    /** Hand them in by this date. */
    dueBy: isoDate.optional(),
  }),
  z.object({
    status: z.literal('documents_received'),
    documents: z.array(missingDocumentSchema).min(1).max(14),
    /** The tracking number of the follow-up that brought them (its receipt shows it). */
    followUp: trackingNumberSchema,
  }),
  z.object({ status: z.literal('invitation_sent'), appointment: appointmentSchema }),
  z.object({ status: z.literal('in_review') }),
  z.object({ status: z.literal('accepted') }),
  z.object({ status: z.literal('decided'), letterFollows: z.literal(true) }),
  z.object({ status: z.literal('card_ordered'), expectedReadyBy: isoDate.optional() }),
  z.object({
    status: z.literal('card_ready'),
    pickup: z.object({
      place: placeSchema,
      openingHours: openingHoursSchema.min(1),
      bring: z.array(pickupItemSchema).min(1).max(PICKUP_ITEMS.length),
    }),
  }),
  z.object({ status: z.literal('closed') }),
  z.object({
    status: z.literal('rejected'),
    problems: z.array(rejectionProblemSchema).min(1).max(REJECTION_PROBLEMS.length),
    letterFollows: z.literal(true),
  }),
]);
export type CaseEventDetails = z.infer<typeof caseEventDetailsSchema>;

const caseEventHead = z.object({
  eventId: idSchema,
  caseReference: caseReferenceSchema,
  trackingNumber: trackingNumberSchema.optional(),
  /** 1 for the case's first event, then one more per event. */
  seq: z.number().int().positive(),
  at: isoDateTime,
});

/** Payload of one signed case event (compact JWS, ES256, portal signing key, typ `case-event+jwt`). */
export const caseEventSchema = z.intersection(caseEventHead, caseEventDetailsSchema);
export type CaseEvent = z.infer<typeof caseEventSchema>;

/**
 * Payload of the signed summary a lookup answers (typ `case+jwt`): the case as it stands, for the
 * terminal that asked (`terminalId`) at `iat` (seconds), with as many events as `events` says.
 */
export const caseSummarySchema = z.object({
  caseReference: caseReferenceSchema,
  trackingNumber: trackingNumberSchema.optional(),
  serviceId: idSchema,
  origin: caseOriginSchema,
  status: caseStatusSchema,
  updatedAt: isoDateTime,
  events: z.number().int().positive(),
  terminalId: idSchema,
  iat: z.number().int(),
});
export type CaseSummary = z.infer<typeof caseSummarySchema>;

/**
 * A lookup: the tracking number from the receipt or the case reference from a letter (typed, or
 * read from the letter's QR), and the birth date. In the body, never in a URL.
 */
export const caseLookupRequestSchema = z.union([
  z.object({ trackingNumber: trackingNumberSchema, birthDate: isoDate }).strict(),
  z.object({ caseReference: caseReferenceSchema, birthDate: isoDate }).strict(),
]);
export type CaseLookupRequest = z.infer<typeof caseLookupRequestSchema>;

export const caseLookupResponseSchema = z.object({
  /** Compact JWS (typ `case+jwt`) of a `CaseSummary`. */
  case: compactJwsSchema,
  /** The case's events, oldest first, each a compact JWS (typ `case-event+jwt`) of a `CaseEvent`. */
  events: z.array(compactJwsSchema).min(1).max(200),
});
export type CaseLookupResponse = z.infer<typeof caseLookupResponseSchema>;

/** `typ` of the invitation a letter carries as its QR code. */
export const INVITATION_JWS_TYPE = 'invitation+jwt';
/** The QR text of an invitation: this prefix, then the compact JWS. */
export const INVITATION_QR_PREFIX = 'INV1:';

/**
 * Payload of an invitation (compact JWS, ES256, portal signing key, typ `invitation+jwt`): the
 * case and its appointment, valid until `exp` (seconds, the day after the appointment).
 */
export const invitationSchema = z.object({
  caseReference: caseReferenceSchema,
  appointment: appointmentSchema,
  iat: z.number().int(),
  exp: z.number().int(),
});
export type Invitation = z.infer<typeof invitationSchema>;

/** The compact JWS in an invitation's QR text, or undefined when the text is not one. */
export function parseInvitationQr(text: string): string | undefined {
  const trimmed = text.trim();
  if (!trimmed.startsWith(INVITATION_QR_PREFIX)) return undefined;
  const jws = trimmed.slice(INVITATION_QR_PREFIX.length);
  return compactJwsSchema.safeParse(jws).success ? jws : undefined;
}

/** The older status feed's word for a case status; undefined: the older feed has none. */
export function legacyStatusOf(status: CaseStatus): StatusKind | undefined {
  switch (status) {
    case 'submitted':
      return undefined;
    case 'received':
      return 'received';
    case 'documents_missing':
    case 'documents_received':
    case 'invitation_sent':
    case 'in_review':
      return 'in_review';
    case 'accepted':
      return 'accepted';
    case 'decided':
    case 'card_ordered':
    case 'card_ready':
      return 'decided';
    case 'closed':
      return undefined;
    case 'rejected':
      return 'rejected';
  }
}
