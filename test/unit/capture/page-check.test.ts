import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { captureLimits } from '../../../device/capture/limits.ts';
import { checkPage, colourfulnessOf, orderCorners, quadSize } from '../../../device/capture/page-check.ts';
import { PAGE_CHECK_THRESHOLDS } from '../../../device/capture/thresholds.ts';
import { PAGE_PROBLEMS } from '../../../device/capture/types.ts';
import { emptyDesk, flatPage, pageOnDesk } from '../../fixtures/capture/synthetic.ts';

async function check(bytes: Uint8Array) {
  const result = await checkPage(bytes);
  if (!result.ok) throw new Error(result.error.code);
  return result.value;
}

describe('page check', () => {
  it('passes a sharp, well lit page lying on the desk and finds its corners', async () => {
    const r = await check(await pageOnDesk());
    expect(r.problems).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.page?.fillsFrame).toBe(false);
    expect(r.page?.touchesEdge).toBe(false);
    const expected = [
      [250, 60],
      [550, 60],
      [550, 540],
      [250, 540],
    ];
    r.page?.corners.forEach(([x, y], i) => {
      expect(Math.abs(x - (expected[i]?.[0] ?? 0))).toBeLessThan(12);
      expect(Math.abs(y - (expected[i]?.[1] ?? 0))).toBeLessThan(12);
    });
  });

  it('finds a page lying at an angle', async () => {
    const r = await check(
      await pageOnDesk({
        corners: [
          [300, 40],
          [600, 110],
          [500, 580],
          [200, 510],
        ],
      }),
    );
    expect(r.problems).toEqual([]);
    expect(r.page?.atAngle).toBe(true);
  });

  it('passes a flat scan that fills the frame', async () => {
    const r = await check(await flatPage());
    expect(r.problems).toEqual([]);
    expect(r.page?.fillsFrame).toBe(true);
  });

  it('finds blur, darkness, overexposure, a cut page and an empty desk', async () => {
    const good = await pageOnDesk();
    const blurred = await sharp(good).blur(4).jpeg().toBuffer();
    expect((await check(blurred)).problems).toEqual(['blurred']);
    const dark = await sharp(good).linear(0.25, 0).jpeg().toBuffer();
    expect((await check(dark)).problems).toEqual(['too_dark']);
    const bright = await sharp(good).linear(1.5, 120).jpeg().toBuffer();
    expect((await check(bright)).problems).toEqual(['too_bright']);
    const cut = await pageOnDesk({
      corners: [
        [500, 100],
        [900, 100],
        [900, 560],
        [500, 560],
      ],
    });
    expect((await check(cut)).problems).toEqual(['cut_off']);
    expect((await check(await emptyDesk())).problems).toEqual(['no_document']);
  });

  it('finds content cut off at the edge of a frame-filling scan', async () => {
    const page = await flatPage();
    const { width = 0, height = 0 } = await sharp(page).metadata();
    const cropped = await sharp(page)
      .extract({ left: Math.round(width * 0.3), top: 0, width: Math.round(width * 0.7), height })
      .png()
      .toBuffer();
    expect((await check(cropped)).problems).toEqual(['cut_off']);
    expect(height).toBeGreaterThan(0);
  });

  it('reports only problems of its vocabulary, with the measures it decided on', async () => {
    const r = await check(await pageOnDesk());
    for (const p of r.problems) expect(PAGE_PROBLEMS).toContain(p);
    expect(r.measures.sharpness).toBeGreaterThan(PAGE_CHECK_THRESHOLDS.minSharpness);
    expect((await check(await emptyDesk())).measures.sharpness).toBeNull();
    expect(r.measures.paperLevel).toBeGreaterThan(PAGE_CHECK_THRESHOLDS.tooDarkPaperLevel);
  });

  it('refuses what is not a PNG or JPEG, and images over the limits, before decoding', async () => {
    expect(await checkPage(new TextEncoder().encode('%PDF-1.7'))).toMatchObject({
      ok: false,
      error: { code: 'capture.not_an_image' },
    });
    const truncated = (await pageOnDesk()).subarray(0, 200);
    expect(await checkPage(truncated)).toMatchObject({ ok: false, error: { code: 'capture.not_an_image' } });
    const page = await pageOnDesk();
    expect(await checkPage(page, { limits: captureLimits({ maxImagePixels: 1000 }) })).toMatchObject({
      ok: false,
      error: { code: 'capture.image_too_large' },
    });
    expect(await checkPage(page, { limits: captureLimits({ maxImageBytes: 100 }) })).toMatchObject({
      ok: false,
      error: { code: 'capture.image_too_large' },
    });
  });

  it('takes thresholds as data', async () => {
    const r = await checkPage(await pageOnDesk(), { thresholds: { minSharpness: 5 } });
    expect(r.ok && r.value.problems).toEqual(['blurred']);
  });
});

describe('geometry and colour helpers', () => {
  it('orders corners TL, TR, BR, BL and measures the straightened size', () => {
    const q = orderCorners([
      [10, 200],
      [110, 0],
      [0, 10],
      [120, 190],
    ]);
    expect(q).toEqual([
      [0, 10],
      [110, 0],
      [120, 190],
      [10, 200],
    ]);
    const size = quadSize(q);
    expect(size.width).toBeCloseTo(110.3, 0);
    expect(size.height).toBeCloseTo(190.3, 0);
  });

  it('measures colourfulness (Hasler–Süsstrunk): zero for grey, high for colour', () => {
    const grey = new Uint8Array(300).map((_, i) => (i % 3 === 0 ? 100 : i % 3 === 1 ? 100 : 100));
    expect(colourfulnessOf(grey)).toBe(0);
    const colour = new Uint8Array(300).map((_, i) =>
      (Math.floor(i / 3) % 2 === 0) === (i % 3 === 0) ? 220 : 30,
    );
    expect(colourfulnessOf(colour)).toBeGreaterThan(PAGE_CHECK_THRESHOLDS.maxGrayColourfulness);
  });
});

describe('capture limits', () => {
  it('defaults to 20 pages a document and 25 MB an application, and refuses bad values', () => {
    const limits = captureLimits();
    expect(limits.maxPagesPerDocument).toBe(20);
    expect(limits.maxApplicationBytes).toBe(25 * 1024 * 1024);
    expect(captureLimits({ maxPagesPerDocument: 5 }).maxPagesPerDocument).toBe(5);
    expect(() => captureLimits({ maxPagesPerDocument: 0 })).toThrow(/maxPagesPerDocument/);
    expect(() => captureLimits({ maxApplicationBytes: 1.5 })).toThrow(/maxApplicationBytes/);
  });
});
