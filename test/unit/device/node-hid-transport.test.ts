import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../device/clock.ts';
import type { DeviceError } from '../../../device/events.ts';
import { builtinProfiles } from '../../../device/profiles.ts';
import { ReaderManager } from '../../../device/readers.ts';
import type { HidConnection, HidDeviceInfo, HidTransport } from '../../../device/transport.ts';
import {
  loadNodeHid,
  type NodeHidDeviceRecord,
  type NodeHidHandle,
  type NodeHidModule,
  NodeHidTransport,
} from '../../../device/transports/node-hid.ts';

/** A node-hid look-alike: a device list the test edits, handles the test can feed or break. */
class FakeHandle extends EventEmitter implements NodeHidHandle {
  closed = false;
  readonly features: number[][] = [];
  constructor(readonly path: string) {
    super();
  }
  async close(): Promise<void> {
    this.closed = true;
  }
  async sendFeatureReport(data: number[] | Buffer): Promise<number> {
    this.features.push([...data]);
    return data.length;
  }
}

class FakeHid implements NodeHidModule {
  devices: NodeHidDeviceRecord[] = [];
  readonly handles: FakeHandle[] = [];
  failOpen = 0;
  listCalls = 0;
  readonly HIDAsync = {
    open: async (pathOrVid: string | number): Promise<NodeHidHandle> => {
      const path = String(pathOrVid);
      if (this.failOpen > 0) {
        this.failOpen--;
        throw new Error('cannot open device');
      }
      if (!this.devices.some((d) => d.path === path)) throw new Error('cannot open device');
      const h = new FakeHandle(path);
      this.handles.push(h);
      return h;
    },
  };
  async devicesAsync(): Promise<NodeHidDeviceRecord[]> {
    this.listCalls++;
    return this.devices.map((d) => ({ ...d }));
  }
}

const scanner = (path = '/dev/hidraw3'): NodeHidDeviceRecord => ({
  vendorId: 0x0c2e,
  productId: 0x0b61,
  path,
  serialNumber: 'S123',
  product: 'Scanner',
  interface: 0,
  usagePage: 0x8c,
  usage: 0x02,
});

/** Lets promise continuations run (no wall-clock waiting). */
const settle = async (): Promise<void> => {
  for (let i = 0; i < 10; i++) await new Promise<void>((resolve) => setImmediate(resolve));
};

function record(connection: HidConnection) {
  const log: string[] = [];
  const errors: DeviceError[] = [];
  connection.on('data', (d) => log.push(`data:${Buffer.from(d).toString('hex')}`));
  connection.on('error', (e) => errors.push(e));
  connection.on('state', (s) => log.push(`state:${s}`));
  return { log, errors };
}

function hotplug(transport: HidTransport) {
  const events: string[] = [];
  const offs = [
    transport.on('attach', (d: HidDeviceInfo) => events.push(`attach:${d.path}`)),
    transport.on('detach', (d: HidDeviceInfo) => events.push(`detach:${d.path}`)),
  ];
  return {
    events,
    off: () => {
      for (const f of offs) f();
    },
  };
}

describe('node-hid transport', () => {
  it('lists devices with ids, usage page, usage, product and serial', async () => {
    const hid = new FakeHid();
    hid.devices = [scanner(), { ...scanner('/dev/hidraw4'), path: undefined }];
    const t = new NodeHidTransport({ hid, clock: new VirtualClock() });
    const listed = await t.list();
    expect(listed).toEqual({
      ok: true,
      value: [
        {
          vendorId: 0x0c2e,
          productId: 0x0b61,
          path: '/dev/hidraw3',
          interface: 0,
          usagePage: 0x8c,
          usage: 0x02,
          product: 'Scanner',
          serial: 'S123',
        },
      ],
    });
  });

  it('opens by path or by vendor/product id and delivers data; close releases the handle', async () => {
    const hid = new FakeHid();
    hid.devices = [scanner()];
    const t = new NodeHidTransport({ hid, clock: new VirtualClock() });
    const byIds = await t.open({ vendorId: 0x0c2e, productId: 0x0b61 });
    expect(byIds.ok).toBe(true);
    const opened = await t.open({ path: '/dev/hidraw3' });
    if (!opened.ok) throw new Error(opened.error.message);
    const { log } = record(opened.value);
    hid.handles[1]?.emit('data', Buffer.from([2, 1, 0x41]));
    expect(log).toEqual(['data:020141']);
    const sent = await opened.value.sendFeatureReport(Uint8Array.of(0xfe, 0x01));
    expect(sent).toEqual({ ok: true, value: 2 });
    expect(hid.handles[1]?.features).toEqual([[0xfe, 0x01]]);
    await t.close();
    expect(hid.handles.every((h) => h.closed && h.listenerCount('data') === 0)).toBe(true);
    expect(log.at(-1)).toBe('state:closed');
  });

  it('fails to open what is not there, as a value', async () => {
    const hid = new FakeHid();
    const t = new NodeHidTransport({ hid, clock: new VirtualClock() });
    expect(await t.open({ path: '/dev/none' })).toMatchObject({
      ok: false,
      error: { code: 'device.open_failed' },
    });
    hid.devices = [scanner()];
    hid.failOpen = 1;
    expect(await t.open({ path: '/dev/hidraw3' })).toMatchObject({
      ok: false,
      error: { code: 'device.open_failed' },
    });
  });

  it('polls for hot-plug on the clock: attach for present devices, then attach/detach on changes', async () => {
    const hid = new FakeHid();
    hid.devices = [scanner()];
    const clock = new VirtualClock();
    const t = new NodeHidTransport({ hid, clock, pollIntervalMs: 500 });
    const hp = hotplug(t);
    await settle();
    expect(hp.events).toEqual(['attach:/dev/hidraw3']);
    hid.devices = [];
    clock.advanceBy(499);
    await settle();
    expect(hp.events).toHaveLength(1);
    clock.advanceBy(1);
    await settle();
    expect(hp.events).toEqual(['attach:/dev/hidraw3', 'detach:/dev/hidraw3']);
    hid.devices = [scanner('/dev/hidraw5')];
    clock.advanceBy(500);
    await settle();
    expect(hp.events.at(-1)).toBe('attach:/dev/hidraw5');
    // Polling stops with the last listener, and leaves no timer.
    hp.off();
    expect(clock.pendingTimers()).toBe(0);
    const calls = hid.listCalls;
    clock.advanceBy(5000);
    await settle();
    expect(hid.listCalls).toBe(calls);
  });

  it('reopens with exponential backoff after a read error', async () => {
    const hid = new FakeHid();
    hid.devices = [scanner()];
    const clock = new VirtualClock();
    const t = new NodeHidTransport({ hid, clock, backoff: { initialMs: 100, maxMs: 1000, factor: 2 } });
    const opened = await t.open({ path: '/dev/hidraw3' });
    if (!opened.ok) throw new Error(opened.error.message);
    const { log, errors } = record(opened.value);
    hid.failOpen = 2;
    hid.handles[0]?.emit('error', new Error('could not read from HID device'));
    await settle();
    expect(errors).toEqual([
      { code: 'device.io_error', message: 'reading failed: could not read from HID device' },
    ]);
    expect(log).toEqual(['state:lost']);
    expect(hid.handles[0]?.closed).toBe(true);
    // Attempt 1 at +100 fails, attempt 2 at +200 more fails, attempt 3 at +400 more succeeds.
    clock.advanceBy(100);
    await settle();
    expect(hid.handles).toHaveLength(1);
    clock.advanceBy(199);
    await settle();
    expect(hid.failOpen).toBe(1);
    clock.advanceBy(1);
    await settle();
    expect(hid.failOpen).toBe(0);
    expect(log).toEqual(['state:lost']);
    clock.advanceBy(399);
    await settle();
    expect(log).toEqual(['state:lost']);
    clock.advanceBy(1);
    await settle();
    expect(log).toEqual(['state:lost', 'state:open']);
    expect(hid.handles).toHaveLength(2);
    // Data flows from the new handle only.
    hid.handles[0]?.emit('data', Buffer.from([1]));
    hid.handles[1]?.emit('data', Buffer.from([2]));
    expect(log.at(-1)).toBe('data:02');
    await t.close();
    expect(clock.pendingTimers()).toBe(0);
  });

  it('reopens after unplug and replug, on the new path the platform gave the device', async () => {
    const hid = new FakeHid();
    hid.devices = [scanner('/dev/hidraw3')];
    const clock = new VirtualClock();
    const t = new NodeHidTransport({
      hid,
      clock,
      pollIntervalMs: 1000,
      backoff: { initialMs: 250, maxMs: 60_000, factor: 2 },
    });
    const hp = hotplug(t);
    await settle();
    const opened = await t.open({ path: '/dev/hidraw3' });
    if (!opened.ok) throw new Error(opened.error.message);
    const { log, errors } = record(opened.value);

    // Unplug: the poll notices the device gone (no read error needed).
    hid.devices = [];
    clock.advanceBy(1000);
    await settle();
    expect(log).toEqual(['state:lost']);
    expect(errors.map((e) => e.code)).toEqual(['device.io_error']);
    // Retries fail while it is away; the delay grows.
    clock.advanceBy(250 + 500 + 1000);
    await settle();
    expect(log).toEqual(['state:lost']);

    // Plugged in again under another path: the poll sees it and the connection reopens at once.
    hid.devices = [scanner('/dev/hidraw7')];
    clock.advanceTo(4000);
    await settle();
    expect(log).toEqual(['state:lost', 'state:open']);
    expect(opened.value.device.path).toBe('/dev/hidraw7');
    expect(hp.events).toEqual(['attach:/dev/hidraw3', 'detach:/dev/hidraw3', 'attach:/dev/hidraw7']);
    hid.handles.at(-1)?.emit('data', Buffer.from([9]));
    expect(log.at(-1)).toBe('data:09');

    await t.close();
    expect(clock.pendingTimers()).toBe(0);
    expect(hid.handles.every((h) => h.closed)).toBe(true);
  });

  it('stops retrying when closed while the device is lost', async () => {
    const hid = new FakeHid();
    hid.devices = [scanner()];
    const clock = new VirtualClock();
    const t = new NodeHidTransport({ hid, clock });
    const opened = await t.open({ path: '/dev/hidraw3' });
    if (!opened.ok) throw new Error(opened.error.message);
    hid.devices = [];
    hid.handles[0]?.emit('error', new Error('gone'));
    await settle();
    expect(clock.pendingTimers()).toBe(1);
    await opened.value.close();
    expect(clock.pendingTimers()).toBe(0);
    expect((await opened.value.sendFeatureReport(Uint8Array.of(1))).ok).toBe(false);
  });

  it('loads the real node-hid lazily; listing works without devices', async () => {
    const loaded = await loadNodeHid();
    if (!loaded.ok) throw new Error(loaded.error.message);
    const t = new NodeHidTransport({ hid: loaded.value, clock: new VirtualClock() });
    const listed = await t.list();
    expect(listed.ok).toBe(true);
    await t.close();
  });
});

describe('reader manager on node-hid', () => {
  it('replaces a lost serial-less reader that comes back on another path, leaving no retry loop', async () => {
    const hid = new FakeHid();
    const noSerial = { ...scanner('/dev/hidraw3'), serialNumber: undefined };
    hid.devices = [noSerial];
    const clock = new VirtualClock();
    const transport = new NodeHidTransport({ hid, clock, pollIntervalMs: 1000 });
    const manager = new ReaderManager({
      transport,
      profiles: builtinProfiles,
      clock,
      layouts: () => undefined,
    });
    const log: string[] = [];
    manager.on('connected', (r) => log.push(`connected:${r.device.path}`));
    manager.on('disconnected', (r) => log.push(`disconnected:${r.reason}`));
    await manager.start();
    await settle();
    expect(log).toEqual(['connected:/dev/hidraw3']);
    hid.devices = [];
    clock.advanceBy(1000);
    await settle();
    hid.devices = [{ ...noSerial, path: '/dev/hidraw8' }];
    clock.advanceBy(1000);
    await settle();
    expect(log).toEqual(['connected:/dev/hidraw3', 'disconnected:lost', 'connected:/dev/hidraw8']);
    expect(manager.readers().map((r) => [r.device.path, r.connected])).toEqual([['/dev/hidraw8', true]]);
    // Only the poll remains scheduled: the old connection stopped retrying.
    expect(clock.pendingTimers()).toBe(1);
    await manager.close();
    expect(clock.pendingTimers()).toBe(0);
    expect(hid.handles.every((h) => h.closed)).toBe(true);
  });
});
