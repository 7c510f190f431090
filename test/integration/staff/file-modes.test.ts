import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { badgeHash } from '../../../common/badge.ts';
import { configSchema } from '../../../core/config.ts';
import { createKiosk } from '../../../core/kiosk.ts';
import { silentLogger } from '../../../core/log.ts';
import { createArgon2Hasher, parseBadgeSecret } from '../../../core/staff/index.ts';
import { type RunningPortal, startPortal } from '../../../portal/server.ts';
import { ENROLMENT_FILE, signingKeyThumbprint } from '../../../sync/enrolment.ts';
import { DEVICE_KEY_FILE } from '../../../sync/keystore.ts';
import { enrolTerminal, openTerminal, QUEUE_DB_FILE } from '../../../sync/terminal.ts';
import { pooledAuthorityKeys } from '../../support/authority-keys.ts';

/**
 * The files a terminal writes are its user's alone (0600), whatever the umask: the queue database
 * with its -wal and -shm, the device key, the enrolment and the administrators' log export.
 */

let portal: RunningPortal;
let dataDir: string;
let umask: number;

beforeAll(async () => {
  umask = process.umask(0o022);
  portal = await startPortal({ authorityKeySource: pooledAuthorityKeys(), seed: 5 });
  dataDir = mkdtempSync(join(tmpdir(), 'kiosk-modes-'));
});
afterAll(async () => {
  process.umask(umask);
  await portal.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const mode = (path: string) => statSync(path).mode & 0o777;

describe('file modes', () => {
  it('queue database, -wal, -shm, device key, enrolment and log export are 0600; their folders 0700', async () => {
    const enrolled = await enrolTerminal({
      dataDir,
      portalUrl: portal.url,
      code: portal.createEnrolmentCode(),
    });
    if (!enrolled.ok) throw new Error(enrolled.error.code);
    const opened = await openTerminal({ dataDir });
    if (!opened.ok) throw new Error(opened.error.code);
    const terminal = opened.value;
    const secretHex = '1d'.repeat(32);
    const secret = parseBadgeSecret(secretHex);
    if (!secret.ok) throw new Error('secret');
    const hasher = createArgon2Hasher({ memoryCost: 1_024, timeCost: 1, parallelism: 1 });
    const exportDir = join(dataDir, 'exports');
    const kiosk = createKiosk(
      configSchema.parse({
        dataDir,
        exportDir,
        portal: {
          url: portal.url,
          signingKeyThumbprint: signingKeyThumbprint(portal.signingKey),
          allowLoopbackHttp: true,
        },
        readers: { simulate: true },
        staff: {
          badgeSecret: secretHex,
          records: [
            {
              badgeHash: badgeHash(secret.value, 'AD-1'),
              pinHash: await hasher.hash('admin-pass-1'),
              role: 'admin',
              name: 'IT',
            },
          ],
        },
      }),
      { terminal, pinHasher: hasher, log: silentLogger },
    );
    try {
      await kiosk.started;
      const signedIn = await kiosk.router.dispatch('admin.signIn', {
        badge: 'AD-1',
        password: 'admin-pass-1',
      });
      expect(signedIn.ok).toBe(true);
      const exported = await kiosk.router.dispatch('admin.exportLog', {});
      if (!exported.ok) throw new Error(exported.error.code);

      const queue = join(dataDir, QUEUE_DB_FILE);
      const files = {
        queue: mode(queue),
        wal: mode(`${queue}-wal`),
        shm: mode(`${queue}-shm`),
        deviceKey: mode(join(dataDir, DEVICE_KEY_FILE)),
        enrolment: mode(join(dataDir, ENROLMENT_FILE)),
        export: mode((exported.value as { file: string }).file),
        exportDir: mode(exportDir),
      };
      expect(files).toEqual({
        queue: 0o600,
        wal: 0o600,
        shm: 0o600,
        deviceKey: 0o600,
        enrolment: 0o600,
        export: 0o600,
        exportDir: 0o700,
      });
      // nothing else in the data folder is readable by others
      for (const name of readdirSync(dataDir)) {
        expect([name, mode(join(dataDir, name)) & 0o077]).toEqual([name, 0]);
      }
    } finally {
      await kiosk.close();
      await terminal.close();
    }
  });
});
