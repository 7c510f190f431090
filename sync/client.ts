/**
 * The portal client: `fetch` with a timeout on every request, a fresh device JWT per request,
 * and every answer validated against `sync/protocol` — a 200 whose body is not the expected JSON
 * (a captive portal's HTML) is a failure. Failures are classed for the sync engine:
 *
 * - `retryable`: network, timeout, 5xx, 429, 408, 409 in flight, unreadable answers
 * - `permanent`: 4xx validation; the item is quarantined, never retried blindly
 * - `auth`: the portal does not accept the terminal (re-enrolment alarm)
 * - `clock_skew`: the terminal's clock is off; the offset is corrected from the portal's `Date`
 *
 * Redirects are never followed (`redirect: 'manual'`): a 3xx would re-send the request, with a
 * visitor's password or sealed application, to an origin the terminal was never enrolled with.
 * It is answered as `response.redirect` (retryable: the portal's address is wrong or someone is
 * in the way; an administrator has to look, the queue keeps the item).
 */
import { randomBytes } from 'node:crypto';
import { importJWK, type JWK, SignJWT } from 'jose';
import type { z } from 'zod';
import type { Clock, Scheduler } from '../common/clock.ts';
import {
  type AccountSignInCodeRequest,
  type AccountSignInRequest,
  type AccountSignInResponse,
  type AccountSignInStep,
  type ActivateAccountRequest,
  type ActivateAccountResponse,
  type AuthorityKeysResponse,
  type CaseLookupRequest,
  type CaseLookupResponse,
  type CheckInRequest,
  type CheckInResponse,
  type ConfigResponse,
  type CreateSubmissionRequest,
  type CreateSubmissionResponse,
  type EnrolmentRequest,
  type EnrolmentResponse,
  errorBodySchema,
  type HealthResponse,
  type HeartbeatRequest,
  type HeartbeatResponse,
  IDEMPOTENCY_KEY_HEADER,
  IDEMPOTENT_REPLAY_HEADER,
  type PartResponse,
  type PendingAccountResponse,
  type PendingAccountSearch,
  pathFor,
  ROUTES,
  type RouteSpec,
  type StatusEventsResponse,
  type SubmitResponse,
  type TicketLookupRequest,
  type TicketLookupResponse,
  type TicketRequest,
  type TicketResponse,
  TOKEN_MAX_LIFETIME_SECONDS,
  type TrackingLookupRequest,
  type TrackingLookupResponse,
} from './protocol/index.ts';

export type ErrorKind = 'retryable' | 'permanent' | 'auth' | 'clock_skew';

export interface ClientError {
  readonly kind: ErrorKind;
  /**
   * The portal's error code, or `net.error`, `net.timeout`, `response.invalid`,
   * `response.redirect`, `http.<status>`.
   */
  readonly code: string;
  readonly message: string;
  readonly status?: number;
  /** From `Retry-After`, in ms. */
  readonly retryAfterMs?: number;
  /** `part.gap` / `part.overlap`: bytes the portal holds. */
  readonly received?: number;
  /** `submission.rejected`: why. */
  readonly reason?: string;
  readonly missingParts?: readonly string[];
}

export type ClientResult<T> =
  | { readonly ok: true; readonly value: T; readonly status: number; readonly replayed: boolean }
  | { readonly ok: false; readonly error: ClientError };

/** What the sync engine needs from the portal; tests pass a fake. */
export interface PortalApi {
  health(): Promise<ClientResult<HealthResponse>>;
  authorityKeys(): Promise<ClientResult<AuthorityKeysResponse>>;
  createSubmission(
    idempotencyKey: string,
    body: CreateSubmissionRequest,
  ): Promise<ClientResult<CreateSubmissionResponse>>;
  getPart(submissionId: string, partId: string): Promise<ClientResult<PartResponse>>;
  putPart(
    submissionId: string,
    partId: string,
    offset: number,
    bytes: Uint8Array,
  ): Promise<ClientResult<PartResponse>>;
  submit(submissionId: string): Promise<ClientResult<SubmitResponse>>;
  statusEvents(after: string | undefined): Promise<ClientResult<StatusEventsResponse>>;
  heartbeat(body: HeartbeatRequest): Promise<ClientResult<HeartbeatResponse>>;
}

export interface TerminalCredentials {
  readonly terminalId: string;
  readonly keyId: string;
  readonly audience: string;
  readonly privateJwk: JWK;
}

export interface PortalClientOptions {
  readonly baseUrl: string;
  readonly clock: Clock;
  readonly scheduler: Scheduler;
  readonly credentials?: TerminalCredentials;
  readonly fetch?: typeof fetch;
  /** Per request, in ms (default 15 s). */
  readonly timeoutMs?: number;
  readonly random?: (size: number) => Uint8Array;
}

export const DEFAULT_TIMEOUT_MS = 15_000;

/** Parses `Retry-After` (seconds or an HTTP date) into ms from `now`. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

interface CallInput {
  readonly params?: Readonly<Record<string, string>>;
  readonly query?: Readonly<Record<string, string | undefined>>;
  readonly json?: unknown;
  readonly binary?: Uint8Array;
  readonly headers?: Readonly<Record<string, string>>;
}

function classify(status: number, code: string): ErrorKind {
  if (code === 'auth.clock_skew') return 'clock_skew';
  // a visitor's wrong account name or password, not a refusal of the terminal
  if (code === 'account.sign_in_failed' || code === 'account.code_invalid' || code === 'account.code_expired')
    return 'permanent';
  if (status === 401 || status === 403 || code.startsWith('auth.')) return 'auth';
  if (status >= 500 || status === 429 || status === 408) return 'retryable';
  if (status === 409 && (code === 'idempotency.in_flight' || code === 'submission.incomplete'))
    return 'retryable';
  return 'permanent';
}

export class PortalClient implements PortalApi {
  readonly #options: PortalClientOptions;
  readonly #fetch: typeof fetch;
  readonly #random: (size: number) => Uint8Array;
  #signingKey: Promise<Parameters<SignJWT['sign']>[0]> | undefined;
  /** Portal time minus local time, learned from a clock-skew answer. */
  #offsetMs = 0;
  /** Portal time minus local time, as the `Date` header of the portal's last answer said. */
  #dateOffsetMs: number | undefined;

  constructor(options: PortalClientOptions) {
    this.#options = options;
    this.#fetch = options.fetch ?? fetch;
    this.#random = options.random ?? ((n) => randomBytes(n));
  }

  get clockOffsetMs(): number {
    return this.#offsetMs;
  }

  /**
   * Portal time minus local time as the portal's last answer dated it (`Date`, one-second
   * precision), or 0 before any answer carried one. A terminal without credentials yet (enrolment)
   * has no clock-skew answer to learn from; this is how it still judges the portal's signed
   * objects by the portal's time rather than by a local clock that may be minutes off.
   */
  get portalDateOffsetMs(): number {
    return this.#dateOffsetMs ?? 0;
  }

  /** Corrects the terminal's idea of the portal's time. */
  setClockOffset(ms: number): void {
    this.#offsetMs = ms;
  }

  async #token(): Promise<string> {
    const c = this.#options.credentials;
    if (c === undefined) throw new Error('no terminal credentials');
    this.#signingKey ??= importJWK(c.privateJwk, 'ES256');
    const iat = Math.floor((this.#options.clock.now() + this.#offsetMs) / 1000);
    return new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid: c.keyId, typ: 'JWT' })
      .setIssuer(c.terminalId)
      .setAudience(c.audience)
      .setIssuedAt(iat)
      .setExpirationTime(iat + TOKEN_MAX_LIFETIME_SECONDS)
      .setJti(Buffer.from(this.#random(16)).toString('base64url'))
      .sign(await this.#signingKey);
  }

  async #call<T>(route: RouteSpec, input: CallInput): Promise<ClientResult<T>> {
    let url = this.#options.baseUrl.replace(/\/+$/, '') + pathFor(route.path, input.params);
    const query = Object.entries(input.query ?? {}).filter((e): e is [string, string] => e[1] !== undefined);
    if (query.length > 0) url += `?${new URLSearchParams(query).toString()}`;
    const headers: Record<string, string> = { accept: 'application/json', ...input.headers };
    let body: string | Uint8Array | undefined;
    if (input.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(input.json);
    } else if (input.binary !== undefined) {
      headers['content-type'] = 'application/octet-stream';
      body = input.binary;
    }
    if (route.auth === 'terminal') {
      try {
        headers.authorization = `Bearer ${await this.#token()}`;
      } catch (e) {
        return { ok: false, error: { kind: 'auth', code: 'auth.no_credentials', message: String(e) } };
      }
    }
    const controller = new AbortController();
    const timeoutMs = this.#options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const timer = this.#options.scheduler.after(timeoutMs, () => controller.abort());
    try {
      let response: Response;
      try {
        response = await this.#fetch(url, {
          method: route.method,
          headers,
          body: (body ?? null) as BodyInit | null,
          signal: controller.signal,
          redirect: 'manual',
        });
      } catch (e) {
        return controller.signal.aborted
          ? {
              ok: false,
              error: { kind: 'retryable', code: 'net.timeout', message: `no answer within ${timeoutMs} ms` },
            }
          : { ok: false, error: { kind: 'retryable', code: 'net.error', message: causeOf(e) } };
      }
      let text: string;
      try {
        text = await response.text();
      } catch (e) {
        const code = controller.signal.aborted ? 'net.timeout' : 'net.error';
        return { ok: false, error: { kind: 'retryable', code, message: causeOf(e) } };
      }
      return this.#interpret<T>(route, response, text);
    } finally {
      timer.cancel();
    }
  }

  #interpret<T>(route: RouteSpec, response: Response, text: string): ClientResult<T> {
    const status = response.status;
    const now = this.#options.clock.now();
    const portalDate = Date.parse(response.headers.get('date') ?? '');
    if (!Number.isNaN(portalDate)) this.#dateOffsetMs = portalDate - now;
    // `redirect: 'manual'` hands a 3xx over as it is (an opaque one has status 0)
    if ((status >= 300 && status < 400) || response.type === 'opaqueredirect') {
      return {
        ok: false,
        error: {
          kind: 'retryable',
          code: 'response.redirect',
          status,
          message: `the portal answered with a redirect (${status}); it is not followed`,
        },
      };
    }
    let json: unknown;
    let parsedJson = false;
    try {
      json = JSON.parse(text);
      parsedJson = true;
    } catch {
      // handled below: not JSON
    }
    if (status >= 200 && status < 300) {
      const responses = route.responses as Readonly<Record<number, z.ZodType>>;
      const schema = responses[status] ?? Object.values(responses)[0];
      const parsed = parsedJson && schema !== undefined ? schema.safeParse(json) : undefined;
      if (parsed === undefined || !parsed.success) {
        return {
          ok: false,
          error: {
            kind: 'retryable',
            code: 'response.invalid',
            status,
            message: parsedJson ? 'the answer does not match the protocol' : 'the answer is not JSON',
          },
        };
      }
      return {
        ok: true,
        value: parsed.data as T,
        status,
        replayed: response.headers.get(IDEMPOTENT_REPLAY_HEADER) === 'true',
      };
    }
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), now);
    const body = parsedJson ? errorBodySchema.safeParse(json) : undefined;
    if (body === undefined || !body.success) {
      // an answer we cannot read (a proxy or captive page): try again later
      return {
        ok: false,
        error: {
          kind: status === 401 || status === 403 ? 'auth' : 'retryable',
          code: `http.${status}`,
          status,
          message: 'the error answer does not match the protocol',
          ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
        },
      };
    }
    const e = body.data.error;
    let kind = classify(status, e.code);
    if (kind === 'permanent' && e.retryable === true && status >= 500) kind = 'retryable';
    if (kind === 'clock_skew' && !Number.isNaN(portalDate)) this.#offsetMs = portalDate - now;
    return {
      ok: false,
      error: {
        kind,
        code: e.code,
        message: e.message,
        status,
        ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
        ...(e.received === undefined ? {} : { received: e.received }),
        ...(e.reason === undefined ? {} : { reason: e.reason }),
        ...(e.missingParts === undefined ? {} : { missingParts: e.missingParts }),
      },
    };
  }

  health(): Promise<ClientResult<HealthResponse>> {
    return this.#call(ROUTES.health, {});
  }

  enrol(body: EnrolmentRequest): Promise<ClientResult<EnrolmentResponse>> {
    return this.#call(ROUTES.enrolment, { json: body });
  }

  authorityKeys(): Promise<ClientResult<AuthorityKeysResponse>> {
    return this.#call(ROUTES.authorityKeys, {});
  }

  createSubmission(
    idempotencyKey: string,
    body: CreateSubmissionRequest,
  ): Promise<ClientResult<CreateSubmissionResponse>> {
    return this.#call(ROUTES.createSubmission, {
      json: body,
      headers: { [IDEMPOTENCY_KEY_HEADER]: idempotencyKey },
    });
  }

  getPart(submissionId: string, partId: string): Promise<ClientResult<PartResponse>> {
    return this.#call(ROUTES.getPart, { params: { id: submissionId, partId } });
  }

  putPart(
    submissionId: string,
    partId: string,
    offset: number,
    bytes: Uint8Array,
  ): Promise<ClientResult<PartResponse>> {
    return this.#call(ROUTES.putPart, {
      params: { id: submissionId, partId },
      query: { offset: String(offset) },
      binary: bytes,
    });
  }

  submit(submissionId: string): Promise<ClientResult<SubmitResponse>> {
    return this.#call(ROUTES.submit, { params: { id: submissionId }, json: {} });
  }

  statusEvents(after: string | undefined): Promise<ClientResult<StatusEventsResponse>> {
    return this.#call(ROUTES.statusEvents, { query: { after } });
  }

  heartbeat(body: HeartbeatRequest): Promise<ClientResult<HeartbeatResponse>> {
    return this.#call(ROUTES.heartbeat, { json: body });
  }

  /** The signed configuration for this terminal (verify it with sync/site-config.ts before use). */
  config(): Promise<ClientResult<ConfigResponse>> {
    return this.#call(ROUTES.config, {});
  }

  /**
   * The one pending account whose name (any script or its Latin form) and birth date match
   * exactly, sent in the body; `account.not_found`, `account.ambiguous` (more than one: use the
   * letter), or `rate_limited` with `retryAfterMs`.
   */
  findPendingAccount(search: PendingAccountSearch): Promise<ClientResult<PendingAccountResponse>> {
    return this.#call(ROUTES.accountsPendingSearch, { json: search });
  }

  /** One pending account by id (read from its letter's QR); `account.not_found` when there is none. */
  pendingAccount(accountId: string): Promise<ClientResult<PendingAccountResponse>> {
    return this.#call(ROUTES.accountPending, { params: { id: accountId } });
  }

  /**
   * Activates a pending account after the clerk's confirmation. With an idempotency key a repeat
   * after a lost answer gets the first answer again instead of `account.not_pending`.
   */
  activateAccount(
    accountId: string,
    body: ActivateAccountRequest,
    idempotencyKey?: string,
  ): Promise<ClientResult<ActivateAccountResponse>> {
    return this.#call(ROUTES.accountActivate, {
      params: { id: accountId },
      json: body,
      ...(idempotencyKey === undefined ? {} : { headers: { [IDEMPOTENCY_KEY_HEADER]: idempotencyKey } }),
    });
  }

  /**
   * Signs a visitor in with an active service account. A wrong name or password is
   * `account.sign_in_failed` (kind `permanent`); too many failures `rate_limited` with `retryAfterMs`.
   * Where the portal asks for a second factor, a right password answers a challenge: a code went
   * to the account's phone (`confirmSignInCode`).
   */
  signInAccount(body: AccountSignInRequest): Promise<ClientResult<AccountSignInStep>> {
    return this.#call(ROUTES.accountSignIn, { json: body });
  }

  /**
   * Completes a sign-in with the one-time code the portal sent for its challenge. A wrong code is
   * `account.code_invalid`, a void one `account.code_expired` (both `permanent`).
   */
  confirmSignInCode(body: AccountSignInCodeRequest): Promise<ClientResult<AccountSignInResponse>> {
    return this.#call(ROUTES.accountSignInCode, { json: body });
  }

  /** A visitor's status lookup: tracking number and birth date; a wrong pair is `tracking.not_found`. */
  trackingLookup(body: TrackingLookupRequest): Promise<ClientResult<TrackingLookupResponse>> {
    return this.#call(ROUTES.trackingLookup, { json: body });
  }

  /**
   * A case by tracking number or case reference plus birth date: the signed summary and events
   * (verify them with sync/case-answers.ts); a wrong pair is `case.not_found`.
   */
  caseLookup(body: CaseLookupRequest): Promise<ClientResult<CaseLookupResponse>> {
    return this.#call(ROUTES.caseLookup, { json: body });
  }

  /** Files an appointment wish as a Service-Center ticket; the answer is the signed ticket. */
  createTicket(body: TicketRequest, idempotencyKey: string): Promise<ClientResult<TicketResponse>> {
    return this.#call(ROUTES.createTicket, {
      json: body,
      headers: { [IDEMPOTENCY_KEY_HEADER]: idempotencyKey },
    });
  }

  /** Check-in at the building: an invitation's signed QR or a walk-in topic becomes a queue ticket. */
  checkIn(body: CheckInRequest): Promise<ClientResult<CheckInResponse>> {
    return this.#call(ROUTES.checkIn, { json: body });
  }

  /** A ticket by its number and the birth date; a wrong pair is `ticket.not_found`. */
  ticketLookup(body: TicketLookupRequest): Promise<ClientResult<TicketLookupResponse>> {
    return this.#call(ROUTES.ticketLookup, { json: body });
  }
}

function causeOf(e: unknown): string {
  const cause = (e as { cause?: { code?: string; message?: string } } | null)?.cause;
  if (cause?.code) return cause.code;
  return e instanceof Error ? e.message : String(e);
}
