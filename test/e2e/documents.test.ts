import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { PDFDocument } from 'pdf-lib';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultCatalog } from '../../core/documents/locale.ts';
import { cameraFrame, renderSourcePages } from '../fixtures/capture/pages.ts';
import { launchChromium } from '../support/chromium.ts';
import { type KioskProcess, projectRoot, startKioskProcess } from '../support/kiosk-process.ts';
import { passportMrz } from '../support/passport.ts';
import { portalApplication, Visit } from './support/application-steps.ts';
import { FakeCamera, type Marker } from './support/fake-camera.ts';
import { touch } from './support/touch.ts';

/**
 * Documents handed in at the terminal, end to end: Chromium's fake camera is fed from the
 * project's own printed papers (rendered by poppler, laid on a desk as a document camera sees
 * them); a residence permit application hands in three documents, one page first refused as
 * blurred and taken again, a document's pages reordered, the camera lost on the last one; the
 * application is delivered to the reference portal and opened there (purposes, pages, hashes).
 * No image file is left in the terminal's data folder or its temporary folder, during the
 * session or after it.
 */
const screens = join(projectRoot, 'test-output', 'screens');
mkdirSync(screens, { recursive: true });
const portrait = { width: 1080, height: 1920 } as const;
/** The visitor's language: English, or another one for its screenshots (`KIOSK_DOCUMENTS_LANGUAGE=ar`). */
const LANGUAGE = process.env.KIOSK_DOCUMENTS_LANGUAGE ?? 'en';

const RED: Marker = [230, 20, 20];
const BLUE: Marker = [20, 20, 230];
const GREEN: Marker = [20, 200, 20];
const MAGENTA: Marker = [230, 20, 230];
const CYAN: Marker = [20, 200, 230];

let kiosk: KioskProcess;
let browser: Browser;
let camera: FakeCamera;
let work: string;
let kioskTmp: string;
const frames: Record<string, Buffer> = {};

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'documents-e2e-'));
  kioskTmp = mkdtempSync(join(tmpdir(), 'documents-e2e-kiosk-tmp-'));
  const sources = Object.fromEntries((await renderSourcePages()).map((s) => [s.name, s]));
  const frame = async (name: string, seed: number, blurSigma?: number) => {
    const source = sources[name];
    if (!source) throw new Error(`no source page ${name}`);
    return (await cameraFrame(source, { seed, ...(blurSigma ? { blurSigma } : {}) })).rgb;
  };
  frames.passport = await frame('passport', 3);
  frames.receiptBlurred = await frame('receipt-de', 5, 4);
  frames.receipt = await frame('receipt-de', 5);
  frames.sheetEn = await frame('info-sheet-en', 7);
  frames.sheetAr = await frame('info-sheet-ar', 9);
  camera = FakeCamera.create(work, frames.passport, 1600, 1200, RED);
  kiosk = await startKioskProcess({ KIOSK_LANGUAGES: 'de,en,ar', KIOSK_CAMERA: '1', TMPDIR: kioskTmp });
  browser = await launchChromium(camera.args());
});

afterAll(async () => {
  await browser?.close();
  expect(await kiosk?.stop()).toBe(0);
  rmSync(work, { recursive: true, force: true });
  rmSync(kioskTmp, { recursive: true, force: true });
});

/** Files below `dir` that hold a JPEG or PNG image anywhere in their bytes. */
function imageFilesBelow(dir: string): string[] {
  const jpeg = [0xe0, 0xe1, 0xdb, 0xee].map((m) => Buffer.from([0xff, 0xd8, 0xff, m]));
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return imageFilesBelow(path);
    const bytes = readFileSync(path);
    return jpeg.some((s) => bytes.includes(s)) || bytes.includes(png) ? [path] : [];
  });
}

describe('documents under the camera, with a residence permit', () => {
  it('hands in three documents, retakes a blurred page, and the portal opens them', async () => {
    const visit = await Visit.begin(browser, kiosk, LANGUAGE, portrait, screens, 'keys');
    const { v, page } = visit;
    const base = 'services.residence-permit';
    const texts = defaultCatalog().get(LANGUAGE);
    if (!texts.ok) throw new Error(`no document texts in ${LANGUAGE}`);
    const label = texts.value.checklist;

    await visit.openService(base);
    await visit.step(base, 'request');
    await v.choose(base, 'request', 'permit');
    await v.choose(base, 'permitRequest', 'firstPermit');
    await v.choose(base, 'currentTitle', 'visa');
    await v.choose(base, 'purpose', 'employment');
    await v.type(base, 'employerName', 'Elster Logistik GmbH');
    await v.type(base, 'jobTitle', 'Dispatcher');
    await v.type(base, 'grossSalary', '3450');
    await v.next();
    await visit.step(base, 'personal');
    await visit.present(
      passportMrz({
        state: 'BRA',
        last: 'SILVA',
        first: 'ANA',
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
    await v.type(base, 'houseNumber', '12');
    await v.type(base, 'postcode', '90402');
    await v.type(base, 'city', 'Nürnberg');
    await v.type(base, 'phone', '+49 911 5550123');
    await v.next();
    await visit.step(base, 'photo');
    await v.choose(base, 'photoSource', 'station');
    await v.next();
    await visit.step(base, 'card');
    await v.choose(base, 'pickupBy', 'self');
    await v.next();
    await visit.step(base, 'fee');
    await v.next();
    await visit.step(base, 'checklist');
    await v.next();
    await visit.step(base, 'review');
    await v.next();
    await visit.step(base, 'declarations');
    await v.tick(base, 'truthful');
    await v.tick(base, 'privacy');
    await touch(page, v.button('journey.submit'));

    const title = (text: string) =>
      page.getByRole('heading', { level: 1, name: text, exact: true }).waitFor();
    const take = async (marker: Marker) => {
      await camera.seen(page, marker);
      await touch(page, v.button('documents.take'));
    };
    const status = (text: string) => page.getByRole('status').getByText(text, { exact: true }).waitFor();

    // 1 of 5: the passport, taken at once
    await title(label.passport);
    await page.getByText(v.t('documents.progress', { current: 1, total: 5 })).waitFor();
    await take(RED);
    await status(v.t('documents.accepted', { number: 1 }));
    await visit.check('documents-camera');
    await touch(page, v.button('documents.next'));

    // 2 of 5: the current title, handed in later
    await title(label.currentTitle);
    await touch(page, v.button('documents.later'));
    await status(v.t('documents.laterMarked'));
    await touch(page, v.button('documents.next'));

    // 3 of 5: proof of income, first blurred (refused, asked again), then sharp
    await title(label.incomeInsurance);
    camera.show(frames.receiptBlurred as Buffer, BLUE);
    await take(BLUE);
    await status(v.t('documents.problems.blurred'));
    await status(v.t('documents.again'));
    await visit.check('documents-refused');
    expect(await page.locator('ol.document-pages li').count()).toBe(0);
    camera.show(frames.receipt as Buffer, GREEN);
    await take(GREEN);
    await status(v.t('documents.accepted', { number: 1 }));
    await touch(page, v.button('documents.next'));

    // 4 of 5: the tenancy, two pages, the second moved to the front
    await title(label.tenancy);
    camera.show(frames.sheetEn as Buffer, MAGENTA);
    await take(MAGENTA);
    await status(v.t('documents.accepted', { number: 1 }));
    camera.show(frames.sheetAr as Buffer, CYAN);
    await take(CYAN);
    await status(v.t('documents.accepted', { number: 2 }));
    const thumbnails = page.locator('ol.document-pages img');
    const before = await thumbnails.evaluateAll((images) => images.map((i) => i.getAttribute('src')));
    await touch(page, v.button('documents.moveEarlier', { number: 2 }));
    await page.waitForFunction(
      (first) => document.querySelector('ol.document-pages img')?.getAttribute('src') === first,
      before[1],
    );
    // pages live in the kiosk's memory: nothing in its data folder or its temporary folder
    expect(imageFilesBelow(kiosk.dataDir)).toEqual([]);
    expect(imageFilesBelow(kioskTmp)).toEqual([]);
    await touch(page, v.button('documents.next'));

    // 5 of 5: the camera goes away (its track ends, as when it is unplugged): said, and the
    // document can still be handed in later; then the review
    await title(label.purposeDocuments);
    await page.evaluate(() => {
      const stream = document.querySelector('video')?.srcObject as MediaStream | null;
      for (const track of stream?.getVideoTracks() ?? []) track.dispatchEvent(new Event('ended'));
    });
    await status(v.t('documents.cameraUnavailable'));
    expect(await v.button('documents.take').isDisabled()).toBe(true);
    await touch(page, v.button('documents.later'));
    await status(v.t('documents.laterMarked'));
    await touch(page, v.button('documents.toReview'));
    await v.heading('documents.review');
    const review = page.locator('ul.documents-review > li');
    expect(await review.count()).toBe(5);
    await review
      .nth(3)
      .getByText(v.t('documents.pageCount', { count: 2 }))
      .waitFor();
    await review.nth(1).getByText(v.t('documents.stateLater')).waitFor();
    expect(await review.nth(3).locator('img').count()).toBe(2);
    await visit.check('documents-review');
    await touch(page, v.button('documents.submit'));
    await v.heading('result.receiptTitle');
    const tracking = (await page.locator('.tracking-number').textContent()) ?? '';
    await visit.finish('documents-end');
    expect(imageFilesBelow(kiosk.dataDir)).toEqual([]);
    expect(imageFilesBelow(kioskTmp)).toEqual([]);
    await visit.close();

    // opened at the portal: one PDF per document, its purpose, pages and hash as signed
    await portalApplication(kiosk, tracking);
    const db = new Database(join(`${kiosk.dataDir}-reference-portal`, 'portal.sqlite'), { readonly: true });
    try {
      const rows = db
        .prepare<[string], { purpose: string; sha256: string; media_type: string; content: Buffer }>(
          `SELECT a.purpose, a.sha256, a.media_type, a.content FROM attachments a
           JOIN submissions s ON s.submission_id = a.submission_id
           WHERE s.tracking_number = ? AND a.purpose IS NOT NULL ORDER BY a.rowid`,
        )
        .all(tracking);
      const opened = await Promise.all(
        rows.map(async (r) => ({
          purpose: r.purpose,
          mediaType: r.media_type,
          hashMatches: createHash('sha256').update(r.content).digest('hex') === r.sha256,
          pages: (await PDFDocument.load(r.content)).getPageCount(),
        })),
      );
      expect(opened).toEqual([
        { purpose: 'passport', mediaType: 'application/pdf', hashMatches: true, pages: 1 },
        { purpose: 'incomeInsurance', mediaType: 'application/pdf', hashMatches: true, pages: 1 },
        { purpose: 'tenancy', mediaType: 'application/pdf', hashMatches: true, pages: 2 },
      ]);
    } finally {
      db.close();
    }
    const serious = v.axe.filter((f) => f.violations.length > 0);
    expect(serious).toEqual([]);
  });
});
