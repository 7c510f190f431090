/**
 * The authority's key set, as the terminal accepts it: a compact JWS signed with the portal
 * signing key recorded at enrolment (typ `authority-keys+jwt`, ES256). Whoever sits between the
 * terminal and the portal, or changes a row in the terminal's database, cannot make the terminal
 * seal applications to a key of their own: an unsigned, wrongly signed, expired or malformed set
 * is refused with a code, and so is a set holding an RSA key under 3072 bits. The caller keeps
 * the last good set (stored as the JWS and verified again when it is loaded).
 */
import { compactVerify, decodeProtectedHeader, importJWK, type JWK } from 'jose';
import {
  AUTHORITY_KEYS_JWS_TYPE,
  type AuthorityKey,
  authorityKeySetSchema,
  MIN_AUTHORITY_KEY_BITS,
  type PortalSigningJwk,
} from './protocol/index.ts';
import { err, ok, type Result } from './result.ts';

export type AuthorityKeySetErrorCode =
  | 'authority_keys.unsigned'
  | 'authority_keys.bad_signature'
  | 'authority_keys.wrong_type'
  | 'authority_keys.expired'
  | 'authority_keys.weak_key'
  | 'authority_keys.malformed';

export interface VerifyKeySetOptions {
  readonly portalSigningKey: PortalSigningJwk;
  /** Wall clock now, epoch ms. */
  readonly now: number;
  /** Skip the `exp` check: a stored set accepted while it was current is re-verified on load. */
  readonly ignoreExpiry?: boolean;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Bits of an RSA modulus given as base64url (leading zero bits not counted). */
export function rsaModulusBits(n: string): number {
  const bytes = Buffer.from(n, 'base64url');
  let i = 0;
  while (i < bytes.length && bytes[i] === 0) i++;
  if (i === bytes.length) return 0;
  return (bytes.length - i) * 8 - (Math.clz32(bytes[i] ?? 0) - 24);
}

export async function verifyAuthorityKeySet(
  jws: string,
  options: VerifyKeySetOptions,
): Promise<Result<AuthorityKey[], AuthorityKeySetErrorCode>> {
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(jws);
  } catch {
    return err('authority_keys.malformed', 'the authority key set is not a compact JWS');
  }
  const signature = jws.split('.')[2] ?? '';
  if (header.alg === undefined || header.alg === 'none' || signature === '') {
    return err('authority_keys.unsigned', 'the authority key set is not signed');
  }
  if (header.typ !== AUTHORITY_KEYS_JWS_TYPE) {
    return err('authority_keys.wrong_type', `the signed object is a ${String(header.typ)}, not a key set`);
  }
  let payload: Uint8Array;
  try {
    const key = await importJWK(options.portalSigningKey as JWK, 'ES256');
    ({ payload } = await compactVerify(jws, key, { algorithms: ['ES256'] }));
  } catch {
    return err('authority_keys.bad_signature', 'the authority key set is not signed by the enrolled portal');
  }
  let set: ReturnType<typeof authorityKeySetSchema.parse>;
  try {
    const parsed = authorityKeySetSchema.safeParse(JSON.parse(decoder.decode(payload)));
    if (!parsed.success) return err('authority_keys.malformed', 'the authority key set is malformed');
    set = parsed.data;
  } catch {
    return err('authority_keys.malformed', 'the authority key set is not JSON');
  }
  if (options.ignoreExpiry !== true && set.exp * 1000 <= options.now) {
    return err('authority_keys.expired', 'the authority key set has expired');
  }
  for (const k of set.keys) {
    if (k.kid !== k.jwk.kid) return err('authority_keys.malformed', `key ${k.kid} names another kid`);
    const bits = rsaModulusBits(k.jwk.n);
    if (bits < MIN_AUTHORITY_KEY_BITS) {
      return err(
        'authority_keys.weak_key',
        `authority key ${k.kid} has ${bits} bits; at least ${MIN_AUTHORITY_KEY_BITS} are required`,
      );
    }
  }
  return ok(set.keys);
}
