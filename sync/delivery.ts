/**
 * Delivery of one queued item to the portal, exactly once in effect: every attempt reuses the
 * item's idempotency key, and the portal answers a repeat the same.
 *
 * - The item is marked `sending` (attempt counted, preset to failed) before anything is sent; an
 *   item whose claim changed no row is not sent.
 * - Its own queued ciphertexts are verified against the terminal's key before sending: a tampered
 *   item is quarantined, not sent.
 * - Attachments go up in chunks that resume from the length the portal holds: an interruption
 *   costs at most one chunk again. The sender lease is checked before every chunk (renewed once a quarter of its
 *   lifetime has passed).
 * - A failure is classed: permanent (quarantined), auth (re-enrolment alarm, long wait), clock
 *   skew (one immediate retry), otherwise a retry after exponential backoff with FULL jitter and
 *   a cap, `Retry-After` as a lower bound.
 * - An answer about another submission or tracking number is a protocol error: not delivered,
 *   tried again later, the administrator told.
 */

import type { Clock, RandomUnit } from '../common/clock.ts';
import type { Alarms } from './alarms.ts';
import type { ClientError, PortalApi } from './client.ts';
import type { Outbox, OutboxItem } from './outbox.ts';
import { MAX_CHUNK_BYTES } from './protocol/index.ts';
import { type KeyMaterial, type SealedSubmission, verifySealedIntegrity } from './sealing.ts';

/** Step boundaries of one delivery; tests inject a crash (a throw) at each. */
export type DeliveryStep = 'marked' | 'created' | 'chunk' | 'parts_done' | 'submitted' | 'recorded';

/** How one delivery ended: `skew` was retried at once, `offline` looks like the network. */
export type DeliveryOutcome = 'delivered' | 'retry' | 'skew' | 'quarantined' | 'offline' | 'auth';

export interface DeliveryOptions {
  /** First backoff ceiling (default 2 s). */
  readonly baseDelayMs?: number;
  /** Backoff cap (default 5 min). */
  readonly maxDelayMs?: number;
  /** Alarm once an item has had this many attempts (default 8). It keeps being retried. */
  readonly alarmAfterAttempts?: number;
  /**
   * Attachment chunk size in bytes (default and most: the protocol's `MAX_CHUNK_BYTES`, 1 MiB;
   * a larger value is cut to it, since the portal refuses a larger chunk for good).
   */
  readonly chunkBytes?: number;
  /** Wait after the portal refused the terminal's credentials (default 15 min). */
  readonly authRetryMs?: number;
}

export const DELIVERY_DEFAULTS: Required<DeliveryOptions> = {
  baseDelayMs: 2000,
  maxDelayMs: 5 * 60_000,
  alarmAfterAttempts: 8,
  chunkBytes: MAX_CHUNK_BYTES,
  authRetryMs: 15 * 60_000,
};

/** Upload progress of the item being delivered. */
export interface DeliveryProgress {
  readonly submissionId: string;
  readonly bytesSent: number;
  readonly bytesTotal: number;
}

export interface DeliveryDeps {
  readonly outbox: Outbox;
  readonly alarms: Alarms;
  readonly api: PortalApi;
  readonly clock: Clock;
  readonly random: RandomUnit;
  /** The terminal's own public key: checks the manifest signature of queued items. */
  readonly devicePublicKey: KeyMaterial;
  readonly options: Required<DeliveryOptions>;
  /** Renews the sender lease; false when another sender took over. */
  readonly renewLease: () => boolean;
  /** Whether the engine was stopped: an upload stops between chunks. */
  readonly stopped: () => boolean;
  readonly onProgress: (progress: DeliveryProgress) => void;
  readonly onStep?: (step: DeliveryStep, submissionId: string) => void;
}

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

export class Delivery {
  readonly #deps: DeliveryDeps;

  constructor(deps: DeliveryDeps) {
    this.#deps = deps;
  }

  /** Delivers one item; `skewRetried` once a clock-skew answer was retried at once in this pass. */
  async deliver(item: OutboxItem, skewRetried: boolean): Promise<DeliveryOutcome> {
    const { outbox, api, alarms, options } = this.#deps;
    const id = item.submissionId;
    const attempt = outbox.beginAttempt(id);
    // the claim changed no row: someone else has it, or it was delivered meanwhile; not sent
    if (attempt === undefined) return 'retry';
    this.#step('marked', id);
    if (attempt >= options.alarmAfterAttempts) {
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
    const integrity = await verifySealedIntegrity(sealed, this.#deps.devicePublicKey);
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
    const { api, options } = this.#deps;
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
      const chunkBytes = Math.min(options.chunkBytes, MAX_CHUNK_BYTES);
      let corrections = 0;
      while (offset < bytes.length) {
        if (this.#deps.stopped())
          return { kind: 'retryable', code: 'engine.disposed', message: 'the engine was stopped' };
        const chunk = bytes.subarray(offset, Math.min(bytes.length, offset + chunkBytes));
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
        if (!this.#deps.renewLease())
          return { kind: 'retryable', code: 'engine.lease_lost', message: 'another sender took over' };
        this.#step('chunk', id);
        this.#deps.onProgress({ submissionId: id, bytesSent: sentBefore + offset, bytesTotal: total });
      }
      sentBefore += part.sealedSize;
    }
    return undefined;
  }

  #backoff(attempt: number, retryAfterMs?: number): number {
    const { random, options } = this.#deps;
    return backoffDelay(attempt, random, options.baseDelayMs, options.maxDelayMs, retryAfterMs);
  }

  /**
   * An answer about another submission than the one sent (a confused or forged portal): a
   * protocol error. The item is not marked delivered; it is tried again later, and the
   * administrator is told.
   */
  #mismatch(item: OutboxItem, attempt: number, what: string): DeliveryOutcome {
    const { outbox, alarms, clock } = this.#deps;
    alarms.raise(
      'sync.integrity',
      `The portal answered a delivery with another ${what}; the application was not marked delivered.`,
    );
    outbox.markRetry(item.submissionId, 'response.mismatch', clock.now() + this.#backoff(attempt));
    return 'retry';
  }

  #fail(item: OutboxItem, attempt: number, e: ClientError, skewRetried: boolean): DeliveryOutcome {
    const { outbox, alarms, clock, options } = this.#deps;
    const id = item.submissionId;
    const now = clock.now();
    switch (e.kind) {
      case 'permanent': {
        outbox.markRejected(id, 'portal', e.reason ?? e.code);
        return 'quarantined';
      }
      case 'auth': {
        alarms.raise('sync.auth', 'The portal does not accept this terminal; it needs to be enrolled again.');
        outbox.markRetry(id, e.code, now + options.authRetryMs);
        return 'auth';
      }
      case 'clock_skew': {
        alarms.raise(
          'sync.clock_skew',
          "The terminal's clock differs from the portal's; corrected for sending.",
        );
        // the client corrected its offset from the portal's Date: one immediate retry
        outbox.markRetry(id, e.code, now + (skewRetried ? this.#backoff(attempt) : 0));
        return 'skew';
      }
      default: {
        outbox.markRetry(id, e.code, now + this.#backoff(attempt, e.retryAfterMs));
        return e.code === 'net.error' || e.code === 'net.timeout' ? 'offline' : 'retry';
      }
    }
  }

  #step(step: DeliveryStep, submissionId: string): void {
    this.#deps.onStep?.(step, submissionId);
  }
}
