import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../common/clock.ts';
import { loadConfig } from '../../../core/config.ts';
import type { Kiosk } from '../../../core/kiosk.ts';
import { silentLogger } from '../../../core/log.ts';
import { type RunningPortal, startPortal } from '../../../portal/server.ts';
import type { AssembledTerminal } from '../../../sync/terminal.ts';
import { pooledAuthorityKeys } from '../../support/authority-keys.ts';
import { launchChromium } from '../../support/chromium.ts';
import { heldTerminal, pinnedKioskEnv, startKioskAtOwnTime } from '../../support/kiosk-terminal.ts';

/**
 * The fleet page in a real Chromium: two kiosks send their heartbeats with usage figures to the
 * reference portal, an administrator opens the page with the admin token, reads the terminals
 * and the funnels, filters by terminal and by period. The screenshot goes to test-output/.
 */
const projectRoot = fileURLToPath(new URL('../../../', import.meta.url));
const output = join(projectRoot, 'test-output', 'fleet');
const HOUR = 3_600_000;

interface Site {
  kiosk: Kiosk;
  terminal: AssembledTerminal;
  dataDir: string;
}

let portal: RunningPortal;
let browser: Browser;
const sites: Site[] = [];
// the kiosks' time: two hours ago, inside the last 24 hours but not this hour
const clock = new ManualClock(Math.floor(Date.now() / HOUR) * HOUR - 2 * HOUR + 5 * 60_000);

async function site(location: string): Promise<Site> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kiosk-fleet-'));
  const env = {
    ...pinnedKioskEnv(portal, dataDir),
    KIOSK_PRINTER_KIND: 'none',
    KIOSK_TERMINAL_LOCATION: location,
  };
  const config = loadConfig({ env });
  const kiosk = await startKioskAtOwnTime(
    { ...config, portal: { ...config.portal, url: portal.url } },
    { log: silentLogger, enrolmentCode: portal.createEnrolmentCode(), env, clock },
  );
  await kiosk.started;
  const made = { kiosk, terminal: heldTerminal(kiosk), dataDir };
  sites.push(made);
  return made;
}

async function call(kiosk: Kiosk, name: string, input: unknown = {}): Promise<void> {
  const answer = (await kiosk.router.dispatch(name as never, input as never)) as {
    ok: boolean;
    error?: { code: string };
  };
  if (!answer.ok) throw new Error(`${name}: ${answer.error?.code}`);
}

async function callback(kiosk: Kiosk, language: string, complete: boolean): Promise<void> {
  await call(kiosk, 'session.start', { language });
  await call(kiosk, 'journey.start', { serviceId: 'callback-request' });
  await call(kiosk, 'journey.step', { values: { topic: 'appointment', urgency: 'normal' } });
  if (complete) {
    await call(kiosk, 'journey.step', {
      values: { lastName: 'Yılmaz', phone: '+49 341 1234567', callLanguage: 'tr', timeWindow: 'any' },
    });
    await call(kiosk, 'journey.step', { values: {} });
    await call(kiosk, 'journey.step', { values: { consentContact: true } });
    await call(kiosk, 'journey.submit');
  } else {
    await call(kiosk, 'staff.call');
  }
  clock.advance(40_000);
  await call(kiosk, 'session.end', { reason: 'visitor' });
}

beforeAll(async () => {
  portal = await startPortal({ authorityKeySource: pooledAuthorityKeys(), seed: 11 });
  const mitte = await site('Bürgeramt Mitte');
  const foyer = await site('Ausländerbehörde Foyer');
  await callback(mitte.kiosk, 'de', true);
  await callback(mitte.kiosk, 'de', true);
  await callback(mitte.kiosk, 'en', false);
  await call(foyer.kiosk, 'session.start', { language: 'tr' });
  await call(foyer.kiosk, 'journey.start', { serviceId: 'information' });
  clock.advance(20_000);
  await call(foyer.kiosk, 'session.end', { reason: 'visitor' });
  for (const s of sites) expect((await s.terminal.heartbeat.beat()).ok).toBe(true);
  browser = await launchChromium();
  mkdirSync(output, { recursive: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  for (const s of sites) {
    await s.kiosk.close();
    rmSync(s.dataDir, { recursive: true, force: true });
  }
  await portal?.close();
});

async function open(token: string): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 1600 } });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && !/401/.test(m.text())) problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(`${portal.url}/admin/fleet#token=${encodeURIComponent(token)}`);
  return { page, problems };
}

function funnel(page: Page, service: string) {
  return page.getByRole('figure', { name: `Funnel ${service}` });
}

async function bar(page: Page, figure: string, label: string): Promise<string | null> {
  return page
    .getByRole('figure', { name: figure })
    .getByRole('listitem', { name: new RegExp(`^${label}: \\d+$`) })
    .getAttribute('aria-label');
}

describe('the fleet page', () => {
  it('shows the terminals and the usage as funnels, filterable by terminal and period', async () => {
    const { page, problems } = await open(portal.adminToken);
    const table = page.getByRole('table', { name: 'Terminals' });
    await table.getByRole('row', { name: /Bürgeramt Mitte/ }).waitFor();
    // the token left the address bar
    expect(page.url()).not.toContain(portal.adminToken);
    const rows = table.getByRole('row');
    expect(await rows.count()).toBe(3); // header and two terminals
    const cells = await table
      .getByRole('row', { name: /Bürgeramt Mitte/ })
      .getByRole('cell')
      .allTextContents();
    // health, alarms, queue, oldest item, printer, readers missing, last heartbeat, version
    expect(cells[0]).toBe('ok');
    expect(cells[1]).toBe('–');
    expect(cells[4]).toBe('none');
    expect(cells[5]).toBe('–');
    expect(cells[6]).toMatch(/^\d+ s ago$/);

    const figure = async (name: string) =>
      page
        .getByRole('term')
        .filter({ hasText: new RegExp(`^${name}$`) })
        .locator('xpath=following-sibling::dd')
        .textContent();
    expect(await figure('Sessions')).toBe('4');
    expect(await figure('Journeys started')).toBe('4');
    expect(await figure('Completed')).toBe('2');
    expect(await figure('Abandoned')).toBe('2');
    expect(await figure('Staff called')).toBe('1');
    expect(await figure('Without printer')).toBe('2');
    expect(await page.getByLabel('Admin token').isVisible()).toBe(false);

    expect(await bar(page, 'Funnel callback-request', 'Started')).toBe('Started: 3');
    expect(await bar(page, 'Funnel callback-request', 'Reached contact')).toBe('Reached contact: 3');
    expect(await bar(page, 'Funnel callback-request', 'Reached review')).toBe('Reached review: 2');
    expect(await bar(page, 'Funnel callback-request', 'Completed')).toBe('Completed: 2');
    expect(await bar(page, 'Funnel callback-request', 'Left at contact')).toBe('Left at contact: 1');
    expect(await bar(page, 'Funnel information', 'Left at topic')).toBe('Left at topic: 1');
    expect(await bar(page, 'Journeys by language', 'de')).toBe('de: 2');
    expect(await bar(page, 'Journeys by language', 'tr')).toBe('tr: 1');
    expect(await bar(page, 'Guest or signed in', 'Guest')).toBe('Guest: 4');
    expect(await bar(page, 'Session durations', '≤1 min')).toBe('≤1 min: 3');
    expect(await bar(page, 'Session durations', '≤30 s')).toBe('≤30 s: 1');

    const accessibility = await new AxeBuilder({ page }).analyze();
    expect(
      accessibility.violations.map((v) => `${v.id}: ${v.nodes.length}`),
      'axe-core findings',
    ).toEqual([]);
    const shot = join(output, 'fleet-all.png');
    await page.screenshot({ path: shot, fullPage: true });
    const png = PNG.sync.read(readFileSync(shot));
    expect(png.width).toBe(1280);
    expect(png.height).toBeGreaterThan(900);

    // one terminal: only its figures
    const foyerId = sites[1]?.terminal.enrolment.terminalId as string;
    await page.getByRole('combobox', { name: 'Terminal' }).selectOption(foyerId);
    await funnel(page, 'callback-request').waitFor({ state: 'detached' });
    expect(await figure('Sessions')).toBe('1');
    expect(await bar(page, 'Funnel information', 'Started')).toBe('Started: 1');
    await page.screenshot({ path: join(output, 'fleet-one-terminal.png'), fullPage: true });

    // this hour only: the kiosks counted two hours ago
    await page.getByRole('combobox', { name: 'Terminal' }).selectOption('');
    await page.getByRole('combobox', { name: 'Period' }).selectOption('1');
    await page.getByText('No journeys in this period.').waitFor();
    expect(await figure('Sessions')).toBe('0');
    await page.getByRole('combobox', { name: 'Period' }).selectOption('168');
    await funnel(page, 'callback-request').waitFor();
    expect(await figure('Sessions')).toBe('4');
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('asks for the token when the one given is wrong, and works with the right one', async () => {
    const { page, problems } = await open('not-the-token');
    await page.getByRole('status').filter({ hasText: 'The admin token was not accepted.' }).waitFor();
    expect(await page.getByRole('table').count()).toBe(0);
    await page.getByLabel('Admin token').fill(portal.adminToken);
    await page.getByRole('button', { name: 'Show the fleet' }).click();
    await page.getByRole('table', { name: 'Terminals' }).waitFor();
    expect(await page.getByLabel('Admin token').inputValue()).toBe('');
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('is served with a policy that allows no other origin and no inline script', async () => {
    const answer = await fetch(`${portal.url}/admin/fleet`);
    expect(answer.status).toBe(200);
    const policy = answer.headers.get('content-security-policy') ?? '';
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain("script-src 'self'");
    expect(policy).not.toContain('unsafe-inline');
    const html = await answer.text();
    expect(html).not.toMatch(/<script>(?!<\/script>)/);
    expect(html).not.toMatch(/https?:\/\//);
  });
});
