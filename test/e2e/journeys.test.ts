import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/chromium.ts';
import { type KioskProcess, projectRoot, startKioskProcess } from '../support/kiosk-process.ts';
import { passportMrz } from '../support/passport.ts';
import {
  inDays,
  lastSignInCode,
  leftBehind,
  portalApplication,
  referencePortalAdminToken,
} from './support/application-steps.ts';
import { type AxeFinding, KioskPage, type Typing, tapsIn, visitorAtMenu } from './support/kiosk-page.ts';
import { presentDocument } from './support/staff-steps.ts';

/**
 * Every journey, by touch alone, in German, English and Arabic, portrait and landscape, with the
 * simulated readers: screens checked with axe-core (screenshots in test-output/screens with
 * KIOSK_SCREENSHOTS=1), text typed by taps in one language and orientation per journey, and
 * after each session nothing the visitor typed or a reader read is left in the page, its storage
 * or the terminal's data folder.
 */
const languages = ['de', 'en', 'ar'] as const;
const viewports = [
  { width: 1080, height: 1920 },
  { width: 1920, height: 1080 },
] as const;
const screens = join(projectRoot, 'test-output', 'screens');
mkdirSync(screens, { recursive: true });

let kiosk: KioskProcess;
let browser: Browser;
const findings: AxeFinding[] = [];
const timings: { journey: string; language: string; viewport: string; ms: number }[] = [];

beforeAll(async () => {
  kiosk = await startKioskProcess({
    KIOSK_LANGUAGES: 'de,de-x-ls,en,tr,uk,ru,ar',
    KIOSK_REFERENCE_PORTAL_ADMIN_TOKEN: referencePortalAdminToken,
  });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  expect(await kiosk?.stop()).toBe(0);
  for (const t of timings)
    console.log(`journey ${t.journey} ${t.language} ${t.viewport}: ${t.ms} ms from first tap to result`);
});

/** The page's direction, and the navigation mirrored with it: "back" is on the reading start side. */
async function expectDirection(v: KioskPage, dir: 'ltr' | 'rtl'): Promise<void> {
  expect(await v.page.evaluate(() => document.documentElement.dir)).toBe(dir);
  const back = await v.button('journey.back').boundingBox();
  const next = await v.button('journey.next').boundingBox();
  if (!back || !next) throw new Error('navigation buttons not visible');
  if (dir === 'rtl') expect(back.x).toBeGreaterThan(next.x);
  else expect(back.x).toBeLessThan(next.x);
}

function begin(page: Page, language: string, typing: Typing = 'keys'): Promise<KioskPage> {
  return visitorAtMenu(page, kiosk.url, language, screens, typing);
}

async function finish(visitor: KioskPage): Promise<void> {
  await visitor.button('result.done').tap();
  await visitor.heading('end.title');
  await visitor.page.getByText(visitor.t('end.deleted')).waitFor();
  await visitor.check('end');
}

for (const language of languages) {
  for (const viewport of viewports) {
    const label = `${language} ${viewport.width}x${viewport.height}`;
    describe(`journeys in ${label}`, () => {
      it('asks for a call-back and leaves with a receipt', async () => {
        const page = await (await browser.newContext({ viewport, hasTouch: true })).newPage();
        const v = await begin(
          page,
          language,
          tapsIn({ language: 'en', width: 1920, height: 1080 }, language, viewport),
        );
        const started = Date.now();
        const base = 'services.callback-request';
        await v.check('menu');
        await v.button('privacy.more').tap();
        const notice = v.page.getByRole('dialog', { name: v.t('privacy.title'), exact: true });
        await notice.waitFor();
        await v.check('privacy');
        await notice.getByRole('button', { name: v.t('menu.close'), exact: true }).tap();
        // Larger text and high contrast for this visitor only.
        await v.button('accessibility.open').tap();
        await v.page.getByRole('checkbox', { name: v.t('accessibility.largeText'), exact: true }).tap();
        await v.page.getByRole('checkbox', { name: v.t('accessibility.highContrast'), exact: true }).tap();
        await v.page.getByRole('checkbox', { name: v.t('accessibility.moreTime'), exact: true }).tap();
        await v.page
          .getByRole('checkbox', { name: v.t('accessibility.moreTime'), exact: true, checked: true })
          .waitFor();
        await v.check('accessibility');
        await v.page
          .getByRole('dialog')
          .getByRole('button', { name: v.t('menu.close'), exact: true })
          .tap();
        expect(await v.page.evaluate(() => document.documentElement.className)).toBe(
          'large-text high-contrast',
        );
        await v.page.getByRole('button', { name: v.t(`${base}.title`) }).tap();
        await v.heading(`${base}.steps.topic.title`);
        await v.next();
        await v.page.getByText(v.t('validation.choose_one')).first().waitFor();
        await v.check('callback-topic-errors');
        await v.choose(base, 'topic', 'appointment');
        await v.choose(base, 'urgency', 'deadline');
        await v.date(base, 'deadline', '2031-05-04');
        await v.next();
        await v.heading(`${base}.steps.contact.title`);
        await v.type(base, 'lastName', 'Kovalenko');
        await v.type(base, 'firstNames', 'Olena');
        await v.type(base, 'phone', '+49 341 9876543');
        await v.choose(base, 'callLanguage', 'uk');
        await v.choose(base, 'timeWindow', 'any');
        await v.check('callback-contact');
        await expectDirection(v, language === 'ar' ? 'rtl' : 'ltr');
        await v.next();
        await v.heading(`${base}.steps.review.title`);
        await v.page.getByText('Kovalenko', { exact: true }).waitFor();
        await v.check('callback-review');
        await v.next();
        await v.heading(`${base}.steps.declarations.title`);
        await v.button('journey.submit').tap();
        await v.page.getByText(v.t('validation.must_accept')).waitFor();
        await v.tick(base, 'consentContact');
        await v.check('callback-declarations');
        await v.button('journey.submit').tap();
        await v.heading('result.receiptTitleCallback');
        const tracking = await v.page.locator('.tracking-number').textContent();
        expect(tracking).toMatch(/^ST-[0-9A-Z]{10}.$/);
        await v.page.getByText(v.t('result.print.printed')).waitFor();
        timings.push({ journey: 'callback', language, viewport: label, ms: Date.now() - started });
        await v.check('receipt');
        await finish(v);
        expect(await leftBehind(page, kiosk.dataDir, ['Kovalenko', 'Olena', '9876543'])).toEqual([]);
        expect(await v.page.evaluate(() => document.documentElement.className)).toBe('');
        findings.push(...v.axe);
        await page.context().close();
      });

      it('declares a commitment for a guest, with both documents read by the reader', async () => {
        const page = await (await browser.newContext({ viewport, hasTouch: true })).newPage();
        // Arabic in portrait: the account name on the Latin page of the Arabic keyboard.
        const v = await begin(
          page,
          language,
          tapsIn({ language: 'ar', width: 1080, height: 1920 }, language, viewport),
        );
        const started = Date.now();
        const base = 'services.commitment-private';
        await v.page.getByRole('button', { name: v.t(`${base}.title`) }).tap();
        await v.heading('identify.title');
        await v.check('identify');
        if (viewport.width < viewport.height) {
          // Signed in with a service account (the application is filed under it); a wrong
          // password first says so and keeps the name.
          await v.signInWithAccount('kemal.demo', 'Wrong-Password-1');
          await v.page.getByText(v.t('identify.errors.invalid_credentials')).waitFor();
          await v.check('identify-error');
          await v.signInWithAccount(null, 'Demo-Konto-2026');
          // The right password is not enough at a public terminal: the code sent to the
          // account's phone is typed on the digit pad (E16). A wrong one first in Arabic only:
          // wrong passwords and codes count against the terminal (5 in 15 minutes).
          await v.heading('identify.code.title');
          await v.page.getByText(v.t('identify.code.text', { phoneHint: '+49 *** **81' })).waitFor();
          await v.check('identify-code');
          const code = await lastSignInCode(kiosk, 'acc-demo-kemal');
          if (language === 'ar') {
            await v.confirmSignInCode(String((Number(code) + 1) % 1_000_000).padStart(6, '0'));
            await v.page.getByText(v.t('identify.errors.code_invalid')).waitFor();
          }
          await v.confirmSignInCode(code);
          await v.heading('identify.signedInTitle');
          await v.page.getByText('Kemal Öztürk').waitFor();
          // A password proves nobody's identity at a public terminal, and the visitor is told (E16).
          await v.page.getByText(v.t('identify.notProof')).waitFor();
          await v.check('identify-signed-in');
          await v.next();
        } else {
          await v.continueAsGuest();
        }
        await v.heading(`${base}.steps.eligibility.title`);
        await v.choose(base, 'livesInCity', 'yes');
        // E6: an answer that rules the declaration out here stops the journey with where to go.
        await v.choose(base, 'livesInCity', 'no');
        await v.choose(base, 'residenceStatus', 'eu');
        await v.choose(base, 'stayLength', 'upTo90Days');
        await v.next();
        await v.page
          .getByRole('alert')
          .getByText(v.t(`${base}.stops.livesElsewhere`))
          .waitFor();
        await v.check('commitment-stop');
        await v.choose(base, 'livesInCity', 'yes');
        await v.next();
        await v.heading(`${base}.steps.liability.title`);
        await v.check('commitment-liability');
        await v.next();
        await v.page.getByText(v.t('validation.must_accept')).waitFor();
        await v.tick(base, 'liabilityAcknowledged');
        await v.next();
        await v.heading(`${base}.steps.guarantor.title`);
        await v.check('commitment-guarantor-reader');
        await presentDocument(
          kiosk.url,
          passportMrz({
            state: 'D<<',
            last: 'MUSTERMANN',
            first: 'ERIKA',
            number: 'C01X00T47',
            birth: '640812',
            sex: 'F',
            expiry: '340228',
          }),
        );
        await v.page.getByText('Mustermann', { exact: true }).waitFor();
        await v.type(base, 'birthPlace', 'Köln');
        await v.check('commitment-guarantor-read');
        await v.next();
        await v.heading(`${base}.steps.address.title`);
        await v.type(base, 'street', 'Lindenweg');
        await v.type(base, 'houseNumber', '12');
        await v.type(base, 'postcode', '04109');
        await v.type(base, 'city', 'Leipzig');
        await v.type(base, 'phone', '+49 341 1234567');
        await v.next();
        await v.heading(`${base}.steps.income.title`);
        await v.choose(base, 'employment', 'employed');
        await v.type(base, 'netIncome', '2400');
        await v.type(base, 'rent', '750');
        await v.type(base, 'dependants', '1');
        await v.check('commitment-income');
        await v.next();
        await v.heading(`${base}.steps.guest.title`);
        await presentDocument(
          kiosk.url,
          passportMrz({
            state: 'TUR',
            last: 'YILMAZ',
            first: 'AYSE',
            number: 'U12345678',
            birth: '900101',
            sex: 'F',
            expiry: '330101',
          }),
        );
        await v.page.getByText('Yilmaz', { exact: true }).waitFor();
        await v.choose(base, 'guestRelation', 'family');
        await v.type(base, 'guestBirthPlace', 'Izmir');
        await v.type(base, 'guestHomeAddress', 'Izmir');
        await v.choose(base, 'coTravellingSpouse', 'no');
        await v.type(base, 'coTravellingChildren', '0');
        await v.next();
        await v.heading(`${base}.steps.stay.title`);
        await v.date(base, 'arrivalDate', inDays(60));
        await v.date(base, 'departureDate', inDays(40));
        await v.choose(base, 'stayPurpose', 'visit');
        await v.choose(base, 'accommodation', 'guarantorHome');
        await v.next();
        await v.page.getByText(v.t('validation.before_other')).waitFor();
        await v.check('commitment-stay-error');
        await v.date(base, 'departureDate', inDays(80));
        await v.next();
        // The estimate against the garnishment limits and the fee, before anything is submitted.
        await v.heading(`${base}.steps.estimate.title`);
        await v.heading('assessment.title');
        await v.page.locator('.assessment-note.ok, .assessment-note.warning').first().waitFor();
        await v.check('commitment-estimate');
        await v.next();
        await v.heading(`${base}.steps.checklist.title`);
        await v.check('commitment-checklist');
        await v.next();
        await v.heading(`${base}.steps.review.title`);
        await v.page.getByText('Lindenweg', { exact: true }).waitFor();
        await v.check('commitment-review');
        await v.next();
        await v.heading(`${base}.steps.declarations.title`);
        await v.tick(base, 'truthful');
        await v.tick(base, 'privacy');
        await v.button('journey.submit').tap();
        await v.heading('result.receiptTitle');
        await v.page.getByText(v.t('result.print.printed')).waitFor();
        timings.push({ journey: 'commitment', language, viewport: label, ms: Date.now() - started });
        if (viewport.width < viewport.height) {
          // Filed under the account, with the sign-in's two factors recorded for the authority.
          const tracking = (await v.page.locator('.tracking-number').textContent()) ?? '';
          const received = await portalApplication(kiosk, tracking);
          expect(received.application.account).toEqual({
            accountId: 'acc-demo-kemal',
            authentication: 'password+mtan',
            assurance: 'substantial',
          });
        }
        await finish(v);
        expect(
          await leftBehind(page, kiosk.dataDir, [
            'MUSTERMANN',
            'Mustermann',
            'C01X00T47',
            'Lindenweg',
            'YILMAZ',
            'U12345678',
          ]),
        ).toEqual([]);
        findings.push(...v.axe);
        await page.context().close();
      });

      it('shows and prints the checklist for a case', async () => {
        const page = await (await browser.newContext({ viewport, hasTouch: true })).newPage();
        const v = await begin(page, language);
        const base = 'services.information';
        await v.page.getByRole('button', { name: v.t(`${base}.title`) }).tap();
        await v.heading(`${base}.steps.topic.title`);
        await v.choose(base, 'caseType', 'commitmentPrivate');
        await v.check('information-topic');
        await v.button(`${base}.submit`).tap();
        await v.page
          .getByRole('heading', {
            name: v.t(`${base}.fields.caseType.options.commitmentPrivate`),
            exact: true,
          })
          .waitFor();
        await v.page.getByText(v.t('result.sheet.printed')).waitFor();
        await v.check('information-result');
        await finish(v);
        findings.push(...v.axe);
        await page.context().close();
      });

      it('looks up the status of an application with the scanned receipt code', async () => {
        const demo = /Demo application: (ST-\S+), born (\d{4}-\d{2}-\d{2}) \((\w+)\)/.exec(kiosk.stderr());
        if (!demo) throw new Error('the demo portal printed no demo application');
        const [, trackingNumber = '', birthDate = '', status = ''] = demo;
        const page = await (await browser.newContext({ viewport, hasTouch: true })).newPage();
        const v = await begin(
          page,
          language,
          tapsIn({ language: 'de', width: 1080, height: 1920 }, language, viewport),
        );
        const started = Date.now();
        const base = 'services.application-status';
        await v.page.getByRole('button', { name: v.t(`${base}.title`) }).tap();
        await v.heading(`${base}.steps.lookup.title`);
        // The visitor holds the receipt under the scanner: the simulated scanner sends the real HID POS reports.
        const scanned = await fetch(new URL('/simulator/barcode', kiosk.url), {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${new URL(kiosk.url).hash.slice(7)}`,
          },
          body: JSON.stringify({ text: `ST1:${trackingNumber}`, symbology: 'qr' }),
        });
        expect(scanned.status).toBe(200);
        await v.page.getByText(trackingNumber).waitFor();
        await v.date(base, 'birthDate', birthDate);
        await v.check('status-lookup');
        await v.button('journey.submit').tap();
        await v.heading('result.statusTitle');
        await v.page.getByText(v.t(`result.status.${status}`)).waitFor();
        timings.push({ journey: 'status', language, viewport: label, ms: Date.now() - started });
        await v.check('status-result');
        await finish(v);
        findings.push(...v.axe);
        await page.context().close();
      });
    });
  }
}

describe('a change of language in the middle of a journey', () => {
  it('keeps the step and every value typed by taps, asks before deleting them, and goes on to the receipt', async () => {
    const page = await (await browser.newContext({ viewport: viewports[0], hasTouch: true })).newPage();
    const v = await begin(page, 'en', 'taps');
    const base = 'services.callback-request';
    await v.page.getByRole('button', { name: v.t(`${base}.title`) }).tap();
    await v.choose(base, 'topic', 'appointment');
    await v.choose(base, 'urgency', 'deadline');
    await v.date(base, 'deadline', '2031-05-04');
    await v.next();
    await v.heading(`${base}.steps.contact.title`);
    await v.type(base, 'lastName', 'Kovalenko');
    await v.type(base, 'phone', '+49 341 9876543');
    await v.choose(base, 'callLanguage', 'uk');
    // "Finish and delete" with data on screen asks once; going on keeps everything (D16).
    await v.button('common.exit').tap();
    const ask = v.page.getByRole('alertdialog', { name: v.t('exitConfirm.title'), exact: true });
    await ask.waitFor();
    await v.check('exit-confirm');
    await ask.getByRole('button', { name: v.t('exitConfirm.cancel'), exact: true }).tap();
    await ask.waitFor({ state: 'detached' });
    // Another language in the middle of the step: its values not yet sent are still there (D15).
    await v.button('common.language').tap();
    const tr = new KioskPage(page, 'tr', screens, 'taps');
    await v.tap(page.getByRole('button', { name: tr.t('meta.nativeName'), exact: true }));
    await tr.heading(`${base}.steps.contact.title`);
    const field = (id: string) =>
      page.getByRole('textbox', { name: tr.t(`${base}.fields.${id}.label`), exact: true });
    expect(await field('lastName').textContent()).toContain('Kovalenko');
    expect(await field('phone').textContent()).toContain('+49 341 9876543');
    const radio = (id: string, option: string) =>
      page
        .getByRole('group', { name: tr.t(`${base}.fields.${id}.label`), exact: true })
        .getByRole('radio', { name: tr.t(`${base}.fields.${id}.options.${option}`), exact: true });
    expect(await radio('callLanguage', 'uk').isChecked()).toBe(true);
    await tr.check('language-switched');
    await tr.type(base, 'firstNames', 'Olena');
    await tr.choose(base, 'timeWindow', 'any');
    await tr.next();
    await tr.heading(`${base}.steps.review.title`);
    // Every answer, of this step and the one before, in Turkish now.
    for (const value of [
      'Kovalenko',
      'Olena',
      '+49 341 9876543',
      tr.t(`${base}.fields.topic.options.appointment`),
    ])
      await page.getByText(value, { exact: true }).first().waitFor();
    await tr.next();
    await tr.heading(`${base}.steps.declarations.title`);
    await tr.tick(base, 'consentContact');
    await tr.button('journey.submit').tap();
    await tr.heading('result.receiptTitleCallback');
    // With the journey sent, "finish" asks nothing more.
    await tr.button('common.exit').tap();
    await tr.heading('end.title');
    expect(await leftBehind(page, kiosk.dataDir, ['Kovalenko', 'Olena', '9876543'])).toEqual([]);
    findings.push(...v.axe, ...tr.axe);
    await page.context().close();
  });
});

describe('accessibility of every screen passed', () => {
  it('has no serious or critical axe violations', () => {
    const serious = findings.filter((f) => f.violations.length > 0);
    for (const f of findings)
      console.log(`axe ${f.screen}: ${f.violations.length === 0 ? 'clean' : JSON.stringify(f.violations)}`);
    expect(serious).toEqual([]);
  });
});
