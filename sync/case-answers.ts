/**
 * The portal's answers about a visitor's case or ticket, checked before a terminal shows them: every
 * part signed by the portal key recorded at enrolment, of its own `typ`, addressed to this terminal,
 * about the case that was asked for, and the events one unbroken log that ends in the status the
 * summary states. Anything else is `answer.unverified`: the screen says the answer could not be
 * checked rather than show what a man in the middle (or a confused portal) sent.
 */
import { err, ok, type Result } from '../common/result.ts';
import {
  CASE_EVENT_JWS_TYPE,
  CASE_JWS_TYPE,
  type CaseEvent,
  type CaseLookupRequest,
  type CaseLookupResponse,
  type CaseSummary,
  caseEventSchema,
  caseSummarySchema,
  type PortalSigningJwk,
  QUEUE_TICKET_JWS_TYPE,
  type QueueTicket,
  queueTicketSchema,
  TICKET_JWS_TYPE,
  type Ticket,
  ticketSchema,
  verifyPortalSigned,
} from './protocol/index.ts';
import { validateTrackingNumber } from './tracking.ts';

export type UnverifiedCode = 'answer.unverified';

/** A case as the portal signed it: its summary and its events, oldest first. */
export interface VerifiedCase {
  readonly summary: CaseSummary;
  readonly events: readonly CaseEvent[];
}

export async function verifyCaseAnswer(
  answer: CaseLookupResponse,
  request: CaseLookupRequest,
  expected: { readonly terminalId: string; readonly portalSigningKey: PortalSigningJwk },
): Promise<Result<VerifiedCase, UnverifiedCode>> {
  const key = expected.portalSigningKey;
  const summary = await verifyPortalSigned(answer.case, CASE_JWS_TYPE, caseSummarySchema, key);
  if (!summary.ok) return unverified(`case summary: ${summary.error.code}`);
  const s = summary.value;
  if (s.terminalId !== expected.terminalId) return unverified('the summary is for another terminal');
  if ('caseReference' in request ? s.caseReference !== request.caseReference : !sameTracking(s, request))
    return unverified('the summary is about another case');
  const events: CaseEvent[] = [];
  for (const jws of answer.events) {
    const event = await verifyPortalSigned(jws, CASE_EVENT_JWS_TYPE, caseEventSchema, key);
    if (!event.ok) return unverified(`case event: ${event.error.code}`);
    if (event.value.caseReference !== s.caseReference) return unverified('an event of another case');
    if (event.value.seq !== events.length + 1) return unverified('the events are not one unbroken log');
    events.push(event.value);
  }
  if (events.length !== s.events) return unverified('the summary counts other events');
  if (events.at(-1)?.status !== s.status) return unverified('the last event is not the stated status');
  return ok({ summary: s, events });
}

/** A ticket as the portal signed it, for this terminal, with the number that was asked for. */
export async function verifyTicket(
  jws: string,
  ticketNumber: string | undefined,
  expected: { readonly terminalId: string; readonly portalSigningKey: PortalSigningJwk },
): Promise<Result<Ticket, UnverifiedCode>> {
  const ticket = await verifyPortalSigned(jws, TICKET_JWS_TYPE, ticketSchema, expected.portalSigningKey);
  if (!ticket.ok) return unverified(`ticket: ${ticket.error.code}`);
  if (ticket.value.terminalId !== expected.terminalId)
    return unverified('the ticket is for another terminal');
  if (ticketNumber !== undefined && ticket.value.ticketNumber !== ticketNumber)
    return unverified('the ticket has another number');
  return ok(ticket.value);
}

/** A queue ticket as the portal signed it, for this terminal. */
export async function verifyQueueTicket(
  jws: string,
  expected: { readonly terminalId: string; readonly portalSigningKey: PortalSigningJwk },
): Promise<Result<QueueTicket, UnverifiedCode>> {
  const ticket = await verifyPortalSigned(
    jws,
    QUEUE_TICKET_JWS_TYPE,
    queueTicketSchema,
    expected.portalSigningKey,
  );
  if (!ticket.ok) return unverified(`queue ticket: ${ticket.error.code}`);
  if (ticket.value.terminalId !== expected.terminalId)
    return unverified('the queue ticket is for another terminal');
  return ok(ticket.value);
}

function sameTracking(summary: CaseSummary, request: { readonly trackingNumber: string }): boolean {
  const asked = validateTrackingNumber(request.trackingNumber);
  return asked.ok && summary.trackingNumber === asked.value;
}

function unverified(message: string): Result<never, UnverifiedCode> {
  return err('answer.unverified', message);
}
