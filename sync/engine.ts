/**
 * The sync engine: runs the passes that deliver the outbox to the portal, one sender at a time.
 * What a pass does is in its own modules:
 *
 * - delivery.ts: one item, exactly once in effect (idempotency key, chunked resumable upload,
 *   integrity check of its own queue, backoff with full jitter, failure classes);
 * - status-pull.ts: the signed status events, and the reconciliation of delivered items a
 *   portal restored from an older backup has lost;
 * - purge.ts: sealed data purged once the retention after the authority's decision has ended.
 *
 * The engine itself:
 * - Never gives up silently: an alarm when an item has had N attempts, or when the oldest pending
 *   item is older than a configurable age (default 4 hours). Quarantined items raise an alarm.
 * - Offline: after a network failure it probes `/v1/health` at a short interval while items
 *   wait; when the probe answers (or `networkChanged(true)` is called) every item becomes due
 *   and the first attempt follows at once.
 * - Clock steps: retry times are wall-clock times in the store (they survive a restart), so the
 *   engine watches the wall clock against the monotonic one: a step raises `sync.clock_step` and
 *   moves waiting items by the step; a retry time further ahead than any delay the engine sets
 *   (a step before a restart) counts as due. A wall clock set back hours never stalls delivery.
 * - One sender per data folder: a pass runs only while it holds the store's sender lease; a
 *   second process finds it busy and tries again later. An item whose claim (`queued` →
 *   `sending`) changed no row is not sent.
 *
 * `dispose()` cancels every timer; nothing keeps running afterwards.
 */
import { randomBytes } from 'node:crypto';
import type { Clock, RandomUnit, Scheduler, TimerHandle } from '../common/clock.ts';
import type { Alarms } from './alarms.ts';
import type { PortalApi } from './client.ts';
import {
  DELIVERY_DEFAULTS,
  Delivery,
  type DeliveryOptions,
  type DeliveryOutcome,
  type DeliveryProgress,
  type DeliveryStep,
} from './delivery.ts';
import type { Outbox } from './outbox.ts';
import { purgeDue } from './purge.ts';
import type { KeyMaterial } from './sealing.ts';
import { SenderLease } from './sender-lease.ts';
import { SyncState } from './state.ts';
import { StatusPull } from './status-pull.ts';

export interface EngineOptions extends DeliveryOptions {
  /** Alarm when the oldest pending item is older than this (default 4 h). */
  readonly oldestAlarmMs?: number;
  /** Health probe interval while offline with items waiting (default 2 s). */
  readonly probeIntervalMs?: number;
  /** How often status events are pulled while online (default 60 s). */
  readonly statusPollMs?: number;
  /**
   * A jump of the wall clock against the monotonic clock larger than this is a clock step: an
   * alarm, and waiting items keep their delay in monotonic terms (default 60 s).
   */
  readonly clockStepMs?: number;
  /**
   * An item whose next attempt lies further ahead than this is due now: no delay the engine sets
   * is that long, so the wall clock went back (default the longer of `maxDelayMs` and
   * `authRetryMs`, plus a minute).
   */
  readonly maxWaitMs?: number;
  /**
   * The sender lease's lifetime (default 2 min), renewed before every item and chunk: another
   * process on the same data folder (`kiosk sync` beside the kiosk) sends only once it expired.
   */
  readonly leaseMs?: number;
  /**
   * A delivered item not accepted yet is checked at the portal after this long, and again after
   * each such interval (default 10 min): a portal restored from an older backup has lost it, and
   * it is delivered again.
   */
  readonly reconcileAfterMs?: number;
}

/** How one delivery attempt ended (delivery.ts). */
export type AttemptOutcome = DeliveryOutcome;

export interface EngineDeps {
  readonly outbox: Outbox;
  readonly alarms: Alarms;
  readonly api: PortalApi;
  readonly clock: Clock;
  readonly scheduler: Scheduler;
  readonly random: RandomUnit;
  readonly terminalId: string;
  /** The terminal's own public key: checks the manifest signature of queued items. */
  readonly devicePublicKey: KeyMaterial;
  /** The portal's signing key from enrolment: verifies status events. */
  readonly portalSigningKey: KeyMaterial;
  readonly options?: EngineOptions;
  readonly onStep?: (step: DeliveryStep, submissionId: string) => void;
  /** Told the outcome of every delivery attempt (the kiosk's `kiosk_sync_attempts_total`). */
  readonly onAttempt?: (outcome: AttemptOutcome) => void;
}

export interface SyncProgress {
  readonly state: 'idle' | 'sending' | 'offline';
  readonly pending: number;
  readonly pendingBytes: number;
  readonly oldestAgeMs: number | null;
  readonly quarantined: number;
  readonly current?: DeliveryProgress;
}

export interface PassResult {
  readonly attempted: number;
  readonly delivered: number;
  readonly retried: number;
  readonly quarantined: number;
  readonly offline: boolean;
  readonly authFailed: boolean;
  readonly pending: number;
  readonly statusEvents: number;
  readonly purged: number;
  /** Another sender (process) held the lease: this pass sent nothing. */
  readonly busy: boolean;
}

function withDefaults(o: EngineOptions): Required<EngineOptions> {
  const defaults = DELIVERY_DEFAULTS;
  const maxDelayMs = o.maxDelayMs ?? defaults.maxDelayMs;
  const authRetryMs = o.authRetryMs ?? defaults.authRetryMs;
  return {
    baseDelayMs: o.baseDelayMs ?? defaults.baseDelayMs,
    maxDelayMs,
    alarmAfterAttempts: o.alarmAfterAttempts ?? defaults.alarmAfterAttempts,
    chunkBytes: o.chunkBytes ?? defaults.chunkBytes,
    authRetryMs,
    oldestAlarmMs: o.oldestAlarmMs ?? 4 * 60 * 60_000,
    probeIntervalMs: o.probeIntervalMs ?? 2000,
    statusPollMs: o.statusPollMs ?? 60_000,
    clockStepMs: o.clockStepMs ?? 60_000,
    leaseMs: o.leaseMs ?? 120_000,
    reconcileAfterMs: o.reconcileAfterMs ?? 10 * 60_000,
    maxWaitMs: o.maxWaitMs ?? Math.max(maxDelayMs, authRetryMs) + 60_000,
  };
}

export class SyncEngine {
  readonly #deps: EngineDeps;
  readonly #options: Required<EngineOptions>;
  readonly #lease: SenderLease;
  readonly #delivery: Delivery;
  readonly #status: StatusPull;
  readonly #listeners = new Set<(p: SyncProgress) => void>();
  #timer: TimerHandle | undefined;
  #pass: Promise<PassResult> | undefined;
  #again = false;
  #offline = false;
  #started = false;
  #disposed = false;
  #lastStatusPoll = Number.NEGATIVE_INFINITY;
  /** Wall minus monotonic time when last looked at (undefined before the first look). */
  #wallOffset: number | undefined;
  /** Who this engine is in the sender lease. */
  readonly #owner = `${process.pid}-${randomBytes(8).toString('hex')}`;
  #busy = false;

  constructor(deps: EngineDeps) {
    this.#deps = deps;
    this.#options = withDefaults(deps.options ?? {});
    const { outbox, alarms, api, clock } = deps;
    const db = outbox.store.db;
    const stopped = () => this.#disposed;
    this.#lease = new SenderLease(db, () => clock.now());
    this.#delivery = new Delivery({
      outbox,
      alarms,
      api,
      clock,
      random: deps.random,
      devicePublicKey: deps.devicePublicKey,
      options: this.#options,
      renewLease: () => this.#holdLease(),
      stopped,
      onProgress: (current) => this.#emit('sending', current),
      ...(deps.onStep === undefined ? {} : { onStep: deps.onStep }),
    });
    this.#status = new StatusPull({
      outbox,
      state: new SyncState(db),
      alarms,
      api,
      clock,
      terminalId: deps.terminalId,
      portalSigningKey: deps.portalSigningKey,
      reconcileAfterMs: this.#options.reconcileAfterMs,
      stopped,
    });
  }

  get offline(): boolean {
    return this.#offline;
  }

  /** Starts delivering in the background (the first pass recovers what a dead process left `sending`). */
  start(): void {
    if (this.#started || this.#disposed) return;
    this.#started = true;
    this.#schedule(0);
  }

  /** The host's network monitor: `true` makes every waiting item due and sends at once. */
  networkChanged(up: boolean): void {
    if (this.#disposed) return;
    if (up) {
      this.#offline = false;
      this.#deps.outbox.makeAllDue(this.#deps.clock.now());
      this.kick();
    } else {
      this.#offline = true;
      this.#emit('offline');
    }
  }

  /** Runs a pass as soon as possible (e.g. right after an enqueue). */
  kick(): void {
    if (this.#disposed) return;
    if (this.#started) this.#schedule(0);
    else void this.runPass();
  }

  /** Resolves when no pass is running (tests and commands wait on this, not on time). */
  async idle(): Promise<void> {
    while (this.#pass !== undefined) await this.#pass.catch(() => undefined);
  }

  onProgress(listener: (p: SyncProgress) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Cancels timers and listeners; resolves when a pass in flight has finished. */
  async dispose(): Promise<void> {
    this.#disposed = true;
    this.#timer?.cancel();
    this.#timer = undefined;
    this.#listeners.clear();
    await this.#pass?.catch(() => undefined);
  }

  /**
   * One pass: purge what is due, send every due item once (one at a time), pull status events.
   * Concurrent callers share the pass in flight (one sender at a time).
   */
  runPass(): Promise<PassResult> {
    if (this.#pass !== undefined) {
      this.#again = true;
      return this.#pass;
    }
    const pass = this.#runPass().finally(() => {
      this.#pass = undefined;
      if (this.#disposed) return;
      if (this.#again) {
        this.#again = false;
        if (this.#started) this.#schedule(0);
        else void this.runPass().catch(() => undefined);
      } else if (this.#started) {
        this.#scheduleNext();
      }
    });
    this.#pass = pass;
    return pass;
  }

  #schedule(ms: number): void {
    if (this.#disposed) return;
    this.#timer?.cancel();
    this.#timer = this.#deps.scheduler.after(Math.max(0, ms), () => {
      this.#timer = undefined;
      void this.runPass().catch((e: unknown) => {
        // a failing store (not a portal problem): say so; the next pass is already scheduled
        const code = (e as { code?: unknown } | null)?.code;
        this.#deps.alarms.raise(
          'storage.failed',
          `Delivery stopped on a local error (${typeof code === 'string' ? code : 'error'}); it will be retried.`,
        );
      });
    });
  }

  #scheduleNext(): void {
    const { outbox, clock } = this.#deps;
    const options = this.#options;
    this.#checkClockStep();
    const now = clock.now();
    const pending = outbox.counts(now).pending;
    if (this.#busy) {
      // another process sends: look again a little later
      this.#schedule(Math.min(options.probeIntervalMs, options.leaseMs));
      return;
    }
    if (this.#offline) {
      if (pending > 0) this.#schedule(options.probeIntervalMs);
      else this.#schedule(options.statusPollMs);
      return;
    }
    const wake = outbox.nextWakeAt();
    let delay = Math.max(0, this.#lastStatusPoll + options.statusPollMs - clock.monotonic());
    if (wake !== undefined) delay = Math.min(delay, this.#waitUntil(wake, now));
    this.#schedule(delay);
  }

  /** Takes the sender lease, or keeps it (renewed once a quarter of its lifetime has passed). */
  #holdLease(): boolean {
    return this.#lease.keep(this.#owner, this.#options.leaseMs);
  }

  async #runPass(): Promise<PassResult> {
    if (!this.#holdLease()) {
      this.#busy = true;
      const r = {
        attempted: 0,
        delivered: 0,
        retried: 0,
        quarantined: 0,
        authFailed: false,
        statusEvents: 0,
      };
      return this.#result({ ...r, purged: 0, busy: true });
    }
    this.#busy = false;
    try {
      return await this.#runLeasedPass();
    } finally {
      try {
        this.#lease.release(this.#owner);
      } catch {
        // it expires by itself
      }
    }
  }

  async #runLeasedPass(): Promise<PassResult> {
    const { outbox, clock, api } = this.#deps;
    let attempted = 0;
    let delivered = 0;
    let retried = 0;
    let quarantined = 0;
    let authFailed = false;
    let statusEvents = 0;
    // one sender: anything still `sending` was cut off (a local error mid-attempt); it is due again
    outbox.recoverInterrupted();
    this.#checkClockStep();
    const purged = purgeDue(outbox.store.db, outbox.auditLog, clock.now());
    const finish = () =>
      this.#result({
        attempted,
        delivered,
        retried,
        quarantined,
        authFailed,
        statusEvents,
        purged,
        busy: false,
      });
    if (this.#offline) {
      const probe = await api.health();
      if (!probe.ok) {
        this.#emit('offline');
        return finish();
      }
      this.#offline = false;
      outbox.makeAllDue(clock.now());
    }
    let skewRetried = false;
    for (;;) {
      if (this.#disposed) break;
      const now = clock.now();
      const item = outbox.nextDue(now, now + this.#options.maxWaitMs);
      if (item === undefined) break;
      // still the one sender? (the lease is renewed before every item)
      if (!this.#holdLease()) break;
      attempted++;
      const outcome = await this.#delivery.deliver(item, skewRetried);
      try {
        this.#deps.onAttempt?.(outcome);
      } catch {
        // a listener's failure does not stop delivery
      }
      if (outcome === 'delivered') delivered++;
      else if (outcome === 'quarantined') quarantined++;
      else retried++;
      if (outcome === 'skew') skewRetried = true;
      if (outcome === 'offline') {
        // one dropped connection is not an outage: ask the portal before going offline
        const probe = await api.health();
        if (probe.ok) continue;
        this.#offline = true;
        break;
      }
      if (outcome === 'auth') {
        authFailed = true;
        break;
      }
    }
    if (!this.#offline && !authFailed && !this.#disposed) {
      const due = clock.monotonic() - this.#lastStatusPoll >= this.#options.statusPollMs || delivered > 0;
      if (due) {
        this.#lastStatusPoll = clock.monotonic();
        statusEvents = await this.#status.pull();
      }
      const lost = await this.#status.reconcile();
      if (lost > 0) this.#again = true;
    }
    this.#checkAge();
    return finish();
  }

  #result(r: Omit<PassResult, 'offline' | 'pending'>): PassResult {
    const pending = this.#deps.outbox.counts(this.#deps.clock.now()).pending;
    this.#emit(this.#offline ? 'offline' : 'idle');
    return { ...r, offline: this.#offline, pending };
  }

  /** How long to wait for a retry time; one beyond `maxWaitMs` is due now (the clock went back). */
  #waitUntil(at: number, now: number): number {
    const wait = at - now;
    return wait > this.#options.maxWaitMs ? 0 : Math.max(0, wait);
  }

  /** Notices a step of the wall clock: an alarm, and waiting items keep their monotonic delay. */
  #checkClockStep(): void {
    const { clock, outbox, alarms } = this.#deps;
    const offset = clock.now() - clock.monotonic();
    const previous = this.#wallOffset;
    this.#wallOffset = offset;
    if (previous === undefined) return;
    const step = offset - previous;
    if (Math.abs(step) <= this.#options.clockStepMs) return;
    outbox.shiftWaiting(step);
    const minutes = Math.round(step / 60_000);
    alarms.raise(
      'sync.clock_step',
      `The wall clock jumped by ${minutes > 0 ? '+' : ''}${minutes} min; waiting deliveries were moved with it.`,
    );
  }

  #checkAge(): void {
    const { outbox, alarms, clock } = this.#deps;
    const counts = outbox.counts(clock.now());
    if (counts.oldestPendingAgeMs !== null && counts.oldestPendingAgeMs > this.#options.oldestAlarmMs) {
      const hours = Math.floor(counts.oldestPendingAgeMs / 3_600_000);
      alarms.raise(
        'sync.oldest_too_old',
        `The oldest queued application has waited ${hours} h for delivery.`,
      );
    } else if (alarms.isOpen('sync.oldest_too_old')) {
      alarms.clear('sync.oldest_too_old');
    }
  }

  #emit(state: SyncProgress['state'], current?: SyncProgress['current']): void {
    if (this.#listeners.size === 0) return;
    const { outbox, clock } = this.#deps;
    const counts = outbox.counts(clock.now());
    const progress: SyncProgress = {
      state,
      pending: counts.pending,
      pendingBytes: counts.pendingBytes,
      oldestAgeMs: counts.oldestPendingAgeMs,
      quarantined: outbox.quarantined().length,
      ...(current === undefined ? {} : { current }),
    };
    for (const l of this.#listeners) {
      try {
        l(progress);
      } catch {
        // a listener's failure does not stop delivery
      }
    }
  }
}
