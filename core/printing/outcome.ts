import type { Printer, PrintOptions } from './types.ts';

/** What the visitor's screen says about a paper: printed, failed (with a code), or no printer here. */
export interface PrintOutcome {
  readonly state: 'printed' | 'failed' | 'no_printer';
  readonly code?: string;
}

type Built =
  | { readonly ok: true; readonly value: Uint8Array }
  | { readonly ok: false; readonly error: { readonly code: string } };

/**
 * Builds a PDF and prints it, as one outcome. The document is built only when there is a printer;
 * a failure to build or to print is an outcome with its code, never an exception.
 */
export async function buildAndPrint(
  printer: Printer | null,
  build: () => Promise<Built>,
  options: PrintOptions,
): Promise<PrintOutcome> {
  if (!printer) return { state: 'no_printer' };
  const pdf = await build();
  if (!pdf.ok) return { state: 'failed', code: pdf.error.code };
  const printed = await printer.print(pdf.value, options);
  return printed.ok ? { state: 'printed' } : { state: 'failed', code: printed.error.code };
}
