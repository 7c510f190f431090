import { describe, expect, it } from 'vitest';
import type { CommandResult, CommandRunner } from '../../../../core/printing/runner.ts';
import {
  POWERSHELL,
  parseWindowsPrint,
  parseWindowsState,
  powershellArgs,
  printScript,
  psLiteral,
  stateScript,
  WindowsPrinter,
} from '../../../../core/printing/windows.ts';

const decode = (args: readonly string[]) => Buffer.from(args.at(-1) ?? '', 'base64').toString('utf16le');

describe('PowerShell command construction', () => {
  it('quotes values as single-quoted literals', () => {
    expect(psLiteral('EPSON TM-T88V')).toBe("'EPSON TM-T88V'");
    expect(psLiteral("O'Brien's printer")).toBe("'O''Brien''s printer'");
    // PowerShell also treats typographic single quotes as quotes.
    expect(psLiteral('a\u2019b')).toBe("'a''b'");
    expect(psLiteral('$(Remove-Item C:\\)')).toBe("'$(Remove-Item C:\\)'");
  });

  it('encodes scripts as UTF-16LE base64 for -EncodedCommand, without a shell', () => {
    const args = powershellArgs(stateScript('Kasse 1'));
    expect(args.slice(0, 5)).toEqual([
      '-NoProfile',
      '-NonInteractive',
      '-ExecutionPolicy',
      'Bypass',
      '-EncodedCommand',
    ]);
    const script = decode(args);
    expect(script).toContain("$name = 'Kasse 1'");
    expect(script).toContain('Get-Printer -Name $name');
    expect(script).toContain('Win32_Printer');
  });

  it('embeds a hostile printer name as data', () => {
    const script = stateScript("x'; Remove-Item -Recurse C:\\; '");
    expect(script).toContain("$name = 'x''; Remove-Item -Recurse C:\\; '''");
  });

  it('builds the print script with the rendering and spooler steps', () => {
    const script = printScript({
      printerName: 'TM-T88',
      pdfPath: 'C:\\Temp\\kiosk-print-1\\document.pdf',
      copies: 2,
      documentName: 'receipt 42',
      dpi: 203,
    });
    expect(script).toContain("$printerName = 'TM-T88'");
    expect(script).toContain("$pdfPath = 'C:\\Temp\\kiosk-print-1\\document.pdf'");
    expect(script).toContain('$copies = 2');
    expect(script).toContain('Windows.Data.Pdf.PdfDocument');
    expect(script).toContain('System.Drawing.Printing.PrintDocument');
    expect(script).toContain('IAsyncOperation`1');
    expect(script).toContain('Get-PrintJob -PrinterName $printerName');
  });
});

// Output lines as the state script prints them (ConvertTo-Json -Compress).
const READY =
  '{"found":true,"printerStatus":0,"printerStatusName":"Normal","workOffline":false,"detectedErrorState":2,"extendedPrinterStatus":3}';
const PAPER_OUT =
  '{"found":true,"printerStatus":5,"printerStatusName":"PaperOut","workOffline":false,"detectedErrorState":4,"extendedPrinterStatus":9}';
const WORK_OFFLINE =
  '{"found":true,"printerStatus":0,"printerStatusName":"Normal","workOffline":true,"detectedErrorState":0,"extendedPrinterStatus":3}';
const OFFLINE =
  '{"found":true,"printerStatus":8,"printerStatusName":"Offline","workOffline":false,"detectedErrorState":9,"extendedPrinterStatus":7}';
const JAM =
  '{"found":true,"printerStatus":4,"printerStatusName":"PaperJam","workOffline":false,"detectedErrorState":8,"extendedPrinterStatus":9}';
const NOT_FOUND =
  '{"found":false,"message":"No MSFT_Printer objects found with property \'Name\' equal to \'X\'."}';

describe('Windows state parsing', () => {
  it('maps Get-Printer and Win32_Printer values', () => {
    expect(parseWindowsState(`${READY}\r\n`)).toEqual({ status: 'ready', reasons: [] });
    expect(parseWindowsState(PAPER_OUT)).toEqual({
      status: 'out_of_paper',
      reasons: ['PaperOut', 'NoPaper', 'Error'],
    });
    expect(parseWindowsState(WORK_OFFLINE)).toEqual({ status: 'offline', reasons: ['WorkOffline'] });
    expect(parseWindowsState(OFFLINE)).toEqual({ status: 'offline', reasons: ['Offline'] });
    expect(parseWindowsState(JAM)).toEqual({ status: 'error', reasons: ['PaperJam', 'Jammed', 'Error'] });
    expect(parseWindowsState(NOT_FOUND)).toEqual({ status: 'error', reasons: ['printer-not-found'] });
    expect(parseWindowsState('WARNING: something\r\n')).toEqual({
      status: 'unknown',
      reasons: ['no-state-output'],
    });
  });

  it('falls back to the numeric status when the name is missing', () => {
    expect(parseWindowsState('{"found":true,"printerStatus":5,"printerStatusName":""}').status).toBe(
      'out_of_paper',
    );
  });

  it('reads the print result', () => {
    expect(parseWindowsPrint('{"ok":true,"jobId":"17"}', 'receipt x')).toEqual({
      ok: true,
      value: { jobId: '17' },
    });
    expect(parseWindowsPrint('{"ok":true,"jobId":null}', 'receipt x')).toEqual({
      ok: true,
      value: { jobId: 'receipt x' },
    });
    expect(
      parseWindowsPrint('{"ok":false,"code":"printer.failed","message":"printer-not-found"}', 'r'),
    ).toMatchObject({
      ok: false,
      error: { code: 'printer.failed' },
    });
    expect(parseWindowsPrint('', 'r')).toMatchObject({ ok: false, error: { code: 'printer.failed' } });
  });
});

describe('WindowsPrinter', () => {
  function runner(stateOut: string, printOut: string): { run: CommandRunner; scripts: string[] } {
    const scripts: string[] = [];
    const run: CommandRunner = async (file, args): Promise<CommandResult> => {
      expect(file).toBe(POWERSHELL);
      const script = decode(args);
      scripts.push(script);
      return { code: 0, stdout: script.includes('Get-Printer -Name') ? stateOut : printOut, stderr: '' };
    };
    return { run, scripts };
  }

  it('prints after checking the state and passes copies and a unique document name', async () => {
    const { run, scripts } = runner(READY, '{"ok":true,"jobId":"5"}');
    const printer = new WindowsPrinter({ name: 'TM-T88', runner: run, uniqueSuffix: () => 'a1b2' });
    expect(await printer.print(new Uint8Array([1, 2, 3]), { jobName: 'receipt', copies: 3 })).toEqual({
      ok: true,
      value: { jobId: '5' },
    });
    expect(scripts).toHaveLength(2);
    expect(scripts[1]).toContain("$docName = 'receipt a1b2'");
    expect(scripts[1]).toContain('$copies = 3');
  });

  it('refuses when the printer is out of paper or offline', async () => {
    for (const [state, code] of [
      [PAPER_OUT, 'printer.out_of_paper'],
      [OFFLINE, 'printer.offline'],
    ] as const) {
      const { run, scripts } = runner(state, '{"ok":true,"jobId":"5"}');
      const printer = new WindowsPrinter({ name: 'TM-T88', runner: run, uniqueSuffix: () => 'x' });
      expect(await printer.print(new Uint8Array([1]), { jobName: 'receipt' })).toMatchObject({
        ok: false,
        error: { code },
      });
      expect(scripts).toHaveLength(1);
    }
  });

  it('reports unknown when PowerShell is missing', async () => {
    const run: CommandRunner = async () => ({ code: null, stdout: '', stderr: '', failure: 'not_found' });
    const printer = new WindowsPrinter({ name: 'TM-T88', runner: run, uniqueSuffix: () => 'x' });
    expect(await printer.state()).toEqual({ status: 'unknown', reasons: ['powershell-not-found'] });
    expect(await printer.print(new Uint8Array([1]), { jobName: 'r' })).toMatchObject({
      ok: false,
      error: { code: 'printer.failed' },
    });
  });
});
