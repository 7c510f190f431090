import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../core/clock.ts';
import { createLogger } from '../../../core/log.ts';
import {
  isWithinWindow,
  nextRestartAt,
  parseRestartWindow,
  type RestartWindow,
  scheduleNightlyRestart,
} from '../../../electron/nightly-restart.ts';
import { electronSettings } from '../../../electron/settings.ts';

const berlin = 'Europe/Berlin';

function win(text: string): RestartWindow {
  const parsed = parseRestartWindow(text);
  if (!parsed.ok || parsed.value === null) throw new Error(`bad window ${text}`);
  return parsed.value;
}

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

describe('parseRestartWindow', () => {
  it('reads HH:MM-HH:MM into minutes, and off or empty as no restart', () => {
    expect(parseRestartWindow('03:00-04:00')).toEqual({
      ok: true,
      value: { startMinute: 180, endMinute: 240 },
    });
    expect(parseRestartWindow(' 23:30-00:30 ')).toEqual({
      ok: true,
      value: { startMinute: 1410, endMinute: 30 },
    });
    expect(parseRestartWindow('off')).toEqual({ ok: true, value: null });
    expect(parseRestartWindow('')).toEqual({ ok: true, value: null });
  });

  it('refuses anything else with a code', () => {
    for (const bad of [
      '3:00-4:00',
      '24:00-01:00',
      '03:60-04:00',
      '03:00',
      '03:00-03:00',
      'nightly',
      '03:00–04:00',
    ]) {
      const parsed = parseRestartWindow(bad);
      expect(parsed.ok, bad).toBe(false);
      if (!parsed.ok) expect(parsed.error.code).toBe('restart.invalid_window');
    }
  });
});

describe('nextRestartAt', () => {
  const cases: Array<[string, string, string, string, string]> = [
    // [what, window, zone, now (UTC), expected (UTC)]
    [
      'winter afternoon: tonight at 03:00 CET',
      '03:00-04:00',
      berlin,
      '2026-01-15T12:00:00Z',
      '2026-01-16T02:00:00Z',
    ],
    [
      'winter, before the window: the same night',
      '03:00-04:00',
      berlin,
      '2026-01-15T01:00:00Z',
      '2026-01-15T02:00:00Z',
    ],
    [
      'started inside the window: the next night',
      '03:00-04:00',
      berlin,
      '2026-01-15T02:30:00Z',
      '2026-01-16T02:00:00Z',
    ],
    [
      'exactly at the start: the next night',
      '03:00-04:00',
      berlin,
      '2026-01-15T02:00:00Z',
      '2026-01-16T02:00:00Z',
    ],
    ['summer: 03:00 CEST', '03:00-04:00', berlin, '2026-07-01T12:00:00Z', '2026-07-02T01:00:00Z'],
    [
      'clocks go forward (29 March): 03:00 CEST',
      '03:00-04:00',
      berlin,
      '2026-03-28T12:00:00Z',
      '2026-03-29T01:00:00Z',
    ],
    ['the night after the change', '03:00-04:00', berlin, '2026-03-29T01:00:00Z', '2026-03-30T01:00:00Z'],
    [
      'clocks go back (25 October): 03:00 CET',
      '03:00-04:00',
      berlin,
      '2026-10-24T12:00:00Z',
      '2026-10-25T02:00:00Z',
    ],
    [
      'start in the spring gap: the end of the gap',
      '02:30-03:30',
      berlin,
      '2026-03-28T12:00:00Z',
      '2026-03-29T01:00:00Z',
    ],
    [
      'start happens twice in autumn: the first',
      '02:30-03:30',
      berlin,
      '2026-10-24T12:00:00Z',
      '2026-10-25T00:30:00Z',
    ],
    [
      'once per night: not again at the repeated 02:30',
      '02:30-03:30',
      berlin,
      '2026-10-25T00:30:00Z',
      '2026-10-26T01:30:00Z',
    ],
    [
      'window inside the spring gap: the night after',
      '02:00-02:30',
      berlin,
      '2026-03-28T12:00:00Z',
      '2026-03-30T00:00:00Z',
    ],
    [
      'window across midnight, started inside it',
      '23:30-00:30',
      berlin,
      '2026-01-15T23:00:00Z',
      '2026-01-16T22:30:00Z',
    ],
    [
      'window across midnight, in the evening',
      '23:30-00:30',
      berlin,
      '2026-01-15T20:00:00Z',
      '2026-01-15T22:30:00Z',
    ],
    ['UTC', '03:00-04:00', 'UTC', '2026-01-15T12:00:00Z', '2026-01-16T03:00:00Z'],
    [
      'New York, clocks go forward (8 March)',
      '02:00-03:00',
      'America/New_York',
      '2026-03-07T20:00:00Z',
      '2026-03-09T06:00:00Z',
    ],
    [
      'New York, a normal night',
      '03:00-04:00',
      'America/New_York',
      '2026-01-15T20:00:00Z',
      '2026-01-16T08:00:00Z',
    ],
  ];
  for (const [what, window, zone, now, expected] of cases) {
    it(what, () => {
      const next = nextRestartAt(at(now), win(window), zone);
      expect(iso(next)).toBe(new Date(expected).toISOString());
      expect(isWithinWindow(next, win(window), zone)).toBe(true);
    });
  }

  it('isWithinWindow follows local time across the changes', () => {
    const w = win('02:30-03:30');
    // 29 March: 01:59:59 CET jumps to 03:00 CEST.
    expect(isWithinWindow(at('2026-03-29T00:59:00Z'), w, berlin)).toBe(false);
    expect(isWithinWindow(at('2026-03-29T01:00:00Z'), w, berlin)).toBe(true);
    expect(isWithinWindow(at('2026-03-29T01:30:00Z'), w, berlin)).toBe(false);
    // 25 October: 02:59:59 CEST falls back to 02:00 CET; 02:30 comes twice.
    expect(isWithinWindow(at('2026-10-25T00:30:00Z'), w, berlin)).toBe(true);
    expect(isWithinWindow(at('2026-10-25T01:15:00Z'), w, berlin)).toBe(false);
    expect(isWithinWindow(at('2026-10-25T01:30:00Z'), w, berlin)).toBe(true);
  });
});

const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

function rig(startIso: string, windowText = '03:00-04:00') {
  const clock = new ManualClock(at(startIso));
  const lines: string[] = [];
  const log = createLogger(
    (line) => lines.push(line),
    () => clock.now(),
  );
  const state = { active: false, asked: [] as number[], restarts: [] as number[] };
  const schedule = scheduleNightlyRestart({
    window: win(windowText),
    timeZone: berlin,
    clock,
    log,
    isIdle: async () => {
      state.asked.push(clock.now());
      return !state.active;
    },
    restart: () => state.restarts.push(clock.now()),
  });
  const advanceMinutes = async (minutes: number) => {
    for (let i = 0; i < minutes; i++) {
      clock.advance(60_000);
      await flush();
    }
  };
  const events = () => lines.map((l) => (JSON.parse(l) as { event: string }).event);
  return { clock, state, schedule, advanceMinutes, events };
}

describe('scheduleNightlyRestart', () => {
  it('restarts once, in the first minute of the window, when nobody is in a session', async () => {
    const { state, schedule, advanceMinutes, clock } = rig('2026-01-15T12:00:00Z');
    expect(iso(schedule.nextAt)).toBe('2026-01-16T02:00:00.000Z');
    await advanceMinutes(14 * 60 + 30);
    expect(state.restarts.map(iso)).toEqual(['2026-01-16T02:00:00.000Z']);
    expect(state.asked).toHaveLength(1);
    expect(clock.pendingTimers).toBe(0);
  });

  it('waits while a visitor is in a session, asking again every minute', async () => {
    const { state, advanceMinutes, events } = rig('2026-01-16T01:50:00Z');
    state.active = true;
    await advanceMinutes(10 + 12);
    expect(state.restarts).toEqual([]);
    expect(state.asked.length).toBeGreaterThanOrEqual(12);
    state.active = false;
    await advanceMinutes(1);
    expect(state.restarts.map(iso)).toEqual(['2026-01-16T02:13:00.000Z']);
    expect(events().filter((e) => e === 'nightly_restart.deferred')).toHaveLength(1);
  });

  it('gives up when the window ends in a session and plans the next night', async () => {
    const { state, schedule, advanceMinutes, events } = rig('2026-01-16T01:59:00Z');
    state.active = true;
    await advanceMinutes(62);
    expect(state.restarts).toEqual([]);
    expect(events()).toContain('nightly_restart.missed');
    expect(iso(schedule.nextAt)).toBe('2026-01-17T02:00:00.000Z');
    state.active = false;
    await advanceMinutes(24 * 60);
    expect(state.restarts.map(iso)).toEqual(['2026-01-17T02:00:00.000Z']);
  });

  it('a kiosk just restarted inside the window does not restart again that night', async () => {
    const { state, advanceMinutes } = rig('2026-01-16T02:00:30Z');
    await advanceMinutes(120);
    expect(state.restarts).toEqual([]);
    expect(state.asked).toEqual([]);
  });

  it('restarts on the night the clocks go forward, at 03:00 CEST', async () => {
    const { state, advanceMinutes } = rig('2026-03-28T23:00:00Z');
    await advanceMinutes(3 * 60);
    expect(state.restarts.map(iso)).toEqual(['2026-03-29T01:00:00.000Z']);
  });

  it('leaves no timer after dispose', () => {
    const { schedule, clock } = rig('2026-01-15T12:00:00Z');
    schedule.dispose();
    expect(clock.pendingTimers).toBe(0);
  });
});

describe('electronSettings', () => {
  it('restarts nightly 03:00-04:00 and locks shortcuts by default when packaged, neither in development', () => {
    expect(electronSettings({}, true)).toEqual({
      ok: true,
      value: { nightlyRestart: { startMinute: 180, endMinute: 240 }, blockShortcuts: true },
    });
    expect(electronSettings({}, false)).toEqual({
      ok: true,
      value: { nightlyRestart: null, blockShortcuts: false },
    });
  });

  it('takes KIOSK_NIGHTLY_RESTART and KIOSK_LOCKDOWN, and names the variable when one is wrong', () => {
    expect(electronSettings({ KIOSK_NIGHTLY_RESTART: 'off', KIOSK_LOCKDOWN: '1' }, false)).toEqual({
      ok: true,
      value: { nightlyRestart: null, blockShortcuts: true },
    });
    expect(electronSettings({ KIOSK_NIGHTLY_RESTART: '01:15-02:00' }, false)).toMatchObject({
      ok: true,
      value: { nightlyRestart: { startMinute: 75, endMinute: 120 } },
    });
    const bad = electronSettings({ KIOSK_NIGHTLY_RESTART: '3 Uhr' }, true);
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.message).toMatch(/^KIOSK_NIGHTLY_RESTART: /);
    const badLock = electronSettings({ KIOSK_LOCKDOWN: 'yes' }, true);
    expect(badLock.ok).toBe(false);
    if (!badLock.ok) expect(badLock.error.message).toMatch(/^KIOSK_LOCKDOWN: /);
  });
});
