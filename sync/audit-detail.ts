/**
 * What may go into the audit log (checked by `AuditLog.append`, which throws `AuditInputError`):
 * the log records what happened, never who. No names, birth dates, document numbers, PINs or
 * badge codes (a badge appears as the 8-hex reference of its keyed hash). A program cannot tell
 * personal data from other text, so the shape is restricted instead: event names
 * `^[a-z][a-z0-9_.-]{0,63}$`, keys `^[A-Za-z][A-Za-z0-9_]{0,63}$`, values string (at most 256
 * characters), finite number, boolean or null, and arrays/objects of those at most three levels
 * deep (the purge tombstone lists the hashes of the parts), at most 16 KiB in all. Error messages
 * name the offending key, never the value.
 */
import { canonicalJson } from './audit-chain.ts';

export type AuditScalar = string | number | boolean | null;
export type AuditValue = AuditScalar | readonly AuditValue[] | { readonly [key: string]: AuditValue };
export type AuditDetail = { readonly [key: string]: AuditValue };

export const AUDIT_EVENT_PATTERN = /^[a-z][a-z0-9_.-]{0,63}$/;
export const AUDIT_KEY_PATTERN = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
const SUBMISSION_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;
const STATE_PATTERN = /^[a-z][a-z0-9_]{0,31}$/;
export const AUDIT_MAX_STRING = 256;
/** How deep arrays and objects may nest below the detail object itself. */
export const AUDIT_MAX_NESTING = 3;
export const AUDIT_MAX_ITEMS = 64;
export const AUDIT_MAX_DETAIL_BYTES = 16 * 1024;

/** An entry `append` refuses. A fault of the caller's program, hence thrown. */
export class AuditInputError extends Error {
  readonly code = 'audit.invalid';
}

function isPlainObject(v: object): boolean {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function checkObject(obj: object, path: string, depth: number): void {
  const keys = Object.keys(obj);
  if (keys.length > AUDIT_MAX_ITEMS) throw new AuditInputError(`${path || 'detail'} has too many keys`);
  for (const key of keys) {
    if (!AUDIT_KEY_PATTERN.test(key)) {
      throw new AuditInputError(`audit field key ${JSON.stringify(key.slice(0, 64))} is not allowed`);
    }
    checkValue((obj as Record<string, unknown>)[key], path ? `${path}.${key}` : key, depth);
  }
}

/** `depth` is the nesting level of `v`: the detail's own values are at level 1. */
function checkValue(v: unknown, path: string, depth: number): void {
  if (v === null || typeof v === 'boolean') return;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new AuditInputError(`audit field ${path} is not a finite number`);
    return;
  }
  if (typeof v === 'string') {
    if (v.length > AUDIT_MAX_STRING) throw new AuditInputError(`audit field ${path} is too long`);
    return;
  }
  if (typeof v !== 'object' || (!Array.isArray(v) && !isPlainObject(v))) {
    throw new AuditInputError(`audit field ${path} is not a string, number, boolean or null`);
  }
  if (depth > AUDIT_MAX_NESTING) throw new AuditInputError(`audit field ${path} is nested too deep`);
  if (Array.isArray(v)) {
    if (v.length > AUDIT_MAX_ITEMS) throw new AuditInputError(`audit field ${path} has too many items`);
    v.forEach((item, i) => {
      checkValue(item, `${path}[${i}]`, depth + 1);
    });
    return;
  }
  checkObject(v, path, depth + 1);
}

/** Checks the fields against the rule above and returns their canonical text. */
export function auditDetailText(fields: AuditDetail): string {
  if (fields === null || typeof fields !== 'object' || Array.isArray(fields) || !isPlainObject(fields)) {
    throw new AuditInputError('audit fields must be a plain object');
  }
  checkObject(fields, '', 1);
  const text = canonicalJson(fields);
  if (Buffer.byteLength(text, 'utf8') > AUDIT_MAX_DETAIL_BYTES) {
    throw new AuditInputError('audit fields are too large');
  }
  return text;
}

/** Checks an entry's event name, submission id and state against the rule above. */
export function checkAuditLabels(event: string, submissionId: string | null, state: string | null): void {
  if (typeof event !== 'string' || !AUDIT_EVENT_PATTERN.test(event)) {
    throw new AuditInputError('audit event name is not allowed');
  }
  if (submissionId !== null && !SUBMISSION_ID_PATTERN.test(submissionId)) {
    throw new AuditInputError('audit submission id is not allowed');
  }
  if (state !== null && !STATE_PATTERN.test(state)) throw new AuditInputError('audit state is not allowed');
}
