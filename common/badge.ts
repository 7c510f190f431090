/**
 * Badge codes as the kiosk compares them, for the terminal (core/staff) and the portal that hashes
 * its demo staff alike. Badge ids never appear in a configuration, a log or the audit trail: the
 * configuration carries HMAC-SHA-256(terminal secret, normalised badge code). Host only (node:
 * crypto): the renderer never sees a badge code.
 */
import { createHmac } from 'node:crypto';

/**
 * The code as the reader delivered it, without what readers add around it: a keyboard-mode
 * reader types a trailing Enter or Tab, a scanner may send a prefix/suffix of control characters.
 * Case is kept: badge codes are case-sensitive.
 */
export function normalizeBadge(code: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping the control characters readers add
  return code.replace(/[\u0000-\u001f\u007f]/g, '').trim();
}

/** HMAC-SHA-256 of the normalized badge code under the terminal's secret, as 64 lowercase hex. */
export function badgeHash(secret: Uint8Array, code: string): string {
  return createHmac('sha256', secret).update(normalizeBadge(code), 'utf8').digest('hex');
}
