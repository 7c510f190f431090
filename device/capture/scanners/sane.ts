/**
 * Scanners on Linux through SANE's command-line frontend `scanimage` (Debian: `sane-utils`):
 *
 * - list: `scanimage -f '%d<TAB>%v<TAB>%m<TAB>%t%n'` (one device a line);
 * - scan: `scanimage -d DEVICE --format=png --resolution N --mode Color|Gray [--source S]
 *   [-x W -y H]`, the PNG read from standard output into memory (no file);
 * - failures: scanimage exits with the SANE status of the failed call and names it on stderr
 *   ("Document feeder jammed"); both are mapped to `scanner.*` codes. A device that cannot be
 *   opened ("open of device X failed") is gone.
 *
 * SANE's `test` backend ("test:0") scans without hardware; `backendArgs` passes backend options
 * the configuration names (e.g. its `--read-return-value SANE_STATUS_JAMMED` in tests).
 */

import { sniffImage } from '../image.ts';
import { type BinaryResult, type BinaryRunner, spawnBinary } from '../run.ts';
import type { Result, ScannerError, ScannerErrorCode } from '../types.ts';
import type { ScannedImage, ScannerDriver, ScannerInfo, ScanOptions } from './types.ts';

export const SCANIMAGE = 'scanimage';

/** SANE_Status values (sane.h) as scanimage's exit codes. */
const STATUS_CODES: Record<number, ScannerErrorCode> = {
  2: 'scanner.cancelled',
  3: 'scanner.busy',
  6: 'scanner.jammed',
  7: 'scanner.no_paper',
  8: 'scanner.cover_open',
  9: 'scanner.io_error',
  10: 'scanner.failed',
  11: 'scanner.access_denied',
};

/** sane_strstatus() texts (C locale) in scanimage's messages. */
const STATUS_TEXTS: [RegExp, ScannerErrorCode][] = [
  [/Document feeder jammed/i, 'scanner.jammed'],
  [/Document feeder out of documents/i, 'scanner.no_paper'],
  [/cover is open/i, 'scanner.cover_open'],
  [/Device busy/i, 'scanner.busy'],
  [/Error during device I\/O/i, 'scanner.io_error'],
  [/Access to resource has been denied/i, 'scanner.access_denied'],
  [/Operation was cancel+ed/i, 'scanner.cancelled'],
  [/open of device .* failed|no SANE devices found/i, 'scanner.gone'],
];

function fail(code: ScannerErrorCode, message: string): { ok: false; error: ScannerError } {
  return { ok: false, error: { code, message } };
}

/** The first scanimage message line, without the program name. */
function firstMessage(stderr: string): string {
  const line = stderr
    .split(/\r?\n/)
    .map((l) => l.trim())
    .find((l) => l.startsWith('scanimage:') || /error|fail|denied|jammed|busy|open/i.test(l));
  return (line ?? stderr.trim().split(/\r?\n/)[0] ?? '').replace(/^scanimage:\s*/, '').slice(0, 200);
}

/** The kiosk's view of a scanimage run that did not deliver an image. */
export function saneError(result: BinaryResult): ScannerError {
  if (result.failure === 'not_found')
    return { code: 'scanner.not_installed', message: 'scanimage is not installed (Debian: sane-utils)' };
  if (result.failure === 'timeout')
    return { code: 'scanner.timeout', message: 'the scanner did not finish in time' };
  if (result.failure === 'aborted') return { code: 'scanner.cancelled', message: 'the scan was cancelled' };
  if (result.failure === 'too_much_output')
    return { code: 'scanner.bad_output', message: 'the scan is larger than any page can be' };
  if (result.failure)
    return { code: 'scanner.failed', message: `scanimage could not run (${result.failure})` };
  const message = firstMessage(result.stderr) || `scanimage exited with ${result.code}`;
  for (const [pattern, code] of STATUS_TEXTS) if (pattern.test(result.stderr)) return { code, message };
  const byStatus = result.code === null ? undefined : STATUS_CODES[result.code];
  return { code: byStatus ?? 'scanner.failed', message };
}

/** Parses `scanimage -f '%d\t%v\t%m\t%t%n'` output. */
export function parseSaneList(stdout: string): ScannerInfo[] {
  return stdout
    .split(/\r?\n/)
    .filter((l) => l.includes('\t'))
    .map((line) => {
      const [device = '', vendor = '', model = '', type = ''] = line.split('\t');
      return {
        id: `sane:${device}`,
        backend: 'sane' as const,
        device,
        vendor,
        model,
        type,
        state: 'ready' as const,
        reasons: [],
      };
    })
    .filter((s) => s.device !== '');
}

export function saneScanArgs(
  device: string,
  options: ScanOptions = {},
  backendArgs: readonly string[] = [],
): string[] {
  const args = ['-d', device, '--format=png', '--resolution', String(Math.round(options.resolution ?? 200))];
  args.push('--mode', options.mode === 'gray' ? 'Gray' : 'Color');
  if (options.source) args.push('--source', options.source);
  if (options.areaMm) args.push('-x', String(options.areaMm.width), '-y', String(options.areaMm.height));
  return [...args, ...backendArgs];
}

export interface SaneDriverOptions {
  readonly runner?: BinaryRunner;
  readonly command?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Backend-specific options appended to every scan (from the configuration). */
  readonly backendArgs?: readonly string[];
  readonly listTimeoutMs?: number;
}

export class SaneDriver implements ScannerDriver {
  readonly backend = 'sane' as const;
  readonly #run: BinaryRunner;
  readonly #command: string;

  constructor(private readonly options: SaneDriverOptions = {}) {
    this.#run = options.runner ?? spawnBinary;
    this.#command = options.command ?? SCANIMAGE;
  }

  #env(): NodeJS.ProcessEnv {
    return { ...(this.options.env ?? process.env), LC_ALL: 'C', LANG: 'C' };
  }

  async list(): Promise<Result<ScannerInfo[], ScannerError>> {
    // Network backends (net, escl) may take a while to answer the device search.
    const result = await this.#run(this.#command, ['-f', '%d\t%v\t%m\t%t%n'], {
      timeoutMs: this.options.listTimeoutMs ?? 30_000,
      env: this.#env(),
      maxOutputBytes: 1024 * 1024,
    });
    if (result.failure || result.code !== 0) return { ok: false, error: saneError(result) };
    return { ok: true, value: parseSaneList(result.stdout.toString('utf8')) };
  }

  async scan(device: string, options: ScanOptions = {}): Promise<Result<ScannedImage, ScannerError>> {
    const result = await this.#run(this.#command, saneScanArgs(device, options, this.options.backendArgs), {
      timeoutMs: options.timeoutMs ?? 120_000,
      env: this.#env(),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    if (result.failure || result.code !== 0) return { ok: false, error: saneError(result) };
    if (sniffImage(result.stdout) !== 'png') {
      return fail('scanner.bad_output', `scanimage delivered no PNG (${result.stdout.byteLength} bytes)`);
    }
    return {
      ok: true,
      value: { png: new Uint8Array(result.stdout), resolution: Math.round(options.resolution ?? 200) },
    };
  }
}
