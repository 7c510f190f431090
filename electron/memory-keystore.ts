/**
 * The device key inside the core process, as main handed it over (the core has no safeStorage).
 * It never makes or saves a key: main does that before the core starts, where the key can be
 * stored encrypted. `used` tells main the core really ran on this key before it deletes a
 * migrated plain file.
 */
import type { DeviceKey, KeyStore, KeyStoreErrorCode } from '../sync/keystore.ts';
import { err, type Result } from '../sync/result.ts';

export class MemoryKeyStore implements KeyStore {
  private loads = 0;

  constructor(private readonly key: Result<DeviceKey | undefined, KeyStoreErrorCode>) {}

  load(): Result<DeviceKey | undefined, KeyStoreErrorCode> {
    this.loads += 1;
    return this.key;
  }

  save(): Result<void, KeyStoreErrorCode> {
    return err('keystore.write_failed', 'the device key is made and stored by the main process');
  }

  /** Whether the terminal asked this store for its key. */
  get used(): boolean {
    return this.loads > 0;
  }
}
