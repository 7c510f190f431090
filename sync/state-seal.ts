/**
 * Values of the store's `sync_state` that hold a secret, sealed at rest. The signed site
 * configuration carries the badge secret that keys the staff badge hashes; kept in plain form it
 * would lie in the queue database beside those hashes. It is stored sealed (AES-256-GCM, the
 * state's name as additional data) under a key derived (HKDF-SHA256) from the terminal's device
 * key, so the secret at rest is protected exactly as the device key is: by the OS key store where
 * the host offers one (Electron's safeStorage, electron/keystore.ts), else by the 0600 key file,
 * which the host reports as `keystore.unencrypted`.
 *
 * A plain value found (a store written before sealing) is still read, and the terminal seals it
 * again when it opens.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import type { DeviceKey } from './keystore.ts';
import type { StateStore } from './site-config.ts';

/** Marks a sealed value: `sealed.v1.<iv>.<ciphertext>.<tag>` (base64url). */
export const SEALED_STATE_PREFIX = 'sealed.v1.';

const INFO = 'serviceterminal sync_state seal v1';

/** The sealing key of a terminal: derived from its device key's private scalar. */
export function stateSealKey(deviceKey: Pick<DeviceKey, 'privateJwk'>, terminalId: string): Buffer {
  const d = deviceKey.privateJwk.d;
  if (typeof d !== 'string' || d.length === 0) throw new Error('the device key has no private part');
  return Buffer.from(hkdfSync('sha256', Buffer.from(d, 'base64url'), terminalId, INFO, 32));
}

export function isSealedState(stored: string): boolean {
  return stored.startsWith(SEALED_STATE_PREFIX);
}

export function sealState(key: Buffer, name: string, value: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(name, 'utf8'));
  const body = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
  const parts = [iv, body, cipher.getAuthTag()].map((b) => b.toString('base64url'));
  return `${SEALED_STATE_PREFIX}${parts.join('.')}`;
}

/** The plain value of a sealed one; throws when it is damaged or sealed under another key. */
export function openState(key: Buffer, name: string, sealed: string): string {
  const [iv, body, tag, ...rest] = sealed.slice(SEALED_STATE_PREFIX.length).split('.');
  if (iv === undefined || body === undefined || tag === undefined || rest.length > 0)
    throw new Error('a sealed state value is malformed');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(name, 'utf8'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
}

/**
 * A `StateStore` that seals what it writes and opens what it reads (a plain value is read as it
 * is). Reading a value that cannot be opened throws, as a failing store does.
 */
export function sealedStateStore(inner: StateStore, key: Buffer): StateStore {
  return {
    getState(name) {
      const stored = inner.getState(name);
      if (stored === undefined || !isSealedState(stored)) return stored;
      return openState(key, name, stored);
    },
    setState(name, value) {
      inner.setState(name, sealState(key, name, value));
    },
  };
}
