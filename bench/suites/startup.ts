/**
 * Start-up: time from process start to `Kiosk ready`, to the first rendered screen in Chromium,
 * and to the menu (attract → language → menu, tapped by the bench). Median of several runs; the
 * browser is started once beforehand and not counted.
 */
import { launchChromium } from '../../test/support/chromium.ts';
import { startKioskProcess } from '../../test/support/kiosk-process.ts';

const runs = Number(process.env.BENCH_RUNS ?? 7);
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

const browser = await launchChromium();
const ready: number[] = [];
const firstScreen: number[] = [];
const menu: number[] = [];
try {
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    const kiosk = await startKioskProcess();
    ready.push(performance.now() - started);
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    await page.goto(kiosk.url);
    await page.getByRole('button', { name: /Beginnen/ }).waitFor();
    firstScreen.push(performance.now() - started);
    await page.getByRole('button', { name: /Beginnen/ }).click();
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'What would you like to do?' }).waitFor();
    menu.push(performance.now() - started);
    await page.close();
    await kiosk.stop();
  }
} finally {
  await browser.close();
}
const fmt = (values: number[]) =>
  `median ${median(values).toFixed(0)} ms (min ${Math.min(...values).toFixed(0)}, max ${Math.max(...values).toFixed(0)})`;
console.log(`runs: ${runs}`);
console.log(`process start -> "Kiosk ready":          ${fmt(ready)}`);
console.log(`process start -> first screen rendered:  ${fmt(firstScreen)}`);
console.log(`process start -> menu (3 taps):           ${fmt(menu)}`);
