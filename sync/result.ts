/** Errors are values with a code; nothing in sync/ throws across a module boundary. */
export interface CodedError<C extends string = string> {
  readonly code: C;
  readonly message: string;
}

export type Result<T, C extends string = string> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: CodedError<C> };

export function ok<T>(value: T): { readonly ok: true; readonly value: T } {
  return { ok: true, value };
}

export function err<C extends string>(
  code: C,
  message: string,
): { readonly ok: false; readonly error: CodedError<C> } {
  return { ok: false, error: { code, message } };
}
