/**
 * Capture replay: a file of JSON lines `{"t": <ms since start>, "report": "<hex>"}`, each report
 * exactly as node-hid delivered it, fed to one simulated device with its original timing on the
 * injected clock (a `VirtualClock` replays without waiting). The connection opens, delivers every
 * report, then reports `state: closed`.
 */
import type { Cancel, Clock } from '../clock.ts';
import { Emitter } from '../emitter.ts';
import { fail, ok, type Result } from '../events.ts';
import type {
  ConnectionEvents,
  HidConnection,
  HidDeviceInfo,
  HidTransport,
  OpenTarget,
  TransportEvents,
} from '../transport.ts';
import { bytesToHex, hexToBytes } from '../transport.ts';

export interface CaptureEntry {
  readonly t: number;
  readonly report: Uint8Array;
}

export interface CaptureError {
  readonly code: 'device.bad_capture';
  readonly message: string;
  /** 1-based line number in the file. */
  readonly line: number;
}

/** Parses a capture file. Blank lines are skipped; times must not go backwards. */
export function parseCapture(text: string): Result<CaptureEntry[], CaptureError> {
  const entries: CaptureEntry[] = [];
  const lines = text.split(/\r?\n/);
  let last = 0;
  for (const [i, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === '') continue;
    const bad = (message: string): Result<CaptureEntry[], CaptureError> => ({
      ok: false,
      error: { code: 'device.bad_capture', message: `line ${i + 1}: ${message}`, line: i + 1 },
    });
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      return bad('not JSON');
    }
    if (typeof value !== 'object' || value === null) return bad('not an object');
    const { t, report } = value as { t?: unknown; report?: unknown };
    if (typeof t !== 'number' || !Number.isFinite(t) || t < 0) return bad('"t" must be a number of ms >= 0');
    if (t < last) return bad('"t" goes backwards');
    if (typeof report !== 'string') return bad('"report" must be a hex string');
    const bytes = hexToBytes(report);
    if (!bytes) return bad('"report" is not valid hex');
    last = t;
    entries.push({ t, report: bytes });
  }
  return { ok: true, value: entries };
}

export function formatCaptureLine(entry: CaptureEntry): string {
  return JSON.stringify({ t: entry.t, report: bytesToHex(entry.report) });
}

export const replayDevice: HidDeviceInfo = {
  vendorId: 0,
  productId: 0,
  path: 'replay',
  product: 'capture replay',
};

export interface ReplayTransportOptions {
  readonly capture: readonly CaptureEntry[];
  readonly clock: Clock;
  /** How the replayed device presents itself (ids, usage page) for profile matching. */
  readonly device?: HidDeviceInfo;
}

export class ReplayTransport implements HidTransport {
  readonly kind = 'replay';
  readonly #options: ReplayTransportOptions;
  readonly #device: HidDeviceInfo;
  readonly #events = new Emitter<TransportEvents>();
  readonly #connections = new Set<ReplayConnection>();
  readonly #done: Promise<void>;
  #resolveDone!: () => void;
  #closed = false;

  constructor(options: ReplayTransportOptions) {
    this.#options = options;
    this.#device = options.device ?? replayDevice;
    this.#done = new Promise((resolve) => {
      this.#resolveDone = resolve;
    });
  }

  /** Resolves when an opened replay has delivered its last report (or was closed). */
  get done(): Promise<void> {
    return this.#done;
  }

  async list(): Promise<Result<HidDeviceInfo[]>> {
    return ok(this.#closed ? [] : [this.#device]);
  }

  async open(target: OpenTarget): Promise<Result<HidConnection>> {
    const d = this.#device;
    const hit =
      'path' in target
        ? target.path === d.path
        : target.vendorId === d.vendorId && target.productId === d.productId;
    if (this.#closed || !hit) return fail('device.open_failed', 'no such device in this replay');
    if (this.#connections.size > 0) return fail('device.open_failed', 'the replay is already open');
    const connection = new ReplayConnection(d, this.#options, () => {
      this.#connections.delete(connection);
      this.#resolveDone();
    });
    this.#connections.add(connection);
    connection.start();
    return ok(connection);
  }

  on<K extends keyof TransportEvents>(name: K, listener: (value: TransportEvents[K]) => void): () => void {
    return this.#events.on(name, listener);
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#events.removeAll();
    await Promise.all([...this.#connections].map((c) => c.close()));
    this.#resolveDone();
  }
}

class ReplayConnection implements HidConnection {
  readonly device: HidDeviceInfo;
  readonly #events = new Emitter<ConnectionEvents>();
  readonly #options: ReplayTransportOptions;
  readonly #ended: () => void;
  #index = 0;
  #start = 0;
  #timer: Cancel | undefined;
  #closed = false;

  constructor(device: HidDeviceInfo, options: ReplayTransportOptions, ended: () => void) {
    this.device = device;
    this.#options = options;
    this.#ended = ended;
  }

  start(): void {
    this.#start = this.#options.clock.now();
    this.#scheduleNext();
  }

  on<K extends keyof ConnectionEvents>(name: K, listener: (value: ConnectionEvents[K]) => void): () => void {
    return this.#events.on(name, listener);
  }

  async sendFeatureReport(data: Uint8Array): Promise<Result<number>> {
    if (this.#closed) return fail('device.feature_report_failed', 'the replay is closed');
    return ok(data.length);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#timer?.();
    this.#timer = undefined;
    this.#events.emit('state', 'closed');
    this.#events.removeAll();
    this.#ended();
  }

  /** One timer at a time: the next report is scheduled when the one before has been delivered. */
  #scheduleNext(): void {
    if (this.#closed) return;
    const entry = this.#options.capture[this.#index];
    if (!entry) {
      void this.close();
      return;
    }
    const clock = this.#options.clock;
    this.#timer = clock.setTimer(this.#start + entry.t - clock.now(), () => {
      this.#timer = undefined;
      this.#index++;
      this.#events.emit('data', entry.report);
      this.#scheduleNext();
    });
  }
}
