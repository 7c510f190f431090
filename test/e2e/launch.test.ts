import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../core/config.ts';
import { createKiosk, type Kiosk } from '../../core/kiosk.ts';
import { TOKEN_STORAGE_KEY } from '../../renderer/transport/launch-token.ts';
import { startWebHost, type WebHost } from '../../webhost/server.ts';
import { launchChromium } from '../support/chromium.ts';
import { projectRoot } from '../support/kiosk-process.ts';

/**
 * The page as the launcher opens it: a one-time launch code in the fragment, exchanged for the
 * token, which survives a reload in the tab's sessionStorage.
 */

let dataDir: string;
let kiosk: Kiosk;
let host: WebHost;
let browser: Browser;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'kiosk-launch-e2e-'));
  const config = loadConfig({
    env: {
      KIOSK_DATA_DIR: dataDir,
      KIOSK_PORTAL_URL: 'http://127.0.0.1:9/',
      KIOSK_PORTAL_ALLOW_LOOPBACK_HTTP: '1',
    },
  });
  kiosk = createKiosk({ ...config, readers: { ...config.readers, simulate: true } });
  host = await startWebHost({ kiosk, rendererDir: join(projectRoot, 'dist', 'renderer') });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await host?.close();
  await kiosk?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the launch code in a real browser', () => {
  it('is exchanged for the token, which a reload keeps; a second tab with the spent code gets no socket', async () => {
    const launchUrl = host.launchUrl();
    const page = await browser.newPage({ viewport: { width: 1080, height: 1920 }, hasTouch: true });
    await page.goto(launchUrl);
    await expect.poll(() => page.url()).toBe(`${host.origin}/`);
    await expect.poll(() => host.connections).toBe(1);
    expect(await page.evaluate((key) => sessionStorage.getItem(key), TOKEN_STORAGE_KEY)).toBe(host.token);

    await page.reload();
    // the page asks the host whether the terminal is enrolled (it is not here, so it shows
    // "out of service"): the socket is up
    await page.getByRole('heading', { name: 'Außer Betrieb' }).waitFor();
    await expect.poll(() => host.connections).toBe(1);

    const other = await browser.newPage();
    await other.goto(launchUrl);
    await expect.poll(() => other.url()).toBe(`${host.origin}/`);
    expect(await other.evaluate((key) => sessionStorage.getItem(key), TOKEN_STORAGE_KEY)).toBeNull();
    expect(host.connections).toBe(1);
    await other.close();
    await page.close();
  });
});
