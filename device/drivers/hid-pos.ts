/**
 * HID POS barcode scanner (usage page 0x8C) driver.
 *
 * Input report as node-hid delivers it (report id included), 64 bytes:
 *   byte 0      report id 0x02
 *   byte 1      n, the number of payload bytes (0..61)
 *   bytes 2..   payload; the first report of a scan starts with the AIM identifier (`]Q1`)
 *   byte 63     bit 0 set when more reports of the same scan follow
 * The payload of all reports of a scan, concatenated, is AIM identifier + data (UTF-8, else
 * Latin-1).
 */

import { symbologyOfAim } from '../aim.ts';
import type { Cancel, Clock } from '../clock.ts';
import type { DeviceErrorCode, Driver, EventSink } from '../events.ts';
import { isCompleteMrzDocument, isMrzLine, type ReaderMode } from './lines.ts';

export const HID_POS_REPORT_ID = 0x02;
export const HID_POS_REPORT_LENGTH = 64;
export const HID_POS_MAX_PAYLOAD = 61;

/** Feature report 254 = 0x01: switches scanners that need it into HID POS mode. */
export const HID_POS_ENABLE_FEATURE_REPORT: Uint8Array = Uint8Array.of(0xfe, 0x01);

export interface HidPosDriverOptions {
  readonly deviceId: string;
  readonly clock: Clock;
  readonly onEvent: EventSink;
  /** Longest wait for the next report of a scan that announced more (default 250 ms). */
  readonly continuationTimeoutMs?: number;
  /** Longest scan accepted, in payload bytes (default 16 KiB). */
  readonly maxScanBytes?: number;
  /**
   * `barcode` (default): each scan is a code. `mrz`: each scan is one whole MRZ, its lines
   * separated by CR and/or LF (scanners with an OCR template, AIM `]o…`, send it so).
   */
  readonly mode?: ReaderMode;
  readonly isCompleteDocument?: (lines: readonly string[]) => boolean;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function decodeText(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  }
}

export function createHidPosDriver(options: HidPosDriverOptions): Driver {
  const { deviceId, clock, onEvent } = options;
  const continuationTimeoutMs = options.continuationTimeoutMs ?? 250;
  const maxScanBytes = options.maxScanBytes ?? 16 * 1024;
  const mode = options.mode ?? 'barcode';
  const isComplete = options.isCompleteDocument ?? isCompleteMrzDocument;

  let chunks: Uint8Array[] = [];
  let size = 0;
  let inScan = false;
  /** After an oversized scan: drop reports until the one that ends it. */
  let discarding = false;
  let cancelTimer: Cancel | undefined;
  let disposed = false;

  const error = (code: DeviceErrorCode, message: string): void => {
    onEvent({ kind: 'error', code, message, deviceId });
  };

  const reset = (): void => {
    chunks = [];
    size = 0;
    inScan = false;
    discarding = false;
    cancelTimer?.();
    cancelTimer = undefined;
  };

  const armTimer = (): void => {
    cancelTimer?.();
    cancelTimer = clock.setTimer(continuationTimeoutMs, () => {
      cancelTimer = undefined;
      const wasScanning = inScan;
      reset();
      if (wasScanning) error('device.scan_timeout', 'the scanner announced more data that did not arrive');
    });
  };

  const finish = (): void => {
    const bytes = new Uint8Array(size);
    let offset = 0;
    for (const c of chunks) {
      bytes.set(c, offset);
      offset += c.length;
    }
    reset();
    if (bytes.length < 3 || bytes[0] !== 0x5d) {
      error('device.bad_symbology', 'the scan does not start with an AIM symbology identifier');
      return;
    }
    const aim = String.fromCharCode(bytes[0] ?? 0, bytes[1] ?? 0, bytes[2] ?? 0);
    const symbology = symbologyOfAim(aim);
    if (symbology === undefined) {
      error('device.bad_symbology', 'the scan starts with an unknown AIM symbology identifier');
      return;
    }
    if (bytes.length === 3) {
      error('device.bad_report', 'the scan carries no data');
      return;
    }
    const text = decodeText(bytes.subarray(3));
    if (mode === 'barcode') {
      onEvent({ kind: 'barcode', aim, symbology, text, deviceId });
      return;
    }
    const lines = text.split(/\r\n|\r|\n/).filter((l) => l !== '');
    if (!lines.every(isMrzLine)) {
      error('device.bad_line', 'the scan holds a line that cannot be an MRZ line');
    } else if (!isComplete(lines)) {
      error('device.partial_document', `${lines.length} line(s) do not form one MRZ document`);
    } else {
      onEvent({ kind: 'mrz', lines, deviceId });
    }
  };

  return {
    push(report) {
      if (disposed) return;
      if (report.length !== HID_POS_REPORT_LENGTH) {
        const hadScan = inScan;
        reset();
        error(
          hadScan ? 'device.truncated_scan' : 'device.bad_report',
          `a HID POS report has ${HID_POS_REPORT_LENGTH} bytes, this one ${report.length}`,
        );
        return;
      }
      if (report[0] !== HID_POS_REPORT_ID) {
        reset();
        error('device.bad_report', `unexpected report id ${report[0]}`);
        return;
      }
      const n = report[1] ?? 0;
      const more = ((report[HID_POS_REPORT_LENGTH - 1] ?? 0) & 0x01) === 1;
      if (n > HID_POS_MAX_PAYLOAD) {
        reset();
        error('device.bad_report', `payload count ${n} exceeds ${HID_POS_MAX_PAYLOAD}`);
        return;
      }
      if (discarding) {
        if (more) armTimer();
        else reset();
        return;
      }
      if (size + n > maxScanBytes) {
        reset();
        error('device.scan_too_long', `a scan longer than ${maxScanBytes} bytes was dropped`);
        if (more) {
          discarding = true;
          armTimer();
        }
        return;
      }
      chunks.push(report.slice(2, 2 + n));
      size += n;
      inScan = true;
      if (more) armTimer();
      else finish();
    },
    flush() {
      if (disposed) return;
      const wasScanning = inScan;
      reset();
      if (wasScanning) error('device.truncated_scan', 'the scan ended before its last report');
    },
    dispose() {
      disposed = true;
      reset();
    },
  };
}

/**
 * The reports a HID POS scanner sends for one scan (the simulator, tests and benches use this):
 * AIM identifier + data split into 61-byte payloads, continuation bit set on all but the last.
 */
export function encodeHidPosScan(aim: string, data: string | Uint8Array): Uint8Array[] {
  const body = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  const bytes = new Uint8Array(aim.length + body.length);
  for (let i = 0; i < aim.length; i++) bytes[i] = aim.charCodeAt(i) & 0xff;
  bytes.set(body, aim.length);
  const reports: Uint8Array[] = [];
  for (let offset = 0; offset < bytes.length || reports.length === 0; offset += HID_POS_MAX_PAYLOAD) {
    const chunk = bytes.subarray(offset, offset + HID_POS_MAX_PAYLOAD);
    const report = new Uint8Array(HID_POS_REPORT_LENGTH);
    report[0] = HID_POS_REPORT_ID;
    report[1] = chunk.length;
    report.set(chunk, 2);
    if (offset + HID_POS_MAX_PAYLOAD < bytes.length) report[HID_POS_REPORT_LENGTH - 1] = 0x01;
    reports.push(report);
  }
  return reports;
}
