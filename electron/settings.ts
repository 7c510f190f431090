/**
 * Settings of the Electron host that the kiosk's configuration (core/config.ts) does not hold,
 * from the environment:
 *
 *   KIOSK_NIGHTLY_RESTART  HH:MM-HH:MM local time, or `off` (default 03:00-04:00 when packaged,
 *                          off in development)
 *   KIOSK_LOCKDOWN         1 or 0: refuse escape shortcuts (default: on when packaged, so that
 *                          Alt+F4 and the devtools keys work in development)
 */
import { err, ok, type Result } from '../sync/result.ts';
import { parseRestartWindow, type RestartWindow } from './nightly-restart.ts';

export interface ElectronSettings {
  readonly nightlyRestart: RestartWindow | null;
  readonly blockShortcuts: boolean;
}

export const defaultRestartWindow = '03:00-04:00';

export function electronSettings(
  env: NodeJS.ProcessEnv,
  packaged: boolean,
): Result<ElectronSettings, 'settings.invalid'> {
  const restart = parseRestartWindow(env.KIOSK_NIGHTLY_RESTART ?? (packaged ? defaultRestartWindow : 'off'));
  if (!restart.ok) return err('settings.invalid', `KIOSK_NIGHTLY_RESTART: ${restart.error.message}`);
  const lockdown = env.KIOSK_LOCKDOWN?.trim();
  let blockShortcuts = packaged;
  if (lockdown === '1') blockShortcuts = true;
  else if (lockdown === '0') blockShortcuts = false;
  else if (lockdown !== undefined && lockdown !== '') {
    return err('settings.invalid', 'KIOSK_LOCKDOWN: must be 1 or 0');
  }
  return ok({ nightlyRestart: restart.value, blockShortcuts });
}
