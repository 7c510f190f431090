/**
 * Lines to reads, as the host's keyboard driver does it: in barcode mode each line is a code; in
 * MRZ mode 2 or 3 lines of the same width form one document, and a reader that falls silent for
 * the window with a document or line unfinished gives an error, never a read. (The renderer checks
 * only the shape of an MRZ; the host's parser checks the rest.)
 */
import { splitAim } from './aim.ts';
import type { ReaderMode, WedgeError, WedgeEvent, WedgeScheduler } from './types.ts';

const linesByWidth: Readonly<Record<number, number>> = { 30: 3, 36: 2, 44: 2 };
const mrzChars = /^[A-Z0-9<]+$/;

export class WedgeLines {
  readonly #mode: ReaderMode;
  readonly #deviceId: string;
  readonly #windowMs: number;
  readonly #scheduler: WedgeScheduler;
  readonly #emit: (event: WedgeEvent) => void;
  #line = '';
  #lines: string[] = [];
  #broken = false;
  #cancel: (() => void) | undefined;

  constructor(
    mode: ReaderMode,
    deviceId: string,
    windowMs: number,
    scheduler: WedgeScheduler,
    emit: (e: WedgeEvent) => void,
  ) {
    this.#mode = mode;
    this.#deviceId = deviceId;
    this.#windowMs = windowMs;
    this.#scheduler = scheduler;
    this.#emit = emit;
  }

  char(c: string): void {
    this.#line += c;
    this.#arm();
  }

  enter(): void {
    const line = this.#line;
    this.#line = '';
    if (this.#mode === 'barcode') {
      if (line !== '') this.#emit({ kind: 'barcode', ...splitAim(line), deviceId: this.#deviceId });
    } else if (line !== '' && !this.#broken) {
      const width = this.#lines[0]?.length ?? line.length;
      const needed = linesByWidth[line.length];
      if (!mrzChars.test(line) || needed === undefined || line.length !== width) {
        this.#error('device.bad_line', `a line of ${line.length} characters is not a line of this MRZ`);
        this.#lines = [];
        this.#broken = true;
      } else {
        this.#lines.push(line);
        if (this.#lines.length === needed) {
          const lines = this.#lines;
          this.#lines = [];
          this.#emit({ kind: 'mrz', lines, deviceId: this.#deviceId });
        }
      }
    }
    this.#arm();
  }

  /** Whether anything is half-read. */
  get pending(): boolean {
    return this.#line !== '' || this.#lines.length > 0 || this.#broken;
  }

  dispose(): void {
    this.#cancel?.();
    this.#cancel = undefined;
    this.#line = '';
    this.#lines = [];
    this.#broken = false;
  }

  #error(code: WedgeError['code'], message: string): void {
    this.#emit({ kind: 'error', code, message, deviceId: this.#deviceId });
  }

  #arm(): void {
    this.#cancel?.();
    this.#cancel = undefined;
    if (!this.pending) return;
    this.#cancel = this.#scheduler.setTimer(this.#windowMs, () => {
      this.#cancel = undefined;
      if (!this.#broken && (this.#lines.length > 0 || this.#line !== '')) {
        const mrz = this.#mode === 'mrz';
        this.#error(
          mrz ? 'device.partial_document' : 'device.partial_code',
          mrz ? 'the reader sent part of an MRZ document' : 'the reader stopped in the middle of a line',
        );
      }
      this.#line = '';
      this.#lines = [];
      this.#broken = false;
    });
  }
}
