import type { SessionService } from '../session.ts';
import type { Printer, PrintOptions, PrintResult } from './types.ts';

const lastPrintKey = 'printing.last';

interface LastPrint {
  readonly pdf: Uint8Array;
  readonly options: PrintOptions;
}

/**
 * The printer as a visitor session uses it: remembers the last document printed in the session
 * (memory only, gone with the session) so a clerk can print it again when the paper jammed.
 */
export class SessionPrinter implements Printer {
  constructor(
    private readonly printer: Printer,
    private readonly sessions: SessionService,
  ) {}

  print(pdf: Uint8Array, options: PrintOptions): Promise<PrintResult> {
    this.sessions.data()?.set(lastPrintKey, { pdf, options } satisfies LastPrint);
    return this.printer.print(pdf, options);
  }

  state() {
    return this.printer.state();
  }

  /** Prints the session's last document again; null when the session printed nothing yet. */
  async reprint(): Promise<PrintResult | null> {
    const last = this.sessions.data()?.get(lastPrintKey) as LastPrint | undefined;
    if (!last) return null;
    return this.printer.print(last.pdf, { ...last.options, jobName: `${last.options.jobName} (2)` });
  }
}
