import type { TFunction } from 'i18next';
import type { CodedError } from '../../common/result.ts';

/** A failed call as the staff screens keep it: the code to translate, and the host's message. */
export type StaffProblem = CodedError;

/**
 * Seconds to wait that the host put into a sign-in failure ("… (retry after 30 s)"): with
 * `staff.locked`, and with `staff.invalid_credentials` when that failure started a lockout.
 */
export function retryAfterSeconds(message: string): number | null {
  const match = /retry after (\d+) s\b/.exec(message);
  return match ? Number(match[1]) : null;
}

/**
 * The translated text of a failed call on the staff, administrator and enrolment screens. The
 * host's message is never shown as such (it is English and meant for logs); a lockout shows its
 * seconds, an unknown code the generic text.
 */
export function problemText(t: TFunction<'staff'>, problem: StaffProblem): string {
  const seconds = retryAfterSeconds(problem.message);
  if (seconds !== null) return t('errors.staff.locked', { count: seconds });
  const key = `errors.${problem.code}`;
  const text = t(key, { defaultValue: '' });
  return text === '' || text === key ? t('errors.generic') : text;
}
