/**
 * Which web permissions the kiosk UI may use. Anything not listed is denied: no microphone,
 * geolocation, notifications, clipboard reads, USB/HID/serial from the page, etc. (readers are
 * reached through the core process, never from the renderer). The camera is the one exception to
 * `media: false`, judged apart (`judgePermission`): video only, to the app's own origin, for the
 * documents a visitor hands in.
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

/** Whether a URL is of the app's own origin. */
function isAppOrigin(requestingUrl: string, appOrigin: string): boolean {
  try {
    const url = new URL(requestingUrl);
    return `${url.protocol}//${url.host}` === appOrigin;
  } catch {
    return false;
  }
}

export function isPermissionAllowed(permission: string, requestingUrl: string, appOrigin: string): boolean {
  return isAppOrigin(requestingUrl, appOrigin) && permissionTable[permission] === true;
}

/** What Electron tells a permission handler about the frame that asks (`details`). */
export interface PermissionRequestDetails {
  /** The URL of the frame that asked: a subframe's own URL, not the window's. */
  readonly requestingUrl?: string;
  readonly isMainFrame?: boolean;
  /** A `media` request (setPermissionRequestHandler): the devices asked for. */
  readonly mediaTypes?: readonly string[];
  /** A `media` check (setPermissionCheckHandler): the device asked about. */
  readonly mediaType?: string;
}

/** A media request or check for the camera alone: no microphone, and not "unknown". */
function videoOnly(details: PermissionRequestDetails): boolean {
  if (details.mediaTypes !== undefined)
    return details.mediaTypes.length > 0 && details.mediaTypes.every((t) => t === 'video');
  return details.mediaType === 'video';
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
  if (permission === 'media') return videoOnly(details ?? {}) && isAppOrigin(url, appOrigin);
  return isPermissionAllowed(permission, url, appOrigin);
}
