/**
 * Badge ids never appear in the configuration, in logs or in the audit trail: the configuration
 * carries HMAC-SHA-256(terminal secret, badge code) (common/badge.ts), and the audit trail the
 * first 8 hex characters of that hash (a pseudonym an administrator can match against the records).
 */
import type { Result } from '../../common/result.ts';

/** The per-terminal secret must carry at least 256 bits. */
export const BADGE_SECRET_MIN_BYTES = 32;
export const BADGE_SECRET_MAX_BYTES = 64;
/** A badge code longer than this is not a badge (a reader gone wild, or a paste). */
export const BADGE_MAX_LENGTH = 256;

export type BadgeSecretResult = Result<Uint8Array, 'staff.bad_secret'>;

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

/** The badge's reference in the audit trail: the first 8 hex characters of its keyed hash. */
export function badgeRef(hash: string): string {
  return hash.slice(0, 8);
}
