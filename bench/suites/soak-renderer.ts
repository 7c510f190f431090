/**
 * Renderer soak: hundreds of visitor sessions by touch in one page that is never reloaded, and
 * how the page's memory behaves (a kiosk window stays open for weeks).
 *
 * The kiosk runs as `npm start -- --web --no-open` (its own process, fresh data folder, built-in
 * reference portal, folder printer, simulated readers), as in the end-to-end tests; the system
 * Chromium (playwright-core, the test flags) taps through the sessions in English, cycling
 * through: information sheet shown and printed; call-back request typed on the on-screen keyboard,
 * submitted and its receipt printed; a call-back abandoned mid-journey with "finish and delete";
 * the menu with the privacy notice opened and closed, then "finish and delete". Every session
 * ends on the "thank you" screen and goes back to the start screen with "start again".
 *
 * Every `SOAK_UI_SAMPLE_EVERY` sessions (50), back on the start screen and after
 * `HeapProfiler.collectGarbage`, it samples the page's JS heap (CDP `Performance.getMetrics`
 * JSHeapUsedSize), DOM nodes, documents and JS event listeners (`Memory.getDOMCounters`), and
 * the kiosk process's RSS. It reports the table and the least-squares growth of the JS heap in KB
 * per 1,000 sessions (and DOM nodes per 1,000 sessions) over the second half. Figures are
 * reported, never asserted; the exit code is non-zero only when a session failed (a screen or
 * button that did not come, a page error).
 *
 * `SOAK_UI_SESSIONS` (default 300) and `SOAK_UI_SAMPLE_EVERY` change the run.
 */
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { CDPSession, Page } from 'playwright-core';
import { KioskPage } from '../../test/e2e/support/kiosk-page.ts';
import { launchChromium } from '../../test/support/chromium.ts';
import { startKioskProcess } from '../../test/support/kiosk-process.ts';
import { growthPer1000, mib, processRss, slope, table } from '../support/soak.ts';

const SESSIONS = Number(process.env.SOAK_UI_SESSIONS ?? 300);
const SAMPLE_EVERY = Number(process.env.SOAK_UI_SAMPLE_EVERY ?? 50);
const MAX_FAILURES_SHOWN = 20;
const topics = [
  'residencePermitExtension',
  'electronicResidencePermit',
  'commitmentPrivate',
  'commitmentCompany',
];

type Kind = 'information' | 'callback' | 'abandoned' | 'menu';
const cycle: readonly Kind[] = ['information', 'callback', 'information', 'abandoned', 'menu'];

interface Sample {
  sessions: number;
  elapsedS: number;
  jsHeapUsed: number;
  jsHeapTotal: number;
  nodes: number;
  documents: number;
  listeners: number;
  layoutObjects: number;
  kioskRss: number | null;
}

async function metrics(cdp: CDPSession): Promise<Record<string, number>> {
  const { metrics: list } = await cdp.send('Performance.getMetrics');
  return Object.fromEntries(list.map((m) => [m.name, m.value]));
}

async function main(): Promise<number> {
  const kiosk = await startKioskProcess({ KIOSK_LANGUAGES: 'de,de-x-ls,en,tr,uk,ru,ar' });
  const printed = join(kiosk.dataDir, 'printed');
  const browser = await launchChromium();
  const failures: { session: number; kind: Kind; error: string }[] = [];
  const counts = new Map<Kind, { n: number; ms: number }>();
  const samples: Sample[] = [];
  let pageErrors = 0;
  let reloads = 0;
  let started = 0;
  try {
    const context = await browser.newContext({ viewport: { width: 1080, height: 1920 }, hasTouch: true });
    const page: Page = await context.newPage();
    page.setDefaultTimeout(20_000);
    page.on('pageerror', () => {
      pageErrors += 1;
    });
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const v = new KioskPage(page, 'en');
    const begin = page.getByRole('button', { name: /Beginnen/ });
    await page.goto(kiosk.url);
    await begin.waitFor();

    const sample = async (sessions: number) => {
      await begin.waitFor();
      await cdp.send('HeapProfiler.collectGarbage');
      await cdp.send('HeapProfiler.collectGarbage');
      const m = await metrics(cdp);
      const dom = await cdp.send('Memory.getDOMCounters');
      samples.push({
        sessions,
        elapsedS: started === 0 ? 0 : (performance.now() - started) / 1000,
        jsHeapUsed: m.JSHeapUsedSize ?? Number.NaN,
        jsHeapTotal: m.JSHeapTotalSize ?? Number.NaN,
        nodes: dom.nodes,
        documents: dom.documents,
        listeners: dom.jsEventListeners,
        layoutObjects: m.LayoutObjects ?? Number.NaN,
        kioskRss: processRss(kiosk.child.pid),
      });
    };

    /**
     * Finish and delete (confirmed once where a journey holds data) → "thank you" → start again →
     * the start screen.
     */
    const leave = async (via: 'done' | 'exit' | 'exitWithData') => {
      await v.button(via === 'done' ? 'result.done' : 'common.exit').tap();
      if (via === 'exitWithData') await v.button('exitConfirm.confirm').tap();
      await v.heading('end.title');
      await page.getByText(v.t('end.deleted')).waitFor();
      await v.button('end.again').tap();
      await begin.waitFor();
    };

    const session = async (i: number, kind: Kind) => {
      await begin.tap();
      await page.getByRole('button', { name: v.t('meta.nativeName'), exact: true }).tap();
      await v.heading('menu.title');
      switch (kind) {
        case 'information': {
          const base = 'services.information';
          const topic = topics[i % topics.length] ?? 'commitmentPrivate';
          await page.getByRole('button', { name: v.t(`${base}.title`) }).tap();
          await v.heading(`${base}.steps.topic.title`);
          await v.choose(base, 'caseType', topic);
          await v.button(`${base}.submit`).tap();
          await page
            .getByRole('heading', { name: v.t(`${base}.fields.caseType.options.${topic}`), exact: true })
            .waitFor();
          await page.getByText(v.t('result.sheet.printed')).waitFor();
          return leave('done');
        }
        case 'callback': {
          const base = 'services.callback-request';
          await page.getByRole('button', { name: v.t(`${base}.title`) }).tap();
          await v.heading(`${base}.steps.topic.title`);
          await v.choose(base, 'topic', 'appointment');
          await v.choose(base, 'urgency', 'normal');
          await v.next();
          await v.heading(`${base}.steps.contact.title`);
          await v.type(base, 'lastName', 'Roth');
          await v.type(base, 'phone', `0341 ${String(100_000 + i).slice(-6)}`);
          await v.choose(base, 'callLanguage', 'en');
          await v.choose(base, 'timeWindow', 'any');
          await v.next();
          await v.heading(`${base}.steps.review.title`);
          await v.next();
          await v.heading(`${base}.steps.declarations.title`);
          await v.tick(base, 'consentContact');
          await v.button('journey.submit').tap();
          await v.heading('result.receiptTitleCallback');
          await page.getByText(v.t('result.print.printed')).waitFor();
          return leave('done');
        }
        case 'abandoned': {
          const base = 'services.callback-request';
          await page.getByRole('button', { name: v.t(`${base}.title`) }).tap();
          await v.heading(`${base}.steps.topic.title`);
          await v.choose(base, 'topic', 'other');
          await v.choose(base, 'urgency', 'normal');
          await v.next();
          await v.heading(`${base}.steps.contact.title`);
          await v.type(base, 'lastName', 'Roth');
          return leave('exitWithData');
        }
        case 'menu': {
          await v.button('privacy.more').tap();
          const notice = page.getByRole('dialog', { name: v.t('privacy.title'), exact: true });
          await notice.waitFor();
          await notice.getByRole('button', { name: v.t('menu.close'), exact: true }).tap();
          await notice.waitFor({ state: 'detached' });
          return leave('exit');
        }
      }
    };

    await sample(0);
    started = performance.now();
    for (let i = 0; i < SESSIONS; i++) {
      const kind = cycle[i % cycle.length] ?? 'information';
      const t0 = performance.now();
      const errorsBefore = pageErrors;
      try {
        await session(i, kind);
        if (pageErrors > errorsBefore) throw new Error('page error');
      } catch (error) {
        // Only the message's first line: never a locator's text that could carry typed input.
        const message = error instanceof Error ? (error.message.split('\n')[0] ?? error.name) : 'unknown';
        failures.push({ session: i, kind, error: message.slice(0, 160) });
        process.stderr.write(`session ${i} (${kind}) failed: ${message.slice(0, 160)}\n`);
        if (failures.length >= MAX_FAILURES_SHOWN) break;
        // Only now is the page loaded again: the soak is about one page that is never reloaded.
        reloads += 1;
        await page.reload();
        await begin.waitFor();
      }
      const c = counts.get(kind) ?? { n: 0, ms: 0 };
      counts.set(kind, { n: c.n + 1, ms: c.ms + performance.now() - t0 });
      for (const name of readdirSync(printed, { withFileTypes: true }))
        if (name.isFile()) rmSync(join(printed, name.name), { force: true });
      if ((i + 1) % SAMPLE_EVERY === 0 || i + 1 === SESSIONS) await sample(i + 1);
    }
  } finally {
    await browser.close();
    await kiosk.stop();
  }
  const totalS = (performance.now() - started) / 1000;

  console.log(
    `sessions by touch: ${SESSIONS} in one page in ${totalS.toFixed(1)} s (${(totalS / SESSIONS).toFixed(2)} s per session), sampled every ${SAMPLE_EVERY} after HeapProfiler.collectGarbage`,
  );
  console.log(
    `  ${[...counts].map(([k, c]) => `${k} ${c.n} (mean ${(c.ms / c.n / 1000).toFixed(2)} s)`).join(', ')}`,
  );
  console.log(`  page errors: ${pageErrors}; page reloads after a failed session: ${reloads}`);
  console.log('');
  console.log(
    table(
      [
        'sessions',
        's',
        'JS heap MiB',
        'JS heap total',
        'DOM nodes',
        'documents',
        'JS listeners',
        'layout objects',
        'kiosk RSS MiB',
      ],
      samples.map((s) => [
        String(s.sessions),
        s.elapsedS.toFixed(0),
        mib(s.jsHeapUsed),
        mib(s.jsHeapTotal),
        String(s.nodes),
        String(s.documents),
        String(s.listeners),
        String(s.layoutObjects),
        s.kioskRss === null ? '-' : mib(s.kioskRss),
      ]),
    ),
  );
  console.log('');
  const heap = growthPer1000(samples, (s) => s.jsHeapUsed);
  const half = samples.filter((s) => s.sessions >= (samples.at(-1)?.sessions ?? 0) / 2);
  const nodes = slope(half.map((s) => ({ x: s.sessions, y: s.nodes }))) * 1000;
  const listeners = slope(half.map((s) => ({ x: s.sessions, y: s.listeners }))) * 1000;
  const rss = growthPer1000(
    samples.filter((s) => s.kioskRss !== null),
    (s) => s.kioskRss ?? 0,
  );
  console.log(
    `JS heap growth, sessions ${heap.from}-${heap.to} (${heap.points} samples, least squares): ${heap.kbPer1000.toFixed(1)} KB per 1,000 sessions`,
  );
  console.log(
    `DOM nodes: ${nodes.toFixed(1)} per 1,000 sessions; JS event listeners: ${listeners.toFixed(1)} per 1,000 sessions (same samples)`,
  );
  console.log(
    `kiosk process (web host + core + portal) RSS growth: ${rss.kbPer1000.toFixed(1)} KB per 1,000 sessions`,
  );
  const first = samples[0];
  const last = samples.at(-1);
  if (first && last)
    console.log(
      `JS heap ${mib(first.jsHeapUsed)} MiB at start, ${mib(last.jsHeapUsed)} MiB after ${last.sessions} sessions; kiosk RSS ${first.kioskRss === null ? '-' : mib(first.kioskRss)} -> ${last.kioskRss === null ? '-' : mib(last.kioskRss)} MiB`,
    );
  if (failures.length > 0) {
    console.log(`FAILED sessions: ${failures.length}`);
    for (const f of failures.slice(0, MAX_FAILURES_SHOWN))
      console.log(`  session ${f.session} (${f.kind}): ${f.error}`);
    return 1;
  }
  return 0;
}

process.exitCode = await main();
