/**
 * The badge secret of the installation's own configuration, kept out of that file.
 *
 * Whoever installs a terminal may give staff records and their badge secret in `config.json`
 * (before enrolment an administrator must be able to sign in). Left there, the secret lies beside
 * the badge hashes it keys, and a copy of the one file is enough to test badge numbers offline.
 * So on its first start the kiosk takes the secret in: it seals it (AES-256-GCM under a key
 * derived from the device key, which the host keeps in the OS key store where there is one:
 * Electron's safeStorage, electron/keystore.ts) into `badge-secret.sealed` in the data folder,
 * and writes `"badgeSecret": "sealed"` into the configuration file in its place. Later starts
 * open the sealed copy; a new plain secret in the file (a rotation) replaces it.
 *
 * Order for a power cut: the sealed copy is written (atomically, synced) before the file loses the
 * plain secret, so at every moment one of the two holds it. A configuration file the kiosk may not
 * write (owned by root, on a read-only mount) keeps the secret in plain form; the kiosk says so in
 * its log, and `kiosk doctor` warns.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  BADGE_SECRET_FILE,
  type KeyStore,
  loadOrCreateDeviceKey,
  writeFileAtomic,
} from '../../sync/keystore.ts';
import { openState, sealState, stateSealKey } from '../../sync/state-seal.ts';
import type { Logger } from '../log.ts';
import type { StaffConfig } from './records.ts';

/** What `config.json` holds in place of a badge secret the terminal has taken in. */
export const SEALED_BADGE_SECRET = 'sealed';
export { BADGE_SECRET_FILE };

/** Salt and additional data of the sealing key and seal: this secret, no other sealed value. */
const SEAL_CONTEXT = 'local-badge-secret';

export interface BadgeSecretOptions {
  readonly staff: StaffConfig;
  /** The configuration file the staff section came from; null when it came from elsewhere. */
  readonly configFile: string | null;
  readonly dataDir: string;
  readonly keyStore: KeyStore;
  readonly log: Logger;
}

/** Whether a badge secret is given in plain form (hex), as opposed to null or "sealed". */
export function isPlainBadgeSecret(secret: string | null): secret is string {
  return secret !== null && secret !== SEALED_BADGE_SECRET;
}

/**
 * The staff section with its badge secret in plain form for use in memory: taken in from the
 * configuration file on first sight, opened from the sealed copy afterwards. A sealed copy that
 * is missing or cannot be opened (a device key made anew after a wipe) leaves the secret null:
 * nobody signs in by badge until the installer gives the secret again.
 */
export async function takeInBadgeSecret(options: BadgeSecretOptions): Promise<StaffConfig> {
  const { staff, log } = options;
  const secret = staff.badgeSecret;
  if (secret === null) return staff;
  const key = await loadOrCreateDeviceKey(options.keyStore);
  if (!key.ok) {
    log.error('staff.badge_secret_unavailable', { code: key.error.code });
    return isPlainBadgeSecret(secret) ? staff : { ...staff, badgeSecret: null };
  }
  const sealKey = stateSealKey(key.value, SEAL_CONTEXT);
  const file = join(options.dataDir, BADGE_SECRET_FILE);
  if (isPlainBadgeSecret(secret)) {
    try {
      writeFileAtomic(file, `${sealState(sealKey, SEAL_CONTEXT, secret.toLowerCase())}\n`, 0o600);
    } catch {
      log.error('staff.badge_secret_plain', { reason: 'seal_write_failed' });
      return staff;
    }
    const replaced = options.configFile === null ? false : replaceInConfigFile(options.configFile);
    if (replaced) log.info('staff.badge_secret_sealed', {});
    else log.warn('staff.badge_secret_plain', { reason: 'config_not_writable' });
    return staff;
  }
  try {
    const opened = openState(sealKey, SEAL_CONTEXT, readFileSync(file, 'utf8').trim());
    return { ...staff, badgeSecret: opened };
  } catch {
    log.error('staff.badge_secret_unavailable', { code: 'staff.badge_secret_sealed_unreadable' });
    return { ...staff, badgeSecret: null };
  }
}

/**
 * Writes `"badgeSecret": "sealed"` into the configuration file, keeping everything else and the
 * file's mode. False when the file cannot be read, parsed or written; it is then left as it was.
 */
function replaceInConfigFile(path: string): boolean {
  try {
    const mode = statSync(path).mode & 0o777;
    const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
    if (typeof parsed !== 'object' || parsed === null) return false;
    const staff = (parsed as { staff?: unknown }).staff;
    if (typeof staff !== 'object' || staff === null) return false;
    (staff as { badgeSecret?: unknown }).badgeSecret = SEALED_BADGE_SECRET;
    writeFileAtomic(path, `${JSON.stringify(parsed, null, 2)}\n`, mode);
    return true;
  } catch {
    return false;
  }
}
