/**
 * Every `/v1` route once: method, path, schemas of params, query, body and answers. The portal
 * registers its handlers from this table, the client builds its requests from it, and the
 * OpenAPI document is generated from it.
 */
import type { z } from 'zod';
import { caseLookupRequestSchema, caseLookupResponseSchema } from './cases.ts';
import { errorBodySchema } from './common.ts';
import {
  accountParamsSchema,
  accountSignInCodeRequestSchema,
  accountSignInRequestSchema,
  accountSignInResponseSchema,
  accountSignInStepSchema,
  activateAccountRequestSchema,
  activateAccountResponseSchema,
  authorityKeysResponseSchema,
  callbackRequestSchema,
  callbackResponseSchema,
  configResponseSchema,
  createSubmissionRequestSchema,
  createSubmissionResponseSchema,
  enrolmentRequestSchema,
  enrolmentResponseSchema,
  healthResponseSchema,
  heartbeatRequestSchema,
  heartbeatResponseSchema,
  partParamsSchema,
  partQuerySchema,
  partResponseSchema,
  pendingAccountResponseSchema,
  pendingAccountSearchSchema,
  statusEventsQuerySchema,
  statusEventsResponseSchema,
  submissionParamsSchema,
  submitRequestSchema,
  submitResponseSchema,
  trackingLookupRequestSchema,
  trackingLookupResponseSchema,
} from './messages.ts';
import { checkInRequestSchema, checkInResponseSchema } from './queue.ts';
import {
  ticketLookupRequestSchema,
  ticketLookupResponseSchema,
  ticketRequestSchema,
  ticketResponseSchema,
} from './tickets.ts';

/** Paths with `{param}` placeholders (OpenAPI style). */
export const PATHS = {
  health: '/v1/health',
  openapi: '/v1/openapi.json',
  enrolment: '/v1/enrolment',
  config: '/v1/config',
  heartbeat: '/v1/heartbeat',
  authorityKeys: '/v1/authority-keys',
  submissions: '/v1/submissions',
  submissionPart: '/v1/submissions/{id}/parts/{partId}',
  submissionSubmit: '/v1/submissions/{id}/submit',
  statusEvents: '/v1/status-events',
  trackingLookup: '/v1/tracking/lookup',
  callbacks: '/v1/callbacks',
  accountsPendingSearch: '/v1/accounts/pending/search',
  accountPending: '/v1/accounts/pending/{id}',
  accountActivate: '/v1/accounts/{id}/activate',
  accountSignIn: '/v1/accounts/sign-in',
  accountSignInCode: '/v1/accounts/sign-in/code',
  caseLookup: '/v1/cases/lookup',
  tickets: '/v1/tickets',
  ticketLookup: '/v1/tickets/lookup',
  checkIn: '/v1/check-in',
} as const;

/** Fills a path's `{param}` placeholders (URL-encoded); a placeholder without a value stays as it is. */
export function pathFor(template: string, params: Readonly<Record<string, string>> = {}): string {
  return template.replace(/\{([A-Za-z]+)\}/g, (placeholder, name: string) => {
    const value = params[name];
    return value === undefined ? placeholder : encodeURIComponent(value);
  });
}

export type HttpMethod = 'GET' | 'POST' | 'PUT';

export interface RouteSpec {
  readonly id: string;
  readonly method: HttpMethod;
  readonly path: string;
  readonly summary: string;
  /** `terminal`: `Authorization: Bearer <device JWT>` required. */
  readonly auth: 'none' | 'terminal';
  /** `required`: the `Idempotency-Key` header must be present; `optional`: honoured when present. */
  readonly idempotency?: 'required' | 'optional';
  readonly params?: z.ZodType;
  readonly query?: z.ZodType;
  /** JSON body schema; `binary` for an `application/octet-stream` body. */
  readonly body?: z.ZodType | 'binary';
  /** Success answers by status code. */
  readonly responses: Readonly<Record<number, z.ZodType>>;
  /** Error status codes this route may answer with (all carry an `ErrorBody`). */
  readonly errors: readonly number[];
  /** Errors are RFC 9457 problem details (`application/problem+json`, `ProblemDetails`). */
  readonly problem?: true;
}

const authErrors = [401];

export const ROUTES = {
  health: {
    id: 'health',
    method: 'GET',
    path: PATHS.health,
    summary: 'Liveness of the portal; also tells the terminal the portal time.',
    auth: 'none',
    responses: { 200: healthResponseSchema },
    errors: [],
  },
  enrolment: {
    id: 'enrolment',
    method: 'POST',
    path: PATHS.enrolment,
    summary: 'Registers a terminal public key with a one-time enrolment code.',
    auth: 'none',
    body: enrolmentRequestSchema,
    responses: { 201: enrolmentResponseSchema },
    errors: [400, 403],
  },
  config: {
    id: 'config',
    method: 'GET',
    path: PATHS.config,
    summary: 'The signed configuration for the calling terminal.',
    auth: 'terminal',
    responses: { 200: configResponseSchema },
    errors: authErrors,
  },
  heartbeat: {
    id: 'heartbeat',
    method: 'POST',
    path: PATHS.heartbeat,
    summary:
      'Records that the terminal is alive, with its health figures (no personal data); acknowledges commands carried out. Answers the current configuration version and the signed commands still open.',
    auth: 'terminal',
    body: heartbeatRequestSchema,
    responses: { 200: heartbeatResponseSchema },
    errors: [400, 401],
  },
  authorityKeys: {
    id: 'authorityKeys',
    method: 'GET',
    path: PATHS.authorityKeys,
    summary:
      "The authority's valid public encryption keys, newest first, as a key set signed with the portal signing key (typ `authority-keys+jwt`, with exp).",
    auth: 'terminal',
    responses: { 200: authorityKeysResponseSchema },
    errors: authErrors,
  },
  createSubmission: {
    id: 'createSubmission',
    method: 'POST',
    path: PATHS.submissions,
    summary:
      'Creates a submission from its sealed metadata and part manifest. Same Idempotency-Key and body: the same answer; key in flight: 409; other body: 422.',
    auth: 'terminal',
    idempotency: 'required',
    body: createSubmissionRequestSchema,
    responses: { 201: createSubmissionResponseSchema },
    errors: [400, 401, 409, 422],
  },
  putPart: {
    id: 'putPart',
    method: 'PUT',
    path: PATHS.submissionPart,
    summary:
      'Appends a chunk of a sealed part at `offset`. A chunk that repeats bytes already held unchanged is acknowledged; a gap or a differing overlap is refused with the received length.',
    auth: 'terminal',
    params: partParamsSchema,
    query: partQuerySchema,
    body: 'binary',
    responses: { 200: partResponseSchema },
    errors: [400, 401, 404, 409, 413, 415],
  },
  getPart: {
    id: 'getPart',
    method: 'GET',
    path: PATHS.submissionPart,
    summary: 'How many bytes of the part the portal holds (resume from there).',
    auth: 'terminal',
    params: partParamsSchema,
    responses: { 200: partResponseSchema },
    errors: [401, 404],
  },
  submit: {
    id: 'submit',
    method: 'POST',
    path: PATHS.submissionSubmit,
    summary:
      'Opens and verifies the complete submission (device signature, every hash) and delivers it. Repeating it answers the same.',
    auth: 'terminal',
    params: submissionParamsSchema,
    body: submitRequestSchema,
    responses: { 200: submitResponseSchema },
    errors: [400, 401, 404, 409, 422],
  },
  statusEvents: {
    id: 'statusEvents',
    method: 'GET',
    path: PATHS.statusEvents,
    summary: "Signed status events of the calling terminal's submissions after a cursor.",
    auth: 'terminal',
    query: statusEventsQuerySchema,
    responses: { 200: statusEventsResponseSchema },
    errors: [400, 401],
  },
  trackingLookup: {
    id: 'trackingLookup',
    method: 'POST',
    path: PATHS.trackingLookup,
    summary:
      'Status of an application by tracking number and birth date; a wrong pair is 404 without saying which part was wrong. Rate limited per terminal.',
    auth: 'terminal',
    body: trackingLookupRequestSchema,
    responses: { 200: trackingLookupResponseSchema },
    errors: [400, 401, 404, 429],
  },
  callbacks: {
    id: 'callbacks',
    method: 'POST',
    path: PATHS.callbacks,
    summary: 'Creates a call-back ticket for a visitor.',
    auth: 'terminal',
    idempotency: 'optional',
    body: callbackRequestSchema,
    responses: { 201: callbackResponseSchema },
    errors: [400, 401, 409, 422],
  },
  accountsPendingSearch: {
    id: 'accountsPendingSearch',
    method: 'POST',
    path: PATHS.accountsPendingSearch,
    summary:
      'The one service account pending activation whose name and birth date match exactly; never a list. None: 404 `account.not_found`; more than one: 409 `account.ambiguous` (use the letter). Rate limited per terminal: 429 with Retry-After.',
    auth: 'terminal',
    body: pendingAccountSearchSchema,
    responses: { 200: pendingAccountResponseSchema },
    errors: [400, 401, 404, 409, 429],
  },
  accountPending: {
    id: 'accountPending',
    method: 'GET',
    path: PATHS.accountPending,
    summary:
      'One service account pending activation, by id (the QR on its confirmation letter); the id is matched without regard to case.',
    auth: 'terminal',
    params: accountParamsSchema,
    responses: { 200: pendingAccountResponseSchema },
    errors: [400, 401, 404],
  },
  accountActivate: {
    id: 'accountActivate',
    method: 'POST',
    path: PATHS.accountActivate,
    summary: "Activates a pending service account after a clerk's confirmation at the terminal.",
    auth: 'terminal',
    idempotency: 'optional',
    params: accountParamsSchema,
    body: activateAccountRequestSchema,
    responses: { 200: activateAccountResponseSchema },
    errors: [400, 401, 404, 409, 422],
  },
  accountSignIn: {
    id: 'accountSignIn',
    method: 'POST',
    path: PATHS.accountSignIn,
    summary:
      'Signs a visitor in with an active service account (user name and password). A wrong name or password is one 401 (`account.sign_in_failed`) either way; after 5 failures per terminal or per name: 429 with Retry-After. Where the portal asks for a second factor, a right password answers a challenge (`secondFactor: mtan`): a one-time code went to the registered phone; an account without one is 409 `account.no_second_factor`.',
    auth: 'terminal',
    body: accountSignInRequestSchema,
    responses: { 200: accountSignInStepSchema },
    errors: [400, 401, 409, 429],
  },
  accountSignInCode: {
    id: 'accountSignInCode',
    method: 'POST',
    path: PATHS.accountSignInCode,
    summary:
      'Completes a sign-in with the one-time code sent for its challenge: the account (`authentication: password+mtan`). A wrong code is 401 `account.code_invalid`; a code older than 5 minutes, one used already, or a challenge after 5 wrong codes is 401 `account.code_expired` (sign in again). Wrong codes count against the terminal as failed sign-ins do: 429 with Retry-After.',
    auth: 'terminal',
    body: accountSignInCodeRequestSchema,
    responses: { 200: accountSignInResponseSchema },
    errors: [400, 401, 429],
  },
  caseLookup: {
    id: 'caseLookup',
    method: 'POST',
    path: PATHS.caseLookup,
    summary:
      'A case by tracking number or case reference, with the birth date; one exact match or one 404 (`case.not_found`) whichever part was wrong. Answers a signed summary (`case+jwt`) and the signed events (`case-event+jwt`). Rate limited per terminal: 429 with Retry-After.',
    auth: 'terminal',
    body: caseLookupRequestSchema,
    responses: { 200: caseLookupResponseSchema },
    errors: [400, 401, 404, 429],
    problem: true,
  },
  createTicket: {
    id: 'createTicket',
    method: 'POST',
    path: PATHS.tickets,
    summary:
      'An appointment wish becomes a Service-Center ticket (topic, constraints, language, contact). Answers the ticket number and the signed ticket (`ticket+jwt`, without the contact). With an Idempotency-Key a repeat gets the first answer.',
    auth: 'terminal',
    idempotency: 'optional',
    body: ticketRequestSchema,
    responses: { 201: ticketResponseSchema },
    errors: [400, 401, 409, 422],
    problem: true,
  },
  ticketLookup: {
    id: 'ticketLookup',
    method: 'POST',
    path: PATHS.ticketLookup,
    summary:
      'A ticket by its number and the birth date, signed (`ticket+jwt`); one 404 (`ticket.not_found`) whichever part was wrong. Rate limited per terminal: 429 with Retry-After.',
    auth: 'terminal',
    body: ticketLookupRequestSchema,
    responses: { 200: ticketLookupResponseSchema },
    errors: [400, 401, 404, 429],
    problem: true,
  },
  checkIn: {
    id: 'checkIn',
    method: 'POST',
    path: PATHS.checkIn,
    summary:
      "Check-in at the authority: an invitation letter's signed QR (valid, for an appointment today) or a walk-in topic that allows walk-ins becomes a queue ticket (`queue-ticket+jwt`: number, waiting area, path of the phone page). The same invitation checked in again gets the same ticket.",
    auth: 'terminal',
    body: checkInRequestSchema,
    responses: { 201: checkInResponseSchema },
    errors: [400, 401, 404, 409, 422],
    problem: true,
  },
} as const satisfies Record<string, RouteSpec>;

export type RouteId = keyof typeof ROUTES;

/** The error body schema every route answers with on a non-2xx status. */
export const ERROR_BODY = errorBodySchema;
