import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultAuthorityFacts } from '../../../core/authority.ts';
import { buildReceipt } from '../../../core/documents/receipt.ts';
import { CupsPrinter } from '../../../core/printing/cups.ts';
import { createPdfQueue, type PdfQueue } from '../../support/cups.ts';
import { decodeQr, pdfFileText, renderPng } from '../../support/pdf.ts';

async function sampleReceipt(trackingNumber: string): Promise<Uint8Array> {
  const result = await buildReceipt({
    trackingNumber,
    caseType: 'residence-permit-extension',
    submittedAt: new Date(Date.UTC(2025, 5, 1, 8, 30)),
    terminalLocation: 'Bürgerbüro Mitte',
    language: 'uk',
    queuedOffline: false,
    paper: 'roll80',
    answers: {},
    authority: defaultAuthorityFacts,
  });
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

describe('printing through a real CUPS queue (cups-pdf)', () => {
  let queue: PdfQueue;
  let printer: CupsPrinter;

  beforeAll(async () => {
    // Fails (does not skip) when CUPS cannot run: the CI machine must provide it.
    queue = await createPdfQueue(`kiosk-test-${randomBytes(3).toString('hex')}`);
    // cups-pdf re-creates the PDF from PostScript. With the default Ghostscript conversion the
    // subset fonts lose their ToUnicode maps and the output's text cannot be extracted (it still
    // prints correctly); poppler's pdftocairo keeps them, so the test can read the text back.
    // A roll receipt is longer than the queue's default page: a site sets its roll's media, the
    // test queue fits the page instead of cutting off its top.
    printer = new CupsPrinter({
      name: queue.name,
      jobOptions: { 'pdftops-renderer': 'pdftocairo', 'fit-to-page': 'true' },
    });
  });

  afterAll(async () => {
    await queue?.dispose();
  });

  it('prints a receipt and the PDF appears with the tracking number in it', async () => {
    expect(await printer.state()).toEqual({ status: 'ready', reasons: [] });
    const result = await printer.print(await sampleReceipt('ST-2025-424242'), { jobName: 'kiosk receipt' });
    expect(result).toMatchObject({ ok: true });
    if (result.ok) expect(result.value.jobId).toMatch(new RegExp(`^${queue.name}-\\d+$`));
    const output = await queue.waitForOutput();
    expect(output, 'cups-pdf wrote no PDF within 15 s').toBeDefined();
    const text = await pdfFileText(output ?? '');
    expect(text).toContain('ST-2025-424242');
    expect(text).toContain('Продовження дозволу на проживання');
    const scanned = decodeQr(await renderPng(new Uint8Array(await readFile(output ?? ''))));
    expect(scanned).toBe('ST1:ST-2025-424242');
  });

  it('reports a disabled queue as offline and refuses to print on it', async () => {
    await queue.disable();
    try {
      const state = await printer.state();
      expect(state.status).toBe('offline');
      expect(state.reasons).toContain('stopped');
      expect(
        await printer.print(await sampleReceipt('ST-2025-424243'), { jobName: 'kiosk receipt' }),
      ).toMatchObject({
        ok: false,
        error: { code: 'printer.offline' },
      });
    } finally {
      await queue.enable();
    }
    expect((await printer.state()).status).toBe('ready');
  });

  it('reports a queue that rejects jobs as offline', async () => {
    await queue.reject();
    try {
      expect(await printer.state()).toEqual({ status: 'offline', reasons: ['not-accepting-jobs'] });
      expect(
        await printer.print(await sampleReceipt('ST-2025-424244'), { jobName: 'kiosk receipt' }),
      ).toMatchObject({
        ok: false,
        error: { code: 'printer.offline' },
      });
    } finally {
      await queue.accept();
    }
  });

  it('reports a queue that does not exist as an error', async () => {
    const missing = new CupsPrinter({ name: `${queue.name}-missing` });
    expect(await missing.state()).toEqual({ status: 'error', reasons: ['printer-not-found'] });
  });
});
