/**
 * Types and codes of document capture: the page check's problems, the refusals of the image
 * pipeline, the scanner and camera errors. Every failure is a value with a code a UI can
 * translate; messages are for logs and administrators and never contain image content.
 */

/** `{ ok: true, value } | { ok: false, error: { code, message } }`, as everywhere in the kiosk. */
export type Result<T, E = CaptureError> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: E };

export interface CodedError<C extends string> {
  readonly code: C;
  readonly message: string;
}

/** What the page check can find wrong with a page (what the visitor is told). */
export const PAGE_PROBLEMS = ['blurred', 'too_dark', 'too_bright', 'cut_off', 'no_document'] as const;
export type PageProblem = (typeof PAGE_PROBLEMS)[number];

/**
 * Refusals of the image pipeline; each one has a visitor text in the UI:
 * - `capture.not_an_image`: the bytes are not a PNG or JPEG image, or do not decode
 * - `capture.image_too_large`: more bytes or pixels than `CaptureLimits.maxImageBytes` /
 *   `maxImagePixels` (a decompression bomb is refused before it is decoded)
 * - `capture.too_many_pages`: the document already has `maxPagesPerDocument` pages
 * - `capture.application_too_large`: the application's documents would exceed
 *   `maxApplicationBytes`
 * - `capture.no_pages`: a document PDF was asked for without pages
 * - `capture.worker_failed`: the worker thread doing the image work ended (it starts again)
 */
export const CAPTURE_ERROR_CODES = [
  'capture.not_an_image',
  'capture.image_too_large',
  'capture.too_many_pages',
  'capture.application_too_large',
  'capture.no_pages',
  'capture.worker_failed',
] as const;
export type CaptureErrorCode = (typeof CAPTURE_ERROR_CODES)[number];
export type CaptureError = CodedError<CaptureErrorCode>;

/**
 * Scanner failures (SANE and WIA alike):
 * - `scanner.not_installed`: no `scanimage` (Linux) / no PowerShell or WIA (Windows)
 * - `scanner.gone`: the configured scanner is not there (unplugged, switched off, wrong name)
 * - `scanner.busy`: another program is using it
 * - `scanner.jammed`: paper jam in the feeder
 * - `scanner.no_paper`: the feeder is empty
 * - `scanner.cover_open`: cover or lid open
 * - `scanner.io_error`: the connection broke during the scan (also: unplugged mid-page)
 * - `scanner.access_denied`: no permission for the device
 * - `scanner.timeout`: no image within the time limit (the scan is stopped)
 * - `scanner.cancelled`: the scan was cancelled (at the device or by the kiosk)
 * - `scanner.bad_output`: the scanner answered, but with no usable image
 * - `scanner.failed`: any other failure (the message says which)
 */
export const SCANNER_ERROR_CODES = [
  'scanner.not_installed',
  'scanner.gone',
  'scanner.busy',
  'scanner.jammed',
  'scanner.no_paper',
  'scanner.cover_open',
  'scanner.io_error',
  'scanner.access_denied',
  'scanner.timeout',
  'scanner.cancelled',
  'scanner.bad_output',
  'scanner.failed',
] as const;
export type ScannerErrorCode = (typeof SCANNER_ERROR_CODES)[number];
export type ScannerError = CodedError<ScannerErrorCode>;

/** A point in image pixels. */
export type Point = readonly [x: number, y: number];
/** A page's corners in the image: top left, top right, bottom right, bottom left (as read). */
export type Quad = readonly [Point, Point, Point, Point];

/** An image as it arrived: from the camera (a frame), the scanner, or a file. */
export type ImageSource = 'camera' | 'scanner' | 'file';

/** One decoded page, ready to be stored in a document: JPEG bytes in memory, never on disk. */
export interface StoredPage {
  readonly jpeg: Uint8Array;
  readonly width: number;
  readonly height: number;
  /** Dots per inch the page is stored at, if it were printed on A4 (fitted). */
  readonly dpi: number;
  /** Grayscale when the page has no colour to speak of. */
  readonly colour: 'colour' | 'grayscale';
  /** Whether a page lying at an angle was straightened (perspective correction). */
  readonly straightened: boolean;
}

/** One document (a checklist item) as one PDF. */
export interface DocumentPdf {
  readonly pdf: Uint8Array;
  /** SHA-256 of `pdf`, lowercase hex. */
  readonly sha256: string;
  readonly pages: number;
}
