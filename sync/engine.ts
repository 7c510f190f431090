/**
 * The sync engine: delivers the outbox to the portal, one sender at a time, exactly once in
 * effect (every attempt reuses the item's idempotency key; the portal answers a repeat the same).
 *
 * - Backoff: exponential with FULL jitter and a cap (random source injected); `Retry-After` is
 *   honoured as a lower bound.
 * - Never gives up silently: an alarm when an item has had N attempts, or when the oldest pending
 *   item is older than a configurable age (default 4 hours). Quarantined items raise an alarm.
 * - Offline: after a network failure it probes `/v1/health` at a short interval while items
 *   wait; when the probe answers (or `networkChanged(true)` is called) every item becomes due
 *   and the first attempt follows at once.
 * - Attachments go up in chunks that resume from the length the portal holds: an interruption
 *   costs at most one chunk again.
 * - Status events are verified against the portal's signing key before they touch the outbox.
 * - Sealed data is purged once the retention after the authority's acceptance has ended.
 * - Clock steps: retry times are wall-clock times in the store (they survive a restart), so the
 *   engine watches the wall clock against the monotonic one: a step raises `sync.clock_step` and
 *   moves waiting items by the step; a retry time further ahead than any delay the engine sets
 *   (a step before a restart) counts as due. A wall clock set back hours never stalls delivery.
 *
 * - One sender per data folder: a pass runs only while it holds the store's sender lease; a
 *   second process finds it busy and tries again later. An item whose claim (`queued` →
 *   `sending`) changed no row is not sent.
 *
 * `dispose()` cancels every timer; nothing keeps running afterwards.
 */
import { randomBytes } from 'node:crypto';
import { compactVerify } from 'jose';
import type { Alarms } from './alarms.ts';
import type { ClientError, PortalApi } from './client.ts';
import type { Clock, RandomUnit, Scheduler, TimerHandle } from './clock.ts';
import type { Outbox, OutboxItem } from './outbox.ts';
import { STATUS_JWS_TYPE, type StatusEvent, statusEventSchema } from './protocol/index.ts';
import { type KeyMaterial, type SealedSubmission, verifySealedIntegrity } from './sealing.ts';

export interface EngineOptions {
  /** First backoff ceiling (default 2 s). */
  readonly baseDelayMs?: number;
  /** Backoff cap (default 5 min). */
  readonly maxDelayMs?: number;
  /** Alarm once an item has had this many attempts (default 8). It keeps being retried. */
  readonly alarmAfterAttempts?: number;
  /** Alarm when the oldest pending item is older than this (default 4 h). */
  readonly oldestAlarmMs?: number;
  /** Attachment chunk size in bytes (default 256 KiB). */
  readonly chunkBytes?: number;
  /** Health probe interval while offline with items waiting (default 2 s). */
  readonly probeIntervalMs?: number;
  /** How often status events are pulled while online (default 60 s). */
  readonly statusPollMs?: number;
  /** Wait after the portal refused the terminal's credentials (default 15 min). */
  readonly authRetryMs?: number;
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

/** Step boundaries of one delivery; tests inject a crash (a throw) at each. */
export type DeliveryStep = 'marked' | 'created' | 'chunk' | 'parts_done' | 'submitted' | 'recorded';

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
  readonly current?: {
    readonly submissionId: string;
    readonly bytesSent: number;
    readonly bytesTotal: number;
  };
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

/** How one delivery attempt ended. */
export type AttemptOutcome = 'delivered' | 'retry' | 'skew' | 'quarantined' | 'offline' | 'auth';
type Outcome = AttemptOutcome;

const STATUS_CURSOR_KEY = 'status_cursor';
const MAX_STATUS_PAGES = 50;
const MAX_OFFSET_CORRECTIONS = 3;

const encoder = new TextEncoder();

export function backoffDelay(
  attempt: number,
  random: RandomUnit,
  baseMs: number,
  capMs: number,
  retryAfterMs?: number,
): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, Math.min(30, attempt - 1)));
  const jittered = Math.floor(random() * ceiling);
  return retryAfterMs === undefined ? jittered : Math.max(jittered, retryAfterMs);
}

export class SyncEngine {
  readonly #d: EngineDeps;
  readonly #o: Required<EngineOptions>;
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
    this.#d = deps;
    const o = deps.options ?? {};
    this.#o = {
      baseDelayMs: o.baseDelayMs ?? 2000,
      maxDelayMs: o.maxDelayMs ?? 5 * 60_000,
      alarmAfterAttempts: o.alarmAfterAttempts ?? 8,
      oldestAlarmMs: o.oldestAlarmMs ?? 4 * 60 * 60_000,
      chunkBytes: o.chunkBytes ?? 256 * 1024,
      probeIntervalMs: o.probeIntervalMs ?? 2000,
      statusPollMs: o.statusPollMs ?? 60_000,
      authRetryMs: o.authRetryMs ?? 15 * 60_000,
      clockStepMs: o.clockStepMs ?? 60_000,
      leaseMs: o.leaseMs ?? 120_000,
      reconcileAfterMs: o.reconcileAfterMs ?? 10 * 60_000,
      maxWaitMs: o.maxWaitMs ?? Math.max(o.maxDelayMs ?? 5 * 60_000, o.authRetryMs ?? 15 * 60_000) + 60_000,
    };
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
      this.#d.outbox.makeAllDue(this.#d.clock.now());
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
    this.#timer = this.#d.scheduler.after(Math.max(0, ms), () => {
      this.#timer = undefined;
      void this.runPass().catch((e: unknown) => {
        // a failing store (not a portal problem): say so; the next pass is already scheduled
        const code = (e as { code?: unknown } | null)?.code;
        this.#d.alarms.raise(
          'storage.failed',
          `Delivery stopped on a local error (${typeof code === 'string' ? code : 'error'}); it will be retried.`,
        );
      });
    });
  }

  #scheduleNext(): void {
    const { outbox, clock } = this.#d;
    this.#checkClockStep();
    const now = clock.now();
    const pending = outbox.counts(now).pending;
    if (this.#busy) {
      // another process sends: look again a little later
      this.#schedule(Math.min(this.#o.probeIntervalMs, this.#o.leaseMs));
      return;
    }
    if (this.#offline) {
      if (pending > 0) this.#schedule(this.#o.probeIntervalMs);
      else this.#schedule(this.#o.statusPollMs);
      return;
    }
    const wake = outbox.nextWakeAt();
    let delay = Math.max(0, this.#lastStatusPoll + this.#o.statusPollMs - clock.monotonic());
    if (wake !== undefined) delay = Math.min(delay, this.#waitUntil(wake, now));
    this.#schedule(delay);
  }

  async #runPass(): Promise<PassResult> {
    const { outbox } = this.#d;
    if (!outbox.acquireSenderLease(this.#owner, this.#o.leaseMs)) {
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
        outbox.releaseSenderLease(this.#owner);
      } catch {
        // it expires by itself
      }
    }
  }

  async #runLeasedPass(): Promise<PassResult> {
    const { outbox, clock, api } = this.#d;
    let attempted = 0;
    let delivered = 0;
    let retried = 0;
    let quarantined = 0;
    let authFailed = false;
    let statusEvents = 0;
    // one sender: anything still `sending` was cut off (a local error mid-attempt); it is due again
    outbox.recoverInterrupted();
    this.#checkClockStep();
    const purged = outbox.purgeDue(clock.now());
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
      const item = outbox.nextDue(now, now + this.#o.maxWaitMs);
      if (item === undefined) break;
      // still the one sender? (the lease is renewed before every item)
      if (!outbox.acquireSenderLease(this.#owner, this.#o.leaseMs)) break;
      attempted++;
      const outcome = await this.#deliver(item, skewRetried);
      try {
        this.#d.onAttempt?.(outcome);
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
      const due = clock.monotonic() - this.#lastStatusPoll >= this.#o.statusPollMs || delivered > 0;
      if (due) statusEvents = await this.#pullStatus();
      const lost = await this.#reconcile();
      if (lost > 0) this.#again = true;
    }
    this.#checkAge();
    return finish();
  }

  #result(r: Omit<PassResult, 'offline' | 'pending'>): PassResult {
    const pending = this.#d.outbox.counts(this.#d.clock.now()).pending;
    this.#emit(this.#offline ? 'offline' : 'idle');
    return { ...r, offline: this.#offline, pending };
  }

  async #deliver(item: OutboxItem, skewRetried: boolean): Promise<Outcome> {
    const { outbox, api, alarms } = this.#d;
    const id = item.submissionId;
    const attempt = outbox.beginAttempt(id);
    // the claim changed no row: someone else has it, or it was delivered meanwhile; not sent
    if (attempt === undefined) return 'retry';
    this.#step('marked', id);
    if (attempt >= this.#o.alarmAfterAttempts) {
      alarms.raise(
        'sync.attempts_exceeded',
        `A queued application has failed ${attempt} delivery attempts; the terminal keeps trying.`,
      );
    }
    const sealed = outbox.loadSealed(id);
    if (sealed === undefined) {
      outbox.markRejected(id, 'terminal', 'store.sealed_missing');
      return 'quarantined';
    }
    const integrity = await verifySealedIntegrity(sealed, this.#d.devicePublicKey);
    if (!integrity.ok) {
      outbox.markRejected(id, 'terminal', integrity.error.code);
      return 'quarantined';
    }
    const fail = (e: ClientError) => this.#fail(item, attempt, e, skewRetried);
    const created = await api.createSubmission(item.idempotencyKey, {
      submissionId: id,
      metadata: sealed.metadata,
      parts: sealed.parts.map((p) => ({
        partId: p.partId,
        kind: p.kind,
        mediaType: p.mediaType,
        sealedSize: p.sealedSize,
        sha512OfSealed: p.sha512OfSealed,
      })),
      manifestSignature: sealed.manifestSignature,
    });
    if (!created.ok) return fail(created.error);
    if (created.value.submissionId !== id) return this.#mismatch(item, attempt, 'submission id');
    this.#step('created', id);
    if (created.value.state === 'open') {
      const uploaded = await this.#uploadParts(sealed, created.value.parts, created.replayed);
      if (uploaded !== undefined) return fail(uploaded);
    }
    this.#step('parts_done', id);
    const submitted = await api.submit(id);
    if (!submitted.ok) return fail(submitted.error);
    if (submitted.value.submissionId !== id) return this.#mismatch(item, attempt, 'submission id');
    if (submitted.value.trackingNumber !== item.trackingNumber) {
      return this.#mismatch(item, attempt, 'tracking number');
    }
    this.#step('submitted', id);
    outbox.markDelivered(id, submitted.value.receivedAt);
    this.#step('recorded', id);
    if (alarms.isOpen('sync.auth')) alarms.clear('sync.auth');
    return 'delivered';
  }

  /** Uploads what the portal does not hold yet; returns the error that stopped it, if any. */
  async #uploadParts(
    sealed: SealedSubmission,
    states: readonly { partId: string; received: number; complete: boolean }[],
    replayed: boolean,
  ): Promise<ClientError | undefined> {
    const { api } = this.#d;
    const id = sealed.submissionId;
    const total = sealed.parts.reduce((n, p) => n + p.sealedSize, 0);
    let sentBefore = 0;
    for (const part of sealed.parts) {
      const known = states.find((s) => s.partId === part.partId);
      if (known?.complete === true && !replayed) {
        sentBefore += part.sealedSize;
        continue;
      }
      let offset = known?.received ?? 0;
      if (replayed || known === undefined) {
        // a replayed answer shows the state at the first attempt: ask for the current length
        const current = await api.getPart(id, part.partId);
        if (!current.ok) return current.error;
        offset = current.value.received;
      }
      const bytes = encoder.encode(part.jwe);
      let corrections = 0;
      while (offset < bytes.length) {
        if (this.#disposed)
          return { kind: 'retryable', code: 'engine.disposed', message: 'the engine was stopped' };
        const chunk = bytes.subarray(offset, Math.min(bytes.length, offset + this.#o.chunkBytes));
        const put = await api.putPart(id, part.partId, offset, chunk);
        if (!put.ok) {
          const e = put.error;
          if (
            (e.code === 'part.gap' || e.code === 'part.overlap') &&
            e.received !== undefined &&
            corrections < MAX_OFFSET_CORRECTIONS
          ) {
            corrections++;
            offset = e.received;
            continue;
          }
          return e;
        }
        offset = put.value.received;
        if (!this.#d.outbox.acquireSenderLease(this.#owner, this.#o.leaseMs))
          return { kind: 'retryable', code: 'engine.lease_lost', message: 'another sender took over' };
        this.#step('chunk', id);
        this.#emit('sending', { submissionId: id, bytesSent: sentBefore + offset, bytesTotal: total });
      }
      sentBefore += part.sealedSize;
    }
    return undefined;
  }

  /**
   * An answer about another submission than the one sent (a confused or forged portal): a
   * protocol error. The item is not marked delivered; it is tried again later, and the
   * administrator is told.
   */
  #mismatch(item: OutboxItem, attempt: number, what: string): Outcome {
    const { outbox, alarms, clock } = this.#d;
    alarms.raise(
      'sync.integrity',
      `The portal answered a delivery with another ${what}; the application was not marked delivered.`,
    );
    const delay = backoffDelay(attempt, this.#d.random, this.#o.baseDelayMs, this.#o.maxDelayMs);
    outbox.markRetry(item.submissionId, 'response.mismatch', clock.now() + delay);
    return 'retry';
  }

  #fail(item: OutboxItem, attempt: number, e: ClientError, skewRetried: boolean): Outcome {
    const { outbox, alarms, clock } = this.#d;
    const id = item.submissionId;
    const now = clock.now();
    switch (e.kind) {
      case 'permanent': {
        outbox.markRejected(id, 'portal', e.reason ?? e.code);
        return 'quarantined';
      }
      case 'auth': {
        alarms.raise('sync.auth', 'The portal does not accept this terminal; it needs to be enrolled again.');
        outbox.markRetry(id, e.code, now + this.#o.authRetryMs);
        return 'auth';
      }
      case 'clock_skew': {
        alarms.raise(
          'sync.clock_skew',
          "The terminal's clock differs from the portal's; corrected for sending.",
        );
        // the client corrected its offset from the portal's Date: one immediate retry
        const delay = skewRetried
          ? backoffDelay(attempt, this.#d.random, this.#o.baseDelayMs, this.#o.maxDelayMs)
          : 0;
        outbox.markRetry(id, e.code, now + delay);
        return 'skew';
      }
      default: {
        const delay = backoffDelay(
          attempt,
          this.#d.random,
          this.#o.baseDelayMs,
          this.#o.maxDelayMs,
          e.retryAfterMs,
        );
        outbox.markRetry(id, e.code, now + delay);
        return e.code === 'net.error' || e.code === 'net.timeout' ? 'offline' : 'retry';
      }
    }
  }

  /** Pulls signed status events; returns how many were applied. */
  async #pullStatus(): Promise<number> {
    const { outbox, api, alarms, clock } = this.#d;
    this.#lastStatusPoll = clock.monotonic();
    let applied = 0;
    for (let page = 0; page < MAX_STATUS_PAGES; page++) {
      const cursor = outbox.getState(STATUS_CURSOR_KEY);
      const r = await api.statusEvents(cursor);
      if (!r.ok) {
        if (r.error.kind === 'auth') {
          alarms.raise(
            'sync.auth',
            'The portal does not accept this terminal; it needs to be enrolled again.',
          );
        }
        return applied;
      }
      let last = cursor;
      for (const jws of r.value.events) {
        const event = await this.#verifyEvent(jws);
        if (event === undefined) {
          alarms.raise(
            'sync.integrity',
            'A status event from the portal failed its signature check; it was not applied.',
          );
          if (last !== undefined) outbox.setState(STATUS_CURSOR_KEY, last);
          return applied;
        }
        if (event.terminalId === this.#d.terminalId) {
          if (outbox.applyStatus(event.submissionId, event.status, Date.parse(event.at))) applied++;
        }
        last = event.cursor;
      }
      const next = r.value.events.length > 0 ? r.value.cursor : cursor;
      if (next !== undefined) outbox.setState(STATUS_CURSOR_KEY, next);
      if (r.value.events.length === 0 || next === cursor) break;
    }
    return applied;
  }

  async #verifyEvent(jws: string): Promise<StatusEvent | undefined> {
    try {
      const { payload, protectedHeader } = await compactVerify(jws, this.#d.portalSigningKey, {
        algorithms: ['ES256'],
      });
      // a signed object of another type (a command, a configuration) is not a status event
      if (protectedHeader.typ !== STATUS_JWS_TYPE) return undefined;
      const parsed = statusEventSchema.safeParse(JSON.parse(new TextDecoder().decode(payload)));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * Asks the portal about delivered items not accepted for a while (a few per pass); one it does
   * not know is queued again. Returns how many were. Stops at the first answer that is not clear.
   */
  async #reconcile(): Promise<number> {
    const { outbox, api, clock } = this.#d;
    let lost = 0;
    for (const item of outbox.deliveredToReconcile(clock.now() - this.#o.reconcileAfterMs, 5)) {
      if (this.#disposed) break;
      const sealed = outbox.loadSealed(item.submissionId);
      const part = sealed?.parts[0];
      if (part === undefined) {
        outbox.markReconciled(item.submissionId);
        continue;
      }
      const r = await api.getPart(item.submissionId, part.partId);
      if (r.ok) outbox.markReconciled(item.submissionId);
      else if (r.error.code === 'submission.not_found') {
        if (outbox.requeueLost(item.submissionId)) lost++;
      } else break;
    }
    return lost;
  }

  /** How long to wait for a retry time; one beyond `maxWaitMs` is due now (the clock went back). */
  #waitUntil(at: number, now: number): number {
    const wait = at - now;
    return wait > this.#o.maxWaitMs ? 0 : Math.max(0, wait);
  }

  /** Notices a step of the wall clock: an alarm, and waiting items keep their monotonic delay. */
  #checkClockStep(): void {
    const { clock, outbox, alarms } = this.#d;
    const offset = clock.now() - clock.monotonic();
    const previous = this.#wallOffset;
    this.#wallOffset = offset;
    if (previous === undefined) return;
    const step = offset - previous;
    if (Math.abs(step) <= this.#o.clockStepMs) return;
    outbox.shiftWaiting(step);
    const minutes = Math.round(step / 60_000);
    alarms.raise(
      'sync.clock_step',
      `The wall clock jumped by ${minutes > 0 ? '+' : ''}${minutes} min; waiting deliveries were moved with it.`,
    );
  }

  #checkAge(): void {
    const { outbox, alarms, clock } = this.#d;
    const counts = outbox.counts(clock.now());
    if (counts.oldestPendingAgeMs !== null && counts.oldestPendingAgeMs > this.#o.oldestAlarmMs) {
      const hours = Math.floor(counts.oldestPendingAgeMs / 3_600_000);
      alarms.raise(
        'sync.oldest_too_old',
        `The oldest queued application has waited ${hours} h for delivery.`,
      );
    } else if (alarms.isOpen('sync.oldest_too_old')) {
      alarms.clear('sync.oldest_too_old');
    }
  }

  #step(step: DeliveryStep, submissionId: string): void {
    this.#d.onStep?.(step, submissionId);
  }

  #emit(state: SyncProgress['state'], current?: SyncProgress['current']): void {
    if (this.#listeners.size === 0) return;
    const counts = this.#d.outbox.counts(this.#d.clock.now());
    const progress: SyncProgress = {
      state,
      pending: counts.pending,
      pendingBytes: counts.pendingBytes,
      oldestAgeMs: counts.oldestPendingAgeMs,
      quarantined: this.#d.outbox.quarantined().length,
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
