/** `kiosk print-test`: sends a sample receipt to the CUPS printer and reports the job and the printer state. */
import { defaultCatalog } from '../../core/documents/locale.ts';
import { buildReceipt } from '../../core/documents/receipt.ts';
import { sampleReceiptInput } from '../../core/documents/sample.ts';
import { CupsPrinter } from '../../core/printing/cups.ts';
import type { PrinterState } from '../../core/printing/types.ts';
import { type CliCommand, type CliIo, writeLine } from '../command.ts';
import { parseReceiptArgs } from './receipt.ts';

const USAGE = `Usage: kiosk print-test [--printer NAME] [--lang CODE] [--paper a4|roll80]

Sends a sample receipt to the terminal's printer through CUPS and reports the job id and the
printer's state (ready, out_of_paper, offline, error, unknown, with the spooler's reasons).

Options:
  --printer NAME   CUPS queue name (default: the KIOSK_PRINTER environment variable)
  --lang CODE      language of the sample receipt (default de)
  --paper SIZE     a4 or roll80 (default roll80)

Exit code: 0 printed, 1 the printer refused or failed, 2 bad options or no printer named.`;

const ALLOWED = new Set(['--printer', '--lang', '--paper']);

function describeState(state: PrinterState): string {
  return state.reasons.length > 0 ? `${state.status} (${state.reasons.join(', ')})` : state.status;
}

export const command: CliCommand = {
  name: 'print-test',
  summary: 'Print a sample receipt on the CUPS printer and report job id and printer state',
  usage: USAGE,
  async run(args: readonly string[], io: CliIo): Promise<number> {
    const parsed = parseReceiptArgs(args, ALLOWED);
    if (!parsed.ok) {
      writeLine(io.stderr, `kiosk print-test: ${parsed.message}\n\n${USAGE}`);
      return 2;
    }
    const a = parsed.value;
    const name = a.printer ?? io.env.KIOSK_PRINTER;
    if (!name) {
      writeLine(io.stderr, 'kiosk print-test: no printer: pass --printer NAME or set KIOSK_PRINTER');
      return 2;
    }
    const catalog = defaultCatalog();
    if (!catalog.get(a.lang).ok) {
      writeLine(
        io.stderr,
        `kiosk print-test: unknown language "${a.lang}"; installed: ${catalog.codes.sort().join(', ')}`,
      );
      return 2;
    }
    const receipt = await buildReceipt(
      sampleReceiptInput({ language: a.lang, paper: a.paper, now: new Date() }),
      { catalog },
    );
    if (!receipt.ok) {
      writeLine(io.stderr, `kiosk print-test: ${receipt.error.code}: ${receipt.error.message}`);
      return 1;
    }
    const printer = new CupsPrinter({ name });
    const result = await printer.print(receipt.value, { jobName: 'kiosk print-test', copies: 1 });
    const state = await printer.state();
    if (!result.ok) {
      writeLine(io.stdout, `Printer ${name}: ${describeState(state)}`);
      writeLine(io.stderr, `kiosk print-test: ${result.error.code}: ${result.error.message}`);
      return 1;
    }
    writeLine(io.stdout, `Printed sample receipt on ${name}: job ${result.value.jobId}`);
    writeLine(io.stdout, `Printer ${name}: ${describeState(state)}`);
    return 0;
  },
};
