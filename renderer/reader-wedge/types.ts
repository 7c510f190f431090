/** The reads the wedge emits: the same shapes the host's reader drivers emit. */
export interface WedgeMrzRead {
  readonly kind: 'mrz';
  readonly lines: readonly string[];
  readonly deviceId: string;
}

export interface WedgeBarcodeRead {
  readonly kind: 'barcode';
  readonly aim: string | null;
  readonly symbology: string;
  readonly text: string;
  readonly deviceId: string;
}

export interface WedgeError {
  readonly kind: 'error';
  readonly code: 'device.bad_line' | 'device.partial_document' | 'device.partial_code';
  readonly message: string;
  readonly deviceId: string;
}

export type WedgeEvent = WedgeMrzRead | WedgeBarcodeRead | WedgeError;

export type ReaderMode = 'mrz' | 'barcode';

/** Time for the wedge: a monotonic `now()` (same base as `KeyboardEvent.timeStamp`) and timers. */
export interface WedgeScheduler {
  now(): number;
  setTimer(delayMs: number, fn: () => void): () => void;
}
