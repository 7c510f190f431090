import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/chromium.ts';
import { checkScreen } from './support/kiosk-page.ts';

/**
 * The axe-core check every e2e screen goes through finds what it must: a page with known serious
 * and critical violations is reported, a clean one is not. (The check runs axe in the page itself
 * and details violations only; this keeps it honest.)
 */
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

describe('the axe-core screen check', () => {
  it('reports serious and critical violations of a page and none of a clean one', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.setContent(`<!doctype html><html lang="en"><head><title>Broken</title></head><body>
      <main><h1>Broken</h1>
        <button type="button"><svg width="20" height="20"></svg></button>
        <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
        <p style="color:#777;background:#888">low contrast</p>
      </main></body></html>`);
    const broken = await checkScreen(page, 'broken', undefined, 'test');
    expect(broken.violations.map((v) => v.id).sort()).toEqual(['button-name', 'color-contrast', 'image-alt']);

    await page.setContent(`<!doctype html><html lang="en"><head><title>Clean</title></head><body>
      <main><h1>Clean</h1><button type="button">Next</button><p>Readable text</p></main></body></html>`);
    expect((await checkScreen(page, 'clean', undefined, 'test')).violations).toEqual([]);
    await page.context().close();
  });
});
