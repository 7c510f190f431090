/** Answers as values: a handler returns what to send, never throws an HTTP error. */
import type { ErrorBody, ErrorCode } from '../sync/protocol/index.ts';

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

export function isAnswer(outcome: Outcome): outcome is Answer {
  return 'status' in outcome;
}
