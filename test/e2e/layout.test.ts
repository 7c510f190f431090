import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/chromium.ts';
import { type KioskProcess, startKioskProcess } from '../support/kiosk-process.ts';
import { mrzDate, passportMrz } from '../support/passport.ts';
import { KioskPage } from './support/kiosk-page.ts';
import { presentDocument, scanBarcode } from './support/staff-steps.ts';

/**
 * The layout a visitor reaches and reads, measured in Chromium (visitor trial D19, D20, D21, D22,
 * D24): the top bar stays one row at the top, Back and Continue stay in a bar at the foot of the
 * screen (the lower half of a portrait screen), buttons side by side never touch, and no word
 * breaks in the middle without a hyphen. In German, Arabic and Ukrainian (the longest bar
 * labels), portrait and landscape; one run with large text, where breaks are most likely. The
 * document step's reader guide, read-out and checks (D18, D24) in German and Arabic.
 */

let kiosk: KioskProcess;
let browser: Browser;

beforeAll(async () => {
  kiosk = await startKioskProcess();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await kiosk?.stop();
});

interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

const boxesOf = (page: Page, selector: string): Promise<Box[]> =>
  page.$$eval(selector, (elements) =>
    elements.map((e) => {
      const r = e.getBoundingClientRect();
      return { x: r.x, y: r.y, width: r.width, height: r.height };
    }),
  );

/** The gaps between neighbouring boxes on one row, in pixels (negative: they overlap). */
function gaps(boxes: readonly Box[]): number[] {
  const sorted = [...boxes].sort((a, b) => a.x - b.x);
  return sorted.slice(1).map((box, i) => box.x - ((sorted[i]?.x ?? 0) + (sorted[i]?.width ?? 0)));
}

/**
 * Places where a line breaks between two letters of one word, with no hyphen, soft hyphen or other
 * break character between them: each with the text around it.
 */
function midWordBreaks(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    const root = document.querySelector('.app');
    if (!root) return found;
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    const letter = /\p{L}|\p{M}/u;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = (node as Text).data;
      let previous: DOMRect | null = null;
      for (let i = 0; i < text.length; i++) {
        if (!letter.test(text[i] ?? '')) {
          previous = null;
          continue;
        }
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        // A letter right after a break point has a second box: the one on the line that holds it.
        const rects = range.getClientRects();
        const rect = rects[rects.length - 1];
        if (!rect || rect.height === 0) continue;
        if (previous && Math.abs(rect.top - previous.top) > previous.height / 2) {
          found.push(text.slice(Math.max(0, i - 15), i + 15).replace(/\u00ad/g, ''));
        }
        previous = rect;
      }
    }
    return found;
  });
}

/** The top bar: one row of buttons, at the very top of the window. */
async function expectBarOnTop(page: Page, where: string): Promise<void> {
  const buttons = await boxesOf(page, '.bar > button');
  expect(buttons.length, where).toBeGreaterThanOrEqual(5);
  const tops = buttons.map((b) => Math.round(b.y + b.height / 2));
  expect(Math.max(...tops) - Math.min(...tops), `${where}: bar buttons on one row`).toBeLessThanOrEqual(2);
  const [bar] = await boxesOf(page, '.bar');
  expect(bar?.y, `${where}: bar at the top`).toBe(0);
  expect(Math.min(...gaps(buttons)), `${where}: gaps in the bar`).toBeGreaterThanOrEqual(8);
  const cut = await page.$$eval('.bar > button', (elements) =>
    elements.filter((e) => e.scrollWidth > e.clientWidth + 1).map((e) => e.textContent),
  );
  expect(cut, `${where}: labels cut off in the bar`).toEqual([]);
}

/**
 * Every element the selector finds, brought to the middle of its scrolling step, is drawn (has a
 * size), lies inside the window and between the top bar and the Back/Continue bar (not under
 * either). Answers their boxes as measured.
 */
async function expectClearOfBars(page: Page, selector: string, where: string): Promise<Box[]> {
  const count = await page.locator(selector).count();
  expect(count, `${where}: ${selector} present`).toBeGreaterThan(0);
  const boxes: Box[] = [];
  for (let i = 0; i < count; i++) {
    const element = page.locator(selector).nth(i);
    await element.evaluate((e) => e.scrollIntoView({ block: 'center', inline: 'nearest' }));
    const [box] = await element.evaluate((e) => {
      const r = e.getBoundingClientRect();
      return [{ x: r.x, y: r.y, width: r.width, height: r.height }];
    });
    const [bar] = await boxesOf(page, '.bar');
    const [nav] = await boxesOf(page, '.journey-nav');
    const viewport = page.viewportSize() ?? { width: 0, height: 0 };
    const what = `${where}: ${selector} #${i + 1}`;
    expect(box, what).toBeDefined();
    if (!box || !bar || !nav) return boxes;
    expect(box.width * box.height, `${what} drawn`).toBeGreaterThan(0);
    expect(box.x, `${what} inside the window`).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width, `${what} inside the window`).toBeLessThanOrEqual(viewport.width);
    expect(box.y, `${what} below the top bar`).toBeGreaterThanOrEqual(bar.y + bar.height);
    expect(box.y + box.height, `${what} above Back/Continue`).toBeLessThanOrEqual(nav.y);
    boxes.push(box);
  }
  return boxes;
}

const viewports = [
  { width: 1080, height: 1920 },
  { width: 1920, height: 1080 },
] as const;
const base = 'services.residence-permit';

describe('layout in Chromium', () => {
  for (const language of ['de', 'ar', 'uk']) {
    for (const viewport of viewports) {
      const portrait = viewport.height > viewport.width;
      const largeText = language === 'uk' && portrait;
      it(`${language} ${viewport.width}x${viewport.height}${largeText ? ' large text' : ''}: bar on top in one row, Back and Continue at the foot, no word broken without a hyphen`, async () => {
        const context = await browser.newContext({ viewport, hasTouch: true });
        try {
          const page = await context.newPage();
          const v = new KioskPage(page, language, undefined, 'keys');
          await page.goto(kiosk.url);
          await v.toMenu();
          if (largeText) {
            await v.tap(v.button('accessibility.open'));
            await v.tap(page.getByRole('checkbox', { name: v.t('accessibility.largeText'), exact: true }));
            await v.tap(
              page.getByRole('dialog').getByRole('button', { name: v.t('menu.close'), exact: true }),
            );
          }
          const where = `${language} ${viewport.width}x${viewport.height}`;
          await expectBarOnTop(page, `${where} menu`);
          expect(await midWordBreaks(page), `${where} menu`).toEqual([]);
          if (portrait) {
            // The services a visitor taps lie in the lower, reachable half (D24).
            const tiles = await boxesOf(page, '.tile');
            const last = tiles.at(-1);
            expect((last?.y ?? 0) + (last?.height ?? 0), `${where}: last tile`).toBeGreaterThan(
              viewport.height / 2,
            );
          }

          await v.tap(page.getByRole('button', { name: v.t(`${base}.title`) }));
          await v.heading('identify.title');
          const choices = await boxesOf(page, '.identify-choices > button');
          expect(choices.length).toBe(2);
          const [upper, lower] = [...choices].sort((a, b) => a.y - b.y) as [Box, Box];
          const apart =
            lower.y < upper.y + upper.height
              ? Math.min(...gaps(choices))
              : lower.y - (upper.y + upper.height);
          expect(apart, `${where}: the two account buttons`).toBeGreaterThanOrEqual(8);
          await v.tap(v.button('identify.guest'));

          await v.heading(`${base}.steps.request.title`);
          await v.choose(base, 'request', 'permit');
          await v.choose(base, 'permitRequest', 'extend');
          await v.choose(base, 'currentTitle', 'residencePermit');
          await v.date(base, 'currentTitleExpiry', '2031-01-31');
          await v.choose(base, 'purpose', 'employment');
          // The three fields "employment" revealed are not marked wrong by the next tap (D22) …
          await v.next();
          const employer = page.getByRole('textbox', {
            name: v.t(`${base}.fields.employerName.label`),
            exact: true,
          });
          await employer.waitFor();
          expect(await employer.isVisible()).toBe(true);
          expect(await page.locator('[aria-invalid="true"]').count(), `${where}: nothing marked yet`).toBe(0);
          expect(await employer.evaluate((e) => e.getBoundingClientRect().bottom <= window.innerHeight)).toBe(
            true,
          );
          // … only by the one after, when the visitor has seen them.
          await v.next();
          await page.locator('[aria-invalid="true"]').first().waitFor();

          await expectBarOnTop(page, `${where} long step`);
          expect(await midWordBreaks(page), `${where} long step`).toEqual([]);
          // A long step scrolls under the bars: the top bar stays, Back and Continue stay at the foot (D20).
          await page.locator('main').evaluate((main) => main.scrollTo(0, main.scrollHeight));
          await expectBarOnTop(page, `${where} long step, scrolled`);
          const nav = await boxesOf(page, '.journey-nav > button');
          expect(nav.length).toBe(2);
          for (const button of nav) {
            expect(button.y + button.height, `${where}: Back/Continue inside the window`).toBeLessThanOrEqual(
              viewport.height,
            );
            expect(button.y, `${where}: Back/Continue near the foot`).toBeGreaterThan(
              portrait ? viewport.height / 2 : viewport.height - 250,
            );
          }
          expect(Math.min(...gaps(nav)), `${where}: Back and Continue apart`).toBeGreaterThanOrEqual(8);
        } finally {
          await context.close();
        }
      });
    }
  }

  // The document step of an activation (visitor trial D18, D24): the reader guide's drawings, the
  // read-out in field boxes, the checks with one mark each.
  const activation = 'services.account-activation';
  const inYears = (n: number) =>
    mrzDate(new Date(Date.now() + n * 365 * 86_400_000).toISOString().slice(0, 10));
  for (const language of ['de', 'ar'] as const) {
    for (const viewport of viewports) {
      it(`${language} ${viewport.width}x${viewport.height}: the reader guide's drawings, the read-out and the checks sit clear of the bars`, async () => {
        const context = await browser.newContext({ viewport, hasTouch: true });
        try {
          const page = await context.newPage();
          const v = new KioskPage(page, language, undefined, 'keys');
          await page.goto(kiosk.url);
          await v.toMenu();
          const where = `${language} ${viewport.width}x${viewport.height}`;
          await v.tap(page.getByRole('button', { name: v.t(`${activation}.title`) }));
          await v.heading(`${activation}.steps.find.title`);
          await scanBarcode(kiosk.url, 'SVK1:ACC-DEMO-AYSE', 'qr');
          await page.getByText('ACC-DEMO-AYSE').waitFor();
          await v.next();
          await v.heading(`${activation}.steps.document.title`);

          // Three drawings (the terminal with its reader, a passport, a card), each beside its words.
          const drawings = await expectClearOfBars(page, '.reader-drawing', `${where} guide`);
          expect(drawings.length).toBe(3);
          for (const drawing of drawings) {
            expect(drawing.width, `${where}: a drawing's size`).toBeGreaterThanOrEqual(64);
            expect(drawing.width, `${where}: a drawing's size`).toBeLessThanOrEqual(200);
          }
          // Each drawing beside its words, at the start of the line: left in German, right in Arabic.
          const sides = await page.$$eval('.reader-where, .reader-how', (figures) =>
            figures.map((figure) => {
              const drawing = figure.querySelector('svg')?.getBoundingClientRect();
              const words = figure.querySelector('figcaption')?.getBoundingClientRect();
              if (!drawing || !words) return 'missing';
              if (words.top >= drawing.bottom || words.bottom <= drawing.top) return 'not beside';
              if (words.left >= drawing.right) return 'drawing left';
              if (words.right <= drawing.left) return 'drawing right';
              return 'overlapping';
            }),
          );
          expect(sides, `${where}: drawings beside their words`).toEqual(
            Array(3).fill(language === 'ar' ? 'drawing right' : 'drawing left'),
          );
          if (viewport.width > viewport.height) {
            // Wide: the three side by side, so the whole guide is seen at once.
            const tops = (await boxesOf(page, '.reader-where, .reader-how')).map((b) => Math.round(b.y));
            expect(new Set(tops).size, `${where}: the guide in one row`).toBe(1);
          }
          expect(await midWordBreaks(page), `${where} guide`).toEqual([]);

          await presentDocument(
            kiosk.url,
            passportMrz({
              state: 'TUR',
              last: 'YILMAZ',
              first: 'AYSE',
              number: 'U48213377',
              birth: '880314',
              sex: 'F',
              expiry: inYears(4),
            }),
          );
          await page.getByText(v.t('readerGuide.readOk')).waitFor();
          await expectClearOfBars(page, '.reader-done', `${where} read`);
          // What was read, in boxes as typed fields have (D24), not an indented list.
          const read = await expectClearOfBars(page, '.read-fields > div', `${where} read-out`);
          expect(read.length).toBe(4);
          const framed = await page.$$eval('.read-fields > div', (boxes) =>
            boxes.map((box) => Number.parseFloat(getComputedStyle(box).borderTopWidth)),
          );
          for (const width of framed) expect(width, `${where}: a read-out box's frame`).toBeGreaterThan(0);

          await v.next();
          await v.heading(`${activation}.steps.verification.title`);
          const checks = await expectClearOfBars(page, '.verification-checks > li', `${where} checks`);
          expect(checks.length).toBeGreaterThan(0);
          // One mark a check (its ✓ or ✗), no bullet besides.
          const bullets = await page.$$eval('.verification-checks > li', (items) =>
            items.map((item) => getComputedStyle(item).listStyleType),
          );
          expect(new Set(bullets), `${where}: bullets beside the marks`).toEqual(new Set(['none']));
        } finally {
          await context.close();
        }
      });
    }
  }

  it('de 1080x1920: the declarations step links the privacy notice (D23)', async () => {
    const context = await browser.newContext({ viewport: { width: 1080, height: 1920 }, hasTouch: true });
    try {
      const page = await context.newPage();
      const v = new KioskPage(page, 'de', undefined, 'keys');
      await page.goto(kiosk.url);
      await v.toMenu();
      const callback = 'services.callback-request';
      await v.tap(page.getByRole('button', { name: v.t(`${callback}.title`) }));
      await v.heading(`${callback}.steps.topic.title`);
      await v.choose(callback, 'topic', 'appointment');
      await v.choose(callback, 'urgency', 'normal');
      await v.next();
      await v.heading(`${callback}.steps.contact.title`);
      await v.type(callback, 'lastName', 'Kovalenko');
      await v.type(callback, 'firstNames', 'Olena');
      await v.type(callback, 'phone', '+49 911 9876543');
      await v.choose(callback, 'callLanguage', 'uk');
      await v.choose(callback, 'timeWindow', 'any');
      await v.next();
      await v.heading(`${callback}.steps.review.title`);
      await v.next();
      await v.heading(`${callback}.steps.declarations.title`);
      await v.tap(v.button('privacy.more'));
      const notice = page.getByRole('dialog', { name: v.t('privacy.title'), exact: true });
      await notice.waitFor();
      for (const section of [
        'controller',
        'purposes',
        'duty',
        'recipients',
        'retention',
        'rights',
        'others',
      ]) {
        await notice.getByRole('heading', { name: v.t(`privacy.${section}.title`), exact: true }).waitFor();
      }
      await v.tap(notice.getByRole('button', { name: v.t('menu.close'), exact: true }));
      await notice.waitFor({ state: 'detached' });
      // Back on the same step, nothing lost.
      await v.heading(`${callback}.steps.declarations.title`);
    } finally {
      await context.close();
    }
  });

  it('de-x-ls 1080x1920: explains the hard words a screen uses', async () => {
    const context = await browser.newContext({ viewport: { width: 1080, height: 1920 }, hasTouch: true });
    try {
      const page = await context.newPage();
      const v = new KioskPage(page, 'de-x-ls', undefined, 'keys');
      await page.goto(kiosk.url);
      await v.toMenu();
      // The menu names the status lookup by its Vorgangs·nummer: the glossary offers that word.
      await v.tap(v.button('glossary.open'));
      const glossary = page.getByRole('dialog', { name: v.t('glossary.title'), exact: true });
      await glossary.getByText(v.t('glossary.terms.trackingNumber.text'), { exact: true }).waitFor();
      await glossary.getByText(v.t('glossary.terms.terminal.text'), { exact: true }).waitFor();
      await v.tap(glossary.getByRole('button', { name: v.t('menu.close'), exact: true }));
      await glossary.waitFor({ state: 'detached' });
    } finally {
      await context.close();
    }
  });
});
