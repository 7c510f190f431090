import { err as fail, ok } from '../../common/result.ts';
import type { KeyStore } from '../../sync/keystore.ts';
import type { Terminal } from '../../sync/terminal.ts';
import type { KioskConfig } from '../config.ts';
import type { EventBus } from '../events.ts';
import type { Logger } from '../log.ts';
import { enrolmentRefusal, enrolWithPinnedPortal } from '../pinned-portal.ts';
import type { ReaderService } from '../readers.ts';
import type { StaffService } from '../staff/index.ts';
import type { TerminalHolder } from '../terminal-holder.ts';
import type { CallArea } from './areas.ts';
import { staffFailure } from './desk-calls.ts';

/**
 * Enrolment from the screen: only in an administrator's session (credentials provisioned at
 * installation), only with the portal and signing key the installation pins, by the one
 * enrolment path (core/pinned-portal.ts). A URL sent with the call must have the pinned origin;
 * none is needed. The enrolment code can be typed or read as a QR code.
 */
export const enrolmentCalls = ['enrolment.awaitCode', 'enrolment.enrol'] as const;

export type EnrolmentCalls = (typeof enrolmentCalls)[number];

export interface EnrolmentDeps {
  readonly config: KioskConfig;
  readonly staff: StaffService;
  readonly readers: ReaderService;
  readonly events: EventBus;
  readonly log: Logger;
  readonly holder: TerminalHolder;
  /** Opens the terminal once it is enrolled (as at start). */
  readonly openTerminal: () => Promise<Terminal | null>;
  /** Where the enrolment keeps the device key (default: a 0600 file). */
  readonly keyStore?: KeyStore;
  readonly fetch?: typeof fetch;
}

export function createEnrolmentCalls(deps: EnrolmentDeps): CallArea<EnrolmentCalls> & { dispose(): void } {
  const { config, staff, readers, events, log, holder } = deps;
  let stopAwaitingCode: () => void = () => {};
  const alreadyEnrolled = () => fail('enrolment.already_enrolled', 'this terminal is enrolled already');

  return {
    calls: enrolmentCalls,
    visitorCalls: [],
    handlers: {
      /** The next barcode read is the enrolment code's QR: only for a signed-in administrator. */
      'enrolment.awaitCode': () => {
        if (holder.current()) return alreadyEnrolled();
        if (staff.current()?.role !== 'admin')
          return fail('staff.no_session', 'reading an enrolment code needs an administrator signed in');
        stopAwaitingCode();
        stopAwaitingCode = readers.captureBarcode((text) => events.emit('enrolment.scanned', { text }));
        return ok({ waiting: true });
      },
      'enrolment.enrol': async ({ portalUrl: requestedUrl, code }) => {
        if (holder.current()) return alreadyEnrolled();
        const current = staff.current();
        if (current?.role !== 'admin')
          return fail('staff.no_session', 'enrolment needs an administrator signed in at this terminal');
        const refused = enrolmentRefusal(config, requestedUrl);
        const allowed = staff.authorizeAdmin(current.id, 'enrolment.enrol', refused ? { refused } : {});
        if (!allowed.ok) return staffFailure(allowed.error);
        if (refused) {
          log.warn('terminal.enrolment_refused', { code: refused });
          return refused === 'enrolment.foreign_origin'
            ? fail(refused, 'enrolment is allowed only with the portal of this installation')
            : fail(refused, 'the installation names no portal signing key (portal.signingKeyThumbprint)');
        }
        const enrolled = await enrolWithPinnedPortal(config, code, {
          ...(requestedUrl === undefined ? {} : { requestedUrl }),
          ...(deps.keyStore ? { keyStore: deps.keyStore } : {}),
          ...(deps.fetch ? { fetch: deps.fetch } : {}),
        });
        if (!enrolled.ok) {
          log.warn('terminal.enrolment_failed', { code: enrolled.error.code });
          return fail(enrolled.error.code, enrolled.error.message);
        }
        const terminal = await deps.openTerminal();
        holder.hold(terminal);
        if (!terminal) return fail('enrolment.not_opened', 'enrolled, but the queue could not be opened');
        stopAwaitingCode();
        log.info('terminal.enrolled');
        events.emit('terminal.enrolment', { enrolled: true });
        return ok({ terminalId: enrolled.value.record.terminalId });
      },
    },
    dispose() {
      stopAwaitingCode();
    },
  };
}
