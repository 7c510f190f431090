/**
 * node-hid transport (async API). The HID module is a constructor argument: the field passes the
 * real one from `loadNodeHid()` (a dynamic import, so replay-only code never loads the native
 * module), tests pass a fake with the same shape.
 *
 * Hot-plug by polling `devicesAsync()` on the injected clock. A connection that fails or whose
 * device disappears emits `error` and `state: lost`, then reopens itself with exponential backoff
 * (immediately when the poll sees the device again), on its old path or, when the platform gave
 * the device a new path, on the device with the same ids and serial number.
 */
import type { Cancel, Clock } from '../clock.ts';
import { Emitter } from '../emitter.ts';
import { type DeviceError, fail, ok, type Result } from '../events.ts';
import type {
  ConnectionEvents,
  HidConnection,
  HidDeviceInfo,
  HidTransport,
  OpenTarget,
  TransportEvents,
} from '../transport.ts';
import { sameDevice } from '../transport.ts';

/** A device as `devicesAsync()` lists it. */
export interface NodeHidDeviceRecord {
  vendorId: number;
  productId: number;
  path?: string | undefined;
  serialNumber?: string | undefined;
  manufacturer?: string | undefined;
  product?: string | undefined;
  interface: number;
  usagePage?: number | undefined;
  usage?: number | undefined;
}

/** The part of an `HIDAsync` handle this transport uses. */
export interface NodeHidHandle {
  on(event: 'data', listener: (data: Buffer) => void): unknown;
  on(event: 'error', listener: (error: unknown) => void): unknown;
  removeAllListeners(): unknown;
  close(): Promise<void>;
  sendFeatureReport(data: number[] | Buffer): Promise<number>;
}

/** The part of the node-hid module this transport uses. */
export interface NodeHidModule {
  devicesAsync(): Promise<NodeHidDeviceRecord[]>;
  HIDAsync: {
    open(path: string): Promise<NodeHidHandle>;
    open(vendorId: number, productId: number): Promise<NodeHidHandle>;
  };
}

/** Loads node-hid on demand. Fails (as a value) where the native module cannot load. */
export async function loadNodeHid(): Promise<Result<NodeHidModule>> {
  try {
    const mod = await import('node-hid');
    const hid = (mod as { default?: NodeHidModule }).default ?? (mod as unknown as NodeHidModule);
    return ok(hid);
  } catch (e) {
    return fail('device.list_failed', `node-hid could not be loaded: ${errorText(e)}`);
  }
}

export interface BackoffOptions {
  readonly initialMs: number;
  readonly maxMs: number;
  readonly factor: number;
}

export interface NodeHidTransportOptions {
  readonly hid: NodeHidModule;
  readonly clock: Clock;
  /** Hot-plug poll interval (default 1000 ms). */
  readonly pollIntervalMs?: number;
  /** Reopen delays after a device is lost (default 250 ms doubling up to 10 s). */
  readonly backoff?: BackoffOptions;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export function toDeviceInfo(d: NodeHidDeviceRecord): HidDeviceInfo | undefined {
  if (!d.path) return undefined;
  return {
    vendorId: d.vendorId,
    productId: d.productId,
    path: d.path,
    interface: d.interface,
    ...(d.usagePage === undefined ? {} : { usagePage: d.usagePage }),
    ...(d.usage === undefined ? {} : { usage: d.usage }),
    ...(d.product ? { product: d.product } : {}),
    ...(d.manufacturer ? { manufacturer: d.manufacturer } : {}),
    ...(d.serialNumber ? { serial: d.serialNumber } : {}),
  };
}

const defaultBackoff: BackoffOptions = { initialMs: 250, maxMs: 10_000, factor: 2 };

export class NodeHidTransport implements HidTransport {
  readonly kind = 'node-hid';
  readonly #hid: NodeHidModule;
  readonly #clock: Clock;
  readonly #pollMs: number;
  readonly #backoff: BackoffOptions;
  readonly #events = new Emitter<TransportEvents>();
  readonly #connections = new Set<NodeHidConnection>();
  /** Devices the last poll saw, by path. */
  #known = new Map<string, HidDeviceInfo>();
  #pollTimer: Cancel | undefined;
  #polling = false;
  #closed = false;

  constructor(options: NodeHidTransportOptions) {
    this.#hid = options.hid;
    this.#clock = options.clock;
    this.#pollMs = options.pollIntervalMs ?? 1000;
    this.#backoff = options.backoff ?? defaultBackoff;
  }

  async list(): Promise<Result<HidDeviceInfo[]>> {
    try {
      const devices = await this.#hid.devicesAsync();
      return ok(devices.flatMap((d) => toDeviceInfo(d) ?? []));
    } catch (e) {
      return fail('device.list_failed', `listing HID devices failed: ${errorText(e)}`);
    }
  }

  async open(target: OpenTarget): Promise<Result<HidConnection>> {
    if (this.#closed) return fail('device.open_failed', 'the transport is closed');
    let info: HidDeviceInfo | undefined;
    const listed = await this.list();
    if (listed.ok) {
      info = listed.value.find((d) =>
        'path' in target
          ? d.path === target.path
          : d.vendorId === target.vendorId && d.productId === target.productId,
      );
    }
    if (!info) return fail('device.open_failed', 'no such HID device is attached');
    let handle: NodeHidHandle;
    try {
      handle = await this.#hid.HIDAsync.open(info.path);
    } catch (e) {
      return fail('device.open_failed', `opening the HID device failed: ${errorText(e)}`);
    }
    if (this.#closed) {
      await handle.close().catch(() => undefined);
      return fail('device.open_failed', 'the transport is closed');
    }
    const connection = new NodeHidConnection(info, handle, {
      hid: this.#hid,
      clock: this.#clock,
      backoff: this.#backoff,
      list: () => this.list(),
      forget: (c) => this.#connections.delete(c),
    });
    this.#connections.add(connection);
    return ok(connection);
  }

  on<K extends keyof TransportEvents>(name: K, listener: (value: TransportEvents[K]) => void): () => void {
    const off = this.#events.on(name, listener);
    if (!this.#closed && !this.#polling) {
      this.#polling = true;
      void this.#poll();
    }
    return () => {
      off();
      if (this.#events.listenerCount() === 0) this.#stopPolling();
    };
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#stopPolling();
    this.#events.removeAll();
    await Promise.all([...this.#connections].map((c) => c.close()));
  }

  /** For tests and status: whether a poll timer is scheduled. */
  get watching(): boolean {
    return this.#polling;
  }

  #stopPolling(): void {
    this.#polling = false;
    this.#pollTimer?.();
    this.#pollTimer = undefined;
  }

  async #poll(): Promise<void> {
    const listed = await this.list();
    if (!this.#polling) return;
    if (listed.ok) {
      const seen = new Map(listed.value.map((d) => [d.path, d]));
      const gone = [...this.#known.values()].filter((d) => !seen.has(d.path));
      const added = listed.value.filter((d) => !this.#known.has(d.path));
      this.#known = seen;
      for (const d of gone) {
        for (const c of this.#connections) c.deviceDetached(d);
        this.#events.emit('detach', d);
      }
      for (const d of added) {
        this.#events.emit('attach', d);
        for (const c of this.#connections) c.deviceAttached(d);
      }
    }
    if (!this.#polling) return;
    this.#pollTimer = this.#clock.setTimer(this.#pollMs, () => {
      this.#pollTimer = undefined;
      void this.#poll();
    });
  }
}

interface ConnectionDeps {
  readonly hid: NodeHidModule;
  readonly clock: Clock;
  readonly backoff: BackoffOptions;
  list(): Promise<Result<HidDeviceInfo[]>>;
  forget(connection: NodeHidConnection): void;
}

class NodeHidConnection implements HidConnection {
  readonly #events = new Emitter<ConnectionEvents>();
  readonly #deps: ConnectionDeps;
  #device: HidDeviceInfo;
  #handle: NodeHidHandle | undefined;
  #state: 'open' | 'lost' | 'closed' = 'open';
  #delay: number;
  #retryTimer: Cancel | undefined;
  #attempting = false;
  /** The device came back while an attempt was running: try again at once if that one fails. */
  #retryNow = false;

  constructor(device: HidDeviceInfo, handle: NodeHidHandle, deps: ConnectionDeps) {
    this.#device = device;
    this.#deps = deps;
    this.#delay = deps.backoff.initialMs;
    this.#attach(handle);
  }

  get device(): HidDeviceInfo {
    return this.#device;
  }

  on<K extends keyof ConnectionEvents>(name: K, listener: (value: ConnectionEvents[K]) => void): () => void {
    return this.#events.on(name, listener);
  }

  async sendFeatureReport(data: Uint8Array): Promise<Result<number>> {
    const handle = this.#handle;
    if (!handle || this.#state !== 'open')
      return fail('device.feature_report_failed', 'the device is not open');
    try {
      return ok(await handle.sendFeatureReport(Buffer.from(data)));
    } catch (e) {
      return fail('device.feature_report_failed', `sending a feature report failed: ${errorText(e)}`);
    }
  }

  async close(): Promise<void> {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    this.#retryTimer?.();
    this.#retryTimer = undefined;
    const handle = this.#handle;
    this.#handle = undefined;
    this.#deps.forget(this);
    if (handle) await this.#release(handle);
    this.#events.emit('state', 'closed');
    this.#events.removeAll();
  }

  /** The poll no longer lists a device: if it is ours, it is lost. */
  deviceDetached(d: HidDeviceInfo): void {
    if (this.#state === 'open' && d.path === this.#device.path) {
      this.#lose({ code: 'device.io_error', message: 'the device was unplugged' });
    }
  }

  /** The poll lists a new device: if it is ours coming back, reopen now instead of waiting. */
  deviceAttached(d: HidDeviceInfo): void {
    if (this.#state === 'lost' && sameDevice(this.#device, d)) {
      if (this.#attempting) {
        this.#retryNow = true;
        return;
      }
      this.#retryTimer?.();
      this.#retryTimer = undefined;
      void this.#reopen();
    }
  }

  #attach(handle: NodeHidHandle): void {
    this.#handle = handle;
    handle.on('data', (data) => {
      if (this.#handle === handle) this.#events.emit('data', new Uint8Array(data));
    });
    handle.on('error', (e) => {
      if (this.#handle === handle)
        this.#lose({ code: 'device.io_error', message: `reading failed: ${errorText(e)}` });
    });
  }

  async #release(handle: NodeHidHandle): Promise<void> {
    handle.removeAllListeners();
    // A handle whose device vanished may refuse to close; it is dropped either way.
    await handle.close().catch(() => undefined);
  }

  #lose(error: DeviceError): void {
    if (this.#state !== 'open') return;
    this.#state = 'lost';
    const handle = this.#handle;
    this.#handle = undefined;
    if (handle) void this.#release(handle);
    this.#delay = this.#deps.backoff.initialMs;
    this.#events.emit('error', error);
    this.#events.emit('state', 'lost');
    this.#scheduleRetry();
  }

  #scheduleRetry(): void {
    if (this.#state !== 'lost') return;
    if (this.#retryNow) {
      this.#retryNow = false;
      this.#retryTimer = this.#deps.clock.setTimer(0, () => {
        this.#retryTimer = undefined;
        void this.#reopen();
      });
      return;
    }
    const delay = this.#delay;
    this.#delay = Math.min(this.#delay * this.#deps.backoff.factor, this.#deps.backoff.maxMs);
    this.#retryTimer = this.#deps.clock.setTimer(delay, () => {
      this.#retryTimer = undefined;
      void this.#reopen();
    });
  }

  async #reopen(): Promise<void> {
    if (this.#state !== 'lost' || this.#attempting) return;
    this.#attempting = true;
    try {
      const listed = await this.#deps.list();
      const found = listed.ok ? listed.value.find((d) => sameDevice(this.#device, d)) : undefined;
      if (!found) return this.#scheduleRetry();
      let handle: NodeHidHandle;
      try {
        handle = await this.#deps.hid.HIDAsync.open(found.path);
      } catch {
        return this.#scheduleRetry();
      }
      if (this.#state !== 'lost') {
        await this.#release(handle);
        return;
      }
      this.#device = found;
      this.#state = 'open';
      this.#delay = this.#deps.backoff.initialMs;
      this.#attach(handle);
      this.#events.emit('state', 'open');
    } finally {
      this.#attempting = false;
    }
  }
}
