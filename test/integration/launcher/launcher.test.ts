import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot, startKioskProcess } from '../../support/kiosk-process.ts';

describe('npm start -- --web --no-open', () => {
  it('serves until SIGTERM, then shuts down cleanly with exit code 0', async () => {
    const kiosk = await startKioskProcess();
    expect(kiosk.stdout()).toBe(`Kiosk ready: ${kiosk.url}\n`);
    const health = await fetch(new URL('/', kiosk.url));
    expect(health.status).toBe(200);
    const origin = new URL(kiosk.url).origin;
    expect(await kiosk.stop('SIGTERM')).toBe(0);
    await expect(fetch(origin)).rejects.toThrow();
  });

  it('also stops cleanly on SIGINT', async () => {
    const kiosk = await startKioskProcess();
    expect(await kiosk.stop('SIGINT')).toBe(0);
  });

  it('uses the portal named by KIOSK_PORTAL_URL instead of starting its own', async () => {
    const kiosk = await startKioskProcess({ KIOSK_PORTAL_URL: 'http://127.0.0.1:9/' });
    expect(kiosk.stderr()).not.toContain('Reference portal');
    expect(await kiosk.stop()).toBe(0);
  });

  it('refuses a wrong configuration with a message that names the key', () => {
    const result = spawnSync(
      process.execPath,
      ['--import', 'tsx', join(projectRoot, 'webhost', 'launcher.ts'), '--web', '--no-open'],
      {
        cwd: projectRoot,
        env: {
          ...process.env,
          KIOSK_DATA_DIR: mkdtempSync(join(tmpdir(), 'kiosk-launch-')),
          KIOSK_IDLE_TIMEOUT_SECONDS: 'never',
        },
        encoding: 'utf8',
      },
    );
    expect(result.status).toBe(78);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('session.idleTimeoutSeconds');
    expect(result.stderr).toContain('KIOSK_IDLE_TIMEOUT_SECONDS');
  });
});
