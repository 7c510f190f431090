/**
 * The device key as text and as a message: the same JWK text FileKeyStore writes (private JWK
 * with the thumbprint as `kid`), so a key moves between the plain file, the encrypted file and
 * the core process unchanged.
 */
import { createECDH, createHash } from 'node:crypto';
import type { JWK } from 'jose';
import { z } from 'zod';
import {
  type DeviceKey,
  deviceKeyToText,
  type KeyStoreErrorCode,
  privateJwkSchema,
  deviceKeyFromText as readDeviceKey,
} from '../sync/keystore.ts';
import { err, type Result } from '../sync/result.ts';

const b64url = z.string().regex(/^[A-Za-z0-9_-]+$/);

export const deviceKeySchema = z.object({
  thumbprint: z.string().max(128),
  privateJwk: privateJwkSchema,
  publicJwk: z.looseObject({ kty: z.literal('EC'), crv: z.literal('P-256'), x: b64url, y: b64url }),
});

export { deviceKeyToText };

/**
 * The device key from its text, refused unless the private scalar, public point and thumbprint
 * belong together (sync's reader checks only the form).
 */
export function deviceKeyFromText(text: string): Result<DeviceKey, KeyStoreErrorCode> {
  const read = readDeviceKey(text);
  if (!read.ok) return read;
  if (!consistent(read.value.privateJwk, read.value.thumbprint)) {
    return err('keystore.malformed', 'the device key does not match its public key or thumbprint');
  }
  return read;
}

/** RFC 7638 thumbprint of an EC public key. */
function thumbprintOf(jwk: { crv: string; kty: string; x: string; y: string }): string {
  const canonical = JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y });
  return createHash('sha256').update(canonical).digest('base64url');
}

/**
 * The private scalar belongs to the public point and the thumbprint to both: a damaged file (or
 * one decrypted with a scheme that has no integrity check, such as Chromium's on Linux) is
 * refused rather than signed with.
 */
function consistent(jwk: JWK, thumbprint: string): boolean {
  // kty and crv were checked when the text was read: EC P-256.
  const { d = '', x = '', y = '' } = jwk;
  try {
    const ecdh = createECDH('prime256v1');
    ecdh.setPrivateKey(Buffer.from(d, 'base64url'));
    const point = ecdh.getPublicKey(); // 0x04 ‖ X ‖ Y
    if (point.subarray(1, 33).toString('base64url') !== x) return false;
    if (point.subarray(33, 65).toString('base64url') !== y) return false;
  } catch {
    return false;
  }
  return thumbprint === '' || thumbprint === thumbprintOf({ crv: 'P-256', kty: 'EC', x, y });
}

/** Same key: same private scalar and public point (and thumbprint). */
export function sameDeviceKey(a: DeviceKey, b: DeviceKey): boolean {
  return (
    a.thumbprint === b.thumbprint &&
    a.privateJwk.d === b.privateJwk.d &&
    a.privateJwk.x === b.privateJwk.x &&
    a.privateJwk.y === b.privateJwk.y
  );
}
