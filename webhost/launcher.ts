/**
 * `npm start`: runs the kiosk with simulated readers and, unless KIOSK_PORTAL_URL points
 * elsewhere, the built-in reference portal. Electron where its binary is present; otherwise the
 * web host plus the system Chromium in kiosk mode.
 *
 *   npm start                      Electron, or web host + Chromium
 *   npm start -- --web             web host + Chromium even where Electron is present
 *   npm start -- --web --no-open   web host only; prints `Kiosk ready: <url>` and serves until stopped
 *
 * Without a display (no DISPLAY or WAYLAND_DISPLAY on Linux) a window cannot open: it says so,
 * points to `--web --no-open` and exits with 69. SIGINT, SIGTERM and SIGHUP stop every process it
 * started (Electron or Chromium with its helpers, the reference portal) before it exits.
 *
 * stdout carries exactly one line, `Kiosk ready: <url>`; everything else goes to stderr. With
 * `--no-open` the URL carries the launch token (`#token=…`, for a browser opened by hand and for
 * tests); otherwise it is the bare origin, and the browser started here gets a one-time launch
 * code instead of the token (see `WebHost.launchUrl`), so the token is in no process listing.
 *
 * The simulated readers' HTTP routes (`/simulator/*`) are served in the demo (the built-in
 * reference portal) and where KIOSK_SIMULATOR_ROUTES=1 asks for them; never otherwise.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, configFileOf, type KioskConfig, loadConfig } from '../core/config.ts';
import { createLogger } from '../core/log.ts';
import { chromiumKioskArgs, findChromium, findElectron } from '../core/platform.ts';
import { startKiosk } from '../core/start.ts';
import type { CodeMessage } from '../portal/second-factor.ts';
import { signingKeyThumbprint } from '../sync/enrolment.ts';
import { ensureBuilt, projectRoot } from './build.ts';
import { startWebHost } from './server.ts';

type Cleanup = () => Promise<void> | void;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      web: { type: 'boolean', default: false },
      'no-open': { type: 'boolean', default: false },
      port: { type: 'string' },
    },
    strict: true,
  });
  const say = (line: string) => process.stderr.write(`${line}\n`);
  const noDisplay = values['no-open'] ? null : missingDisplay();
  if (noDisplay) {
    say(noDisplay);
    return 69;
  }
  const cleanups: Cleanup[] = [];
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup();
      } catch (error) {
        say(`shutdown: ${(error as Error).message}`);
      }
    }
    process.exit(code);
  };
  // Stopped from outside (Ctrl-C, SIGTERM from npm or a service manager, a closed terminal):
  // every process and server started here is stopped first.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, () => void stop(0));

  let config: KioskConfig;
  try {
    // `npm start` is development and the demo: a portal on this machine may speak http.
    config = loadConfig({ overrides: { readers: { simulate: true }, portal: { allowLoopbackHttp: true } } });
  } catch (error) {
    if (error instanceof ConfigError) {
      say(error.message);
      return 78;
    }
    throw error;
  }
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });

  const electron = values.web ? null : findElectron();
  await ensureBuilt({ electron: electron !== null, say });

  let enrolmentCode: string | undefined;
  if (!config.portal.url) {
    const { startPortal } = await import('../portal/server.ts');
    const { demoStaffSection } = await import('../portal/config.ts');
    const { LastMessageSender } = await import('../portal/second-factor.ts');
    // The demo's "SMS": a sign-in code for a demo account is said here, where the person trying
    // the kiosk reads it (the demo accounts are invented; a real portal has an SMS gateway).
    class DemoPhone extends LastMessageSender {
      override async send(message: CodeMessage): Promise<void> {
        await super.send(message);
        say(`Demo phone ${message.phone}: ${message.text}`);
      }
    }
    // The portal stands for the authority: its data live beside the terminal's, not in them.
    const portalDir = `${config.dataDir}-reference-portal`;
    // A fixed admin token only where one is given (tests read the demo's sign-in codes with it).
    const adminToken = process.env.KIOSK_REFERENCE_PORTAL_ADMIN_TOKEN;
    const portal = await startPortal({
      port: 0,
      dataDir: portalDir,
      demo: true,
      codeSender: new DemoPhone(),
      ...(adminToken ? { adminToken } : {}),
    });
    cleanups.push(() => portal.close());
    // The demo trusts the portal it started itself: its address and its signing key are pinned
    // here, as an installation pins the city's portal in its configuration.
    config = {
      ...config,
      portal: {
        ...config.portal,
        url: portal.url,
        signingKeyThumbprint: signingKeyThumbprint(portal.signingKey),
      },
    };
    // The demo administrator may enrol the terminal again from the screen after a wipe.
    if (config.staff.records.length === 0) config = { ...config, staff: await demoStaffSection() };
    enrolmentCode = portal.demoEnrolmentCode;
    say(`Reference portal (demo data): ${portal.url}`);
    for (const demo of portal.demoTracking) {
      say(`Demo application: ${demo.trackingNumber}, born ${demo.birthDate} (${demo.status})`);
    }
    for (const demo of portal.demoCases) {
      say(`Demo case: ${demo.caseReference}, born ${demo.birthDate} (${demo.status})`);
      if (demo.invitationQr) say(`Demo invitation QR: ${demo.invitationQr}`);
    }
  }
  if (config.printer.kind === 'none') {
    // The demo prints into a folder, so a receipt can be looked at without a printer.
    const dir = join(config.dataDir, 'printed');
    config = { ...config, printer: { ...config.printer, kind: 'file', dir } };
    say(`Receipts are written to ${dir}`);
  }

  if (electron) {
    say('Starting the kiosk in Electron.');
    const child = spawn(electron, [projectRoot], {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: {
        ...process.env,
        KIOSK_PORTAL_URL: config.portal.url ?? '',
        KIOSK_PORTAL_ALLOW_LOOPBACK_HTTP: '1',
        ...(config.portal.signingKeyThumbprint
          ? { KIOSK_PORTAL_KEY_THUMBPRINT: config.portal.signingKeyThumbprint }
          : {}),
        KIOSK_SIMULATE_READERS: '1',
        KIOSK_PRINTER_KIND: config.printer.kind,
        ...(config.printer.dir ? { KIOSK_PRINTER_DIR: config.printer.dir } : {}),
        ...(enrolmentCode ? { KIOSK_DEMO_ENROLMENT_CODE: enrolmentCode } : {}),
      },
    });
    cleanups.push(() => terminate(child));
    return new Promise((resolve) => child.once('exit', (code) => resolve(code ?? 0)));
  }

  const log = createLogger((line) => process.stderr.write(line));
  const portalUrl = config.portal.url ?? '';
  const kiosk = await startKiosk(
    { ...config, portal: { ...config.portal, url: portalUrl } },
    { log, configFile: configFileOf(), ...(enrolmentCode ? { enrolmentCode } : {}) },
  );
  if (!kiosk.terminal())
    say(
      `This terminal is out of service (${kiosk.outOfService()}): it is not enrolled with the portal this installation pins (see \`kiosk enroll\`).`,
    );
  cleanups.push(() => kiosk.close());
  const host = await startWebHost({
    kiosk,
    rendererDir: join(projectRoot, 'dist', 'renderer'),
    port: values.port ? Number(values.port) : 0,
    simulatorRoutes: enrolmentCode !== undefined || process.env.KIOSK_SIMULATOR_ROUTES === '1',
  });
  cleanups.push(() => host.close());

  if (values['no-open']) {
    say('Electron is not used (--web); the web host serves until stopped.');
    process.stdout.write(`Kiosk ready: ${host.url}\n`);
    return new Promise(() => undefined);
  }
  const chromium = findChromium();
  if (!chromium) {
    say('Neither Electron nor Chromium was found. Install Chromium or set CHROMIUM_PATH, or use --no-open.');
    await stop(1);
    return 1;
  }
  say(
    electron === null && !values.web
      ? `The Electron binary is not installed; running in ${chromium} in kiosk mode instead.`
      : `Running in ${chromium} in kiosk mode.`,
  );
  const profile = mkdtempSync(join(tmpdir(), 'kiosk-browser-'));
  cleanups.push(() => rmSync(profile, { recursive: true, force: true }));
  process.stdout.write(`Kiosk ready: ${host.origin}/\n`);
  const browser = spawn(chromium, chromiumKioskArgs(host.launchUrl(), profile), {
    stdio: 'ignore',
    detached: true,
  });
  cleanups.push(() => terminate(browser));
  browser.once('exit', (code, signal) => {
    if (stopping) return;
    if (code === 0) {
      say('The browser window was closed; stopping the kiosk.');
      void stop(0);
      return;
    }
    say(
      `Chromium ended (${signal ?? `exit code ${code}`}) without a kiosk window; stopping the kiosk. ` +
        'To serve the kiosk to a browser elsewhere: npm start -- --web --no-open',
    );
    void stop(1);
  });
  return new Promise(() => undefined);
}

/**
 * Why no window can open here, with what to do instead; null when a display is there. On Linux a
 * window needs an X11 or Wayland display (an ssh session or a service has none).
 */
function missingDisplay(env: NodeJS.ProcessEnv = process.env): string | null {
  if (process.platform !== 'linux' || env.DISPLAY || env.WAYLAND_DISPLAY) return null;
  return [
    'No display: neither DISPLAY nor WAYLAND_DISPLAY is set, so no kiosk window can open here.',
    'To serve the kiosk to a browser (this machine or another over an ssh tunnel), run:',
    '  npm start -- --web --no-open',
    'and open the printed URL; or start the kiosk from a desktop session.',
  ].join('\n');
}

/** Ends a child and, for a detached one, its whole process group (Chromium starts helpers). */
function terminate(child: ChildProcess): Promise<void> {
  const pid = child.pid;
  if (child.exitCode !== null || child.signalCode !== null || pid === undefined) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    try {
      process.kill(-pid, 'SIGTERM');
    } catch {
      child.kill('SIGTERM');
    }
  });
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `Kiosk failed to start: ${error instanceof Error ? (error.stack ?? error.message) : error}\n`,
    );
    process.exit(1);
  },
);
