/**
 * The device key in Electron's main process, encrypted with safeStorage (DPAPI on Windows, the
 * Keychain on macOS, libsecret or KWallet on Linux) in `device-key.jwk.enc`. Where there is no
 * keyring (Linux with the `basic_text` backend), the key stays in the plain 0600 file that
 * `kiosk enroll` writes, and the kiosk says so: a log line and a status the admin screen shows.
 *
 * A plain `device-key.jwk` found beside a keyring is migrated: encrypted, read back and compared,
 * and deleted only once the core process has confirmed it runs on the handed-over key. A plain
 * file is only ever newer than the encrypted one (`kiosk enroll` writes it), so it wins.
 *
 * The core process (a utilityProcess) has no safeStorage: main decrypts the key and hands it over
 * its port (core-messages.ts); the core keeps it in a MemoryKeyStore.
 */
import { closeSync, fsyncSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../core/log.ts';
import {
  DEVICE_KEY_FILE,
  type DeviceKey,
  FileKeyStore,
  type KeyStore,
  type KeyStoreErrorCode,
  writeFileAtomic,
} from '../sync/keystore.ts';
import { err, ok, type Result } from '../sync/result.ts';
import { deviceKeyFromText, deviceKeyToText, sameDeviceKey } from './device-key-codec.ts';

export const ENCRYPTED_DEVICE_KEY_FILE = `${DEVICE_KEY_FILE}.enc`;

/** The part of Electron's safeStorage used here (a reversible fake in tests). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only in Electron. */
  getSelectedStorageBackend?(): string;
}

export type KeyStoreWarningCode = 'keystore.unencrypted' | 'keystore.locked';

/** What the admin screen shows about where the device key is kept. */
export interface DeviceKeyStoreStatus {
  /** safeStorage's backend: `dpapi`, `keychain`, `gnome_libsecret`, `kwallet5`, `basic_text`, … */
  readonly backend: string;
  /** Whether the key is kept encrypted by the system. */
  readonly encrypted: boolean;
  readonly warning?: { readonly code: KeyStoreWarningCode; readonly message: string };
}

const unencryptedWarning = {
  code: 'keystore.unencrypted',
  message:
    'No system keyring: the device key is kept unencrypted in a file only the kiosk user can read (0600). ' +
    'Set up a keyring (libsecret or KWallet) for the kiosk user to have it encrypted.',
} as const;

const lockedWarning = {
  code: 'keystore.locked',
  message:
    'The device key is encrypted, but the system keyring is not available: the terminal cannot sign ' +
    'submissions until the keyring is unlocked (or the terminal is enrolled again).',
} as const;

/** Where safeStorage would keep the key on this system, and whether that is encryption at all. */
export function deviceKeyStoreStatus(
  safeStorage: SafeStorageLike,
  platform: NodeJS.Platform,
): DeviceKeyStoreStatus {
  const backend =
    platform === 'linux'
      ? (safeStorage.getSelectedStorageBackend?.() ?? 'unknown')
      : platform === 'win32'
        ? 'dpapi'
        : platform === 'darwin'
          ? 'keychain'
          : 'unknown';
  // basic_text "encrypts" with a key built into Chromium: that is obfuscation, not protection.
  const weak = platform === 'linux' && (backend === 'basic_text' || backend === 'unknown');
  const encrypted = !weak && safeStorage.isEncryptionAvailable();
  return encrypted ? { backend, encrypted } : { backend, encrypted, warning: unencryptedWarning };
}

/** The device key encrypted with safeStorage, in `device-key.jwk.enc` (base64 text, 0600). */
export class SafeStorageKeyStore implements KeyStore {
  readonly path: string;

  constructor(
    dataDir: string,
    private readonly safeStorage: SafeStorageLike,
  ) {
    this.path = join(dataDir, ENCRYPTED_DEVICE_KEY_FILE);
  }

  load(): Result<DeviceKey | undefined, KeyStoreErrorCode> {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return ok(undefined);
      return err('keystore.read_failed', 'the encrypted device key file cannot be read');
    }
    const bytes = Buffer.from(text.trim(), 'base64');
    if (bytes.length === 0) return err('keystore.malformed', 'the encrypted device key file is empty');
    let plain: string;
    try {
      plain = this.safeStorage.decryptString(bytes);
    } catch {
      return err(
        'keystore.malformed',
        'the encrypted device key cannot be decrypted (damaged, or encrypted by another user or machine)',
      );
    }
    return deviceKeyFromText(plain);
  }

  save(key: DeviceKey): Result<void, KeyStoreErrorCode> {
    try {
      const sealed = this.safeStorage.encryptString(deviceKeyToText(key));
      writeFileAtomic(this.path, `${sealed.toString('base64')}\n`, 0o600);
      return ok(undefined);
    } catch {
      return err('keystore.write_failed', 'the encrypted device key file cannot be written');
    }
  }
}

/** A store that only reports why the key cannot be had; never makes a new one. */
class UnavailableKeyStore implements KeyStore {
  constructor(private readonly reason: { code: KeyStoreErrorCode; message: string }) {}
  load(): Result<DeviceKey | undefined, KeyStoreErrorCode> {
    return err(this.reason.code, this.reason.message);
  }
  save(): Result<void, KeyStoreErrorCode> {
    return err(this.reason.code, this.reason.message);
  }
}

export interface OpenedDeviceKeyStore {
  readonly store: KeyStore;
  readonly status: DeviceKeyStoreStatus;
  /**
   * Deletes the migrated plain key file, once the core runs on the handed-over key; only when
   * the encrypted file still holds the same key. Returns whether a file was deleted.
   */
  completeMigration(): boolean;
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

/** Overwrites, syncs and deletes the plain key (the overwrite helps where blocks are reused in place). */
function shred(path: string): void {
  const size = statSync(path).size;
  const fd = openSync(path, 'r+');
  try {
    writeSync(fd, Buffer.alloc(size));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  unlinkSync(path);
}

/** Opens the right store for this system and migrates a plain key file into the encrypted one. */
export function openDeviceKeyStore(options: {
  dataDir: string;
  safeStorage: SafeStorageLike;
  platform: NodeJS.Platform;
  log: Logger;
}): OpenedDeviceKeyStore {
  const { dataDir, safeStorage, log } = options;
  const plain = new FileKeyStore(dataDir);
  const sealed = new SafeStorageKeyStore(dataDir, safeStorage);
  const status = deviceKeyStoreStatus(safeStorage, options.platform);
  const noMigration = () => false;

  if (!status.encrypted) {
    if (exists(sealed.path)) {
      log.error('keystore.locked', { backend: status.backend });
      return {
        store: new UnavailableKeyStore({ code: 'keystore.read_failed', message: lockedWarning.message }),
        status: { backend: status.backend, encrypted: false, warning: lockedWarning },
        completeMigration: noMigration,
      };
    }
    log.warn('keystore.unencrypted', { backend: status.backend });
    return { store: plain, status, completeMigration: noMigration };
  }

  const found = plain.load();
  if (!found.ok) {
    if (exists(plain.path)) log.error('keystore.plain_unreadable', { code: found.error.code });
    return { store: sealed, status, completeMigration: noMigration };
  }
  const plainKey = found.value;
  if (plainKey === undefined) return { store: sealed, status, completeMigration: noMigration };

  const saved = sealed.save(plainKey);
  const back = saved.ok ? sealed.load() : saved;
  if (!back.ok || back.value === undefined || !sameDeviceKey(back.value, plainKey)) {
    // Keep using the plain file: it is the only verified copy.
    log.error('keystore.migration_failed', { code: back.ok ? 'keystore.mismatch' : back.error.code });
    return { store: plain, status, completeMigration: noMigration };
  }
  log.info('keystore.migrated', { backend: status.backend });
  return {
    store: sealed,
    status,
    completeMigration() {
      const stillPlain = plain.load();
      const stillSealed = sealed.load();
      if (!stillPlain.ok || stillPlain.value === undefined) return false;
      if (!stillSealed.ok || stillSealed.value === undefined) return false;
      if (!sameDeviceKey(stillPlain.value, stillSealed.value)) return false;
      try {
        shred(plain.path);
      } catch {
        log.error('keystore.plain_not_deleted');
        return false;
      }
      log.info('keystore.plain_deleted');
      return true;
    },
  };
}
