import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_STAFF } from '../../portal/config.ts';
import { launchChromium } from '../support/chromium.ts';
import { type KioskProcess, projectRoot, startKioskProcess } from '../support/kiosk-process.ts';
import { mrzDate, passportMrz } from '../support/passport.ts';
import { type AxeFinding, type KioskPage, visitorAtMenu } from './support/kiosk-page.ts';
import { presentDocument, StaffSteps, scanBarcode } from './support/staff-steps.ts';

/**
 * Activating a service account with a clerk, by touch: the visitor finds the account (the QR on
 * the registration letter, or name and birth date), lays the passport on the reader, sees the
 * terminal's comparison, calls staff; the clerk signs in on the overlay (badge scanned, PIN on the
 * pad) and confirms after checking the face, or refuses with a reason; the portal activates the
 * account and the visitor leaves with the printed confirmation. In German, English and Arabic at
 * both orientations, each run with another of the demo portal's pending accounts; the staff are
 * those of the portal's signed configuration.
 */
const screens = join(projectRoot, 'test-output', 'screens');
mkdirSync(screens, { recursive: true });
const clerk = DEMO_STAFF.find((p) => p.role === 'staff');
if (!clerk) throw new Error('the demo portal has no clerk');
const base = 'services.account-activation';
const inYears = (n: number) =>
  mrzDate(new Date(Date.now() + n * 365 * 86_400_000).toISOString().slice(0, 10));

interface Run {
  readonly language: 'de' | 'en' | 'ar';
  readonly viewport: { width: number; height: number };
  readonly accountId: string;
  readonly find: 'qr' | { name: string; birthDate: string };
  readonly passport: Parameters<typeof passportMrz>[0];
  /** How the document data come in: the reader, or the clerk typing them (reader failed). */
  readonly entry: 'reader' | 'clerk';
  readonly outcome: 'match' | 'mismatch';
  /** Shown as read (title case). */
  readonly shownName: string;
}

const portrait = { width: 1080, height: 1920 } as const;
const landscape = { width: 1920, height: 1080 } as const;
const runs: readonly Run[] = [
  {
    language: 'de',
    viewport: portrait,
    accountId: 'acc-demo-ayse',
    find: 'qr',
    passport: {
      state: 'TUR',
      last: 'YILMAZ',
      first: 'AYSE',
      number: 'U48213377',
      birth: '880314',
      sex: 'F',
      expiry: inYears(4),
    },
    entry: 'reader',
    outcome: 'match',
    shownName: 'Yilmaz',
  },
  {
    language: 'de',
    viewport: landscape,
    accountId: 'acc-demo-oleksandr',
    find: { name: 'Oleksandr Shevchenko', birthDate: '1979-11-02' },
    passport: {
      state: 'UKR',
      last: 'SHEVCHENKO',
      first: 'OLEKSANDR',
      number: 'FU7731904',
      birth: '791102',
      sex: 'M',
      expiry: inYears(6),
    },
    entry: 'reader',
    outcome: 'match',
    shownName: 'Shevchenko',
  },
  {
    language: 'en',
    viewport: portrait,
    accountId: 'acc-demo-mohammad',
    find: 'qr',
    passport: {
      state: 'SYR',
      last: 'ALAHMAD',
      first: 'MOHAMMAD',
      number: 'N01928374',
      birth: '920721',
      sex: 'M',
      expiry: inYears(2),
    },
    entry: 'reader',
    outcome: 'match',
    shownName: 'Alahmad',
  },
  {
    language: 'en',
    viewport: landscape,
    accountId: 'acc-demo-nguyen',
    find: 'qr',
    // Another birth date than the account's: the terminal says it does not match; the clerk refuses.
    passport: {
      state: 'VNM',
      last: 'NGUYEN',
      first: 'THI<MINH<KHAI',
      number: 'C9182736',
      birth: '950131',
      sex: 'F',
      expiry: inYears(5),
    },
    entry: 'reader',
    outcome: 'mismatch',
    shownName: 'Nguyen',
  },
  {
    language: 'ar',
    viewport: portrait,
    accountId: 'acc-demo-georgios',
    find: 'qr',
    passport: {
      state: 'GRC',
      last: 'PAPADOPOULOS',
      first: 'GEORGIOS',
      number: 'AK5512093',
      birth: '830509',
      sex: 'M',
      expiry: inYears(3),
    },
    entry: 'reader',
    outcome: 'match',
    shownName: 'Papadopoulos',
  },
  {
    language: 'ar',
    viewport: landscape,
    accountId: 'acc-demo-maria',
    find: 'qr',
    passport: {
      state: 'ESP',
      last: 'GARCIA<LOPEZ',
      first: 'MARIA<JOSE',
      number: 'PAB203948',
      birth: '010917',
      sex: 'F',
      expiry: inYears(7),
    },
    entry: 'clerk',
    outcome: 'match',
    shownName: 'Garcia Lopez',
  },
];

let kiosk: KioskProcess;
let browser: Browser;
const findings: AxeFinding[] = [];
const timings: string[] = [];

beforeAll(async () => {
  kiosk = await startKioskProcess({ KIOSK_LANGUAGES: 'de,de-x-ls,en,tr,uk,ru,ar' });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  expect(await kiosk?.stop()).toBe(0);
  for (const line of timings) console.log(line);
  for (const f of findings)
    if (f.violations.length > 0) console.log(`axe ${f.screen}: ${JSON.stringify(f.violations)}`);
  expect(findings.flatMap((f) => f.violations)).toEqual([]);
});

function begin(page: Page, language: string): Promise<KioskPage> {
  return visitorAtMenu(page, kiosk.url, language, screens);
}

/** `YYMMDD` as the clerk types it on the date pad: DDMMYYYY. */
function padDate(yymmdd: string): string {
  const year = Number(yymmdd.slice(0, 2));
  const century = year > Number(String(new Date().getFullYear()).slice(2)) + 10 ? '19' : '20';
  return `${yymmdd.slice(4, 6)}${yymmdd.slice(2, 4)}${century}${yymmdd.slice(0, 2)}`;
}

describe('account activation with a clerk', () => {
  for (const run of runs) {
    const label = `${run.language} ${run.viewport.width}x${run.viewport.height}`;
    it(`${label}: ${run.outcome === 'match' ? 'activates' : 'refuses'} ${run.accountId} (${typeof run.find === 'string' ? 'letter QR' : 'name and birth date'}, document by ${run.entry})`, async () => {
      const page = await (await browser.newContext({ viewport: run.viewport, hasTouch: true })).newPage();
      const v = await begin(page, run.language);
      // The staff screens speak German, or English to an English-speaking visitor's terminal.
      const staff = new StaffSteps(page, kiosk.url, run.language === 'en' ? 'en' : 'de', screens);
      const started = Date.now();
      const name = `activation-${run.language}-${run.viewport.width}`;
      await v.page.getByRole('button', { name: v.t(`${base}.title`) }).tap();
      await v.heading(`${base}.steps.find.title`);
      if (run === runs[0]) {
        // A letter whose account is not waiting: said on this first step, before any document (D12).
        await scanBarcode(kiosk.url, 'SVK1:ACC-DEMO-NOBODY', 'qr');
        await v.page.getByText('ACC-DEMO-NOBODY').waitFor();
        await v.next();
        await v.page.getByText(v.t('validation.account_not_found')).waitFor();
        await v.heading(`${base}.steps.find.title`);
      }
      if (run.find === 'qr') {
        // The visitor holds the registration letter under the scanner.
        await scanBarcode(kiosk.url, `SVK1:${run.accountId.toUpperCase()}`, 'qr');
        await v.page.getByText(run.accountId.toUpperCase()).waitFor();
      } else {
        await v.choose(base, 'findBy', 'name');
        await v.type(base, 'accountName', run.find.name);
        await v.date(base, 'accountBirthDate', run.find.birthDate);
      }
      await v.check(`${name}-find`);
      await v.next();
      await v.heading(`${base}.steps.document.title`);
      await v.page.getByText(v.t('journey.readerOnly')).waitFor();
      // Where the reader is on this terminal, and how each kind of document lies on it (D18, E4).
      for (const key of ['readerGuide.where.below-right', 'readerGuide.passport', 'readerGuide.card'])
        await v.page.getByText(v.t(key), { exact: true }).waitFor();
      // Nothing to type here for the visitor, and "next" does not pass without a document: said
      // once, not as "please fill in" under fields nobody here may fill (D14).
      expect(await v.page.getByRole('textbox').count()).toBe(0);
      await v.next();
      await v.page.getByText(v.t('readerGuide.nothingRead')).waitFor();
      expect(await v.page.getByText(v.t('validation.required')).count()).toBe(0);
      if (run === runs[0]) {
        // A misread (a check digit fails): lay it again or call staff, never "type it in"; and
        // nothing of the bad read is shown as if it were right (D13, E19).
        const [line1, line2] = passportMrz(run.passport);
        await presentDocument(kiosk.url, [line1, `${line2.slice(0, 13)}0${line2.slice(14)}`]);
        await v.page.getByText(v.t('readerGuide.readerOnlyRetry')).waitFor();
        expect(await v.page.getByText(v.t('reader.invalidDocument')).count()).toBe(0);
        expect(await v.page.getByText(run.shownName, { exact: true }).count()).toBe(0);
        await v.check(`${name}-misread`);
      }
      if (run.entry === 'reader') {
        await presentDocument(kiosk.url, passportMrz(run.passport));
        // A good read says so and asks for the document back (D18).
        await v.page.getByText(v.t('readerGuide.readOk')).waitFor();
      } else {
        await staff.signInClerk({ ...clerk, secret: clerk.secret });
        await staff.enterDocument({
          reason: 'mrz_damaged',
          documentCode: 'P',
          issuingState: run.passport.state,
          documentNumber: run.passport.number,
          lastName: run.passport.last.replaceAll('<', ' '),
          firstNames: run.passport.first.replaceAll('<', ' '),
          birthDate: padDate(run.passport.birth),
          expiryDate: padDate(run.passport.expiry),
          nationality: run.passport.state,
        });
        await staff.signOutClerk();
      }
      await v.page.getByText(run.shownName, { exact: true }).waitFor();
      await v.check(`${name}-document`);
      await v.next();
      await v.heading(`${base}.steps.verification.title`);
      await v.page.getByText(v.t(`verification.outcome.${run.outcome}`), { exact: true }).waitFor();
      await v.page.getByText(v.t(`verification.next.${run.outcome}`), { exact: true }).waitFor();
      // No way for the visitor to activate: only "back" and "call staff".
      expect(await v.button('journey.submit').count()).toBe(0);
      // The panel's own "call staff" (the bar at the top has one too).
      const panel = v.page.locator('section.verification');
      await panel.getByRole('button', { name: v.t('staff.call'), exact: true }).tap();
      await panel.getByText(v.t('staff.calledText')).waitFor();
      await v.check(`${name}-verification`);

      await staff.signInClerk({ ...clerk, secret: clerk.secret });
      await staff.check(`${name}-clerk-decision`);
      if (run.outcome === 'match') {
        await staff.decide({ confirm: true });
        await v.heading('result.activation.title');
        await v.page.getByText(v.t('result.activation.print.printed')).waitFor();
      } else {
        await staff.decide({ refuse: 'data_do_not_match_account' });
        await v.heading('result.activationRefused.title');
        await v.page.getByText(v.t('result.activationRefused.reasons.data_do_not_match_account')).waitFor();
      }
      timings.push(`activation ${label} ${run.outcome}: ${Date.now() - started} ms from first tap to result`);
      await v.check(`${name}-result`);
      await v.button('result.done').tap();
      await v.heading('end.title');
      const dom = await page.content();
      for (const secret of [run.passport.number, run.shownName, run.accountId.toUpperCase()])
        expect(dom.includes(secret), secret).toBe(false);
      findings.push(...v.axe, ...staff.axe);
      await page.context().close();
    });
  }
});
