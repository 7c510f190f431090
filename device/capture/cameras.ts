/**
 * Document cameras (any UVC camera) as the host sees them, for `kiosk devices`, `kiosk doctor`
 * and the admin screen. The picture itself is taken in the renderer (getUserMedia); this only
 * lists what is attached and whether the kiosk can use it.
 *
 * - Linux: V4L2 devices from sysfs (`/sys/class/video4linux/videoN`: `name`, `index`, the USB
 *   device's `idVendor`/`idProduct` two levels up). A UVC camera has two nodes; the metadata node
 *   (`index` ≠ 0) is skipped. State from the device node: `/dev/videoN` readable and writable →
 *   ready; present but not accessible → no_access (the kiosk user is not in group `video`);
 *   missing → offline.
 * - Windows: `Get-PnpDevice -PresentOnly` of class Camera (and class Image served by `usbvideo`),
 *   through PowerShell as printing does; PnP status OK → ready.
 */
import { constants } from 'node:fs';
import { access, readdir, readFile, realpath } from 'node:fs/promises';
import { join } from 'node:path';
import { type BinaryRunner, spawnBinary } from './run.ts';
import type { CaptureDeviceState } from './scanners/types.ts';
import { lastJson, POWERSHELL, powershellArgs } from './scanners/wia.ts';
import type { Result } from './types.ts';

export interface CameraInfo {
  /** `v4l2:/dev/video0` or `pnp:<InstanceId>` */
  readonly id: string;
  readonly backend: 'v4l2' | 'pnp';
  readonly name: string;
  /** The device node (Linux). */
  readonly path?: string;
  /** USB ids as 4 hex digits, when known. */
  readonly vendorId?: string;
  readonly productId?: string;
  readonly state: CaptureDeviceState;
  readonly reasons: readonly string[];
}

export type CameraListError = { readonly code: 'camera.list_failed'; readonly message: string };

export interface V4l2Options {
  /** Default `/sys/class/video4linux` (tests pass a fake tree). */
  readonly sysfsRoot?: string;
  /** Default `/dev`. */
  readonly devRoot?: string;
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return (await readFile(path, 'utf8')).trim();
  } catch {
    return undefined;
  }
}

export async function listV4l2Cameras(
  options: V4l2Options = {},
): Promise<Result<CameraInfo[], CameraListError>> {
  const root = options.sysfsRoot ?? '/sys/class/video4linux';
  const devRoot = options.devRoot ?? '/dev';
  let entries: string[];
  try {
    entries = (await readdir(root)).filter((e) => /^video\d+$/.test(e));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { ok: true, value: [] };
    return {
      ok: false,
      error: { code: 'camera.list_failed', message: String((error as Error).message).slice(0, 200) },
    };
  }
  entries.sort((a, b) => Number(a.slice(5)) - Number(b.slice(5)));
  const cameras: CameraInfo[] = [];
  for (const entry of entries) {
    const dir = join(root, entry);
    const index = await readText(join(dir, 'index'));
    if (index !== undefined && index !== '0') continue;
    const name = (await readText(join(dir, 'name'))) ?? entry;
    let vendorId: string | undefined;
    let productId: string | undefined;
    try {
      // device -> the USB interface; its parent is the USB device with the ids.
      const usb = join(await realpath(join(dir, 'device')), '..');
      vendorId = await readText(join(usb, 'idVendor'));
      productId = await readText(join(usb, 'idProduct'));
    } catch {
      // not a USB camera (or no device link): no ids
    }
    const path = join(devRoot, entry);
    let state: CaptureDeviceState = 'ready';
    const reasons: string[] = [];
    try {
      await access(path, constants.R_OK | constants.W_OK);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') {
        state = 'offline';
        reasons.push('no-device-node');
      } else {
        state = 'no_access';
        reasons.push('device-node-not-accessible');
      }
    }
    cameras.push({
      id: `v4l2:${path}`,
      backend: 'v4l2',
      name,
      path,
      ...(vendorId ? { vendorId } : {}),
      ...(productId ? { productId } : {}),
      state,
      reasons,
    });
  }
  return { ok: true, value: cameras };
}

export function pnpCameraScript(): string {
  return `$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
try {
  $devices = @(Get-PnpDevice -PresentOnly | Where-Object { $_.Class -eq 'Camera' -or ($_.Class -eq 'Image' -and $_.Service -eq 'usbvideo') })
  $list = @($devices | ForEach-Object { [pscustomobject]@{ name = [string]$_.FriendlyName; id = [string]$_.InstanceId; status = [string]$_.Status } })
  [pscustomobject]@{ ok = $true; cameras = $list } | ConvertTo-Json -Compress -Depth 4
} catch {
  [pscustomobject]@{ ok = $false; message = [string]$_.Exception.Message } | ConvertTo-Json -Compress
  exit 1
}
`;
}

const PNP_STATES: Record<string, CaptureDeviceState> = {
  OK: 'ready',
  Error: 'error',
  Degraded: 'error',
  Unknown: 'unknown',
};

export function parsePnpCameras(stdout: string): Result<CameraInfo[], CameraListError> {
  const data = lastJson(stdout);
  if (data?.ok !== true) {
    const message =
      typeof data?.message === 'string'
        ? data.message.slice(0, 200)
        : 'the camera list script gave no result';
    return { ok: false, error: { code: 'camera.list_failed', message } };
  }
  const raw = Array.isArray(data.cameras) ? data.cameras : data.cameras ? [data.cameras] : [];
  return {
    ok: true,
    value: raw.flatMap((c: unknown): CameraInfo[] => {
      if (!c || typeof c !== 'object') return [];
      const r = c as Record<string, unknown>;
      const id = typeof r.id === 'string' ? r.id : '';
      if (!id) return [];
      const status = typeof r.status === 'string' ? r.status : 'Unknown';
      const ids = /VID_([0-9A-F]{4})&PID_([0-9A-F]{4})/i.exec(id);
      const state = PNP_STATES[status] ?? 'unknown';
      return [
        {
          id: `pnp:${id}`,
          backend: 'pnp',
          name: typeof r.name === 'string' && r.name ? r.name : id,
          ...(ids
            ? { vendorId: (ids[1] as string).toLowerCase(), productId: (ids[2] as string).toLowerCase() }
            : {}),
          state,
          reasons: state === 'ready' ? [] : [`pnp-status-${status}`],
        },
      ];
    }),
  };
}

export async function listPnpCameras(
  runner: BinaryRunner = spawnBinary,
): Promise<Result<CameraInfo[], CameraListError>> {
  const result = await runner(POWERSHELL, powershellArgs(pnpCameraScript()), {
    timeoutMs: 20_000,
    env: process.env,
    maxOutputBytes: 1024 * 1024,
  });
  if (result.failure)
    return { ok: false, error: { code: 'camera.list_failed', message: `PowerShell: ${result.failure}` } };
  return parsePnpCameras(result.stdout.toString('utf8'));
}
