/**
 * The web host's launch token, as the page gets and keeps it:
 *
 * - `#token=…` in the address (development, tests): taken as it is;
 * - `#launch=…` (a browser started by the launcher): a one-time code, exchanged once with the
 *   host (`POST /launch`) for the token, so the token never stands on a command line;
 * - neither (a reload): the token kept in this tab's sessionStorage.
 *
 * The fragment is removed from the address bar at once. sessionStorage belongs to this tab and
 * this origin only and is gone when the tab closes; a reload keeps it.
 */

export const TOKEN_STORAGE_KEY = 'kiosk.launchToken';

export interface LaunchTokenDeps {
  readonly location: Pick<Location, 'hash' | 'pathname' | 'search' | 'origin'>;
  readonly history: Pick<History, 'replaceState'>;
  readonly storage: Pick<Storage, 'getItem' | 'setItem'>;
  readonly fetch: typeof fetch;
}

/** The token for the socket, or '' when there is none (the host then refuses the socket). */
export async function launchToken(deps: LaunchTokenDeps): Promise<string> {
  const params = new URLSearchParams(deps.location.hash.slice(1));
  const given = params.get('token');
  const code = params.get('launch');
  if (given !== null || code !== null) {
    deps.history.replaceState(null, '', deps.location.pathname + deps.location.search);
  }
  if (given) {
    remember(deps.storage, given);
    return given;
  }
  if (code) {
    const exchanged = await exchange(deps, code);
    if (exchanged) {
      remember(deps.storage, exchanged);
      return exchanged;
    }
  }
  try {
    return deps.storage.getItem(TOKEN_STORAGE_KEY) ?? '';
  } catch {
    return '';
  }
}

async function exchange(deps: LaunchTokenDeps, code: string): Promise<string | null> {
  try {
    const response = await deps.fetch(`${deps.location.origin}/launch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code }),
      credentials: 'omit',
      cache: 'no-store',
    });
    if (!response.ok) return null;
    const body: unknown = await response.json();
    const token = (body as { token?: unknown } | null)?.token;
    return typeof token === 'string' && token.length > 0 ? token : null;
  } catch {
    return null;
  }
}

function remember(storage: LaunchTokenDeps['storage'], token: string): void {
  try {
    storage.setItem(TOKEN_STORAGE_KEY, token);
  } catch {
    // storage refused (quota, policy): the token still serves this page until a reload
  }
}
