/** Test key material: authority RSA keys and terminal ES256 keys, generated fresh (or shared, below). */
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import type { AuthorityPrivateKey, AuthorityPublicKey, DeviceSigningKey } from '../../../sync/sealing.ts';

export interface AuthorityKeyPair {
  readonly publicKey: AuthorityPublicKey;
  readonly privateKey: AuthorityPrivateKey;
  readonly publicJwk: JWK;
}

export async function makeAuthorityKey(kid: string): Promise<AuthorityKeyPair> {
  const { publicKey, privateKey } = await generateKeyPair('RSA-OAEP-256', {
    modulusLength: 2048,
    extractable: true,
  });
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'RSA-OAEP-256', use: 'enc' };
  return { publicKey: { kid, key: publicJwk }, privateKey: { kid, key: privateKey }, publicJwk };
}

const shared = new Map<string, Promise<AuthorityKeyPair>>();

/**
 * An authority key made once per worker and kid, for fixtures that need some authority key but
 * test nothing about it (the harness): making an RSA key takes longer than most tests. A test of
 * keys themselves makes its own with `makeAuthorityKey`.
 */
export function sharedAuthorityKey(kid: string): Promise<AuthorityKeyPair> {
  let key = shared.get(kid);
  if (key === undefined) {
    key = makeAuthorityKey(kid);
    shared.set(kid, key);
  }
  return key;
}

export interface DeviceKeyPair {
  readonly signing: DeviceSigningKey;
  readonly publicJwk: JWK;
  readonly privateJwk: JWK;
}

export async function makeDeviceKey(kid: string): Promise<DeviceKeyPair> {
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'ES256' };
  const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: 'ES256' };
  return { signing: { kid, privateKey: privateJwk }, publicJwk, privateJwk };
}

/** Flips one character in the middle of segment `index` of a compact JWE/JWS. */
export function tamperSegment(compact: string, index: number): string {
  const segments = compact.split('.');
  const seg = segments[index] ?? '';
  const at = Math.floor(seg.length / 2);
  const ch = seg[at] === 'A' ? 'B' : 'A';
  segments[index] = seg.slice(0, at) + ch + seg.slice(at + 1);
  return segments.join('.');
}
