import { z } from 'zod';

/**
 * Errors are values with a code; nothing throws across a module or process boundary. One shape
 * for every layer: what `sync/` returns, what a device transport returns and what every call
 * across the UI/host boundary answers (`Envelope`, the same type under the contract's name).
 */
export interface CodedError<C extends string = string> {
  readonly code: C;
  readonly message: string;
}

export type Result<T, C extends string = string> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: CodedError<C> };

/** The answer of a call between UI and host (`api/`): a `Result` with any error code. */
export type Envelope<T> = Result<T>;
export type ApiError = CodedError;

export function ok<T>(value: T): { readonly ok: true; readonly value: T } {
  return { ok: true, value };
}

export function err<C extends string>(
  code: C,
  message: string,
): { readonly ok: false; readonly error: CodedError<C> } {
  return { ok: false, error: { code, message } };
}

export const apiErrorSchema = z.object({ code: z.string().min(1), message: z.string() });

/** The envelope on the wire: parsed by the UI's client before it trusts an answer. */
export function envelopeSchema<T extends z.ZodType>(value: T) {
  return z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), value }),
    z.object({ ok: z.literal(false), error: apiErrorSchema }),
  ]);
}
