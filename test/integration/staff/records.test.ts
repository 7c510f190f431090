import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { badgeHash } from '../../../common/badge.ts';
import { configSchema } from '../../../core/config.ts';
import { createKiosk, type Kiosk } from '../../../core/kiosk.ts';
import type { LogFields, Logger } from '../../../core/log.ts';
import { createArgon2Hasher, parseBadgeSecret } from '../../../core/staff/index.ts';
import type { Terminal } from '../../../sync/terminal.ts';
import { offlineEnrolment } from '../../support/offline-terminal.ts';

/**
 * Staff records as the kiosk accepts them from its local configuration: one hashed below the
 * argon2id cost floor is refused on its own, with a logged code; the others are kept.
 */

const SECRET_HEX = '3c'.repeat(32);
const secret = (() => {
  const parsed = parseBadgeSecret(SECRET_HEX);
  if (!parsed.ok) throw new Error('secret');
  return parsed.value;
})();
/** The floor of this kiosk: tests hash at m=4096, t=2 and call anything below that weak. */
const floor = { memoryCost: 4_096, timeCost: 2, parallelism: 1 };
const hasher = createArgon2Hasher(floor);
const weakHasher = createArgon2Hasher({ memoryCost: 1_024, timeCost: 1, parallelism: 1 });

let kiosk: Kiosk | undefined;
let terminal: Terminal | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await kiosk?.close();
  await terminal?.close();
  kiosk = undefined;
  terminal = undefined;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function capturingLog(): Logger & { lines: { level: string; event: string; fields: LogFields }[] } {
  const lines: { level: string; event: string; fields: LogFields }[] = [];
  const push =
    (level: string) =>
    (event: string, fields: LogFields = {}) =>
      lines.push({ level, event, fields });
  return { lines, info: push('info'), warn: push('warn'), error: push('error') };
}

describe('staff records from the local configuration', () => {
  it('refuses a record hashed below the cost floor with a logged code and keeps the others', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kiosk-staff-records-'));
    dirs.push(dataDir);
    const offline = await offlineEnrolment(dataDir, 'http://127.0.0.1:9/');
    terminal = await offline.open();
    const config = configSchema.parse({
      dataDir,
      portal: {
        url: 'http://127.0.0.1:9/',
        signingKeyThumbprint: offline.thumbprint,
        allowLoopbackHttp: true,
      },
      readers: { simulate: true },
      staff: {
        badgeSecret: SECRET_HEX,
        records: [
          {
            badgeHash: badgeHash(secret, 'WEAK-1'),
            pinHash: await weakHasher.hash('482916'),
            role: 'staff',
            name: 'W. Weak',
          },
          {
            badgeHash: badgeHash(secret, 'GOOD-1'),
            pinHash: await hasher.hash('482916'),
            role: 'staff',
            name: 'G. Good',
          },
        ],
      },
    });
    const log = capturingLog();
    kiosk = createKiosk(config, { pinHasher: hasher, log, terminal });
    expect(log.lines.filter((l) => l.event.startsWith('staff.'))).toEqual([
      {
        level: 'warn',
        event: 'staff.record_weak_hash',
        fields: { source: 'local', index: 0, role: 'staff' },
      },
    ]);
    expect(JSON.stringify(log.lines)).not.toContain('Weak');

    await kiosk.router.dispatch('session.start', {});
    const weak = await kiosk.router.dispatch('staff.signIn', { badge: 'WEAK-1', pin: '482916' });
    expect(weak.ok ? null : weak.error.code).toBe('staff.invalid_credentials');
    // the kept record still lets its clerk in
    const good = await kiosk.router.dispatch('staff.signIn', { badge: 'GOOD-1', pin: '482916' });
    expect(good).toMatchObject({ ok: true, value: { role: 'staff' } });
  });
});
