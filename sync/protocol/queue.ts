/**
 * Check-in at the authority's building: a terminal there turns the QR of an invitation letter (or
 * a walk-in visitor's topic, for the topics that allow it) into a queue ticket with a number such
 * as `A-042`, the waiting area, and a path to follow the queue on a phone. The portal signs the
 * ticket (`queue-ticket+jwt`); it carries no name, birth date or case reference.
 */
import { z } from 'zod';
import { compactJwsSchema, idSchema, isoDateTime } from './common.ts';
import { ticketTopicSchema } from './tickets.ts';

/** `typ` of a signed queue ticket. */
export const QUEUE_TICKET_JWS_TYPE = 'queue-ticket+jwt';

/** A letter for the kind of visit and three digits: `A-042` (invited), `W-007` (walk-in). */
export const queueNumberSchema = z.string().regex(/^[A-Z]-\d{3}$/);

export const checkInRequestSchema = z.union([
  /** The compact JWS of an invitation letter's QR (`INV1:` removed). */
  z.object({ invitation: compactJwsSchema }).strict(),
  /** A visitor without an invitation, for a topic that takes walk-ins. */
  z.object({ walkIn: ticketTopicSchema }).strict(),
]);
export type CheckInRequest = z.infer<typeof checkInRequestSchema>;

/** Payload of a signed queue ticket (compact JWS, ES256, portal signing key). */
export const queueTicketSchema = z.object({
  number: queueNumberSchema,
  kind: z.enum(['invited', 'walk_in']),
  /** Where to wait until the number is called, e.g. `Wartebereich B, Erdgeschoss`. */
  waitingArea: z.string().min(1).max(120),
  /** Path (under the portal's public address) of the page that follows this ticket on a phone. */
  followPath: z.string().regex(/^\/queue\/tickets\/[A-Za-z0-9_-]{16,64}$/),
  issuedAt: isoDateTime,
  terminalId: idSchema,
  iat: z.number().int(),
});
export type QueueTicket = z.infer<typeof queueTicketSchema>;

export const checkInResponseSchema = z.object({
  /** Compact JWS (typ `queue-ticket+jwt`) of a `QueueTicket`. */
  ticket: compactJwsSchema,
});
export type CheckInResponse = z.infer<typeof checkInResponseSchema>;
