import { z } from 'zod';

/**
 * Errors are values with a code a UI can translate; nothing throws across a module or process
 * boundary. One shape for every layer: a sync step, a device transport and a call across the
 * UI/host contract all answer `{ ok: true, value } | { ok: false, error: { code, message } }`.
 * The message is for logs and administrators, never shown to a visitor as is.
 */
export interface CodedError<C extends string = string> {
  readonly code: C;
  readonly message: string;
}

export interface Ok<T> {
  readonly ok: true;
  readonly value: T;
}

/** A failure; `E` carries more than code and message where a caller needs it (a line number). */
export interface Err<E extends CodedError = CodedError> {
  readonly ok: false;
  readonly error: E;
}

export type Result<T, C extends string = string> = Ok<T> | Err<CodedError<C>>;

/** The answer of every call across the UI/host contract (api/): a `Result` with any code. */
export type Envelope<T> = Result<T>;

export function ok<T>(value: T): Ok<T> {
  return { ok: true, value };
}

export function err<C extends string>(code: C, message: string): Err<CodedError<C>> {
  return { ok: false, error: { code, message } };
}

export const codedErrorSchema = z.object({ code: z.string().min(1), message: z.string() });

/** The schema of an envelope whose value `value` describes (what a transport parses an answer with). */
export function envelopeSchema<T extends z.ZodType>(value: T) {
  return z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), value }),
    z.object({ ok: z.literal(false), error: codedErrorSchema }),
  ]);
}
