import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultCatalog } from '../../core/documents/locale.ts';
import { launchChromium } from '../support/chromium.ts';
import { type KioskProcess, projectRoot, startKioskProcess } from '../support/kiosk-process.ts';
import { pdfFileText } from '../support/pdf.ts';
import { portalApplication, Visit } from './support/application-steps.ts';

/**
 * The two newest visitor languages end to end: a Farsi/Dari visitor and a French visitor each
 * choose their language on the language screen by touch, ask for a call-back, type their name
 * and phone number by taps on the on-screen keyboard, and take home a printed receipt in their
 * language and in German. Every screen is checked with axe; the Farsi screens read right to left;
 * the receipts are read back from the PDFs the folder printer wrote.
 */
const screens = join(projectRoot, 'test-output', 'screens');
mkdirSync(screens, { recursive: true });
const portrait = { width: 1080, height: 1920 } as const;
const base = 'services.callback-request';

let kiosk: KioskProcess;
let browser: Browser;

beforeAll(async () => {
  kiosk = await startKioskProcess({ KIOSK_LANGUAGES: 'de,en,fa,fr' });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  expect(await kiosk?.stop()).toBe(0);
});

/** Whitespace-, isolate- and ZWNJ-free NFKC text: line breaks and pdftotext's spacing do not matter. */
function flat(text: string): string {
  return text.normalize('NFKC').replace(/[\s\u200c\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu, '');
}

/** The one PDF the folder printer wrote since `before` (the names of the files printed before it). */
function newPaper(before: readonly string[]): string {
  const printed = readdirSync(join(kiosk.dataDir, 'printed')).filter(
    (f) => f.endsWith('.pdf') && !before.includes(f),
  );
  expect(printed).toHaveLength(1);
  return join(kiosk.dataDir, 'printed', printed[0] ?? '');
}

function printedSoFar(): string[] {
  try {
    return readdirSync(join(kiosk.dataDir, 'printed'));
  } catch {
    return [];
  }
}

/** A call-back request from the menu to the printed receipt; returns the tracking number shown. */
async function callBack(
  visit: Visit,
  prefix: string,
  person: { lastName: string; firstNames: string; phone: string },
): Promise<string> {
  const { v } = visit;
  await visit.check(`${prefix}-menu`);
  await visit.page.getByRole('button', { name: v.t(`${base}.title`) }).tap();
  await visit.step(base, 'topic');
  await v.choose(base, 'topic', 'residencePermit');
  await v.choose(base, 'urgency', 'normal');
  await visit.check(`${prefix}-topic`);
  await v.next();
  await visit.step(base, 'contact');
  await v.type(base, 'lastName', person.lastName);
  await v.type(base, 'firstNames', person.firstNames);
  await v.type(base, 'phone', person.phone);
  await v.choose(base, 'callLanguage', v.language);
  await v.choose(base, 'timeWindow', 'morning');
  await visit.check(`${prefix}-contact`);
  await v.next();
  await visit.step(base, 'review');
  await visit.shows(person.lastName);
  await visit.check(`${prefix}-review`);
  await v.next();
  await visit.step(base, 'declarations');
  await v.tick(base, 'consentContact');
  await visit.check(`${prefix}-declarations`);
  await v.button('journey.submit').tap();
  await v.heading('result.receiptTitleCallback');
  const tracking = (await visit.page.locator('.tracking-number').textContent()) ?? '';
  await visit.page.getByText(v.t('result.print.printed')).waitFor();
  await visit.check(`${prefix}-receipt`);
  return tracking;
}

describe('Farsi/Dari', () => {
  it('a call-back by touch, right to left, to a Persian and German receipt read back from the PDF', async () => {
    const before = printedSoFar();
    const visit = await Visit.begin(browser, kiosk, 'fa', portrait, screens);
    const { page } = visit;
    // The language screen was passed by a tap on «فارسی / دری»: the page now reads right to left.
    expect(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual([
      'fa',
      'rtl',
    ]);
    await page.getByRole('heading', { name: visit.v.t('menu.title'), exact: true }).waitFor();

    // The name is typed on the Latin page (as in the passport), the phone number on the pad:
    // Latin digits, as the service centre will dial them.
    const tracking = await callBack(visit, 'fa', {
      lastName: 'Rahimi',
      firstNames: 'Zahra',
      phone: '+49 911 5550142',
    });
    expect(tracking).toMatch(/^ST-[0-9A-Z]{10}.$/);
    // The tracking number stays Latin and left to right inside the right-to-left page.
    expect(await page.locator('.tracking-number').getAttribute('dir')).toBe('ltr');
    expect(await page.evaluate(() => document.documentElement.dir)).toBe('rtl');
    await visit.finish('fa-end');
    expect(visit.v.axe.flatMap((f) => f.violations.map((x) => `${f.screen}: ${x.id}`))).toEqual([]);
    await visit.close();

    // The receipt: Persian lines come back from pdftotext whole and in reading order.
    const text = await pdfFileText(newPaper(before));
    const lines = text.split('\n').map(flat);
    const fa = defaultCatalog().get('fa');
    if (!fa.ok) throw new Error('no Persian papers');
    for (const t of [
      fa.value.receipt.title,
      fa.value.receipt.trackingNumber,
      fa.value.receipt.service,
      fa.value.cases['callback-request'].name,
      fa.value.receipt.nextSteps,
    ])
      expect(lines, t).toContain(flat(t));
    // Read back from the page in logical order, not as drawn (right to left, letter by letter).
    expect(flat(text)).toContain(flat('رسید ثبت درخواست'));
    expect(flat(text)).not.toContain(flat([...'رسید ثبت درخواست'].reverse().join('')));
    expect(flat(text)).toContain(tracking);
    expect(flat(text)).toContain(flat(defaultCatalog().german.cases['callback-request'].name));

    const received = await portalApplication(kiosk, tracking);
    expect(received.application.language).toBe('fa');
    expect(received.application.values).toMatchObject({
      lastName: 'Rahimi',
      firstNames: 'Zahra',
      callLanguage: 'fa',
      timeWindow: 'morning',
    });
  });
});

describe('French', () => {
  it('a call-back by touch on the AZERTY keyboard, to a French and German receipt', async () => {
    const before = printedSoFar();
    const visit = await Visit.begin(browser, kiosk, 'fr', portrait, screens);
    expect(
      await visit.page.evaluate(() => [document.documentElement.lang, document.documentElement.dir]),
    ).toEqual(['fr', 'ltr']);
    // "Hélène" needs é and è: both are keys of the AZERTY page.
    const tracking = await callBack(visit, 'fr', {
      lastName: 'Kamara',
      firstNames: 'Hélène',
      phone: '+49 911 5550177',
    });
    await visit.finish('fr-end');
    expect(visit.v.axe.flatMap((f) => f.violations.map((x) => `${f.screen}: ${x.id}`))).toEqual([]);
    await visit.close();

    const text = flat(await pdfFileText(newPaper(before)));
    const fr = defaultCatalog().get('fr');
    if (!fr.ok) throw new Error('no French papers');
    for (const t of [
      fr.value.receipt.title,
      fr.value.cases['callback-request'].name,
      fr.value.receipt.callbackHint,
      tracking,
      defaultCatalog().german.receipt.title,
    ])
      expect(text, t).toContain(flat(t));

    const received = await portalApplication(kiosk, tracking);
    expect(received.application.language).toBe('fr');
    expect(received.application.values).toMatchObject({ firstNames: 'Hélène', callLanguage: 'fr' });
  });
});
