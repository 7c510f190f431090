/**
 * Receipt building per language: the first build in a fresh process (reads and parses the font
 * files), then p50/p99 over 50 builds after a warm-up, and the PDF size, on roll and A4 paper.
 */
import { performance } from 'node:perf_hooks';
import { defaultCatalog } from '../../core/documents/locale.ts';
import { buildReceipt } from '../../core/documents/receipt.ts';
import { sampleReceiptInput } from '../../core/documents/sample.ts';
import type { PaperSize } from '../../core/documents/types.ts';

const LANGUAGES = ['de', 'de-x-ls', 'en', 'tr', 'uk', 'ru', 'ar', 'fa', 'fr'];
const RUNS = 50;
const WARMUP = 5;
const now = new Date(Date.UTC(2025, 2, 5, 13, 7));

async function build(language: string, paper: PaperSize): Promise<number> {
  const result = await buildReceipt(sampleReceiptInput({ language, paper, now, queuedOffline: true }), {
    catalog: defaultCatalog(),
  });
  if (!result.ok) throw new Error(`${language}: ${result.error.code}`);
  return result.value.byteLength;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

const first = performance.now();
await build('de', 'roll80');
process.stdout.write(
  `first receipt (font loading and parsing included): ${(performance.now() - first).toFixed(1)} ms\n\n`,
);

process.stdout.write('language  paper    p50 ms   p99 ms   size KB\n');
for (const paper of ['roll80', 'a4'] as const) {
  for (const language of LANGUAGES) {
    for (let i = 0; i < WARMUP; i++) await build(language, paper);
    const times: number[] = [];
    let size = 0;
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now();
      size = await build(language, paper);
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    process.stdout.write(
      `${language.padEnd(9)} ${paper.padEnd(7)} ${percentile(times, 50).toFixed(1).padStart(7)} ${percentile(
        times,
        99,
      )
        .toFixed(1)
        .padStart(8)} ${(size / 1024).toFixed(1).padStart(9)}\n`,
    );
  }
}
