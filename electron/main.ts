/**
 * Electron main process: one hardened kiosk window, the UI served from a privileged app scheme,
 * and the core in a utilityProcess. Calls from the UI are routed only from the window's main
 * frame. This file is wiring; the behaviour lives in small modules with their own tests:
 * input-lockdown (shortcuts, context menu, zoom), watchdog (renderer crash, hang, failed load),
 * core-supervisor (core restarts), display (screen kept on), nightly-restart, keystore.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  powerSaveBlocker,
  protocol,
  safeStorage,
  session,
  utilityProcess,
} from 'electron';
import { systemClock } from '../core/clock.ts';
import { loadConfig } from '../core/config.ts';
import { createLogger } from '../core/log.ts';
import { serveAppFile } from './app-protocol.ts';
import { callChannel, eventChannel } from './bridge.ts';
import type { DeviceKeyMessage } from './core-messages.ts';
import { CoreSupervisor } from './core-supervisor.ts';
import { type DeviceKeyHandover, prepareDeviceKey } from './device-key-handover.ts';
import { keepDisplayOn } from './display.ts';
import { kioskCommandLineSwitches, lockDownContents } from './input-lockdown.ts';
import { deviceKeyStoreStatus } from './keystore.ts';
import { appHost, appOrigin, appScheme, isAllowedNavigation, isTrustedSender } from './navigation.ts';
import { scheduleNightlyRestart } from './nightly-restart.ts';
import { judgePermission } from './permissions.ts';
import { electronSettings } from './settings.ts';
import { type RendererWatchdog, watchRenderer } from './watchdog.ts';
import { kioskWindowOptions } from './window-options.ts';

const rendererDir = join(__dirname, '..', 'renderer');
const startUrl = `${appScheme}://${appHost}/index.html`;

const log = createLogger((line) => process.stderr.write(line));
const settings = electronSettings(process.env, app.isPackaged);
// A packaged kiosk talks to its portal over https only: the development flag for a loopback
// portal over http (set by `npm start`) never reaches its core process.
if (app.isPackaged) delete process.env.KIOSK_PORTAL_ALLOW_LOOPBACK_HTTP;
const blockShortcuts = settings.ok && settings.value.blockShortcuts;

protocol.registerSchemesAsPrivileged([
  { scheme: appScheme, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);
for (const [name, value] of kioskCommandLineSwitches()) app.commandLine.appendSwitch(name, value);
app.enableSandbox();
Menu.setApplicationMenu(null);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  void app.whenReady().then(start);
}

let window: BrowserWindow | null = null;
let watchdog: RendererWatchdog | null = null;
let quitting = false;
let deviceKey: DeviceKeyHandover | null = null;
let keyMessage: DeviceKeyMessage | null = null;
let coreClosed = false;

function fail(message: string): void {
  dialog.showErrorBox('Serviceterminal', message);
  quitting = true;
  app.exit(78);
}

/** The key for the core; without a readable configuration the core reports that itself. */
async function prepareKey(): Promise<DeviceKeyMessage> {
  let dataDir: string;
  try {
    dataDir = loadConfig().dataDir;
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  } catch {
    return {
      type: 'device-key',
      key: null,
      error: { code: 'keystore.read_failed', message: 'the configuration cannot be read' },
      status: deviceKeyStoreStatus(safeStorage, process.platform),
    };
  }
  deviceKey = await prepareDeviceKey({ dataDir, safeStorage, platform: process.platform, log });
  return deviceKey.message;
}

const core = new CoreSupervisor({
  fork: () =>
    utilityProcess.fork(join(__dirname, 'core-process.cjs'), [], {
      serviceName: 'Serviceterminal core',
      stdio: 'inherit',
    }),
  clock: systemClock,
  log,
  deviceKey: () =>
    keyMessage ?? {
      type: 'device-key',
      key: null,
      error: { code: 'keystore.read_failed', message: 'the device key is not ready' },
      status: deviceKeyStoreStatus(safeStorage, process.platform),
    },
  onEvent: (name, payload) => window?.webContents.send(eventChannel, name, payload),
  onRestarted: () => watchdog?.reloadToStart(),
  onFatal: fail,
  onDeviceKeyUsed: () => deviceKey?.completeMigration(),
});

async function restartTonight(): Promise<void> {
  quitting = true;
  await core.shutdown();
  app.relaunch();
  app.exit(0);
}

async function start(): Promise<void> {
  if (!settings.ok) return fail(settings.error.message);
  const packaged = app.isPackaged;
  const ses = session.defaultSession;

  protocol.handle(appScheme, (request) => serveAppFile(request.url, rendererDir));

  // Judged by the frame that asks (details.requestingUrl), never by the window's URL.
  ses.setPermissionRequestHandler((_webContents, permission, callback, details) =>
    callback(judgePermission(permission, details, appOrigin)),
  );
  ses.setPermissionCheckHandler((_webContents, permission, _requestingOrigin, details) =>
    judgePermission(permission, details, appOrigin),
  );
  ses.setDevicePermissionHandler(() => false);
  ses.on('will-download', (event) => event.preventDefault());

  app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-navigate', (event, url) => {
      if (!isAllowedNavigation(url)) event.preventDefault();
    });
    contents.on('will-frame-navigate', (event) => {
      if (!isAllowedNavigation(event.url)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!isAllowedNavigation(url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    lockDownContents(contents, { blockShortcuts });
  });

  ipcMain.handle(callChannel, (event, name: unknown, input: unknown) => {
    if (!window || event.sender !== window.webContents || !isTrustedSender(event.senderFrame)) {
      return { ok: false, error: { code: 'api.forbidden', message: 'call from an untrusted frame' } };
    }
    return core.call(name, input);
  });

  keyMessage = await prepareKey();
  core.start();
  keepDisplayOn(powerSaveBlocker, { clock: systemClock, log });
  const restartWindow = settings.value.nightlyRestart;
  if (restartWindow) {
    scheduleNightlyRestart({
      window: restartWindow,
      timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
      clock: systemClock,
      log,
      isIdle: () => core.isIdle(),
      restart: () => void restartTonight(),
    });
  }

  window = new BrowserWindow(kioskWindowOptions({ packaged, preload: join(__dirname, 'preload.cjs') }));
  window.once('ready-to-show', () => window?.show());
  // Closing the kiosk is the operating system's business (shutdown, service stop), not a visitor's.
  window.on('close', (event) => {
    if (blockShortcuts && !quitting) event.preventDefault();
  });
  window.on('session-end', () => {
    quitting = true;
  });
  window.on('closed', () => {
    watchdog?.dispose();
    watchdog = null;
    window = null;
  });
  watchdog = watchRenderer(window.webContents, { startUrl, clock: systemClock, log });
  await window.loadURL(startUrl).catch(() => undefined);
}

app.on('window-all-closed', () => app.quit());
app.on('before-quit', (event) => {
  quitting = true;
  if (coreClosed || !core.running) return;
  // Let the core close its kiosk and queue first, then quit for real.
  event.preventDefault();
  void core.shutdown().then(() => {
    coreClosed = true;
    app.quit();
  });
});
