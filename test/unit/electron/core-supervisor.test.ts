import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../core/clock.ts';
import { createLogger } from '../../../core/log.ts';
import type { DeviceKeyMessage } from '../../../electron/core-messages.ts';
import { type CoreChild, CoreSupervisor } from '../../../electron/core-supervisor.ts';

/** A core process stand-in: records what main sends, and the test answers as the core would. */
class FakeCore extends EventEmitter implements CoreChild {
  readonly received: unknown[] = [];
  killed = false;
  constructor(readonly bornAt: number) {
    super();
  }
  postMessage(message: unknown): void {
    this.received.push(message);
  }
  kill(): boolean {
    this.killed = true;
    return true;
  }
  say(message: unknown): void {
    this.emit('message', message);
  }
  die(code: number): void {
    this.emit('exit', code);
  }
}

const keyMessage: DeviceKeyMessage = {
  type: 'device-key',
  key: null,
  error: { code: 'keystore.read_failed', message: 'none here' },
  status: { backend: 'dpapi', encrypted: true },
};

function setup() {
  const clock = new ManualClock();
  const children: FakeCore[] = [];
  const lines: string[] = [];
  const seen = { events: [] as unknown[][], restarted: 0, fatal: [] as string[], keyUsed: 0 };
  const supervisor = new CoreSupervisor({
    fork: () => {
      const child = new FakeCore(clock.monotonic());
      children.push(child);
      return child;
    },
    clock,
    log: createLogger((line) => lines.push(line)),
    deviceKey: () => keyMessage,
    onEvent: (name, payload) => seen.events.push([name, payload]),
    onRestarted: () => seen.restarted++,
    onFatal: (message) => seen.fatal.push(message),
    onDeviceKeyUsed: () => seen.keyUsed++,
  });
  const last = () => children[children.length - 1] as FakeCore;
  return { clock, children, last, supervisor, seen, lines };
}

describe('CoreSupervisor', () => {
  it('routes calls by id and pushes events on', async () => {
    const { supervisor, last, seen } = setup();
    supervisor.start();
    const a = supervisor.call('session.start', { language: 'de' });
    const b = supervisor.call('system.status', {});
    expect(last().received).toEqual([
      { type: 'call', id: 1, name: 'session.start', input: { language: 'de' } },
      { type: 'call', id: 2, name: 'system.status', input: {} },
    ]);
    last().say({ type: 'result', id: 2, envelope: { ok: true, value: 'b' } });
    last().say({ type: 'event', name: 'session.ended', payload: { reason: 'timeout' } });
    last().say({ type: 'result', id: 1, envelope: { ok: true, value: 'a' } });
    expect(await a).toEqual({ ok: true, value: 'a' });
    expect(await b).toEqual({ ok: true, value: 'b' });
    expect(seen.events).toEqual([['session.ended', { reason: 'timeout' }]]);
  });

  it('answers the core’s key request and hears that it runs on the key', () => {
    const { supervisor, last, seen } = setup();
    supervisor.start();
    last().say({ type: 'device-key?' });
    expect(last().received).toEqual([keyMessage]);
    last().say({ type: 'device-key.used' });
    expect(seen.keyUsed).toBe(1);
  });

  it('restarts a crashed core at once, fails its open calls, and sends the UI to the start', async () => {
    const { supervisor, children, last, seen, clock, lines } = setup();
    supervisor.start();
    const open = supervisor.call('journey.submit', {});
    last().die(139);
    expect(await open).toEqual({
      ok: false,
      error: { code: 'api.transport', message: 'core process restarted' },
    });
    expect(supervisor.running).toBe(false);
    expect(await supervisor.call('system.status', {})).toMatchObject({
      ok: false,
      error: { code: 'api.transport' },
    });
    clock.advance(0);
    expect(children).toHaveLength(2);
    expect(seen.restarted).toBe(1);
    expect(supervisor.running).toBe(true);
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({
      event: 'core.exited',
      code: 139,
      attempt: 1,
      delayMs: 0,
    });
  });

  it('backs off when the core keeps dying at start', () => {
    const { supervisor, children, last, clock } = setup();
    supervisor.start();
    const waits: number[] = [];
    for (let i = 0; i < 5; i++) {
      const diedAt = clock.monotonic();
      last().die(1);
      const before = children.length;
      while (children.length === before) clock.advance(100);
      waits.push(last().bornAt - diedAt);
    }
    expect(waits).toEqual([0, 1000, 2000, 4000, 8000]);
    expect(supervisor.restarts).toBe(5);
  });

  it('does not restart a core that reported a fatal configuration error', () => {
    const { supervisor, children, last, seen, clock } = setup();
    supervisor.start();
    last().say({ type: 'fatal', message: 'Invalid kiosk configuration:\n  portal.url: not set' });
    last().die(78);
    clock.advance(120_000);
    expect(seen.fatal).toEqual(['Invalid kiosk configuration:\n  portal.url: not set']);
    expect(children).toHaveLength(1);
  });

  it('asks whether a visitor is in a session; no answer or no core counts as idle', async () => {
    const { supervisor, last, clock } = setup();
    expect(await supervisor.isIdle()).toBe(true);
    supervisor.start();
    const busy = supervisor.isIdle();
    expect(last().received).toEqual([{ type: 'idle?', id: 1 }]);
    last().say({ type: 'idle', id: 1, active: true });
    expect(await busy).toBe(false);
    const free = supervisor.isIdle();
    last().say({ type: 'idle', id: 2, active: false });
    expect(await free).toBe(true);
    const silent = supervisor.isIdle(5_000);
    clock.advance(5_000);
    expect(await silent).toBe(true);
    const dying = supervisor.isIdle();
    last().die(9);
    expect(await dying).toBe(true);
    expect(clock.pendingTimers).toBe(1); // only the restart
  });

  it('shuts the core down without a restart, and kills it when it does not exit in time', async () => {
    const { supervisor, children, last, clock } = setup();
    supervisor.start();
    const done = supervisor.shutdown(5_000);
    expect(last().received).toEqual(['shutdown']);
    last().die(0);
    await done;
    clock.advance(60_000);
    expect(children).toHaveLength(1);

    const second = setup();
    second.supervisor.start();
    const stuck = second.supervisor.shutdown(5_000);
    second.clock.advance(5_000);
    await stuck;
    expect(second.last().killed).toBe(true);
  });

  it('ignores messages of a core that was already replaced, and malformed ones', async () => {
    const { supervisor, children, clock, last } = setup();
    supervisor.start();
    const first = last();
    first.die(1);
    clock.advance(0);
    const call = supervisor.call('system.status', {});
    first.say({ type: 'result', id: 1, envelope: 'stale' });
    children[1]?.say({ type: 'result', id: 'x', envelope: 'malformed' });
    children[1]?.say({ type: 'result', id: 1, envelope: 'fresh' });
    expect(await call).toBe('fresh');
  });
});
