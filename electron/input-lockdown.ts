/**
 * Input lockdown of the kiosk page: no way out of the app by keyboard shortcuts, context menus,
 * zoom gestures or dropped files. Keys are judged by one pure function so the table is tested.
 *
 * What Electron never sees cannot be blocked here: shortcuts the operating system or window
 * manager takes first (Ctrl+Alt+Del, Alt+Tab, the Windows key alone, Ctrl+Alt+F1 on Linux) are
 * switched off in the kiosk's OS session (Windows Assigned Access / Shell Launcher, a Linux
 * session without a window manager's shortcuts and with `DontVTSwitch`). `globalShortcut` is not
 * used: it would grab keys from the whole desktop, which is not the app's to take.
 */

/** The fields of Electron's `Input` (before-input-event) the decision needs. */
export interface KeyInput {
  readonly type: string;
  readonly key: string;
  readonly code: string;
  readonly control: boolean;
  readonly alt: boolean;
  readonly meta: boolean;
  readonly shift: boolean;
}

/**
 * Ctrl combinations a visitor may use while typing in a field (select all, undo, redo, jump and
 * delete by word). Everything else with Ctrl is refused, including copy and paste: the clipboard
 * would carry one visitor's data to the next.
 */
const allowedWithControl = new Set([
  'a',
  'z',
  'y',
  'Backspace',
  'Delete',
  'ArrowLeft',
  'ArrowRight',
  'ArrowUp',
  'ArrowDown',
  'Home',
  'End',
]);

/** Keys that act on the browser rather than the page, with or without modifiers. */
const browserKeys = new Set([
  'BrowserBack',
  'BrowserForward',
  'BrowserRefresh',
  'BrowserStop',
  'BrowserSearch',
  'BrowserFavorites',
  'BrowserHome',
  'ContextMenu',
  'Props',
  'Help',
  'Print',
  'Find',
  'Open',
  'Save',
  'New',
  'Close',
  'ZoomIn',
  'ZoomOut',
  'ZoomToggle',
  'LaunchApplication1',
  'LaunchApplication2',
  'LaunchMail',
  'LaunchWebBrowser',
  'Meta',
  'OS',
  'Super',
  'Hyper',
]);

/** Modifiers pressed alone do nothing; refusing them could disturb the key they modify. */
const modifierKeys = new Set(['Control', 'Shift', 'Alt', 'AltGraph', 'CapsLock']);

const functionKey = /^F\d{1,2}$/;
/** A single ASCII letter or digit: the shortcut keys; anything else one character long is typed. */
const letterOrDigit = /^[A-Za-z0-9]$/;

/**
 * Whether a key event must not reach the page (nor Chromium's own shortcuts).
 *
 * Ctrl+Alt with a symbol is let through: on Windows AltGr arrives as Ctrl+Alt, and German
 * keyboards and keyboard-mode readers type @ € { [ ] } \ ~ | with it (the page's reader-wedge
 * treats it the same way). Ctrl+Alt with a letter, digit or named key is a shortcut and refused.
 */
export function isBlockedInput(input: KeyInput): boolean {
  const { key, code, control, alt, meta, shift } = input;
  if (functionKey.test(key) || functionKey.test(code)) return true;
  if (browserKeys.has(key)) return true;
  if (modifierKeys.has(key)) return false;
  // Cmd on macOS, the Windows/Super key elsewhere: every combination Electron gets to see.
  if (meta) return true;
  if (control && alt) return key.length !== 1 || letterOrDigit.test(key);
  if (alt) return true;
  if (control) {
    if (shift && key.toLowerCase() === 'z') return false; // redo
    if (shift && key.startsWith('Arrow')) return false; // select by word
    if (shift && (key === 'Home' || key === 'End')) return false;
    if (shift) return true;
    return !allowedWithControl.has(key.length === 1 ? key.toLowerCase() : key);
  }
  // Shift+Insert pastes and Ctrl+Insert copies on Linux and Windows.
  if (key === 'Insert') return true;
  return false;
}

/** The part of Electron's WebContents the lockdown uses. */
export interface LockableContents {
  on(
    event: 'before-input-event',
    listener: (event: { preventDefault(): void }, input: KeyInput) => void,
  ): unknown;
  on(event: 'context-menu', listener: (event: { preventDefault(): void }) => void): unknown;
  on(event: 'zoom-changed', listener: (event: { preventDefault(): void }) => void): unknown;
  on(event: 'did-finish-load', listener: () => void): unknown;
  removeListener<A extends unknown[]>(event: string, listener: (...args: A) => void): unknown;
  setVisualZoomLevelLimits(minimumLevel: number, maximumLevel: number): Promise<void>;
  setZoomFactor(factor: number): void;
  readonly navigationHistory: { clear(): void };
  isDestroyed(): boolean;
}

export interface LockdownOptions {
  /** Refuse shortcut keys (off in development, where Alt+F4 and the devtools keys are wanted). */
  readonly blockShortcuts: boolean;
  /** Told about each refused key, without the key itself (a typed letter is personal data). */
  readonly onBlocked?: () => void;
}

/** Applies the lockdown to the kiosk page; returns a function that removes it. */
export function lockDownContents(contents: LockableContents, options: LockdownOptions): () => void {
  const onInput = (event: { preventDefault(): void }, input: KeyInput) => {
    if (!options.blockShortcuts || !isBlockedInput(input)) return;
    event.preventDefault();
    options.onBlocked?.();
  };
  const onContextMenu = (event: { preventDefault(): void }) => event.preventDefault();
  const fixZoom = () => {
    if (contents.isDestroyed()) return;
    contents.setZoomFactor(1);
    // No pinch zoom: a zoomed-in page hides the buttons and the next visitor finds it so.
    contents.setVisualZoomLevelLimits(1, 1).catch(() => undefined);
  };
  const onLoad = () => {
    fixZoom();
    // Nothing to go back to: a swipe or a mouse's back button cannot show an earlier page.
    if (!contents.isDestroyed()) contents.navigationHistory.clear();
  };
  const onZoom = (event: { preventDefault(): void }) => {
    event.preventDefault();
    fixZoom();
  };
  contents.on('before-input-event', onInput);
  contents.on('context-menu', onContextMenu);
  contents.on('zoom-changed', onZoom);
  contents.on('did-finish-load', onLoad);
  return () => {
    contents.removeListener('before-input-event', onInput);
    contents.removeListener('context-menu', onContextMenu);
    contents.removeListener('zoom-changed', onZoom);
    contents.removeListener('did-finish-load', onLoad);
  };
}

/**
 * Chromium switches for the kiosk, set before the app is ready: no pinch zoom and no history
 * navigation by overscroll (touchpad or touchscreen swipes).
 */
export function kioskCommandLineSwitches(): ReadonlyArray<readonly [string, string?]> {
  return [
    ['disable-pinch'],
    ['disable-features', 'OverscrollHistoryNavigation,TouchpadOverscrollHistoryNavigation'],
    ['overscroll-history-navigation', '0'],
  ];
}
