/**
 * The page check: is this image (a camera frame, a scan, a file) a page a clerk can read?
 *
 * 1. Where is the page? On a small copy (`analysisSize`), Otsu's threshold separates the bright
 *    paper from what lies around it, a closing fills the text, and the largest region is the page
 *    candidate. A convex, quadrilateral region clearly brighter than its surroundings is a page
 *    lying on the desk (its four corners are fitted; a page at an angle is straightened from
 *    them). A region that covers nearly the whole frame and touches every side is a page filling
 *    the frame (a scan). A page region that touches a side of the frame is cut off.
 * 2. What is on it? The page is straightened (perspective) to `canonicalLongSide` pixels and
 *    measured there: the paper level and ink level (luminance percentiles) for the exposure, the
 *    ink fraction for "is there anything on it", ink along the sides of a frame-filling page for
 *    "cut off", and the sharpness (below) for blur.
 *
 * Thresholds are data: `thresholds.ts`. Nothing is written to disk; the image is decoded from
 * the buffer by sharp, and OpenCV's Mats are freed before the check returns.
 */

import { describe, openImage, type RawImage, toRaw } from './image.ts';
import { type CaptureLimits, DEFAULT_CAPTURE_LIMITS } from './limits.ts';
import { loadOpenCv, type Mat, type OpenCv, withMats } from './opencv.ts';
import { PAGE_CHECK_THRESHOLDS, type PageCheckThresholds } from './thresholds.ts';
import type { PageProblem, Point, Quad, Result } from './types.ts';

export interface PageCheckOptions {
  readonly thresholds?: Partial<PageCheckThresholds>;
  readonly limits?: CaptureLimits;
}

/** Where the page is in the image (original pixel coordinates). */
export interface DetectedPage {
  /** TL, TR, BR, BL; for a page filling the frame, the frame's corners. */
  readonly corners: Quad;
  /** The page fills the frame (a scan, or a photo taken close up). */
  readonly fillsFrame: boolean;
  /** The page is not an upright rectangle in the frame: it is straightened when stored. */
  readonly atAngle: boolean;
  /** The page region runs into the frame's edge (part of the page is outside the picture). */
  readonly touchesEdge: boolean;
}

/** Every figure the decision was made on (for logs, tuning and `kiosk scan-check --measures`). */
export interface PageMeasures {
  readonly pageFraction: number;
  readonly solidity: number;
  readonly quadFit: number;
  readonly pageContrast: number;
  readonly touchedSides: number;
  readonly edgeInk: number;
  readonly paperLevel: number;
  readonly inkLevel: number;
  readonly clipped: number;
  readonly frameClipped: number;
  readonly inkFraction: number;
  /** null: nothing on the page to judge focus by. */
  readonly sharpness: number | null;
  readonly colourfulness: number;
}

export interface PageCheck {
  readonly ok: boolean;
  /** In the order the visitor should fix them; empty when ok. */
  readonly problems: readonly PageProblem[];
  readonly page: DetectedPage | null;
  readonly measures: PageMeasures;
  /** The image's size (EXIF orientation applied). */
  readonly width: number;
  readonly height: number;
}

const round = (v: number, digits = 3) => Number(v.toFixed(digits));

/** Checks one image. Refusals (not an image, too large) are errors; page problems are not. */
export async function checkPage(
  bytes: Uint8Array,
  options: PageCheckOptions = {},
): Promise<Result<PageCheck>> {
  const t: PageCheckThresholds = { ...PAGE_CHECK_THRESHOLDS, ...options.thresholds };
  const opened = await openImage(bytes, options.limits ?? DEFAULT_CAPTURE_LIMITS);
  if (!opened.ok) return opened;
  const image = opened.value;
  let small: RawImage;
  let large: RawImage;
  try {
    [small, large] = await Promise.all([
      toRaw(image.pipeline().resize(t.analysisSize, t.analysisSize, { fit: 'inside' }), 3),
      toRaw(
        image.pipeline().resize(t.canonicalLongSide * 2, t.canonicalLongSide * 2, {
          fit: 'inside',
          withoutEnlargement: true,
        }),
        1,
      ),
    ]);
  } catch (error) {
    return {
      ok: false,
      error: { code: 'capture.not_an_image', message: `cannot decode: ${describe(error)}` },
    };
  }
  const cv = await loadOpenCv();
  const analysis = analyse(cv, small, large, t);
  const scale = image.width / small.width;
  const page =
    analysis.region === null
      ? null
      : {
          corners: analysis.region.corners.map(([x, y]) => [
            round(x * scale, 1),
            round(y * scale, 1),
          ]) as unknown as Quad,
          fillsFrame: analysis.region.fillsFrame,
          atAngle: analysis.region.atAngle,
          touchesEdge: analysis.region.cut,
        };
  return {
    ok: true,
    value: {
      ok: analysis.problems.length === 0,
      problems: analysis.problems,
      page,
      measures: analysis.measures,
      width: image.width,
      height: image.height,
    },
  };
}

interface Region {
  /** In `small` coordinates. */
  readonly corners: Quad;
  readonly fillsFrame: boolean;
  readonly cut: boolean;
  readonly atAngle: boolean;
}

interface Analysis {
  readonly region: Region | null;
  readonly problems: PageProblem[];
  readonly measures: PageMeasures;
}

function matFrom(cv: OpenCv, raw: RawImage): Mat {
  const mat = new cv.Mat(raw.height, raw.width, raw.channels === 1 ? cv.CV_8UC1 : cv.CV_8UC3);
  mat.data.set(raw.data);
  return mat;
}

/** Orders four points TL, TR, BR, BL (smallest x+y first, then by the diagonal). */
export function orderCorners(points: readonly Point[]): Quad {
  const bySum = [...points].sort((a, b) => a[0] + a[1] - (b[0] + b[1]));
  const byDiff = [...points].sort((a, b) => a[0] - a[1] - (b[0] - b[1]));
  const tl = bySum[0] as Point;
  const br = bySum[3] as Point;
  const tr = byDiff[3] as Point;
  const bl = byDiff[0] as Point;
  return [tl, tr, br, bl];
}

const dist = (a: Point, b: Point) => Math.hypot(a[0] - b[0], a[1] - b[1]);

/** Width and height of the straightened page, from the quad's sides (mean of opposite sides). */
export function quadSize(q: Quad): { width: number; height: number } {
  return {
    width: (dist(q[0], q[1]) + dist(q[3], q[2])) / 2,
    height: (dist(q[0], q[3]) + dist(q[1], q[2])) / 2,
  };
}

/** Percentile (0…100) of a 256-bin histogram. */
function percentile(hist: Float64Array | number[], total: number, p: number): number {
  const target = (p / 100) * total;
  let sum = 0;
  for (let v = 0; v < 256; v++) {
    sum += hist[v] as number;
    if (sum >= target && sum > 0) return v;
  }
  return 255;
}

function histogram(data: Uint8Array, mask?: Uint8Array): { hist: Float64Array; total: number } {
  const hist = new Float64Array(256);
  let total = 0;
  for (let i = 0; i < data.length; i++) {
    if (mask && mask[i] === 0) continue;
    hist[data[i] as number] = (hist[data[i] as number] as number) + 1;
    total++;
  }
  return { hist, total };
}

function analyse(cv: OpenCv, small: RawImage, large: RawImage, t: PageCheckThresholds): Analysis {
  return withMats((keep) => {
    const rgb = keep(matFrom(cv, small));
    const gray = keep(new cv.Mat());
    cv.cvtColor(rgb, gray, cv.COLOR_RGB2GRAY);
    const w = gray.cols;
    const h = gray.rows;
    const frameHist = histogram(gray.data);
    let frameClipped = 0;
    for (let v = 250; v < 256; v++) frameClipped += frameHist.hist[v] as number;
    frameClipped /= frameHist.total;

    // 1. The page region.
    const smooth = keep(new cv.Mat());
    cv.GaussianBlur(gray, smooth, new cv.Size(5, 5), 0);
    const bin = keep(new cv.Mat());
    cv.threshold(smooth, bin, 0, 255, cv.THRESH_BINARY | cv.THRESH_OTSU);
    const k = Math.max(3, Math.round(Math.max(w, h) * t.closeKernelFraction)) | 1;
    const closeKernel = keep(cv.getStructuringElement(cv.MORPH_RECT, new cv.Size(k, k)));
    cv.morphologyEx(bin, bin, cv.MORPH_CLOSE, closeKernel);
    const openKernel = keep(cv.getStructuringElement(cv.MORPH_RECT, new cv.Size(5, 5)));
    cv.morphologyEx(bin, bin, cv.MORPH_OPEN, openKernel);
    const contours = keep(new cv.MatVector());
    const hierarchy = keep(new cv.Mat());
    cv.findContours(bin, contours, hierarchy, cv.RETR_EXTERNAL, cv.CHAIN_APPROX_SIMPLE);
    let best = -1;
    let bestArea = 0;
    for (let i = 0; i < contours.size(); i++) {
      const c = keep(contours.get(i));
      const a = cv.contourArea(c);
      if (a > bestArea) {
        bestArea = a;
        best = i;
      }
    }
    const frameArea = w * h;
    const pageFraction = bestArea / frameArea;
    let solidity = 0;
    let quadFit = 0;
    let pageContrast = 0;
    let touchedSides = 0;
    let region: Region | null = null;
    const mask = keep(cv.Mat.zeros(h, w, cv.CV_8UC1));
    if (best >= 0) {
      const contour = keep(contours.get(best));
      cv.drawContours(mask, contours, best, new cv.Scalar(255), cv.FILLED);
      const hull = keep(new cv.Mat());
      cv.convexHull(contour, hull, false, true);
      solidity = bestArea / Math.max(1, cv.contourArea(hull));
      const approx = keep(new cv.Mat());
      cv.approxPolyDP(hull, approx, 0.02 * cv.arcLength(hull, true), true);
      let corners: Point[];
      if (approx.rows === 4) {
        const d = approx.data32S;
        corners = [0, 1, 2, 3].map((i) => [d[2 * i] as number, d[2 * i + 1] as number] as Point);
      } else {
        const box = cv.minAreaRect(hull);
        corners = (cv.RotatedRect.points(box) as { x: number; y: number }[]).map((p) => [p.x, p.y] as Point);
      }
      const quad = orderCorners(corners);
      const quadMat = keep(cv.matFromArray(4, 1, cv.CV_32FC2, quad.flat()));
      quadFit = bestArea / Math.max(1, cv.contourArea(quadMat));

      // Sides of the frame the region covers.
      const m = mask.data;
      const side = (count: number, at: (i: number) => number) => {
        let on = 0;
        for (let i = 0; i < count; i++) if (m[at(i)] !== 0) on++;
        return on / count;
      };
      const sides = [
        side(w, (i) => i),
        side(w, (i) => (h - 1) * w + i),
        side(h, (i) => i * w),
        side(h, (i) => i * w + w - 1),
      ];
      touchedSides = sides.filter((s) => s > t.edgeTouchFraction).length;

      // Paper against its surroundings.
      const inside = histogram(smooth.data, m);
      const outsideMask = new Uint8Array(m.length);
      for (let i = 0; i < m.length; i++) outsideMask[i] = m[i] === 0 ? 1 : 0;
      const outside = histogram(smooth.data, outsideMask);
      pageContrast =
        outside.total > frameArea * 0.03
          ? percentile(inside.hist, inside.total, 50) - percentile(outside.hist, outside.total, 50)
          : 0;

      // Nearly the whole frame and at least three sides (a coloured band along one side of a
      // document is not paper-bright): the page fills the frame.
      const fillsFrame = pageFraction >= t.fillsFrameFraction && touchedSides >= 3;
      const pageLike =
        pageFraction >= t.minPageFraction && solidity >= t.minSolidity && pageContrast >= t.minPageContrast;
      if (fillsFrame) {
        region = {
          corners: [
            [0, 0],
            [w, 0],
            [w, h],
            [0, h],
          ],
          fillsFrame: true,
          cut: false,
          atAngle: false,
        };
      } else if (pageLike && touchedSides > 0) {
        region = { corners: quad, fillsFrame: false, cut: true, atAngle: false };
      } else if (pageLike && quadFit >= t.minQuadFit) {
        const { width: qw, height: qh } = quadSize(quad);
        const upright =
          Math.abs(quad[0][1] - quad[1][1]) < 0.01 * qh && Math.abs(quad[0][0] - quad[3][0]) < 0.01 * qw;
        region = { corners: quad, fillsFrame: false, cut: false, atAngle: !upright };
      }
    }

    const base = {
      pageFraction: round(pageFraction),
      solidity: round(solidity),
      quadFit: round(quadFit),
      pageContrast,
      touchedSides,
      frameClipped: round(frameClipped),
    };
    if (region === null) {
      const problem: PageProblem =
        frameClipped >= t.tooBrightFrameClippedFraction ? 'too_bright' : 'no_document';
      return {
        region: null,
        problems: [problem],
        measures: {
          ...base,
          edgeInk: 0,
          paperLevel: 0,
          inkLevel: 0,
          clipped: 0,
          inkFraction: 0,
          sharpness: null,
          colourfulness: 0,
        },
      };
    }

    // 2. The page straightened (or, when cut off, its visible part) at the canonical size.
    const sx = large.width / w;
    const sy = large.height / h;
    const big = keep(matFrom(cv, large));
    const pageMat = keep(new cv.Mat());
    let pageMask: Uint8Array | undefined;
    if (region.fillsFrame) {
      const s = Math.min(1, t.canonicalLongSide / Math.max(big.cols, big.rows));
      cv.resize(
        big,
        pageMat,
        new cv.Size(Math.round(big.cols * s), Math.round(big.rows * s)),
        0,
        0,
        cv.INTER_AREA,
      );
    } else if (!region.cut) {
      const corners = region.corners.map(([x, y]) => [x * sx, y * sy] as Point);
      const { width: qw, height: qh } = quadSize(corners as unknown as Quad);
      // Never enlarged: upscaling would blur a small page and make it look out of focus.
      const s = Math.min(1, t.canonicalLongSide / Math.max(qw, qh));
      const ow = Math.max(1, Math.round(qw * s));
      const oh = Math.max(1, Math.round(qh * s));
      const from = keep(cv.matFromArray(4, 1, cv.CV_32FC2, corners.flat()));
      const to = keep(cv.matFromArray(4, 1, cv.CV_32FC2, [0, 0, ow, 0, ow, oh, 0, oh]));
      const m = keep(cv.getPerspectiveTransform(from, to));
      cv.warpPerspective(
        big,
        pageMat,
        m,
        new cv.Size(ow, oh),
        cv.INTER_LINEAR,
        cv.BORDER_REPLICATE,
        new cv.Scalar(),
      );
    } else {
      // Cut off: the visible part of the region, inside its mask (shrunk so the page's own edge
      // against the desk does not count as content).
      const big2 = keep(new cv.Mat());
      const rect = cv.boundingRect(mask);
      const roi = keep(
        big.roi(
          new cv.Rect(
            Math.floor(rect.x * sx),
            Math.floor(rect.y * sy),
            Math.max(1, Math.floor(rect.width * sx)),
            Math.max(1, Math.floor(rect.height * sy)),
          ),
        ),
      );
      const s = Math.min(1, t.canonicalLongSide / Math.max(roi.cols, roi.rows));
      cv.resize(
        roi,
        pageMat,
        new cv.Size(Math.max(1, Math.round(roi.cols * s)), Math.max(1, Math.round(roi.rows * s))),
        0,
        0,
        cv.INTER_AREA,
      );
      const maskRoi = keep(mask.roi(rect));
      cv.resize(maskRoi, big2, new cv.Size(pageMat.cols, pageMat.rows), 0, 0, cv.INTER_NEAREST);
      const e = Math.max(3, Math.round(Math.max(pageMat.cols, pageMat.rows) * 0.02)) | 1;
      const erodeKernel = keep(cv.getStructuringElement(cv.MORPH_RECT, new cv.Size(e, e)));
      cv.erode(big2, big2, erodeKernel);
      pageMask = Uint8Array.from(big2.data);
    }

    const content = measureContent(cv, keep, pageMat, pageMask, region.fillsFrame, t);
    const colourfulness = colourfulnessOf(small.data, region.fillsFrame ? undefined : mask.data);
    const problems: PageProblem[] = [];
    const blurred = content.sharpness !== null && content.sharpness < t.minSharpness;
    // Washed out: the paper clipped white and even the darkest ink light. Blur lightens thin
    // ink too, so a blurred page is reported as blurred. Nothing else can be judged on a
    // washed-out picture (the page melts into a bright desk; the ink may have vanished).
    const washedOut =
      !blurred && content.inkLevel >= t.tooBrightInkLevel && content.clipped >= t.tooBrightClippedFraction;
    if (washedOut) {
      problems.push('too_bright');
    } else if (
      !blurred &&
      (content.inkFraction < t.minInkFraction ||
        content.paperLevel - content.inkLevel < t.minPrintContrast * content.paperLevel)
    ) {
      // A sharp page with (almost) nothing printed on it. A blurred page loses its thin print
      // first, so it is reported as blurred (retaking it in focus is the fix).
      problems.push('no_document');
    } else {
      if (region.cut || content.edgeInk > t.maxEdgeInkFraction) problems.push('cut_off');
      if (content.paperLevel < t.tooDarkPaperLevel) problems.push('too_dark');
      if (blurred) problems.push('blurred');
    }
    return {
      region,
      problems,
      measures: { ...base, ...content, colourfulness: round(colourfulness, 1) },
    };
  });
}

interface ContentMeasures {
  readonly edgeInk: number;
  readonly paperLevel: number;
  readonly inkLevel: number;
  readonly clipped: number;
  readonly inkFraction: number;
  readonly sharpness: number | null;
}

function measureContent(
  cv: OpenCv,
  keep: <M extends { delete(): void }>(m: M) => M,
  page: Mat,
  mask: Uint8Array | undefined,
  fillsFrame: boolean,
  t: PageCheckThresholds,
): ContentMeasures {
  const data = page.data;
  const { hist, total } = histogram(data, mask);
  const paperLevel = percentile(hist, total, 90);
  const inkLevel = percentile(hist, total, 0.5);
  let clipped = 0;
  for (let v = 250; v < 256; v++) clipped += hist[v] as number;
  clipped /= Math.max(1, total);
  const inkBelow = paperLevel * (1 - t.inkContrastFraction);
  let ink = 0;
  for (let v = 0; v < Math.ceil(inkBelow) && v < 256; v++) ink += hist[v] as number;
  const inkFraction = ink / Math.max(1, total);

  // Ink in the band along each side of a frame-filling page: content running off the frame.
  let edgeInk = 0;
  if (fillsFrame) {
    const w = page.cols;
    const h = page.rows;
    const bx = Math.max(2, Math.round(w * t.edgeBandFraction));
    const by = Math.max(2, Math.round(h * t.edgeBandFraction));
    const bands: [number, number, number, number][] = [
      [0, 0, w, by],
      [0, h - by, w, h],
      [0, 0, bx, h],
      [w - bx, 0, w, h],
    ];
    for (const [x0, y0, x1, y1] of bands) {
      let n = 0;
      let dark = 0;
      for (let y = y0; y < y1; y++) {
        for (let x = x0; x < x1; x++) {
          n++;
          if ((data[y * w + x] as number) < inkBelow) dark++;
        }
      }
      edgeInk = Math.max(edgeInk, dark / Math.max(1, n));
    }
  }

  const sharpness = sharpnessOf(cv, keep, page, mask, inkLevel, paperLevel);
  return {
    edgeInk: round(edgeInk, 4),
    paperLevel,
    inkLevel,
    clipped: round(clipped),
    inkFraction: round(inkFraction, 4),
    sharpness: sharpness === null ? null : round(sharpness),
  };
}

/**
 * Sharpness: how much a slight blur changes the page compared with a strong one. The page is
 * first stretched so its ink is 0 and its paper 255 (exposure does not matter then); `d1` is the
 * mean change a Gaussian blur of σ = 1 px makes, `d3` the change a blur of σ = 3 px makes, both
 * over the pixels near edges. A sharp page loses much of its detail to the slight blur already
 * (high d1/d3); a blurred one hardly changes under it (low d1/d3). The ratio does not depend on
 * how much text is on the page or on its contrast.
 */
function sharpnessOf(
  cv: OpenCv,
  keep: <M extends { delete(): void }>(m: M) => M,
  page: Mat,
  mask: Uint8Array | undefined,
  ink: number,
  paper: number,
): number | null {
  const stretched = keep(new cv.Mat());
  const span = Math.max(1, paper - ink);
  page.convertTo(stretched, cv.CV_32F, 255 / span, (-255 * ink) / span);
  const b1 = keep(new cv.Mat());
  const b3 = keep(new cv.Mat());
  cv.GaussianBlur(stretched, b1, new cv.Size(0, 0), 1);
  cv.GaussianBlur(stretched, b3, new cv.Size(0, 0), 3);
  const d1 = keep(new cv.Mat());
  const d3 = keep(new cv.Mat());
  cv.absdiff(stretched, b1, d1);
  cv.absdiff(stretched, b3, d3);
  const a = d1.data32F;
  const b = d3.data32F;
  let s1 = 0;
  let s3 = 0;
  let edges = 0;
  for (let i = 0; i < b.length; i++) {
    if (mask && mask[i] === 0) continue;
    const v3 = b[i] as number;
    // Pixels near edges: where a strong blur changes something.
    if (v3 < 8) continue;
    s1 += a[i] as number;
    s3 += v3;
    edges++;
  }
  // Too few edges to judge (an empty, even surface): no verdict on focus.
  return edges < b.length * 0.001 ? null : s1 / s3;
}

/** Hasler & Süsstrunk (2003) colourfulness of RGB pixels (inside `mask` when given). */
export function colourfulnessOf(rgb: Uint8Array, mask?: Uint8Array): number {
  let n = 0;
  let sumRg = 0;
  let sumYb = 0;
  let sqRg = 0;
  let sqYb = 0;
  for (let p = 0, i = 0; i < rgb.length; p++, i += 3) {
    if (mask && mask[p] === 0) continue;
    const r = rgb[i] as number;
    const g = rgb[i + 1] as number;
    const b = rgb[i + 2] as number;
    const rg = r - g;
    const yb = 0.5 * (r + g) - b;
    sumRg += rg;
    sumYb += yb;
    sqRg += rg * rg;
    sqYb += yb * yb;
    n++;
  }
  if (n === 0) return 0;
  const mRg = sumRg / n;
  const mYb = sumYb / n;
  const sdRg = Math.sqrt(Math.max(0, sqRg / n - mRg * mRg));
  const sdYb = Math.sqrt(Math.max(0, sqYb / n - mYb * mYb));
  return Math.hypot(sdRg, sdYb) + 0.3 * Math.hypot(mRg, mYb);
}
