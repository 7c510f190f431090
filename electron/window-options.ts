import type { BrowserWindowConstructorOptions } from 'electron';

/**
 * The kiosk window, built by one pure function so its hardening is tested: isolated, sandboxed
 * renderer without Node, web security on, no <webview>, devtools only when not packaged, and no
 * `auxclick` (a middle click must not reach the page as a click of its own: Blink's Auxclick
 * feature switched off).
 */
export function kioskWindowOptions(options: {
  packaged: boolean;
  preload: string;
}): BrowserWindowConstructorOptions {
  return {
    show: false,
    kiosk: options.packaged,
    fullscreen: true,
    frame: !options.packaged,
    autoHideMenuBar: true,
    backgroundColor: '#f6f7f9',
    title: 'Serviceterminal',
    webPreferences: {
      preload: options.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      devTools: !options.packaged,
      spellcheck: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      experimentalFeatures: false,
      backgroundThrottling: false,
      autoplayPolicy: 'no-user-gesture-required',
      disableBlinkFeatures: 'Auxclick',
    },
  };
}
