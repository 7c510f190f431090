import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/chromium.ts';
import { type KioskProcess, startKioskProcess } from '../support/kiosk-process.ts';

let kiosk: KioskProcess;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  // A short idle timeout, set through the configuration like an administrator would, and one
  // service switched off in the terminal's own configuration file.
  const file = join(mkdtempSync(join(tmpdir(), 'kiosk-skeleton-')), 'config.json');
  writeFileSync(file, JSON.stringify({ services: { disabled: ['commitment-company'] } }));
  kiosk = await startKioskProcess({
    KIOSK_CONFIG: file,
    KIOSK_IDLE_TIMEOUT_SECONDS: '6',
    KIOSK_IDLE_WARNING_SECONDS: '3',
  });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1080, height: 1920 }, hasTouch: true });
});

afterAll(async () => {
  await browser?.close();
  const code = await kiosk?.stop();
  expect(code).toBe(0);
});

describe('walking skeleton in a real browser', () => {
  it('prints exactly one line on stdout', () => {
    expect(kiosk.stdout()).toBe(`Kiosk ready: ${kiosk.url}\n`);
  });

  it('goes from the attract screen to the menu in English', async () => {
    await page.goto(kiosk.url);
    // The launch token is taken out of the address bar at once.
    await page.waitForFunction(() => !window.location.href.includes('token'));
    await page.getByRole('button', { name: /Beginnen/ }).click();
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'What would you like to do?' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');

    for (const title of [
      'Activate your service account',
      'Declaration of commitment as a private person',
      'Declaration of commitment as a company',
      'Residence permit and electronic residence permit card',
      'Status of my application',
      'Ask for a call-back',
      'Information and checklists',
    ]) {
      await page.getByRole('button', { name: title }).waitFor();
    }
  });

  it('says where to go instead for a service switched off here', async () => {
    await page.getByRole('button', { name: 'Declaration of commitment as a company' }).click();
    const dialog = page.getByRole('dialog', { name: 'Declaration of commitment as a company' });
    await dialog.getByText('Where you can do this').waitFor();
    await dialog.getByText(/Online in the city's service portal/).waitFor();
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'detached' });
  });

  it('warns before the idle timeout, then returns to the attract screen with nothing of the session left', async () => {
    await page.getByRole('alertdialog', { name: 'Are you still there?' }).waitFor({ timeout: 15_000 });
    await page.getByRole('button', { name: /Beginnen/ }).waitFor({ timeout: 15_000 });
    expect(await page.getByRole('heading', { name: 'What would you like to do?' }).count()).toBe(0);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('de');
    // the tab keeps the host's launch token (for a reload) and nothing else
    expect(
      await page.evaluate(() => ({
        local: localStorage.length,
        session: Object.keys(sessionStorage),
      })),
    ).toEqual({
      local: 0,
      session: ['kiosk.launchToken'],
    });
    expect(kiosk.stderr()).toContain('"event":"session.ended","reason":"timeout"');
  });

  it('ends the session at once when the visitor chooses to finish', async () => {
    await page.getByRole('button', { name: /Beginnen/ }).click();
    await page.getByRole('button', { name: 'Deutsch' }).click();
    await page.getByRole('heading', { name: 'Was möchten Sie tun?' }).waitFor();
    await page.getByRole('button', { name: 'Beenden und Daten löschen' }).click();
    // At once: the end screen says the data are gone (it would give way to the start by itself
    // after a while; the visitor's tap on "start again" is not waited for).
    await page.getByRole('heading', { name: 'Vielen Dank' }).waitFor();
    await page.getByText('Ihre Daten wurden von diesem Terminal gelöscht.').waitFor();
    expect(kiosk.stderr()).toContain('"event":"session.ended","reason":"visitor"');
    await page.getByRole('button', { name: 'Neu beginnen' }).click();
    await page.getByRole('button', { name: /Beginnen/ }).waitFor();
  });
});
