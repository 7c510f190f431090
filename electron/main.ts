/**
 * Electron main process: one hardened kiosk window, the UI served from a privileged app scheme,
 * and the core in a utilityProcess. Calls from the UI are routed only from the window's main frame.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  protocol,
  session,
  type UtilityProcess,
  utilityProcess,
} from 'electron';
import { hostMessageSchema } from '../api/wire.ts';
import { contentSecurityPolicy } from '../core/csp.ts';
import { callChannel, eventChannel } from './bridge.ts';
import {
  appFilePath,
  appHost,
  appOrigin,
  appScheme,
  isAllowedNavigation,
  isTrustedSender,
} from './navigation.ts';
import { isPermissionAllowed } from './permissions.ts';
import { kioskWindowOptions } from './window-options.ts';

const rendererDir = join(__dirname, '..', 'renderer');
const mimeTypes: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
  json: 'application/json',
  woff2: 'font/woff2',
  ttf: 'font/ttf',
};

protocol.registerSchemesAsPrivileged([
  { scheme: appScheme, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);
app.enableSandbox();
Menu.setApplicationMenu(null);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  void app.whenReady().then(start);
}

let window: BrowserWindow | null = null;
let core: UtilityProcess | null = null;
let quitting = false;
let nextId = 1;
const pending = new Map<number, (envelope: unknown) => void>();

function startCore(): void {
  core = utilityProcess.fork(join(__dirname, 'core-process.cjs'), [], {
    serviceName: 'Serviceterminal core',
    stdio: 'inherit',
  });
  core.on('message', (message: unknown) => {
    if (typeof message === 'object' && message !== null && (message as { type?: unknown }).type === 'fatal') {
      dialog.showErrorBox('Serviceterminal', String((message as { message?: unknown }).message));
      quitting = true;
      app.exit(78);
      return;
    }
    const parsed = hostMessageSchema.safeParse(message);
    if (!parsed.success) return;
    if (parsed.data.type === 'result') {
      pending.get(parsed.data.id)?.(parsed.data.envelope);
      pending.delete(parsed.data.id);
    } else {
      window?.webContents.send(eventChannel, parsed.data.name, parsed.data.payload);
    }
  });
  core.once('exit', () => {
    for (const resolve of pending.values()) {
      resolve({ ok: false, error: { code: 'api.transport', message: 'core process restarted' } });
    }
    pending.clear();
    core = null;
    // The queue is on disk; a crashed core comes back with it, and the UI returns to the start.
    if (!quitting) {
      startCore();
      window?.webContents.reload();
    }
  });
}

async function start(): Promise<void> {
  const packaged = app.isPackaged;
  const ses = session.defaultSession;

  protocol.handle(appScheme, async (request) => {
    const path = appFilePath(request.url);
    if (!path) return new Response('not found', { status: 404 });
    try {
      const body = await readFile(join(rendererDir, path));
      const type = mimeTypes[path.split('.').pop() ?? ''] ?? 'application/octet-stream';
      return new Response(body, {
        headers: {
          'Content-Type': type,
          'Content-Security-Policy': contentSecurityPolicy(),
          'X-Content-Type-Options': 'nosniff',
        },
      });
    } catch {
      return new Response('not found', { status: 404 });
    }
  });

  ses.setPermissionRequestHandler((webContents, permission, callback) =>
    callback(isPermissionAllowed(permission, webContents.getURL(), appOrigin)),
  );
  ses.setPermissionCheckHandler((_webContents, permission, requestingOrigin) =>
    isPermissionAllowed(permission, requestingOrigin, appOrigin),
  );
  ses.setDevicePermissionHandler(() => false);
  ses.on('will-download', (event) => event.preventDefault());

  app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-navigate', (event, url) => {
      if (!isAllowedNavigation(url)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!isAllowedNavigation(url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.on('context-menu', (event) => event.preventDefault());
  });

  ipcMain.handle(callChannel, (event, name: unknown, input: unknown) => {
    if (!window || event.sender !== window.webContents || !isTrustedSender(event.senderFrame)) {
      return { ok: false, error: { code: 'api.forbidden', message: 'call from an untrusted frame' } };
    }
    if (!core) return { ok: false, error: { code: 'api.transport', message: 'core process not running' } };
    const id = nextId++;
    return new Promise((resolve) => {
      pending.set(id, resolve);
      core?.postMessage({ type: 'call', id, name, input });
    });
  });

  startCore();
  window = new BrowserWindow(kioskWindowOptions({ packaged, preload: join(__dirname, 'preload.cjs') }));
  window.once('ready-to-show', () => window?.show());
  window.webContents.on('render-process-gone', () => window?.webContents.reload());
  window.on('closed', () => {
    window = null;
  });
  await window.loadURL(`${appScheme}://${appHost}/index.html`);
}

app.on('window-all-closed', () => app.quit());
app.on('before-quit', () => {
  quitting = true;
  core?.postMessage('shutdown');
});
