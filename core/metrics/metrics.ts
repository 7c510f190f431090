import { randomBytes } from 'node:crypto';
import { Counter, collectDefaultMetrics, Gauge, Histogram, type Metric, Registry } from 'prom-client';
import type { SessionEndReason } from '../../api/contract.ts';
import type { AlarmCode } from '../../sync/alarms.ts';
import type { OutboxState } from '../../sync/outbox.ts';
import {
  KIOSK_LANGUAGES,
  USAGE_IDENTITIES,
  USAGE_OUTCOMES,
  USAGE_PRINT_DOCUMENTS,
  USAGE_PRINT_OUTCOMES,
} from '../../sync/protocol/index.ts';
import type { Clock } from '../clock.ts';
import type { EventBus } from '../events.ts';
import type { PrinterStatus } from '../printing/types.ts';
import { serviceDefinitions } from '../services/index.ts';
import { KioskUsage } from './usage.ts';

/**
 * The terminal's metrics for the city's monitoring (Prometheus text format), in a registry of
 * its own. Every label value comes from a fixed list below: nothing a visitor typed, a reader
 * read or a person is called can become a label. A value outside its list is dropped.
 */

/** The keys of an object literal that `satisfies Record<Union, true>`: exactly the union's members. */
function keysOf<K extends string>(members: Record<K, true>): readonly K[] {
  return Object.freeze(Object.keys(members) as K[]);
}

export const sessionEndReasons = keysOf({
  visitor: true,
  staff: true,
  timeout: true,
  shutdown: true,
} satisfies Record<SessionEndReason, true>);
export const deviceReadKinds = ['mrz', 'barcode', 'error'] as const;
export const readerKinds = ['document', 'barcode'] as const;
export const queueStates = keysOf({
  queued: true,
  sending: true,
  delivered: true,
  accepted: true,
  rejected: true,
  purged: true,
} satisfies Record<OutboxState, true>);
/** The sync engine's per-attempt outcomes (sync/engine.ts). */
export const syncOutcomes = ['delivered', 'retry', 'skew', 'quarantined', 'offline', 'auth'] as const;
export const printerStates = keysOf({
  ready: true,
  out_of_paper: true,
  offline: true,
  error: true,
  unknown: true,
  none: true,
} satisfies Record<PrinterStatus | 'none', true>);
const knownAlarmCodes = keysOf({
  'store.damaged': true,
  'storage.full': true,
  'storage.failed': true,
  'sync.auth': true,
  'sync.clock_skew': true,
  'sync.clock_step': true,
  'sync.attempts_exceeded': true,
  'sync.oldest_too_old': true,
  'sync.quarantined': true,
  'sync.integrity': true,
} satisfies Record<AlarmCode, true>);
/** Alarm codes as labels; a code this list does not know yet counts as `other`. */
export const alarmCodes: readonly (AlarmCode | 'other')[] = Object.freeze([...knownAlarmCodes, 'other']);
export const staffRoles = ['staff', 'admin'] as const;
export const staffSignInOutcomes = ['ok', 'failed', 'locked'] as const;

export type DeviceReadKind = (typeof deviceReadKinds)[number];
export type ReaderKind = (typeof readerKinds)[number];
export type QueueState = OutboxState;
export type SyncOutcome = (typeof syncOutcomes)[number];
export type PrinterMetricState = PrinterStatus | 'none';
export type StaffSignInOutcome = (typeof staffSignInOutcomes)[number];

/** Every label name and the values it may carry (tests check scrapes against this). */
export const labelValues: Readonly<Record<string, readonly string[]>> = Object.freeze({
  reason: sessionEndReasons,
  kind: [...new Set<string>([...deviceReadKinds, ...readerKinds])],
  state: [...new Set<string>([...queueStates, ...printerStates])],
  outcome: [
    ...new Set<string>([...syncOutcomes, ...staffSignInOutcomes, ...USAGE_OUTCOMES, ...USAGE_PRINT_OUTCOMES]),
  ],
  code: alarmCodes,
  role: staffRoles,
  service: [...serviceDefinitions.keys(), 'other'],
  step: [...new Set([...serviceDefinitions.values()].flatMap((d) => d.steps.map((s) => s.id))), 'other'],
  /** The languages a terminal is configured with; these are the shipped ones. */
  language: [...KIOSK_LANGUAGES, 'other'],
  identity: USAGE_IDENTITIES,
  document: USAGE_PRINT_DOCUMENTS,
});

/** What the queue looks like at scrape time; sync's `Outbox.counts(now)` fits as it is. */
export interface QueueSnapshot {
  readonly byState: Readonly<Partial<Record<QueueState, number>>>;
  readonly oldestPendingAgeMs: number | null;
}

/** What a sync pass reports (sync's `PassResult` fits as it is). */
export interface SyncPassSummary {
  readonly attempted: number;
  readonly delivered: number;
  readonly retried: number;
  readonly quarantined: number;
  readonly offline: boolean;
  readonly authFailed: boolean;
}

type Source<T> = () => T | Promise<T>;

export interface KioskMetricsOptions {
  /** For durations (monotonic) and the hours of the usage figures (wall). */
  readonly clock: Pick<Clock, 'monotonic' | 'now'>;
  /** The terminal's languages, the only values of the usage figures' `language` label. */
  readonly languages?: readonly string[];
  /** This run's id in the usage figures; random unless a test passes one. */
  readonly run?: string;
  /** The process metrics (CPU, memory, event loop, GC, handles), prefixed `kiosk_`. Default true. */
  readonly processMetrics?: boolean;
}

const PREFIX = 'kiosk_';
const SESSION_BUCKETS = [15, 30, 60, 120, 300, 600, 900, 1_800, 3_600];

/**
 * The process metrics, made once per process. prom-client's collectors for GC and the event
 * loop install an observer and a delay monitor that cannot be removed again; made once, every
 * KioskMetrics shares them, so building and closing kiosks (tests, restarts) leaks nothing.
 */
let processRegistry: Registry | undefined;
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry, prefix: PREFIX });
  }
  return processRegistry;
}

function member<T extends string>(list: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (list as readonly string[]).includes(value);
}

function count(value: number): number {
  return Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}

export class KioskMetrics {
  /** This terminal's registry (never prom-client's global one). */
  readonly registry = new Registry();
  /** How the terminal is used (core/metrics/usage.ts): the journeys report to it. */
  readonly usage: KioskUsage;
  private readonly clock: Pick<Clock, 'monotonic' | 'now'>;
  private readonly sessionStarts = new Map<string, number>();
  private readonly readers = new Map<string, ReaderKind>();
  private queueSource: Source<QueueSnapshot | null> | null = null;
  private alarmSource: Source<readonly { readonly code: string }[]> | null = null;
  private readonly detachers = new Set<() => void>();
  private closed = false;

  private readonly sessionsStarted: Counter;
  private readonly sessionsEnded: Counter<'reason'>;
  private readonly sessionDuration: Histogram<'reason'>;
  private readonly deviceReads: Counter<'kind'>;
  private readonly readersConnected: Gauge<'kind'>;
  private readonly queueItems: Gauge<'state'>;
  private readonly oldestPending: Gauge;
  private readonly queueReadable: Gauge;
  private inflightSnapshot: Promise<QueueSnapshot | null> | null = null;
  private readonly syncAttempts: Counter<'outcome'>;
  private readonly printerState: Gauge<'state'>;
  private readonly alarmsActive: Gauge<'code'>;
  private readonly staffSignIns: Counter<'role' | 'outcome'>;
  private readonly staffCalls: Counter;

  constructor(options: KioskMetricsOptions) {
    this.clock = options.clock;
    const registers = [this.registry];
    this.sessionsStarted = new Counter({
      name: `${PREFIX}sessions_started_total`,
      help: 'Visitor sessions started.',
      registers,
    });
    this.sessionsEnded = new Counter({
      name: `${PREFIX}sessions_ended_total`,
      help: 'Visitor sessions ended, by reason.',
      labelNames: ['reason'],
      registers,
    });
    this.sessionDuration = new Histogram({
      name: `${PREFIX}session_duration_seconds`,
      help: 'Duration of visitor sessions, by how they ended.',
      labelNames: ['reason'],
      buckets: SESSION_BUCKETS,
      registers,
    });
    this.deviceReads = new Counter({
      name: `${PREFIX}device_reads_total`,
      help: 'Reads delivered by the document and barcode readers, by kind (error: a read that failed).',
      labelNames: ['kind'],
      registers,
    });
    this.readersConnected = new Gauge({
      name: `${PREFIX}reader_connected`,
      help: 'Readers connected, by kind.',
      labelNames: ['kind'],
      registers,
    });
    this.queueItems = new Gauge({
      name: `${PREFIX}queue_items`,
      help: 'Items in the submission queue, by state (read at scrape time).',
      labelNames: ['state'],
      registers,
      collect: () => this.collectQueue(),
    });
    this.oldestPending = new Gauge({
      name: `${PREFIX}queue_oldest_pending_age_seconds`,
      help: 'Age of the oldest submission still to be delivered (0 when none, or the queue unreadable).',
      registers,
      collect: () => this.collectOldest(),
    });
    this.queueReadable = new Gauge({
      name: `${PREFIX}queue_readable`,
      help: 'Whether the submission queue could be read at this scrape (0: not enrolled, or the store failed).',
      registers,
      collect: () => this.collectReadable(),
    });
    this.syncAttempts = new Counter({
      name: `${PREFIX}sync_attempts_total`,
      help: 'Delivery attempts to the portal, by outcome.',
      labelNames: ['outcome'],
      registers,
    });
    this.printerState = new Gauge({
      name: `${PREFIX}printer_state`,
      help: 'The printer state: 1 for the current state, 0 for the others.',
      labelNames: ['state'],
      registers,
    });
    this.alarmsActive = new Gauge({
      name: `${PREFIX}alarms_active`,
      help: 'Open alarms for the administrator, by code.',
      labelNames: ['code'],
      registers,
      collect: () => this.collectAlarms(),
    });
    this.staffSignIns = new Counter({
      name: `${PREFIX}staff_sign_ins_total`,
      help: 'Staff and administrator sign-in attempts, by role and outcome.',
      labelNames: ['role', 'outcome'],
      registers,
    });
    this.staffCalls = new Counter({
      name: `${PREFIX}staff_calls_total`,
      help: 'Times a visitor asked for a member of staff at this terminal (alert on its increase).',
      registers,
    });

    // Every series exists from the start, so a rate over a fresh terminal is 0 and not absent.
    for (const reason of sessionEndReasons) {
      this.sessionsEnded.inc({ reason }, 0);
      this.sessionDuration.zero({ reason });
    }
    for (const kind of deviceReadKinds) this.deviceReads.inc({ kind }, 0);
    for (const kind of readerKinds) this.readersConnected.set({ kind }, 0);
    for (const outcome of syncOutcomes) this.syncAttempts.inc({ outcome }, 0);
    for (const role of staffRoles)
      for (const outcome of staffSignInOutcomes) this.staffSignIns.inc({ role, outcome }, 0);
    for (const code of alarmCodes) this.alarmsActive.set({ code }, 0);
    this.setPrinterState('unknown');

    this.usage = new KioskUsage({
      registry: this.registry,
      clock: this.clock,
      languages: options.languages ?? [],
      run: options.run ?? randomBytes(12).toString('base64url'),
      prefix: PREFIX,
    });

    if (options.processMetrics ?? true) {
      // getMetricsAsArray() is typed as plain objects; at run time they are the metric instances.
      for (const metric of processMetrics().getMetricsAsArray())
        this.registry.registerMetric(metric as unknown as Metric);
    }
  }

  /** The content type of `render()`'s text. */
  get contentType(): string {
    return this.registry.contentType;
  }

  /** The scrape: every metric in Prometheus text format. */
  render(): Promise<string> {
    return this.registry.metrics();
  }

  sessionStarted(sessionId: string): void {
    if (this.closed) return;
    this.sessionsStarted.inc();
    // One visitor session at a time; a few left over from missed endings are dropped.
    if (this.sessionStarts.size >= 16) this.sessionStarts.clear();
    this.sessionStarts.set(sessionId, this.clock.monotonic());
    this.usage.sessionStarted();
  }

  sessionEnded(sessionId: string, reason: SessionEndReason): void {
    if (this.closed || !member(sessionEndReasons, reason)) return;
    this.sessionsEnded.inc({ reason });
    const startedAt = this.sessionStarts.get(sessionId);
    this.sessionStarts.delete(sessionId);
    const seconds = startedAt === undefined ? null : Math.max(0, (this.clock.monotonic() - startedAt) / 1000);
    if (seconds !== null) this.sessionDuration.observe({ reason }, seconds);
    this.usage.sessionEnded(seconds);
  }

  deviceRead(kind: DeviceReadKind): void {
    if (!this.closed && member(deviceReadKinds, kind)) this.deviceReads.inc({ kind });
  }

  readerConnected(readerId: string, kind: ReaderKind): void {
    if (this.closed || !member(readerKinds, kind)) return;
    this.readers.set(readerId, kind);
    this.updateReaders();
  }

  readerDisconnected(readerId: string): void {
    if (this.closed || !this.readers.delete(readerId)) return;
    this.updateReaders();
  }

  syncAttempt(outcome: SyncOutcome, attempts = 1): void {
    if (!this.closed && member(syncOutcomes, outcome) && count(attempts) > 0)
      this.syncAttempts.inc({ outcome }, count(attempts));
  }

  /**
   * Counts a sync pass's attempts from its summary: delivered and quarantined as such; a pass
   * that stopped on an unreachable portal or refused credentials ended with one attempt of that
   * outcome; the rest were retries (a clock-skew retry is counted as a retry here).
   */
  recordSyncPass(pass: SyncPassSummary): void {
    const attempted = count(pass.attempted);
    if (attempted === 0) return;
    const delivered = Math.min(count(pass.delivered), attempted);
    const quarantined = Math.min(count(pass.quarantined), attempted - delivered);
    const auth = pass.authFailed ? 1 : 0;
    const offline = pass.offline && !pass.authFailed ? 1 : 0;
    const retried = Math.max(
      0,
      Math.min(count(pass.retried), attempted - delivered - quarantined) - auth - offline,
    );
    this.syncAttempt('delivered', delivered);
    this.syncAttempt('quarantined', quarantined);
    this.syncAttempt('auth', auth);
    this.syncAttempt('offline', offline);
    this.syncAttempt('retry', retried);
  }

  setPrinterState(state: PrinterMetricState): void {
    if (this.closed || !member(printerStates, state)) return;
    for (const s of printerStates) this.printerState.set({ state: s }, s === state ? 1 : 0);
  }

  staffCalled(): void {
    if (this.closed) return;
    this.staffCalls.inc();
    this.usage.staffCalled();
  }

  staffSignIn(role: 'staff' | 'admin', outcome: StaffSignInOutcome): void {
    if (!this.closed && member(staffRoles, role) && member(staffSignInOutcomes, outcome))
      this.staffSignIns.inc({ role, outcome });
  }

  /** The queue's counts, read at every scrape (e.g. `() => terminal.outbox.counts(clock.now())`). */
  observeQueue(source: Source<QueueSnapshot | null>): () => void {
    this.queueSource = source;
    return () => {
      if (this.queueSource === source) this.queueSource = null;
    };
  }

  /** The open alarms, read at every scrape (e.g. `() => terminal.alarms.open()`). */
  observeAlarms(source: Source<readonly { readonly code: string }[]>): () => void {
    this.alarmSource = source;
    return () => {
      if (this.alarmSource === source) this.alarmSource = null;
    };
  }

  /**
   * Follows the kiosk's events: visitor sessions ending, reads, readers coming and going.
   * (Session starts have no event: call `sessionStarted` where a session starts.)
   */
  attach(events: EventBus): () => void {
    const unsubscribe = events.subscribe((event) => {
      switch (event.name) {
        case 'session.ended':
          this.sessionEnded(event.payload.sessionId, event.payload.reason);
          break;
        case 'device.read':
          this.deviceRead(event.payload.kind);
          if (!this.closed) this.usage.read(event.payload.kind, event.payload.readerId);
          break;
        case 'device.connected':
          if (event.payload.connected) this.readerConnected(event.payload.id, event.payload.kind);
          else this.readerDisconnected(event.payload.id);
          break;
        case 'device.disconnected':
          this.readerDisconnected(event.payload.id);
          break;
        default:
          break;
      }
    });
    const detach = () => {
      unsubscribe();
      this.detachers.delete(detach);
    };
    this.detachers.add(detach);
    return detach;
  }

  /** Stops following events and sources and empties the registry. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const detach of [...this.detachers]) detach();
    this.queueSource = null;
    this.alarmSource = null;
    this.sessionStarts.clear();
    this.readers.clear();
    this.usage.close();
    this.registry.clear();
  }

  private updateReaders(): void {
    for (const kind of readerKinds) {
      let n = 0;
      for (const k of this.readers.values()) if (k === kind) n += 1;
      this.readersConnected.set({ kind }, n);
    }
  }

  /** One read of the queue per scrape: the collectors of one scrape start together and share it. */
  private snapshot(): Promise<QueueSnapshot | null> {
    this.inflightSnapshot ??= this.readQueue().finally(() => {
      this.inflightSnapshot = null;
    });
    return this.inflightSnapshot;
  }

  private async readQueue(): Promise<QueueSnapshot | null> {
    const source = this.queueSource;
    if (!source) return null;
    try {
      return await source();
    } catch {
      return null;
    }
  }

  private async collectReadable(): Promise<void> {
    this.queueReadable.set((await this.snapshot()) ? 1 : 0);
  }

  private async collectQueue(): Promise<void> {
    const snapshot = await this.snapshot();
    // Without a queue (not enrolled) or when it cannot be read, the series are absent rather
    // than a reassuring 0, and kiosk_queue_readable says 0.
    this.queueItems.reset();
    if (!snapshot) return;
    for (const state of queueStates) this.queueItems.set({ state }, count(snapshot.byState[state] ?? 0));
  }

  private async collectOldest(): Promise<void> {
    const snapshot = await this.snapshot();
    if (!snapshot) {
      this.oldestPending.set(0);
      return;
    }
    const ageMs = snapshot.oldestPendingAgeMs;
    this.oldestPending.set(ageMs === null || !Number.isFinite(ageMs) ? 0 : Math.max(0, ageMs) / 1000);
  }

  private async collectAlarms(): Promise<void> {
    const source = this.alarmSource;
    if (!source) return;
    let open: readonly { readonly code: string }[];
    try {
      open = await source();
    } catch {
      return;
    }
    const counts = new Map<string, number>(alarmCodes.map((code) => [code, 0]));
    for (const alarm of open) {
      const code = member(knownAlarmCodes, alarm.code) ? alarm.code : 'other';
      counts.set(code, (counts.get(code) ?? 0) + 1);
    }
    for (const [code, n] of counts) this.alarmsActive.set({ code }, n);
  }
}
