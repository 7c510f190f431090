/**
 * Which web permissions the kiosk UI may use. Anything not listed is denied: no camera,
 * microphone, geolocation, notifications, clipboard reads, USB/HID/serial from the page, etc.
 * (readers are reached through the core process, never from the renderer).
 */
export const permissionTable: Readonly<Record<string, boolean>> = Object.freeze({
  fullscreen: true,
  'clipboard-sanitized-write': false,
  'clipboard-read': false,
  media: false,
  geolocation: false,
  notifications: false,
  midi: false,
  midiSysex: false,
  pointerLock: false,
  openExternal: false,
  hid: false,
  serial: false,
  usb: false,
  'window-management': false,
  'idle-detection': false,
});

export function isPermissionAllowed(permission: string, requestingUrl: string, appOrigin: string): boolean {
  let origin: string;
  try {
    const url = new URL(requestingUrl);
    origin = `${url.protocol}//${url.host}`;
  } catch {
    return false;
  }
  return origin === appOrigin && permissionTable[permission] === true;
}

/** What Electron tells a permission handler about the frame that asks (`details`). */
export interface PermissionRequestDetails {
  /** The URL of the frame that asked: a subframe's own URL, not the window's. */
  readonly requestingUrl?: string;
  readonly isMainFrame?: boolean;
}

/**
 * A permission request or check, judged by the URL of the frame that makes it (Electron's
 * `details.requestingUrl`), never by the webContents' URL: a frame of another origin inside the
 * app's page is that other origin, and gets nothing. Without a requesting URL, nothing.
 */
export function judgePermission(
  permission: string,
  details: PermissionRequestDetails | undefined,
  appOrigin: string,
): boolean {
  const url = details?.requestingUrl;
  if (typeof url !== 'string' || url.length === 0) return false;
  return isPermissionAllowed(permission, url, appOrigin);
}
