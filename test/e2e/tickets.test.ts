import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultCatalog } from '../../core/documents/locale.ts';
import { launchChromium } from '../support/chromium.ts';
import { type KioskProcess, startKioskProcess } from '../support/kiosk-process.ts';
import { pdfFileText } from '../support/pdf.ts';
import { KioskPage } from './support/kiosk-page.ts';
import { scanBarcode } from './support/staff-steps.ts';

/**
 * The Service-Center's tickets at the terminal, in one English session: an appointment wish made
 * by touch becomes a ticket whose number is shown and printed, and is then looked up with the
 * status service; the demo invitation letter's QR, scanned at check-in, gives a queue ticket with
 * the QR code of its phone page, printed.
 */
const catalog = defaultCatalog();
const en = (() => {
  const found = catalog.get('en');
  if (!found.ok) throw new Error('en');
  return found.value;
})();

let kiosk: KioskProcess;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  kiosk = await startKioskProcess({ KIOSK_LANGUAGES: 'de,en' });
  browser = await launchChromium();
  page = await (
    await browser.newContext({ viewport: { width: 1080, height: 1920 }, hasTouch: true })
  ).newPage();
});

afterAll(async () => {
  await browser?.close();
  expect(await kiosk?.stop()).toBe(0);
});

function printedPapers(): string[] {
  return readdirSync(join(kiosk.dataDir, 'printed')).filter((f) => f.endsWith('.pdf'));
}

async function newPaper(before: readonly string[]): Promise<string> {
  const added = printedPapers().filter((f) => !before.includes(f));
  expect(added).toHaveLength(1);
  return (await pdfFileText(join(kiosk.dataDir, 'printed', added[0] ?? ''))).replace(/\s+/g, ' ');
}

describe('tickets at the terminal', () => {
  it('an appointment wish becomes a printed ticket, looked up again; an invitation checks in', async () => {
    const v = new KioskPage(page, 'en', undefined, 'keys');
    await page.goto(kiosk.url);
    await v.toMenu();

    const wish = 'services.appointment-wish';
    const before = printedPapers();
    await v.tap(page.getByRole('button', { name: v.t(`${wish}.title`) }));
    await v.heading(`${wish}.steps.wish.title`);
    await v.choose(wish, 'topic', 'cardPickup');
    await v.choose(wish, 'unsuitableDay', 'fri');
    await v.next();
    await v.heading(`${wish}.steps.contact.title`);
    await v.type(wish, 'phone', '+49 911 5550123');
    await v.choose(wish, 'language', 'ar');
    await v.date(wish, 'birthDate', '1991-05-17');
    await v.next();
    await v.heading(`${wish}.steps.declarations.title`);
    await v.tick(wish, 'consentContact');
    await v.tap(v.button('journey.submit'));
    await page.getByRole('heading', { name: en.ticket.title, exact: true }).waitFor();
    await page.getByRole('status').filter({ hasText: en.ticket.status.open }).waitFor();
    await page.getByText(v.t('result.printed.printed')).waitFor();
    const ticketNumber = (await page.locator('.tracking-number').textContent()) ?? '';
    expect(ticketNumber).toMatch(/^SC-\d{6}$/);
    await page.getByText('These weekdays do not suit me: Friday.', { exact: true }).waitFor();
    await v.check('ticket-made');
    const paper = await newPaper(before);
    expect(paper).toContain(ticketNumber);
    expect(paper).toContain('Collecting the card');
    await v.tap(v.button('result.menu'));
    await v.heading('menu.title');

    const status = 'services.application-status';
    await v.tap(page.getByRole('button', { name: v.t(`${status}.title`) }));
    await v.heading(`${status}.steps.lookup.title`);
    await v.type(status, 'trackingNumber', ticketNumber);
    await v.date(status, 'birthDate', '1991-05-17');
    await v.tap(v.button('journey.submit'));
    await page.getByRole('heading', { name: en.ticket.title, exact: true }).waitFor();
    await page.getByRole('status').filter({ hasText: en.ticket.status.open }).waitFor();
    await page.locator('.tracking-number').filter({ hasText: ticketNumber }).waitFor();
    await v.tap(v.button('result.menu'));
    await v.heading('menu.title');

    const qr = /^Demo invitation QR: (\S+)$/m.exec(kiosk.stderr())?.[1];
    if (!qr) throw new Error('the demo portal printed no invitation QR');
    const checkIn = 'services.check-in';
    const beforeCheckIn = printedPapers();
    await v.tap(page.getByRole('button', { name: v.t(`${checkIn}.title`) }));
    await v.heading(`${checkIn}.steps.arrival.title`);
    await scanBarcode(kiosk.url, qr, 'qr');
    await page
      .getByRole('textbox', { name: v.t(`${checkIn}.fields.invitation.label`) })
      .filter({ hasText: /^ABH-\d{4}-\d{6}$/ })
      .waitFor();
    await v.tap(v.button('journey.submit'));
    await page.getByRole('heading', { name: en.queue.title, exact: true }).waitFor();
    await page.locator('.tracking-number').filter({ hasText: 'A-001' }).waitFor();
    await page.getByRole('img', { name: v.t('result.followQr') }).waitFor();
    await page.getByText(v.t('result.printed.printed')).waitFor();
    await v.check('queue-ticket');
    expect(await newPaper(beforeCheckIn)).toContain('A-001');
    await v.tap(v.button('common.exit'));
    expect(v.axe.flatMap((f) => f.violations.map((x) => `${f.screen}: ${x.id}`))).toEqual([]);
  });
});
