import { createHmac } from 'node:crypto';

/**
 * Badge ids never appear in the configuration, in logs or in the audit trail: the configuration
 * carries HMAC-SHA-256(terminal secret, badge code), and the audit trail the first 8 hex
 * characters of that hash (a pseudonym an administrator can match against the records).
 */

/** The per-terminal secret must carry at least 256 bits. */
export const BADGE_SECRET_MIN_BYTES = 32;
export const BADGE_SECRET_MAX_BYTES = 64;
/** A badge code longer than this is not a badge (a reader gone wild, or a paste). */
export const BADGE_MAX_LENGTH = 256;

export type BadgeSecretResult =
  | { readonly ok: true; readonly value: Uint8Array }
  | { readonly ok: false; readonly error: { readonly code: 'staff.bad_secret'; readonly message: string } };

/** Parses the hex form of the terminal's badge secret (64 to 128 hex characters). */
export function parseBadgeSecret(hex: string): BadgeSecretResult {
  const text = hex.trim();
  const bytes = text.length / 2;
  if (
    !/^(?:[0-9a-fA-F]{2})+$/.test(text) ||
    bytes < BADGE_SECRET_MIN_BYTES ||
    bytes > BADGE_SECRET_MAX_BYTES
  ) {
    return {
      ok: false,
      error: {
        code: 'staff.bad_secret',
        message: `the badge secret must be ${BADGE_SECRET_MIN_BYTES * 2} to ${BADGE_SECRET_MAX_BYTES * 2} hex characters`,
      },
    };
  }
  return { ok: true, value: Uint8Array.from(Buffer.from(text, 'hex')) };
}

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

/** The badge's reference in the audit trail: the first 8 hex characters of its keyed hash. */
export function badgeRef(hash: string): string {
  return hash.slice(0, 8);
}
