/**
 * RSA authority keys for test portals. Terminals refuse authority keys under 3072 bits, and
 * making one takes seconds; a test file makes each key once and every portal it starts takes
 * them in order (its first, second, third key …), so two keys of one portal always differ.
 */
import { generateKeyPair, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import type { RsaKeySource } from '../../portal/keys.ts';

const generate = promisify(generateKeyPair);
const made = new Map<number, Promise<KeyObject>[]>();

/** A key source for one portal (`startPortal({ authorityKeySource: pooledAuthorityKeys() })`). */
export function pooledAuthorityKeys(): RsaKeySource {
  let next = 0;
  return (bits) => {
    const pool = made.get(bits) ?? [];
    made.set(bits, pool);
    const i = next++;
    pool[i] ??= generate('rsa', { modulusLength: bits }).then((k) => k.privateKey);
    return pool[i] as Promise<KeyObject>;
  };
}
