/**
 * RSA authority keys for test portals. Terminals refuse authority keys under 3072 bits, and
 * making one takes seconds; a test file makes each key once and every portal it starts takes
 * them in order (its first, second, third key …), so two keys of one portal always differ.
 * Made keys are kept in node_modules/.cache (test keys of no authority), so a later run, or
 * another test file, reads them instead of making them again.
 */
import { createPrivateKey, generateKeyPair, type KeyObject } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { RsaKeySource } from '../../portal/keys.ts';

const generate = promisify(generateKeyPair);
const made = new Map<number, Promise<KeyObject>[]>();
const cacheDir = resolve(import.meta.dirname, '..', '..', 'node_modules', '.cache', 'test-authority-keys');

/** Key `index` of `bits` bits: read from the cache, or made and kept there (written whole, then renamed). */
async function pooledKey(bits: number, index: number): Promise<KeyObject> {
  const file = join(cacheDir, `rsa-${bits}-${index}.pem`);
  try {
    return createPrivateKey(readFileSync(file, 'utf8'));
  } catch {
    const { privateKey } = await generate('rsa', { modulusLength: bits });
    mkdirSync(cacheDir, { recursive: true });
    const partial = `${file}.${process.pid}.partial`;
    writeFileSync(partial, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    renameSync(partial, file);
    return privateKey;
  }
}

/** A key source for one portal (`startPortal({ authorityKeySource: pooledAuthorityKeys() })`). */
export function pooledAuthorityKeys(): RsaKeySource {
  let next = 0;
  return (bits) => {
    const pool = made.get(bits) ?? [];
    made.set(bits, pool);
    const i = next++;
    pool[i] ??= pooledKey(bits, i);
    return pool[i] as Promise<KeyObject>;
  };
}
