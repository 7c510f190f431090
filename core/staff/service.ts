import { randomBytes } from 'node:crypto';
import type { Clock, TimerHandle } from '../clock.ts';
import type { EventBus } from '../events.ts';
import { BADGE_MAX_LENGTH, badgeHash, badgeRef, normalizeBadge } from './badge.ts';
import type { PinHasher } from './hasher.ts';
import { Lockout, type LockoutPolicy, type LockoutStore } from './lockout.ts';
import { PIN_MIN_LENGTH, type StaffRecord, type StaffRole } from './records.ts';

/**
 * Sign-in of counter staff (badge + PIN) and administrators (badge + password or PIN), and the
 * staff session that follows.
 *
 * - Staff sign in on top of a visitor's session: their session is bound to that visitor session
 *   and gives access to it alone; it ends with it. Administrators sign in separately (their own
 *   records and call); their session is bound to no visitor session and reaches none.
 * - One staff or administrator session at a time; a new sign-in replaces the old one.
 * - A session ends when signed out, after `idleSeconds` without activity, when its visitor
 *   session ends, or at shutdown.
 * - Failures lock sign-in out with a growing delay per badge and per terminal (lockout.ts). An
 *   attempt during a lockout is refused before anything is verified. An unknown badge is verified
 *   against a dummy hash of the same cost, so the answer time does not tell whether it exists.
 * - Everything is audited through the `audit` sink: never the PIN, never the badge code, never
 *   the name; a badge appears as the first 8 hex characters of its keyed hash. A sign-in or an
 *   action the sink cannot record (it throws) is refused; endings happen whatever the sink does.
 */

export type AuditFields = Record<string, string | number | boolean>;
export type AuditSink = (event: string, fields: AuditFields) => void;

export const staffErrorCodes = {
  notConfigured: 'staff.not_configured',
  badInput: 'staff.bad_input',
  invalidCredentials: 'staff.invalid_credentials',
  locked: 'staff.locked',
  busy: 'staff.busy',
  noVisitorSession: 'staff.no_visitor_session',
  noSession: 'staff.no_session',
  forbidden: 'staff.forbidden',
  unavailable: 'staff.unavailable',
} as const;

export type StaffErrorCode = (typeof staffErrorCodes)[keyof typeof staffErrorCodes];

export interface StaffError {
  readonly code: StaffErrorCode;
  readonly message: string;
  /** With `staff.locked`, and with `staff.invalid_credentials` when that failure started a lockout. */
  readonly retryAfterSeconds?: number;
}

export type StaffResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: StaffError };

export type StaffEndReason = 'sign_out' | 'timeout' | 'replaced' | 'visitor_session_ended' | 'shutdown';

export interface StaffSessionInfo {
  readonly id: string;
  readonly role: StaffRole;
  /** The person's display name from the record, for the screen only. */
  readonly name: string;
  /** First 8 hex characters of the badge's keyed hash. */
  readonly badgeRef: string;
  /** The visitor session a staff session was opened on; null for an administrator. */
  readonly visitorSessionId: string | null;
  readonly startedAt: string;
  readonly idleSeconds: number;
}

export interface StaffCredentials {
  readonly records: readonly StaffRecord[];
  /** The terminal's badge secret (parseBadgeSecret); null: sign-in is not configured. */
  readonly badgeSecret: Uint8Array | null;
}

export interface StaffServiceDeps {
  readonly clock: Clock;
  readonly audit: AuditSink;
  readonly hasher: PinHasher;
  /**
   * Who may sign in, asked at every attempt: the records and the badge secret change when the
   * portal sends a new signed configuration.
   */
  readonly credentials: () => StaffCredentials;
  /** The id of the visitor session on screen, or null. */
  readonly currentVisitorSessionId: () => string | null;
  /** When given, a staff session ends with the visitor session it is bound to. */
  readonly events?: EventBus;
  readonly newId?: () => string;
  /** Idle time after which a staff or administrator session ends (default 300 s). */
  readonly idleSeconds?: number;
  readonly lockout?: Partial<LockoutPolicy>;
  /** Where the lockout counters outlive a restart (the queue database); in memory without one. */
  readonly lockoutStore?: LockoutStore;
  /** The lockout store failed (the counters go on in memory). */
  readonly onLockoutStoreError?: (operation: 'load' | 'save' | 'remove') => void;
}

const PIN_MAX_LENGTH = 128;
const ACTION_NAME = /^[a-z][a-z0-9_.-]{0,63}$/;

interface Active {
  info: StaffSessionInfo;
  badgeRef: string;
  lastActivity: number;
  timer: TimerHandle | null;
}

function failure(code: StaffErrorCode, message: string, retryAfterMs?: number): StaffResult<never> {
  return {
    ok: false,
    error:
      retryAfterMs === undefined || retryAfterMs <= 0
        ? { code, message }
        : { code, message, retryAfterSeconds: Math.ceil(retryAfterMs / 1000) },
  };
}

export class StaffService {
  private readonly lockout: Lockout;
  private readonly idleMs: number;
  private readonly newId: () => string;
  private readonly dummies = new Map<StaffRole, Promise<string | null>>();
  private readonly endListeners = new Set<(info: StaffSessionInfo, reason: StaffEndReason) => void>();
  private readonly unsubscribe: () => void;
  private active: Active | null = null;
  private verifying = false;
  private disposed = false;

  constructor(private readonly deps: StaffServiceDeps) {
    this.lockout = new Lockout(
      () => deps.clock.monotonic(),
      deps.lockout ?? {},
      deps.lockoutStore
        ? {
            store: deps.lockoutStore,
            wallNow: () => deps.clock.now(),
            ...(deps.onLockoutStoreError ? { onError: deps.onLockoutStoreError } : {}),
          }
        : undefined,
    );
    this.idleMs = (deps.idleSeconds ?? 300) * 1000;
    this.newId = deps.newId ?? (() => randomBytes(16).toString('hex'));
    // The dummy hashes are made now, so the first unknown badge does not take longer than a known one.
    if (deps.credentials().badgeSecret) for (const role of ['staff', 'admin'] as const) this.dummyFor(role);
    this.unsubscribe =
      deps.events?.subscribe((event) => {
        if (event.name === 'session.ended') this.visitorSessionEnded(event.payload.sessionId);
      }) ?? (() => {});
  }

  /** Counter staff: badge and PIN, on top of the visitor session on screen. */
  signIn(input: { badge: string; pin: string }): Promise<StaffResult<StaffSessionInfo>> {
    return this.attempt('staff', input.badge, input.pin);
  }

  /** Administrators: badge and their password or PIN; not bound to any visitor session. */
  signInAdmin(input: { badge: string; password: string }): Promise<StaffResult<StaffSessionInfo>> {
    return this.attempt('admin', input.badge, input.password);
  }

  /** The staff or administrator session, or null (an idle one past its time counts as ended). */
  current(): StaffSessionInfo | null {
    return this.live()?.info ?? null;
  }

  /** Activity in the staff session: the idle countdown starts again. */
  touch(staffSessionId: string): StaffResult<{ remainingSeconds: number }> {
    const active = this.live();
    if (!active || active.info.id !== staffSessionId)
      return failure(staffErrorCodes.noSession, 'no staff session');
    this.arm(active);
    return { ok: true, value: { remainingSeconds: this.idleMs / 1000 } };
  }

  /** Ends the staff session explicitly; false when there is no such session. */
  signOut(staffSessionId: string): boolean {
    const active = this.live();
    if (!active || active.info.id !== staffSessionId) return false;
    this.end('sign_out');
    return true;
  }

  /**
   * A staff action on a visitor session: allowed only in a staff session opened on that very
   * visitor session while it is still the one on screen. Audited either way; counts as activity.
   */
  authorizeStaff(
    staffSessionId: string,
    visitorSessionId: string,
    action: string,
    detail: AuditFields = {},
  ): StaffResult<StaffSessionInfo> {
    const active = this.live();
    const allowed =
      active !== null &&
      active.info.id === staffSessionId &&
      active.info.role === 'staff' &&
      active.info.visitorSessionId === visitorSessionId &&
      this.deps.currentVisitorSessionId() === visitorSessionId;
    return this.decide(active, allowed, staffSessionId, action, detail);
  }

  /** An administrator's action on the terminal: allowed only in an administrator session. Audited. */
  authorizeAdmin(
    staffSessionId: string,
    action: string,
    detail: AuditFields = {},
  ): StaffResult<StaffSessionInfo> {
    const active = this.live();
    const allowed = active !== null && active.info.id === staffSessionId && active.info.role === 'admin';
    return this.decide(active, allowed, staffSessionId, action, detail);
  }

  /** Told when a staff session ends (the UI leaves its staff overlay). Returns the disposer. */
  onEnded(listener: (info: StaffSessionInfo, reason: StaffEndReason) => void): () => void {
    this.endListeners.add(listener);
    return () => {
      this.endListeners.delete(listener);
    };
  }

  /** Ends a staff session bound to this visitor session (wired to `session.ended` when `events` is given). */
  visitorSessionEnded(visitorSessionId: string): void {
    if (this.active && this.active.info.visitorSessionId === visitorSessionId)
      this.end('visitor_session_ended');
  }

  /** Ends the staff or administrator session there is, if any (a wipe of the terminal). */
  endSession(reason: StaffEndReason): void {
    if (this.active) this.end(reason);
  }

  dispose(): void {
    if (this.disposed) return;
    if (this.active) this.end('shutdown');
    this.disposed = true;
    this.unsubscribe();
    this.endListeners.clear();
  }

  private async attempt(
    role: StaffRole,
    rawBadge: string,
    secret: string,
  ): Promise<StaffResult<StaffSessionInfo>> {
    const { badgeSecret, records } = this.deps.credentials();
    if (this.disposed) return failure(staffErrorCodes.unavailable, 'the staff service is closed');
    if (!badgeSecret) return failure(staffErrorCodes.notConfigured, 'staff sign-in is not configured');
    const badge = typeof rawBadge === 'string' ? normalizeBadge(rawBadge) : '';
    if (badge.length === 0 || badge.length > BADGE_MAX_LENGTH)
      return failure(staffErrorCodes.badInput, 'badge code missing or too long');
    if (typeof secret !== 'string' || secret.length === 0 || secret.length > PIN_MAX_LENGTH)
      return failure(staffErrorCodes.badInput, 'PIN or password missing or too long');
    const visitorSessionId = role === 'staff' ? this.deps.currentVisitorSessionId() : null;
    if (role === 'staff' && visitorSessionId === null)
      return failure(staffErrorCodes.noVisitorSession, 'staff sign in on a visitor session');
    if (this.verifying) return failure(staffErrorCodes.busy, 'another sign-in is being checked');

    const key = badgeHash(badgeSecret, badge);
    const ref = badgeRef(key);
    const lock = this.lockout.check(key);
    if (lock.locked) {
      this.audit('staff.sign_in_locked', {
        role,
        badge: ref,
        scope: lock.scope,
        retryAfterSeconds: Math.ceil(lock.retryAfterMs / 1000),
      });
      return failure(staffErrorCodes.locked, `sign-in locked (${lock.scope})`, lock.retryAfterMs);
    }

    const record = this.find(records, role, key);
    // A PIN shorter than the minimum matches no record (kiosk hash-pin refuses to hash one); it
    // is still checked like any other, so the answer takes the usual time, and counts as a failure.
    const tooShort = secret.length < PIN_MIN_LENGTH;
    this.verifying = true;
    let verified: boolean;
    try {
      const phc = record?.pinHash ?? (await this.dummyFor(role, records));
      if (phc === null) throw new Error('no dummy hash');
      verified = (await this.deps.hasher.verify(phc, secret)) && record !== undefined && !tooShort;
    } catch {
      this.audit('staff.sign_in_error', { role, badge: ref });
      return failure(staffErrorCodes.unavailable, 'PIN verification is unavailable');
    } finally {
      this.verifying = false;
    }
    if (this.disposed) return failure(staffErrorCodes.unavailable, 'the staff service is closed');

    if (!verified || !record) {
      const outcome = this.lockout.recordFailure(key);
      this.audit('staff.sign_in_failed', {
        role,
        badge: ref,
        known: record !== undefined,
        reason: tooShort ? 'too_short' : 'invalid_credentials',
        badgeFailures: outcome.badgeFailures,
        terminalFailures: outcome.terminalFailures,
        lockedForSeconds: Math.ceil(outcome.lockedForMs / 1000),
      });
      return failure(staffErrorCodes.invalidCredentials, 'badge or PIN not accepted', outcome.lockedForMs);
    }

    this.lockout.recordSuccess(key);
    if (role === 'staff' && this.deps.currentVisitorSessionId() !== visitorSessionId) {
      // The visitor session ended while the PIN was being checked: nothing to assist any more.
      this.audit('staff.sign_in_failed', { role, badge: ref, known: true, reason: 'visitor_session_ended' });
      return failure(staffErrorCodes.noVisitorSession, 'the visitor session ended');
    }
    if (this.live()) this.end('replaced');
    const info: StaffSessionInfo = {
      id: this.newId(),
      role,
      name: record.name,
      badgeRef: ref,
      visitorSessionId,
      startedAt: new Date(this.deps.clock.now()).toISOString(),
      idleSeconds: this.idleMs / 1000,
    };
    const audited = this.audit('staff.sign_in_ok', {
      role,
      badge: ref,
      session: info.id,
      ...(visitorSessionId === null ? {} : { visitorSession: visitorSessionId }),
    });
    // No access that the audit trail does not know about.
    if (!audited) return failure(staffErrorCodes.unavailable, 'the sign-in could not be audited');
    const active: Active = { info, badgeRef: ref, lastActivity: 0, timer: null };
    this.active = active;
    this.arm(active);
    return { ok: true, value: info };
  }

  /** The record of this role with this badge hash; looks at every record whatever matches. */
  private find(records: readonly StaffRecord[], role: StaffRole, key: string): StaffRecord | undefined {
    let found: StaffRecord | undefined;
    for (const record of records) {
      const match = record.role === role && record.badgeHash === key;
      if (match && found === undefined) found = record;
    }
    return found;
  }

  /** A hash of a random secret with the cost of this role's records, for unknown badges. */
  private dummyFor(
    role: StaffRole,
    records: readonly StaffRecord[] = this.deps.credentials().records,
  ): Promise<string | null> {
    let dummy = this.dummies.get(role);
    if (!dummy) {
      const { hasher } = this.deps;
      const sample = records.find((r) => r.role === role) ?? records[0];
      const params = (sample && hasher.paramsOf(sample.pinHash)) ?? hasher.params;
      dummy = hasher.hash(randomBytes(16).toString('hex'), params).catch(() => null);
      this.dummies.set(role, dummy);
    }
    return dummy;
  }

  private decide(
    active: Active | null,
    allowed: boolean,
    staffSessionId: string,
    action: string,
    detail: AuditFields,
  ): StaffResult<StaffSessionInfo> {
    const name = ACTION_NAME.test(action) ? action : 'invalid';
    if (!active || !allowed) {
      this.audit('staff.action_denied', {
        action: name,
        session: active && active.info.id === staffSessionId ? staffSessionId : 'none',
      });
      return active && active.info.id === staffSessionId
        ? failure(staffErrorCodes.forbidden, 'not allowed in this staff session')
        : failure(staffErrorCodes.noSession, 'no staff session');
    }
    const audited = this.audit('staff.action', {
      ...detail,
      action: name,
      role: active.info.role,
      badge: active.badgeRef,
      session: active.info.id,
    });
    if (!audited) return failure(staffErrorCodes.unavailable, 'the action could not be audited');
    this.arm(active);
    return { ok: true, value: active.info };
  }

  /** The active session unless its idle time is up (a timer may fire late; the clock decides). */
  private live(): Active | null {
    const active = this.active;
    if (!active) return null;
    if (this.deps.clock.monotonic() - active.lastActivity >= this.idleMs) {
      this.end('timeout');
      return null;
    }
    return active;
  }

  private arm(active: Active): void {
    active.timer?.cancel();
    active.lastActivity = this.deps.clock.monotonic();
    active.timer = this.deps.clock.setTimeout(() => {
      active.timer = null;
      if (this.active === active) this.end('timeout');
    }, this.idleMs);
  }

  private end(reason: StaffEndReason): void {
    const active = this.active;
    if (!active) return;
    this.active = null;
    active.timer?.cancel();
    active.timer = null;
    const fields = { role: active.info.role, badge: active.badgeRef, session: active.info.id };
    if (reason === 'timeout') this.audit('staff.timeout', fields);
    else this.audit('staff.sign_out', { ...fields, reason });
    for (const listener of [...this.endListeners]) {
      try {
        listener(active.info, reason);
      } catch {
        // a broken listener must not keep the session open
      }
    }
  }

  /** False when the sink failed: access is then refused (fail closed); endings happen anyway. */
  private audit(event: string, fields: AuditFields): boolean {
    try {
      this.deps.audit(event, fields);
      return true;
    } catch {
      return false;
    }
  }
}
