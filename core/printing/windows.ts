/**
 * Printing on Windows through the spooler, driven by Windows PowerShell 5.1 (`powershell.exe`,
 * which can reach the WinRT PDF renderer; PowerShell 7 cannot):
 *
 * - state: `Get-Printer` (PrinterStatus of MSFT_Printer) plus `Win32_Printer` for the extended
 *   status (WorkOffline, DetectedErrorState, ExtendedPrinterStatus), printed as one JSON line;
 * - print: the PDF is written to a temporary file, rendered page by page with
 *   `Windows.Data.Pdf.PdfDocument` (part of Windows 10/11, no PDF reader needed) and sent to the
 *   named printer with `System.Drawing.Printing.PrintDocument` at the page's own size; the script
 *   prints one JSON line with the spooler's job id when it can still see the job.
 *
 * Scripts go through `-EncodedCommand` (UTF-16LE, base64) and every value is a single-quoted
 * PowerShell literal, so printer names and paths are data, never code.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

export const POWERSHELL = 'powershell.exe';

/** A PowerShell single-quoted string literal: only the quote itself needs escaping (doubled). */
export function psLiteral(value: string): string {
  return `'${value.replace(/['\u2018\u2019\u201A\u201B]/g, "''")}'`;
}

/** Arguments for `powershell.exe` running `script`. */
export function powershellArgs(script: string): string[] {
  const encoded = Buffer.from(script, 'utf16le').toString('base64');
  return ['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-EncodedCommand', encoded];
}

export function stateScript(printerName: string): string {
  return `$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
$name = ${psLiteral(printerName)}
try {
  $p = Get-Printer -Name $name
  $filter = "Name='" + $name.Replace('\\', '\\\\').Replace("'", "\\'") + "'"
  $w = Get-CimInstance -ClassName Win32_Printer -Filter $filter
  [pscustomobject]@{
    found = $true
    printerStatus = [int]$p.PrinterStatus
    printerStatusName = [string]$p.PrinterStatus
    workOffline = [bool]$w.WorkOffline
    detectedErrorState = [int]$w.DetectedErrorState
    extendedPrinterStatus = [int]$w.ExtendedPrinterStatus
  } | ConvertTo-Json -Compress
} catch {
  [pscustomobject]@{ found = $false; message = [string]$_.Exception.Message } | ConvertTo-Json -Compress
}
`;
}

export interface PrintScriptParams {
  readonly printerName: string;
  readonly pdfPath: string;
  readonly copies: number;
  readonly documentName: string;
  /** Rendering resolution; thermal printers print 203 dpi. */
  readonly dpi: number;
}

export function printScript(p: PrintScriptParams): string {
  return `$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
$printerName = ${psLiteral(p.printerName)}
$pdfPath = ${psLiteral(p.pdfPath)}
$copies = ${Math.trunc(p.copies)}
$docName = ${psLiteral(p.documentName)}
$dpi = ${Math.trunc(p.dpi)}
try {
  Add-Type -AssemblyName System.Drawing
  Add-Type -AssemblyName System.Runtime.WindowsRuntime
  $null = [Windows.Storage.StorageFile, Windows.Storage, ContentType = WindowsRuntime]
  $null = [Windows.Data.Pdf.PdfDocument, Windows.Data.Pdf, ContentType = WindowsRuntime]
  $null = [Windows.Storage.Streams.InMemoryRandomAccessStream, Windows.Storage.Streams, ContentType = WindowsRuntime]
  $extensions = [System.WindowsRuntimeSystemExtensions].GetMethods()
  $asTaskOf = $extensions | Where-Object { $_.Name -eq 'AsTask' -and $_.GetParameters().Count -eq 1 -and $_.GetParameters()[0].ParameterType.Name -eq 'IAsyncOperation\`1' } | Select-Object -First 1
  $asTask = $extensions | Where-Object { $_.Name -eq 'AsTask' -and $_.GetParameters().Count -eq 1 -and $_.GetParameters()[0].ParameterType.Name -eq 'IAsyncAction' } | Select-Object -First 1
  function Await($operation, [Type]$type) { $t = $asTaskOf.MakeGenericMethod($type).Invoke($null, @($operation)); $t.Wait(); $t.Result }
  function AwaitAction($action) { $t = $asTask.Invoke($null, @($action)); $t.Wait() }

  $file = Await ([Windows.Storage.StorageFile]::GetFileFromPathAsync($pdfPath)) ([Windows.Storage.StorageFile])
  $pdf = Await ([Windows.Data.Pdf.PdfDocument]::LoadFromFileAsync($file)) ([Windows.Data.Pdf.PdfDocument])
  $pages = New-Object System.Collections.Generic.List[object]
  for ($i = 0; $i -lt $pdf.PageCount; $i++) {
    $page = $pdf.GetPage([uint32]$i)
    $stream = New-Object Windows.Storage.Streams.InMemoryRandomAccessStream
    $options = New-Object Windows.Data.Pdf.PdfPageRenderOptions
    $options.DestinationWidth = [uint32][math]::Round($page.Size.Width * $dpi / 96)
    AwaitAction ($page.RenderToStreamAsync($stream, $options))
    $bitmap = New-Object System.Drawing.Bitmap ([System.IO.WindowsRuntimeStreamExtensions]::AsStreamForRead($stream))
    # Page size in hundredths of an inch (WinRT reports it in 1/96 inch).
    $pages.Add([pscustomobject]@{ Image = $bitmap; Width = $page.Size.Width / 96 * 100; Height = $page.Size.Height / 96 * 100 })
    $page.Dispose()
  }

  $doc = New-Object System.Drawing.Printing.PrintDocument
  $doc.PrinterSettings.PrinterName = $printerName
  if (-not $doc.PrinterSettings.IsValid) {
    [pscustomobject]@{ ok = $false; code = 'printer.failed'; message = 'printer-not-found' } | ConvertTo-Json -Compress
    exit 3
  }
  $doc.DocumentName = $docName
  $doc.PrintController = New-Object System.Drawing.Printing.StandardPrintController
  $first = $pages[0]
  $doc.DefaultPageSettings.PaperSize = New-Object System.Drawing.Printing.PaperSize ('Kiosk', [int]$first.Width, [int]$first.Height)
  $doc.DefaultPageSettings.Margins = New-Object System.Drawing.Printing.Margins (0, 0, 0, 0)
  $doc.OriginAtMargins = $false
  $run = @{ Index = 0; Sheets = New-Object System.Collections.Generic.List[object] }
  for ($c = 0; $c -lt $copies; $c++) { foreach ($pg in $pages) { $run.Sheets.Add($pg) } }
  $doc.add_PrintPage({
    param($sender, $e)
    $sheet = $run.Sheets[$run.Index]
    $e.Graphics.PageUnit = [System.Drawing.GraphicsUnit]::Display
    $e.Graphics.DrawImage($sheet.Image, [single](-$e.PageSettings.HardMarginX), [single](-$e.PageSettings.HardMarginY), [single]$sheet.Width, [single]$sheet.Height)
    $run.Index++
    $e.HasMorePages = $run.Index -lt $run.Sheets.Count
  }.GetNewClosure())
  $doc.Print()
  $job = Get-PrintJob -PrinterName $printerName -ErrorAction SilentlyContinue | Where-Object { $_.DocumentName -eq $docName } | Sort-Object Id -Descending | Select-Object -First 1
  $jobId = if ($job) { [string]$job.Id } else { $null }
  [pscustomobject]@{ ok = $true; jobId = $jobId } | ConvertTo-Json -Compress
} catch {
  [pscustomobject]@{ ok = $false; code = 'printer.failed'; message = [string]$_.Exception.Message } | ConvertTo-Json -Compress
  exit 1
}
`;
}

/** The last line of `stdout` that parses as a JSON object. */
function lastJson(stdout: string): Record<string, unknown> | undefined {
  const lines = stdout.split(/\r?\n/).filter((l) => l.trim().startsWith('{'));
  for (const line of lines.reverse()) {
    try {
      const value: unknown = JSON.parse(line);
      if (value && typeof value === 'object' && !Array.isArray(value))
        return value as Record<string, unknown>;
    } catch {
      // not this line
    }
  }
  return undefined;
}

/** MSFT_Printer.PrinterStatus values by name (as Get-Printer prints them) and number. */
const STATUS_NAMES: Record<number, string> = {
  0: 'Normal',
  1: 'Paused',
  2: 'Error',
  3: 'PendingDeletion',
  4: 'PaperJam',
  5: 'PaperOut',
  6: 'ManualFeed',
  7: 'PaperProblem',
  8: 'Offline',
  9: 'IOActive',
  10: 'Busy',
  11: 'Printing',
  12: 'OutputBinFull',
  13: 'NotAvailable',
  14: 'Waiting',
  15: 'Processing',
  16: 'Initialization',
  17: 'WarmingUp',
  18: 'TonerLow',
  19: 'NoToner',
  20: 'PagePunt',
  21: 'UserIntervention',
  22: 'OutOfMemory',
  23: 'DoorOpen',
  24: 'ServerUnknown',
  25: 'PowerSave',
};
/** Win32_Printer.DetectedErrorState names. */
const DETECTED_ERRORS: Record<number, string> = {
  3: 'LowPaper',
  4: 'NoPaper',
  5: 'LowToner',
  6: 'NoToner',
  7: 'DoorOpen',
  8: 'Jammed',
  9: 'Offline',
  10: 'ServiceRequested',
  11: 'OutputBinFull',
};
/** Win32_Printer.ExtendedPrinterStatus names that matter. */
const EXTENDED: Record<number, string> = {
  6: 'StoppedPrinting',
  7: 'Offline',
  8: 'Paused',
  9: 'Error',
  11: 'NotAvailable',
  16: 'PendingDeletion',
};

const OUT_OF_PAPER = new Set(['PaperOut', 'NoPaper']);
const OFFLINE = new Set([
  'Offline',
  'Paused',
  'NotAvailable',
  'ServerUnknown',
  'PendingDeletion',
  'StoppedPrinting',
  'WorkOffline',
]);
const ERROR = new Set([
  'Error',
  'PaperJam',
  'Jammed',
  'PaperProblem',
  'NoToner',
  'UserIntervention',
  'OutOfMemory',
  'DoorOpen',
  'OutputBinFull',
  'ServiceRequested',
]);

/** The kiosk's view of the JSON line the state script prints. */
export function parseWindowsState(stdout: string): PrinterState {
  const data = lastJson(stdout);
  if (data === undefined) return { status: 'unknown', reasons: ['no-state-output'] };
  if (data.found !== true) return { status: 'error', reasons: ['printer-not-found'] };
  const reasons: string[] = [];
  const statusNumber = typeof data.printerStatus === 'number' ? data.printerStatus : undefined;
  const statusName =
    typeof data.printerStatusName === 'string' && data.printerStatusName !== ''
      ? data.printerStatusName
      : statusNumber !== undefined
        ? STATUS_NAMES[statusNumber]
        : undefined;
  if (statusName && statusName !== 'Normal') reasons.push(statusName);
  if (data.workOffline === true) reasons.push('WorkOffline');
  const detected =
    typeof data.detectedErrorState === 'number' ? DETECTED_ERRORS[data.detectedErrorState] : undefined;
  if (detected && !reasons.includes(detected)) reasons.push(detected);
  const extended =
    typeof data.extendedPrinterStatus === 'number' ? EXTENDED[data.extendedPrinterStatus] : undefined;
  if (extended && !reasons.includes(extended)) reasons.push(extended);

  if (reasons.some((r) => OUT_OF_PAPER.has(r))) return { status: 'out_of_paper', reasons };
  if (reasons.some((r) => OFFLINE.has(r))) return { status: 'offline', reasons };
  if (reasons.some((r) => ERROR.has(r))) return { status: 'error', reasons };
  return { status: 'ready', reasons };
}

/** The print script's JSON line as a result; `fallbackJobId` when the spooler no longer lists the job. */
export function parseWindowsPrint(stdout: string, fallbackJobId: string): PrintResult {
  const data = lastJson(stdout);
  if (data === undefined) return printError('printer.failed', 'The print script gave no result');
  if (data.ok === true) {
    const jobId = typeof data.jobId === 'string' && data.jobId !== '' ? data.jobId : fallbackJobId;
    return { ok: true, value: { jobId } };
  }
  const message = typeof data.message === 'string' ? data.message.slice(0, 200) : 'unknown error';
  return printError('printer.failed', `Printing failed: ${message}`);
}

export interface WindowsPrinterOptions {
  readonly name: string;
  readonly runner?: CommandRunner;
  /** Folder for the temporary PDF; the system temp folder when left out. */
  readonly tempDir?: string;
  readonly dpi?: number;
  readonly timeoutMs?: number;
  /** Makes document names unique so the job can be found in the queue. */
  readonly uniqueSuffix: () => string;
}

export class WindowsPrinter implements Printer {
  private readonly run: CommandRunner;

  constructor(private readonly options: WindowsPrinterOptions) {
    this.run = options.runner ?? spawnRunner;
  }

  async state(): Promise<PrinterState> {
    const result = await this.run(POWERSHELL, powershellArgs(stateScript(this.options.name)), {
      timeoutMs: this.options.timeoutMs ?? 20_000,
      env: process.env,
    });
    if (result.failure === 'not_found') return { status: 'unknown', reasons: ['powershell-not-found'] };
    if (result.failure) return { status: 'unknown', reasons: [`powershell-${result.failure}`] };
    return parseWindowsState(result.stdout);
  }

  async print(pdf: Uint8Array, options: PrintOptions): Promise<PrintResult> {
    const refusal = refusalFor(await this.state());
    if (refusal) return refusal;
    const documentName = `${safeJobName(options.jobName)} ${this.options.uniqueSuffix()}`;
    let dir: string | undefined;
    try {
      dir = await mkdtemp(join(this.options.tempDir ?? tmpdir(), 'kiosk-print-'));
      const pdfPath = join(dir, 'document.pdf');
      await writeFile(pdfPath, pdf);
      const script = printScript({
        printerName: this.options.name,
        pdfPath,
        copies: validCopies(options.copies),
        documentName,
        dpi: this.options.dpi ?? 203,
      });
      const result = await this.run(POWERSHELL, powershellArgs(script), {
        timeoutMs: this.options.timeoutMs ?? 60_000,
        env: process.env,
      });
      if (result.failure) return printError('printer.failed', `PowerShell could not run (${result.failure})`);
      return parseWindowsPrint(result.stdout, documentName);
    } catch (error) {
      return printError('printer.failed', error instanceof Error ? error.message : String(error));
    } finally {
      if (dir) await rm(dir, { recursive: true, force: true });
    }
  }
}
