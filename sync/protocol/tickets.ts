/**
 * Service-Center tickets: an appointment wish from a terminal becomes a ticket in the ticket
 * system — topic, the visitor's constraints, preferred language and how to reach them. The answer
 * is the ticket number and the ticket signed by the portal (`ticket+jwt`); the ticket is looked up
 * like a case, by its number and the birth date. The signed ticket carries no contact details.
 */
import { z } from 'zod';
import { caseReferenceSchema } from './cases.ts';
import { compactJwsSchema, idSchema, isoDate, isoDateTime, trackingNumberSchema } from './common.ts';

/** `typ` of a signed ticket. */
export const TICKET_JWS_TYPE = 'ticket+jwt';

/** What the appointment is about (the terminal names each in the visitor's language). */
export const TICKET_TOPICS = [
  'residencePermit',
  'permitExtension',
  'electronicResidencePermit',
  'commitment',
  'documents',
  'cardPickup',
  'consultation',
  'other',
] as const;
export const ticketTopicSchema = z.enum(TICKET_TOPICS);
export type TicketTopic = z.infer<typeof ticketTopicSchema>;

export const TICKET_STATUSES = ['open', 'in_progress', 'scheduled', 'closed'] as const;
export const ticketStatusSchema = z.enum(TICKET_STATUSES);

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

/** `SC-` and six digits, e.g. `SC-482193`. */
export const ticketNumberSchema = z.string().regex(/^SC-\d{6}$/);

export const ticketConstraintsSchema = z
  .object({
    /** "My title expires on …" */
    titleExpiresOn: isoDate.optional(),
    /** "I travel from … to …" */
    travel: z
      .array(z.object({ from: isoDate, to: isoDate }).refine((t) => t.from <= t.to, 'from is after to'))
      .max(5)
      .optional(),
    /** Weekdays that do not suit. */
    unsuitableDays: z.array(z.enum(WEEKDAYS)).max(WEEKDAYS.length).optional(),
    /** Single days that do not suit. */
    unsuitableDates: z.array(isoDate).max(20).optional(),
  })
  .strict();
export type TicketConstraints = z.infer<typeof ticketConstraintsSchema>;

/** How the Service-Center reaches the visitor: a phone number or an e-mail address (or both). */
export const ticketContactSchema = z
  .object({
    phone: z
      .string()
      .trim()
      .regex(/^\+?[0-9 ()/-]{5,30}$/)
      .optional(),
    email: z.email().max(200).optional(),
  })
  .strict()
  .refine((c) => c.phone !== undefined || c.email !== undefined, 'a phone number or an e-mail address');

export const ticketRequestSchema = z
  .object({
    topic: ticketTopicSchema,
    constraints: ticketConstraintsSchema,
    /** BCP 47 tag of the language the visitor prefers for the appointment. */
    language: z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$/),
    contact: ticketContactSchema,
    /** With the ticket number, the key to look the ticket up (kept only as a keyed hash). */
    birthDate: isoDate,
    /** The case the wish is about, when there is one. */
    caseReference: caseReferenceSchema.optional(),
    trackingNumber: trackingNumberSchema.optional(),
  })
  .strict();
export type TicketRequest = z.infer<typeof ticketRequestSchema>;

/** Payload of a signed ticket (compact JWS, ES256, portal signing key, typ `ticket+jwt`). */
export const ticketSchema = z.object({
  ticketNumber: ticketNumberSchema,
  topic: ticketTopicSchema,
  status: ticketStatusSchema,
  language: z.string(),
  constraints: ticketConstraintsSchema,
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
  /** The terminal the answer is for, and when it was signed (seconds). */
  terminalId: idSchema,
  iat: z.number().int(),
});
export type Ticket = z.infer<typeof ticketSchema>;

export const ticketResponseSchema = z.object({
  ticketNumber: ticketNumberSchema,
  /** Compact JWS (typ `ticket+jwt`) of a `Ticket`. */
  ticket: compactJwsSchema,
});
export type TicketResponse = z.infer<typeof ticketResponseSchema>;

export const ticketLookupRequestSchema = z
  .object({ ticketNumber: ticketNumberSchema, birthDate: isoDate })
  .strict();
export type TicketLookupRequest = z.infer<typeof ticketLookupRequestSchema>;

export const ticketLookupResponseSchema = z.object({ ticket: compactJwsSchema });
export type TicketLookupResponse = z.infer<typeof ticketLookupResponseSchema>;
