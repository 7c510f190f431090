/**
 * Opening one compact JWE of the one kind this system seals (RSA-OAEP-256 + A256GCM, RFC 7516
 * and RFC 7518) with node:crypto. jose's general decryption decodes base64url with a byte loop on
 * Node 20, which costs about ten times the decryption itself on a part of megabytes; this path
 * decodes with Buffer and checks the same: five segments in canonical base64url, a protected
 * header naming exactly this `alg` and `enc` (no `zip`, no `crit`), a 96-bit IV, a 128-bit tag,
 * and the header as the additional authenticated data. A key that does not unwrap the content key
 * gets a random one, so the failure shows at the tag check like any other (no padding oracle).
 */
import {
  createDecipheriv,
  createPrivateKey,
  constants as cryptoConstants,
  KeyObject,
  type JsonWebKey as NodeJwk,
  privateDecrypt,
  randomBytes,
} from 'node:crypto';
import type { CryptoKey, KeyObject as JoseKeyObject, JWK } from 'jose';

/** The key forms the sealing module accepts. */
type PrivateKeyMaterial = CryptoKey | JoseKeyObject | JWK;

const ALG = 'RSA-OAEP-256';
const ENC = 'A256GCM';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Why a compact JWE could not be opened. */
export class JweOpenError extends Error {}

function segment(text: string, what: string): Buffer {
  const bytes = Buffer.from(text, 'base64url');
  // Buffer skips characters outside the alphabet; only the canonical form is accepted
  if (bytes.toString('base64url') !== text) throw new JweOpenError(`the ${what} is not base64url`);
  return bytes;
}

function privateKeyObject(key: PrivateKeyMaterial): KeyObject {
  if (key instanceof KeyObject) return key;
  if (typeof globalThis.CryptoKey === 'function' && key instanceof globalThis.CryptoKey) {
    return KeyObject.from(key as globalThis.CryptoKey);
  }
  return createPrivateKey({ key: key as NodeJwk, format: 'jwk' });
}

/** The plaintext of `jwe`; throws `JweOpenError` (or a crypto error) when it cannot be opened. */
export function openCompactJwe(jwe: string, key: PrivateKeyMaterial): Buffer {
  const parts = jwe.split('.');
  if (parts.length !== 5) throw new JweOpenError('a compact JWE has five segments');
  const [headerText, keyText, ivText, cipherText, tagText] = parts as [
    string,
    string,
    string,
    string,
    string,
  ];
  let header: unknown;
  try {
    header = JSON.parse(segment(headerText, 'protected header').toString('utf8'));
  } catch (e) {
    throw e instanceof JweOpenError ? e : new JweOpenError('the protected header is not JSON');
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    throw new JweOpenError('the protected header is not an object');
  }
  const h = header as Record<string, unknown>;
  if (h.alg !== ALG || h.enc !== ENC) throw new JweOpenError(`only ${ALG} with ${ENC} is accepted`);
  if ('zip' in h || 'crit' in h) throw new JweOpenError('zip and crit are not accepted');
  const encryptedKey = segment(keyText, 'encrypted key');
  const iv = segment(ivText, 'initialization vector');
  const tag = segment(tagText, 'authentication tag');
  if (iv.length !== IV_BYTES) throw new JweOpenError('the initialization vector is not 96 bits');
  if (tag.length !== TAG_BYTES) throw new JweOpenError('the authentication tag is not 128 bits');
  const ciphertext = segment(cipherText, 'ciphertext');
  let cek: Buffer;
  try {
    cek = privateDecrypt(
      {
        key: privateKeyObject(key),
        padding: cryptoConstants.RSA_PKCS1_OAEP_PADDING,
        oaepHash: 'sha256',
      },
      encryptedKey,
    );
  } catch {
    cek = randomBytes(KEY_BYTES);
  }
  if (cek.length !== KEY_BYTES) cek = randomBytes(KEY_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', cek, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(headerText, 'ascii'));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch {
    throw new JweOpenError('the JWE does not decrypt with this key (authentication failed)');
  }
}
