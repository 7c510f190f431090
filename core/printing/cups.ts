/**
 * Printing through CUPS with its command-line tools: `lpoptions -p` for the queue's attributes
 * (printer-state, printer-state-reasons, printer-is-accepting-jobs) and `lp` for the job, the PDF
 * handed over on standard input. Arguments are arrays, never a shell line.
 */
import { type CommandRunner, spawnRunner } from './runner.ts';
import {
  type Printer,
  type PrinterState,
  type PrintOptions,
  type PrintResult,
  printError,
  refusalFor,
  safeJobName,
  validCopies,
} from './types.ts';

/** CUPS queue names: printable characters except space, tab, "/", "\\", "'", '"', "#"; at most 127. */
export function isValidCupsName(name: string): boolean {
  return /^[^\s/\\'"#\p{Cc}]{1,127}$/u.test(name);
}

/**
 * Parses `lpoptions -p NAME` output: space-separated `key=value` (or bare `key`) where a value may be
 * quoted with ' or " and may contain backslash escapes.
 */
export function parseLpOptions(output: string): Record<string, string> {
  const result: Record<string, string> = {};
  let i = 0;
  const text = output.trim();
  while (i < text.length) {
    while (text[i] === ' ' || text[i] === '\n' || text[i] === '\t') i++;
    if (i >= text.length) break;
    let key = '';
    while (i < text.length && text[i] !== '=' && !/\s/.test(text[i] ?? '')) key += text[i++];
    let value = '';
    if (text[i] === '=') {
      i++;
      let quote: string | undefined;
      while (i < text.length) {
        const ch = text[i] ?? '';
        if (quote) {
          if (ch === quote) quote = undefined;
          else if (ch === '\\' && i + 1 < text.length) value += text[++i];
          else value += ch;
        } else if (ch === "'" || ch === '"') quote = ch;
        else if (ch === '\\' && i + 1 < text.length) value += text[++i];
        else if (/\s/.test(ch)) break;
        else value += ch;
        i++;
      }
    }
    if (key !== '') result[key] = value;
  }
  return result;
}

/** IPP printer-state values. */
const STOPPED = '5';

/** The kiosk's view of a CUPS queue from its attributes. */
export function cupsState(options: Record<string, string>): PrinterState {
  if (options['printer-state'] === undefined) return { status: 'error', reasons: ['printer-not-found'] };
  const reasons = (options['printer-state-reasons'] ?? 'none')
    .split(',')
    .map((r) => r.trim())
    .filter((r) => r !== '' && r !== 'none');
  if (reasons.some((r) => r.startsWith('media-empty') || r.startsWith('media-needed'))) {
    return { status: 'out_of_paper', reasons };
  }
  const stopped = options['printer-state'] === STOPPED;
  const accepting = options['printer-is-accepting-jobs'] !== 'false';
  const offlineReason = reasons.some((r) => /^(offline|shutdown|paused|connecting-to-device)/.test(r));
  if (stopped || !accepting || offlineReason) {
    const extra = [...(stopped ? ['stopped'] : []), ...(accepting ? [] : ['not-accepting-jobs'])];
    return { status: 'offline', reasons: [...reasons, ...extra.filter((e) => !reasons.includes(e))] };
  }
  if (reasons.some((r) => r.endsWith('-error'))) return { status: 'error', reasons };
  return { status: 'ready', reasons };
}

/** The job id from `lp` output: "request id is kiosk-12 (1 file(s))". */
export function parseLpJobId(stdout: string): string | undefined {
  return /request id is (\S+)/.exec(stdout)?.[1];
}

export interface CupsPrinterOptions {
  /** The CUPS queue name. */
  readonly name: string;
  readonly runner?: CommandRunner;
  readonly timeoutMs?: number;
  /** Extra job options passed as `-o key=value` (e.g. `media`, `fit-to-page`), per site. */
  readonly jobOptions?: Readonly<Record<string, string>>;
}

const OPTION_KEY = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** `-o key=value` arguments; keys must look like IPP attribute names and values carry no control characters. */
export function jobOptionArgs(options: Readonly<Record<string, string>> = {}): string[] {
  return Object.entries(options).flatMap(([key, value]) =>
    OPTION_KEY.test(key) && value !== '' && !/\p{Cc}/u.test(value) ? ['-o', `${key}=${value}`] : [],
  );
}

export class CupsPrinter implements Printer {
  readonly name: string;
  private readonly run: CommandRunner;
  private readonly timeoutMs: number;
  private readonly optionArgs: string[];

  constructor(options: CupsPrinterOptions) {
    this.name = options.name;
    this.optionArgs = jobOptionArgs(options.jobOptions);
    this.run = options.runner ?? spawnRunner;
    this.timeoutMs = options.timeoutMs ?? 15_000;
  }

  async state(): Promise<PrinterState> {
    if (!isValidCupsName(this.name)) return { status: 'error', reasons: ['invalid-printer-name'] };
    const result = await this.run('lpoptions', ['-p', this.name], { timeoutMs: this.timeoutMs });
    if (result.failure === 'not_found') return { status: 'unknown', reasons: ['cups-not-installed'] };
    if (result.failure) return { status: 'unknown', reasons: [`lpoptions-${result.failure}`] };
    if (result.code !== 0) {
      const unreachable = /connect|server/i.test(result.stderr);
      return { status: 'unknown', reasons: [unreachable ? 'cups-unreachable' : 'lpoptions-failed'] };
    }
    return cupsState(parseLpOptions(result.stdout));
  }

  async print(pdf: Uint8Array, options: PrintOptions): Promise<PrintResult> {
    const state = await this.state();
    // CUPS would accept a job for a stopped queue or an empty tray and print it later, for
    // whoever stands at the terminal then: refuse instead, so the visitor keeps the screen copy.
    const refusal = refusalFor(state);
    if (refusal) return refusal;
    const args = [
      '-d',
      this.name,
      '-n',
      String(validCopies(options.copies)),
      '-t',
      safeJobName(options.jobName),
      ...this.optionArgs,
    ];
    const result = await this.run('lp', args, { input: pdf, timeoutMs: this.timeoutMs });
    if (result.failure) return printError('printer.failed', `lp could not run (${result.failure})`);
    if (result.code !== 0) {
      if (/not accepting jobs/i.test(result.stderr))
        return printError('printer.offline', 'The print queue is not accepting jobs');
      return printError('printer.failed', `lp failed: ${result.stderr.trim().slice(0, 200)}`);
    }
    const jobId = parseLpJobId(result.stdout);
    if (jobId === undefined) return printError('printer.failed', 'lp did not report a job id');
    return { ok: true, value: { jobId } };
  }
}
