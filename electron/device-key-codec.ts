/**
 * The device key as text and as a message: the same JWK text FileKeyStore writes (private JWK
 * with the thumbprint as `kid`), so a key moves between the plain file, the encrypted file and
 * the core process unchanged.
 */
import { createECDH, createHash } from 'node:crypto';
import type { JWK } from 'jose';
import { z } from 'zod';
import type { DeviceKey, KeyStoreErrorCode } from '../sync/keystore.ts';
import { err, ok, type Result } from '../sync/result.ts';

const b64url = z.string().regex(/^[A-Za-z0-9_-]+$/);

export const privateJwkSchema = z.looseObject({
  kty: z.literal('EC'),
  crv: z.literal('P-256'),
  x: b64url,
  y: b64url,
  d: b64url,
});

export const deviceKeySchema = z.object({
  thumbprint: z.string().max(128),
  privateJwk: privateJwkSchema,
  publicJwk: z.looseObject({ kty: z.literal('EC'), crv: z.literal('P-256'), x: b64url, y: b64url }),
});

export function deviceKeyToText(key: DeviceKey): string {
  return JSON.stringify({ ...key.privateJwk, kid: key.thumbprint });
}

export function deviceKeyFromText(text: string): Result<DeviceKey, KeyStoreErrorCode> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return err('keystore.malformed', 'the device key is not JSON');
  }
  const parsed = privateJwkSchema.safeParse(value);
  if (!parsed.success) return err('keystore.malformed', 'the device key is not an EC P-256 private JWK');
  const jwk = parsed.data;
  const thumbprint = typeof jwk.kid === 'string' ? jwk.kid : '';
  if (!consistent(jwk, thumbprint)) {
    return err('keystore.malformed', 'the device key does not match its public key or thumbprint');
  }
  return ok({
    thumbprint,
    privateJwk: jwk as JWK,
    publicJwk: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y, kid: thumbprint },
  });
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
function consistent(jwk: z.output<typeof privateJwkSchema>, thumbprint: string): boolean {
  try {
    const ecdh = createECDH('prime256v1');
    ecdh.setPrivateKey(Buffer.from(jwk.d, 'base64url'));
    const point = ecdh.getPublicKey(); // 0x04 ‖ X ‖ Y
    const x = point.subarray(1, 33).toString('base64url');
    const y = point.subarray(33, 65).toString('base64url');
    if (x !== jwk.x || y !== jwk.y) return false;
  } catch {
    return false;
  }
  return thumbprint === '' || thumbprint === thumbprintOf(jwk);
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
