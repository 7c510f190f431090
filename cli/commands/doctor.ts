import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, type KioskConfig, loadConfig } from '../../core/config.ts';
import { findChromium, findElectron } from '../../core/platform.ts';
import { probePortal } from '../../core/portal-reachability.ts';
import { BADGE_SECRET_FILE, isPlainBadgeSecret } from '../../core/staff/badge-secret.ts';
import type { CaptureDevices } from '../../device/capture/devices.ts';
import { builtinProfiles, matchProfile } from '../../device/profiles.ts';
import { loadNodeHid, toDeviceInfo } from '../../device/transports/node-hid.ts';
import { checkEnrolmentPin, ENROLMENT_FILE, readEnrolment } from '../../sync/enrolment.ts';
import { openStore } from '../../sync/store.ts';
import { QUEUE_DB_FILE } from '../../sync/terminal.ts';
import { type CliCommand, writeLine } from '../command.ts';

export interface CheckResult {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
  /** Works, but something should be changed: shown as WARN, does not fail the doctor. */
  readonly warning?: boolean;
}

type Check = (config: KioskConfig, env: NodeJS.ProcessEnv) => Promise<CheckResult> | CheckResult;

/** Where the CUPS scheduler's configuration is read from (KIOSK_CUPSD_CONF overrides it). */
export const CUPSD_CONF = '/etc/cups/cupsd.conf';

/**
 * Whether CUPS keeps the files of printed jobs, from the text of cupsd.conf. They are the printed
 * papers themselves (receipts with names, activation confirmations) lying in the spool folder:
 * `PreserveJobFiles No` must be set. CUPS's default when the directive is absent is 86400 (a day).
 */
export function cupsJobFilesResult(text: string): CheckResult {
  let value: string | null = null;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*$/, '').trim();
    const match = /^PreserveJobFiles\s+(\S+)/i.exec(line);
    // the scheduler takes the last one it reads
    if (match) value = match[1] as string;
  }
  const off = value !== null && /^(no|off|false|0)$/i.test(value);
  if (off)
    return { name: 'CUPS job files', ok: true, detail: 'PreserveJobFiles No: printed papers are not kept' };
  return {
    name: 'CUPS job files',
    ok: true,
    warning: true,
    detail: `PreserveJobFiles ${value ?? 'not set (CUPS keeps them 86400 s)'}: the spool keeps the printed papers; set "PreserveJobFiles No" in cupsd.conf`,
  };
}

const checkCupsJobFiles: Check = (config, env) => {
  const path = env.KIOSK_CUPSD_CONF ?? CUPSD_CONF;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    if (code === 'ENOENT' && config.printer.kind !== 'cups')
      return { name: 'CUPS job files', ok: true, detail: 'CUPS is not installed here' };
    return {
      name: 'CUPS job files',
      ok: true,
      warning: true,
      detail: `${path} cannot be read (${code}): whether CUPS keeps the printed papers is unknown`,
    };
  }
  return cupsJobFilesResult(text);
};

/**
 * Where the local configuration's badge secret is: in plain form beside the badge hashes (the
 * kiosk seals it at its next start, if it may write the file), sealed in the data folder, or
 * sealed but gone (nobody signs in by badge until the installer gives it again).
 */
export function badgeSecretResult(secret: string | null, sealedCopyExists: boolean): CheckResult {
  const name = 'badge secret';
  if (secret === null) return { name, ok: true, detail: 'none in the local configuration' };
  if (isPlainBadgeSecret(secret))
    return {
      name,
      ok: true,
      warning: true,
      detail:
        'the configuration file holds it in plain form beside the badge hashes; the kiosk seals it at its next start if it may write that file',
    };
  return sealedCopyExists
    ? { name, ok: true, detail: `sealed under the device key (${BADGE_SECRET_FILE})` }
    : {
        name,
        ok: false,
        detail: `the configuration says "sealed" but ${BADGE_SECRET_FILE} is missing: write the secret into the configuration again`,
      };
}

const checkBadgeSecret: Check = (config) =>
  badgeSecretResult(config.staff.badgeSecret, existsSync(join(config.dataDir, BADGE_SECRET_FILE)));

const checkDataDir: Check = (config) => {
  const probe = join(config.dataDir, `.doctor-${randomBytes(6).toString('hex')}`);
  try {
    mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
    writeFileSync(probe, 'ok', { mode: 0o600 });
    rmSync(probe);
    return { name: 'data folder', ok: true, detail: `${config.dataDir} is writable` };
  } catch (error) {
    return {
      name: 'data folder',
      ok: false,
      detail: `${config.dataDir}: ${(error as NodeJS.ErrnoException).code}`,
    };
  }
};

const checkSqlite: Check = (config) => {
  const opened = openStore({ path: join(config.dataDir, QUEUE_DB_FILE) });
  if (!opened.ok) return { name: 'SQLite store', ok: false, detail: opened.error.message };
  try {
    const mode = String(opened.value.db.pragma('journal_mode', { simple: true }));
    const synchronous = Number(opened.value.db.pragma('synchronous', { simple: true }));
    const ok = mode === 'wal' && synchronous === 2;
    const alarms = opened.value.startupAlarms.length;
    return {
      name: 'SQLite store',
      ok,
      detail: `journal_mode=${mode}, synchronous=${synchronous === 2 ? 'FULL' : synchronous}${alarms ? `, ${alarms} alarm(s) at open` : ''}`,
    };
  } finally {
    opened.value.close();
  }
};

/**
 * The reader row: node-hid loaded and the devices it sees. A terminal with no device matching a
 * reader profile cannot read a visitor's document: a warning, unless the readers are simulated.
 */
export function readersResult(devices: number, readers: number, simulated: boolean): CheckResult {
  const name = 'HID readers';
  const seen = `node-hid loaded; ${devices} HID device(s), ${readers} matching a reader profile`;
  if (readers > 0) return { name, ok: true, detail: seen };
  if (simulated) return { name, ok: true, detail: `${seen}; the readers are simulated (readers.simulate)` };
  return {
    name,
    ok: true,
    warning: true,
    detail: `${seen}: no document or barcode reader is connected, visitors cannot have documents read`,
  };
}

const checkHid: Check = async (config) => {
  const loaded = await loadNodeHid();
  if (!loaded.ok) return { name: 'HID readers', ok: false, detail: loaded.error.message };
  try {
    const devices = (await loaded.value.devicesAsync()).flatMap((d) => toDeviceInfo(d) ?? []);
    const readers = devices.filter((d) => matchProfile(d, builtinProfiles) !== undefined);
    return readersResult(devices.length, readers.length, config.readers.simulate);
  } catch (error) {
    return {
      name: 'HID readers',
      ok: false,
      detail: `node-hid cannot list devices: ${(error as Error).message}`,
    };
  }
};

/**
 * The document camera and the scanner the configuration names (capture.camera, capture.scanner),
 * from the devices attached: a configured device that is not there and ready fails.
 */
export function captureResult(capture: KioskConfig['capture'], devices: CaptureDevices | null): CheckResult {
  const name = 'camera, scanner';
  if ((!capture.camera && capture.scanner === null) || devices === null)
    return {
      name,
      ok: true,
      detail: 'no document camera or scanner configured (capture.camera, capture.scanner)',
    };
  const said: string[] = [];
  let ok = true;
  if (capture.camera) {
    const ready = devices.cameras.filter((c) => c.state === 'ready');
    const problem = devices.problems.find((p) => p.source === 'cameras');
    if (ready.length > 0) said.push(`camera ready: ${ready.map((c) => c.name).join(', ')}`);
    else {
      ok = false;
      said.push(problem ? `cameras could not be listed: ${problem.code}` : 'no camera is ready');
    }
  }
  if (capture.scanner !== null) {
    const scanner = devices.scanners.find((s) => s.id === capture.scanner);
    const problem = devices.problems.find((p) => p.source === 'scanners');
    if (scanner?.state === 'ready') said.push(`scanner ${capture.scanner} ready`);
    else {
      ok = false;
      said.push(
        scanner
          ? `scanner ${capture.scanner} is ${scanner.state}`
          : problem
            ? `scanners could not be listed: ${problem.code}`
            : `scanner ${capture.scanner} is not attached`,
      );
    }
  }
  return { name, ok, detail: said.join('; ') };
}

const checkCapture: Check = async (config, env) => {
  const { camera, scanner } = config.capture;
  if (!camera && scanner === null) return captureResult(config.capture, null);
  const { listCaptureDevices } = await import('../../device/capture/devices.ts');
  return captureResult(config.capture, await listCaptureDevices({ sane: { env } }));
};

const checkBrowser: Check = () => {
  const electron = findElectron();
  if (electron) return { name: 'UI runtime', ok: true, detail: `Electron at ${electron}` };
  const chromium = findChromium();
  if (chromium)
    return { name: 'UI runtime', ok: true, detail: `no Electron binary; Chromium at ${chromium}` };
  return {
    name: 'UI runtime',
    ok: false,
    detail: 'neither the Electron binary nor a Chromium was found (CHROMIUM_PATH)',
  };
};

/**
 * The portal row: the portal this terminal is enrolled with (enrolment.json), else the configured
 * one. An enrolment that names another portal than the installation's is a failure: the kiosk
 * would refuse it at start and stay out of service.
 */
const checkPortal: Check = async (config) => {
  const enrolment = readEnrolment(config.dataDir);
  const pin =
    config.portal.url !== null && config.portal.signingKeyThumbprint !== null
      ? { url: config.portal.url, signingKeyThumbprint: config.portal.signingKeyThumbprint }
      : null;
  if (enrolment.ok && pin !== null) {
    const pinned = checkEnrolmentPin(enrolment.value, pin);
    if (!pinned.ok)
      return {
        name: 'portal',
        ok: false,
        detail: `${ENROLMENT_FILE} names another portal or key than this installation (${pinned.error.code}): the kiosk stays out of service until an administrator enrols it again`,
      };
  }
  const url = enrolment.ok ? enrolment.value.portalUrl : config.portal.url;
  if (url === null) {
    return {
      name: 'portal',
      ok: true,
      detail: 'not configured and not enrolled: npm start runs the built-in reference portal',
    };
  }
  const reachable = await probePortal(url, config.portal.timeoutMs);
  const which = enrolment.ok ? `enrolled with ${url} (terminal ${enrolment.value.terminalId})` : url;
  return {
    name: 'portal',
    ok: reachable,
    detail: `${which} ${reachable ? 'answers /v1/health' : 'is not reachable'}`,
  };
};

export const doctorChecks: readonly Check[] = [
  checkDataDir,
  checkSqlite,
  checkHid,
  checkCapture,
  checkBrowser,
  checkPortal,
  checkCupsJobFiles,
  checkBadgeSecret,
];

export function formatTable(results: readonly CheckResult[]): string {
  const width = Math.max(...results.map((r) => r.name.length));
  return results
    .map((r) => `${r.ok ? (r.warning ? 'WARN' : 'ok  ') : 'FAIL'}  ${r.name.padEnd(width)}  ${r.detail}`)
    .join('\n');
}

export const command: CliCommand = {
  name: 'doctor',
  summary: 'Check that this machine can run the kiosk (data folder, SQLite, readers, UI runtime, portal)',
  usage: [
    'Usage: kiosk doctor',
    '',
    'Checks the data folder, the SQLite store (WAL, synchronous=FULL), the HID library and devices,',
    'the document camera and scanner when configured (capture.camera, capture.scanner),',
    'the Electron binary or a Chromium, the portal, and whether CUPS keeps the files of printed jobs',
    '(WARN unless cupsd.conf says "PreserveJobFiles No"; KIOSK_CUPSD_CONF names another file).',
    'Prints a table; exits 1 if any check fails (a WARN does not).',
    'Configuration as for the kiosk: KIOSK_CONFIG, KIOSK_DATA_DIR, KIOSK_PORTAL_URL, ...',
  ].join('\n'),
  async run(_args, io) {
    let config: KioskConfig;
    try {
      config = loadConfig({ env: io.env });
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      writeLine(io.stderr, error.message);
      return 78;
    }
    const results: CheckResult[] = [];
    for (const check of doctorChecks) results.push(await check(config, io.env));
    writeLine(io.stdout, formatTable(results));
    return results.every((r) => r.ok) ? 0 : 1;
  },
};
