/**
 * Scanners on Windows through WIA 2.0's scripting objects (`WIA.DeviceManager`, part of
 * Windows), driven by Windows PowerShell 5.1 as printing is (`core/printing/windows.ts`):
 *
 * - list: every WIA device of type 1 (scanner) with its name and maker, as one JSON line;
 * - scan: connect by DeviceID, select the feeder when asked (WIA_DPS_DOCUMENT_HANDLING_SELECT),
 *   set intent (colour/grey) and resolution on the first item, `Transfer` as PNG (converted with
 *   `WIA.ImageProcess` when the driver delivers another format), and print the PNG as base64 in
 *   one JSON line: the image goes from WIA's memory to ours through the pipe, never to a file.
 * - failures: the COM HRESULT (WIA_ERROR_*) is printed and mapped to `scanner.*` codes.
 *
 * Scripts go through `-EncodedCommand` (UTF-16LE, base64) and every value is a single-quoted
 * literal or a number, so device ids are data, never code. Tested with recorded outputs.
 */

import { sniffImage } from '../image.ts';
import { type BinaryRunner, spawnBinary } from '../run.ts';
import type { Result, ScannerError, ScannerErrorCode } from '../types.ts';
import type { ScannedImage, ScannerDriver, ScannerInfo, ScanOptions } from './types.ts';

export const POWERSHELL = 'powershell.exe';

/** A PowerShell single-quoted string literal (typographic quotes count as quotes too). */
export function psLiteral(value: string): string {
  return `'${value.replace(/['\u2018\u2019\u201A\u201B]/g, "''")}'`;
}

export function powershellArgs(script: string): string[] {
  return [
    '-NoProfile',
    '-NonInteractive',
    '-ExecutionPolicy',
    'Bypass',
    '-EncodedCommand',
    Buffer.from(script, 'utf16le').toString('base64'),
  ];
}

const PROLOGUE = `$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
function Fail($e) {
  $hr = $e.Exception.HResult
  if ($e.Exception.InnerException) { $hr = $e.Exception.InnerException.HResult }
  [pscustomobject]@{ ok = $false; hresult = ('0x{0:X8}' -f $hr); message = [string]$e.Exception.Message } | ConvertTo-Json -Compress
  exit 1
}
`;

export function listScript(): string {
  return `${PROLOGUE}try {
  $manager = New-Object -ComObject WIA.DeviceManager
  $found = @()
  foreach ($info in $manager.DeviceInfos) {
    if ($info.Type -ne 1) { continue }
    $p = @{}
    foreach ($prop in $info.Properties) { $p[[string]$prop.Name] = [string]$prop.Value }
    $found += [pscustomobject]@{ id = [string]$info.DeviceID; name = $p['Name']; manufacturer = $p['Manufacturer']; description = $p['Description'] }
  }
  [pscustomobject]@{ ok = $true; scanners = @($found) } | ConvertTo-Json -Compress -Depth 4
} catch { Fail $_ }
`;
}

/** WIA property ids and values used by the scan script. */
export const WIA = Object.freeze({
  documentHandlingSelect: 3088,
  feeder: 1,
  flatbed: 2,
  intent: 6146,
  intentColour: 1,
  intentGray: 2,
  xResolution: 6147,
  yResolution: 6148,
  xExtent: 6151,
  yExtent: 6152,
  formatPng: '{B96B3CAF-0728-11D3-9D7B-0000F81EF32E}',
});

export function scanScript(deviceId: string, options: ScanOptions = {}): string {
  const dpi = Math.round(options.resolution ?? 200);
  const feeder = options.source?.toLowerCase() === 'feeder';
  const intent = options.mode === 'gray' ? WIA.intentGray : WIA.intentColour;
  const extent = options.areaMm
    ? `  Set-Prop $item.Properties ${WIA.xExtent} ${Math.round((options.areaMm.width / 25.4) * dpi)}
  Set-Prop $item.Properties ${WIA.yExtent} ${Math.round((options.areaMm.height / 25.4) * dpi)}
`
    : '';
  return `${PROLOGUE}function Set-Prop($props, [int]$id, $value) {
  foreach ($prop in $props) { if ($prop.PropertyID -eq $id) { $prop.Value = $value; return } }
}
try {
  $deviceId = ${psLiteral(deviceId)}
  $manager = New-Object -ComObject WIA.DeviceManager
  $info = $null
  foreach ($candidate in $manager.DeviceInfos) { if ($candidate.DeviceID -eq $deviceId) { $info = $candidate } }
  if ($null -eq $info) {
    [pscustomobject]@{ ok = $false; hresult = '0x80210015'; message = 'no such scanner' } | ConvertTo-Json -Compress
    exit 1
  }
  $device = $info.Connect()
  Set-Prop $device.Properties ${WIA.documentHandlingSelect} ${feeder ? WIA.feeder : WIA.flatbed}
  $item = $device.Items.Item(1)
  Set-Prop $item.Properties ${WIA.intent} ${intent}
  Set-Prop $item.Properties ${WIA.xResolution} ${dpi}
  Set-Prop $item.Properties ${WIA.yResolution} ${dpi}
${extent}  $image = $item.Transfer('${WIA.formatPng}')
  if ($image.FormatID -ne '${WIA.formatPng}') {
    $process = New-Object -ComObject WIA.ImageProcess
    $process.Filters.Add($process.FilterInfos.Item('Convert').FilterID)
    $process.Filters.Item(1).Properties.Item('FormatID').Value = '${WIA.formatPng}'
    $image = $process.Apply($image)
  }
  $bytes = [byte[]]$image.FileData.BinaryData
  [pscustomobject]@{ ok = $true; width = [int]$image.Width; height = [int]$image.Height; png = [Convert]::ToBase64String($bytes) } | ConvertTo-Json -Compress
} catch { Fail $_ }
`;
}

/** WIA_ERROR_* HRESULTs (wia.h) and the COM errors a scan meets. */
export const WIA_ERRORS: Readonly<Record<string, ScannerErrorCode>> = Object.freeze({
  '0x80210001': 'scanner.failed', // WIA_ERROR_GENERAL_ERROR
  '0x80210002': 'scanner.jammed', // WIA_ERROR_PAPER_JAM
  '0x80210003': 'scanner.no_paper', // WIA_ERROR_PAPER_EMPTY
  '0x80210004': 'scanner.jammed', // WIA_ERROR_PAPER_PROBLEM
  '0x80210005': 'scanner.gone', // WIA_ERROR_OFFLINE
  '0x80210006': 'scanner.busy', // WIA_ERROR_BUSY
  '0x80210007': 'scanner.busy', // WIA_ERROR_WARMING_UP
  '0x80210008': 'scanner.failed', // WIA_ERROR_USER_INTERVENTION
  '0x80210009': 'scanner.gone', // WIA_ERROR_ITEM_DELETED
  '0x8021000A': 'scanner.io_error', // WIA_ERROR_DEVICE_COMMUNICATION
  '0x8021000D': 'scanner.busy', // WIA_ERROR_DEVICE_LOCKED
  '0x80210015': 'scanner.gone', // WIA_S_NO_DEVICE_AVAILABLE
  '0x80210016': 'scanner.cover_open', // WIA_ERROR_COVER_OPEN
  '0x80210017': 'scanner.failed', // WIA_ERROR_LAMP_OFF
  '0x80210020': 'scanner.jammed', // WIA_ERROR_MULTI_FEED
  '0x80070005': 'scanner.access_denied', // E_ACCESSDENIED
  '0x800704C7': 'scanner.cancelled', // ERROR_CANCELLED
  '0x80040154': 'scanner.not_installed', // REGDB_E_CLASSNOTREG: no WIA scripting objects
});

/** The last line of `stdout` that parses as a JSON object. */
export function lastJson(stdout: string): Record<string, unknown> | undefined {
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

function wiaError(data: Record<string, unknown> | undefined, fallback: string): ScannerError {
  if (data === undefined) return { code: 'scanner.failed', message: fallback };
  const hresult = typeof data.hresult === 'string' ? data.hresult.toUpperCase().replace(/^0X/, '0x') : '';
  const message = `${hresult} ${typeof data.message === 'string' ? data.message : ''}`.trim().slice(0, 200);
  return { code: WIA_ERRORS[hresult] ?? 'scanner.failed', message };
}

export function parseWiaList(stdout: string): Result<ScannerInfo[], ScannerError> {
  const data = lastJson(stdout);
  if (data?.ok !== true) return { ok: false, error: wiaError(data, 'the WIA list script gave no result') };
  const raw = Array.isArray(data.scanners) ? data.scanners : data.scanners ? [data.scanners] : [];
  const scanners = raw.flatMap((s: unknown): ScannerInfo[] => {
    if (!s || typeof s !== 'object') return [];
    const r = s as Record<string, unknown>;
    const text = (v: unknown) => (typeof v === 'string' ? v : '');
    if (!text(r.id)) return [];
    return [
      {
        id: `wia:${text(r.id)}`,
        backend: 'wia',
        device: text(r.id),
        vendor: text(r.manufacturer),
        model: text(r.name),
        type: text(r.description) || 'scanner',
        state: 'ready',
        reasons: [],
      },
    ];
  });
  return { ok: true, value: scanners };
}

export function parseWiaScan(stdout: string, resolution: number): Result<ScannedImage, ScannerError> {
  const data = lastJson(stdout);
  if (data?.ok !== true) return { ok: false, error: wiaError(data, 'the WIA scan script gave no result') };
  const png = typeof data.png === 'string' ? Buffer.from(data.png, 'base64') : Buffer.alloc(0);
  if (sniffImage(png) !== 'png') {
    return {
      ok: false,
      error: { code: 'scanner.bad_output', message: `WIA delivered no PNG (${png.byteLength} bytes)` },
    };
  }
  return { ok: true, value: { png: new Uint8Array(png), resolution } };
}

export interface WiaDriverOptions {
  readonly runner?: BinaryRunner;
  readonly listTimeoutMs?: number;
}

export class WiaDriver implements ScannerDriver {
  readonly backend = 'wia' as const;
  readonly #run: BinaryRunner;

  constructor(private readonly options: WiaDriverOptions = {}) {
    this.#run = options.runner ?? spawnBinary;
  }

  async list(): Promise<Result<ScannerInfo[], ScannerError>> {
    const result = await this.#run(POWERSHELL, powershellArgs(listScript()), {
      timeoutMs: this.options.listTimeoutMs ?? 30_000,
      env: process.env,
      maxOutputBytes: 1024 * 1024,
    });
    if (result.failure === 'not_found')
      return { ok: false, error: { code: 'scanner.not_installed', message: 'powershell.exe not found' } };
    if (result.failure)
      return {
        ok: false,
        error: {
          code: result.failure === 'timeout' ? 'scanner.timeout' : 'scanner.failed',
          message: `PowerShell: ${result.failure}`,
        },
      };
    return parseWiaList(result.stdout.toString('utf8'));
  }

  async scan(device: string, options: ScanOptions = {}): Promise<Result<ScannedImage, ScannerError>> {
    const result = await this.#run(POWERSHELL, powershellArgs(scanScript(device, options)), {
      timeoutMs: options.timeoutMs ?? 120_000,
      env: process.env,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    if (result.failure === 'not_found')
      return { ok: false, error: { code: 'scanner.not_installed', message: 'powershell.exe not found' } };
    if (result.failure === 'timeout')
      return { ok: false, error: { code: 'scanner.timeout', message: 'the scanner did not finish in time' } };
    if (result.failure === 'aborted')
      return { ok: false, error: { code: 'scanner.cancelled', message: 'the scan was cancelled' } };
    if (result.failure)
      return { ok: false, error: { code: 'scanner.failed', message: `PowerShell: ${result.failure}` } };
    return parseWiaScan(result.stdout.toString('utf8'), Math.round(options.resolution ?? 200));
  }
}
