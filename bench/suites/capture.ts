/**
 * Document capture: the page check, capture-to-preview (decode + check + thumbnail) and
 * page-to-sealed-ready (straighten, fit to A4 at 150 dpi, grayscale, mozjpeg, one-page PDF with
 * its SHA-256), p50/p99, on pages of the capture test set (made from the project's own papers
 * and a passport-like page): document-camera frames (1600 x 1200 JPEG, and the same upscaled to
 * a 12 MP frame) and flatbed scans (A4 at 100 dpi PNG). Then the stored bytes per page over the
 * good pages of the set, and how long the event loop was held (OpenCV runs on the main thread).
 * `CAPTURE_BENCH_RUNS` (default 20) runs per row after 3 warm-up runs.
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import sharp from 'sharp';
import { loadOpenCv } from '../../device/capture/opencv.ts';
import { checkPage } from '../../device/capture/page-check.ts';
import { buildDocumentPdf } from '../../device/capture/pdf.ts';
import { capturePreview, storePage } from '../../device/capture/pipeline.ts';
import { makePageSet, renderSourcePages } from '../../test/fixtures/capture/pages.ts';

const RUNS = Number(process.env.CAPTURE_BENCH_RUNS ?? 20);
const WARMUP = 3;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

async function time(fn: () => Promise<unknown>): Promise<{ p50: number; p99: number }> {
  for (let i = 0; i < WARMUP; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}

const t0 = performance.now();
await loadOpenCv();
process.stdout.write(`OpenCV (WebAssembly) load: ${(performance.now() - t0).toFixed(0)} ms\n`);

const t1 = performance.now();
const set = await makePageSet(await renderSourcePages());
process.stdout.write(
  `test set: ${set.length} images made in ${((performance.now() - t1) / 1000).toFixed(1)} s\n\n`,
);

const pick = (name: string) => {
  const image = set.find((i) => i.name === name);
  if (!image) throw new Error(name);
  return image.bytes;
};
const camera = pick('info-sheet-en/camera-angled');
const camera12 = await sharp(camera).resize(4032, 3024).jpeg({ quality: 90 }).toBuffer();
const scan = pick('receipt-de/scan');
const passport = pick('passport/camera-angled');

const rows: [string, Buffer][] = [
  ['camera 1600x1200, A4 at an angle', camera],
  ['camera 4032x3024 (12 MP)', camera12],
  ['camera, passport at an angle', passport],
  ['scan A4 100 dpi PNG', scan],
];

const loop = monitorEventLoopDelay({ resolution: 1 });
loop.enable();
process.stdout.write(
  'input                               check p50/p99 ms   preview p50/p99 ms   sealed-ready p50/p99 ms   page KB\n',
);
for (const [label, bytes] of rows) {
  const check = await time(() => checkPage(bytes));
  const preview = await time(() => capturePreview(bytes));
  let pageBytes = 0;
  // The check is done once the page is taken; sealing-ready reuses it.
  const checked = await checkPage(bytes);
  if (!checked.ok) throw new Error(checked.error.code);
  const sealed = await time(async () => {
    const page = await storePage(bytes, { check: checked.value });
    if (!page.ok) throw new Error(page.error.code);
    pageBytes = page.value.jpeg.byteLength;
    const pdf = await buildDocumentPdf([page.value]);
    if (!pdf.ok) throw new Error(pdf.error.code);
  });
  const f = (r: { p50: number; p99: number }) =>
    `${r.p50.toFixed(0).padStart(6)} /${r.p99.toFixed(0).padStart(5)}`;
  process.stdout.write(
    `${label.padEnd(36)} ${f(check).padStart(16)} ${f(preview).padStart(20)} ${f(sealed).padStart(25)} ${(pageBytes / 1024).toFixed(0).padStart(9)}\n`,
  );
}
loop.disable();
process.stdout.write(
  `\nevent loop held (all rows above): p50 ${(loop.percentile(50) / 1e6).toFixed(0)} ms, p99 ${(loop.percentile(99) / 1e6).toFixed(0)} ms, max ${(loop.max / 1e6).toFixed(0)} ms\n`,
);

// Bytes per stored page: every good page of the set (camera frames and 100 dpi scans, stored at
// their own resolution, never enlarged), and the source pages scanned at 200 dpi (stored at 150).
async function bytesPerPage(label: string, images: Buffer[]): Promise<void> {
  const sizes: number[] = [];
  const kinds = { colour: 0, grayscale: 0 };
  const dpis: number[] = [];
  for (const bytes of images) {
    const page = await storePage(bytes);
    if (!page.ok) throw new Error(page.error.code);
    sizes.push(page.value.jpeg.byteLength);
    dpis.push(page.value.dpi);
    kinds[page.value.colour]++;
  }
  sizes.sort((a, b) => a - b);
  dpis.sort((a, b) => a - b);
  process.stdout.write(
    `${label}: ${sizes.length} pages, median ${(percentile(sizes, 50) / 1024).toFixed(0)} KB, max ${((sizes.at(-1) ?? 0) / 1024).toFixed(0)} KB, ${dpis[0]}-${dpis.at(-1)} dpi on A4; ${kinds.grayscale} grayscale, ${kinds.colour} colour\n`,
  );
}
process.stdout.write('\nstored pages (mozjpeg, target 150 dpi on A4):\n');
await bytesPerPage(
  '  good pages of the set',
  set.filter((i) => i.expected.length === 0).map((i) => i.bytes),
);
const scans200 = await renderSourcePages(200);
await bytesPerPage(
  '  source pages scanned at 200 dpi',
  scans200.map((s) => s.png),
);
