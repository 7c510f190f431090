/**
 * Simulated readers for `npm start` and end-to-end tests: a document reader that types MRZ lines
 * as USB boot keyboard reports in its layout, and a HID POS barcode scanner. `present()` and
 * `scan()` turn their input into the real report bytes of the device's protocol and deliver them
 * through the same connection → driver path as node-hid; `attach()`/`detach()` simulate hot-plug.
 */
import { aimForSymbology } from '../aim.ts';
import type { Cancel, Clock } from '../clock.ts';
import { encodeHidPosScan } from '../drivers/hid-pos.ts';
import { encodeKeyboardText, type KeyboardCodec } from '../drivers/keyboard.ts';
import { Emitter } from '../emitter.ts';
import { fail, ok, type Result } from '../events.ts';
import type { DeviceProfile } from '../profiles.ts';
import { USAGE_KEYBOARD, USAGE_PAGE_GENERIC_DESKTOP, USAGE_PAGE_POS } from '../profiles.ts';
import type {
  ConnectionEvents,
  HidConnection,
  HidDeviceInfo,
  HidTransport,
  OpenTarget,
  TransportEvents,
} from '../transport.ts';

/** Ids of the simulated devices (vendor 0xFFFF is not assigned to any manufacturer). */
export const SIMULATED_VENDOR_ID = 0xffff;

export const simulatedDocumentReader: HidDeviceInfo = {
  vendorId: SIMULATED_VENDOR_ID,
  productId: 0x0001,
  usagePage: USAGE_PAGE_GENERIC_DESKTOP,
  usage: USAGE_KEYBOARD,
  path: 'sim:document-reader',
  manufacturer: 'Serviceterminal',
  product: 'Simulated document reader',
  serial: 'SIM-DOC-1',
};

export const simulatedBarcodeScanner: HidDeviceInfo = {
  vendorId: SIMULATED_VENDOR_ID,
  productId: 0x0002,
  usagePage: USAGE_PAGE_POS,
  usage: 0x02,
  path: 'sim:barcode-scanner',
  manufacturer: 'Serviceterminal',
  product: 'Simulated barcode scanner',
  serial: 'SIM-SCAN-1',
};

/** The profile of the simulated document reader (the scanner matches the built-in HID POS one). */
export function simulatorProfiles(layout: string): DeviceProfile[] {
  return [
    {
      id: 'simulated-document-reader',
      name: 'Simulated document reader (keyboard mode)',
      match: { vendorId: SIMULATED_VENDOR_ID, productId: simulatedDocumentReader.productId },
      driver: 'keyboard',
      mode: 'mrz',
      layout,
    },
  ];
}

export type SimulatedDevice = 'document-reader' | 'barcode-scanner';

export interface SimulatorOptions {
  readonly clock: Clock;
  /** The layout the simulated document reader types in. */
  readonly codec: KeyboardCodec;
  /** Time between two reports; 0 delivers a whole scan at once (default 0). */
  readonly reportIntervalMs?: number;
  /** Which devices are plugged in at the start (default both). */
  readonly attached?: readonly SimulatedDevice[];
}

const infoOf: Record<SimulatedDevice, HidDeviceInfo> = {
  'document-reader': simulatedDocumentReader,
  'barcode-scanner': simulatedBarcodeScanner,
};

export class SimulatorTransport implements HidTransport {
  readonly kind = 'simulator';
  readonly #options: SimulatorOptions;
  readonly #events = new Emitter<TransportEvents>();
  readonly #attached: Set<SimulatedDevice>;
  readonly #connections = new Set<SimulatedConnection>();
  #closed = false;

  constructor(options: SimulatorOptions) {
    this.#options = options;
    this.#attached = new Set(options.attached ?? ['document-reader', 'barcode-scanner']);
  }

  async list(): Promise<Result<HidDeviceInfo[]>> {
    return ok([...this.#attached].map((d) => infoOf[d]));
  }

  async open(target: OpenTarget): Promise<Result<HidConnection>> {
    if (this.#closed) return fail('device.open_failed', 'the simulator is closed');
    const name = [...this.#attached].find((d) => {
      const info = infoOf[d];
      return 'path' in target
        ? info.path === target.path
        : info.vendorId === target.vendorId && info.productId === target.productId;
    });
    if (!name) return fail('device.open_failed', 'no such simulated device is attached');
    const connection = new SimulatedConnection(name, this.#options, (c) => this.#connections.delete(c));
    this.#connections.add(connection);
    return ok(connection);
  }

  on<K extends keyof TransportEvents>(name: K, listener: (value: TransportEvents[K]) => void): () => void {
    return this.#events.on(name, listener);
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#events.removeAll();
    await Promise.all([...this.#connections].map((c) => c.close()));
  }

  /** Plugs a simulated device in; connections opened on it before resume delivering. */
  attach(device: SimulatedDevice): void {
    if (this.#closed || this.#attached.has(device)) return;
    this.#attached.add(device);
    for (const c of this.#connections) if (c.name === device) c.reattached();
    this.#events.emit('attach', infoOf[device]);
  }

  /** Unplugs a simulated device: its connections report an error and `state: lost`. */
  detach(device: SimulatedDevice): void {
    if (this.#closed || !this.#attached.delete(device)) return;
    for (const c of this.#connections) if (c.name === device) c.lost();
    this.#events.emit('detach', infoOf[device]);
  }

  isAttached(device: SimulatedDevice): boolean {
    return this.#attached.has(device);
  }

  /** The document reader reads a document: its MRZ lines typed as keyboard reports, Enter after each. */
  present(kind: 'mrz', lines: readonly string[]): Result<void> {
    if (kind !== 'mrz') return fail('device.bad_line', 'the simulated document reader reads MRZ only');
    const encoded = encodeKeyboardText(lines.map((l) => `${l}\n`).join(''), this.#options.codec);
    if (!encoded.ok) return encoded;
    return this.feed('document-reader', encoded.value);
  }

  /** The scanner reads a barcode: AIM identifier (from a symbology name or given) + text as HID POS reports. */
  scan(text: string, symbology = 'qr'): Result<void> {
    const aim = aimForSymbology(symbology);
    if (!aim) return fail('device.bad_symbology', `unknown symbology "${symbology}"`);
    return this.feed('barcode-scanner', encodeHidPosScan(aim, text));
  }

  /** Delivers raw reports from a simulated device to every open connection on it. */
  feed(device: SimulatedDevice, reports: readonly Uint8Array[]): Result<void> {
    if (!this.#attached.has(device))
      return fail('device.io_error', `the simulated ${device} is not attached`);
    const targets = [...this.#connections].filter((c) => c.name === device);
    if (targets.length === 0) return fail('device.io_error', `nothing has the simulated ${device} open`);
    for (const c of targets) c.deliver(reports, this.#options.reportIntervalMs ?? 0);
    return ok(undefined);
  }
}

class SimulatedConnection implements HidConnection {
  readonly name: SimulatedDevice;
  readonly device: HidDeviceInfo;
  readonly #events = new Emitter<ConnectionEvents>();
  readonly #clock: Clock;
  readonly #forget: (c: SimulatedConnection) => void;
  readonly #timers = new Set<Cancel>();
  #state: 'open' | 'lost' | 'closed' = 'open';
  readonly featureReports: Uint8Array[] = [];

  constructor(name: SimulatedDevice, options: SimulatorOptions, forget: (c: SimulatedConnection) => void) {
    this.name = name;
    this.device = infoOf[name];
    this.#clock = options.clock;
    this.#forget = forget;
  }

  on<K extends keyof ConnectionEvents>(name: K, listener: (value: ConnectionEvents[K]) => void): () => void {
    return this.#events.on(name, listener);
  }

  async sendFeatureReport(data: Uint8Array): Promise<Result<number>> {
    if (this.#state !== 'open') return fail('device.feature_report_failed', 'the device is not open');
    this.featureReports.push(data.slice());
    return ok(data.length);
  }

  async close(): Promise<void> {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    this.#cancelTimers();
    this.#forget(this);
    this.#events.emit('state', 'closed');
    this.#events.removeAll();
  }

  lost(): void {
    if (this.#state !== 'open') return;
    this.#state = 'lost';
    this.#cancelTimers();
    this.#events.emit('error', { code: 'device.io_error', message: 'the device was unplugged' });
    this.#events.emit('state', 'lost');
  }

  reattached(): void {
    if (this.#state !== 'lost') return;
    this.#state = 'open';
    this.#events.emit('state', 'open');
  }

  deliver(reports: readonly Uint8Array[], intervalMs: number): void {
    if (this.#state !== 'open') return;
    if (intervalMs <= 0) {
      for (const r of reports) if (this.#state === 'open') this.#events.emit('data', r);
      return;
    }
    let index = 0;
    const next = (): void => {
      const report = reports[index++];
      if (!report || this.#state !== 'open') return;
      const cancel = this.#clock.setTimer(intervalMs, () => {
        this.#timers.delete(cancel);
        this.#events.emit('data', report);
        next();
      });
      this.#timers.add(cancel);
    };
    next();
  }

  #cancelTimers(): void {
    for (const cancel of this.#timers) cancel();
    this.#timers.clear();
  }
}
