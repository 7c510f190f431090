import { createHmac } from 'node:crypto';

/**
 * A staff badge as the terminal and the portal compare it. Badge ids never appear in the
 * configuration, in logs or in the audit trail: the configuration carries
 * HMAC-SHA-256(terminal secret, normalised badge code). Host only (node:crypto): the renderer never
 * sees a badge code.
 */

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
