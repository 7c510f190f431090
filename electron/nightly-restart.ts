/**
 * Nightly restart: once a night, inside a configured window of local time, the kiosk restarts
 * itself (a fresh process keeps memory and handles from piling up over weeks of uptime), but only
 * when no visitor is in a session; while one is, it asks again every minute until the window ends.
 *
 * Configured by KIOSK_NIGHTLY_RESTART=HH:MM-HH:MM (local time of the terminal, e.g. 03:00-04:00;
 * `off` turns it off). The window may cross midnight (23:30-00:30).
 */
import type { Clock, TimerHandle } from '../core/clock.ts';
import type { Logger } from '../core/log.ts';
import { err, ok, type Result } from '../sync/result.ts';

/** A window of local wall-clock time, in minutes after midnight; end is exclusive. */
export interface RestartWindow {
  readonly startMinute: number;
  readonly endMinute: number;
}

const DAY_MS = 86_400_000;
const windowPattern = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$/;

/** Parses `HH:MM-HH:MM`; `off` or an empty value is no nightly restart (null). */
export function parseRestartWindow(text: string): Result<RestartWindow | null, 'restart.invalid_window'> {
  const value = text.trim();
  if (value === '' || value.toLowerCase() === 'off') return ok(null);
  const match = windowPattern.exec(value);
  if (!match)
    return err('restart.invalid_window', 'the restart window must look like 03:00-04:00 (or be "off")');
  const [, sh, sm, eh, em] = match.map(Number) as [number, number, number, number, number];
  const startMinute = sh * 60 + sm;
  const endMinute = eh * 60 + em;
  if (startMinute === endMinute) return err('restart.invalid_window', 'the restart window is empty');
  return ok({ startMinute, endMinute });
}

const formatters = new Map<string, Intl.DateTimeFormat>();

interface WallTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

/** The local date and time at instant `t` in time zone `timeZone` (IANA name). */
function wallTime(t: number, timeZone: string): WallTime {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  const parts: Record<string, number> = {};
  for (const part of formatter.formatToParts(new Date(t))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year ?? 0,
    month: parts.month ?? 0,
    day: parts.day ?? 0,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

/** The zone's offset from UTC at instant `t` (ms, whole seconds). */
function offsetAt(t: number, timeZone: string): number {
  const w = wallTime(t, timeZone);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(t / 1000) * 1000;
}

/** Whether the local time at `t` lies inside the window. */
export function isWithinWindow(t: number, window: RestartWindow, timeZone: string): boolean {
  const w = wallTime(t, timeZone);
  const minute = w.hour * 60 + w.minute;
  return window.startMinute < window.endMinute
    ? minute >= window.startMinute && minute < window.endMinute
    : minute >= window.startMinute || minute < window.endMinute;
}

/**
 * The first instant of the given local date at which the window is open: its start time, the
 * earlier one when the clocks go back and that time happens twice, or the end of the gap when the
 * clocks go forward over it (null if the gap swallows the whole window).
 */
function firstEntryOn(year: number, month: number, day: number, window: RestartWindow, timeZone: string) {
  const wall = Date.UTC(year, month - 1, day, 0, window.startMinute);
  // At most one transition lies within a day of any date in every zone in use.
  const before = offsetAt(wall - DAY_MS, timeZone);
  const after = offsetAt(wall + DAY_MS, timeZone);
  const valid = [...new Set([before, after])]
    .map((offset) => wall - offset)
    .filter((t) => offsetAt(t, timeZone) === wall - t);
  if (valid.length > 0) return Math.min(...valid);
  // The start time does not exist that day: find the transition instant.
  let lo = wall - Math.max(before, after);
  let hi = wall - Math.min(before, after);
  while (hi - lo > 1000) {
    const mid = Math.floor((lo + hi) / 2000) * 1000;
    if (offsetAt(mid, timeZone) === offsetAt(hi, timeZone)) hi = mid;
    else lo = mid;
  }
  return isWithinWindow(hi, window, timeZone) ? hi : null;
}

/**
 * When the next nightly restart is due after `now`: the first moment of the window on the next
 * local date whose window has not begun yet. One restart per date: a kiosk started (or restarted)
 * inside a window waits for the next night, so a restart never repeats itself.
 */
export function nextRestartAt(now: number, window: RestartWindow, timeZone: string): number {
  const today = wallTime(now, timeZone);
  for (let k = -1; k <= 7; k++) {
    const date = new Date(Date.UTC(today.year, today.month - 1, today.day + k));
    const entry = firstEntryOn(
      date.getUTCFullYear(),
      date.getUTCMonth() + 1,
      date.getUTCDate(),
      window,
      timeZone,
    );
    if (entry !== null && entry > now) return entry;
  }
  // Unreachable for real zones (no week without the window); never restart in a tight loop.
  return now + DAY_MS;
}

export interface NightlyRestartOptions {
  readonly window: RestartWindow;
  /** IANA time zone of the terminal (the system's by default in main). */
  readonly timeZone: string;
  readonly clock: Clock;
  readonly log: Logger;
  /** Resolves true when no visitor session is active. */
  isIdle(): Promise<boolean>;
  /** Restarts the app (main: app.relaunch(); app.exit(0)). */
  restart(): void;
  /** How often to look at the clock and, in the window, to ask again (ms). */
  readonly tickMs?: number;
}

export interface NightlyRestart {
  /** When the next restart is due (epoch ms). */
  readonly nextAt: number;
  dispose(): void;
}

/**
 * Looks at the wall clock every minute instead of arming one long timer: a timer set for
 * tomorrow drifts when the system time is corrected or the machine sleeps; the minute tick does not.
 */
export function scheduleNightlyRestart(options: NightlyRestartOptions): NightlyRestart {
  const { window, timeZone, clock, log } = options;
  const tickMs = options.tickMs ?? 60_000;
  let nextAt = nextRestartAt(clock.now(), window, timeZone);
  let timer: TimerHandle | null = null;
  let deferred = false;
  let disposed = false;
  log.info('nightly_restart.scheduled', { at: new Date(nextAt).toISOString() });

  const plan = () => {
    if (!disposed) timer = clock.setTimeout(tick, tickMs);
  };
  const tick = () => {
    timer = null;
    if (disposed) return;
    const now = clock.now();
    if (now < nextAt) return plan();
    if (!isWithinWindow(now, window, timeZone)) {
      log.warn('nightly_restart.missed', { deferred });
      deferred = false;
      nextAt = nextRestartAt(now, window, timeZone);
      log.info('nightly_restart.scheduled', { at: new Date(nextAt).toISOString() });
      return plan();
    }
    options.isIdle().then(
      (idle) => {
        if (disposed) return;
        if (idle) {
          log.info('nightly_restart.now');
          disposed = true;
          options.restart();
          return;
        }
        if (!deferred) log.info('nightly_restart.deferred', { reason: 'session_active' });
        deferred = true;
        plan();
      },
      () => plan(),
    );
  };
  plan();

  return {
    get nextAt() {
      return nextAt;
    },
    dispose() {
      disposed = true;
      timer?.cancel();
      timer = null;
    },
  };
}
