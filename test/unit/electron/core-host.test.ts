import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock, systemClock } from '../../../core/clock.ts';
import { createLogger } from '../../../core/log.ts';
import { type CorePort, runCoreHost } from '../../../electron/core-host.ts';
import type { DeviceKeyMessage } from '../../../electron/core-messages.ts';
import { generateDeviceKey } from '../../../sync/keystore.ts';
import { offlineEnrolment } from '../../support/offline-terminal.ts';

/** The parent port of a core process: main's side sends with `send`, the core's posts are kept. */
class FakePort extends EventEmitter implements CorePort {
  readonly posted: unknown[] = [];
  private waiters: Array<() => void> = [];
  postMessage(message: unknown): void {
    this.posted.push(message);
    for (const wake of this.waiters.splice(0)) wake();
  }
  send(data: unknown): void {
    this.emit('message', { data });
  }
  /** Waits for a posted message (an event, not a sleep). */
  async next<T>(match: (m: Record<string, unknown>) => boolean): Promise<T> {
    for (;;) {
      const found = this.posted.find(
        (m) => typeof m === 'object' && m !== null && match(m as Record<string, unknown>),
      );
      if (found) {
        this.posted.splice(this.posted.indexOf(found), 1);
        return found as T;
      }
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }
}

let dir: string;
let lines: string[];
let env: NodeJS.ProcessEnv;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kiosk-core-host-'));
  lines = [];
  // Enrolled with a portal that is not running: the kiosk serves visitors and finds it unreachable.
  const enrolment = await offlineEnrolment(dir, 'http://127.0.0.1:9/');
  env = {
    ...enrolment.env,
    KIOSK_DATA_DIR: dir,
    // Nothing listens there: the kiosk starts and finds the portal unreachable.
    KIOSK_PORTAL_URL: 'http://127.0.0.1:9/',
    KIOSK_PORTAL_ALLOW_LOOPBACK_HTTP: '1',
    KIOSK_SIMULATE_READERS: '1',
    KIOSK_PRINTER_KIND: 'none',
    KIOSK_METRICS: '0',
  };
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function keyMessage(): Promise<DeviceKeyMessage> {
  return {
    type: 'device-key',
    key: await generateDeviceKey(),
    status: { backend: 'dpapi', encrypted: true },
  };
}

function host(port: FakePort, options: { clock?: ManualClock; env?: NodeJS.ProcessEnv } = {}) {
  const exits: number[] = [];
  let exited: () => void = () => undefined;
  const exit = new Promise<void>((resolve) => {
    exited = resolve;
  });
  const done = runCoreHost({
    port,
    log: createLogger((line) => lines.push(line)),
    exit: (code) => {
      exits.push(code);
      exited();
    },
    env: options.env ?? env,
    clock: options.clock ?? systemClock,
  });
  return { exits, exit, done };
}

async function call(port: FakePort, id: number, name: string, input: unknown = {}) {
  port.send({ type: 'call', id, name, input });
  return (await port.next<{ envelope: unknown }>((m) => m.type === 'result' && m.id === id)).envelope;
}

describe('core host', () => {
  it('asks main for the device key first, then serves calls and tells whether a visitor is in a session', async () => {
    const port = new FakePort();
    const { exits, exit } = host(port);
    expect(await port.next((m) => m.type === 'device-key?')).toEqual({ type: 'device-key?' });
    port.send(await keyMessage());

    expect(await call(port, 1, 'session.current')).toEqual({ ok: true, value: null });
    port.send({ type: 'idle?', id: 7 });
    expect(await port.next((m) => m.type === 'idle')).toEqual({ type: 'idle', id: 7, active: false });

    expect(await call(port, 2, 'session.start', { language: 'de' })).toMatchObject({ ok: true });
    port.send({ type: 'idle?', id: 8 });
    expect(await port.next((m) => m.type === 'idle')).toEqual({ type: 'idle', id: 8, active: true });

    expect(await call(port, 3, 'session.end', { reason: 'visitor' })).toMatchObject({ ok: true });
    port.send({ type: 'idle?', id: 9 });
    expect(await port.next((m) => m.type === 'idle')).toEqual({ type: 'idle', id: 9, active: false });

    // Enrolled: the terminal runs on the handed key, and main is told so.
    expect(port.posted.some((m) => (m as { type?: string }).type === 'device-key.used')).toBe(true);
    port.send('shutdown');
    await exit;
    expect(exits).toEqual([0]);
  });

  it('pushes the kiosk’s events to main', async () => {
    const port = new FakePort();
    const { exit } = host(port);
    await port.next((m) => m.type === 'device-key?');
    port.send(await keyMessage());
    await call(port, 1, 'session.start', {});
    await call(port, 2, 'session.end', { reason: 'visitor' });
    const ended = await port.next<{ name: string }>((m) => m.type === 'event' && m.name === 'session.ended');
    expect(ended.name).toBe('session.ended');
    port.send('shutdown');
    await exit;
  });

  it('starts without a key when main does not answer, and says so', async () => {
    const clock = new ManualClock();
    const port = new FakePort();
    const { exit } = host(port, { clock });
    await port.next((m) => m.type === 'device-key?');
    clock.advance(10_000);
    // it serves (out of service for visitors: no device key, no terminal)
    expect(await call(port, 1, 'system.status')).toMatchObject({ ok: true, value: { enrolled: false } });
    expect(lines.some((l) => l.includes('"keystore.no_answer"'))).toBe(true);
    port.send('shutdown');
    await exit;
  });

  it('reports a configuration error as fatal, naming the key, and exits 78', async () => {
    const port = new FakePort();
    const { exits, exit } = host(port, { env: { ...env, KIOSK_IDLE_TIMEOUT_SECONDS: 'soon' } });
    await port.next((m) => m.type === 'device-key?');
    port.send(await keyMessage());
    await exit;
    const fatal = await port.next<{ message: string }>((m) => m.type === 'fatal');
    expect(fatal.message).toContain('session.idleTimeoutSeconds');
    expect(exits).toEqual([78]);
  });
});
