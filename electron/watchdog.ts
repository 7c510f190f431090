/**
 * Renderer watchdog: a crashed, hung or failed-to-load kiosk page comes back on its own, at the
 * attract screen (the app's start URL, never the screen a visitor left), with a backoff so a page
 * that crashes on load does not spin.
 *
 * Hangs are caught with Chromium's own hang monitor (`unresponsive`), not with a heartbeat from
 * the page: the monitor fires when the page does not answer input, which is exactly when a visitor
 * notices a hang, and it needs no timer in the renderer. A page that hangs while nobody touches it
 * harms no one until the next touch (which then trips the monitor) or the nightly restart.
 */
import type { Clock, TimerHandle } from '../core/clock.ts';
import type { Logger } from '../core/log.ts';
import { RestartBackoff } from './backoff.ts';

/** The part of Electron's WebContents the watchdog uses (a small fake in tests). */
export interface WatchedContents {
  on(
    event: 'render-process-gone',
    listener: (event: unknown, details: { reason: string; exitCode: number }) => void,
  ): unknown;
  on(event: 'unresponsive' | 'responsive', listener: () => void): unknown;
  on(
    event: 'did-fail-load',
    listener: (
      event: unknown,
      errorCode: number,
      description: string,
      url: string,
      isMainFrame: boolean,
    ) => void,
  ): unknown;
  removeListener<A extends unknown[]>(event: string, listener: (...args: A) => void): unknown;
  loadURL(url: string): Promise<void>;
  forcefullyCrashRenderer(): void;
  isDestroyed(): boolean;
}

export interface WatchdogOptions {
  /** The attract screen. */
  readonly startUrl: string;
  readonly clock: Clock;
  readonly log: Logger;
  /** How long an unresponsive page may take to answer again before it is killed (ms). */
  readonly hangGraceMs?: number;
  readonly backoff?: RestartBackoff;
}

export interface RendererWatchdog {
  /** Back to the attract screen now (e.g. after the core restarted), outside the backoff. */
  reloadToStart(): void;
  /** Renderer restarts so far. */
  readonly restarts: number;
  dispose(): void;
}

/** Chromium's net::ERR_ABORTED: a load replaced by another one, not a failure. */
const ERR_ABORTED = -3;

export function watchRenderer(contents: WatchedContents, options: WatchdogOptions): RendererWatchdog {
  const { clock, log, startUrl } = options;
  const graceMs = options.hangGraceMs ?? 10_000;
  const backoff = options.backoff ?? new RestartBackoff(() => clock.monotonic());
  let pendingReload: TimerHandle | null = null;
  let hang: TimerHandle | null = null;
  let disposed = false;

  const load = () => {
    if (disposed || contents.isDestroyed()) return;
    // A failed load also raises did-fail-load, which schedules the next try with the backoff.
    contents.loadURL(startUrl).catch(() => undefined);
  };

  const recover = (cause: string) => {
    if (disposed || pendingReload) return;
    hang?.cancel();
    hang = null;
    const { attempt, delayMs } = backoff.next();
    log.warn('renderer.restart', { cause, attempt, delayMs, restarts: backoff.restarts });
    pendingReload = clock.setTimeout(() => {
      pendingReload = null;
      load();
    }, delayMs);
  };

  const onGone = (_event: unknown, details: { reason: string; exitCode: number }) => {
    log.error('renderer.gone', { reason: details.reason, exitCode: details.exitCode });
    recover('gone');
  };
  const onUnresponsive = () => {
    if (disposed || hang || pendingReload) return;
    log.warn('renderer.unresponsive', { graceMs });
    hang = clock.setTimeout(() => {
      hang = null;
      if (disposed || contents.isDestroyed()) return;
      log.error('renderer.hung', { graceMs });
      recover('hung');
      // The hung process cannot load anything; killing it lets the next load start a fresh one.
      // Its render-process-gone finds the reload already scheduled.
      contents.forcefullyCrashRenderer();
    }, graceMs);
  };
  const onResponsive = () => {
    if (!hang) return;
    hang.cancel();
    hang = null;
    log.info('renderer.responsive');
  };
  const onFailLoad = (
    _event: unknown,
    errorCode: number,
    _description: string,
    _url: string,
    isMainFrame: boolean,
  ) => {
    if (!isMainFrame || errorCode === ERR_ABORTED) return;
    // The URL is not logged: a route may name what the visitor was doing.
    log.error('renderer.load_failed', { errorCode });
    recover('load_failed');
  };

  contents.on('render-process-gone', onGone);
  contents.on('unresponsive', onUnresponsive);
  contents.on('responsive', onResponsive);
  contents.on('did-fail-load', onFailLoad);

  return {
    reloadToStart() {
      if (pendingReload) return;
      hang?.cancel();
      hang = null;
      load();
    },
    get restarts() {
      return backoff.restarts;
    },
    dispose() {
      disposed = true;
      hang?.cancel();
      pendingReload?.cancel();
      hang = null;
      pendingReload = null;
      contents.removeListener('render-process-gone', onGone);
      contents.removeListener('unresponsive', onUnresponsive);
      contents.removeListener('responsive', onResponsive);
      contents.removeListener('did-fail-load', onFailLoad);
    },
  };
}
