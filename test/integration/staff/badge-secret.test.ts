import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../core/config.ts';
import { createLogger } from '../../../core/log.ts';
import {
  BADGE_SECRET_FILE,
  SEALED_BADGE_SECRET,
  takeInBadgeSecret,
} from '../../../core/staff/badge-secret.ts';
import { SafeStorageKeyStore } from '../../../electron/keystore.ts';
import { FileKeyStore } from '../../../sync/keystore.ts';
import { FakeSafeStorage } from '../../support/fake-safe-storage.ts';

/**
 * The badge secret an installer writes into config.json does not stay there beside the badge
 * hashes it keys: the first start seals it under the device key (kept in the OS key store where
 * the host has one) and leaves "sealed" in the file.
 */
const SECRET = '3c'.repeat(32);
const ROTATED = 'a7'.repeat(40);
const dirs: string[] = [];

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A data folder with a config.json as an installer writes it (records need the secret). */
function installation(secret: string | null = SECRET) {
  const dataDir = mkdtempSync(join(tmpdir(), 'kiosk-badge-'));
  dirs.push(dataDir);
  const configFile = join(dataDir, 'config.json');
  writeInstallerConfig(configFile, secret);
  const lines: string[] = [];
  const log = createLogger((line) => lines.push(line));
  const env = { KIOSK_DATA_DIR: dataDir, KIOSK_CONFIG: configFile };
  const staff = () => loadConfig({ env }).staff;
  return { dataDir, configFile, lines, log, staff };
}

function writeInstallerConfig(configFile: string, secret: string | null) {
  const config = {
    staff: {
      badgeSecret: secret,
      records: [
        {
          name: 'M. Keller',
          role: 'admin',
          badgeHash: 'b'.repeat(64),
          pinHash:
            '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g',
        },
      ],
    },
    readers: { simulate: true },
  };
  writeFileSync(configFile, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o640 });
}

/** Every file under a folder, read as text: where a secret in plain form would show. */
function everything(dir: string): string {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => readFileSync(join(entry.parentPath, entry.name), 'latin1'))
    .join('\n');
}

describe('the badge secret of the local configuration', () => {
  it('is sealed on first start, gone from config.json, and opened again on the next start', async () => {
    const site = installation();
    const keyStore = new FileKeyStore(site.dataDir);
    const first = await takeInBadgeSecret({ ...site, staff: site.staff(), keyStore });
    expect(first.badgeSecret).toBe(SECRET);

    const written = JSON.parse(readFileSync(site.configFile, 'utf8'));
    expect(written.staff.badgeSecret).toBe(SEALED_BADGE_SECRET);
    // the rest of the file is as the installer wrote it, and so is its mode
    expect(written.staff.records).toHaveLength(1);
    expect(written.readers).toEqual({ simulate: true });
    expect(statSync(site.configFile).mode & 0o777).toBe(0o640);
    expect(statSync(join(site.dataDir, BADGE_SECRET_FILE)).mode & 0o777).toBe(0o600);
    expect(everything(site.dataDir)).not.toContain(SECRET);
    expect(site.lines.join('\n')).toContain('staff.badge_secret_sealed');
    expect(site.lines.join('\n')).not.toContain(SECRET);

    const again = await takeInBadgeSecret({ ...site, staff: site.staff(), keyStore });
    expect(again.badgeSecret).toBe(SECRET);
  });

  it('is replaced by a new plain secret the installer writes (a rotation)', async () => {
    const site = installation();
    const keyStore = new FileKeyStore(site.dataDir);
    await takeInBadgeSecret({ ...site, staff: site.staff(), keyStore });
    writeInstallerConfig(site.configFile, ROTATED);
    expect((await takeInBadgeSecret({ ...site, staff: site.staff(), keyStore })).badgeSecret).toBe(ROTATED);
    expect((await takeInBadgeSecret({ ...site, staff: site.staff(), keyStore })).badgeSecret).toBe(ROTATED);
    expect(everything(site.dataDir)).not.toContain(ROTATED);
  });

  it('is protected by the OS key store where the host keeps the device key there', async () => {
    const site = installation();
    const keyStore = new SafeStorageKeyStore(site.dataDir, new FakeSafeStorage());
    await takeInBadgeSecret({ ...site, staff: site.staff(), keyStore });
    expect((await takeInBadgeSecret({ ...site, staff: site.staff(), keyStore })).badgeSecret).toBe(SECRET);
    // the data folder copied to another machine (another OS key store) opens nothing
    const elsewhere = new SafeStorageKeyStore(
      site.dataDir,
      new FakeSafeStorage('gnome_libsecret', true, 0x33),
    );
    const copied = await takeInBadgeSecret({ ...site, staff: site.staff(), keyStore: elsewhere });
    expect(copied.badgeSecret).toBeNull();
    expect(site.lines.join('\n')).toContain('staff.badge_secret_unavailable');
  });

  it('is null, not a guess, when the sealed copy belongs to another device key', async () => {
    const site = installation();
    await takeInBadgeSecret({ ...site, staff: site.staff(), keyStore: new FileKeyStore(site.dataDir) });
    // a wipe made a new device key; the sealed copy no longer opens
    rmSync(join(site.dataDir, 'device-key.jwk'));
    const after = await takeInBadgeSecret({
      ...site,
      staff: site.staff(),
      keyStore: new FileKeyStore(site.dataDir),
    });
    expect(after.badgeSecret).toBeNull();
    expect(site.lines.join('\n')).toContain('staff.badge_secret_sealed_unreadable');
  });

  it('stays usable, in plain form and said so, where config.json cannot be written', async () => {
    const site = installation();
    // a directory where the atomic write puts its temp file: the write fails, even for root
    mkdirSync(`${site.configFile}.tmp-${process.pid}`);
    const staff = await takeInBadgeSecret({
      ...site,
      staff: site.staff(),
      keyStore: new FileKeyStore(site.dataDir),
    });
    expect(staff.badgeSecret).toBe(SECRET);
    expect(JSON.parse(readFileSync(site.configFile, 'utf8')).staff.badgeSecret).toBe(SECRET);
    expect(site.lines.join('\n')).toMatch(/staff\.badge_secret_plain.*config_not_writable/);
  });

  it('leaves a configuration without a secret as it is', async () => {
    const site = installation(null);
    const configFile = site.configFile;
    writeFileSync(configFile, '{}\n');
    const staff = await takeInBadgeSecret({
      ...site,
      staff: site.staff(),
      keyStore: new FileKeyStore(site.dataDir),
    });
    expect(staff.badgeSecret).toBeNull();
    expect(readFileSync(configFile, 'utf8')).toBe('{}\n');
    expect(readdirSync(site.dataDir)).not.toContain(BADGE_SECRET_FILE);
  });
});
