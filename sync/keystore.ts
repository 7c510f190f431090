/**
 * Where the terminal's device key lives. Behind a small interface so the host can keep it in an
 * OS keychain (e.g. Electron safeStorage); `FileKeyStore` keeps it as a JWK file readable only by
 * the owner (0600) in the data folder.
 */
import {
  chmodSync,
  closeSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import { z } from 'zod';
import { err, ok, type Result } from '../common/result.ts';

export interface DeviceKey {
  /** RFC 7638 thumbprint of the public key. */
  readonly thumbprint: string;
  readonly privateJwk: JWK;
  readonly publicJwk: JWK;
}

export type KeyStoreErrorCode = 'keystore.read_failed' | 'keystore.write_failed' | 'keystore.malformed';

export interface KeyStore {
  /** The stored key, or undefined when none was made yet. */
  load(): Result<DeviceKey | undefined, KeyStoreErrorCode>;
  save(key: DeviceKey): Result<void, KeyStoreErrorCode>;
}

const b64 = z.string().regex(/^[A-Za-z0-9_-]+$/);
/** An EC P-256 private JWK, as the device key is kept. */
export const privateJwkSchema = z.looseObject({
  kty: z.literal('EC'),
  crv: z.literal('P-256'),
  x: b64,
  y: b64,
  d: b64,
});

/** The device key as it is kept: the private JWK with the thumbprint as `kid`. */
export function deviceKeyToText(key: DeviceKey): string {
  return JSON.stringify({ ...key.privateJwk, kid: key.thumbprint });
}

/** Reads `deviceKeyToText`'s form back; the public key is derived from the private JWK. */
export function deviceKeyFromText(text: string): Result<DeviceKey, KeyStoreErrorCode> {
  let parsed: z.infer<typeof privateJwkSchema>;
  try {
    const r = privateJwkSchema.safeParse(JSON.parse(text));
    if (!r.success) return err('keystore.malformed', 'the device key is not an EC P-256 private JWK');
    parsed = r.data;
  } catch {
    return err('keystore.malformed', 'the device key is not JSON');
  }
  const privateJwk = parsed as JWK;
  const thumbprint = typeof parsed.kid === 'string' ? parsed.kid : '';
  return ok({ thumbprint, privateJwk, publicJwk: { ...publicOf(privateJwk), kid: thumbprint } });
}

export const DEVICE_KEY_FILE = 'device-key.jwk';

/** The local configuration's badge secret, sealed under the device key (core/staff/badge-secret.ts). */
export const BADGE_SECRET_FILE = 'badge-secret.sealed';

/** fsyncs a directory, so a rename or unlink in it survives a power cut. */
export function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes a file atomically and durably: a temp file beside it, written and fsynced, renamed over
 * the target, then the directory fsynced (without that, a power cut after the rename may bring
 * back the old file or none). A failure leaves the old file as it was and no temp file behind.
 */
export function writeFileAtomic(path: string, content: string, mode: number): void {
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    const fd = openSync(tmp, 'w', mode);
    try {
      writeSync(fd, content, 0); // positioned (pwrite): a single write of the whole text
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    chmodSync(tmp, mode);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
  fsyncDir(dirname(path));
}

function publicOf(jwk: JWK): JWK {
  const { kty, crv, x, y } = jwk;
  return {
    ...(kty === undefined ? {} : { kty }),
    ...(crv === undefined ? {} : { crv }),
    ...(x === undefined ? {} : { x }),
    ...(y === undefined ? {} : { y }),
  };
}

export class FileKeyStore implements KeyStore {
  readonly path: string;

  constructor(dataDir: string) {
    this.path = join(dataDir, DEVICE_KEY_FILE);
  }

  load(): Result<DeviceKey | undefined, KeyStoreErrorCode> {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return ok(undefined);
      return err('keystore.read_failed', 'the device key file cannot be read');
    }
    return deviceKeyFromText(text);
  }

  save(key: DeviceKey): Result<void, KeyStoreErrorCode> {
    try {
      writeFileAtomic(this.path, deviceKeyToText(key), 0o600);
      return ok(undefined);
    } catch {
      return err('keystore.write_failed', 'the device key file cannot be written');
    }
  }
}

/** Makes a fresh ES256 device key. */
export async function generateDeviceKey(): Promise<DeviceKey> {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const privateJwk = await exportJWK(privateKey);
  const publicJwk = publicOf(privateJwk);
  const thumbprint = await calculateJwkThumbprint(publicJwk, 'sha256');
  return {
    thumbprint,
    privateJwk: { ...privateJwk, kid: thumbprint },
    publicJwk: { ...publicJwk, kid: thumbprint },
  };
}

/** The stored device key, made and saved on first use. */
export async function loadOrCreateDeviceKey(store: KeyStore): Promise<Result<DeviceKey, KeyStoreErrorCode>> {
  const loaded = store.load();
  if (!loaded.ok) return loaded;
  if (loaded.value !== undefined) return ok(loaded.value);
  const key = await generateDeviceKey();
  const saved = store.save(key);
  return saved.ok ? ok(key) : saved;
}
