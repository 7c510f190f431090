/**
 * Tracking numbers, made by the terminal at enqueue: `ST-` + 10 symbols of Crockford base32
 * (50 random bits) + one Crockford check symbol (value mod 37). Visitors read them off a printed
 * receipt and type them back in, so validation is forgiving the way Crockford intends: case is
 * ignored, I and L read as 1, O as 0, and spaces or hyphens inside are dropped.
 */
import { randomBytes } from 'node:crypto';

const SYMBOLS = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CHECK_SYMBOLS = `${SYMBOLS}*~$=U`;
const PREFIX = 'ST-';
const BODY_LENGTH = 10;

export type RandomBytes = (size: number) => Uint8Array;

export const defaultRandomBytes: RandomBytes = (size) => randomBytes(size);

function checkSymbol(body: string): string {
  let value = 0n;
  for (const ch of body) value = value * 32n + BigInt(SYMBOLS.indexOf(ch));
  return CHECK_SYMBOLS[Number(value % 37n)] as string;
}

/** A fresh tracking number such as `ST-7Q2M9K4D1X$`. */
export function makeTrackingNumber(random: RandomBytes = defaultRandomBytes): string {
  const bytes = random(7);
  let bits = 0n;
  for (const b of bytes) bits = (bits << 8n) | BigInt(b);
  let body = '';
  for (let i = 0; i < BODY_LENGTH; i++) {
    body = SYMBOLS[Number(bits & 31n)] + body;
    bits >>= 5n;
  }
  return `${PREFIX}${body}${checkSymbol(body)}`;
}

export type TrackingValidation =
  | { readonly ok: true; readonly value: string }
  | {
      readonly ok: false;
      readonly error: { readonly code: 'tracking.format' | 'tracking.check'; readonly message: string };
    };

/** Checks a typed tracking number; on success returns it in canonical form. */
export function validateTrackingNumber(input: string): TrackingValidation {
  let s = input.trim().toUpperCase().replace(/[\s-]/g, '');
  if (s.startsWith('ST')) s = s.slice(2);
  else
    return { ok: false, error: { code: 'tracking.format', message: 'A tracking number starts with ST-.' } };
  s = s.replace(/[IL]/g, '1').replace(/O/g, '0');
  if (s.length !== BODY_LENGTH + 1) {
    return {
      ok: false,
      error: { code: 'tracking.format', message: 'A tracking number has 11 symbols after ST-.' },
    };
  }
  const body = s.slice(0, BODY_LENGTH);
  const check = s.slice(BODY_LENGTH);
  if (![...body].every((ch) => SYMBOLS.includes(ch)) || !CHECK_SYMBOLS.includes(check)) {
    return {
      ok: false,
      error: { code: 'tracking.format', message: 'The tracking number contains a symbol that is not used.' },
    };
  }
  if (checkSymbol(body) !== check) {
    return {
      ok: false,
      error: { code: 'tracking.check', message: 'The tracking number has a typing error.' },
    };
  }
  return { ok: true, value: `${PREFIX}${body}${check}` };
}
