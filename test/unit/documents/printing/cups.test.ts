import { describe, expect, it } from 'vitest';
import { CupsPrinter, cupsState, parseLpJobId, parseLpOptions } from '../../../../core/printing/cups.ts';
import type { CommandResult, CommandRunner, RunOptions } from '../../../../core/printing/runner.ts';

// Recorded from CUPS 2.4 (`lpoptions -p kiosk`) with the cups-pdf backend.
const IDLE =
  "copies=1 device-uri=cups-pdf:/ finishings=3 job-cancel-after=10800 job-hold-until=no-hold job-priority=50 job-sheets=none,none marker-change-time=0 number-up=1 print-color-mode=color printer-commands=AutoConfigure,Clean,PrintSelfTestPage printer-info=kiosk printer-is-accepting-jobs=true printer-is-shared=true printer-is-temporary=false printer-location printer-make-and-model='Generic CUPS-PDF Printer (no options)' printer-state=3 printer-state-change-time=1795944076 printer-state-reasons=none printer-type=8450124 printer-uri-supported=ipp://localhost/printers/kiosk";
const DISABLED = IDLE.replace('printer-state=3', 'printer-state=5').replace(
  'printer-state-reasons=none',
  'printer-state-reasons=paused',
);
const REJECTING = IDLE.replace('printer-is-accepting-jobs=true', 'printer-is-accepting-jobs=false');
const NO_PAPER = IDLE.replace('printer-state=3', 'printer-state=4').replace(
  'printer-state-reasons=none',
  'printer-state-reasons=media-empty-error,marker-supply-low-warning',
);

describe('lpoptions parsing', () => {
  it('reads quoted values, bare keys and lists', () => {
    const o = parseLpOptions(IDLE);
    expect(o['printer-make-and-model']).toBe('Generic CUPS-PDF Printer (no options)');
    expect(o['printer-location']).toBe('');
    expect(o['job-sheets']).toBe('none,none');
    expect(o['printer-state']).toBe('3');
    expect(parseLpOptions("a='it\\'s' b=\"x y\" c=d\\ e")).toEqual({ a: "it's", b: 'x y', c: 'd e' });
  });

  it('maps CUPS states to kiosk states', () => {
    expect(cupsState(parseLpOptions(IDLE))).toEqual({ status: 'ready', reasons: [] });
    expect(cupsState(parseLpOptions(DISABLED))).toEqual({
      status: 'offline',
      reasons: ['paused', 'stopped'],
    });
    expect(cupsState(parseLpOptions(REJECTING))).toEqual({
      status: 'offline',
      reasons: ['not-accepting-jobs'],
    });
    expect(cupsState(parseLpOptions(NO_PAPER))).toEqual({
      status: 'out_of_paper',
      reasons: ['media-empty-error', 'marker-supply-low-warning'],
    });
    expect(cupsState({ 'printer-state': '4', 'printer-state-reasons': 'media-needed' }).status).toBe(
      'out_of_paper',
    );
    expect(cupsState({ 'printer-state': '3', 'printer-state-reasons': 'offline-report' }).status).toBe(
      'offline',
    );
    expect(cupsState({ 'printer-state': '4', 'printer-state-reasons': 'media-jam-error' }).status).toBe(
      'error',
    );
    expect(cupsState({ 'printer-state': '3', 'printer-state-reasons': 'toner-low-warning' })).toEqual({
      status: 'ready',
      reasons: ['toner-low-warning'],
    });
    // lpoptions prints nothing (and exits 0) for a queue that does not exist.
    expect(cupsState(parseLpOptions(''))).toEqual({ status: 'error', reasons: ['printer-not-found'] });
  });

  it('reads the job id from lp', () => {
    expect(parseLpJobId('request id is kiosk-12 (1 file(s))\n')).toBe('kiosk-12');
    expect(parseLpJobId('')).toBeUndefined();
  });
});

interface Call {
  file: string;
  args: readonly string[];
  options?: RunOptions;
}

function fakeRunner(responses: Record<string, CommandResult>): { run: CommandRunner; calls: Call[] } {
  const calls: Call[] = [];
  const run: CommandRunner = async (file, args, options) => {
    calls.push({ file, args, ...(options ? { options } : {}) });
    return responses[file] ?? { code: 127, stdout: '', stderr: '', failure: 'not_found' };
  };
  return { run, calls };
}

const ok = (stdout: string): CommandResult => ({ code: 0, stdout, stderr: '' });

describe('CupsPrinter', () => {
  const pdf = new Uint8Array([0x25, 0x50, 0x44, 0x46]);

  it('prints with lp, argument array and PDF on standard input', async () => {
    const { run, calls } = fakeRunner({ lpoptions: ok(IDLE), lp: ok('request id is kiosk-7 (1 file(s))\n') });
    const printer = new CupsPrinter({ name: 'kiosk', runner: run });
    expect(await printer.print(pdf, { copies: 2, jobName: 'receipt; rm -rf /' })).toEqual({
      ok: true,
      value: { jobId: 'kiosk-7' },
    });
    const lp = calls.find((c) => c.file === 'lp');
    expect(lp?.args).toEqual(['-d', 'kiosk', '-n', '2', '-t', 'receipt rm -rf']);
    expect(lp?.options?.input).toBe(pdf);
  });

  it('passes site job options and drops malformed ones', async () => {
    const { run, calls } = fakeRunner({ lpoptions: ok(IDLE), lp: ok('request id is kiosk-8 (1 file(s))') });
    const printer = new CupsPrinter({
      name: 'kiosk',
      runner: run,
      jobOptions: { media: 'X80MMY200MM', 'bad key': 'x', empty: '', 'fit-to-page': 'true' },
    });
    await printer.print(pdf, { jobName: 'receipt' });
    expect(calls.find((c) => c.file === 'lp')?.args.slice(6)).toEqual([
      '-o',
      'media=X80MMY200MM',
      '-o',
      'fit-to-page=true',
    ]);
  });

  it('refuses to queue a job on a stopped queue or an empty tray', async () => {
    for (const [output, code] of [
      [DISABLED, 'printer.offline'],
      [REJECTING, 'printer.offline'],
      [NO_PAPER, 'printer.out_of_paper'],
      ['', 'printer.failed'],
    ] as const) {
      const { run, calls } = fakeRunner({
        lpoptions: ok(output),
        lp: ok('request id is kiosk-1 (1 file(s))'),
      });
      const result = await new CupsPrinter({ name: 'kiosk', runner: run }).print(pdf, { jobName: 'receipt' });
      expect(result).toMatchObject({ ok: false, error: { code } });
      expect(calls.some((c) => c.file === 'lp')).toBe(false);
    }
  });

  it('turns lp failures into error values', async () => {
    const rejecting = fakeRunner({
      lpoptions: ok(IDLE),
      lp: { code: 1, stdout: '', stderr: 'lp: Destination "kiosk" is not accepting jobs.\n' },
    });
    expect(
      await new CupsPrinter({ name: 'kiosk', runner: rejecting.run }).print(pdf, { jobName: 'r' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'printer.offline' },
    });
    const broken = fakeRunner({
      lpoptions: ok(IDLE),
      lp: { code: 1, stdout: '', stderr: 'lp: Error - scheduler not responding.' },
    });
    expect(
      await new CupsPrinter({ name: 'kiosk', runner: broken.run }).print(pdf, { jobName: 'r' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'printer.failed' },
    });
    const silent = fakeRunner({ lpoptions: ok(IDLE), lp: ok('') });
    expect(
      await new CupsPrinter({ name: 'kiosk', runner: silent.run }).print(pdf, { jobName: 'r' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'printer.failed' },
    });
  });

  it('reports unknown when CUPS is missing or unreachable, and rejects unsafe queue names', async () => {
    expect(await new CupsPrinter({ name: 'kiosk', runner: fakeRunner({}).run }).state()).toEqual({
      status: 'unknown',
      reasons: ['cups-not-installed'],
    });
    const down = fakeRunner({
      lpoptions: { code: 1, stdout: '', stderr: 'lpoptions: Unable to connect to server' },
    });
    expect(await new CupsPrinter({ name: 'kiosk', runner: down.run }).state()).toEqual({
      status: 'unknown',
      reasons: ['cups-unreachable'],
    });
    const named = fakeRunner({ lpoptions: ok(IDLE) });
    expect(await new CupsPrinter({ name: 'a b', runner: named.run }).state()).toEqual({
      status: 'error',
      reasons: ['invalid-printer-name'],
    });
    expect(named.calls).toEqual([]);
  });
});
