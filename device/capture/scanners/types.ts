import type { Result, ScannerError } from '../types.ts';

/** A device's state as `kiosk devices`, `kiosk doctor` and the admin screen show it. */
export type CaptureDeviceState = 'ready' | 'busy' | 'offline' | 'no_access' | 'error' | 'unknown';

export interface ScannerInfo {
  /** `sane:<device name>` or `wia:<DeviceID>`: what the configuration names. */
  readonly id: string;
  readonly backend: 'sane' | 'wia';
  /** The backend's own device name (for `scanimage -d`, or the WIA DeviceID). */
  readonly device: string;
  readonly vendor: string;
  readonly model: string;
  /** e.g. "flatbed scanner", "sheetfed scanner", "virtual device" */
  readonly type: string;
  readonly state: CaptureDeviceState;
  /** Why the state is not ready (codes, no personal data). */
  readonly reasons: readonly string[];
}

export interface ScanOptions {
  /** Dots per inch; default 200. */
  readonly resolution?: number;
  /** Default colour (the pipeline makes a page without colour grayscale itself). */
  readonly mode?: 'color' | 'gray';
  /** The backend's source name (SANE e.g. "Flatbed", "ADF"; WIA: "feeder" selects the document feeder). */
  readonly source?: string;
  /** Scan area from the top left corner, in millimetres (default: the backend's whole area). */
  readonly areaMm?: { readonly width: number; readonly height: number };
  /** Default 120 s (a 600 dpi colour page on a slow USB 2 scanner takes about a minute). */
  readonly timeoutMs?: number;
  /** Cancels the scan (the visitor left, the session ended). */
  readonly signal?: AbortSignal;
}

export interface ScannedImage {
  /** PNG bytes, in memory. */
  readonly png: Uint8Array;
  readonly resolution: number;
}

export interface ScannerDriver {
  readonly backend: 'sane' | 'wia';
  /** The scanners attached now. */
  list(): Promise<Result<ScannerInfo[], ScannerError>>;
  /** Scans one page from `device` (the backend's device name). */
  scan(device: string, options?: ScanOptions): Promise<Result<ScannedImage, ScannerError>>;
}
