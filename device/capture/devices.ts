/**
 * `listCaptureDevices()`: the cameras and scanners attached, each with its state, for
 * `kiosk devices`, `kiosk doctor` and the admin screen. A backend that cannot be asked (no
 * scanimage, no PowerShell) is reported in `problems`, never thrown; the other list still comes.
 */
import { type CameraInfo, listPnpCameras, listV4l2Cameras, type V4l2Options } from './cameras.ts';
import type { BinaryRunner } from './run.ts';
import { SaneDriver, type SaneDriverOptions } from './scanners/sane.ts';
import type { ScannerDriver, ScannerInfo } from './scanners/types.ts';
import { WiaDriver } from './scanners/wia.ts';

export interface CaptureDevices {
  readonly cameras: readonly CameraInfo[];
  readonly scanners: readonly ScannerInfo[];
  /** Backends that could not be asked: `{ source: 'scanners' | 'cameras', code, message }`. */
  readonly problems: readonly {
    readonly source: 'cameras' | 'scanners';
    readonly code: string;
    readonly message: string;
  }[];
}

export interface ListCaptureDevicesOptions {
  /** Default `process.platform`. */
  readonly platform?: NodeJS.Platform;
  /** The scanner driver to ask (default: SANE on Linux, WIA on Windows, none elsewhere). */
  readonly scanners?: ScannerDriver | null;
  readonly sane?: SaneDriverOptions;
  readonly v4l2?: V4l2Options;
  /** Runner for PowerShell on Windows (tests pass recorded outputs). */
  readonly runner?: BinaryRunner;
}

/** The scanner driver for this platform: SANE (Linux and other Unixes), WIA (Windows). */
export function defaultScannerDriver(
  platform: NodeJS.Platform = process.platform,
  options: { readonly sane?: SaneDriverOptions; readonly runner?: BinaryRunner } = {},
): ScannerDriver {
  return platform === 'win32'
    ? new WiaDriver(options.runner ? { runner: options.runner } : {})
    : new SaneDriver({ ...options.sane, ...(options.runner ? { runner: options.runner } : {}) });
}

export async function listCaptureDevices(options: ListCaptureDevicesOptions = {}): Promise<CaptureDevices> {
  const platform = options.platform ?? process.platform;
  const driver =
    options.scanners === undefined
      ? defaultScannerDriver(platform, {
          ...(options.sane ? { sane: options.sane } : {}),
          ...(options.runner ? { runner: options.runner } : {}),
        })
      : options.scanners;
  const [cameras, scanners] = await Promise.all([
    platform === 'win32' ? listPnpCameras(options.runner) : listV4l2Cameras(options.v4l2),
    driver ? driver.list() : Promise.resolve({ ok: true as const, value: [] as ScannerInfo[] }),
  ]);
  const problems: { source: 'cameras' | 'scanners'; code: string; message: string }[] = [];
  if (!cameras.ok) problems.push({ source: 'cameras', ...cameras.error });
  if (!scanners.ok) problems.push({ source: 'scanners', ...scanners.error });
  return {
    cameras: cameras.ok ? cameras.value : [],
    scanners: scanners.ok ? scanners.value : [],
    problems,
  };
}
