import { z } from 'zod';

/** Every call across the UI/host boundary answers with this envelope; nothing throws across it. */
export type ApiError = { readonly code: string; readonly message: string };
export type Envelope<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: ApiError };

export const apiErrorSchema = z.object({ code: z.string().min(1), message: z.string() });

export function envelopeSchema<T extends z.ZodType>(value: T) {
  return z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), value }),
    z.object({ ok: z.literal(false), error: apiErrorSchema }),
  ]);
}

export function ok<T>(value: T): Envelope<T> {
  return { ok: true, value };
}

export function fail(code: string, message: string): Envelope<never> {
  return { ok: false, error: { code, message } };
}

/**
 * Error codes a UI translates (`errors.<code>` in the renderer's locale files). The message that
 * travels with a code is for logs and administrators, never shown to a visitor as is.
 */
export const errorCodes = {
  badRequest: 'api.bad_request',
  unknownCall: 'api.unknown_call',
  internal: 'api.internal',
  transport: 'api.transport',
  noSession: 'session.none',
  languageNotOffered: 'session.language_not_offered',
} as const;
