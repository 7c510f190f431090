/**
 * Turns typed characters and Enter keys into reads, for the host's keyboard driver and the
 * renderer's keystroke listener alike: in barcode mode one line is one code; in MRZ mode two or
 * three lines form one document. The lines of a document follow each other without a pause as
 * long as the window (default 1.5 s): when the reader falls silent that long with a document or a
 * line unfinished, that is an error event (`device.partial_document`, or `device.partial_code` in
 * barcode mode), never a read. A slow reader typing steadily is fine.
 */
import { splitAim } from './aim.ts';
import type { Clock, TimerHandle } from './clock.ts';
import type { DeviceErrorCode, EventSink, ReaderMode } from './reads.ts';

export const DEFAULT_DOCUMENT_WINDOW_MS = 1500;

/** Characters and lengths of MRZ lines: TD1 (3 × 30), TD2/MRV-B/French ID (2 × 36), TD3/MRV-A (2 × 44). */
const mrzLine = /^[A-Z0-9<]+$/;
const lineCountByLength: Readonly<Record<number, number>> = { 30: 3, 36: 2, 44: 2 };

export function isMrzLine(line: string): boolean {
  return mrzLine.test(line) && lineCountByLength[line.length] !== undefined;
}

/**
 * Whether MRZ lines (each one `isMrzLine`) form one whole document: all of one width, and as many
 * as a document of that width has (3 × 30, 2 × 36, 2 × 44). device/mrz parses the rest.
 */
export function isCompleteMrzDocument(lines: readonly string[]): boolean {
  const first = lines[0];
  return (
    first !== undefined &&
    lines.every((l) => l.length === first.length) &&
    lines.length === lineCountByLength[first.length]
  );
}

export interface LineAssemblerOptions {
  readonly deviceId: string;
  readonly mode: ReaderMode;
  readonly clock: Clock;
  readonly onEvent: EventSink;
  readonly windowMs?: number;
  /** Whether pending MRZ lines form a whole document (default: `isCompleteMrzDocument`). */
  readonly isCompleteDocument?: (lines: readonly string[]) => boolean;
  /** Longest line accepted (default 8 KiB); longer input is dropped with an error. */
  readonly maxLineLength?: number;
}

export class LineAssembler {
  readonly #options: LineAssemblerOptions;
  readonly #windowMs: number;
  readonly #maxLine: number;
  readonly #isComplete: (lines: readonly string[]) => boolean;
  #line = '';
  #overflow = false;
  /** Time of the last key (character or Enter) of what is pending. */
  #lastKey = 0;
  #lines: string[] = [];
  /** The current document already failed; absorb its remaining lines until the window ends. */
  #broken = false;
  #timer: TimerHandle | undefined;
  #disposed = false;

  constructor(options: LineAssemblerOptions) {
    this.#options = options;
    this.#windowMs = options.windowMs ?? DEFAULT_DOCUMENT_WINDOW_MS;
    this.#maxLine = options.maxLineLength ?? 8 * 1024;
    this.#isComplete = options.isCompleteDocument ?? isCompleteMrzDocument;
  }

  char(c: string): void {
    if (this.#disposed) return;
    if (this.#line.length + c.length > this.#maxLine) this.#overflow = true;
    else this.#line += c;
    this.#lastKey = this.#options.clock.monotonic();
    this.#schedule();
  }

  enter(): void {
    if (this.#disposed) return;
    this.#lastKey = this.#options.clock.monotonic();
    const line = this.#line;
    const overflow = this.#overflow;
    this.#line = '';
    this.#overflow = false;
    if (this.#options.mode === 'barcode') this.#barcodeLine(line, overflow);
    else this.#mrzLine(line, overflow);
    this.#schedule();
  }

  /** End of input: whatever is pending becomes an error. */
  flush(): void {
    if (this.#disposed) return;
    this.#expire(true);
  }

  /** Whether anything is half-read: a line, a document, or what is left of a broken one. */
  get pending(): boolean {
    return this.#lines.length > 0 || this.#broken || this.#line !== '' || this.#overflow;
  }

  dispose(): void {
    this.#disposed = true;
    this.#timer?.cancel();
    this.#timer = undefined;
  }

  #error(code: DeviceErrorCode, message: string): void {
    this.#options.onEvent({ kind: 'error', code, message, deviceId: this.#options.deviceId });
  }

  #barcodeLine(line: string, overflow: boolean): void {
    if (overflow) {
      this.#error('device.bad_line', `a line longer than ${this.#maxLine} characters was dropped`);
      return;
    }
    if (line === '') return;
    const { aim, symbology, text } = splitAim(line);
    this.#options.onEvent({ kind: 'barcode', aim, symbology, text, deviceId: this.#options.deviceId });
  }

  #mrzLine(line: string, overflow: boolean): void {
    // Readers often send an extra Enter before or after a document.
    if (line === '' && !overflow) return;
    if (this.#broken) return;
    const first = this.#lines[0];
    if (overflow || !isMrzLine(line) || (first !== undefined && first.length !== line.length)) {
      this.#error('device.bad_line', `a line of ${line.length} characters is not a line of this MRZ`);
      this.#broken = true;
      this.#lines = [];
      return;
    }
    this.#lines.push(line);
    if (this.#isComplete(this.#lines)) {
      const lines = this.#lines;
      this.#lines = [];
      this.#options.onEvent({ kind: 'mrz', lines, deviceId: this.#options.deviceId });
    } else if (this.#lines.length >= 3) {
      this.#error('device.partial_document', `${this.#lines.length} lines do not form one MRZ document`);
      this.#lines = [];
      this.#broken = true;
    }
  }

  /** The window ran out (or input ended): report and drop what is pending. */
  #expire(all: boolean): void {
    const now = this.#options.clock.monotonic();
    const due = this.#lastKey + this.#windowMs;
    const docPending = this.#lines.length > 0 || this.#broken;
    const linePending = this.#line !== '' || this.#overflow;
    const broken = this.#broken;
    if (!all && due > now) {
      this.#schedule();
      return;
    }
    if (docPending) {
      // A broken document was reported when it broke; the rest of it goes silently.
      if (!broken) {
        this.#error(
          'device.partial_document',
          `the reader sent ${this.#lines.length} complete line(s) of an MRZ document, not all of it`,
        );
      }
      this.#lines = [];
      this.#broken = false;
      this.#line = '';
      this.#overflow = false;
    } else if (linePending) {
      if (!broken) {
        this.#error(
          this.#options.mode === 'mrz' ? 'device.partial_document' : 'device.partial_code',
          'the reader stopped in the middle of a line',
        );
      }
      this.#line = '';
      this.#overflow = false;
    }
    this.#schedule();
  }

  #schedule(): void {
    this.#timer?.cancel();
    this.#timer = undefined;
    if (this.#disposed || !this.pending) return;
    const due = this.#lastKey + this.#windowMs;
    this.#timer = this.#options.clock.after(due - this.#options.clock.monotonic(), () => {
      this.#timer = undefined;
      this.#expire(false);
    });
  }
}
