import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capturePreview, storePage } from '../../../device/capture/pipeline.ts';
import { CaptureWorker } from '../../../device/capture/worker-client.ts';
import { pageOnDesk } from '../../fixtures/capture/synthetic.ts';

/** The page check and the pipeline in a worker thread answer as they do in the process. */

let good: Buffer;
let blurred: Buffer;
const worker = new CaptureWorker();

beforeAll(async () => {
  good = await pageOnDesk();
  blurred = await sharp(good).blur(6).jpeg({ quality: 92 }).toBuffer();
});
afterAll(() => worker.close());

describe('CaptureWorker', () => {
  it('checks, previews and stores a page as the process itself does, and leaves the caller its bytes', async () => {
    const bytes = new Uint8Array(good);
    const [inWorker, here] = await Promise.all([
      worker.capturePreview(bytes, { size: 240 }),
      capturePreview(good, { size: 240 }),
    ]);
    if (!inWorker.ok || !here.ok) throw new Error('no preview');
    expect(inWorker.value.check).toEqual(here.value.check);
    expect([inWorker.value.preview.width, inWorker.value.preview.height]).toEqual([
      here.value.preview.width,
      here.value.preview.height,
    ]);
    expect(Buffer.from(bytes).equals(good)).toBe(true);
    const stored = await worker.storePage(good, { check: inWorker.value.check });
    const storedHere = await storePage(good, { check: here.value.check });
    if (!stored.ok || !storedHere.ok) throw new Error('not stored');
    expect(Buffer.from(stored.value.jpeg).equals(Buffer.from(storedHere.value.jpeg))).toBe(true);
    expect(stored.value).toMatchObject({ width: storedHere.value.width, colour: storedHere.value.colour });
  });

  it('answers the page check problems and refusals as values', async () => {
    expect(await worker.capturePreview(blurred)).toMatchObject({
      ok: true,
      value: { check: { ok: false, problems: ['blurred'] } },
    });
    expect(await worker.capturePreview(new TextEncoder().encode('no image'))).toMatchObject({
      ok: false,
      error: { code: 'capture.not_an_image' },
    });
  });

  it('answers capture.worker_failed when closed, and a second worker starts afresh', async () => {
    const other = new CaptureWorker();
    const pending = other.capturePreview(good);
    await other.close();
    expect(await pending).toMatchObject({ ok: false, error: { code: 'capture.worker_failed' } });
    expect(await other.capturePreview(good)).toMatchObject({
      ok: false,
      error: { code: 'capture.worker_failed' },
    });
  });
});
