/**
 * What readers produce. A driver turns report bytes into these events and never throws: anything
 * it cannot read becomes an `error` event with a code, never a read.
 */

export type DeviceErrorCode =
  /** A report of the wrong size, report id or byte count. */
  | 'device.bad_report'
  /** A HID POS scan without a valid AIM symbology identifier at the start of its payload. */
  | 'device.bad_symbology'
  /** A HID POS scan announced more reports that did not come in time. */
  | 'device.scan_timeout'
  /** A HID POS scan cut off (device closed or stream ended mid-scan). */
  | 'device.truncated_scan'
  /** A HID POS scan longer than the driver accepts. */
  | 'device.scan_too_long'
  /** A keyboard line that cannot be an MRZ line (length or characters). */
  | 'device.bad_line'
  /** MRZ lines that did not form one complete document within the window. */
  | 'device.partial_document'
  /** Keyboard characters without the closing Enter within the window (barcode mode). */
  | 'device.partial_code'
  /** The transport could not open a device. */
  | 'device.open_failed'
  /** Reading from an open device failed (unplugged, I/O error). */
  | 'device.io_error'
  /** A feature report could not be sent. */
  | 'device.feature_report_failed'
  /** Listing devices failed. */
  | 'device.list_failed';

export interface DeviceError {
  readonly code: DeviceErrorCode;
  readonly message: string;
}

export type Result<T, E = DeviceError> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: E };

export function ok<T>(value: T): { readonly ok: true; readonly value: T } {
  return { ok: true, value };
}

export function fail(
  code: DeviceErrorCode,
  message: string,
): { readonly ok: false; readonly error: DeviceError } {
  return { ok: false, error: { code, message } };
}

export interface MrzRead {
  readonly kind: 'mrz';
  readonly lines: readonly string[];
  readonly deviceId: string;
}

export interface BarcodeRead {
  readonly kind: 'barcode';
  /** The AIM symbology identifier (`]Q1`), or null when the reader sent none. */
  readonly aim: string | null;
  readonly symbology: string;
  readonly text: string;
  readonly deviceId: string;
}

export interface ReadError {
  readonly kind: 'error';
  readonly code: DeviceErrorCode;
  readonly message: string;
  readonly deviceId: string;
}

export type ReaderEvent = MrzRead | BarcodeRead | ReadError;

/** A byte-in, event-out reader driver. */
export interface Driver {
  /** Feeds one report exactly as node-hid delivers it. Never throws. */
  push(report: Uint8Array): void;
  /** The stream ended (device gone, capture over): whatever is half-read becomes an error. */
  flush(): void;
  /** Cancels timers; emits nothing more. */
  dispose(): void;
}

export type EventSink = (event: ReaderEvent) => void;
