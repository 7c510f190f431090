import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../core/log.ts';
import { deviceKeyMessageSchema } from '../../../electron/core-messages.ts';
import { prepareDeviceKey } from '../../../electron/device-key-handover.ts';
import {
  deviceKeyStoreStatus,
  ENCRYPTED_DEVICE_KEY_FILE,
  openDeviceKeyStore,
  SafeStorageKeyStore,
  type SafeStorageLike,
} from '../../../electron/keystore.ts';
import { MemoryKeyStore } from '../../../electron/memory-keystore.ts';
import {
  DEVICE_KEY_FILE,
  FileKeyStore,
  generateDeviceKey,
  loadOrCreateDeviceKey,
} from '../../../sync/keystore.ts';
import { ok } from '../../../sync/result.ts';
import { FakeSafeStorage } from '../../support/fake-safe-storage.ts';

let dir: string;
let lines: string[];
const log = () => createLogger((line) => lines.push(line));
const events = () => lines.map((l) => (JSON.parse(l) as { event: string }).event);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kiosk-keystore-'));
  lines = [];
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('SafeStorageKeyStore', () => {
  it('round-trips the device key through an encrypted 0600 file that does not show the key', async () => {
    const store = new SafeStorageKeyStore(dir, new FakeSafeStorage());
    expect(store.load()).toEqual(ok(undefined));
    const key = await generateDeviceKey();
    expect(store.save(key)).toEqual(ok(undefined));
    const path = join(dir, ENCRYPTED_DEVICE_KEY_FILE);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const onDisk = readFileSync(path, 'utf8');
    expect(onDisk).not.toContain(String(key.privateJwk.d));
    expect(onDisk).not.toContain('"kty"');
    expect(store.load()).toEqual(ok(key));
    // And it signs: loadOrCreate finds it instead of making another.
    const again = await loadOrCreateDeviceKey(new SafeStorageKeyStore(dir, new FakeSafeStorage()));
    expect(again.ok && again.value.thumbprint).toBe(key.thumbprint);
  });

  it('says a damaged or foreign file is malformed instead of making a new key', async () => {
    const store = new SafeStorageKeyStore(dir, new FakeSafeStorage());
    expect(store.save(await generateDeviceKey()).ok).toBe(true);
    const path = join(dir, ENCRYPTED_DEVICE_KEY_FILE);
    const foreign = new SafeStorageKeyStore(dir, new FakeSafeStorage('gnome_libsecret', true, 0x33));
    expect(foreign.load()).toMatchObject({ ok: false, error: { code: 'keystore.malformed' } });

    const sealed = readFileSync(path, 'utf8');
    const plain = new FakeSafeStorage().decryptString(Buffer.from(sealed.trim(), 'base64')).toString();
    // Flip one bit in every position that holds key material: each damaged file is refused.
    for (const field of ['x', 'y', 'd', 'kid']) {
      const value = (JSON.parse(plain) as Record<string, string>)[field] ?? '';
      const at = plain.indexOf(value) + 5;
      const bytes = Buffer.from(sealed.trim(), 'base64');
      const index = Buffer.from(`v${0x5a}:`).length + Buffer.byteLength(plain.slice(0, at));
      bytes[index] = (bytes[index] ?? 0) ^ 0x01;
      writeFileSync(path, bytes.toString('base64'));
      expect(store.load(), field).toMatchObject({ ok: false, error: { code: 'keystore.malformed' } });
    }
    expect(await loadOrCreateDeviceKey(store)).toMatchObject({
      ok: false,
      error: { code: 'keystore.malformed' },
    });

    writeFileSync(path, '');
    expect(store.load()).toMatchObject({ ok: false, error: { code: 'keystore.malformed' } });
  });
});

describe('deviceKeyStoreStatus', () => {
  it('names the backend and whether it encrypts', () => {
    expect(deviceKeyStoreStatus(new FakeSafeStorage('kwallet5'), 'linux')).toEqual({
      backend: 'kwallet5',
      encrypted: true,
    });
    expect(deviceKeyStoreStatus(new FakeSafeStorage('ignored'), 'win32')).toEqual({
      backend: 'dpapi',
      encrypted: true,
    });
    expect(deviceKeyStoreStatus(new FakeSafeStorage('ignored'), 'darwin')).toEqual({
      backend: 'keychain',
      encrypted: true,
    });
  });

  it('warns where Linux has no keyring (basic_text) or encryption is unavailable', () => {
    for (const [storage, platform] of [
      [new FakeSafeStorage('basic_text', true), 'linux'],
      [new FakeSafeStorage('unknown', true), 'linux'],
      [new FakeSafeStorage('gnome_libsecret', false), 'linux'],
      [new FakeSafeStorage('x', false), 'win32'],
    ] as const) {
      const status = deviceKeyStoreStatus(storage, platform);
      expect(status.encrypted).toBe(false);
      expect(status.warning?.code).toBe('keystore.unencrypted');
      expect(status.warning?.message).toMatch(/keyring/);
    }
  });
});

describe('openDeviceKeyStore', () => {
  it('falls back to the plain 0600 file without a keyring, with a warning in the log and the status', async () => {
    const opened = openDeviceKeyStore({
      dataDir: dir,
      safeStorage: new FakeSafeStorage('basic_text'),
      platform: 'linux',
      log: log(),
    });
    expect(opened.store).toBeInstanceOf(FileKeyStore);
    expect(opened.status).toMatchObject({
      backend: 'basic_text',
      encrypted: false,
      warning: { code: 'keystore.unencrypted' },
    });
    expect(events()).toEqual(['keystore.unencrypted']);
    const key = await loadOrCreateDeviceKey(opened.store);
    expect(key.ok).toBe(true);
    expect(statSync(join(dir, DEVICE_KEY_FILE)).mode & 0o777).toBe(0o600);
    expect(existsSync(join(dir, ENCRYPTED_DEVICE_KEY_FILE))).toBe(false);
  });

  it('never makes a new key when the key is encrypted but the keyring is gone', async () => {
    new SafeStorageKeyStore(dir, new FakeSafeStorage()).save(await generateDeviceKey());
    const opened = openDeviceKeyStore({
      dataDir: dir,
      safeStorage: new FakeSafeStorage('basic_text'),
      platform: 'linux',
      log: log(),
    });
    expect(opened.status.warning?.code).toBe('keystore.locked');
    expect(await loadOrCreateDeviceKey(opened.store)).toMatchObject({
      ok: false,
      error: { code: 'keystore.read_failed' },
    });
    expect(existsSync(join(dir, DEVICE_KEY_FILE))).toBe(false);
    expect(events()).toEqual(['keystore.locked']);
  });

  it('migrates a plain key from kiosk enroll, and deletes the plain file only when told the core runs on it', async () => {
    const key = await generateDeviceKey();
    new FileKeyStore(dir).save(key);
    const plainPath = join(dir, DEVICE_KEY_FILE);
    const opened = openDeviceKeyStore({
      dataDir: dir,
      safeStorage: new FakeSafeStorage(),
      platform: 'linux',
      log: log(),
    });
    expect(opened.store).toBeInstanceOf(SafeStorageKeyStore);
    expect(opened.store.load()).toEqual(ok(key));
    expect(existsSync(plainPath)).toBe(true);
    expect(opened.completeMigration()).toBe(true);
    expect(existsSync(plainPath)).toBe(false);
    expect(opened.completeMigration()).toBe(false);
    expect(events()).toEqual(['keystore.migrated', 'keystore.plain_deleted']);
    // The next start finds only the encrypted key, the same one.
    const next = openDeviceKeyStore({
      dataDir: dir,
      safeStorage: new FakeSafeStorage(),
      platform: 'linux',
      log: log(),
    });
    expect(next.store.load()).toEqual(ok(key));
  });

  it('a plain key newer than the encrypted one (enrolled again) replaces it', async () => {
    const old = await generateDeviceKey();
    const fresh = await generateDeviceKey();
    new SafeStorageKeyStore(dir, new FakeSafeStorage()).save(old);
    new FileKeyStore(dir).save(fresh);
    const opened = openDeviceKeyStore({
      dataDir: dir,
      safeStorage: new FakeSafeStorage(),
      platform: 'win32',
      log: log(),
    });
    expect(opened.store.load()).toEqual(ok(fresh));
  });

  it('keeps the plain file when it changed after the migration', async () => {
    new FileKeyStore(dir).save(await generateDeviceKey());
    const opened = openDeviceKeyStore({
      dataDir: dir,
      safeStorage: new FakeSafeStorage(),
      platform: 'linux',
      log: log(),
    });
    const replaced = await generateDeviceKey();
    new FileKeyStore(dir).save(replaced);
    expect(opened.completeMigration()).toBe(false);
    expect(new FileKeyStore(dir).load()).toEqual(ok(replaced));
  });

  it('keeps using the plain file when the encrypted copy does not read back the same', async () => {
    const key = await generateDeviceKey();
    new FileKeyStore(dir).save(key);
    const lossy: SafeStorageLike = {
      isEncryptionAvailable: () => true,
      getSelectedStorageBackend: () => 'kwallet6',
      encryptString: (text) => Buffer.from(text),
      decryptString: () => '{"kty":"EC","crv":"P-256","x":"AA","y":"AA","d":"AA","kid":"other"}',
    };
    const opened = openDeviceKeyStore({ dataDir: dir, safeStorage: lossy, platform: 'linux', log: log() });
    expect(opened.store).toBeInstanceOf(FileKeyStore);
    expect(opened.store.load()).toEqual(ok(key));
    expect(opened.completeMigration()).toBe(false);
    expect(existsSync(join(dir, DEVICE_KEY_FILE))).toBe(true);
    expect(events()).toEqual(['keystore.migration_failed']);
  });
});

describe('handing the key to the core process', () => {
  it('main makes the key where it can store it encrypted, and the message carries it', async () => {
    const handover = await prepareDeviceKey({
      dataDir: dir,
      safeStorage: new FakeSafeStorage(),
      platform: 'linux',
      log: log(),
    });
    const message = deviceKeyMessageSchema.parse(structuredClone(handover.message));
    expect(message.key?.thumbprint).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(message.status).toEqual({ backend: 'gnome_libsecret', encrypted: true });
    expect(existsSync(join(dir, DEVICE_KEY_FILE))).toBe(false);
    expect(new SafeStorageKeyStore(dir, new FakeSafeStorage()).load()).toMatchObject({
      ok: true,
      value: { thumbprint: message.key?.thumbprint },
    });
    // No key material in the log.
    expect(lines.join('')).not.toContain(String(message.key?.privateJwk.d));
  });

  it('without a key the message says why, and the core store reports it', async () => {
    new SafeStorageKeyStore(dir, new FakeSafeStorage()).save(await generateDeviceKey());
    const handover = await prepareDeviceKey({
      dataDir: dir,
      safeStorage: new FakeSafeStorage('gnome_libsecret', false),
      platform: 'linux',
      log: log(),
    });
    expect(handover.message).toMatchObject({
      key: null,
      error: { code: 'keystore.read_failed' },
      status: { encrypted: false, warning: { code: 'keystore.locked' } },
    });
  });

  it('the core keeps the handed key in memory, says whether it was asked, and never saves one', async () => {
    const key = await generateDeviceKey();
    const store = new MemoryKeyStore(ok(key));
    expect(store.used).toBe(false);
    expect(await loadOrCreateDeviceKey(store)).toEqual(ok(key));
    expect(store.used).toBe(true);
    expect(store.save()).toMatchObject({ ok: false, error: { code: 'keystore.write_failed' } });
    expect(await loadOrCreateDeviceKey(new MemoryKeyStore(ok(undefined)))).toMatchObject({ ok: false });
  });
});
