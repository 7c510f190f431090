/** The origin the kiosk UI is served from inside Electron (a privileged custom scheme). */
export const appScheme = 'app';
export const appHost = 'kiosk';
export const appOrigin = `${appScheme}://${appHost}`;

/** Navigation and redirects stay inside the app; everything else is refused. */
export function isAllowedNavigation(url: string): boolean {
  try {
    const target = new URL(url);
    return `${target.protocol}//${target.host}` === appOrigin;
  } catch {
    return false;
  }
}

/** A call is routed only from the window's main frame showing the app itself. */
export function isTrustedSender(frame: { url: string; parent: unknown } | null | undefined): boolean {
  return frame != null && frame.parent === null && isAllowedNavigation(frame.url);
}

/** Maps a request for the app scheme to a file below the renderer folder, refusing traversal. */
export function appFilePath(url: string): string | null {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return null;
  }
  if (`${target.protocol}//${target.host}` !== appOrigin) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(target.pathname);
  } catch {
    // a malformed escape (`%E0%A4%A`, `%zz`) names no file: 404, not an exception in the handler
    return null;
  }
  const path = decoded.replace(/^\/+/, '') || 'index.html';
  if (
    path.split('/').some((part) => part === '..' || part === '') ||
    path.includes('\\') ||
    path.includes('\0')
  )
    return null;
  return path;
}
