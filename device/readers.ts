/**
 * The reader manager: opens every device a profile matches (present at start and plugged in
 * later), wires each connection to its driver, and reports connected, disconnected, read and error
 * events. It owns the transport it is given: `close()` disposes drivers, connections, hot-plug
 * polling and listeners, and leaves no timer behind.
 */
import type { Clock } from '../common/clock.ts';
import type { BarcodeRead, MrzRead, ReadError, ReaderEvent } from '../common/reads.ts';
import { createHidPosDriver, HID_POS_ENABLE_FEATURE_REPORT } from './drivers/hid-pos.ts';
import { createKeyboardDriver } from './drivers/keyboard.ts';
import { Emitter } from './emitter.ts';
import type { Driver } from './events.ts';
import type { KeyboardCodec } from './keyboard-codec.ts';
import { type DeviceProfile, matchProfile } from './profiles.ts';
import {
  deviceIdOf,
  type HidConnection,
  type HidDeviceInfo,
  type HidTransport,
  sameDevice,
} from './transport.ts';

export interface ReaderInfo {
  readonly deviceId: string;
  readonly device: HidDeviceInfo;
  readonly profile: DeviceProfile;
  readonly connected: boolean;
}

export interface ReaderManagerEvents {
  connected: ReaderInfo;
  disconnected: { readonly deviceId: string; readonly reason: 'lost' | 'closed' };
  read: MrzRead | BarcodeRead;
  error: ReadError;
}

export interface ReaderManagerOptions {
  readonly transport: HidTransport;
  /** Administrators' profiles first, then the built-in ones. */
  readonly profiles: readonly DeviceProfile[];
  readonly clock: Clock;
  /** Keyboard layouts by id (`keyboardCodec` of ./keyboard-codec.ts, handed in by the host). */
  readonly layouts: (id: string) => KeyboardCodec | undefined;
  readonly defaultLayout?: string;
  readonly isCompleteDocument?: (lines: readonly string[]) => boolean;
  readonly hidPosContinuationTimeoutMs?: number;
}

interface Entry {
  readonly deviceId: string;
  readonly profile: DeviceProfile;
  readonly connection: HidConnection;
  readonly driver: Driver;
  readonly unsubscribe: Array<() => void>;
  connected: boolean;
}

export function createDriver(
  profile: DeviceProfile,
  deviceId: string,
  options: Pick<
    ReaderManagerOptions,
    'clock' | 'layouts' | 'defaultLayout' | 'isCompleteDocument' | 'hidPosContinuationTimeoutMs'
  >,
  onEvent: (event: ReaderEvent) => void,
): Driver | ReadError {
  if (profile.driver === 'hid-pos') {
    return createHidPosDriver({
      deviceId,
      clock: options.clock,
      onEvent,
      mode: profile.mode,
      ...(options.isCompleteDocument === undefined ? {} : { isCompleteDocument: options.isCompleteDocument }),
      ...(options.hidPosContinuationTimeoutMs === undefined
        ? {}
        : { continuationTimeoutMs: options.hidPosContinuationTimeoutMs }),
    });
  }
  const layout = profile.layout ?? options.defaultLayout ?? 'en-US';
  const codec = options.layouts(layout);
  if (!codec) {
    return {
      kind: 'error',
      code: 'device.open_failed',
      message: `unknown keyboard layout "${layout}"`,
      deviceId,
    };
  }
  return createKeyboardDriver({
    deviceId,
    clock: options.clock,
    onEvent,
    codec,
    mode: profile.mode,
    ...(profile.reportId === undefined ? {} : { reportId: profile.reportId }),
    ...(profile.windowMs === undefined ? {} : { windowMs: profile.windowMs }),
    ...(options.isCompleteDocument === undefined ? {} : { isCompleteDocument: options.isCompleteDocument }),
  });
}

export class ReaderManager {
  readonly #options: ReaderManagerOptions;
  readonly #events = new Emitter<ReaderManagerEvents>();
  readonly #entries = new Map<string, Entry>();
  /** Devices being opened right now, by path (an attach event during start must not open twice). */
  readonly #opening = new Map<string, Promise<void>>();
  #unsubscribe: Array<() => void> = [];
  #closed = false;

  constructor(options: ReaderManagerOptions) {
    this.#options = options;
  }

  on<K extends keyof ReaderManagerEvents>(
    name: K,
    listener: (value: ReaderManagerEvents[K]) => void,
  ): () => void {
    return this.#events.on(name, listener);
  }

  /** Opens the matching devices present now and follows hot-plug from then on. */
  async start(): Promise<void> {
    if (this.#closed) return;
    this.#unsubscribe.push(this.#options.transport.on('attach', (d) => void this.#consider(d)));
    const listed = await this.#options.transport.list();
    if (!listed.ok) {
      this.#events.emit('error', { kind: 'error', ...listed.error, deviceId: 'transport' });
      return;
    }
    await Promise.all(listed.value.map((d) => this.#consider(d)));
  }

  readers(): ReaderInfo[] {
    return [...this.#entries.values()].map((e) => ({
      deviceId: e.deviceId,
      device: e.connection.device,
      profile: e.profile,
      connected: e.connected,
    }));
  }

  /** Listeners and handles still held (0 after `close()`), for leak checks. */
  activeHandles(): number {
    return this.#entries.size + this.#opening.size + this.#unsubscribe.length + this.#events.listenerCount();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const off of this.#unsubscribe) off();
    this.#unsubscribe = [];
    await Promise.all([...this.#opening.values()]);
    await Promise.all([...this.#entries.values()].map((e) => this.#dispose(e)));
    await this.#options.transport.close();
    this.#events.removeAll();
  }

  async #consider(device: HidDeviceInfo): Promise<void> {
    if (this.#closed || this.#opening.has(device.path)) return;
    for (const e of this.#entries.values()) if (sameDevice(e.connection.device, device)) return;
    const profile = matchProfile(device, this.#options.profiles);
    if (!profile) return;
    // A reader without a serial number that comes back on another path cannot be told from a
    // new one: give up the lost connection that still waits for the old path.
    for (const e of [...this.#entries.values()]) {
      const d = e.connection.device;
      if (
        !e.connected &&
        !d.serial &&
        d.vendorId === device.vendorId &&
        d.productId === device.productId &&
        d.usagePage === device.usagePage &&
        d.usage === device.usage
      ) {
        await this.#dispose(e);
      }
    }
    if (this.#closed || this.#opening.has(device.path)) return;
    const opening = this.#open(device, profile).finally(() => this.#opening.delete(device.path));
    this.#opening.set(device.path, opening);
    await opening;
  }

  async #open(device: HidDeviceInfo, profile: DeviceProfile): Promise<void> {
    const deviceId = deviceIdOf(device);
    const opened = await this.#options.transport.open({ path: device.path });
    if (!opened.ok) {
      if (!this.#closed) this.#events.emit('error', { kind: 'error', ...opened.error, deviceId });
      return;
    }
    const connection = opened.value;
    if (this.#closed) {
      await connection.close();
      return;
    }
    const driver = createDriver(profile, deviceId, this.#options, (event) => {
      if (event.kind === 'error') this.#events.emit('error', event);
      else this.#events.emit('read', event);
    });
    if ('kind' in driver) {
      this.#events.emit('error', driver);
      await connection.close();
      return;
    }
    const entry: Entry = { deviceId, profile, connection, driver, unsubscribe: [], connected: true };
    this.#entries.set(deviceId, entry);
    entry.unsubscribe.push(
      connection.on('data', (report) => driver.push(report)),
      connection.on('error', (error) => this.#events.emit('error', { kind: 'error', ...error, deviceId })),
      connection.on('state', (state) => this.#state(entry, state)),
    );
    this.#events.emit('connected', this.#info(entry));
    if (profile.enableHidPos) await this.#enableHidPos(entry);
  }

  async #enableHidPos(entry: Entry): Promise<void> {
    const sent = await entry.connection.sendFeatureReport(HID_POS_ENABLE_FEATURE_REPORT);
    if (!sent.ok && !this.#closed)
      this.#events.emit('error', { kind: 'error', ...sent.error, deviceId: entry.deviceId });
  }

  #state(entry: Entry, state: 'open' | 'lost' | 'closed'): void {
    if (state === 'lost' && entry.connected) {
      entry.connected = false;
      entry.driver.flush();
      this.#events.emit('disconnected', { deviceId: entry.deviceId, reason: 'lost' });
    } else if (state === 'open' && !entry.connected) {
      entry.connected = true;
      this.#events.emit('connected', this.#info(entry));
      if (entry.profile.enableHidPos) void this.#enableHidPos(entry);
    } else if (state === 'closed' && !this.#closed) {
      // The device side ended the connection (end of a replay): finish what is half-read.
      entry.driver.flush();
      void this.#dispose(entry);
    }
  }

  async #dispose(entry: Entry): Promise<void> {
    if (!this.#entries.delete(entry.deviceId)) return;
    for (const off of entry.unsubscribe) off();
    entry.driver.dispose();
    await entry.connection.close();
    if (entry.connected) this.#events.emit('disconnected', { deviceId: entry.deviceId, reason: 'closed' });
  }

  #info(entry: Entry): ReaderInfo {
    return {
      deviceId: entry.deviceId,
      device: entry.connection.device,
      profile: entry.profile,
      connected: entry.connected,
    };
  }
}
