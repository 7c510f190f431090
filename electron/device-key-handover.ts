/**
 * Main's part of the device key at start: open the right store (keystore.ts), load the key or
 * make one (main, not the core, makes it, because only main can store it encrypted), and build
 * the message that hands it to the core process.
 */
import type { Logger } from '../core/log.ts';
import { loadOrCreateDeviceKey } from '../sync/keystore.ts';
import type { DeviceKeyMessage } from './core-messages.ts';
import { type DeviceKeyStoreStatus, openDeviceKeyStore, type SafeStorageLike } from './keystore.ts';

export interface DeviceKeyHandover {
  readonly message: DeviceKeyMessage;
  readonly status: DeviceKeyStoreStatus;
  /** Deletes a migrated plain key file; call when the core reports `device-key.used`. */
  completeMigration(): boolean;
}

export async function prepareDeviceKey(options: {
  dataDir: string;
  safeStorage: SafeStorageLike;
  platform: NodeJS.Platform;
  log: Logger;
}): Promise<DeviceKeyHandover> {
  const opened = openDeviceKeyStore(options);
  const key = await loadOrCreateDeviceKey(opened.store);
  if (!key.ok) options.log.error('keystore.unavailable', { code: key.error.code });
  return {
    message: {
      type: 'device-key',
      key: key.ok ? key.value : null,
      ...(key.ok ? {} : { error: { code: key.error.code, message: key.error.message } }),
      status: opened.status,
    },
    status: opened.status,
    completeMigration: () => opened.completeMigration(),
  };
}
