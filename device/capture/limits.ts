/**
 * The configurable limits of document capture, with the defaults of issue 14. Each limit has its
 * own refusal code (`types.ts`), so the visitor is told which one was reached.
 */
export interface CaptureLimits {
  /** Pages in one document (one checklist item). Refusal: `capture.too_many_pages`. */
  readonly maxPagesPerDocument: number;
  /** All documents of one application together, as stored PDFs. Refusal: `capture.application_too_large`. */
  readonly maxApplicationBytes: number;
  /** One incoming image (camera frame, scan, file). Refusal: `capture.image_too_large`. */
  readonly maxImageBytes: number;
  /** One incoming image's pixels, checked from its header before decoding. Refusal: `capture.image_too_large`. */
  readonly maxImagePixels: number;
}

export const DEFAULT_CAPTURE_LIMITS: CaptureLimits = Object.freeze({
  maxPagesPerDocument: 20,
  maxApplicationBytes: 25 * 1024 * 1024,
  maxImageBytes: 40 * 1024 * 1024,
  // A 600 dpi A4 colour scan is 35 MP; a 48 MP camera frame is the largest usual one.
  maxImagePixels: 50_000_000,
});

/** Limits from configuration: every value a positive integer, missing ones from the defaults. */
export function captureLimits(partial: Partial<CaptureLimits> = {}): CaptureLimits {
  const limits = { ...DEFAULT_CAPTURE_LIMITS, ...partial };
  for (const [key, value] of Object.entries(limits)) {
    if (!Number.isSafeInteger(value) || value <= 0) {
      throw new RangeError(`capture limit ${key} must be a positive integer, not ${String(value)}`);
    }
  }
  return Object.freeze(limits);
}
