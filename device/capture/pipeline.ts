/**
 * The image pipeline, all in memory (sharp works on buffers, OpenCV in WebAssembly memory; no
 * temporary files):
 *
 * - `capturePreview`: what the visitor sees at once after a page is taken: the page check and a
 *   small JPEG thumbnail, decoded from the same bytes in parallel.
 * - `storePage`: the page as the application keeps it: a page lying at an angle straightened
 *   (perspective correction from the check's corners), fitted into A4 at `dpi` (150 by default;
 *   never enlarged), grayscale when it has no colour, JPEG by mozjpeg; the quality is lowered in
 *   steps while the page is above `targetPageBytes` (300 KB), so a page stays readable and small.
 */
import sharp from 'sharp';
import { describe, openImage, type RawImage, toRaw } from './image.ts';
import { type CaptureLimits, DEFAULT_CAPTURE_LIMITS } from './limits.ts';
import { loadOpenCv, withMats } from './opencv.ts';
import { checkPage, colourfulnessOf, type DetectedPage, type PageCheck, quadSize } from './page-check.ts';
import { PAGE_CHECK_THRESHOLDS, type PageCheckThresholds } from './thresholds.ts';
import type { Result, StoredPage } from './types.ts';

/** A4 in inches. */
export const A4_INCHES = Object.freeze({ short: 210 / 25.4, long: 297 / 25.4 });

export interface StoreOptions {
  /** Resolution on A4 (the page is fitted into A4 at this many dots per inch). Default 150. */
  readonly dpi?: number;
  /** First JPEG quality tried (mozjpeg). Default 75. */
  readonly quality?: number;
  /** Qualities tried in turn while the page is larger than `targetPageBytes`. */
  readonly fallbackQualities?: readonly number[];
  /** Default 300 KB. */
  readonly targetPageBytes?: number;
  /** The check of these bytes, when the caller has it already (the page is not looked for again). */
  readonly check?: PageCheck;
  readonly thresholds?: Partial<PageCheckThresholds>;
  readonly limits?: CaptureLimits;
}

export const STORE_DEFAULTS = Object.freeze({
  dpi: 150,
  quality: 75,
  fallbackQualities: [65, 55, 45, 35],
  targetPageBytes: 300 * 1024,
});

export interface Preview {
  readonly jpeg: Uint8Array;
  readonly width: number;
  readonly height: number;
}

export interface CapturePreview {
  readonly check: PageCheck;
  readonly preview: Preview;
}

/** The page check and a thumbnail (`size` px on the long side, default 480) of one image. */
export async function capturePreview(
  bytes: Uint8Array,
  options: {
    readonly size?: number;
    readonly thresholds?: Partial<PageCheckThresholds>;
    readonly limits?: CaptureLimits;
  } = {},
): Promise<Result<CapturePreview>> {
  const size = options.size ?? 480;
  const opened = await openImage(bytes, options.limits ?? DEFAULT_CAPTURE_LIMITS);
  if (!opened.ok) return opened;
  const [check, preview] = await Promise.all([
    checkPage(bytes, options),
    opened.value
      .pipeline()
      .resize(size, size, { fit: 'inside', withoutEnlargement: true })
      .jpeg({ quality: 70 })
      .toBuffer({ resolveWithObject: true })
      .then(
        ({ data, info }) => ({
          ok: true as const,
          value: { jpeg: new Uint8Array(data), width: info.width, height: info.height },
        }),
        (error: unknown) => ({
          ok: false as const,
          error: { code: 'capture.not_an_image' as const, message: `cannot decode: ${describe(error)}` },
        }),
      ),
  ]);
  if (!check.ok) return check;
  if (!preview.ok) return preview;
  return { ok: true, value: { check: check.value, preview: preview.value } };
}

/** The largest size of `width` x `height` that fits into A4 at `dpi` (never enlarged). */
export function fitA4(
  width: number,
  height: number,
  dpi: number,
): { width: number; height: number; scale: number } {
  const landscape = width > height;
  const boxW = (landscape ? A4_INCHES.long : A4_INCHES.short) * dpi;
  const boxH = (landscape ? A4_INCHES.short : A4_INCHES.long) * dpi;
  const scale = Math.min(1, boxW / width, boxH / height);
  return {
    width: Math.max(1, Math.round(width * scale)),
    height: Math.max(1, Math.round(height * scale)),
    scale,
  };
}

/** Straightens the page (perspective) or fits the whole image; RGB pixels at the stored size. */
async function pagePixels(
  full: RawImage,
  page: DetectedPage | null,
  dpi: number,
): Promise<{ raw: RawImage; straightened: boolean; dpi: number }> {
  // A page lying on the desk is cut out of the frame (and straightened if at an angle); a page
  // filling the frame, or running off it, is kept whole.
  if (page === null || page.fillsFrame || page.touchesEdge) {
    const size = fitA4(full.width, full.height, dpi);
    const data = await sharp(full.data, { raw: { width: full.width, height: full.height, channels: 3 } })
      .resize(size.width, size.height, { kernel: 'lanczos3' })
      .raw()
      .toBuffer();
    return {
      raw: { data, width: size.width, height: size.height, channels: 3 },
      straightened: false,
      dpi: storedDpi(size.width, size.height),
    };
  }
  const q = page.corners;
  const natural = quadSize(q);
  const size = fitA4(natural.width, natural.height, dpi);
  const cv = await loadOpenCv();
  const data = withMats((keep) => {
    const src = keep(new cv.Mat(full.height, full.width, cv.CV_8UC3));
    src.data.set(full.data);
    const dst = keep(new cv.Mat());
    const from = keep(cv.matFromArray(4, 1, cv.CV_32FC2, q.flat()));
    const to = keep(
      cv.matFromArray(4, 1, cv.CV_32FC2, [0, 0, size.width, 0, size.width, size.height, 0, size.height]),
    );
    const m = keep(cv.getPerspectiveTransform(from, to));
    // Shrinking by more than half: area averaging first would be better; the warp's bilinear
    // filter is enough at the ratios of a document camera (the page fills half the frame).
    cv.warpPerspective(
      src,
      dst,
      m,
      new cv.Size(size.width, size.height),
      cv.INTER_LINEAR,
      cv.BORDER_REPLICATE,
      new cv.Scalar(),
    );
    return Buffer.from(dst.data);
  });
  return {
    raw: { data, width: size.width, height: size.height, channels: 3 },
    straightened: page.atAngle,
    dpi: storedDpi(size.width, size.height),
  };
}

/** Dots per inch of a stored page of this size when printed fitted on A4. */
function storedDpi(width: number, height: number): number {
  const landscape = width > height;
  return Math.round(
    Math.min(
      width / (landscape ? A4_INCHES.long : A4_INCHES.short),
      height / (landscape ? A4_INCHES.short : A4_INCHES.long),
    ),
  );
}

/** The page as the application stores it (see the module comment). */
export async function storePage(bytes: Uint8Array, options: StoreOptions = {}): Promise<Result<StoredPage>> {
  const dpi = options.dpi ?? STORE_DEFAULTS.dpi;
  const target = options.targetPageBytes ?? STORE_DEFAULTS.targetPageBytes;
  const thresholds: PageCheckThresholds = { ...PAGE_CHECK_THRESHOLDS, ...options.thresholds };
  const opened = await openImage(bytes, options.limits ?? DEFAULT_CAPTURE_LIMITS);
  if (!opened.ok) return opened;
  let check = options.check;
  if (check === undefined) {
    const checked = await checkPage(bytes, options);
    if (!checked.ok) return checked;
    check = checked.value;
  }
  try {
    const full = await toRaw(opened.value.pipeline(), 3);
    const { raw, straightened, dpi: actualDpi } = await pagePixels(full, check.page, dpi);
    const small = await sharp(raw.data, { raw: { width: raw.width, height: raw.height, channels: 3 } })
      .resize(256, 256, { fit: 'inside' })
      .raw()
      .toBuffer();
    const colour = colourfulnessOf(small) < thresholds.maxGrayColourfulness ? 'grayscale' : 'colour';
    const encode = (quality: number) => {
      let p = sharp(raw.data, { raw: { width: raw.width, height: raw.height, channels: 3 } });
      // One channel in the JPEG (grayscale() alone keeps three identical ones on raw input).
      if (colour === 'grayscale') p = p.toColourspace('b-w');
      return p.jpeg({ quality, mozjpeg: true }).toBuffer();
    };
    let jpeg = await encode(options.quality ?? STORE_DEFAULTS.quality);
    for (const quality of options.fallbackQualities ?? STORE_DEFAULTS.fallbackQualities) {
      if (jpeg.byteLength <= target) break;
      jpeg = await encode(quality);
    }
    return {
      ok: true,
      value: {
        jpeg: new Uint8Array(jpeg),
        width: raw.width,
        height: raw.height,
        dpi: actualDpi,
        colour,
        straightened,
      },
    };
  } catch (error) {
    return {
      ok: false,
      error: { code: 'capture.not_an_image', message: `cannot decode: ${describe(error)}` },
    };
  }
}
