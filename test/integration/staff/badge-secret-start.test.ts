import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { badgeHash } from '../../../common/badge.ts';
import { configFileOf, loadConfig } from '../../../core/config.ts';
import { silentLogger } from '../../../core/log.ts';
import { BADGE_SECRET_FILE } from '../../../core/staff/badge-secret.ts';
import { productionPinHasher } from '../../../core/staff/hasher.ts';
import { startKiosk } from '../../../core/start.ts';
import { type RunningPortal, startPortal } from '../../../portal/server.ts';
import { TERMINAL_FILES } from '../../../sync/terminal.ts';
import { pooledAuthorityKeys } from '../../support/authority-keys.ts';
import { pinnedKioskEnv } from '../../support/kiosk-terminal.ts';

/**
 * The kiosk as a host starts it, with an installer's config.json that gives an administrator
 * record and its badge secret: the first start seals the secret and leaves "sealed" in the file;
 * the administrator signs in on that start and on the next one.
 */
const SECRET = '5e'.repeat(32);
const BADGE = 'LOCAL-ADMIN-07';
const PASSWORD = 'local-admin-pass';

let portal: RunningPortal;
let dataDir: string;
let env: Record<string, string>;

beforeAll(async () => {
  portal = await startPortal({ authorityKeySource: pooledAuthorityKeys(), seed: 11 });
  dataDir = mkdtempSync(join(tmpdir(), 'kiosk-badge-start-'));
  env = {
    ...pinnedKioskEnv(portal, dataDir),
  };
  const record = {
    name: 'A. Local',
    role: 'admin',
    badgeHash: badgeHash(Buffer.from(SECRET, 'hex'), BADGE),
    pinHash: await productionPinHasher.hash(PASSWORD),
  };
  writeFileSync(
    join(dataDir, 'config.json'),
    `${JSON.stringify({ staff: { badgeSecret: SECRET, records: [record] } }, null, 2)}\n`,
  );
});
afterAll(async () => {
  await portal.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function startAndSignIn(enrolmentCode?: string) {
  const configFile = configFileOf({ env });
  const config = loadConfig({ env });
  const kiosk = await startKiosk(
    { ...config, portal: { ...config.portal, url: portal.url } },
    { log: silentLogger, env, configFile, ...(enrolmentCode ? { enrolmentCode } : {}) },
  );
  try {
    await kiosk.started;
    return await kiosk.router.dispatch('admin.signIn', { badge: BADGE, password: PASSWORD });
  } finally {
    await kiosk.close();
  }
}

describe("an installer's badge secret", () => {
  it('is sealed at the first start, and the administrator signs in on this start and the next', async () => {
    expect(configFileOf({ env })).toBe(join(dataDir, 'config.json'));
    const first = await startAndSignIn(portal.createEnrolmentCode());
    expect(first).toMatchObject({ ok: true, value: { role: 'admin', name: 'A. Local' } });

    const file = JSON.parse(readFileSync(join(dataDir, 'config.json'), 'utf8'));
    expect(file.staff.badgeSecret).toBe('sealed');
    expect(readdirSync(dataDir)).toContain(BADGE_SECRET_FILE);
    // nowhere in the data folder in plain form
    for (const name of readdirSync(dataDir, { recursive: true }) as string[]) {
      const path = join(dataDir, name);
      try {
        expect(readFileSync(path, 'latin1'), name).not.toContain(SECRET);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EISDIR') throw e;
      }
    }

    const second = await startAndSignIn();
    expect(second).toMatchObject({ ok: true, value: { role: 'admin' } });
  });

  it("is one of the files the terminal's data wipe deletes", () => {
    expect(TERMINAL_FILES).toContain(BADGE_SECRET_FILE);
  });
});
