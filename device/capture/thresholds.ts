/**
 * The page check's thresholds: data, not numbers inside the code. Levels are 8-bit luminance
 * (0 black … 255 white); fractions are of the area named. Tuned on the test set that
 * `test/fixtures/capture/pages.ts` makes from real document pages (its accuracy is in
 * device/capture/README.md); change a value only with that set's accuracy test passing.
 */
export interface PageCheckThresholds {
  // --- Where the page is (on an analysis copy of ANALYSIS_SIZE pixels on the long side) ---
  /** Long side of the copy the page is looked for in. */
  readonly analysisSize: number;
  /** Closing kernel (fraction of the long side) that fills text so the page becomes one region. */
  readonly closeKernelFraction: number;
  /** A page region covers at least this much of the frame. */
  readonly minPageFraction: number;
  /** From this much of the frame on, and touching every side, the page fills the frame (a scan). */
  readonly fillsFrameFraction: number;
  /** Region area / area of its convex hull: a page is a convex shape. */
  readonly minSolidity: number;
  /** Region area / area of the fitted quadrilateral: a page is a quadrilateral. */
  readonly minQuadFit: number;
  /** The paper is at least this much brighter than what lies around it (median levels). */
  readonly minPageContrast: number;
  /** A side is touched when the page region covers more than this fraction of that frame side. */
  readonly edgeTouchFraction: number;

  // --- What is on the page (the page straightened to CANONICAL_LONG_SIDE pixels) ---
  /** Long side of the straightened page the content is measured on (about A4 at 95 dpi). */
  readonly canonicalLongSide: number;
  /** A pixel is ink when it is this much darker than the paper (fraction of the paper level). */
  readonly inkContrastFraction: number;
  /** Less ink than this fraction of the page: nothing on it (a blank sheet, an empty desk). */
  readonly minInkFraction: number;
  /**
   * On a sharp page, print is at least this much darker than the paper: (paper − ink) / paper.
   * Fainter "ink" on a sharp picture is texture (a wooden desk, grain), not a document.
   */
  readonly minPrintContrast: number;
  /** Width of the band along each side of a frame-filling page, as a fraction of that side. */
  readonly edgeBandFraction: number;
  /** More ink than this in one side's band: the content runs off the frame (cut off). */
  readonly maxEdgeInkFraction: number;

  // --- Exposure (luminance percentiles of the page) ---
  /** The paper (90th percentile) darker than this: too dark. */
  readonly tooDarkPaperLevel: number;
  /** The darkest ink (0.5th percentile) lighter than this … */
  readonly tooBrightInkLevel: number;
  /** … while this much of the page is clipped white (≥ 250): too bright. */
  readonly tooBrightClippedFraction: number;
  /** With no page found: this much of the frame clipped white means too bright, not no document. */
  readonly tooBrightFrameClippedFraction: number;

  // --- Sharpness (on the straightened page, contrast stretched to 0…255) ---
  /** Blur below this score: blurred. The score is defined in page-check.ts (`sharpnessOf`). */
  readonly minSharpness: number;

  // --- Colour ---
  /** Hasler–Süsstrunk colourfulness of the page below this: stored as grayscale. */
  readonly maxGrayColourfulness: number;
}

export const PAGE_CHECK_THRESHOLDS: PageCheckThresholds = Object.freeze({
  analysisSize: 640,
  closeKernelFraction: 0.03,
  minPageFraction: 0.08,
  fillsFrameFraction: 0.85,
  minSolidity: 0.9,
  minQuadFit: 0.88,
  minPageContrast: 20,
  edgeTouchFraction: 0.02,

  canonicalLongSide: 1100,
  inkContrastFraction: 0.35,
  minInkFraction: 0.004,
  minPrintContrast: 0.5,
  edgeBandFraction: 0.015,
  maxEdgeInkFraction: 0.01,

  tooDarkPaperLevel: 100,
  tooBrightInkLevel: 100,
  tooBrightClippedFraction: 0.3,
  tooBrightFrameClippedFraction: 0.2,

  minSharpness: 0.27,

  maxGrayColourfulness: 12,
});
