import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultCatalog } from '../../core/documents/locale.ts';
import { publicServices } from '../../sync/protocol/datasets.ts';
import { launchChromium } from '../support/chromium.ts';
import { type KioskProcess, projectRoot, startKioskProcess } from '../support/kiosk-process.ts';
import { passportMrz } from '../support/passport.ts';
import { pdfText, squash } from '../support/pdf.ts';
import { inDays, portalApplication, portalSummaryPdf, Visit } from './support/application-steps.ts';

/**
 * The residence-permit tracks of issue 15, by touch to a receipt: a settlement permit in German,
 * and temporary protection for a child in Ukrainian (the parent's document first, the child as
 * the applicant, fingerprints from six). Each is delivered only when its data set holds against
 * the published schema at the portal; the summary the portal filed is read back.
 */
const screens = join(projectRoot, 'test-output', 'screens');
mkdirSync(screens, { recursive: true });
const portrait = { width: 1080, height: 1920 } as const;
const base = 'services.residence-permit';

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

/** The steps after the request and the documents: address, photo, card, fee, then to the receipt. */
async function toReceipt(
  visit: Visit,
  screen: string,
  wording?: string,
): Promise<{ tracking: string; notes: string[] }> {
  const { v } = visit;
  await visit.step(base, 'address');
  await v.type(base, 'street', 'Hauptstraße');
  await v.type(base, 'houseNumber', '5');
  await v.type(base, 'postcode', '90402');
  await v.type(base, 'city', 'Nürnberg');
  await v.type(base, 'phone', '+49 911 5550123');
  await v.next();
  await visit.step(base, 'photo', wording);
  await v.choose(base, 'photoSource', 'station');
  await v.next();
  await visit.step(base, 'card', wording);
  await v.choose(base, 'pickupBy', 'self');
  await v.next();
  await visit.step(base, 'fee');
  await v.heading('assessment.title');
  await visit.check(`${screen}-fee`);
  const notes = await visit.page.locator('.assessment-note').allTextContents();
  await v.next();
  await visit.step(base, 'checklist');
  await v.next();
  await visit.step(base, 'review');
  await v.next();
  await visit.step(base, 'declarations');
  await v.tick(base, 'truthful');
  await v.tick(base, 'privacy');
  const tracking = await visit.submitForReceipt();
  await visit.finish(`${screen}-end`);
  // every screen of the run, checked with axe on the way
  expect(v.axe.filter((f) => f.violations.length > 0)).toEqual([]);
  await visit.close();
  return { tracking, notes };
}

/** The summary the portal filed, read back as text, with the data set's header and these texts. */
async function summaryHas(tracking: string, texts: readonly string[]): Promise<void> {
  const text = squash(await pdfText(portalSummaryPdf(kiosk, tracking)));
  const service = publicServices['residence-permit'];
  for (const t of [tracking, service?.leikaKey ?? '', service?.schemaUri ?? '', ...texts])
    expect(text, t).toContain(squash(t));
}

describe('residence-permit tracks by touch', () => {
  it('a settlement permit in German', async () => {
    const visit = await Visit.begin(browser, kiosk, 'de', portrait, screens);
    const { v } = visit;
    await visit.openService(base);
    await visit.step(base, 'request');
    await v.choose(base, 'request', 'settlement');
    await v.choose(base, 'currentTitle', 'residencePermit');
    await v.type(base, 'settlementYears', '6');
    await v.type(base, 'pensionMonths', '72');
    await v.choose(base, 'germanLevel', 'b1');
    await visit.check('track-settlement-request');
    await v.next();
    await visit.step(base, 'personal');
    await visit.present(
      passportMrz({
        state: 'IND',
        last: 'RAO',
        first: 'PRIYA',
        number: 'Z1234567',
        birth: '880412',
        sex: 'F',
        expiry: '320101',
      }),
    );
    await visit.shows('Rao');
    await v.next();
    const federal = await visit.federalFormSteps(base, { place: 'Pune', country: 'IND' });
    const { tracking } = await toReceipt(visit, 'track-settlement');

    const received = await portalApplication(kiosk, tracking);
    expect(received.application.values).toMatchObject({
      request: 'settlement',
      settlementYears: '6',
      ...federal,
    });
    await summaryHas(tracking, ['Niederlassungserlaubnis (§ 9 AufenthG)', 'Rao', 'Pune', '72']);
  });

  it('temporary protection for a child, in Ukrainian', async () => {
    const visit = await Visit.begin(browser, kiosk, 'uk', portrait, screens);
    const { v } = visit;
    await visit.openService(base);
    await visit.step(base, 'request');
    await v.choose(base, 'request', 'temporaryProtection');
    await v.choose(base, 'applicantRole', 'child');
    await v.choose(base, 'currentTitle', 'none');
    await v.choose(base, 'protectionGround', 'ukrainianNational');
    await v.date(base, 'entryDate', inDays(-120));
    await v.next();
    // E10: the parent first, from their own passport; then the child is the applicant.
    await visit.step(base, 'representative');
    await visit.present(
      passportMrz({
        state: 'UKR',
        last: 'SHEVCHENKO',
        first: 'OKSANA',
        number: 'FA123456',
        birth: '860305',
        sex: 'F',
        expiry: '310101',
      }),
    );
    await visit.shows('Shevchenko');
    await v.choose(base, 'representativeRelation', 'mother');
    await v.choose(base, 'soleCustody', 'yes');
    await visit.check('track-child-representative');
    await v.next();
    await visit.step(base, 'personal', 'child');
    await visit.present(
      passportMrz({
        state: 'UKR',
        last: 'SHEVCHENKO',
        first: 'DANYLO',
        number: 'FA654321',
        birth: '150910',
        sex: 'M',
        expiry: '300101',
      }),
    );
    await visit.shows('Danylo');
    await v.next();
    await visit.federalFormSteps(base, { place: 'Kharkiv', country: 'UKR' });
    const { tracking, notes } = await toReceipt(visit, 'track-child', 'child');
    // a child of eleven comes in person for the fingerprints; § 24: no fee
    expect(notes).toContain(v.t('assessment.childAttendsForFingerprints'));
    expect(notes.join('\n')).toContain(v.t('assessment.items.protection_exempt'));

    const received = await portalApplication(kiosk, tracking);
    // the child is the applicant: the status lookup goes by the child's birth date
    expect(received.birthDate).toBe('2015-09-10');
    expect(received.application.values).toMatchObject({
      request: 'temporaryProtection',
      applicantRole: 'child',
      representativeFirstNames: 'Oksana',
      firstNames: 'Danylo',
    });
    await summaryHas(tracking, [
      defaultCatalog().german.cases['temporary-protection'].name.split(' (')[0] ?? '',
      'Gesetzliche Vertretung',
      'Oksana',
      'Danylo',
      'Kharkiv',
    ]);
  });
});
