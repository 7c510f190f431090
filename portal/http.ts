/** Answers as values: a handler returns what to send, never throws an HTTP error. */
import type { FastifyReply } from 'fastify';
import {
  type ErrorBody,
  type ErrorCode,
  errorBodySchema,
  PROBLEM_MEDIA_TYPE,
  type ProblemDetails,
} from '../sync/protocol/index.ts';

export interface Answer {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * A handler's result: an answer, or a `commit` that runs inside one database transaction together
 * with the idempotency record, and returns the answer.
 */
export type Outcome = Answer | { readonly commit: () => Answer };

export function answer(status: number, body: unknown, headers?: Readonly<Record<string, string>>): Answer {
  return headers === undefined ? { status, body } : { status, body, headers };
}

type ErrorExtra = Omit<ErrorBody['error'], 'code' | 'message'>;

export function failure(
  status: number,
  code: ErrorCode,
  message: string,
  extra: ErrorExtra = {},
  headers?: Readonly<Record<string, string>>,
): Answer {
  const body: ErrorBody = { error: { code, message, ...extra } };
  return answer(status, body, headers);
}

/**
 * An error answer as RFC 9457 problem details (`application/problem+json`) with the code, and the
 * `ErrorBody` member `error` kept for clients that read that; other answers are returned as they are.
 */
export function asProblem(a: Answer): Answer {
  if (a.status < 400) return a;
  const parsed = errorBodySchema.safeParse(a.body);
  if (!parsed.success) return a;
  const e = parsed.data.error;
  const body: ProblemDetails = {
    type: `urn:serviceterminal:problem:${e.code}`,
    title: e.message,
    status: a.status,
    detail: e.message,
    code: e.code,
    error: e,
  };
  return { status: a.status, body, headers: { ...a.headers, 'content-type': PROBLEM_MEDIA_TYPE } };
}

/** Sends an answer; problem details go out as `application/problem+json`. */
export function sendAnswer(reply: FastifyReply, a: Answer): FastifyReply {
  reply.code(a.status);
  for (const [name, value] of Object.entries(a.headers ?? {})) reply.header(name, value);
  const type = a.headers?.['content-type'];
  return type === PROBLEM_MEDIA_TYPE ? reply.send(JSON.stringify(a.body)) : reply.send(a.body);
}

export function isAnswer(outcome: Outcome): outcome is Answer {
  return 'status' in outcome;
}

/** The 429 a terminal gets while it is over a limit: retryable, with Retry-After in whole seconds. */
export function rateLimited(waitMs: number, message: string): Answer {
  return failure(
    429,
    'rate_limited',
    message,
    { retryable: true },
    { 'retry-after': String(Math.max(1, Math.ceil(waitMs / 1000))) },
  );
}
