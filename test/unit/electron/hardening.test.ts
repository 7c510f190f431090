import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { callNameList } from '../../../api/names.ts';
import { contentSecurityPolicy } from '../../../core/csp.ts';
import { serveAppFile } from '../../../electron/app-protocol.ts';
import { callChannel, createBridge, eventChannel } from '../../../electron/bridge.ts';
import {
  appFilePath,
  appOrigin,
  isAllowedNavigation,
  isTrustedSender,
} from '../../../electron/navigation.ts';
import { isPermissionAllowed, judgePermission, permissionTable } from '../../../electron/permissions.ts';
import { kioskWindowOptions } from '../../../electron/window-options.ts';

describe('kiosk window options', () => {
  for (const packaged of [true, false]) {
    it(`isolate and sandbox the renderer (packaged=${packaged})`, () => {
      const options = kioskWindowOptions({ packaged, preload: '/app/preload.cjs' });
      expect(options.webPreferences).toMatchObject({
        preload: '/app/preload.cjs',
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        nodeIntegrationInSubFrames: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        webviewTag: false,
        devTools: !packaged,
      });
      expect(options.fullscreen).toBe(true);
      expect(options.kiosk).toBe(packaged);
    });
  }
});

describe('content security policy', () => {
  const csp = contentSecurityPolicy({ connectSrc: ['ws://127.0.0.1:4000'] });
  const directives = new Map(csp.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));

  it('denies by default and allows scripts only from the app, without eval or inline code', () => {
    expect(directives.get('default-src')).toEqual(["'none'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(csp).not.toMatch(/unsafe-(inline|eval)/);
  });

  it('forbids plugins, framing, base and form targets', () => {
    for (const d of ['object-src', 'frame-ancestors', 'base-uri', 'form-action', 'frame-src']) {
      expect(directives.get(d)).toEqual(["'none'"]);
    }
  });

  it('connects only to the app and the given host socket', () => {
    expect(directives.get('connect-src')).toEqual(["'self'", 'ws://127.0.0.1:4000']);
  });
});

describe('navigation guard', () => {
  it('allows only the app origin', () => {
    expect(isAllowedNavigation(`${appOrigin}/index.html`)).toBe(true);
    for (const url of [
      'https://example.org/',
      'file:///etc/passwd',
      'app://other/index.html',
      'javascript:alert(1)',
      'not a url',
      'http://kiosk/',
    ]) {
      expect(isAllowedNavigation(url), url).toBe(false);
    }
  });

  it('trusts only the main frame of the app', () => {
    expect(isTrustedSender({ url: `${appOrigin}/index.html`, parent: null })).toBe(true);
    expect(isTrustedSender({ url: `${appOrigin}/index.html`, parent: {} })).toBe(false);
    expect(isTrustedSender({ url: 'https://evil.example/', parent: null })).toBe(false);
    expect(isTrustedSender(null)).toBe(false);
  });

  it('maps app URLs to files below the renderer folder and refuses traversal', () => {
    expect(appFilePath(`${appOrigin}/`)).toBe('index.html');
    expect(appFilePath(`${appOrigin}/assets/index.js`)).toBe('assets/index.js');
    // The URL parser resolves (encoded) dot segments at the root: the path stays inside the folder.
    expect(appFilePath(`${appOrigin}/%2e%2e/%2e%2e/etc/passwd`)).toBe('etc/passwd');
    expect(appFilePath(`${appOrigin}/assets/..%2f..%2fmain.cjs`)).toBeNull();
    expect(appFilePath(`${appOrigin}/a\\b`)).toBeNull();
    expect(appFilePath('https://example.org/index.html')).toBeNull();
  });
});

describe('permission table', () => {
  it('denies by default', () => {
    for (const permission of [
      'media',
      'geolocation',
      'notifications',
      'hid',
      'usb',
      'serial',
      'clipboard-read',
      'made-up',
    ]) {
      expect(isPermissionAllowed(permission, `${appOrigin}/index.html`, appOrigin), permission).toBe(false);
    }
  });

  it('allows what the table allows, only to the app', () => {
    const allowed = Object.entries(permissionTable)
      .filter(([, v]) => v)
      .map(([k]) => k);
    expect(allowed).toEqual(['fullscreen']);
    expect(isPermissionAllowed('fullscreen', `${appOrigin}/index.html`, appOrigin)).toBe(true);
    expect(isPermissionAllowed('fullscreen', 'https://example.org/', appOrigin)).toBe(false);
  });
});

describe('preload bridge', () => {
  it('exposes exactly the contract calls and onEvent, frozen', async () => {
    const invoked: unknown[][] = [];
    const bridge = createBridge(
      async (...args) => {
        invoked.push(args);
        return 'answer';
      },
      () => () => undefined,
    ) as Record<string, (...args: unknown[]) => unknown>;
    expect(Object.keys(bridge).sort()).toEqual([...callNameList, 'onEvent'].sort());
    expect(Object.isFrozen(bridge)).toBe(true);
    expect(await bridge['session.start']?.({ language: 'en' })).toBe('answer');
    expect(invoked).toEqual([[callChannel, 'session.start', { language: 'en' }]]);
  });

  it('relays events through its own listener and refuses non-functions', () => {
    let relay: ((name: string, payload: unknown) => void) | undefined;
    const bridge = createBridge(
      async () => null,
      (channel, listener) => {
        expect(channel).toBe(eventChannel);
        relay = listener;
        return () => undefined;
      },
    ) as unknown as { onEvent: (l: unknown) => () => void };
    const seen: unknown[] = [];
    bridge.onEvent((name: string, payload: unknown) => seen.push([name, payload]));
    relay?.('session.ended', { sessionId: 'a', reason: 'timeout' });
    expect(seen).toEqual([['session.ended', { sessionId: 'a', reason: 'timeout' }]]);
    expect(() => bridge.onEvent('not a function')).toThrow(TypeError);
  });
});

describe('app:// requests with malformed escapes', () => {
  const malformed = ['%', '%zz', '%E0%A4%A', 'assets/%C3', 'index.html%', '%00index.html', 'a%2F..%2F%ZZ'];

  it('map to no file', () => {
    for (const tail of malformed) expect(appFilePath(`${appOrigin}/${tail}`), tail).toBeNull();
    expect(appFilePath(`${appOrigin}/assets/caf%C3%A9.js`)).toBe('assets/café.js');
  });

  it('are answered 404 by the protocol handler, not with an exception; real files are served', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiosk-app-protocol-'));
    try {
      writeFileSync(join(dir, 'index.html'), '<!doctype html><title>kiosk</title>');
      mkdirSync(join(dir, 'assets'));
      writeFileSync(join(dir, 'assets', 'café.js'), 'export {};');
      for (const tail of malformed) {
        const response = await serveAppFile(`${appOrigin}/${tail}`, dir);
        expect([tail, response.status]).toEqual([tail, 404]);
      }
      const index = await serveAppFile(`${appOrigin}/`, dir);
      expect(index.status).toBe(200);
      expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(index.headers.get('content-security-policy')).toContain("default-src 'none'");
      expect(await index.text()).toContain('<title>kiosk</title>');
      expect((await serveAppFile(`${appOrigin}/assets/caf%C3%A9.js`, dir)).status).toBe(200);
      expect((await serveAppFile(`${appOrigin}/missing.js`, dir)).status).toBe(404);
      expect((await serveAppFile('https://example.org/index.html', dir)).status).toBe(404);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('permissions judged by the requesting frame', () => {
  it("follow the frame's own URL, not the window's: a foreign frame in the app's page gets nothing", () => {
    // the window shows the app; a subframe of another origin asks
    expect(
      judgePermission(
        'fullscreen',
        { requestingUrl: 'https://evil.example/x', isMainFrame: false },
        appOrigin,
      ),
    ).toBe(false);
    expect(
      judgePermission(
        'fullscreen',
        { requestingUrl: `${appOrigin}/index.html`, isMainFrame: true },
        appOrigin,
      ),
    ).toBe(true);
    expect(
      judgePermission('media', { requestingUrl: `${appOrigin}/index.html`, isMainFrame: true }, appOrigin),
    ).toBe(false);
  });

  it('grant the camera to the app alone, video only: no microphone, no unknown device, no other origin', () => {
    const app = { requestingUrl: `${appOrigin}/index.html`, isMainFrame: true };
    // the request handler names the devices asked for; the check handler names one
    expect(judgePermission('media', { ...app, mediaTypes: ['video'] }, appOrigin)).toBe(true);
    expect(judgePermission('media', { ...app, mediaType: 'video' }, appOrigin)).toBe(true);
    expect(judgePermission('media', { ...app, mediaTypes: ['video', 'audio'] }, appOrigin)).toBe(false);
    expect(judgePermission('media', { ...app, mediaTypes: ['audio'] }, appOrigin)).toBe(false);
    expect(judgePermission('media', { ...app, mediaTypes: [] }, appOrigin)).toBe(false);
    expect(judgePermission('media', { ...app, mediaType: 'audio' }, appOrigin)).toBe(false);
    expect(judgePermission('media', { ...app, mediaType: 'unknown' }, appOrigin)).toBe(false);
    expect(judgePermission('media', app, appOrigin)).toBe(false);
    for (const requestingUrl of ['https://evil.example/x', 'http://127.0.0.1:8080/', 'not a url']) {
      expect(
        judgePermission('media', { requestingUrl, isMainFrame: false, mediaTypes: ['video'] }, appOrigin),
      ).toBe(false);
    }
    expect(judgePermission('media', { mediaTypes: ['video'] }, appOrigin)).toBe(false);
  });

  it('deny when Electron names no requesting frame', () => {
    expect(judgePermission('fullscreen', undefined, appOrigin)).toBe(false);
    expect(judgePermission('fullscreen', {}, appOrigin)).toBe(false);
    expect(judgePermission('fullscreen', { requestingUrl: '' }, appOrigin)).toBe(false);
    expect(judgePermission('fullscreen', { requestingUrl: 'not a url' }, appOrigin)).toBe(false);
  });
});

describe('auxclick', () => {
  for (const packaged of [true, false]) {
    it(`is switched off in Blink (packaged=${packaged})`, () => {
      const options = kioskWindowOptions({ packaged, preload: '/app/preload.cjs' });
      expect(options.webPreferences?.disableBlinkFeatures?.split(',')).toContain('Auxclick');
    });
  }
});
