import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../core/clock.ts';
import { createLogger } from '../../../core/log.ts';
import { RestartBackoff } from '../../../electron/backoff.ts';
import { keepDisplayOn, type PowerSaveBlockerLike } from '../../../electron/display.ts';
import { type WatchedContents, watchRenderer } from '../../../electron/watchdog.ts';

const startUrl = 'app://kiosk/index.html';

class FakeContents extends EventEmitter implements WatchedContents {
  readonly loads: number[] = [];
  crashed = 0;
  destroyed = false;
  failNextLoad = false;
  constructor(private readonly clock: ManualClock) {
    super();
  }
  loadURL(url: string): Promise<void> {
    expect(url).toBe(startUrl);
    this.loads.push(this.clock.monotonic());
    if (!this.failNextLoad) return Promise.resolve();
    this.failNextLoad = false;
    this.emit('did-fail-load', {}, -102, 'CONNECTION_REFUSED', url, true);
    return Promise.reject(new Error('load failed'));
  }
  forcefullyCrashRenderer(): void {
    this.crashed += 1;
    this.emit('render-process-gone', {}, { reason: 'killed', exitCode: 9 });
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
}

function setup() {
  const clock = new ManualClock();
  const lines: string[] = [];
  const log = createLogger(
    (line) => lines.push(line),
    () => clock.now(),
  );
  const contents = new FakeContents(clock);
  const watchdog = watchRenderer(contents, { startUrl, clock, log, hangGraceMs: 10_000 });
  const events = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  return { clock, contents, watchdog, lines, events };
}

const gone = (reason = 'crashed') => [{}, { reason, exitCode: 139 }] as const;

describe('RestartBackoff', () => {
  it('restarts at once, then doubles the wait up to the ceiling, and forgets after a quiet spell', () => {
    const clock = new ManualClock();
    const backoff = new RestartBackoff(() => clock.monotonic(), {
      baseMs: 1000,
      maxMs: 8000,
      quietMs: 60_000,
    });
    const delays = Array.from({ length: 6 }, () => backoff.next().delayMs);
    expect(delays).toEqual([0, 1000, 2000, 4000, 8000, 8000]);
    clock.advance(60_000);
    expect(backoff.next()).toEqual({ attempt: 1, delayMs: 0 });
    expect(backoff.restarts).toBe(7);
  });
});

describe('renderer watchdog', () => {
  it('reloads a crashed renderer to the attract screen at once', () => {
    const { clock, contents, watchdog, events } = setup();
    contents.emit('render-process-gone', ...gone());
    clock.advance(0);
    expect(contents.loads).toEqual([0]);
    expect(watchdog.restarts).toBe(1);
    expect(events().map((e) => e.event)).toEqual(['renderer.gone', 'renderer.restart']);
    expect(events()[0]).toMatchObject({ reason: 'crashed', exitCode: 139 });
  });

  it('backs off when the renderer keeps crashing, so a crash loop does not spin', () => {
    const { clock, contents } = setup();
    for (let i = 0; i < 5; i++) {
      contents.emit('render-process-gone', ...gone());
      clock.advance(20_000);
    }
    // Each crash right after its reload: waits 0, 1, 2, 4, 8 s.
    expect(contents.loads).toEqual([0, 21_000, 42_000, 64_000, 88_000]);
  });

  it('does not stack reloads when several failures come before the reload', () => {
    const { clock, contents } = setup();
    contents.emit('render-process-gone', ...gone());
    contents.emit('render-process-gone', ...gone('oom'));
    contents.emit('did-fail-load', {}, -2, 'FAILED', startUrl, true);
    clock.advance(100_000);
    expect(contents.loads).toHaveLength(1);
  });

  it('gives a hung renderer its grace period, then kills it and loads the start page', () => {
    const { clock, contents, events } = setup();
    contents.emit('unresponsive');
    clock.advance(9_999);
    expect(contents.crashed).toBe(0);
    clock.advance(1);
    expect(contents.crashed).toBe(1);
    clock.advance(0);
    // The kill's render-process-gone found the reload already scheduled: one load, one restart.
    expect(contents.loads).toEqual([10_000]);
    expect(events().map((e) => e.event)).toEqual([
      'renderer.unresponsive',
      'renderer.hung',
      'renderer.restart',
      'renderer.gone',
    ]);
  });

  it('leaves a renderer alone that answers again within the grace period', () => {
    const { clock, contents, events } = setup();
    contents.emit('unresponsive');
    clock.advance(5_000);
    contents.emit('responsive');
    clock.advance(60_000);
    expect(contents.crashed).toBe(0);
    expect(contents.loads).toEqual([]);
    expect(events().map((e) => e.event)).toEqual(['renderer.unresponsive', 'renderer.responsive']);
  });

  it('retries a failed main-frame load with the backoff and ignores sub-frames and aborted loads', () => {
    const { clock, contents, events } = setup();
    contents.emit('did-fail-load', {}, -3, 'ABORTED', startUrl, true);
    contents.emit('did-fail-load', {}, -105, 'NAME_NOT_RESOLVED', 'https://example.org/', false);
    clock.advance(10_000);
    expect(contents.loads).toEqual([]);
    contents.failNextLoad = true;
    contents.emit('did-fail-load', {}, -6, 'FILE_NOT_FOUND', startUrl, true);
    clock.advance(0);
    clock.advance(1_000);
    expect(contents.loads).toEqual([10_000, 11_000]);
    // No URL in the log: a route may say what the visitor was doing.
    expect(JSON.stringify(events())).not.toContain('app://');
  });

  it('reloads to the start on request (core restarted) and after dispose does nothing and leaves no timer', () => {
    const { clock, contents, watchdog } = setup();
    watchdog.reloadToStart();
    expect(contents.loads).toEqual([0]);
    contents.emit('unresponsive');
    watchdog.dispose();
    expect(clock.pendingTimers).toBe(0);
    expect(contents.eventNames()).toEqual([]);
    contents.emit('render-process-gone', ...gone());
    clock.advance(100_000);
    expect(contents.loads).toEqual([0]);
  });

  it('does not load into destroyed contents', () => {
    const { clock, contents } = setup();
    contents.destroyed = true;
    contents.emit('render-process-gone', ...gone());
    clock.advance(1_000);
    expect(contents.loads).toEqual([]);
  });
});

class FakeBlocker implements PowerSaveBlockerLike {
  private next = 1;
  readonly active = new Set<number>();
  readonly started: string[] = [];
  start(type: 'prevent-display-sleep'): number {
    this.started.push(type);
    const id = this.next++;
    this.active.add(id);
    return id;
  }
  stop(id: number): boolean {
    return this.active.delete(id);
  }
  isStarted(id: number): boolean {
    return this.active.has(id);
  }
}

describe('display kept on', () => {
  it('holds a prevent-display-sleep blocker and starts it again when it was dropped', () => {
    const clock = new ManualClock();
    const blocker = new FakeBlocker();
    const lines: string[] = [];
    const keeper = keepDisplayOn(blocker, { clock, log: createLogger((l) => lines.push(l)) });
    expect(blocker.started).toEqual(['prevent-display-sleep']);
    clock.advance(5 * 60_000);
    expect(blocker.started).toHaveLength(1);
    blocker.active.clear(); // the session's power manager restarted
    clock.advance(60_000);
    expect(blocker.started).toHaveLength(2);
    expect(blocker.active.size).toBe(1);
    expect(keeper.restarts).toBe(1);
    expect(lines.join('')).toContain('display.blocker_restarted');
    keeper.dispose();
    expect(blocker.active.size).toBe(0);
    expect(clock.pendingTimers).toBe(0);
  });
});
