/** A printer for development: each job is written as a PDF file into a folder. */
import { access, constants, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type Printer,
  type PrinterState,
  type PrintOptions,
  type PrintResult,
  printError,
  safeJobName,
  validCopies,
} from './types.ts';

export interface FilePrinterOptions {
  readonly dir: string;
  /** Clock for the file names. */
  readonly now: () => Date;
}

export class FilePrinter implements Printer {
  private sequence = 0;

  constructor(private readonly options: FilePrinterOptions) {}

  async state(): Promise<PrinterState> {
    try {
      await mkdir(this.options.dir, { recursive: true });
      await access(this.options.dir, constants.W_OK);
      return { status: 'ready', reasons: [] };
    } catch {
      return { status: 'offline', reasons: ['folder-not-writable'] };
    }
  }

  async print(pdf: Uint8Array, options: PrintOptions): Promise<PrintResult> {
    const state = await this.state();
    if (state.status !== 'ready') return printError('printer.offline', 'The output folder is not writable');
    this.sequence += 1;
    const stamp = this.options.now().toISOString().replace(/[:.]/g, '-');
    const base = `${stamp}-${String(this.sequence).padStart(4, '0')}-${safeJobName(options.jobName).replace(/ /g, '_')}`;
    try {
      for (let copy = 1; copy <= validCopies(options.copies); copy++) {
        await writeFile(join(this.options.dir, copy === 1 ? `${base}.pdf` : `${base}-copy${copy}.pdf`), pdf, {
          flag: 'wx',
        });
      }
    } catch (error) {
      return printError('printer.failed', error instanceof Error ? error.message : String(error));
    }
    return { ok: true, value: { jobId: base } };
  }
}
