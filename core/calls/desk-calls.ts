import type { StaffSession } from '../../api/staff.ts';
import { type Envelope, err as fail, ok } from '../../common/result.ts';
import type { ActivationService } from '../activation/service.ts';
import type { EventBus } from '../events.ts';
import type { JourneyService } from '../journeys.ts';
import type { StaffSignInOutcome } from '../metrics/index.ts';
import type { SessionPrinter } from '../printing/index.ts';
import type { ReaderService } from '../readers.ts';
import type { SessionService } from '../session.ts';
import type {
  AuditSink,
  StaffError,
  StaffResult,
  StaffRole,
  StaffService,
  StaffSessionInfo,
} from '../staff/index.ts';
import type { CallArea } from './areas.ts';

/**
 * The counter's desk: the calls a clerk makes on the visitor's session (staff.*) and the
 * administrator's sign-in. Every action goes through `StaffService.authorize…`, which audits it
 * (who, what, on which session) and refuses it outside a staff session on that very visitor
 * session. A badge scanned with the barcode reader is held here and never reaches the UI.
 */
export interface DeskDeps {
  readonly staff: StaffService;
  readonly sessions: SessionService;
  readonly journeys: JourneyService;
  readonly activation: ActivationService;
  readonly readers: ReaderService;
  readonly printer: SessionPrinter | null;
  readonly events: EventBus;
  /** The audit log, for the outcome of an action (the action itself is audited when authorised). */
  readonly audit: AuditSink;
  /** Each sign-in's role and outcome, for the monitoring (`kiosk_staff_sign_ins_total`); never who. */
  readonly signedIn: (role: StaffRole, outcome: StaffSignInOutcome) => void;
}

export const deskCalls = [
  'staff.awaitBadge',
  'staff.signIn',
  'staff.signOut',
  'staff.touch',
  'staff.current',
  'staff.extendTimeout',
  'staff.reprint',
  'staff.enterDocument',
  'staff.acceptDocument',
  'staff.decideActivation',
  'admin.signIn',
] as const;

export type DeskCalls = (typeof deskCalls)[number];

/** A sign-in's outcome as counted: accepted, refused while locked, or refused. */
export function signInOutcome(result: StaffResult<unknown>): StaffSignInOutcome {
  if (result.ok) return 'ok';
  return result.error.code === 'staff.locked' ? 'locked' : 'failed';
}

export function toStaffSession(info: StaffSessionInfo): StaffSession {
  return {
    role: info.role,
    name: info.name,
    badgeRef: info.badgeRef,
    startedAt: info.startedAt,
    idleSeconds: info.idleSeconds,
  };
}

export function staffFailure(error: StaffError): Envelope<never> {
  const suffix = error.retryAfterSeconds === undefined ? '' : ` (retry after ${error.retryAfterSeconds} s)`;
  return fail(error.code, `${error.message}${suffix}`);
}

export function createDeskCalls(deps: DeskDeps): CallArea<DeskCalls> & { dispose(): void } {
  const { staff, sessions, journeys, activation, readers, printer, events, audit } = deps;
  let heldBadge: string | null = null;
  let stopWaiting: () => void = () => {};

  const forgetBadge = () => {
    heldBadge = null;
    stopWaiting();
  };
  const offEnded = staff.onEnded((info, reason) => events.emit('staff.ended', { reason, role: info.role }));
  const offForget = sessions.onForget(forgetBadge);

  /** The badge to sign in with: the one typed, else the one scanned; used once either way. */
  const takeBadge = (typed: string | null): string => {
    const badge = typed ?? heldBadge ?? '';
    forgetBadge();
    return badge;
  };

  /** A staff action on the visitor session on screen, audited with its details. */
  const authorize = (
    action: string,
    detail: Record<string, string | number | boolean> = {},
  ): StaffResult<StaffSessionInfo> => {
    const current = staff.current();
    const visitor = sessions.current();
    if (!current || !visitor)
      return { ok: false, error: { code: 'staff.no_session', message: 'no staff session' } };
    return staff.authorizeStaff(current.id, visitor.id, action, detail);
  };

  const handlers: CallArea<DeskCalls>['handlers'] = {
    'staff.awaitBadge': () => {
      forgetBadge();
      stopWaiting = readers.captureBarcode((code) => {
        heldBadge = code;
        events.emit('staff.badgeRead', {});
      });
      return ok({ waiting: true });
    },
    'staff.signIn': async ({ badge, pin }) => {
      const result = await staff.signIn({ badge: takeBadge(badge), pin });
      deps.signedIn('staff', signInOutcome(result));
      return result.ok ? ok(toStaffSession(result.value)) : staffFailure(result.error);
    },
    'admin.signIn': async ({ badge, password }) => {
      const result = await staff.signInAdmin({ badge: takeBadge(badge), password });
      deps.signedIn('admin', signInOutcome(result));
      return result.ok ? ok(toStaffSession(result.value)) : staffFailure(result.error);
    },
    'staff.signOut': () => {
      forgetBadge();
      const current = staff.current();
      return ok({ signedOut: current ? staff.signOut(current.id) : false });
    },
    'staff.touch': () => {
      const current = staff.current();
      if (!current) return fail('staff.no_session', 'no staff session');
      const touched = staff.touch(current.id);
      return touched.ok ? ok(touched.value) : staffFailure(touched.error);
    },
    'staff.current': () => {
      const current = staff.current();
      return ok(current ? toStaffSession(current) : null);
    },
    'staff.extendTimeout': () => {
      const allowed = authorize('session.extend');
      if (!allowed.ok) return staffFailure(allowed.error);
      const info = sessions.setSlowMode(true);
      return info ? ok(info) : fail('session.none', 'no session');
    },
    'staff.reprint': async () => {
      const allowed = authorize('receipt.reprint');
      if (!allowed.ok) return staffFailure(allowed.error);
      if (!printer) return ok({ state: 'no_printer' as const });
      const printed = await printer.reprint();
      if (printed === null) return ok({ state: 'nothing_to_print' as const });
      return ok({ state: printed.ok ? ('printed' as const) : ('failed' as const) });
    },
    'staff.enterDocument': (entry) => {
      const allowed = authorize('document.manual_entry', { reason: entry.reason });
      if (!allowed.ok) return staffFailure(allowed.error);
      return journeys.enterDocument(entry);
    },
    'staff.acceptDocument': () => {
      const allowed = authorize('document.accept_expired');
      if (!allowed.ok) return staffFailure(allowed.error);
      return journeys.acceptExpiredDocument();
    },
    'staff.decideActivation': async (input) => {
      const allowed = authorize(
        input.decision === 'confirm' ? 'activation.confirm' : 'activation.refuse',
        input.decision === 'refuse' ? { reason: input.reason } : {},
      );
      if (!allowed.ok) return staffFailure(allowed.error);
      const { badgeRef } = allowed.value;
      const journey = journeys.journey();
      const result = await activation.decide(journey, { badgeRef }, input);
      journeys.concluded(journey, result);
      try {
        audit('activation.result', {
          badge: badgeRef,
          session: allowed.value.id,
          outcome: result.ok ? result.value.kind : result.error.code,
        });
      } catch {
        // the decision was audited before it was carried out; the portal keeps the activation
      }
      return result;
    },
  };

  return {
    calls: deskCalls,
    visitorCalls: [],
    handlers,
    dispose() {
      forgetBadge();
      offEnded();
      offForget();
    },
  };
}
