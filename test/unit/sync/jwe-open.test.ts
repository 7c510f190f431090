import { createPrivateKey, KeyObject, randomBytes } from 'node:crypto';
import { CompactEncrypt, compactDecrypt, exportJWK, type JWK } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { JweOpenError, openCompactJwe } from '../../../sync/jwe-open.ts';
import { type AuthorityKeyPair, makeAuthorityKey, tamperSegment } from './keys.ts';

let authority: AuthorityKeyPair;
let other: AuthorityKeyPair;
let privateJwk: JWK;
beforeAll(async () => {
  authority = await makeAuthorityKey('auth-1');
  other = await makeAuthorityKey('auth-2');
  privateJwk = await exportJWK(authority.privateKey.key as CryptoKey);
});

const seal = (plain: Uint8Array, header: Record<string, unknown> = {}) =>
  new CompactEncrypt(plain)
    .setProtectedHeader({ alg: 'RSA-OAEP-256', enc: 'A256GCM', kid: 'auth-1', ...header })
    .encrypt(authority.publicKey.key);

/** The JWE with its protected header replaced (the tag no longer matches either). */
function withHeader(jwe: string, header: Record<string, unknown>): string {
  const segments = jwe.split('.');
  segments[0] = Buffer.from(JSON.stringify(header)).toString('base64url');
  return segments.join('.');
}

describe('openCompactJwe', () => {
  it('opens what jose sealed, with the key as CryptoKey, KeyObject or JWK, as jose does', async () => {
    const plain = randomBytes(300_000);
    const jwe = await seal(plain);
    const keyObject = createPrivateKey({ key: privateJwk as never, format: 'jwk' });
    expect(keyObject).toBeInstanceOf(KeyObject);
    for (const key of [authority.privateKey.key, keyObject, privateJwk]) {
      expect(openCompactJwe(jwe, key).equals(plain)).toBe(true);
    }
    const { plaintext } = await compactDecrypt(jwe, keyObject);
    expect(Buffer.from(plaintext).equals(plain)).toBe(true);
    expect(openCompactJwe(await seal(new Uint8Array(0)), keyObject)).toHaveLength(0);
  });

  it('refuses every tampered segment, another key, and a JWE that is not five segments', async () => {
    const jwe = await seal(randomBytes(4096));
    for (const index of [0, 1, 2, 3, 4]) {
      expect(() => openCompactJwe(tamperSegment(jwe, index), authority.privateKey.key)).toThrow();
    }
    expect(() => openCompactJwe(jwe, other.privateKey.key)).toThrow(JweOpenError);
    expect(() => openCompactJwe(jwe, authority.publicJwk)).toThrow(JweOpenError);
    expect(() => openCompactJwe(jwe.split('.').slice(0, 4).join('.'), authority.privateKey.key)).toThrow(
      'five segments',
    );
  });

  it('refuses another alg or enc, zip, crit, and a header that is not a JSON object', async () => {
    const jwe = await seal(randomBytes(64));
    const base = { alg: 'RSA-OAEP-256', enc: 'A256GCM', kid: 'auth-1' };
    for (const header of [
      { ...base, alg: 'RSA-OAEP' },
      { ...base, enc: 'A128GCM' },
      { ...base, zip: 'DEF' },
      { ...base, crit: ['exp'], exp: 1 },
    ]) {
      expect(() => openCompactJwe(withHeader(jwe, header), authority.privateKey.key)).toThrow(JweOpenError);
    }
    const segments = jwe.split('.');
    for (const text of ['[]', 'null', 'not json']) {
      segments[0] = Buffer.from(text).toString('base64url');
      expect(() => openCompactJwe(segments.join('.'), authority.privateKey.key)).toThrow(JweOpenError);
    }
  });

  it('refuses base64url that is not canonical, and a short IV or tag', async () => {
    const jwe = await seal(randomBytes(64));
    const segments = jwe.split('.');
    for (const [index, text] of [
      [3, `${segments[3]}=`],
      [3, `${segments[3]?.slice(0, 10)} ${segments[3]?.slice(10)}`],
      [3, `${segments[3]?.slice(0, 10)}+${segments[3]?.slice(10)}`],
      [2, segments[2]?.slice(0, 12)],
      [4, segments[4]?.slice(0, 16)],
    ] as const) {
      const changed = [...segments];
      changed[index] = text ?? '';
      expect(() => openCompactJwe(changed.join('.'), authority.privateKey.key)).toThrow(JweOpenError);
    }
  });
});
