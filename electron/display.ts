/**
 * Keeps the display on: a kiosk whose screen went dark looks broken. Electron's power save
 * blocker can end without the app asking (a desktop session or power manager restarted), so it is
 * checked every minute and started again when it is no longer held.
 *
 * On Linux this asks the session (D-Bus) to inhibit the screen saver; an X server's own DPMS
 * timeout is not covered and is switched off in the kiosk's session (`xset -dpms s off`).
 */
import type { Clock, TimerHandle } from '../core/clock.ts';
import type { Logger } from '../core/log.ts';

/** The part of Electron's powerSaveBlocker used here. */
export interface PowerSaveBlockerLike {
  start(type: 'prevent-display-sleep'): number;
  stop(id: number): boolean;
  isStarted(id: number): boolean;
}

export interface DisplayKeeper {
  /** Times the blocker had to be started again. */
  readonly restarts: number;
  dispose(): void;
}

export function keepDisplayOn(
  blocker: PowerSaveBlockerLike,
  options: { clock: Clock; log: Logger; checkEveryMs?: number },
): DisplayKeeper {
  const { clock, log } = options;
  const every = options.checkEveryMs ?? 60_000;
  let id = blocker.start('prevent-display-sleep');
  let restarts = 0;
  let timer: TimerHandle | null = null;
  let disposed = false;

  const check = () => {
    if (disposed) return;
    if (!blocker.isStarted(id)) {
      id = blocker.start('prevent-display-sleep');
      restarts += 1;
      log.warn('display.blocker_restarted', { restarts });
    }
    timer = clock.setTimeout(check, every);
  };
  timer = clock.setTimeout(check, every);

  return {
    get restarts() {
      return restarts;
    },
    dispose() {
      disposed = true;
      timer?.cancel();
      timer = null;
      if (blocker.isStarted(id)) blocker.stop(id);
    },
  };
}
