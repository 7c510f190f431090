import type { SafeStorageLike } from '../../electron/keystore.ts';

/**
 * A reversible stand-in for safeStorage: XOR with a per-"machine" secret behind a version tag, as
 * Chromium's OSCrypt prefixes `v10`/`v11`. Decrypting with another secret or a damaged tag throws,
 * as the real one does.
 */
export class FakeSafeStorage implements SafeStorageLike {
  constructor(
    readonly backend = 'gnome_libsecret',
    readonly available = true,
    private readonly secret = 0x5a,
  ) {}
  isEncryptionAvailable(): boolean {
    return this.available;
  }
  getSelectedStorageBackend(): string {
    return this.backend;
  }
  encryptString(plainText: string): Buffer {
    const body = Buffer.from(plainText, 'utf8').map((b) => b ^ this.secret);
    return Buffer.concat([Buffer.from(`v${this.secret}:`), body]);
  }
  decryptString(encrypted: Buffer): string {
    const tag = Buffer.from(`v${this.secret}:`);
    if (!encrypted.subarray(0, tag.length).equals(tag))
      throw new Error('Error while decrypting the ciphertext');
    return Buffer.from(encrypted.subarray(tag.length).map((b) => b ^ this.secret)).toString('utf8');
  }
}
