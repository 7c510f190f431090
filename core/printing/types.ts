/** The terminal's printer as the core sees it: state for the UI and the administrator, and print jobs. */

export type PrinterStatus = 'ready' | 'out_of_paper' | 'offline' | 'error' | 'unknown';

export interface PrinterState {
  readonly status: PrinterStatus;
  /**
   * Machine-readable reasons as the spooler reports them (CUPS printer-state-reasons such as
   * `media-empty-error`, or Windows status names such as `PaperOut`); empty when all is well.
   */
  readonly reasons: readonly string[];
}

export type PrintErrorCode = 'printer.offline' | 'printer.out_of_paper' | 'printer.failed';

export type PrintResult =
  | { readonly ok: true; readonly value: { readonly jobId: string } }
  | { readonly ok: false; readonly error: { readonly code: PrintErrorCode; readonly message: string } };

export interface PrintOptions {
  readonly copies?: number;
  /** Shown in the spooler's queue; must not contain personal data. */
  readonly jobName: string;
}

export interface Printer {
  /** Sends a PDF to the printer. Never throws: a failure is an error value the UI can show. */
  print(pdf: Uint8Array, options: PrintOptions): Promise<PrintResult>;
  /** Asks the spooler for the printer's current state. Never throws. */
  state(): Promise<PrinterState>;
}

export function printError(code: PrintErrorCode, message: string): PrintResult {
  return { ok: false, error: { code, message } };
}

/** The error a print attempt gets from a printer in this state, or undefined if printing may go ahead. */
export function refusalFor(state: PrinterState): PrintResult | undefined {
  switch (state.status) {
    case 'offline':
      return printError(
        'printer.offline',
        `The printer is offline (${state.reasons.join(', ') || 'no reason given'})`,
      );
    case 'out_of_paper':
      return printError('printer.out_of_paper', 'The printer is out of paper');
    case 'error':
      return printError(
        'printer.failed',
        `The printer reports an error (${state.reasons.join(', ') || 'unknown'})`,
      );
    default:
      return undefined;
  }
}

/** Job names end up in spooler logs: keep them short and plain. */
export function safeJobName(name: string): string {
  const cleaned = name
    .replace(/[^\p{L}\p{N} ._-]/gu, '')
    .trim()
    .slice(0, 60);
  return cleaned === '' ? 'kiosk-document' : cleaned;
}

export function validCopies(copies: number | undefined): number {
  const n = copies ?? 1;
  return Number.isInteger(n) && n >= 1 && n <= 10 ? n : 1;
}
