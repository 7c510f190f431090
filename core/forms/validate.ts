import type { FieldDefinition, FieldValue, FieldValues, StepCheck } from '../../api/forms.ts';
import { isVisible } from '../../common/visibility.ts';
import { validateTrackingNumber } from '../../sync/tracking.ts';
import { checkPhotoCode } from '../assessments/photo-code.ts';
import { photoCodeFormats } from '../assessments/photo-code-formats.ts';

/**
 * Field validation: a code per problem (`validation.<code>` in the locale files, next to the
 * field in the visitor's language), never a sentence.
 */
export type ValidationCode =
  | 'required'
  | 'choose_one'
  | 'must_accept'
  | 'too_long'
  | 'invalid_name'
  | 'invalid_date'
  | 'date_in_future'
  | 'date_in_past'
  | 'invalid_phone'
  | 'invalid_email'
  | 'not_a_number'
  | 'invalid_amount'
  | 'too_small'
  | 'too_large'
  | 'invalid_choice'
  | 'invalid_country'
  | 'invalid_postcode'
  | 'invalid_tracking'
  | 'invalid_account'
  | 'wrong_type'
  | 'before_other'
  /** Checks the core makes after a step, beyond the fields themselves. */
  | 'account_not_found'
  | 'account_ambiguous'
  | 'portal_unreachable'
  /** Documents handed in later: no case matches, or the case waits for no documents. */
  | 'case_not_found'
  | 'case_not_awaiting_documents'
  | 'too_many_days_after'
  | 'photo_code_unknown'
  | 'photo_code_too_old'
  | 'photo_code_future';

const defaultMaxLength: Partial<Record<FieldDefinition['type'], number>> = {
  text: 200,
  name: 80,
  email: 120,
  phone: 24,
  photoCode: 512,
};

/** Letters of any script, combining marks, spaces, hyphens, apostrophes and dots. */
const namePattern = /^[\p{L}\p{M}][\p{L}\p{M} .'’-]*$/u;
const datePattern = /^(\d{4})-(\d{2})-(\d{2})$/;
/** The authority's case reference (`ABH-2026-000123`) or a Service-Center ticket number (`SC-482193`). */
const LETTER_REFERENCE = /^(?:[A-Z]{2,5}-\d{4}-\d{6}|SC-\d{6})$/;

/** Normalises what the UI sent: trimmed strings, empty strings as null. */
export function normalise(value: FieldValue | undefined): FieldValue {
  if (typeof value !== 'string') return value ?? null;
  const trimmed = value.normalize('NFC').trim().replace(/\s+/g, ' ');
  return trimmed === '' ? null : trimmed;
}

export function validateField(
  field: FieldDefinition,
  raw: FieldValue | undefined,
  today: string,
): ValidationCode | null {
  const value = normalise(raw);
  if (field.type === 'boolean') {
    if (value !== null && typeof value !== 'boolean') return 'wrong_type';
    return field.required && value !== true ? 'must_accept' : null;
  }
  if (value === null) return field.required ? (field.type === 'choice' ? 'choose_one' : 'required') : null;
  if (typeof value !== 'string') return 'wrong_type';
  const maxLength = field.maxLength ?? defaultMaxLength[field.type] ?? 200;
  if (value.length > maxLength) return 'too_long';

  switch (field.type) {
    case 'text':
      return null;
    case 'name':
      return namePattern.test(value) ? null : 'invalid_name';
    case 'date':
      return validateDate(value, field.dateRange ?? 'any', today);
    case 'phone': {
      const digits = value.replace(/\D/g, '').length;
      return /^\+?[0-9 ()/-]+$/.test(value) && digits >= 6 && digits <= 15 ? null : 'invalid_phone';
    }
    case 'email':
      return /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/.test(value) ? null : 'invalid_email';
    case 'number':
      if (!/^\d{1,9}$/.test(value)) return 'not_a_number';
      return checkRange(Number(value), field);
    case 'money':
      if (!/^\d{1,9}([.,]\d{1,2})?$/.test(value)) return 'invalid_amount';
      return checkRange(Number(value.replace(',', '.')), field);
    case 'choice':
      return field.options?.includes(value) ? null : 'invalid_choice';
    case 'country':
      return /^[A-Z]{3}$|^D$/.test(value) ? null : 'invalid_country';
    case 'postcode':
      return /^\d{5}$/.test(value) ? null : 'invalid_postcode';
    case 'tracking':
      // a receipt's tracking number, a letter's case reference or a Service-Center ticket number
      return validateTrackingNumber(value.toUpperCase()).ok ||
        LETTER_REFERENCE.test(value.trim().toUpperCase())
        ? null
        : 'invalid_tracking';
    case 'account':
      return /^[A-Za-z0-9][A-Za-z0-9._-]{2,99}$/.test(value) ? null : 'invalid_account';
    case 'photoCode':
      return photoCodeProblem(value, today);
  }
}

/** A photo code's format and age on `today` (a scan's symbology is checked where it is read). */
function photoCodeProblem(value: string, today: string): ValidationCode | null {
  const symbology = photoCodeFormats[0]?.symbologies[0] ?? 'qr';
  const check = checkPhotoCode({ text: value, symbology }, { at: Date.parse(`${today}T12:00:00Z`) });
  switch (check.outcome) {
    case 'ok':
      return null;
    case 'too_old':
      return 'photo_code_too_old';
    case 'issued_in_future':
      return 'photo_code_future';
    default:
      return 'photo_code_unknown';
  }
}

function checkRange(n: number, field: FieldDefinition): ValidationCode | null {
  if (field.min !== undefined && n < field.min) return 'too_small';
  if (field.max !== undefined && n > field.max) return 'too_large';
  return null;
}

function validateDate(value: string, range: 'past' | 'future' | 'any', today: string): ValidationCode | null {
  const match = datePattern.exec(value);
  if (!match) return 'invalid_date';
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (year < 1900 || year > 2100 || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return 'invalid_date';
  }
  if (range === 'past' && value > today) return 'date_in_future';
  if (range === 'future' && value < today) return 'date_in_past';
  return null;
}

/**
 * Validates the visible fields of a step, then the rules between them (only where both fields are
 * valid on their own); hidden fields are neither checked nor kept.
 */
export function validateStep(
  step: { fields: readonly FieldDefinition[]; checks?: readonly StepCheck[] | undefined },
  values: FieldValues,
  today: string,
): Record<string, ValidationCode> {
  const errors: Record<string, ValidationCode> = {};
  for (const field of step.fields) {
    if (!isVisible(field, values)) continue;
    const code = validateField(field, values[field.id], today);
    if (code) errors[field.id] = code;
  }
  for (const check of step.checks ?? []) {
    if (errors[check.field] || errors[check.other]) continue;
    const value = values[check.field];
    const other = values[check.other];
    if (typeof value !== 'string' || typeof other !== 'string') continue;
    if (check.kind === 'notBefore') {
      if (value < other) errors[check.field] = 'before_other';
    } else if (!check.when || values[check.when.field] === check.when.equals) {
      if (daysBetween(other, value) > check.days) errors[check.field] = 'too_many_days_after';
    }
  }
  return errors;
}

/** Calendar days from one valid `YYYY-MM-DD` date to another (negative when it lies before). */
function daysBetween(from: string, to: string): number {
  return (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;
}
