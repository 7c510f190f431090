/**
 * The receipt's QR code: a short URI-like payload `ST1:<trackingNumber>` (version 1 of the
 * terminal's scheme) that the terminal's barcode scanner reads back for a status lookup. Upper-case
 * letters, digits, `-` and `:` all lie in the QR alphanumeric set, so the code stays small.
 */
import QRCode from 'qrcode';

export const TRACKING_QR_PREFIX = 'ST1:';

/**
 * Tracking numbers: 4 to 40 upper-case letters and digits, hyphens inside; the last character may
 * be one of the check symbols `* ~ $ =` of the terminal's Crockford base-32 check (sync/tracking.ts).
 */
const TRACKING_NUMBER = /^[A-Z0-9](?:[A-Z0-9-]{2,38})[A-Z0-9*~$=]$/;

export function isTrackingNumber(value: string): boolean {
  return TRACKING_NUMBER.test(value);
}

export function trackingQrPayload(trackingNumber: string): string {
  return `${TRACKING_QR_PREFIX}${trackingNumber}`;
}

export type TrackingQrResult =
  | { readonly ok: true; readonly value: { readonly trackingNumber: string } }
  | {
      readonly ok: false;
      readonly error: { readonly code: 'qr.not_tracking' | 'qr.invalid'; readonly message: string };
    };

/**
 * Reads a scanned code back. Scanners add line endings and some send lower case (caps lock
 * emulation), so surrounding whitespace is ignored and the payload is compared upper-cased.
 */
export function parseTrackingQr(scanned: string): TrackingQrResult {
  const text = scanned.trim().toUpperCase();
  if (!text.startsWith(TRACKING_QR_PREFIX)) {
    return {
      ok: false,
      error: { code: 'qr.not_tracking', message: 'The code is not a receipt code of this terminal' },
    };
  }
  const trackingNumber = text.slice(TRACKING_QR_PREFIX.length);
  if (!isTrackingNumber(trackingNumber)) {
    return {
      ok: false,
      error: { code: 'qr.invalid', message: 'The receipt code holds no valid tracking number' },
    };
  }
  return { ok: true, value: { trackingNumber } };
}

/** The module matrix of a QR code (error correction M): `dark(row, col)` for each of `size`² cells. */
export interface QrMatrix {
  readonly size: number;
  readonly dark: (row: number, col: number) => boolean;
}

export function qrMatrix(text: string): QrMatrix {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  return { size: modules.size, dark: (row, col) => modules.get(row, col) === 1 };
}
