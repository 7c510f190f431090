/**
 * `kiosk hid-replay`: feeds a capture file (JSON lines `{"t": ms, "report": "hex"}`, reports as
 * node-hid delivers them) through a reader driver on a virtual clock — the `t` gaps count, but
 * nothing waits — and prints one JSON line per read or error.
 */
import { readFile } from 'node:fs/promises';
import { isKeyboardLayoutId, keyboardCodec, keyboardLayoutIds } from '../../api/keyboard-layouts.ts';
import { VirtualClock } from '../../device/clock.ts';
import type { ReaderMode } from '../../device/drivers/lines.ts';
import type { ReaderEvent } from '../../device/events.ts';
import { parseMrz } from '../../device/mrz/index.ts';
import type { DeviceProfile, DriverKind } from '../../device/profiles.ts';
import { createDriver } from '../../device/readers.ts';
import { parseCapture, ReplayTransport } from '../../device/transports/replay.ts';
import { type CliCommand, type CliIo, readAll, writeLine } from '../command.ts';

const USAGE = `Usage: kiosk hid-replay --driver hid-pos|keyboard [options] FILE

Replays a HID capture through a reader driver and prints one JSON line per read:
  {"kind":"mrz","lines":[...],"result":{...as kiosk mrz}}
  {"kind":"barcode","aim":"]Q1","symbology":"qr","text":"..."}
  {"kind":"error","code":"device.partial_document","message":"..."}

FILE holds JSON lines {"t": <ms since start>, "report": "<hex of the report as node-hid delivers
it, report id included>"}; "-" reads standard input. The time gaps are honoured on a virtual
clock (timeouts fire as they would have), without waiting.

Options:
  --driver hid-pos|keyboard   HID POS scanner reports, or USB boot keyboard reports
  --layout ${keyboardLayoutIds.join('|')}       keyboard layout the reader types in (default en-US)
  --mode mrz|barcode          keyboard: lines form MRZ documents, or each line is a code;
                              hid-pos: each scan is a whole MRZ (lines split at CR/LF), or a code
                              (default: mrz for keyboard, barcode for hid-pos)
  --report-id N               keyboard: every report starts with report id N
  --window MS                 keyboard: MRZ document window (default 1500)
  --today YYYY-MM-DD          day the MRZ dates are checked against (default: today)

Exit code: 0 no error events, 1 at least one error event, 2 unusable options or file.`;

interface Options {
  readonly driver: DriverKind;
  readonly mode: ReaderMode;
  readonly layout: string;
  readonly reportId?: number;
  readonly windowMs?: number;
  readonly today: Date;
  readonly file: string;
}

type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

function parseDay(value: string): Date | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return undefined;
  const day = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return day.toISOString().slice(0, 10) === value ? day : undefined;
}

function parseArgs(args: readonly string[], now: () => Date): Parsed<Options> {
  const values = new Map<string, string>();
  const files: string[] = [];
  const known = ['--driver', '--layout', '--mode', '--report-id', '--window', '--today'];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq === -1 ? arg : arg.slice(0, eq);
      if (!known.includes(name)) return { ok: false, message: `unknown option "${name}"` };
      const value = eq === -1 ? args[++i] : arg.slice(eq + 1);
      if (value === undefined) return { ok: false, message: `${name} needs a value` };
      values.set(name, value);
    } else files.push(arg);
  }
  if (files.length !== 1) return { ok: false, message: 'give exactly one capture FILE' };
  const driver = values.get('--driver');
  if (driver !== 'hid-pos' && driver !== 'keyboard')
    return { ok: false, message: '--driver must be hid-pos or keyboard' };
  const mode = values.get('--mode') ?? (driver === 'keyboard' ? 'mrz' : 'barcode');
  if (mode !== 'mrz' && mode !== 'barcode') return { ok: false, message: '--mode must be mrz or barcode' };
  if (driver === 'hid-pos' && mode !== 'barcode')
    return { ok: false, message: 'a HID POS scanner reads barcodes only' };
  const layout = values.get('--layout') ?? 'en-US';
  if (!isKeyboardLayoutId(layout))
    return { ok: false, message: `--layout must be one of ${keyboardLayoutIds.join(', ')}` };
  const options: { -readonly [K in keyof Options]: Options[K] } = {
    driver,
    mode,
    layout,
    today: now(),
    file: files[0] ?? '',
  };
  const reportId = values.get('--report-id');
  if (reportId !== undefined) {
    const n = Number(reportId);
    if (!Number.isInteger(n) || n < 1 || n > 255) return { ok: false, message: '--report-id must be 1..255' };
    options.reportId = n;
  }
  const windowMs = values.get('--window');
  if (windowMs !== undefined) {
    const n = Number(windowMs);
    if (!Number.isFinite(n) || n < 1)
      return { ok: false, message: '--window must be a positive number of ms' };
    options.windowMs = n;
  }
  const today = values.get('--today');
  if (today !== undefined) {
    const day = parseDay(today);
    if (!day) return { ok: false, message: '--today takes a date as YYYY-MM-DD' };
    options.today = day;
  }
  return { ok: true, value: options };
}

/** One output line for a reader event (shared with `kiosk devices --watch`). */
export function formatRead(event: ReaderEvent, today: Date): string {
  switch (event.kind) {
    case 'mrz':
      return JSON.stringify({ kind: 'mrz', lines: event.lines, result: parseMrz(event.lines, { today }) });
    case 'barcode':
      return JSON.stringify({
        kind: 'barcode',
        aim: event.aim,
        symbology: event.symbology,
        text: event.text,
      });
    case 'error':
      return JSON.stringify({ kind: 'error', code: event.code, message: event.message });
  }
}

export function layoutCodec(id: string) {
  return isKeyboardLayoutId(id) ? keyboardCodec(id) : undefined;
}

export function createHidReplayCommand(now: () => Date = () => new Date()): CliCommand {
  return {
    name: 'hid-replay',
    summary: 'Replay a HID capture through a reader driver and print the reads as JSON lines',
    usage: USAGE,
    async run(args: readonly string[], io: CliIo): Promise<number> {
      const parsed = parseArgs(args, now);
      if (!parsed.ok) {
        writeLine(
          io.stderr,
          `kiosk hid-replay: ${parsed.message}. Run \`kiosk hid-replay --help\` for the usage.`,
        );
        return 2;
      }
      const o = parsed.value;
      let text: string;
      try {
        text = o.file === '-' ? await readAll(io.stdin) : await readFile(o.file, 'utf8');
      } catch (e) {
        const code = (e as { code?: string }).code;
        writeLine(io.stderr, `kiosk hid-replay: cannot read ${o.file}${code ? ` (${code})` : ''}`);
        return 2;
      }
      const capture = parseCapture(text);
      if (!capture.ok) {
        writeLine(io.stderr, `kiosk hid-replay: ${o.file}: ${capture.error.message}`);
        return 2;
      }
      const clock = new VirtualClock();
      const transport = new ReplayTransport({ capture: capture.value, clock });
      const opened = await transport.open({ path: 'replay' });
      if (!opened.ok) {
        writeLine(io.stderr, `kiosk hid-replay: ${opened.error.message}`);
        return 2;
      }
      const profile: DeviceProfile = {
        id: 'replay',
        name: 'replay',
        match: {},
        driver: o.driver,
        mode: o.mode,
        layout: o.layout,
        ...(o.reportId === undefined ? {} : { reportId: o.reportId }),
        ...(o.windowMs === undefined ? {} : { windowMs: o.windowMs }),
      };
      let errors = 0;
      const driver = createDriver(profile, 'replay', { clock, layouts: layoutCodec }, (event) => {
        if (event.kind === 'error') errors++;
        writeLine(io.stdout, formatRead(event, o.today));
      });
      if ('kind' in driver) {
        writeLine(io.stderr, `kiosk hid-replay: ${driver.message}`);
        await transport.close();
        return 2;
      }
      opened.value.on('data', (report) => driver.push(report));
      opened.value.on('state', (state) => {
        if (state === 'closed') driver.flush();
      });
      // Every report, and every timeout after the last one, on the virtual clock.
      clock.runAll();
      await transport.done;
      driver.dispose();
      return errors === 0 ? 0 : 1;
    },
  };
}

export const command: CliCommand = createHidReplayCommand();
