import { describe, expect, it } from 'vitest';
import { callNameList } from '../../../api/names.ts';
import { contentSecurityPolicy } from '../../../core/csp.ts';
import { callChannel, createBridge, eventChannel } from '../../../electron/bridge.ts';
import {
  appFilePath,
  appOrigin,
  isAllowedNavigation,
  isTrustedSender,
} from '../../../electron/navigation.ts';
import { isPermissionAllowed, permissionTable } from '../../../electron/permissions.ts';
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
