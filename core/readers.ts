import type { MrzDocument, ReaderStatus, ReadKind, WedgeRead } from '../api/contract.ts';
import type { AdminRead } from '../api/staff.ts';
import type { Clock } from '../common/clock.ts';
import { isKeyboardLayoutId } from '../common/keyboard-layouts.ts';
import type { BarcodeRead, MrzRead } from '../common/reads.ts';
import { keyboardCodec } from '../device/keyboard-codec.ts';
import type { MrzResult } from '../device/mrz/index.ts';
import { classifyMrzLines, parseMrz } from '../device/mrz/index.ts';
import type { DeviceProfile } from '../device/profiles.ts';
import { type ReaderInfo, ReaderManager } from '../device/readers.ts';
import type { HidTransport } from '../device/transport.ts';
import type { EventBus } from './events.ts';
import type { Logger } from './log.ts';
import type { SessionService } from './session.ts';

/** What a visitor screen learns of a document: fields and verdicts, never the raw lines. */
export function toMrzDocument(result: MrzResult): MrzDocument {
  return {
    valid: result.valid,
    format: result.format,
    documentCode: result.documentCode,
    issuingState: result.issuingState,
    documentNumber: result.documentNumber,
    nationality: result.nationality,
    birthDate: result.birthDate,
    expiryDate: result.expiryDate,
    sex: result.sex,
    lastName: result.lastName,
    firstNames: result.firstNames,
    errors: result.errors.map((e) => e.code),
    warnings: result.warnings.map((w) => w.code),
    suggestions: result.suggestions.map((s) => ({ field: s.field, value: s.value })),
  };
}

export interface ReaderServiceDeps {
  /** Opens the HID transport: node-hid in the field, the simulator for `npm start` and tests. */
  openTransport: () => Promise<HidTransport | { error: string }>;
  /** Administrators' profiles first, then the built-in ones. */
  profiles: readonly DeviceProfile[];
  defaultLayout: string;
  clock: Clock;
  events: EventBus;
  sessions: SessionService;
  log: Logger;
}

/**
 * Connects the readers to the visitor's session. A read goes to the session step that asked for
 * its kind (`reader.expect`) and is dropped everywhere else: a passport laid on the reader on the
 * menu screen, or between two visitors, reaches no one.
 */
export class ReaderService {
  readonly #deps: ReaderServiceDeps;
  readonly #expected = new Set<ReadKind>();
  readonly #unsubscribe: Array<() => void> = [];
  #manager: ReaderManager | null = null;
  #simulated = false;
  #ignored = 0;
  #closed = false;
  /** A staff sign-in waits for a badge: the next barcode goes there and nowhere else. */
  #badgeCapture: ((code: string) => void) | null = null;
  readonly #watchers = new Set<(read: AdminRead) => void>();

  constructor(deps: ReaderServiceDeps) {
    this.#deps = deps;
    this.#unsubscribe.push(deps.sessions.onForget(() => this.#expected.clear()));
  }

  async start(): Promise<void> {
    const transport = await this.#deps.openTransport();
    if ('error' in transport) {
      this.#deps.log.error('readers.unavailable', { reason: transport.error });
      return;
    }
    if (this.#closed) {
      await transport.close();
      return;
    }
    this.#simulated = transport.kind === 'simulator';
    const { clock, events } = this.#deps;
    const manager = new ReaderManager({
      transport,
      profiles: this.#deps.profiles,
      clock,
      layouts: (id) => (isKeyboardLayoutId(id) ? keyboardCodec(id) : undefined),
      defaultLayout: this.#deps.defaultLayout,
      isCompleteDocument: (lines) => classifyMrzLines(lines).state === 'complete',
    });
    this.#manager = manager;
    this.#unsubscribe.push(
      manager.on('connected', (reader) => {
        this.#deps.log.info('reader.connected', { profile: reader.profile.id });
        events.emit('device.connected', this.#status(reader));
      }),
      manager.on('disconnected', ({ deviceId }) => {
        this.#deps.log.warn('reader.disconnected', { reader: deviceId });
        events.emit('device.disconnected', { id: deviceId });
      }),
      manager.on('read', (read) => this.#deliver(read)),
      manager.on('error', (error) => {
        // Codes only: a partial MRZ or a garbled scan may still carry personal data in its message.
        this.#deps.log.warn('reader.error', { reader: error.deviceId, code: error.code });
        this.#watch({ readerId: error.deviceId, kind: 'error', summary: error.code, valid: false });
        if (this.#expected.size > 0 && this.#deps.sessions.current()) {
          events.emit('device.read', { kind: 'error', readerId: error.deviceId, code: error.code });
        }
      }),
    );
    await manager.start();
  }

  /** A read the UI's keystroke listener recognised: it goes where a HID read would go. */
  injectWedgeRead(read: WedgeRead): boolean {
    return this.#deliver(
      read.kind === 'mrz'
        ? { kind: 'mrz', lines: read.lines, deviceId: 'keyboard-wedge' }
        : {
            kind: 'barcode',
            symbology: read.symbology,
            text: read.text,
            deviceId: 'keyboard-wedge',
            aim: null,
          },
    );
  }

  /**
   * The next barcode read (a staff badge, an enrolment code) is handed to `onBadge` and to nobody
   * else (not the journey, not the UI), in a session or not. Returns the function that stops waiting.
   */
  captureBarcode(onBadge: (code: string) => void): () => void {
    this.#badgeCapture = onBadge;
    return () => {
      if (this.#badgeCapture === onBadge) this.#badgeCapture = null;
    };
  }

  /** The administrators' reader screen: a summary of every read and error, never its content. */
  watch(listener: (read: AdminRead) => void): () => void {
    this.#watchers.add(listener);
    return () => {
      this.#watchers.delete(listener);
    };
  }

  #watch(read: Omit<AdminRead, 'at'>): void {
    if (this.#watchers.size === 0) return;
    const summary = { ...read, at: new Date(this.#deps.clock.now()).toISOString() };
    for (const listener of this.#watchers) listener(summary);
  }

  /** The current step wants reads of these kinds (until `cancel` or the end of the session). */
  expect(kinds: readonly ReadKind[]): boolean {
    if (!this.#deps.sessions.current()) return false;
    this.#expected.clear();
    for (const kind of kinds) this.#expected.add(kind);
    return true;
  }

  cancel(): boolean {
    const had = this.#expected.size > 0;
    this.#expected.clear();
    return had;
  }

  status(): ReaderStatus[] {
    return (this.#manager?.readers() ?? []).map((reader) => this.#status(reader));
  }

  /** Reads dropped because no step asked for them (a count, nothing of their content). */
  get ignoredReads(): number {
    return this.#ignored;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const off of this.#unsubscribe.splice(0)) off();
    await this.#manager?.close();
    this.#manager = null;
  }

  /** Hands a read to the step that expects its kind; false when none does (the read is dropped). */
  #deliver(read: MrzRead | BarcodeRead): boolean {
    const { clock, events } = this.#deps;
    if (read.kind === 'barcode' && this.#badgeCapture) {
      const onBadge = this.#badgeCapture;
      this.#badgeCapture = null;
      this.#watch({ readerId: read.deviceId, kind: 'barcode', summary: 'staff badge', valid: true });
      onBadge(read.text);
      return true;
    }
    const parsed =
      read.kind === 'mrz' ? toMrzDocument(parseMrz(read.lines, { today: new Date(clock.now()) })) : null;
    this.#watch(
      parsed
        ? {
            readerId: read.deviceId,
            kind: 'mrz',
            summary: [parsed.format ?? 'unknown', ...parsed.errors, ...parsed.warnings].join(' '),
            valid: parsed.valid,
          }
        : { readerId: read.deviceId, kind: 'barcode', summary: barcodeSummary(read), valid: true },
    );
    if (!this.#wants(read.kind)) return false;
    if (read.kind === 'mrz') {
      if (parsed) events.emit('device.read', { kind: 'mrz', readerId: read.deviceId, document: parsed });
    } else {
      events.emit('device.read', {
        kind: 'barcode',
        readerId: read.deviceId,
        symbology: read.symbology,
        text: read.text,
      });
    }
    return true;
  }

  #wants(kind: ReadKind): boolean {
    const wanted = this.#deps.sessions.current() !== null && this.#expected.has(kind);
    if (!wanted) this.#ignored += 1;
    return wanted;
  }

  #status(reader: ReaderInfo): ReaderStatus {
    return {
      id: reader.deviceId,
      kind: reader.profile.mode === 'mrz' ? 'document' : 'barcode',
      name: reader.profile.name,
      connected: reader.connected,
      simulated: this.#simulated,
    };
  }
}

/** What the reader screen shows of a barcode: its symbology and length, not its text. */
function barcodeSummary(read: MrzRead | BarcodeRead): string {
  return read.kind === 'barcode' ? `${read.symbology || 'barcode'} ${read.text.length}` : '';
}
