import { PDFDocument } from 'pdf-lib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { CapturedDocuments } from '../../../device/capture/documents.ts';
import { captureLimits } from '../../../device/capture/limits.ts';
import { buildDocumentPdf, sha256Hex } from '../../../device/capture/pdf.ts';
import { capturePreview, fitA4, storePage } from '../../../device/capture/pipeline.ts';
import type { StoredPage } from '../../../device/capture/types.ts';
import { flatPage, pageOnDesk } from '../../fixtures/capture/synthetic.ts';

async function stored(bytes: Uint8Array, options = {}): Promise<StoredPage> {
  const r = await storePage(bytes, options);
  if (!r.ok) throw new Error(r.error.code);
  return r.value;
}

describe('storing a page', () => {
  it('cuts a page lying at an angle out of the frame and straightens it', async () => {
    const frame = await pageOnDesk({
      width: 1600,
      height: 1200,
      corners: [
        [600, 100],
        [1200, 220],
        [1000, 1150],
        [400, 1030],
      ],
    });
    const page = await stored(frame);
    expect(page.straightened).toBe(true);
    // The page's own proportions (its sides in the frame are 612 and 951 px: 1.55), not the
    // frame's (4:3).
    expect(page.height / page.width).toBeGreaterThan(1.5);
    expect(page.height / page.width).toBeLessThan(1.6);
    // Its corners are paper, not desk.
    const { data, info } = await sharp(page.jpeg).grayscale().raw().toBuffer({ resolveWithObject: true });
    for (const [x, y] of [
      [3, 3],
      [info.width - 4, 3],
      [3, info.height - 4],
      [info.width - 4, info.height - 4],
    ] as const) {
      expect(data[y * info.width + x]).toBeGreaterThan(180);
    }
  });

  it('stores a page without colour as grayscale and a colourful one in colour, as JPEG', async () => {
    const grey = await stored(await flatPage({ dpi: 200 }));
    expect(grey.colour).toBe('grayscale');
    expect((await sharp(grey.jpeg).metadata()).channels).toBe(1);
    const colour = await stored(await flatPage({ dpi: 200, colour: true }));
    expect(colour.colour).toBe('colour');
    expect((await sharp(colour.jpeg).metadata()).format).toBe('jpeg');
  });

  it('fits into A4 at 150 dpi, never enlarges, and keeps within the page budget', async () => {
    const page = await stored(await flatPage({ dpi: 300 }));
    expect(page.width).toBe(1240);
    expect(page.height).toBe(1754);
    expect(page.dpi).toBe(150);
    expect(page.jpeg.byteLength).toBeLessThan(300 * 1024);
    const small = await stored(await flatPage({ dpi: 80 }));
    expect(small.dpi).toBe(80);
    expect(fitA4(3000, 2000, 150)).toMatchObject({ width: 1754, height: 1169 });
    // A tiny budget lowers the quality in steps.
    const tight = await stored(await flatPage({ dpi: 300 }), { targetPageBytes: 20_000 });
    expect(tight.jpeg.byteLength).toBeLessThan(page.jpeg.byteLength);
  });

  it('gives the check and a thumbnail for the preview', async () => {
    const r = await capturePreview(
      await pageOnDesk({
        width: 1600,
        height: 1200,
        corners: [
          [500, 100],
          [1100, 100],
          [1100, 1100],
          [500, 1100],
        ],
      }),
    );
    if (!r.ok) throw new Error(r.error.code);
    expect(r.value.check.ok).toBe(true);
    expect(Math.max(r.value.preview.width, r.value.preview.height)).toBe(480);
    expect((await sharp(r.value.preview.jpeg).metadata()).format).toBe('jpeg');
    expect(await capturePreview(new Uint8Array([1, 2, 3]))).toMatchObject({
      ok: false,
      error: { code: 'capture.not_an_image' },
    });
  });
});

describe('document PDF', () => {
  it('puts each page on its own A4 sheet and gives a reproducible SHA-256', async () => {
    const portrait = await stored(await flatPage({ dpi: 150 }));
    const landscapeJpeg = await sharp(portrait.jpeg).rotate(90).jpeg().toBuffer();
    const landscape: StoredPage = {
      ...portrait,
      jpeg: new Uint8Array(landscapeJpeg),
      width: portrait.height,
      height: portrait.width,
    };
    const a = await buildDocumentPdf([portrait, landscape]);
    const b = await buildDocumentPdf([portrait, landscape]);
    if (!a.ok || !b.ok) throw new Error('pdf');
    expect(a.value.pages).toBe(2);
    expect(a.value.sha256).toBe(sha256Hex(a.value.pdf));
    expect(b.value.sha256).toBe(a.value.sha256);
    const doc = await PDFDocument.load(a.value.pdf);
    const [p1, p2] = doc.getPages();
    expect(Math.round(p1?.getWidth() ?? 0)).toBe(595);
    expect(Math.round(p2?.getWidth() ?? 0)).toBe(842);
    // The JPEG is embedded as it is.
    expect(Buffer.from(a.value.pdf).includes(Buffer.from(portrait.jpeg.subarray(0, 64)))).toBe(true);
    expect(await buildDocumentPdf([])).toMatchObject({ ok: false, error: { code: 'capture.no_pages' } });
  });
});

describe('captured documents and their limits', () => {
  const page = (bytes: number): StoredPage => ({
    jpeg: new Uint8Array(bytes).fill(7),
    width: 100,
    height: 141,
    dpi: 150,
    colour: 'grayscale',
    straightened: false,
  });

  it('refuses the page after the per-document limit, typed', () => {
    const docs = new CapturedDocuments(captureLimits({ maxPagesPerDocument: 3 }));
    for (let i = 0; i < 3; i++)
      expect(docs.addPage('payslips', page(10))).toEqual({ ok: true, value: { index: i } });
    expect(docs.addPage('payslips', page(10))).toMatchObject({
      ok: false,
      error: { code: 'capture.too_many_pages' },
    });
    expect(docs.addPage('passport', page(10)).ok).toBe(true);
  });

  it('refuses a page that would make the application too large, also on retake', () => {
    const docs = new CapturedDocuments(captureLimits({ maxApplicationBytes: 50_000 }));
    expect(docs.addPage('a', page(20_000)).ok).toBe(true);
    expect(docs.addPage('b', page(20_000)).ok).toBe(true);
    expect(docs.addPage('b', page(20_000))).toMatchObject({
      ok: false,
      error: { code: 'capture.application_too_large' },
    });
    expect(docs.replacePage('a', 0, page(40_000))).toMatchObject({
      ok: false,
      error: { code: 'capture.application_too_large' },
    });
    expect(docs.replacePage('a', 0, page(5_000)).ok).toBe(true);
  });

  it('reorders, deletes and clears, overwriting dropped buffers', async () => {
    const docs = new CapturedDocuments();
    const [p1, p2, p3] = [page(10), page(20), page(30)];
    docs.addPage('d', p1);
    docs.addPage('d', p2);
    docs.addPage('d', p3);
    docs.movePage('d', 2, 0);
    expect(docs.pages('d').map((p) => p.jpeg.byteLength)).toEqual([30, 10, 20]);
    docs.removePage('d', 1);
    expect(p1.jpeg.every((b) => b === 0)).toBe(true);
    expect(docs.pages('d').map((p) => p.jpeg.byteLength)).toEqual([30, 20]);
    expect(() => docs.movePage('d', 0, 5)).toThrow(RangeError);
    docs.clear();
    expect(p3.jpeg.every((b) => b === 0)).toBe(true);
    expect(docs.documentIds()).toEqual([]);
  });

  it('builds one PDF per document', async () => {
    const docs = new CapturedDocuments();
    const real = await stored(await flatPage({ dpi: 100 }));
    docs.addPage('passport', real);
    docs.addPage('payslips', real);
    docs.addPage('payslips', real);
    const pdfs = await docs.toPdfs();
    if (!pdfs.ok) throw new Error(pdfs.error.code);
    expect([...pdfs.value.keys()]).toEqual(['passport', 'payslips']);
    expect(pdfs.value.get('payslips')?.pages).toBe(2);
  });
});
