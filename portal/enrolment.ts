/**
 * Enrolment: an administrator gets a one-time code from the portal and types it on the terminal;
 * the terminal sends it with its public key. Codes are stored only as SHA-256 hashes, are used
 * at most once (the use and the new terminal are one transaction) and expire. The same code with
 * the same key, while the code is still valid, is answered again with the same terminal: that is
 * a terminal whose first answer was lost, not a second terminal.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { EnrolmentRequest } from '../sync/protocol/index.ts';
import type { Db } from './db.ts';
import { type Answer, failure } from './http.ts';
import { jwkThumbprint } from './keys.ts';

const SYMBOLS = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const DEFAULT_CODE_TTL_MS = 24 * 60 * 60 * 1000;

/** Upper case, no separators, Crockford's reading of I/L as 1 and O as 0. */
export function normaliseCode(code: string): string {
  return code.toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');
}

function hashCode(code: string): string {
  return createHash('sha256').update(normaliseCode(code)).digest('hex');
}

/** A fresh code such as `7Q2M-9K4D-1XHB` (60 random bits); only its hash is stored. */
export function createEnrolmentCode(db: Db, now: number, ttlMs = DEFAULT_CODE_TTL_MS): string {
  const bytes = randomBytes(12);
  let raw = '';
  for (const b of bytes) raw += SYMBOLS[b & 31];
  const code = `${raw.slice(0, 4)}-${raw.slice(4, 8)}-${raw.slice(8, 12)}`;
  db.prepare('INSERT INTO enrolment_codes (code_hash, created_at, expires_at) VALUES (?, ?, ?)').run(
    hashCode(code),
    now,
    now + ttlMs,
  );
  return code;
}

export interface Enrolled {
  readonly terminalId: string;
  readonly keyId: string;
}

export type EnrolResult =
  | { readonly ok: true; readonly value: Enrolled }
  | { readonly ok: false; readonly answer: Answer };

/** Checks the code and registers the terminal; runs in one transaction. */
export function enrol(db: Db, request: EnrolmentRequest, now: number): EnrolResult {
  const row = db
    .prepare('SELECT expires_at, used_at, terminal_id FROM enrolment_codes WHERE code_hash = ?')
    .get(hashCode(request.code)) as
    | { expires_at: number; used_at: number | null; terminal_id: string | null }
    | undefined;
  if (row === undefined) {
    return { ok: false, answer: failure(403, 'enrolment.code_invalid', 'The enrolment code is not known.') };
  }
  if (row.expires_at <= now) {
    return { ok: false, answer: failure(403, 'enrolment.code_expired', 'The enrolment code has expired.') };
  }
  if (row.used_at !== null) {
    // the same key again with its code: the answer to the first attempt was lost; answer it again
    const earlier = db
      .prepare(
        'SELECT terminal_id, key_id, public_jwk FROM terminals WHERE terminal_id = ? AND revoked_at IS NULL',
      )
      .get(row.terminal_id) as { terminal_id: string; key_id: string; public_jwk: string } | undefined;
    const sameKey =
      earlier !== undefined &&
      jwkThumbprint(JSON.parse(earlier.public_jwk) as Record<string, unknown>) ===
        jwkThumbprint(request.publicKey);
    if (earlier !== undefined && sameKey)
      return { ok: true, value: { terminalId: earlier.terminal_id, keyId: earlier.key_id } };
    return {
      ok: false,
      answer: failure(403, 'enrolment.code_used', 'The enrolment code has already been used.'),
    };
  }
  const terminalId = `T-${randomUUID()}`;
  const keyId = request.publicKey.kid ?? jwkThumbprint(request.publicKey);
  db.prepare('UPDATE enrolment_codes SET used_at = ?, terminal_id = ? WHERE code_hash = ?').run(
    now,
    terminalId,
    hashCode(request.code),
  );
  db.prepare(
    'INSERT INTO terminals (terminal_id, key_id, public_jwk, label, app_version, enrolled_at) VALUES (?, ?, ?, ?, ?, ?)',
  ).run(
    terminalId,
    keyId,
    JSON.stringify(request.publicKey),
    request.label ?? null,
    request.appVersion ?? null,
    now,
  );
  return { ok: true, value: { terminalId, keyId } };
}
