/** `kiosk receipt --sample`: writes the administrator's sample receipt as a PDF file. */
import { writeFile } from 'node:fs/promises';
import { defaultCatalog } from '../../core/documents/locale.ts';
import { buildReceipt } from '../../core/documents/receipt.ts';
import { sampleReceiptInput } from '../../core/documents/sample.ts';
import type { PaperSize } from '../../core/documents/types.ts';
import { type CliCommand, type CliIo, writeLine } from '../command.ts';

const USAGE = `Usage: kiosk receipt --sample --out FILE [--lang CODE] [--paper a4|roll80] [--queued] [--location TEXT]

Writes a sample receipt (the administrator's test page) as a PDF file: sample tracking number,
QR code, the texts of the chosen language and German.

Options:
  --sample           required: print sample data (real receipts are made by the kiosk)
  --out FILE         where to write the PDF
  --lang CODE        visitor language (default de); one of the installed document languages
  --paper SIZE       a4 or roll80 (80 mm thermal roll, default)
  --queued           include the "queued offline" note
  --location TEXT    terminal location printed on the receipt

Exit code: 0 written, 1 the receipt could not be built or written, 2 bad options.`;

export interface ReceiptArgs {
  readonly sample: boolean;
  readonly out?: string | undefined;
  readonly lang: string;
  readonly paper: PaperSize;
  readonly queued: boolean;
  readonly location?: string | undefined;
  readonly printer?: string | undefined;
}

type Parsed = { ok: true; value: ReceiptArgs } | { ok: false; message: string };

/** Parses the options shared by `receipt` and `print-test`; `allowed` lists the ones the command takes. */
export function parseReceiptArgs(args: readonly string[], allowed: ReadonlySet<string>): Parsed {
  const values: Record<string, string | true> = {};
  const flags = new Set(['--sample', '--queued']);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    const [name, inline] =
      arg.startsWith('--') && arg.includes('=')
        ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
        : [arg, undefined];
    if (!allowed.has(name)) return { ok: false, message: `unknown option "${arg}"` };
    if (flags.has(name)) {
      values[name] = true;
      continue;
    }
    const value = inline ?? args[++i];
    if (value === undefined || value === '') return { ok: false, message: `${name} needs a value` };
    values[name] = value;
  }
  const paper = values['--paper'] ?? 'roll80';
  if (paper !== 'a4' && paper !== 'roll80') return { ok: false, message: '--paper is a4 or roll80' };
  const str = (key: string) => (typeof values[key] === 'string' ? (values[key] as string) : undefined);
  return {
    ok: true,
    value: {
      sample: values['--sample'] === true,
      lang: str('--lang') ?? 'de',
      paper,
      queued: values['--queued'] === true,
      ...(str('--out') ? { out: str('--out') } : {}),
      ...(str('--location') ? { location: str('--location') } : {}),
      ...(str('--printer') ? { printer: str('--printer') } : {}),
    },
  };
}

const ALLOWED = new Set(['--sample', '--out', '--lang', '--paper', '--queued', '--location']);

export const command: CliCommand = {
  name: 'receipt',
  summary: 'Write a sample receipt PDF (the test page) in a visitor language',
  usage: USAGE,
  async run(args: readonly string[], io: CliIo): Promise<number> {
    const parsed = parseReceiptArgs(args, ALLOWED);
    if (!parsed.ok) {
      writeLine(io.stderr, `kiosk receipt: ${parsed.message}\n\n${USAGE}`);
      return 2;
    }
    const a = parsed.value;
    if (!a.sample) {
      writeLine(
        io.stderr,
        'kiosk receipt: only --sample receipts can be written here; the kiosk prints real ones',
      );
      return 2;
    }
    if (a.out === undefined) {
      writeLine(io.stderr, 'kiosk receipt: --out FILE is required');
      return 2;
    }
    const catalog = defaultCatalog();
    if (!catalog.get(a.lang).ok) {
      writeLine(
        io.stderr,
        `kiosk receipt: unknown language "${a.lang}"; installed: ${catalog.codes.sort().join(', ')}`,
      );
      return 2;
    }
    const input = sampleReceiptInput({
      language: a.lang,
      paper: a.paper,
      now: new Date(),
      queuedOffline: a.queued,
      ...(a.location ? { terminalLocation: a.location } : {}),
    });
    const result = await buildReceipt(input, { catalog });
    if (!result.ok) {
      writeLine(io.stderr, `kiosk receipt: ${result.error.code}: ${result.error.message}`);
      return 1;
    }
    try {
      await writeFile(a.out, result.value);
    } catch (error) {
      writeLine(
        io.stderr,
        `kiosk receipt: cannot write ${a.out}: ${error instanceof Error ? error.message : String(error)}`,
      );
      return 1;
    }
    writeLine(
      io.stdout,
      `Wrote ${a.out}: sample receipt ${input.trackingNumber}, ${a.lang}, ${a.paper}, ${(result.value.byteLength / 1024).toFixed(1)} KB`,
    );
    return 0;
  },
};
