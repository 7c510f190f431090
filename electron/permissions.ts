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
