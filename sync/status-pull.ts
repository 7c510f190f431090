/**
 * What the portal says about delivered items:
 *
 * - the status pull: signed status events, read from a cursor kept in the store's state, each
 *   verified against the portal's signing key (and its type) before it touches the outbox; a
 *   forged event stops the pull and raises `sync.integrity`, its cursor not advanced;
 * - the reconciliation: a delivered item not accepted for a while is looked up at the portal; one
 *   it no longer holds (restored from an older backup) is queued again, with the same key.
 */
import { compactVerify } from 'jose';
import type { Clock } from '../common/clock.ts';
import type { Alarms } from './alarms.ts';
import type { PortalApi } from './client.ts';
import type { Outbox } from './outbox.ts';
import { STATUS_JWS_TYPE, type StatusEvent, statusEventSchema } from './protocol/index.ts';
import type { KeyMaterial } from './sealing.ts';
import type { SyncState } from './state.ts';

/** The `sync_state` key of the status cursor. */
export const STATUS_CURSOR_KEY = 'status_cursor';
const MAX_STATUS_PAGES = 50;
/** Delivered items looked up per pass. */
const RECONCILE_BATCH = 5;

export interface StatusPullDeps {
  readonly outbox: Outbox;
  readonly state: SyncState;
  readonly alarms: Alarms;
  readonly api: PortalApi;
  readonly clock: Clock;
  readonly terminalId: string;
  /** The portal's signing key from enrolment: verifies status events. */
  readonly portalSigningKey: KeyMaterial;
  /** How long a delivered item waits before it is looked up at the portal (again). */
  readonly reconcileAfterMs: number;
  /** Whether the engine was stopped: reconciliation stops between items. */
  readonly stopped: () => boolean;
}

export class StatusPull {
  readonly #deps: StatusPullDeps;

  constructor(deps: StatusPullDeps) {
    this.#deps = deps;
  }

  /** Pulls signed status events; returns how many were applied. */
  async pull(): Promise<number> {
    const { outbox, state, api, alarms } = this.#deps;
    let applied = 0;
    for (let page = 0; page < MAX_STATUS_PAGES; page++) {
      const cursor = state.getState(STATUS_CURSOR_KEY);
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
          if (last !== undefined) state.setState(STATUS_CURSOR_KEY, last);
          return applied;
        }
        if (event.terminalId === this.#deps.terminalId) {
          if (outbox.applyStatus(event.submissionId, event.status, Date.parse(event.at))) applied++;
        }
        last = event.cursor;
      }
      const next = r.value.events.length > 0 ? r.value.cursor : cursor;
      if (next !== undefined) state.setState(STATUS_CURSOR_KEY, next);
      if (r.value.events.length === 0 || next === cursor) break;
    }
    return applied;
  }

  async #verifyEvent(jws: string): Promise<StatusEvent | undefined> {
    try {
      const { payload, protectedHeader } = await compactVerify(jws, this.#deps.portalSigningKey, {
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
  async reconcile(): Promise<number> {
    const { outbox, api, clock } = this.#deps;
    let lost = 0;
    const before = clock.now() - this.#deps.reconcileAfterMs;
    for (const item of outbox.deliveredToReconcile(before, RECONCILE_BATCH)) {
      if (this.#deps.stopped()) break;
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
}
