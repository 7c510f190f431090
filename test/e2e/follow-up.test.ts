import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultCatalog } from '../../core/documents/locale.ts';
import { cameraFrame, renderSourcePages } from '../fixtures/capture/pages.ts';
import { launchChromium } from '../support/chromium.ts';
import { type KioskProcess, projectRoot, startKioskProcess } from '../support/kiosk-process.ts';
import { portalApplication, Visit } from './support/application-steps.ts';
import { FakeCamera, type Marker } from './support/fake-camera.ts';
import { touch } from './support/touch.ts';

/**
 * Documents handed in later, end to end: the status of a demo case says documents are missing;
 * from that answer the visitor hands them in (the case already filled in, one document under
 * Chromium's fake camera, the other marked for later); the follow-up reaches the reference portal,
 * which files it under the case (documents_received, the document's purpose and hash).
 */
const screens = join(projectRoot, 'test-output', 'screens');
mkdirSync(screens, { recursive: true });
const portrait = { width: 1080, height: 1920 } as const;
const RED: Marker = [230, 20, 20];

let kiosk: KioskProcess;
let browser: Browser;
let camera: FakeCamera;
let work: string;
let missing: { reference: string; birthDate: string };

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'follow-up-e2e-'));
  const [source] = await renderSourcePages();
  if (!source) throw new Error('no source page');
  camera = FakeCamera.create(work, (await cameraFrame(source, { seed: 11 })).rgb, 1600, 1200, RED);
  kiosk = await startKioskProcess({ KIOSK_LANGUAGES: 'de,en,ar', KIOSK_CAMERA: '1' });
  const found = [
    ...kiosk.stderr().matchAll(/Demo case: (\S+), born (\d{4}-\d{2}-\d{2}) \(documents_missing\)/g),
  ][0];
  if (!found) throw new Error('the demo portal printed no case that misses documents');
  missing = { reference: found[1] ?? '', birthDate: found[2] ?? '' };
  browser = await launchChromium(camera.args());
});

afterAll(async () => {
  await browser?.close();
  expect(await kiosk?.stop()).toBe(0);
  rmSync(work, { recursive: true, force: true });
});

describe('documents handed in later', () => {
  it('from a status that says documents are missing to the documents filed under the case', async () => {
    const visit = await Visit.begin(browser, kiosk, 'en', portrait, screens, 'keys');
    const { v, page } = visit;
    const texts = defaultCatalog().get('en');
    if (!texts.ok) throw new Error('no document texts in English');
    const label = texts.value.checklist;

    const status = 'services.application-status';
    await touch(page, page.getByRole('button', { name: v.t(`${status}.title`) }));
    await visit.step(status, 'lookup');
    await v.type(status, 'trackingNumber', missing.reference);
    await v.date(status, 'birthDate', missing.birthDate);
    await touch(page, v.button('journey.submit'));
    await v.heading('result.statusTitle');
    await page
      .getByRole('status')
      .filter({ hasText: v.t('result.status.documents_missing') })
      .waitFor();
    await touch(page, v.button('result.handIn'));

    const base = 'services.documents-followup';
    await visit.step(base, 'case');
    // the case the answer named is filled in: nothing to type again
    await page.getByText(missing.reference).waitFor();
    await visit.check('follow-up-case');
    await touch(page, v.button('journey.submit'));

    // the papers the case misses, one at a time
    const title = (text: string) =>
      page.getByRole('heading', { level: 1, name: text, exact: true }).waitFor();
    const said = (text: string) => page.getByRole('status').getByText(text, { exact: true }).waitFor();
    await title(label.tenancy);
    await page.getByText(v.t('documents.progress', { current: 1, total: 2 })).waitFor();
    await camera.seen(page, RED);
    await touch(page, v.button('documents.take'));
    await said(v.t('documents.accepted', { number: 1 }));
    await touch(page, v.button('documents.next'));
    await title(label.incomeInsurance);
    await touch(page, v.button('documents.later'));
    await said(v.t('documents.laterMarked'));
    await touch(page, v.button('documents.toReview'));
    await v.heading('documents.review');
    await visit.check('follow-up-review');
    await touch(page, v.button('documents.submit'));
    await v.heading('result.receiptTitleFollowUp');
    const tracking = (await page.locator('.tracking-number').textContent()) ?? '';
    await visit.finish('follow-up-end');
    await visit.close();

    // at the portal: the follow-up, filed under the case with the document's purpose and hash
    const delivered = await portalApplication(kiosk, tracking);
    expect(delivered.serviceId).toBe('documents-followup');
    const db = new Database(join(`${kiosk.dataDir}-reference-portal`, 'portal.sqlite'), { readonly: true });
    try {
      const filed = db
        .prepare<[string], { status: string }>('SELECT status FROM cases WHERE case_reference = ?')
        .get(missing.reference);
      expect(filed?.status).toBe('documents_received');
      const rows = db
        .prepare<[string], { purpose: string; sha256: string; content: Buffer }>(
          `SELECT a.purpose, a.sha256, a.content FROM attachments a
           JOIN submissions s ON s.submission_id = a.submission_id
           WHERE s.tracking_number = ? AND a.purpose IS NOT NULL ORDER BY a.rowid`,
        )
        .all(tracking);
      expect(
        rows.map((r) => [r.purpose, createHash('sha256').update(r.content).digest('hex') === r.sha256]),
      ).toEqual([['tenancy', true]]);
    } finally {
      db.close();
    }
    const serious = v.axe.filter((f) => f.violations.length > 0);
    expect(serious).toEqual([]);
  });
});
