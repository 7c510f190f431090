/**
 * `kiosk devices`: lists the attached HID devices with the reader profile each one matches;
 * `--watch` opens the readers and prints connections and reads live until stopped.
 */
import { readFile } from 'node:fs/promises';
import { type Clock, systemClock } from '../../common/clock.ts';
import { keyboardLayoutIds } from '../../common/keyboard-layouts.ts';
import { err, ok, type Result } from '../../common/result.ts';
import type { CaptureDevices } from '../../device/capture/devices.ts';
import type { DeviceResult } from '../../device/events.ts';
import {
  builtinProfiles,
  type DeviceProfile,
  matchProfile,
  validateProfiles,
} from '../../device/profiles.ts';
import { ReaderManager } from '../../device/readers.ts';
import type { HidDeviceInfo } from '../../device/transport.ts';
import { loadNodeHid, type NodeHidModule, NodeHidTransport } from '../../device/transports/node-hid.ts';
import { type CliCommand, type CliIo, writeLine } from '../command.ts';
import { formatRead, layoutCodec } from './hid-replay.ts';

const USAGE = `Usage: kiosk devices [--watch] [--json] [--profiles FILE]
       kiosk devices --capture [--json]

Lists the attached HID devices (vendor:product id, usage page/usage, product name) and the
reader profile each one matches; devices matching no profile are not used by the kiosk.

Options:
  --capture        list the document cameras (V4L2 / Windows) and scanners (SANE / WIA) instead,
                   each with its state (ready, busy, offline, no_access, error, unknown), and the
                   backends that could not be asked
  --watch          open every matching reader and print connections and reads as JSON lines
                   until stopped (Ctrl+C); for testing a reader. Prints what the reader reads.
  --json           list as JSON lines instead of a table
  --profiles FILE  administrators' profiles (a JSON array, or an object with "profiles"),
                   tried before the built-in ones

Exit code: 0 listed (also when no device is attached), 1 HID access failed, 2 bad options.`;

export interface DevicesDeps {
  readonly loadHid?: () => Promise<DeviceResult<NodeHidModule>>;
  /** The cameras and scanners (device/capture); tests pass a fixed list. */
  readonly listCapture?: (env: NodeJS.ProcessEnv) => Promise<CaptureDevices>;
  readonly clock?: Clock;
  readonly now?: () => Date;
}

function hex4(n: number | undefined): string {
  return n === undefined ? '----' : n.toString(16).padStart(4, '0');
}

async function loadProfiles(file: string | undefined): Promise<Result<DeviceProfile[]>> {
  if (file === undefined) return ok([]);
  let value: unknown;
  try {
    value = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    return err(
      'device.bad_profile',
      `cannot read profiles from ${file}: ${e instanceof SyntaxError ? 'not JSON' : 'unreadable'}`,
    );
  }
  const list =
    typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as { profiles?: unknown }).profiles
      : value;
  const validated = validateProfiles(list, { layouts: keyboardLayoutIds });
  return validated.ok ? validated : err('device.bad_profile', `${file}: ${validated.error.message}`);
}

function row(d: HidDeviceInfo, profile: DeviceProfile | undefined): string {
  const ids = `${hex4(d.vendorId)}:${hex4(d.productId)}`;
  const usage = `${hex4(d.usagePage)}/${hex4(d.usage)}`;
  const name = [d.manufacturer, d.product].filter(Boolean).join(' ') || '(no name)';
  const matched = profile ? `${profile.id} (${profile.driver}, ${profile.mode})` : '- (not a reader)';
  return `${ids}  ${usage}  ${name.slice(0, 36).padEnd(36)}  ${matched}`;
}

/** The cameras and scanners of this machine, asked with the command's environment (SANE_CONFIG_DIR...). */
async function listCaptureDevicesIn(env: NodeJS.ProcessEnv): Promise<CaptureDevices> {
  const { listCaptureDevices } = await import('../../device/capture/devices.ts');
  return listCaptureDevices({ sane: { env } });
}

function printCapture(devices: CaptureDevices, json: boolean, io: CliIo): void {
  if (json) {
    for (const c of devices.cameras) writeLine(io.stdout, JSON.stringify({ kind: 'camera', ...c }));
    for (const s of devices.scanners) writeLine(io.stdout, JSON.stringify({ kind: 'scanner', ...s }));
    for (const p of devices.problems) writeLine(io.stdout, JSON.stringify({ kind: 'problem', ...p }));
    return;
  }
  const state = (s: string, reasons: readonly string[]) =>
    reasons.length > 0 ? `${s} (${reasons.join(', ')})` : s;
  if (devices.cameras.length === 0) writeLine(io.stdout, 'no cameras found');
  for (const c of devices.cameras)
    writeLine(
      io.stdout,
      `camera   ${c.id.padEnd(30)}  ${c.name.slice(0, 36).padEnd(36)}  ${state(c.state, c.reasons)}`,
    );
  if (devices.scanners.length === 0) writeLine(io.stdout, 'no scanners found');
  for (const s of devices.scanners) {
    const name = `${s.vendor} ${s.model}`.trim();
    writeLine(
      io.stdout,
      `scanner  ${s.id.padEnd(30)}  ${name.slice(0, 36).padEnd(36)}  ${state(s.state, s.reasons)}`,
    );
  }
  for (const p of devices.problems)
    writeLine(io.stdout, `${p.source} could not be asked: ${p.code} (${p.message})`);
}

export function createDevicesCommand(deps: DevicesDeps = {}): CliCommand {
  return {
    name: 'devices',
    summary:
      'List attached HID devices and the reader profile each matches (--capture: cameras and scanners); --watch prints reads live',
    usage: USAGE,
    async run(args: readonly string[], io: CliIo): Promise<number> {
      let watch = false;
      let json = false;
      let capture = false;
      let profilesFile: string | undefined;
      for (let i = 0; i < args.length; i++) {
        const arg = args[i];
        if (arg === '--watch') watch = true;
        else if (arg === '--json') json = true;
        else if (arg === '--capture') capture = true;
        else if (arg === '--profiles' && args[i + 1] !== undefined) profilesFile = args[++i];
        else if (arg?.startsWith('--profiles=')) profilesFile = arg.slice('--profiles='.length);
        else {
          writeLine(
            io.stderr,
            `kiosk devices: unknown option "${arg}". Run \`kiosk devices --help\` for the usage.`,
          );
          return 2;
        }
      }
      if (capture) {
        if (watch || profilesFile !== undefined) {
          writeLine(io.stderr, 'kiosk devices: --capture takes only --json.');
          return 2;
        }
        const list = deps.listCapture ?? listCaptureDevicesIn;
        printCapture(await list(io.env), json, io);
        return 0;
      }
      const admin = await loadProfiles(profilesFile);
      if (!admin.ok) {
        writeLine(io.stderr, `kiosk devices: ${admin.error.message}`);
        return 2;
      }
      const profiles = [...admin.value, ...builtinProfiles];
      const hid = await (deps.loadHid ?? loadNodeHid)();
      if (!hid.ok) {
        writeLine(io.stderr, `kiosk devices: ${hid.error.message}`);
        return 1;
      }
      const clock = deps.clock ?? systemClock;
      const transport = new NodeHidTransport({ hid: hid.value, clock });
      const listed = await transport.list();
      if (!listed.ok) {
        writeLine(io.stderr, `kiosk devices: ${listed.error.message}`);
        await transport.close();
        return 1;
      }
      if (json) {
        for (const d of listed.value) {
          writeLine(io.stdout, JSON.stringify({ ...d, profile: matchProfile(d, profiles)?.id ?? null }));
        }
      } else if (listed.value.length === 0) {
        writeLine(io.stdout, 'no HID devices found');
      } else {
        writeLine(io.stdout, `${'vid:pid'.padEnd(9)}  page/usage ${'device'.padEnd(36)}  profile`);
        for (const d of listed.value) writeLine(io.stdout, row(d, matchProfile(d, profiles)));
      }
      if (!watch) {
        await transport.close();
        return 0;
      }
      const now = deps.now ?? (() => new Date());
      const manager = new ReaderManager({ transport, profiles, clock, layouts: layoutCodec });
      manager.on('connected', (r) =>
        writeLine(
          io.stdout,
          JSON.stringify({ kind: 'connected', deviceId: r.deviceId, profile: r.profile.id }),
        ),
      );
      manager.on('disconnected', (r) =>
        writeLine(
          io.stdout,
          JSON.stringify({ kind: 'disconnected', deviceId: r.deviceId, reason: r.reason }),
        ),
      );
      manager.on('read', (r) => writeLine(io.stdout, formatRead(r, now())));
      manager.on('error', (e) => writeLine(io.stdout, formatRead(e, now())));
      await manager.start();
      writeLine(io.stderr, 'kiosk devices: watching for readers; stop with Ctrl+C');
      await io.stopped;
      await manager.close();
      return 0;
    },
  };
}

export const command: CliCommand = createDevicesCommand();
