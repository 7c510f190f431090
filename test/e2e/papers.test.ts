import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultAuthorityFacts } from '../../core/authority.ts';
import { checklistFor } from '../../core/documents/checklists.ts';
import { defaultCatalog } from '../../core/documents/locale.ts';
import { launchChromium } from '../support/chromium.ts';
import { type KioskProcess, projectRoot, startKioskProcess } from '../support/kiosk-process.ts';
import { passportMrz } from '../support/passport.ts';
import { pdfFileText } from '../support/pdf.ts';
import { portalApplication, Visit } from './support/application-steps.ts';

/**
 * What a visitor types and takes home: a German address and employer typed by taps in an English
 * session (the umlauts, ß and address punctuation are on every Latin keyboard page), the
 * checklist on screen, and the printed receipt of a first permit read back from its PDF.
 */
const screens = join(projectRoot, 'test-output', 'screens');
mkdirSync(screens, { recursive: true });
const portrait = { width: 1080, height: 1920 } as const;

let kiosk: KioskProcess;
let browser: Browser;

beforeAll(async () => {
  kiosk = await startKioskProcess({ KIOSK_LANGUAGES: 'de,en,tr,uk,ru,ar' });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  expect(await kiosk?.stop()).toBe(0);
});

describe('an English application with a German address and employer', () => {
  it('types "Königstraße 12/1" and "Müller & Co. KG" by taps and files them unchanged', async () => {
    const visit = await Visit.begin(browser, kiosk, 'en', portrait, screens);
    const { v } = visit;
    const base = 'services.residence-permit';
    await visit.openService(base);

    await visit.step(base, 'request');
    await v.choose(base, 'request', 'permit');
    await v.choose(base, 'permitRequest', 'firstPermit');
    await v.choose(base, 'currentTitle', 'visa');
    await v.choose(base, 'purpose', 'employment');
    await v.type(base, 'employerName', 'Müller & Co. KG');
    await v.type(base, 'jobTitle', 'Technician, night shift');
    await v.type(base, 'grossSalary', '3900');
    await v.next();

    await visit.step(base, 'personal');
    await visit.present(
      passportMrz({
        state: 'BRA',
        last: 'SILVA',
        first: 'ANA<MARIA',
        number: 'FX1234567',
        birth: '980704',
        sex: 'F',
        expiry: '330520',
      }),
    );
    await visit.shows('Silva');
    await v.next();
    await visit.federalFormSteps(base, { place: 'Recife', country: 'BRA' });

    await visit.step(base, 'address');
    await v.type(base, 'street', 'Königstraße');
    await v.type(base, 'houseNumber', '12/1');
    await v.type(base, 'postcode', '90402');
    await v.type(base, 'city', 'Nürnberg');
    await v.type(base, 'phone', '+49 911 5550123');
    await visit.check('papers-en-address');
    await v.next();

    await visit.step(base, 'photo');
    await v.choose(base, 'photoSource', 'station');
    await v.next();
    await visit.step(base, 'card');
    await v.choose(base, 'pickupBy', 'self');
    await v.next();
    await visit.step(base, 'fee');
    await v.next();
    // The screen's list is the first permit's, from the core: the receipt prints the same.
    await visit.step(base, 'checklist');
    const onScreen = await visit.page.locator('ul.checklist li').allTextContents();
    expect(onScreen).toEqual(
      checklistFor('residence-permit-first', { purpose: 'employment' }, 'en', defaultAuthorityFacts),
    );
    await v.next();
    await visit.step(base, 'review');
    await visit.shows('Müller & Co. KG');
    await visit.shows('Königstraße');
    await v.next();
    await visit.step(base, 'declarations');
    await v.tick(base, 'truthful');
    await v.tick(base, 'privacy');
    const tracking = await visit.submitForReceipt();
    await visit.finish('papers-en-end');
    await visit.close();

    // The receipt the folder printer wrote: the first permit's title and list, English and German.
    const printed = readdirSync(join(kiosk.dataDir, 'printed')).filter((f) => f.endsWith('.pdf'));
    expect(printed).toHaveLength(1);
    const paper = flat(await pdfFileText(join(kiosk.dataDir, 'printed', printed[0] ?? '')));
    const en = defaultCatalog().get('en');
    if (!en.ok) throw new Error('no English papers');
    const de = defaultCatalog().german;
    for (const text of [
      tracking,
      en.value.cases['residence-permit-first'].name,
      de.cases['residence-permit-first'].name,
      ...onScreen,
    ])
      expect(paper, text).toContain(flat(text));
    for (const other of [
      en.value.cases['residence-permit-extension'].name,
      de.cases['residence-permit-extension'].name,
    ])
      expect(paper).not.toContain(flat(other));

    const received = await portalApplication(kiosk, tracking);
    expect(received.application.language).toBe('en');
    expect(received.application.values).toMatchObject({
      permitRequest: 'firstPermit',
      employerName: 'Müller & Co. KG',
      jobTitle: 'Technician, night shift',
      street: 'Königstraße',
      houseNumber: '12/1',
      city: 'Nürnberg',
    });
  });
});

/** Whitespace-, hyphen- and isolate-free NFKC text: line breaks and pdftotext's spacing do not matter. */
function flat(text: string): string {
  return text.normalize('NFKC').replace(/[\s\u2066-\u2069-]/gu, '');
}
